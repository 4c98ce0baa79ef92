// The adaptive threshold of LSNN (Bellec et al., NeurIPS 2018) built as a
// dendritic tree, as on Loihi 1 (which had no adaptive threshold, only
// compartments joined through a stack), beside the same neurons run by the
// adaptive-LIF program (examples/adaptive-lif.mlir).
//
// Each @lsnn neuron is three compartments. @membrane is the LIF membrane:
// it takes the input and the bias (tau_mem = 20 ms) and is cleared one
// step after the neuron spikes (reset_on_bap), where the refractory step
// holds the program's v at 0 too. @adaptation holds LSNN's a: it leaks
// with tau_a = 200 ms and receives its neuron's own spikes (weight 0.995
// = exp(-dt / tau_a): each spike adds Bellec's jump 1 - exp(-dt / tau_a),
// one decay ahead because the spike reaches it a step late). Its v_th = 1
// never fires it (a dendrite does not spike); it sizes its fixed-point
// range for a up to 1, where a `li` compartment's range would be sized by
// its small inputs alone and clip a. The soma @lsnn forgets its v every step (tau_mem = 0.1 ms) and
// adds its children's values, membrane v minus beta a (coupling = -beta =
// -15): it spikes when v > v_th + beta a, the adaptive threshold. The two
// populations differ by rounding (their fixed-point scales differ), and
// the spike times drift apart over many spikes, but over 1,000 steps
// every neuron's spike count is within one of the program's
// (tests/e2e/lsnn_two_compartment.py). Sixteen neurons of each kind
// receive the constant currents 1.2 to 3.0 and a 20 Hz clock.
//
// Run:
//   cajal compile examples/lsnn_two_compartment.mlir -o lsnn.cjimg --profile loihi2 --report fit.json
//   cajal run lsnn.cjimg --steps 1000 --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes alif >= 550
//   spikes lsnn >= 550
snn.network @lsnn_two_compartment attributes {dt = 1.0e-3 : f64} {
  %clock = snn.periodic_source @clock {period = 50 : i64, phase = 0 : i64} : !snn.spikes<1>
  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 1.0e-3, bias = array<f64: 1.2, 1.32, 1.44, 1.56, 1.68, 1.8, 1.92, 2.04, 2.16, 2.28, 2.4, 2.52, 2.64, 2.76, 2.88, 3.0>, tau_a = 2.0e-1, beta = 15.0>} : !snn.spikes<16>
  %lsnn = snn.population @lsnn {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-4, v_th = 1.0, t_ref = 1.0e-3>} : !snn.spikes<16>
  %membrane = snn.population @membrane {model = #snn.model<li>, params = #snn.continuous<tau_mem = 2.0e-2, bias = array<f64: 1.2, 1.32, 1.44, 1.56, 1.68, 1.8, 1.92, 2.04, 2.16, 2.28, 2.4, 2.52, 2.64, 2.76, 2.88, 3.0>>, parent = @lsnn, output = #snn.dendrite_output<voltage>, reset_on_bap} : !snn.spikes<16>
  %adaptation = snn.population @adaptation {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-1, v_th = 1.0>, parent = @lsnn, output = #snn.dendrite_output<voltage>, coupling = -15.0} : !snn.spikes<16>
  snn.projection @spikes_adaptation %lsnn -> %adaptation {connectivity = #snn.one_to_one<0.995>} : !snn.spikes<16> -> !snn.spikes<16>
  snn.projection @clock_alif %clock -> %alif {connectivity = #snn.dense<dense<5.0> : tensor<16x1xf64>>} : !snn.spikes<1> -> !snn.spikes<16>
  snn.projection @clock_membrane %clock -> %membrane {connectivity = #snn.dense<dense<5.0> : tensor<16x1xf64>>} : !snn.spikes<1> -> !snn.spikes<16>
}
