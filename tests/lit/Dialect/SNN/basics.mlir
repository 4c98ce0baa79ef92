// RUN: cajal-opt %s | FileCheck %s
// RUN: cajal-opt %s | cajal-opt | FileCheck %s
// RUN: cajal-opt %s -mlir-print-op-generic | cajal-opt | FileCheck %s
// Round trip of every snn op, attribute and type.

// CHECK-LABEL: snn.network @net attributes {dt = 1.000000e-03 : f64} {
snn.network @net attributes {dt = 1.0e-3 : f64} {
  // CHECK-NEXT: %[[IN:.*]] = snn.input @in : !snn.spikes<4>
  %in = snn.input @in : !snn.spikes<4>
  // CHECK-NEXT: snn.poisson_source @noise {rate = 2.000000e+01 : f64, seed = 7 : i64} : !snn.spikes<3>
  %noise = snn.poisson_source @noise {rate = 20.0 : f64, seed = 7 : i64} : !snn.spikes<3>
  // A group of 1,600 trains per channel may send several spikes per step.
  // CHECK-NEXT: snn.poisson_source @bg {group = 1600 : i64, rate = 8.000000e+00 : f64, seed = 3 : i64} : !snn.spikes<4>
  %bg = snn.poisson_source @bg {rate = 8.0 : f64, group = 1600 : i64, seed = 3 : i64} : !snn.spikes<4>
  // CHECK-NEXT: snn.periodic_source @clk {period = 10 : i64, phase = 3 : i64} : !snn.spikes<2>
  %clk = snn.periodic_source @clk {period = 10 : i64, phase = 3 : i64} : !snn.spikes<2>
  // CHECK-NEXT: snn.file_source @stim {events = dense<{{\[\[}}0, 1], [3, 0]]> : tensor<2x2xi64>} : !snn.spikes<2>
  %stim = snn.file_source @stim {events = dense<[[0, 1], [3, 0]]> : tensor<2x2xi64>} : !snn.spikes<2>
  // CHECK-NEXT: %[[EXC:.*]] = snn.population @exc {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 2.000000e-02, tau_syn = 5.000000e-03, v_th = array<f64: 1.000000e+00, 1.500000e+00, 1.000000e+00, 2.000000e+00>, t_ref = 2.000000e-03, reset = subtract>} : !snn.spikes<4>
  %exc = snn.population @exc {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3, v_th = array<f64: 1.0, 1.5, 1.0, 2.0>, t_ref = 2.0e-3, reset = subtract>} : !snn.spikes<4>
  // CHECK-NEXT: snn.population @disc {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 5.000000e-02, v_th = 1.000000e+00, refractory = 2>} : !snn.spikes<4>
  %disc = snn.population @disc {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 5.0e-2, v_th = 1.0, refractory = 2>} : !snn.spikes<4>
  // CHECK-NEXT: snn.population @quant {model = #snn.model<li>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 0, bias_mant = array<i64: -3, 4>, bias_exp = 1, refractory = 1, vmin_exp = 23, vmax_exp = 7>, voltage_scale = 6.400000e+01 : f64} : !snn.spikes<2>
  %quant = snn.population @quant {model = #snn.model<li>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 0, bias_mant = array<i64: -3, 4>, bias_exp = 1, refractory = 1, vmin_exp = 23, vmax_exp = 7>, voltage_scale = 64.0 : f64} : !snn.spikes<2>
  // CHECK-NEXT: %[[MAP:.*]] = snn.population @map {cores = array<i64: 0, 1>, model = #snn.model<if>, params = #snn.continuous<v_th = 1.000000e+00>, slices = array<i64: 0, 4, 8>} : !snn.spikes<8x1>
  %map = snn.population @map {model = #snn.model<if>, params = #snn.continuous<v_th = 1.0>, slices = array<i64: 0, 4, 8>, cores = array<i64: 0, 1>} : !snn.spikes<8x1>
  // CHECK-NEXT: %[[FMAP:.*]] = snn.population @fmap {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.000000e-02, v_th = 1.000000e+00>} : !snn.spikes<2x4x3>
  %fmap = snn.population @fmap {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2x4x3>

  // CHECK-NEXT: snn.projection @dense %[[IN]] -> %[[EXC]] {connectivity = #snn.dense<dense<{{.*}}> : tensor<4x4xf64>>, delay = 2 : i64} : !snn.spikes<4> -> !snn.spikes<4>
  snn.projection @dense %in -> %exc {connectivity = #snn.dense<dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.5, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, -1.0]]> : tensor<4x4xf64>>, delay = 2 : i64} : !snn.spikes<4> -> !snn.spikes<4>
  // CHECK-NEXT: snn.projection @blob %[[IN]] -> %[[EXC]] {connectivity = #snn.dense<dense_resource<w_blob> : tensor<4x4xf32>>} : !snn.spikes<4> -> !snn.spikes<4>
  snn.projection @blob %in -> %exc {connectivity = #snn.dense<dense_resource<w_blob> : tensor<4x4xf32>>} : !snn.spikes<4> -> !snn.spikes<4>
  // CHECK-NEXT: snn.projection @sparse %[[EXC]] -> %[[EXC]] {connectivity = #snn.sparse<pre = dense<[0, 1]> : tensor<2xi64>, post = dense<[1, 0]> : tensor<2xi64>, weights = dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf64>, delays = dense<[1, 3]> : tensor<2xi64>>} : !snn.spikes<4> -> !snn.spikes<4>
  snn.projection @sparse %exc -> %exc {connectivity = #snn.sparse<pre = dense<[0, 1]> : tensor<2xi64>, post = dense<[1, 0]> : tensor<2xi64>, weights = dense<[1.0, -1.0]> : tensor<2xf64>, delays = dense<[1, 3]> : tensor<2xi64>>} : !snn.spikes<4> -> !snn.spikes<4>
  // CHECK-NEXT: snn.projection @o2o %[[IN]] -> %[[EXC]] {bias = array<f64: 1.000000e-01, 0.000000e+00, 0.000000e+00, 0.000000e+00>, connectivity = #snn.one_to_one<array<f64: 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00>>} : !snn.spikes<4> -> !snn.spikes<4>
  snn.projection @o2o %in -> %exc {connectivity = #snn.one_to_one<array<f64: 1.0, 2.0, 3.0, 4.0>>, bias = array<f64: 0.1, 0.0, 0.0, 0.0>} : !snn.spikes<4> -> !snn.spikes<4>
  // CHECK-NEXT: snn.projection @rand {{.*}} {connectivity = #snn.fixed_prob<p = 1.000000e-01, seed = 42, weight = 5.000000e-01, allow_self = false>} : !snn.spikes<3> -> !snn.spikes<8x1>
  snn.projection @rand %noise -> %map {connectivity = #snn.fixed_prob<p = 0.1, seed = 42, weight = 0.5, allow_self = false>} : !snn.spikes<3> -> !snn.spikes<8x1>
  // CHECK-NEXT: snn.projection @indeg {{.*}} {connectivity = #snn.fixed_number<in_degree = 2, seed = 7, weight = 2.500000e-01>} : !snn.spikes<3> -> !snn.spikes<8x1>
  snn.projection @indeg %noise -> %map {connectivity = #snn.fixed_number<in_degree = 2, seed = 7, weight = 0.25>} : !snn.spikes<3> -> !snn.spikes<8x1>
  // CHECK-NEXT: snn.projection @total {{.*}} {connectivity = #snn.fixed_number<total = 5, seed = 3, weight = -1.000000e+00, allow_self = false, allow_multapses = false>} : !snn.spikes<8x1> -> !snn.spikes<8x1>
  snn.projection @total %map -> %map {connectivity = #snn.fixed_number<total = 5, seed = 3, weight = -1.0, allow_self = false, allow_multapses = false>} : !snn.spikes<8x1> -> !snn.spikes<8x1>
  // CHECK-NEXT: snn.projection @outdeg {{.*}} {connectivity = #snn.fixed_number<out_degree = 8, seed = 1, weight = 1.000000e+00, allow_multapses = true>} : !snn.spikes<3> -> !snn.spikes<8x1>
  snn.projection @outdeg %noise -> %map {connectivity = #snn.fixed_number<out_degree = 8, seed = 1, weight = 1.0, allow_multapses = true>} : !snn.spikes<3> -> !snn.spikes<8x1>
  // CHECK-NEXT: snn.projection @drawn {{.*}} {connectivity = #snn.fixed_number<in_degree = 2, seed = 7, weight = #snn.normal<mean = 2.500000e-01, std = 2.500000e-02, low = 0.000000e+00>, delay = #snn.uniform<low = 5.000000e-01, high = 4.500000e+00>>} : !snn.spikes<3> -> !snn.spikes<8x1>
  snn.projection @drawn %noise -> %map {connectivity = #snn.fixed_number<in_degree = 2, seed = 7, weight = #snn.normal<mean = 0.25, std = 0.025, low = 0.0>, delay = #snn.uniform<low = 0.5, high = 4.5>>} : !snn.spikes<3> -> !snn.spikes<8x1>
  // CHECK-NEXT: snn.projection @drawn_prob {{.*}} {connectivity = #snn.fixed_prob<p = 5.000000e-01, seed = 2, weight = #snn.lognormal<mu = -2.000000e+00, sigma = 5.000000e-01, high = 1.000000e+00>, delay = #snn.normal<mean = 3.000000e+00, std = 1.000000e+00, low = 1.000000e+00, high = 5.000000e+00>>} : !snn.spikes<3> -> !snn.spikes<8x1>
  snn.projection @drawn_prob %noise -> %map {connectivity = #snn.fixed_prob<p = 0.5, seed = 2, weight = #snn.lognormal<mu = -2.0, sigma = 0.5, high = 1.0>, delay = #snn.normal<mean = 3.0, std = 1.0, low = 1.0, high = 5.0>>} : !snn.spikes<3> -> !snn.spikes<8x1>
  // CHECK-NEXT: snn.projection @conv %[[MAP]] -> %[[FMAP]] {connectivity = #snn.conv2d<kernel = dense<1.000000e+00> : tensor<2x1x2x1xf64>, stride = [2, 1], padding = [0, 1], dilation = [1, 1], in_shape = [1, 8, 1]>} : !snn.spikes<8x1> -> !snn.spikes<2x4x3>
  snn.projection @conv %map -> %fmap {connectivity = #snn.conv2d<kernel = dense<1.0> : tensor<2x1x2x1xf64>, stride = [2, 1], padding = [0, 1], dilation = [1, 1], in_shape = [1, 8, 1]>} : !snn.spikes<8x1> -> !snn.spikes<2x4x3>
  // CHECK-NEXT: snn.projection @q %[[IN]] -> %[[EXC]] {connectivity = #snn.one_to_one<12>, quant_error = 1.000000e-02 : f64, weight_exponent = -2 : i64} : !snn.spikes<4> -> !snn.spikes<4>
  snn.projection @q %in -> %exc {connectivity = #snn.one_to_one<12>, weight_exponent = -2 : i64, quant_error = 0.01 : f64} : !snn.spikes<4> -> !snn.spikes<4>

  // CHECK-NEXT: snn.probe %[[EXC]] {kind = #snn.probe_kind<spikes>} : !snn.spikes<4>
  snn.probe %exc {kind = #snn.probe_kind<spikes>} : !snn.spikes<4>
  // CHECK-NEXT: snn.probe %[[EXC]] {kind = #snn.probe_kind<state>} : !snn.spikes<4>
  snn.probe %exc {kind = #snn.probe_kind<state>} : !snn.spikes<4>
}

// A recurrent network: the projection uses %e before its definition (graph
// region), and a network without dt is fine when nothing is continuous.
// CHECK-LABEL: snn.network @rec {
snn.network @rec {
  // CHECK-NEXT: snn.projection @ee %[[E:.*]] -> %[[E]]
  snn.projection @ee %e -> %e {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<8> -> !snn.spikes<8>
  // CHECK-NEXT: %[[E]] = snn.population @e
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<8>
}

{-#
  dialect_resources: {
    builtin: {
      w_blob: "0x040000000000803F000000000000000000000000000000000000803F00000000000000000000003F000000000000803F0000000000000000000000000000000000000080BF"
    }
  }
#-}
