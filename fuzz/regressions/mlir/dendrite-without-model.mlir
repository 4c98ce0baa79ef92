snn.network @n attributes {dt = 1.0e-3 : f64} {
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 0.0e-2, v_th = 1.0>} : !snn.spikes<2>
  %d = snn.population @d {modzeroel = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s} : !snn.spikes<2>
  snn.projection @p %d -> %s {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<2> -> !snn.spikes<2>
}
