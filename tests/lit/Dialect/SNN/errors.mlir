// RUN: cajal-opt %s -split-input-file -verify-diagnostics
// Every verifier of the snn dialect, one per split.

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  // expected-note @-1 {{post population 'b' (2 neurons) is declared here}}
  // expected-error @+1 {{dense weights have shape 2x2 but post x pre is 2x3}}
  snn.projection @p %a -> %b {connectivity = #snn.dense<dense<1.0> : tensor<2x2xf64>>} : !snn.spikes<3> -> !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'v_th' has 2 values but the population has 3 neurons}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = array<f64: 1.0, 2.0>>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'tau_mem' must be > 0, got -1.000000e-02}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = -1.0e-2, v_th = 1.0>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'tau_syn' must be > 0, got 0.000000e+00 (neuron 1)}}
  %b = snn.population @b {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 1.0e-2, tau_syn = array<f64: 1.0e-3, 0.0>, v_th = 1.0>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'v_th' must be > 0, got 0.000000e+00}}
  %b = snn.population @b {model = #snn.model<if>, params = #snn.continuous<v_th = 0.0>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{model 'cuba_lif' needs parameter 'tau_syn'}}
  %b = snn.population @b {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'r' must be a number or array<f64>, got "x"}}
  %b = snn.population @b {model = #snn.model<if>, params = #snn.continuous<v_th = 1.0, r = "x">} : !snn.spikes<3>
}

// -----

// expected-error @+1 {{'dt' must be finite and > 0, got 0.000000e+00}}
snn.network @n attributes {dt = 0.0 : f64} {
}

// -----

snn.network @n {
  // expected-error @+1 {{has continuous parameters but network @n has no 'dt'}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{parameter 'decay_v' must be in [0, 1], got 1.500000e+00}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 1.5, v_th = 1.0>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{parameter 'v_th' must be > 0, got -1.000000e+00}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = -1.0>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{parameter 'refractory' must be an integer or array<i64>, got 1.500000e+00}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0, refractory = 1.5>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{parameter 'decay_v' must be >= 0, got -2.000000e+00}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = -2, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>} : !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_prob p must be in [0, 1], got 1.500000e+00}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_prob<p = 1.5, seed = 1, weight = 1.0>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number in_degree must be >= 0, got -1}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<in_degree = -1, seed = 1, weight = 1.0>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number in_degree = 4 without multapses, but there are only 3 pre neurons per post neuron}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<in_degree = 4, seed = 1, weight = 1.0, allow_multapses = false>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number out_degree = 3 without multapses, but there are only 2 post neurons per pre neuron (allow_self = false)}}
  snn.projection @p %b -> %b {connectivity = #snn.fixed_number<out_degree = 3, seed = 1, weight = 1.0, allow_self = false, allow_multapses = false>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number total = 10 without multapses, but there are only 9 (pre, post) pairs}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<total = 10, seed = 1, weight = 1.0, allow_multapses = false>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number total = 4294967296 makes 4294967296 synapses; at most 4294967295 per projection}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<total = 4294967296, seed = 1, weight = 1.0>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number in_degree = 2000000000 makes 6000000000 synapses; at most 4294967295 per projection}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<in_degree = 2000000000, seed = 1, weight = 1.0>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number weight must be a single number}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<in_degree = 1, seed = 1, weight = array<f64: 1.0, 2.0, 3.0>>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{'delay' must be >= 1 step, got 0}}
  snn.projection @p %a -> %b {connectivity = #snn.one_to_one<1.0>, delay = 0 : i64} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-note @-1 {{post population 'b' (2 neurons) is declared here}}
  // expected-error @+1 {{one_to_one needs pre and post of one size, got 3 and 2}}
  snn.projection @p %a -> %b {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<3> -> !snn.spikes<2>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{post must be a population (sources only send)}}
  snn.projection @p %b -> %a {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<4>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{sparse synapse 1: post index 2 out of range (2 neurons)}}
  snn.projection @p %a -> %b {connectivity = #snn.sparse<pre = dense<[0, 3]> : tensor<2xi64>, post = dense<[1, 2]> : tensor<2xi64>, weights = dense<1.0> : tensor<2xf64>>} : !snn.spikes<4> -> !snn.spikes<2>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<4>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{sparse synapse 0: delay must be >= 1, got 0}}
  snn.projection @p %a -> %b {connectivity = #snn.sparse<pre = dense<[0]> : tensor<1xi64>, post = dense<[1]> : tensor<1xi64>, weights = dense<1.0> : tensor<1xf64>, delays = dense<0> : tensor<1xi64>>} : !snn.spikes<4> -> !snn.spikes<2>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<64>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2x7x7>
  // expected-error @+1 {{conv2d kernel has 2 input channels but in_shape has 1}}
  snn.projection @p %a -> %b {connectivity = #snn.conv2d<kernel = dense<1.0> : tensor<2x2x2x2xf64>, stride = [1, 1], padding = [0, 0], dilation = [1, 1], in_shape = [1, 8, 8]>} : !snn.spikes<64> -> !snn.spikes<2x7x7>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<64>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2x8x8>
  // expected-note @-1 {{post population 'b' (128 neurons) is declared here}}
  // expected-error @+1 {{conv2d output is 2x7x7 but post is '!snn.spikes<2x8x8>'}}
  snn.projection @p %a -> %b {connectivity = #snn.conv2d<kernel = dense<1.0> : tensor<2x1x2x2xf64>, stride = [1, 1], padding = [0, 0], dilation = [1, 1], in_shape = [1, 8, 8]>} : !snn.spikes<64> -> !snn.spikes<2x8x8>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<2>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{has integer weights but no 'weight_exponent'}}
  snn.projection @p %a -> %b {connectivity = #snn.one_to_one<3>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<2>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{is quantized ('weight_exponent' is set) but dense weights are 'f64', not integers}}
  snn.projection @p %a -> %b {connectivity = #snn.dense<dense<1.0> : tensor<2x2xf64>>, weight_exponent = 0 : i64} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-note @+1 {{see existing symbol definition here}}
  %a = snn.input @a : !snn.spikes<2>
  // expected-error @+1 {{redefinition of symbol named 'a'}}
  %b = snn.input @a : !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-error @+1 {{needs the network's 'dt' to turn 'rate' into a probability per step}}
  %a = snn.poisson_source @a {rate = 10.0 : f64} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-2 : f64} {
  // expected-error @+1 {{'rate' * dt = 2.000000e+00 exceeds one spike per step}}
  %a = snn.poisson_source @a {rate = 200.0 : f64} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-2 : f64} {
  // expected-error @+1 {{'group' must be >= 1 Poisson trains per channel, got 0}}
  %a = snn.poisson_source @a {rate = 8.0 : f64, group = 0 : i64} : !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-error @+1 {{'phase' must be in [0, 4), got 4}}
  %a = snn.periodic_source @a {period = 4 : i64, phase = 4 : i64} : !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-error @+1 {{event 1: channel 2 out of range (2 channels)}}
  %a = snn.file_source @a {events = dense<[[0, 1], [5, 2]]> : tensor<2x2xi64>} : !snn.spikes<2>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<2>
  // expected-error @+1 {{target must be a population}}
  snn.probe %a {kind = #snn.probe_kind<spikes>} : !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-error @+1 {{has 1 cores but 3 slice boundaries (expected one more)}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>, slices = array<i64: 0, 1, 3>, cores = array<i64: 0>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{spike vector dimensions must be > 0, got 0}}
  %a = snn.input @a : !snn.spikes<0>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<2>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{'bias' has 1 values but post has 2 neurons}}
  snn.projection @p %a -> %b {connectivity = #snn.one_to_one<1.0>, bias = array<f64: 1.0>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'v_th' = -6.000000e-02 must be > v_reset = -5.000000e-02 (neuron 1)}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = array<f64: -0.04, -0.06>, v_reset = -0.05>} : !snn.spikes<2>
}

// -----

// A size product is checked before it can wrap: 2^32 x 2^32 is not 0.
snn.network @n {
  // expected-error @+1 {{spike vector has more than 4294967295 neurons (indices are 32-bit)}}
  %a = snn.input @a : !snn.spikes<4294967296x4294967296>
}

// -----

// NaN and infinities are refused in every real parameter (NaN passes no
// comparison: the chip would fire every neuron every step).
snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'bias' must be finite, got nan}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0x7FF8000000000000 : f64>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'tau_mem' must be finite, got INF}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 0x7FF0000000000000 : f64, v_th = 1.0>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'v_th' must be finite, got nan (neuron 1)}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = array<f64: 1.0, 0x7FF8000000000000, 1.0>>} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'v_leak' must be finite, got -INF}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, v_leak = 0xFFF0000000000000 : f64>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{parameter 'bias' must be finite, got nan}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0, bias = 0x7FF8000000000000 : f64>} : !snn.spikes<3>
}

// -----

// expected-error @+1 {{'dt' must be finite and > 0, got INF}}
snn.network @n attributes {dt = 0x7FF0000000000000 : f64} {
}

// -----

// Spike files and the chip image name every population and source.
snn.network @n {
  // expected-error @+1 {{needs a name: spike files and the chip image name every population, source and projection}}
  %a = snn.input @"" : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-note @+1 {{the other use of "a"}}
  %a = snn.input @a : !snn.spikes<3>
  // expected-error @+1 {{records as "a", a name already taken}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>, record_as = ["a"]} : !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<4>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<4>
  // expected-error @+1 {{conv2d stride and dilation must be in [1, 4294967295], padding in [0, 4294967295]}}
  snn.projection @p %a -> %b {connectivity = #snn.conv2d<kernel = dense<1.0> : tensor<1x1x1x1xf64>, stride = [4294967297, 1], padding = [0, 0], dilation = [1, 1], in_shape = [1, 2, 2]>} : !snn.spikes<4> -> !snn.spikes<4>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @iz: parameter 'a' must be in (0, 1] (1/ms), got -2.000000e-02}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = -2.0e-2>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @iz: parameter 'c' must be below the 30 mV spike peak, got 3.500000e+01 (neuron 1)}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<c = array<f64: -65.0, 35.0>>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @iz: parameter 'bias' has 3 values but the population has 2 neurons}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = array<f64: 1.0, 2.0, 3.0>>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @iz: parameter 'd' must be finite, got nan}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<d = 0x7FF8000000000000 : f64>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-4 : f64} {
  // expected-error @+1 {{population @iz: model 'izhikevich' steps 1 ms at a time (its neurocore program's Euler step), but network @n has dt = 1.000000e-04 s}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = 10.0>} : !snn.spikes<2>
}

// -----

snn.network @n {
  // expected-error @+1 {{population @iz: model 'izhikevich' steps 1 ms at a time, but network @n has no 'dt' (give dt = 1.0e-3)}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = 10.0>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @iz: model 'izhikevich' takes #snn.izhikevich parameters, got #snn.continuous<tau_mem = 2.000000e-02, v_th = 1.000000e+00>}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @p: #snn.izhikevich parameters need model 'izhikevich', got 'lif'}}
  %p = snn.population @p {model = #snn.model<lif>, params = #snn.izhikevich<bias = 10.0>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{model 'adaptive_lif' needs parameter 'tau_a'}}
  %p = snn.population @p {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, beta = 1.8>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'tau_a' must be > 0, got -2.000000e-01 (neuron 1)}}
  %p = snn.population @p {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, beta = 1.8, tau_a = array<f64: 0.2, -0.2>>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @p: parameter 'beta' belongs to model 'adaptive_lif', not 'lif'}}
  %p = snn.population @p {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, beta = 1.8>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @p: model 'adaptive_lif' resets v to zero; reset = subtract is not available}}
  %p = snn.population @p {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, tau_a = 0.2, beta = 1.8, reset = subtract>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'decay_a' must be in [0, 1], got 2.000000e+00}}
  %p = snn.population @p {model = #snn.model<adaptive_lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 5.0e-2, v_th = 1.0, decay_a = 2.0, jump = 5.0e-3, beta = 1.8>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{model 'adaptive_lif' needs parameter 'jump'}}
  %p = snn.population @p {model = #snn.model<adaptive_lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 8192, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7, decay_a = 20, beta = 461>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @p: parameter 'decay_a' belongs to model 'adaptive_lif', not 'cuba_lif'}}
  %p = snn.population @p {model = #snn.model<cuba_lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 8192, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7, decay_a = 20>} : !snn.spikes<2>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number weight has standard deviation -1.000000e+00; it must be >= 0}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<in_degree = 1, seed = 1, weight = #snn.normal<mean = 1.0, std = -1.0>>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_prob delay has low 5.000000e+00 above high 2.000000e+00}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_prob<p = 0.5, seed = 1, weight = 1.0, delay = #snn.uniform<low = 5.0, high = 2.0>>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_number delay must be #snn.normal, #snn.lognormal or #snn.uniform with numbers for fields, got 3}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_number<in_degree = 1, seed = 1, weight = 1.0, delay = 3>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n {
  %a = snn.input @a : !snn.spikes<3>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<3>
  // expected-error @+1 {{fixed_prob weight must be #snn.normal, #snn.lognormal or #snn.uniform with numbers for fields}}
  snn.projection @p %a -> %b {connectivity = #snn.fixed_prob<p = 0.5, seed = 1, weight = #snn.uniform<low = array<f64: 1.0>, high = 2.0>>} : !snn.spikes<3> -> !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @b: 'initial' sets 'u', but model 'lif' starts from v only}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, initial = {u = 1.0}} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @b: initial 'v' has 2 values but the population has 3 neurons}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, initial = {v = array<f64: 0.5, 0.25>}} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @b: initial 'v' must be finite, got INF (neuron 1)}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, initial = {v = array<f64: 0.5, 0x7FF0000000000000>}} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @b: initial 'v' must be a number, an array<f64> or a distribution, got "rest"}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, initial = {v = "rest"}} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @b: initial 'v' has standard deviation -1.000000e+00; it must be >= 0}}
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, initial = {v = #snn.normal<mean = 0.0, std = -1.0>}} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population @iz: 'initial' sets 'w', but model 'izhikevich' starts from v and u only}}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 2.0e-2>, initial = {w = 1.0}} : !snn.spikes<2>
}
