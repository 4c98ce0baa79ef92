// RUN: cajal-opt %s --snn-discretize --snn-quantize=profile=loihi2 -mlir-print-op-on-diagnostic=false 2>/dev/null | FileCheck %s
// Izhikevich and adaptive LIF through snn-discretize and snn-quantize on a
// programmable profile (docs/mapping.md, "Neurocore programs").

// CHECK-LABEL: snn.network @models
snn.network @models attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  // Izhikevich keeps its parameters; v counts 2^12 units per mV, and a
  // weight of 1.5 mV/ms is 1.5 * 4096 = 6144 = 192 << (6 + -1) units.
  // CHECK: snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = 1.000000e+01>, voltage_scale = 4.096000e+03 : f64}
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = 10.0>} : !snn.spikes<2>
  // CHECK: snn.projection @in_iz {{.*}} {connectivity = #snn.one_to_one<192>, quant_error = 0.000000e+00 : f64, weight_exponent = -1 : i64}
  snn.projection @in_iz %in -> %iz {connectivity = #snn.one_to_one<1.5>} : !snn.spikes<2> -> !snn.spikes<2>
  // Adaptive LIF: decay_a = round((1 - exp(-1/200)) 4096) = 20, jump =
  // round((1 - exp(-1/200)) 65536) = 327, beta = round(1.8 s 2^8 / 2^16)
  // = 7373 with the population's scale s = 1,048,568 (v_th = 1).
  // CHECK: snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 0, vmin_exp = 31, vmax_exp = 7, decay_a = 20, jump = 327, beta = 7373>, voltage_scale = 0x412FFFF000000000 : f64}
  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, tau_a = 2.0e-1, beta = 1.8>} : !snn.spikes<2>
}
