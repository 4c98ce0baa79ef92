// RUN: cajal-opt %s -canonicalize | FileCheck %s
// Projections that can never deliver a weight are erased; repeated probes
// are merged; everything else is kept as it is.

// CHECK-LABEL: snn.network @net
snn.network @net {
  %a = snn.input @a : !snn.spikes<2>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0>} : !snn.spikes<2>
  // CHECK-NOT: @p_zero
  snn.projection @p_zero %a -> %b {connectivity = #snn.fixed_prob<p = 0.0, seed = 1, weight = 1.0>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK-NOT: @number_zero
  snn.projection @number_zero %a -> %b {connectivity = #snn.fixed_number<in_degree = 0, seed = 1, weight = 1.0>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK-NOT: @number_weightless
  snn.projection @number_weightless %a -> %b {connectivity = #snn.fixed_number<total = 3, seed = 1, weight = 0.0>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK: snn.projection @number_live
  snn.projection @number_live %a -> %b {connectivity = #snn.fixed_number<total = 1, seed = 1, weight = 1.0>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK-NOT: @dense_zero
  snn.projection @dense_zero %a -> %b {connectivity = #snn.dense<dense<0.0> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK-NOT: @o2o_zero
  snn.projection @o2o_zero %a -> %b {connectivity = #snn.one_to_one<array<f64: 0.0, 0.0>>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK-NOT: @sparse_empty
  snn.projection @sparse_empty %a -> %b {connectivity = #snn.sparse<pre = dense<> : tensor<0xi64>, post = dense<> : tensor<0xi64>, weights = dense<> : tensor<0xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
  // A zero-weight projection with a bias still drives its post population.
  // CHECK: snn.projection @bias_only
  snn.projection @bias_only %a -> %b {connectivity = #snn.one_to_one<0.0>, bias = array<f64: 1.0, 2.0>} : !snn.spikes<2> -> !snn.spikes<2>
  // CHECK: snn.projection @live
  snn.projection @live %a -> %b {connectivity = #snn.dense<dense<[[0.0, 1.0], [0.0, 0.0]]> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
  // A blob whose data is not known is never assumed zero.
  // CHECK: snn.projection @elided
  snn.projection @elided %a -> %b {connectivity = #snn.dense<dense_resource<__elided__> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>

  // CHECK: snn.probe %{{.*}} {kind = #snn.probe_kind<spikes>}
  // CHECK-NEXT: snn.probe %{{.*}} {kind = #snn.probe_kind<state>}
  // CHECK-NOT: snn.probe
  snn.probe %b {kind = #snn.probe_kind<spikes>} : !snn.spikes<2>
  snn.probe %b {kind = #snn.probe_kind<state>} : !snn.spikes<2>
  snn.probe %b {kind = #snn.probe_kind<spikes>} : !snn.spikes<2>
  snn.probe %b {kind = #snn.probe_kind<state>} : !snn.spikes<2>
}
