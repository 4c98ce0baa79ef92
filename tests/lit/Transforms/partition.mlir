// RUN: cajal-opt %s --snn-partition=profile=loihi1 -verify-diagnostics -mlir-print-op-on-diagnostic=false | FileCheck %s
// RUN: cajal-opt %s --snn-partition="profile=%profiles/loihi1.json pack=false" -mlir-print-op-on-diagnostic=false 2>/dev/null | FileCheck %s --check-prefix=NOPACK

#lif = #snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = 0, bias_exp = 0, refractory = 1, vmin_exp = 23, vmax_exp = 7>
// loihi1 cores hold 1,024 compartments: 1,500 neurons take two slices; the
// 10-neuron readout shares the second core (packing), or gets its own.
// expected-remark @+1 {{partitioned into 2 cores (lower bound 2) of 128 on profile 'loihi1'}}
snn.network @big {
  %in = snn.input @in : !snn.spikes<100>
  // CHECK: snn.population @e {cores = array<i64: 0, 1>, {{.*}}, slices = array<i64: 0, 1024, 1500>}
  // NOPACK: snn.population @e {cores = array<i64: 0, 1>, {{.*}}, slices = array<i64: 0, 1024, 1500>}
  %e = snn.population @e {model = #snn.model<lif>, params = #lif} : !snn.spikes<1500>
  // CHECK: snn.population @o {cores = array<i64: 1>, {{.*}}, slices = array<i64: 0, 10>}
  // NOPACK: snn.population @o {cores = array<i64: 2>, {{.*}}, slices = array<i64: 0, 10>}
  %o = snn.population @o {model = #snn.model<li>, params = #lif} : !snn.spikes<10>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 0.1, seed = 1, weight = 128>, weight_exponent = 6 : i64} : !snn.spikes<100> -> !snn.spikes<1500>
  snn.projection @e_o %e -> %o {connectivity = #snn.fixed_prob<p = 0.2, seed = 2, weight = 255>, weight_exponent = 7 : i64} : !snn.spikes<1500> -> !snn.spikes<10>
}
