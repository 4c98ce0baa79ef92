// RUN: cajal-opt %s --split-input-file --nc-emit-image=path=%t.img -verify-diagnostics -mlir-print-op-on-diagnostic=false

#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %in = snn.input @in : !snn.spikes<4>
  // expected-note @+1 {{the partitioner puts neurons [0, 4) of population 'e' first on that core}}
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
  snn.projection @in_e %in -> %e {connectivity = #snn.one_to_one<5>, weight_exponent = 0 : i64} : !snn.spikes<4> -> !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // A hand-edited chip: the partitioner puts all four neurons on one core.
  // expected-error @+1 {{does not hold the slices the partitioner assigns to core 0}}
  nc.core @c0 attributes {x = 0 : i64, y = 0 : i64, slot = 0 : i64} {
    nc.compartments @net::@e [0, 2) {model = #snn.model<lif>, params = #q}
    nc.compartments @net::@e [2, 4) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // expected-error @+1 {{is not placed; run nc-place first}}
  nc.core @c0 {
    nc.compartments @net::@e [0, 4) {model = #snn.model<lif>, params = #q}
  }
}

// -----

// expected-error @+1 {{nc-emit-image needs exactly one nc.chip, found 0}}
module {
}

// -----

// A core slot the mesh does not have (loihi1: 4 cores per tile) is refused
// with the image loader's own check before anything is written.
#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // expected-error @+1 {{cannot be on the chip of profile loihi1: position (x 0, y 0, slot 9) out of range (mesh 8 x 4 tiles, 4 cores per tile)}}
  nc.core @c0 attributes {x = 0 : i64, y = 0 : i64, slot = 9 : i64} {
    nc.compartments @net::@e [0, 4) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 1, bias_exp = 8, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  // expected-error @+1 {{has compartment parameters the chip cannot hold: biasExponent 8 out of range [0, 7] (profile loihi1)}}
  %e = snn.population @e {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 attributes {x = 0 : i64, y = 0 : i64, slot = 0 : i64} {
    nc.compartments @net::@e [0, 4) {model = #snn.model<lif>, params = #q}
  }
}
