// Adaptive LIF (LSNN) neurons beside plain LIF neurons under the same drive.
//
// The adaptive threshold of Bellec et al. (NeurIPS 2018, long short-term
// memory spiking networks): each spike raises the adaptation a by
// 1 - exp(-dt / tau_a) (so a stays in [0, 1]), a decays with tau_a =
// 200 ms, and the threshold is v_th + beta a, here with beta = 15 so that
// the effect shows at these rates. Sixteen adaptive neurons and sixteen LIF
// neurons (tau_mem = 20 ms, v_th = 1, 2 ms refractory) receive the same
// constant currents (bias 1.2 to 3.0, above threshold) and a 20 Hz clock;
// the adaptive ones slow down as a builds up (spike-frequency adaptation)
// and spike about 40 % less. The spike counts agree with the model in
// double precision within 2 % (tests/unit/compiler/ModelsTest.cpp). The
// model runs as the adaptive-lif program of docs/neurocore-isa.md, so it
// needs a programmable profile: loihi2 (loihi1 refuses it).
//
// Run:
//   cajal compile examples/adaptive-lif.mlir -o alif.cjimg --profile loihi2 --report fit.json
//   cajal run alif.cjimg --steps 1000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes lif >= 950
//   spikes alif >= 550
//   spikes alif <= 750
snn.network @adaptive attributes {dt = 1.0e-3 : f64} {
  %clock = snn.periodic_source @clock {period = 50 : i64, phase = 0 : i64} : !snn.spikes<1>
  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 2.0e-3, bias = array<f64: 1.2, 1.32, 1.44, 1.56, 1.68, 1.8, 1.92, 2.04, 2.16, 2.28, 2.4, 2.52, 2.64, 2.76, 2.88, 3.0>, tau_a = 2.0e-1, beta = 15.0>} : !snn.spikes<16>
  %lif = snn.population @lif {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 2.0e-3, bias = array<f64: 1.2, 1.32, 1.44, 1.56, 1.68, 1.8, 1.92, 2.04, 2.16, 2.28, 2.4, 2.52, 2.64, 2.76, 2.88, 3.0>>} : !snn.spikes<16>
  snn.projection @clock_alif %clock -> %alif {connectivity = #snn.dense<dense<5.0> : tensor<16x1xf64>>} : !snn.spikes<1> -> !snn.spikes<16>
  snn.projection @clock_lif %clock -> %lif {connectivity = #snn.dense<dense<5.0> : tensor<16x1xf64>>} : !snn.spikes<1> -> !snn.spikes<16>
  snn.probe %alif {kind = #snn.probe_kind<spikes>} : !snn.spikes<16>
  snn.probe %lif {kind = #snn.probe_kind<spikes>} : !snn.spikes<16>
}
