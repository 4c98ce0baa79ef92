// Synfire chain: a trigger volley travels down 8 groups of 64 LIF neurons.
//
// Each group excites the next through random connections (p = 0.5) with a
// 3-step axonal delay; a periodic source kicks the first group every 100 steps,
// so each wave reaches the last group 21 steps later. Parameters are given
// already discrete (per time step), the second form the snn dialect accepts.
//
// Run:
//   cajal compile examples/synfire.mlir -o synfire.cjimg --report fit.json
//   cajal run synfire.cjimg --steps 1000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   spikes g0 >= 640
//   spikes g7 >= 600

snn.network @synfire {
  %trigger = snn.periodic_source @trigger {period = 100 : i64, phase = 0 : i64} : !snn.spikes<64>
  %g0 = snn.population @g0 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g1 = snn.population @g1 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g2 = snn.population @g2 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g3 = snn.population @g3 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g4 = snn.population @g4 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g5 = snn.population @g5 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g6 = snn.population @g6 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  %g7 = snn.population @g7 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<64>
  snn.projection @kick %trigger -> %g0 {connectivity = #snn.one_to_one<2.0>, delay = 1 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link0 %g0 -> %g1 {connectivity = #snn.fixed_prob<p = 0.5, seed = 1, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link1 %g1 -> %g2 {connectivity = #snn.fixed_prob<p = 0.5, seed = 2, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link2 %g2 -> %g3 {connectivity = #snn.fixed_prob<p = 0.5, seed = 3, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link3 %g3 -> %g4 {connectivity = #snn.fixed_prob<p = 0.5, seed = 4, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link4 %g4 -> %g5 {connectivity = #snn.fixed_prob<p = 0.5, seed = 5, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link5 %g5 -> %g6 {connectivity = #snn.fixed_prob<p = 0.5, seed = 6, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
  snn.projection @link6 %g6 -> %g7 {connectivity = #snn.fixed_prob<p = 0.5, seed = 7, weight = 0.1>, delay = 3 : i64} : !snn.spikes<64> -> !snn.spikes<64>
}
