// RUN: cajal-opt %s --split-input-file --snn-partition=profile=loihi1 -verify-diagnostics -mlir-print-op-on-diagnostic=false
// The profile's learning limits (loihi1: learning.* in profiles/loihi1.json),
// checked when a network is mapped onto the chip: each error names the
// projection (or the network), the term or trace, the value, the range and
// the profile field. One per split.

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: learning rule "dw = 16 * 2^-8 * x1 * y0": dw term 1: mantissa 16 outside -15..15 (learning.scaleMantissaBits)}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<100>, weight_exponent = 0 : i64,
      learning = #snn.learning<rule = "dw = 16 * 2^-8 * x1 * y0">} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // A library rule is checked as the rule it stands for: 17 * 2^-8.
  // expected-error @+1 {{projection @p: learning rule "dw = 17 * 2^-8 * x1 * y0 - 2^-4 * y1 * x0": dw term 1: mantissa 17 outside -15..15 (learning.scaleMantissaBits)}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<100>, weight_exponent = 0 : i64,
      learning = #snn.pair_stdp<a_plus = 6.640625e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error-re @+1 {{projection @p: learning rule "dw = x1 * x2 * y1 * y2 * y0": dw term 1: 5 factors with its dependency; profile "loihi1" allows 4 {{.*}}}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<100>, weight_exponent = 0 : i64,
      learning = #snn.learning<rule = "dw = x1 * x2 * y1 * y2 * y0">} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // expected-error @+1 {{projection @p: learning x1 (impulse 200, tau 20): trace impulse 200 outside 0..127 (learning.traceBits) on profile "loihi1"}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<100>, weight_exponent = 0 : i64,
      learning = #snn.learning<rule = "dw = 2^-4 * x1 * y0", x1 = #snn.trace<impulse = 200.0, tau = 20.0>>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @n {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  // A time constant below one step would take more than the trace.
  // expected-error @+1 {{projection @p: learning y1 (impulse 8, tau 0.5): trace decay 8192 outside 0..4096 (learning.traceDecayBits) on profile "loihi1"}}
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<100>, weight_exponent = 0 : i64,
      learning = #snn.learning<rule = "dw = -2^-4 * y1 * x0", y1 = #snn.trace<impulse = 8.0, tau = 0.5>>}
      : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
// expected-error @+1 {{network @n: 'learning_epoch' 64 outside [1, 63] steps (learning.maxEpochSteps of profile "loihi1")}}
snn.network @n attributes {learning_epoch = 64 : i64} {
  %in = snn.input @in : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<lif>, params = #lif} : !snn.spikes<2>
  snn.projection @p %in -> %out {connectivity = #snn.one_to_one<100>, weight_exponent = 0 : i64,
      learning = #snn.learning<rule = "dw = 2^-4 * x1 * y0">} : !snn.spikes<2> -> !snn.spikes<2>
}
