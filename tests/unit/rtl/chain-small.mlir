// A three-group chain for the small RTL profile (rtl-small: 64 compartments,
// 32 input axons per core): each group lands on its own core, so every core
// but the first is driven by spikes of another core.
snn.network @chain {
  %trigger = snn.periodic_source @trigger {period = 40 : i64, phase = 0 : i64} : !snn.spikes<40>
  %g0 = snn.population @g0 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<40>
  %g1 = snn.population @g1 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<40>
  %g2 = snn.population @g2 {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 5.0e-01, decay_v = 1.0e-01, v_th = 1.0, refractory = 5>} : !snn.spikes<40>
  snn.projection @kick %trigger -> %g0 {connectivity = #snn.one_to_one<2.0>, delay = 1 : i64} : !snn.spikes<40> -> !snn.spikes<40>
  snn.projection @link0 %g0 -> %g1 {connectivity = #snn.fixed_prob<p = 0.5, seed = 1, weight = 0.3>, delay = 3 : i64} : !snn.spikes<40> -> !snn.spikes<40>
  snn.projection @link1 %g1 -> %g2 {connectivity = #snn.fixed_prob<p = 0.5, seed = 2, weight = 0.3>, delay = 2 : i64} : !snn.spikes<40> -> !snn.spikes<40>
}
