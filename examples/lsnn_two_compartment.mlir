// The adaptive threshold of LSNN (Bellec et al., NeurIPS 2018) built as a
// dendritic tree, as on Loihi 1, which had no adaptive threshold, only
// compartments joined through a stack: this example compiles for loihi1
// and loihi2.
//
// Each @lsnn neuron is three compartments. @membrane is the LIF membrane:
// it takes the input and the bias (tau_mem = 20 ms) and is cleared one
// step after the neuron spikes (reset_on_bap), where the refractory step
// holds the program's v at 0 too. @adaptation holds -beta a, LSNN's a
// times its threshold factor beta = 15: it leaks with tau_a = 200 ms and
// receives its neuron's own spikes with weight -beta exp(-dt / tau_a) =
// -14.925 (Bellec's jump 1 - exp(-dt / tau_a) per spike, times -beta, one
// decay ahead because the spike reaches it a step late). Its v_th = 15
// never fires it (a dendrite does not spike); it sizes its fixed-point
// range for beta a up to 15. The soma @lsnn forgets its v every step
// (tau_mem = 0.1 ms) and adds its children's voltages, membrane v minus
// beta a: it spikes when v > v_th + beta a, the adaptive threshold. Both
// dendrites pass their voltage with coupling 1, which a chip without a
// multiplier requires (loihi1 gives the whole tree one voltage scale;
// docs/mapping.md, "Dendritic trees"). Sixteen neurons receive the
// constant currents 1.2 to 3.0 and a 20 Hz clock. Over 1,000 steps every
// neuron's spike count is within one of the same neuron run by the
// adaptive-LIF program (examples/adaptive-lif.mlir's model), on both
// profiles (tests/e2e/lsnn_two_compartment.py).
//
// Run:
//   cajal compile examples/lsnn_two_compartment.mlir -o lsnn.cjimg --profile loihi1 --report fit.json
//   cajal run lsnn.cjimg --steps 1000 --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes lsnn >= 550
snn.network @lsnn_two_compartment attributes {dt = 1.0e-3 : f64} {
  %clock = snn.periodic_source @clock {period = 50 : i64, phase = 0 : i64} : !snn.spikes<1>
  %lsnn = snn.population @lsnn {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-4, v_th = 1.0, t_ref = 1.0e-3>} : !snn.spikes<16>
  %membrane = snn.population @membrane {model = #snn.model<li>, params = #snn.continuous<tau_mem = 2.0e-2, bias = array<f64: 1.2, 1.32, 1.44, 1.56, 1.68, 1.8, 1.92, 2.04, 2.16, 2.28, 2.4, 2.52, 2.64, 2.76, 2.88, 3.0>>, parent = @lsnn, output = #snn.dendrite_output<voltage>, reset_on_bap} : !snn.spikes<16>
  %adaptation = snn.population @adaptation {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-1, v_th = 15.0>, parent = @lsnn, output = #snn.dendrite_output<voltage>} : !snn.spikes<16>
  snn.projection @spikes_adaptation %lsnn -> %adaptation {connectivity = #snn.one_to_one<-14.925>} : !snn.spikes<16> -> !snn.spikes<16>
  snn.projection @clock_membrane %clock -> %membrane {connectivity = #snn.dense<dense<5.0> : tensor<16x1xf64>>} : !snn.spikes<1> -> !snn.spikes<16>
}
