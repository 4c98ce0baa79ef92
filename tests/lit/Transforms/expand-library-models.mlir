// RUN: cajal-opt %s --snn-discretize --snn-expand-library-models | FileCheck %s

// snn-expand-library-models writes built-in populations as populations of
// the library's equation models, their discrete parameters as the models'
// parameters: one model per kind, reset and dt.
// CHECK-LABEL: snn.neuron_model @library_lif_zero states(%u = 0.000000e+00, %v = 0.000000e+00, %left = 0.000000e+00 [0.000000e+00, 2.000000e+00]) params(%decay_u = 1.000000e+00, %decay_v = 0.000000e+00, %v_th = 1.000000e+00, %bias = 0.000000e+00, %input_scale = 1.000000e+00, %refractory = 0.000000e+00) input(%i) time_unit 1.000000e-03 solver euler step 1.000000e+00
// CHECK: } reset {
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT: snn.yield %u, %[[ZERO]], %refractory : f64, f64, f64
// The subtract reset keeps the excess over the threshold.
// CHECK-LABEL: snn.neuron_model @library_lif_subtract
// CHECK: } reset {
// CHECK-NEXT: %[[RV:.*]] = arith.subf %v, %v_th : f64
// CHECK-NEXT: snn.yield %u, %[[RV]], %refractory : f64, f64, f64
// CHECK-LABEL: snn.neuron_model @library_izhikevich
// CHECK: } reset {
// CHECK-NEXT: %[[UD:.*]] = arith.addf %u, %d : f64
// CHECK-NEXT: snn.yield %c, %[[UD]] : f64, f64

// The LIF population's decay exp(-1 ms / 20 ms), refractory 2 steps, bias
// per neuron; Izhikevich's initial state v = c, u = b c.
// CHECK-LABEL: snn.network @net
// CHECK: snn.population @lif {model = #snn.model<equations>, params = #snn.equations<@library_lif_zero, {bias = array<f64: {{.*}}>, decay_u = 1.000000e+00 : f64, decay_v = 0.048770575499285{{[0-9]*}} : f64, input_scale = {{.*}}, refractory = 2.000000e+00 : f64, v_th = 1.000000e+00 : f64}>}
// CHECK: snn.population @cuba {model = #snn.model<equations>, params = #snn.equations<@library_lif_subtract,
// CHECK: snn.population @iz {model = #snn.model<equations>, params = #snn.equations<@library_izhikevich, {a = 2.000000e-02 : f64, b = 2.000000e-01 : f64, bias = 1.000000e+01 : f64, c = -5.000000e+01 : f64, d = 2.000000e+00 : f64, u = -1.000000e+01 : f64, v = -5.000000e+01 : f64}>}
snn.network @net attributes {dt = 1.0e-3 : f64} {
  %lif = snn.population @lif {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 2.0e-3, bias = array<f64: 0.8, 1.4>>} : !snn.spikes<2>
  %cuba = snn.population @cuba {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 1.0e-2, tau_syn = 5.0e-3, v_th = 0.5, reset = subtract>} : !snn.spikes<2>
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<c = -50.0, d = 2.0, bias = 10.0>} : !snn.spikes<2>
  snn.projection @lif_cuba %lif -> %cuba {connectivity = #snn.dense<dense<1.0> : tensor<2x2xf64>>} : !snn.spikes<2> -> !snn.spikes<2>
}
