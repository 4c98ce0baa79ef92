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

// -----

// Every weight quantises to 0 (1e-9 against a threshold of 1): nothing
// would reach any neuron. An error on the network, a note per projection.
#d = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>
// expected-error @+1 {{every weight of network @n quantises to 0 on profile loihi1: no spike would reach any neuron (projection 'p')}}
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #d} : !snn.spikes<2>
  // expected-note @+2 {{projection 'p': the largest |weight| 1.000000e-09 x the weight scale}}
  // expected-remark @+1 {{weights quantized with exponent -8, relative error 1}}
  snn.projection @p %in -> %e {connectivity = #snn.one_to_one<1.0e-9>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

// One projection quantises to 0 while another does not: a warning on it.
#d = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #d} : !snn.spikes<2>
  // expected-warning @+2 {{every weight of projection 'tiny' quantises to 0 on profile loihi1, so it carries nothing on the chip: the largest |weight| 1.000000e-09 x the weight scale}}
  // expected-remark @+1 {{weights quantized with exponent -8, relative error 1}}
  snn.projection @tiny %in -> %e {connectivity = #snn.one_to_one<1.0e-9>} : !snn.spikes<2> -> !snn.spikes<2>
  // expected-remark @+1 {{weights quantized}}
  snn.projection @big %in -> %e {connectivity = #snn.one_to_one<0.5>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

// A leaky integrator never spikes: what it projects carries nothing.
#d = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  // expected-note @+1 {{'readout' is declared here}}
  %r = snn.population @readout {model = #snn.model<li>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1>} : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #d} : !snn.spikes<2>
  // expected-remark @+1 {{weights quantized}}
  snn.projection @in_r %in -> %r {connectivity = #snn.one_to_one<0.5>} : !snn.spikes<2> -> !snn.spikes<2>
  // expected-warning @+2 {{projection 'r_e' starts at 'readout', a population of model li, which never spikes: it carries nothing on the chip}}
  // expected-remark @+1 {{weights quantized}}
  snn.projection @r_e %r -> %e {connectivity = #snn.one_to_one<0.5>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#d = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #d} : !snn.spikes<2>
  // expected-error @+1 {{weight 1 is nan; weights must be finite}}
  snn.projection @p %in -> %e {connectivity = #snn.dense<dense<[[1.0, 0x7FF8000000000000], [0.0, 1.0]]> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population "iz": model izhikevich needs a programmable neurocore; profile "loihi1" runs only the LIF family (isa.programmable)}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = 10.0>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population "alif": model adaptive_lif needs a programmable neurocore; profile "loihi1" runs only the LIF family (isa.programmable)}}
  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 5.0e-2, v_th = 1.0, decay_a = 5.0e-3, jump = 5.0e-3, beta = 1.8>} : !snn.spikes<2>
}
