// RUN: cajal-opt %s | FileCheck %s
// RUN: cajal-opt %s | cajal-opt | FileCheck %s
// RUN: cajal-opt %s -mlir-print-op-generic | cajal-opt | FileCheck %s
// Round trip of the models beyond the LIF family: izhikevich with its
// #snn.izhikevich parameters, adaptive_lif with the adaptation fields of
// each parameter stage.

// CHECK-LABEL: snn.network @models attributes {dt = 1.000000e-03 : f64} {
snn.network @models attributes {dt = 1.0e-3 : f64} {
  // CHECK-NEXT: snn.population @rs {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 2.000000e-02, b = 2.000000e-01, c = -6.500000e+01, d = 8.000000e+00, bias = 1.000000e+01>} : !snn.spikes<2>
  %rs = snn.population @rs {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 2.0e-2, b = 2.0e-1, c = -65.0, d = 8.0, bias = 10.0>} : !snn.spikes<2>
  // CHECK-NEXT: snn.population @fs {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 1.000000e-01, d = 2.000000e+00, bias = array<f64: 5.000000e+00, 1.000000e+01, 1.500000e+01>>, voltage_scale = 4.096000e+03 : f64} : !snn.spikes<3>
  %fs = snn.population @fs {model = #snn.model<izhikevich>, params = #snn.izhikevich<a = 1.0e-1, d = 2.0, bias = array<f64: 5.0, 10.0, 15.0>>, voltage_scale = 4096.0 : f64} : !snn.spikes<3>
  // CHECK-NEXT: snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.000000e-02, v_th = 1.000000e+00, tau_a = 2.000000e-01, beta = 1.800000e+00>} : !snn.spikes<4>
  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, tau_a = 2.0e-1, beta = 1.8>} : !snn.spikes<4>
  // CHECK-NEXT: snn.population @alif_jump {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.000000e-02, v_th = 1.000000e+00, tau_a = 2.000000e-01, beta = array<f64: 1.000000e+00, 2.000000e+00>, jump = 1.000000e+00>} : !snn.spikes<2>
  %alif_jump = snn.population @alif_jump {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, tau_a = 2.0e-1, beta = array<f64: 1.0, 2.0>, jump = 1.0>} : !snn.spikes<2>
  // CHECK-NEXT: snn.population @alif_disc {model = #snn.model<adaptive_lif>, params = #snn.discrete<decay_u = 1.000000e+00, decay_v = 5.000000e-02, v_th = 1.000000e+00, decay_a = 5.000000e-03, jump = 5.000000e-03, beta = 1.800000e+00>} : !snn.spikes<4>
  %alif_disc = snn.population @alif_disc {model = #snn.model<adaptive_lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 5.0e-2, v_th = 1.0, decay_a = 5.0e-3, jump = 5.0e-3, beta = 1.8>} : !snn.spikes<4>
  // CHECK-NEXT: snn.population @alif_quant {model = #snn.model<adaptive_lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 8192, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7, decay_a = 20, jump = 328, beta = -461>, voltage_scale = 6.400000e+01 : f64} : !snn.spikes<4>
  %alif_quant = snn.population @alif_quant {model = #snn.model<adaptive_lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 8192, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7, decay_a = 20, jump = 328, beta = -461>, voltage_scale = 64.0 : f64} : !snn.spikes<4>
  // CHECK-NEXT: snn.projection @p %{{.*}} -> %{{.*}}
  snn.projection @p %rs -> %fs {connectivity = #snn.dense<dense<1.5> : tensor<3x2xf64>>} : !snn.spikes<2> -> !snn.spikes<3>
}
