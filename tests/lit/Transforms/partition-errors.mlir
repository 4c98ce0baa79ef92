// RUN: cajal-opt %s --split-input-file --snn-partition -verify-diagnostics -mlir-print-op-on-diagnostic=false

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
// Every neuron of @e listens to 5,000 inputs: more input axons than a core has.
snn.network @wide {
  %in = snn.input @in : !snn.spikes<5000>
  // expected-error @+1 {{population "e" needs 5000 input axons per slice (neuron 0 alone); a core has 4096: reduce the number of distinct pre neurons reaching one neuron (fan-in), or use a profile with core.inputAxons >= 5000 (every neuron of "e" then fits a core alone)}}
  %e = snn.population @e {model = #snn.model<lif>, params = #lif} : !snn.spikes<4>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 1>, weight_exponent = 0 : i64} : !snn.spikes<5000> -> !snn.spikes<4>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{must be quantized (run snn-discretize and snn-quantize) before mapping}}
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<4>
}

// -----

// Values are range-checked where they are read into the chip's fields, never
// truncated: a delay of 2^32 + 1 steps is not 1.
#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<2>
  // expected-error @+1 {{'delay' 4294967297 does not fit [1, 4294967295]}}
  snn.projection @p %in -> %e {connectivity = #snn.one_to_one<1>, weight_exponent = 0 : i64, delay = 4294967297 : i64} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  // expected-error @+1 {{'period' 9223372036854775807 does not fit [1, 4294967295]}}
  %clk = snn.periodic_source @clk {period = 9223372036854775807 : i64} : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<2>
}

// -----

// A file-source spike at step 2^32 is not moved to step 0.
#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  // expected-error @+1 {{event step or channel 4294967296 does not fit [0, 4294967295] (entry 2)}}
  %s = snn.file_source @s {events = dense<[[0, 1], [4294967296, 0]]> : tensor<2x2xi64>} : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<2>
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<2>
  // expected-error @+1 {{'weight_exponent' 300 does not fit [-128, 127]}}
  snn.projection @p %in -> %e {connectivity = #snn.one_to_one<1>, weight_exponent = 300 : i64} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

// A bias exponent the chip cannot hold (loihi1: at most 7) is refused with
// the image loader's own check, on the population.
#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 1, bias_exp = 8, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  // expected-error @+1 {{has compartment parameters the chip cannot hold: biasExponent 8 out of range [0, 7] (profile loihi1)}}
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<2>
}

// -----

// The fit check comes first and costs nothing: a billion neurons are
// refused before any per-neuron work, naming the population and both numbers.
#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  // expected-error @+1 {{population "huge" has 1000000000 neurons; the chip (profile loihi1) has 131072 compartments (128 cores x 1024)}}
  %e = snn.population @huge {model = #snn.model<lif>, params = #q} : !snn.spikes<1000000000>
}

// -----

// A fixed_number rule's synapses are counted before any is drawn: 4,096 x
// 3,000 = 12,288,000 synapses cannot fit loihi1's synapse memory.
#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @many {
  %in = snn.input @in : !snn.spikes<5000>
  %e = snn.population @e {model = #snn.model<lif>, params = #lif} : !snn.spikes<4096>
  // expected-error @+1 {{fixed_number in_degree = 3000 makes 12288000 synapses; the chip (profile loihi1) holds at most 10485760 (128 cores x 16384 words x 5 synapses per word)}}
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_number<in_degree = 3000, seed = 1, weight = 1>, weight_exponent = 0 : i64} : !snn.spikes<5000> -> !snn.spikes<4096>
}

// -----

// A Poisson group's mean count per step is the chip's limit (16 spikes).
#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{source "bg": 'group' * 'rate' * dt = 1.700000e+01 spikes per step on average; a chip's Poisson group sends at most 1.600000e+01 (split the group over several sources, or use a smaller dt)}}
  %bg = snn.poisson_source @bg {rate = 8.5 : f64, group = 2000 : i64} : !snn.spikes<2>
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<2>
  snn.projection @p %bg -> %e {connectivity = #snn.one_to_one<1>, weight_exponent = 0 : i64} : !snn.spikes<2> -> !snn.spikes<2>
}
