// RUN: cajal-opt %s --snn-discretize | FileCheck %s
// RUN: cajal-opt %s --snn-discretize=method=euler | FileCheck %s --check-prefix=EULER
// RUN: not cajal-opt %s --snn-discretize=method=rk4 2>&1 | FileCheck %s --check-prefix=BAD
// dt = 1 ms. Exact exponential: decay = 1 - exp(-dt/tau):
//   tau_mem = 20 ms -> 0.048770575499285991, tau_syn = 5 ms -> 0.18126924692201815.

// BAD: error: snn-discretize: unknown method 'rk4' (expected exact or euler)
// CHECK-LABEL: snn.network @net
snn.network @net attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  // lif: no current state (decay_u = 1), input scale r * decay_v, the leak
  // target v_leak - v_reset becomes a bias, t_ref = 2 ms is 2 steps.
  // CHECK: snn.population @lif {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 0.048770575499285991, v_th = 1.000000e+00, bias = 0.004877057549928{{[0-9]+}}, input_scale = 0.097541150998571982, refractory = 2, v_offset = 0.000000e+00>}
  // EULER: snn.population @lif {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 5.000000e-02, v_th = 1.000000e+00, bias = 0.00500000000{{[0-9]+}}, input_scale = 1.000000e-01, refractory = 2, v_offset = 0.000000e+00>}
  %lif = snn.population @lif {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, v_leak = 0.1, r = 2.0, t_ref = 2.0e-3>} : !snn.spikes<2>
  // cuba_lif: decay_u from tau_syn, input scale r * decay_v * w_in * decay_u;
  // the zero reset shifts v by v_reset (v_th - v_reset, leak - v_reset).
  // CHECK: snn.population @cuba {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 0.18126924692201815, decay_v = 0.048770575499285991, v_th = 1.500000e+00, bias = 0.024385287749642996, input_scale = 0.0088406054927090017, refractory = 0, v_offset = -5.000000e-01>}
  %cuba = snn.population @cuba {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3, v_th = 1.0, v_reset = -0.5>} : !snn.spikes<2>
  // if: no leak; input scale r * dt; per-neuron thresholds stay per neuron.
  // CHECK: snn.population @if {model = #snn.model<if>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 0.000000e+00, v_th = array<f64: 1.000000e+00, 2.000000e+00>, bias = 0.000000e+00, input_scale = 1.000000e-03, refractory = 0, v_offset = 0.000000e+00, reset = subtract>}
  %if = snn.population @if {model = #snn.model<if>, params = #snn.continuous<v_th = array<f64: 1.0, 2.0>, reset = subtract>} : !snn.spikes<2>
  // li: a readout, no threshold.
  // CHECK: snn.population @li {model = #snn.model<li>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 0.048770575499285991, bias = 0.000000e+00, input_scale = 0.048770575499285991, refractory = 0, v_offset = 0.000000e+00>}
  %li = snn.population @li {model = #snn.model<li>, params = #snn.continuous<tau_mem = 2.0e-2>} : !snn.spikes<2>
  // The initial v moves with v: the discrete v is the model's less v_reset
  // (+65 here), for a distribution and for values per neuron.
  // CHECK: snn.population @l4 {initial = {v = #snn.normal<mean = 7.000000e+00, std = 1.000000e+01, low = -5.000000e+00>}, initial_seed = 3 : i64
  %l4 = snn.population @l4 {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 1.0e-2, tau_syn = 5.0e-4, v_th = -50.0, v_leak = -65.0, v_reset = -65.0>, initial = {v = #snn.normal<mean = -58.0, std = 10.0, low = -70.0>}, initial_seed = 3 : i64} : !snn.spikes<2>
  // CHECK: snn.population @l5 {initial = {v = array<f64: 1.600000e+01, 1.400000e+01>}
  %l5 = snn.population @l5 {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = -50.0, v_leak = -65.0, v_reset = -65.0>, initial = {v = array<f64: -49.0, -51.0>}} : !snn.spikes<2>
  // Already discrete: untouched.
  // CHECK: snn.population @disc {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 5.000000e-01, v_th = 1.000000e+00>}
  %disc = snn.population @disc {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // A projection bias b is folded into the post population's bias:
  // 0.5 + b * input_scale / decay_u = 0.5 + (2, 4) * 0.25 / 0.5.
  // CHECK: snn.population @folded {model = #snn.model<lif>, params = #snn.discrete<decay_u = 5.000000e-01, decay_v = 5.000000e-01, v_th = 1.000000e+00, bias = array<f64: 1.500000e+00, 2.500000e+00>, input_scale = 2.500000e-01>}
  %folded = snn.population @folded {model = #snn.model<lif>, params = #snn.discrete<decay_u = 0.5, decay_v = 0.5, v_th = 1.0, bias = 0.5, input_scale = 0.25>} : !snn.spikes<2>
  // CHECK: snn.projection @p %{{.*}} -> %{{.*}} {connectivity = #snn.one_to_one<1.000000e+00>} :
  snn.projection @p %in -> %folded {connectivity = #snn.one_to_one<1.0>, bias = array<f64: 2.0, 4.0>} : !snn.spikes<2> -> !snn.spikes<2>
}

