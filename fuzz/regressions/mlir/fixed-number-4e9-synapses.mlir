snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<total = 4294967295, seed = 1, weight = 1.0>} : !snn.spikes<3> -> !snn.spikes<3>
}
