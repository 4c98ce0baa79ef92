// RUN: cajal-opt %s --split-input-file --convert-snn-to-nc=profile=loihi1 -verify-diagnostics -mlir-print-op-on-diagnostic=false | FileCheck %s
// A partitioned network (the output of snn-partition) becomes an nc.chip.

#li = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @big {
  %in = snn.input @in : !snn.spikes<100>
  %e = snn.population @e {cores = array<i64: 0, 1>, model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>, slices = array<i64: 0, 1024, 1500>} : !snn.spikes<1500>
  %o = snn.population @o {cores = array<i64: 1>, model = #snn.model<li>, params = #li, slices = array<i64: 0, 10>} : !snn.spikes<10>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 0.1, seed = 1, weight = 128>, weight_exponent = 6 : i64} : !snn.spikes<100> -> !snn.spikes<1500>
  snn.projection @e_o %e -> %o {connectivity = #snn.fixed_prob<p = 0.2, seed = 2, weight = 255>, weight_exponent = 7 : i64} : !snn.spikes<1500> -> !snn.spikes<10>
}
// CHECK-LABEL: nc.chip @big_chip attributes {network = @big, profile = "loihi1"} {
// CHECK-NEXT:    nc.core @c0 {
// CHECK-NEXT:      nc.compartments @big::@e [0, 1024) {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>}
// CHECK-NEXT:      nc.synapses @big::@in_e from [0, 100) to [0, 1024) {axons = 100 : i64}
// CHECK-NEXT:    }
// CHECK-NEXT:    nc.core @c1 {
// CHECK-NEXT:      nc.compartments @big::@e [1024, 1500)
// CHECK-NEXT:      nc.compartments @big::@o [0, 10) {model = #snn.model<li>
// CHECK-NEXT:      nc.synapses @big::@in_e from [0, 100) to [1024, 1500) {axons = 100 : i64}
// CHECK-NEXT:      nc.synapses @big::@e_o from [0, 1500) to [0, 10) {axons = [[AXONS:[0-9]+]] : i64}
// CHECK-NEXT:    }
// Traffic: the pre neurons of @e_o on core 0 and on core 1 send their axons
// to core 1 (the numbers follow from the seeded fixed_prob rule).
// CHECK-NEXT:    nc.route @c0 -> @c1 {axons = [[A01:[0-9]+]] : i64}
// CHECK-NEXT:    nc.route @c1 -> @c1 {axons = [[A11:[0-9]+]] : i64}
// CHECK-NEXT:  }

// -----

// Per-neuron parameters are cut to each slice.
snn.network @small {
  %in = snn.input @in : !snn.spikes<3>
  %e = snn.population @e {cores = array<i64: 0>, model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = array<i64: 100, 200, 300>, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>, slices = array<i64: 0, 3>} : !snn.spikes<3>
  snn.projection @in_e %in -> %e {connectivity = #snn.one_to_one<5>, weight_exponent = 0 : i64} : !snn.spikes<3> -> !snn.spikes<3>
}
// CHECK-LABEL: nc.chip @small_chip
// CHECK: nc.compartments @small::@e [0, 3) {{{.*}}vth_mant = array<i64: 100, 200, 300>
// CHECK-NEXT: nc.synapses @small::@in_e from [0, 3) to [0, 3) {axons = 3 : i64}

// -----

snn.network @n {
  // expected-error @+1 {{has no 'slices' and 'cores'; run snn-partition first}}
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 1, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>} : !snn.spikes<3>
}

// -----

// Hand-written slices are taken as given (no re-partitioning): two cores.
snn.network @hand {
  %e = snn.population @e {cores = array<i64: 0, 1>, model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 1, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>, slices = array<i64: 0, 1, 3>} : !snn.spikes<3>
}
// CHECK-LABEL: nc.chip @hand_chip
// CHECK-NEXT:    nc.core @c0 {
// CHECK-NEXT:      nc.compartments @hand::@e [0, 1) {
// CHECK-NEXT:    {{^    }$}}
// CHECK-NEXT:    nc.core @c1 {
// CHECK-NEXT:      nc.compartments @hand::@e [1, 3) {
// CHECK-NEXT:    {{^    }$}}
// CHECK-NEXT:  {{^  }$}}

// -----

// expected-error @+1 {{core 1 holds no slice; cores must be numbered 0..2}}
snn.network @n {
  %e = snn.population @e {cores = array<i64: 0, 2>, model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 1, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>, slices = array<i64: 0, 1, 3>} : !snn.spikes<3>
}

// -----

snn.network @n {
  // expected-error @+1 {{core 0 (population "e" from neuron 0) needs 1500 compartments; a core has 1024}}
  %e = snn.population @e {cores = array<i64: 0>, model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 1, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>, slices = array<i64: 0, 1500>} : !snn.spikes<1500>
}
