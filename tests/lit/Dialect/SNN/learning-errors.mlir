// RUN: cajal-opt %s -split-input-file -verify-diagnostics -mlir-print-op-on-diagnostic=false
// Every refusal of a learning or reward projection the verifier makes (no
// profile needed), one per split. The profile's limits are checked when the
// network is mapped: tests/lit/Transforms/learning-limits.mlir.

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: learning rule: column 13: unknown variable 'x9' (expected x0, y0, u, x1, x2, y1, y2, y3, r, w, d or t) in "dw = 2^-4 * x9 * y0"}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.learning<rule = "dw = 2^-4 * x9 * y0">} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: learning rule: column 11: expected a factor, found '*' in "dw = x1 * * y0"}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.learning<rule = "dw = x1 * * y0">} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: a reward projection cannot also learn: its weights set the post compartments' third factor r (drop 'reward' or 'learning')}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>, reward,
      learning = #snn.learning<rule = "dw = x1 * y0">} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %soma = snn.population @soma {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  %apical = snn.population @apical {model = #snn.model<lif>, params = #lif, parent = @soma} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: a learning projection cannot reach dendrite @apical: post-synaptic traces and the third factor are the root's (project onto @soma or its tree's root)}}
  snn.projection @p %in -> %apical {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %soma = snn.population @soma {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  %apical = snn.population @apical {model = #snn.model<lif>, params = #lif, parent = @soma} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: a reward projection cannot reach dendrite @apical}}
  snn.projection @p %in -> %apical {connectivity = #snn.one_to_one<1.0>, reward}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<16>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<4>
  // expected-error @+1 {{projection @conv: a conv2d projection cannot learn: its kernel is shared by every output position, but the chip stores a copy per synapse and each copy would learn on its own (use #snn.dense or #snn.sparse for per-synapse learning)}}
  snn.projection @conv %in -> %out {connectivity = #snn.conv2d<kernel = dense<1.0> : tensor<1x1x3x3xf64>,
      stride = [1, 1], padding = [0, 0], dilation = [1, 1], in_shape = [1, 4, 4]>,
      learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<16> -> !snn.spikes<4>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-note @+1 {{projection @first is here}}
  snn.projection @first %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<2> -> !snn.spikes<2>
  // expected-error @+1 {{projection @second: its post-synaptic trace y1 (impulse 16, tau 40) differs from that of projection @first (impulse 16, tau 20), which also learns onto @out; a population has one set of post-synaptic traces}}
  snn.projection @second %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 40.0>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: #snn.pair_stdp parameter 'a_minus' = 0.1 is not m * 2^e (an integer times a power of two), which a rule's scale must be; the nearest with a 4-bit m are 0.09375 and 0.1015625}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 0.1, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: #snn.learning parameter 'x1 tau' must be finite and >= 0, got -20}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.learning<rule = "dw = x1 * y0", x1 = #snn.trace<impulse = 1.0, tau = -20.0>>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: #snn.reward_stdp: learning_rate 0 makes a rule that never changes a weight}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.reward_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0, learning_rate = 0.0>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

// expected-error @+1 {{'learning_epoch' must be >= 1 step, got 0}}
snn.network @n attributes {dt = 1.0e-3 : f64, learning_epoch = 0 : i64} {
}

// -----

// expected-error @+1 {{'learning_seed' must be >= 0, got -1}}
snn.network @n attributes {dt = 1.0e-3 : f64, learning_seed = -1 : i64} {
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: 'sign_mode' bounds learned weights, but the projection does not learn (add 'learning' or drop it)}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      sign_mode = "excitatory"} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: 'sign_mode' "positive" is not "mixed", "excitatory" or "inhibitory"}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<1.0>,
      learning = #snn.learning<rule = "dw = 2^-4 * x1 * y0">,
      sign_mode = "positive"} : !snn.spikes<2> -> !snn.spikes<2>
}
