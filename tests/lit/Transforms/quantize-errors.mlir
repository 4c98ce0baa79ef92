// RUN: cajal-opt %s --split-input-file --snn-quantize -verify-diagnostics -mlir-print-op-on-diagnostic=false

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{still has float weights: its post population must be #snn.discrete when snn-quantize runs}}
  snn.projection @p %in -> %e {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-error @+1 {{has a per-neuron 'input_scale'; snn-quantize needs one input scale per population}}
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0, input_scale = array<f64: 1.0, 2.0>>} : !snn.spikes<2>
}

// -----

snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{the data of its weights is not available (an elided resource blob?)}}
  snn.projection @p %in -> %e {connectivity = #snn.dense<dense_resource<__elided__> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
}
