// Competitive Hebbian learning by pair STDP (Song, Miller and Abbott, Nat.
// Neurosci. 3(9), 2000): 1000 Poisson inputs at 15 Hz drive one LIF neuron
// through an all-to-all learning projection.
//
// The neuron: tau_m = 20 ms, threshold 16 mV and reset 10 mV above rest
// (Song et al.'s -54 and -60 mV over -70 mV), dt = 1 ms. A weight w moves
// the membrane by w dt / tau_m, so the initial weights, uniform on [0.75,
// 1.5], are jumps of 0.04 to 0.075 mV; with 15 input spikes per step the
// mean drive sits just above threshold and the neuron starts out firing
// fast. The largest initial weight sets the projection's weight exponent
// (the smallest that holds it): 1.5 becomes mantissa 200 and the 8-bit
// mantissa saturates at 255, so w = 1.9 is the g_max that no learned weight
// exceeds, as in Song et al., where weights live in [0, g_max].
//
// The rule is #snn.pair_stdp, i.e.
//   dw = 15 * 2^-8 * x1 * y0 - 2^-4 * y1 * x0
// with x1 and y1 traces of impulse 16 and tau 20 steps (20 ms): a pre spike
// just before a post spike adds 0.94 mantissa units (0.37 % of g_max), the
// reverse order takes 1.0 (A- / A+ = 1.07, Song et al. 1.05), applied every
// step (learning_epoch 1). Depression outweighing potentiation makes the
// synapses compete: the weights spread towards 0 and g_max and the output
// rate falls: the neuron fires 233 spikes in the first 10 s and 131 in the
// sixth, and its rate is still falling after 200 s (5 Hz), when the weights
// have left their initial range on both sides (`--weights-out w.csv
// --weights-every 20000`). The golden model, the reference engine and
// SystemC give the same spikes (tests/e2e).
//
// Run:
//   cajal compile examples/stdp_song2000.mlir -o stdp.cjimg --report fit.json
//   cajal run stdp.cjimg --steps 60000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes neuron in 0..9999 >= 180
//   spikes neuron in 50000..59999 <= 170
snn.network @song2000 attributes {dt = 1.0e-3 : f64, learning_epoch = 1 : i64, learning_seed = 2000 : i64} {
  %inputs = snn.poisson_source @inputs {rate = 15.0 : f64, seed = 1 : i64} : !snn.spikes<1000>
  %neuron = snn.population @neuron {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 16.0, v_leak = 0.0, v_reset = 10.0>} : !snn.spikes<1>
  snn.projection @plastic %inputs -> %neuron {
      connectivity = #snn.fixed_prob<p = 1.0, seed = 7, weight = #snn.uniform<low = 0.75, high = 1.5>>,
      learning = #snn.pair_stdp<a_plus = 5.859375e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<1000> -> !snn.spikes<1>
  snn.probe %neuron {kind = #snn.probe_kind<spikes>} : !snn.spikes<1>
}
