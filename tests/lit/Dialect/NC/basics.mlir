// RUN: cajal-opt %s | FileCheck %s
// RUN: cajal-opt %s | cajal-opt | FileCheck %s
// RUN: cajal-opt %s -mlir-print-op-generic | cajal-opt | FileCheck %s
// Round trip of every nc op, with the snn.network it refers to.

snn.network @net {
  %in = snn.input @in : !snn.spikes<100>
  %exc = snn.population @exc {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = array<i64: 10, 11, 12, 13>, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>} : !snn.spikes<4>
  snn.projection @in_exc %in -> %exc {connectivity = #snn.fixed_prob<p = 0.5, seed = 1, weight = 3>, weight_exponent = 0 : i64} : !snn.spikes<100> -> !snn.spikes<4>
  snn.projection @ee %exc -> %exc {connectivity = #snn.one_to_one<5>, weight_exponent = 1 : i64} : !snn.spikes<4> -> !snn.spikes<4>
}

// CHECK-LABEL: nc.chip @chip attributes {network = @net, profile = "loihi1"} {
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // CHECK-NEXT: nc.core @c0 attributes {slot = 0 : i64, x = 0 : i64, y = 0 : i64} {
  nc.core @c0 attributes {x = 0 : i64, y = 0 : i64, slot = 0 : i64} {
    // CHECK-NEXT: nc.compartments @net::@exc [0, 2) {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = array<i64: 10, 11>, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>}
    nc.compartments @net::@exc [0, 2) {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = array<i64: 10, 11>, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>}
    // CHECK-NEXT: nc.synapses @net::@in_exc from [0, 100) to [0, 2) {axons = 100 : i64, words = 50 : i64}
    nc.synapses @net::@in_exc from [0, 100) to [0, 2) {axons = 100 : i64, words = 50 : i64}
    // CHECK-NEXT: nc.synapses @net::@ee from [0, 2) to [0, 2)
    nc.synapses @net::@ee from [0, 2) to [0, 2)
  }
  // CHECK-NEXT: }
  // CHECK-NEXT: nc.core @c1 {
  nc.core @c1 {
    nc.compartments @net::@exc [2, 4) {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = array<i64: 12, 13>, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>}
  }
  // CHECK: nc.route @c0 -> @c1 {axons = 2 : i64, hops = 1 : i64}
  nc.route @c0 -> @c1 {axons = 2 : i64, hops = 1 : i64}
  // CHECK-NEXT: nc.route @c1 -> @c0 {axons = 2 : i64}
  nc.route @c1 -> @c0 {axons = 2 : i64}
}

// A chip may stand alone (nothing to resolve its references against).
// CHECK-LABEL: nc.chip @empty
nc.chip @empty attributes {network = @other, profile = "my/profile.json"} {
}
