// RUN: cajal-opt %s -split-input-file -verify-diagnostics
// Every verifier of the nc dialect, one per split.

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  // expected-note @+1 {{'exc' is declared here}}
  %exc = snn.population @exc {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{slice range [2, 6) exceeds its 4 neurons}}
    nc.compartments @net::@exc [2, 6) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{slice range [3, 1) is not a range}}
    nc.compartments @net::@exc [3, 1) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = array<i64: 1, 2, 3>, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{parameter 'vth_mant' has 3 values but the slice has 2 neurons}}
    nc.compartments @net::@exc [0, 2) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %exc = snn.population @exc {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{references @net::@nope, which is not an snn.population}}
    nc.compartments @net::@nope [0, 1) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %exc = snn.population @exc {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{@other::@exc is not in the chip's network @net}}
    nc.compartments @other::@exc [0, 1) {model = #snn.model<lif>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  // expected-note @+1 {{population 'exc' is declared here}}
  %exc = snn.population @exc {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{model #snn.model<li> differs from the population's #snn.model<lif>}}
    nc.compartments @net::@exc [0, 1) {model = #snn.model<li>, params = #q}
  }
}

// -----

#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  %in = snn.input @in : !snn.spikes<8>
  %exc = snn.population @exc {model = #snn.model<lif>, params = #q} : !snn.spikes<4>
  // expected-note @+1 {{'p' is declared here}}
  snn.projection @p %in -> %exc {connectivity = #snn.one_to_one<1>, weight_exponent = 0 : i64} : !snn.spikes<8> -> !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{pre range [0, 9) exceeds its 8 neurons}}
    nc.synapses @net::@p from [0, 9) to [0, 4)
  }
}

// -----

nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    // expected-error @+1 {{'axons' and 'words' must be >= 0, got -1}}
    nc.synapses @net::@p from [0, 1) to [0, 1) {words = -1 : i64}
  }
}

// -----

nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // expected-error @+1 {{'x', 'y' and 'slot' are set together or not at all}}
  nc.core @c0 attributes {x = 1 : i64} {
  }
}

// -----

nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // expected-note @+1 {{the other core}}
  nc.core @c0 attributes {x = 1 : i64, y = 2 : i64, slot = 0 : i64} {
  }
  // expected-error @+1 {{is placed at (1, 2, 0) like @c0}}
  nc.core @c1 attributes {x = 1 : i64, y = 2 : i64, slot = 0 : i64} {
  }
}

// -----

nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
  }
  // expected-error @+1 {{references @c9, which is not an nc.core of this chip}}
  nc.route @c0 -> @c9 {axons = 1 : i64}
}

// -----

nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
  }
  // expected-error @+1 {{'axons' must be >= 0, got -4}}
  nc.route @c0 -> @c0 {axons = -4 : i64}
}

// -----

nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  // expected-note @+1 {{see existing symbol definition here}}
  nc.core @c0 {
  }
  // expected-error @+1 {{redefinition of symbol named 'c0'}}
  nc.core @c0 {
  }
}

// -----

// expected-error @+1 {{'profile' must name a profile}}
nc.chip @chip attributes {network = @net, profile = ""} {
}

// -----

// expected-error @+1 {{'nc.core' op expects parent op 'nc.chip'}}
nc.core @c0 {
}

// -----

// A population without its model: its own verifier says so, and the
// nc.compartments naming it must not read the missing model (found by
// fuzz/mlir: a null dereference).
#q = #snn.quantized<decay_u = 4095, decay_v = 200, vth_mant = 10, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
snn.network @net {
  // expected-error @+1 {{requires attribute 'model'}}
  %exc = snn.population @exc {params = #q} : !snn.spikes<4>
}
nc.chip @chip attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
    nc.compartments @net::@exc [0, 2) {model = #snn.model<lif>, params = #q}
  }
}
