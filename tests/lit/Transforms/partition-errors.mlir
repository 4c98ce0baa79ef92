// RUN: cajal-opt %s --split-input-file --snn-partition -verify-diagnostics -mlir-print-op-on-diagnostic=false

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
// Every neuron of @e listens to 5,000 inputs: more input axons than a core has.
snn.network @wide {
  %in = snn.input @in : !snn.spikes<5000>
  // expected-error @+1 {{population "e" needs 5000 input axons per slice (neuron 0 alone); a core has 4096}}
  %e = snn.population @e {model = #snn.model<lif>, params = #lif} : !snn.spikes<4>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 1>, weight_exponent = 0 : i64} : !snn.spikes<5000> -> !snn.spikes<4>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{must be quantized (run snn-discretize and snn-quantize) before mapping}}
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<4>
}
