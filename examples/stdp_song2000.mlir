// Competitive Hebbian learning by pair STDP (Song, Miller and Abbott, Nat.
// Neurosci. 3(9), 2000), as Brian2's examples/synapses/STDP.py writes it:
// 1000 Poisson inputs at 15 Hz drive one LIF neuron through an all-to-all
// learning projection; the weights start uniform on [0, g_max], and after
// 100 s most sit at 0 or at g_max.
//
// Brian2's model, in chip units (dt = 0.1 ms, Brian2's default clock):
//   dv/dt = (ge (Ee - vr) + El - v) / tau_m,  dge/dt = -ge / tau_e,
//   tau_m = 10 ms, tau_e = 5 ms, El = -74 mV, v_t = -54 mV, v_r = -60 mV,
// is a cuba_lif with tau_syn = tau_e and the synaptic current
// I = ge (Ee - vr) = 60 mV ge; w_in = 1 / (1 - exp(-dt / tau_syn)) makes a
// weight w the jump of I it causes (docs/mapping.md), so Brian2's
// g_max = 0.01 is 0.6 mV. The weights are stored as 8-bit mantissas; the
// compiler picks the exponent that holds the largest initial weight, and
// with 0.586 mV that makes mantissa 255 (the largest an excitatory
// learning synapse can reach: sign_mode) 0.588 mV, the chip's g_max,
// 2 % below Brian2's. The lowest initial weight is 1.2e-3 mV, half a
// mantissa unit, so that every input has a synapse (a weight that rounds
// to 0 is no synapse).
//
// The rule: Brian2 adds dApre = 0.01 g_max to the pre trace at a pre spike
// and dApost = -1.05 dApre to the post trace at a post spike, both decaying
// with 20 ms, and adds the trace of the other side to w at every spike. On
// the chip, dw = 2^-3 * x1 * y0 - 2^-3 * y1 * x0 with x1 and y1 impulses of
// 20.4 and 21.42 trace units (8-bit fractions; 20.4 / 8 = 2.55 mantissa
// units = 1 % of g_max, 21.42 / 20.4 = 1.05) and tau 200 steps, applied
// every step (learning_epoch 1). A trace decays by round(4096 / 200) / 4096
// per step, tau = 20.48 ms.
//
// The first 6 s below; bench/peer-brian2/song2000.py runs this example and
// Brian2's for 100 s (10^6 steps) and compares the weight histograms (KS
// distance) and the output rates (docs/learning.md, "Song 2000").
//
// Run:
//   cajal compile examples/stdp_song2000.mlir -o stdp.cjimg --report fit.json
//   cajal run stdp.cjimg --steps 60000 --engine golden --weights-out w.csv --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes neuron in 0..59999 >= 250
snn.network @song2000 attributes {dt = 1.0e-4 : f64, learning_epoch = 1 : i64, learning_seed = 2000 : i64} {
  %inputs = snn.poisson_source @inputs {rate = 15.0 : f64, seed = 1 : i64} : !snn.spikes<1000>
  %neuron = snn.population @neuron {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 1.0e-2, tau_syn = 5.0e-3, w_in = 50.50167084168057, v_th = -54.0, v_leak = -74.0, v_reset = -60.0>} : !snn.spikes<1>
  snn.projection @plastic %inputs -> %neuron {
      connectivity = #snn.fixed_prob<p = 1.0, seed = 7, weight = #snn.uniform<low = 1.2e-3, high = 0.586>>,
      learning = #snn.learning<rule = "dw = 2^-3 * x1 * y0 - 2^-3 * y1 * x0",
                               x1 = #snn.trace<impulse = 20.4, tau = 200.0>,
                               y1 = #snn.trace<impulse = 21.42, tau = 200.0>>,
      sign_mode = "excitatory"}
      : !snn.spikes<1000> -> !snn.spikes<1>
  snn.probe %neuron {kind = #snn.probe_kind<spikes>} : !snn.spikes<1>
}
