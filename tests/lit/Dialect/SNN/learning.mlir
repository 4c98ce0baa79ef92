// RUN: cajal-opt %s | FileCheck %s
// RUN: cajal-opt %s | cajal-opt | FileCheck %s
// Learning projections: a rule written out with its traces, the library
// rules, a reward projection, the network's epoch and seed; each prints as
// it was written and parses back.

// CHECK: snn.network @stdp attributes {dt = 1.000000e-03 : f64, learning_epoch = 4 : i64, learning_seed = 7 : i64}
snn.network @stdp attributes {dt = 1.0e-3 : f64, learning_epoch = 4 : i64, learning_seed = 7 : i64} {
  %in = snn.poisson_source @in {rate = 15.0 : f64, seed = 1 : i64} : !snn.spikes<4>
  %out = snn.population @out {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<2>
  // Post traces are the population's: @triplet and @eligible, whose y
  // traces differ from @written's (which @pair shares), learn onto others.
  %out2 = snn.population @out2 {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<2>
  %out3 = snn.population @out3 {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<2>
  %teacher = snn.input @teacher : !snn.spikes<2>
  // CHECK: snn.projection @written
  // CHECK-SAME: learning = #snn.learning<rule = "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0", x1 = <impulse = 1.650000e+01, tau = 2.000000e+01>, y1 = <impulse = 1.600000e+01, tau = 2.000000e+01>>
  snn.projection @written %in -> %out {connectivity = #snn.dense<dense<0.5> : tensor<2x4xf64>>,
      learning = #snn.learning<rule = "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0",
                               x1 = #snn.trace<impulse = 16.5, tau = 20.0>,
                               y1 = #snn.trace<impulse = 16.0, tau = 20.0>>}
      : !snn.spikes<4> -> !snn.spikes<2>
  // CHECK: snn.projection @pair
  // CHECK-SAME: learning = #snn.pair_stdp<a_plus = 6.250000e-02, a_minus = 7.812500e-02, tau_plus = 2.000000e+01, tau_minus = 2.000000e+01>
  snn.projection @pair %in -> %out {connectivity = #snn.dense<dense<0.5> : tensor<2x4xf64>>,
      learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 7.8125e-2, tau_plus = 20.0, tau_minus = 20.0>}
      : !snn.spikes<4> -> !snn.spikes<2>
  // CHECK: snn.projection @triplet
  // CHECK-SAME: learning = #snn.triplet_stdp<a2_plus = 6.250000e-02, a3_plus = 3.906250e-03, a2_minus = 6.250000e-02, a3_minus = 0.000000e+00, tau_plus = 1.700000e+01, tau_minus = 2.000000e+01, tau_x = 1.010000e+02, tau_y = 1.250000e+02, impulse = 8.000000e+00>
  snn.projection @triplet %in -> %out2 {connectivity = #snn.dense<dense<0.5> : tensor<2x4xf64>>,
      learning = #snn.triplet_stdp<a2_plus = 6.25e-2, a3_plus = 3.90625e-3, a2_minus = 6.25e-2, a3_minus = 0.0,
                                   tau_plus = 17.0, tau_minus = 20.0, tau_x = 101.0, tau_y = 125.0, impulse = 8.0>}
      : !snn.spikes<4> -> !snn.spikes<2>
  // CHECK: snn.projection @eligible
  // CHECK-SAME: learning = #snn.reward_stdp<a_plus = 6.250000e-02, a_minus = 6.250000e-02, tau_plus = 2.000000e+01, tau_minus = 2.000000e+01, learning_rate = 3.125000e-02, tag_decay = 1.250000e-01>
  snn.projection @eligible %in -> %out3 {connectivity = #snn.dense<dense<0.5> : tensor<2x4xf64>>,
      learning = #snn.reward_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, tau_plus = 20.0, tau_minus = 20.0,
                                  learning_rate = 3.125e-2, tag_decay = 1.25e-1>}
      : !snn.spikes<4> -> !snn.spikes<2>
  // CHECK: snn.projection @reward
  // CHECK-SAME: reward
  snn.projection @reward %teacher -> %out3 {connectivity = #snn.one_to_one<1.0>, reward}
      : !snn.spikes<2> -> !snn.spikes<2>
}
