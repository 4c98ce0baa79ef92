// RUN: cajal-opt %s --snn-quantize=profile=loihi1 -verify-diagnostics -mlir-print-op-on-diagnostic=false | FileCheck %s
// RUN: not cajal-opt %s --snn-quantize=profile=no-such-profile 2>&1 | FileCheck %s --check-prefix=PROFILE
// PROFILE: error: cannot load profile 'no-such-profile':
// loihi1: the largest threshold is min((2^17 - 1) << 6, 2^23 - 1) = 8388544;
// with 3 bits of headroom a threshold of 1.0 gets the scale
// 8388544 / 8 = 1048568 (0x412FFFF000000000), vth_mant = 1048568 / 64 -> 16384.
// A weight 0.5 is 524284 integer units: the smallest exponent whose 8-bit
// mantissa holds it is 6 (524284 / 2^(6 + 6) = 127.999 -> 128).

// CHECK-LABEL: snn.network @net
snn.network @net {
  %in = snn.input @in : !snn.spikes<100>
  // CHECK: snn.population @e {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = {{[0-9]+}}, vmin_exp = {{[0-9]+}}, vmax_exp = {{[0-9]+}}>, voltage_scale = 0x412FFFF000000000 : f64}
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0, input_scale = 1.0>} : !snn.spikes<50>
  // Per-neuron thresholds share the population's scale: 1.0 and 0.5.
  // CHECK: snn.population @pn {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 2048, vth_mant = array<i64: 16384, 8192>
  %pn = snn.population @pn {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = array<f64: 1.0, 0.5>, input_scale = 1.0>} : !snn.spikes<2>

  // expected-remark @+2 {{weights quantized with exponent 6, relative error 7.63e-06}}
  // CHECK: snn.projection @in_e %{{.*}} -> %{{.*}} {connectivity = #snn.fixed_prob<p = 1.000000e-01, seed = 1, weight = 128>, quant_error = 7.{{[0-9]+}}E-6 : f64, weight_exponent = 6 : i64}
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 0.1, seed = 1, weight = 0.5>} : !snn.spikes<100> -> !snn.spikes<50>
  // expected-remark @+2 {{weights quantized with exponent 6, relative error 7.63e-06}}
  // CHECK: snn.projection @in_e_number %{{.*}} -> %{{.*}} {connectivity = #snn.fixed_number<in_degree = 10, seed = 2, weight = 128, allow_self = false>, quant_error = 7.{{[0-9]+}}E-6 : f64, weight_exponent = 6 : i64}
  snn.projection @in_e_number %in -> %e {connectivity = #snn.fixed_number<in_degree = 10, seed = 2, weight = 0.5, allow_self = false>} : !snn.spikes<100> -> !snn.spikes<50>
  // A weight distribution becomes one of mantissas, scaled like a weight of
  // its largest value (0.5 + 6 x 0.05 = 0.8: exponent 6 again, about 256
  // units per unit of weight); the error is that of rounding each draw.
  // expected-remark @+2 {{weight distribution quantized with exponent 6, relative rounding error 0.00224}}
  // CHECK: snn.projection @in_e_drawn %{{.*}} -> %{{.*}} {connectivity = #snn.fixed_number<total = 100, seed = 2, weight = #snn.normal<mean = 127.99{{[0-9]+}}, std = 12.79{{[0-9]+}}, low = 0.000000e+00>, delay = #snn.uniform<low = 5.000000e-01, high = 2.500000e+00>>, quant_error = 0.0022{{[0-9]+}} : f64, weight_exponent = 6 : i64}
  snn.projection @in_e_drawn %in -> %e {connectivity = #snn.fixed_number<total = 100, seed = 2, weight = #snn.normal<mean = 0.5, std = 0.05, low = 0.0>, delay = #snn.uniform<low = 0.5, high = 2.5>>} : !snn.spikes<100> -> !snn.spikes<50>
  // A dense matrix of 5,000 weights leaves the context for a resource blob.
  // expected-remark @+2 {{weights quantized with exponent 6, relative error 7.63e-06}}
  // CHECK: snn.projection @dense {{.*}}connectivity = #snn.dense<dense_resource<net_dense_weights> : tensor<50x100xi32>>
  snn.projection @dense %in -> %e {connectivity = #snn.dense<dense<0.5> : tensor<50x100xf64>>} : !snn.spikes<100> -> !snn.spikes<50>
  // Small matrices stay inline; -0.25 is half of 0.5.
  // expected-remark @+2 {{weights quantized with exponent 6, relative error 7.63e-06}}
  // CHECK: snn.projection @small {{.*}}connectivity = #snn.dense<dense<{{\[\[}}128, -64], [0, 128]]> : tensor<2x2xi32>>, quant_error = {{.*}}, weight_exponent = 6 : i64}
  snn.projection @small %pn -> %pn {connectivity = #snn.dense<dense<[[0.5, -0.25], [0.0, 0.5]]> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK: snn.projection @done {{.*}}weight_exponent = 0 : i64
  snn.projection @done %in -> %e {connectivity = #snn.fixed_prob<p = 0.1, seed = 1, weight = 3>, weight_exponent = 0 : i64} : !snn.spikes<100> -> !snn.spikes<50>
}
// CHECK: dialect_resources
// CHECK-NEXT: builtin: {
// CHECK-NEXT: net_dense_weights: "0x04000000
