// RUN: cajal-opt %s -canonicalize | FileCheck %s
// Empty slices and synapse ranges and zero-axon routes are dropped; routes
// between the same two cores merge into one.

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %in = snn.input @in : !snn.spikes<4>
  %exc = snn.population @exc {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
  snn.projection @p %in -> %exc {connectivity = #snn.one_to_one<1>, weight_exponent = 0 : i64} : !snn.spikes<4> -> !snn.spikes<4>
}

// CHECK-LABEL: nc.chip @chip
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // CHECK-NEXT: nc.core @c0 {
  nc.core @c0 {
    // CHECK-NEXT: nc.compartments @net::@exc [0, 2)
    nc.compartments @net::@exc [0, 2) {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>}
    // CHECK-NOT: [2, 2)
    nc.compartments @net::@exc [2, 2) {model = #snn.model<lif>, params = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>}
    // CHECK-NEXT: nc.synapses @net::@p from [0, 4) to [0, 2)
    nc.synapses @net::@p from [0, 4) to [0, 2)
    // CHECK-NOT: nc.synapses
    nc.synapses @net::@p from [4, 4) to [0, 2)
    nc.synapses @net::@p from [0, 4) to [1, 1)
  }
  // CHECK-NEXT: }
  nc.core @c1 {
  }
  // CHECK: nc.route @c0 -> @c1 {axons = 7 : i64}
  // CHECK-NEXT: nc.route @c1 -> @c0 {axons = 2 : i64, hops = 1 : i64}
  // CHECK-NEXT: }
  nc.route @c0 -> @c1 {axons = 3 : i64, hops = 1 : i64}
  nc.route @c1 -> @c0 {axons = 2 : i64, hops = 1 : i64}
  nc.route @c1 -> @c1 {axons = 0 : i64}
  nc.route @c0 -> @c1 {axons = 4 : i64}
}
