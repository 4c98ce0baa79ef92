// RUN: rm -rf %t && mkdir -p %t && cp %profiles/loihi1.json %inputs/tiny.json %t/
// RUN: cajal-opt %s --split-input-file --snn-quantize=profile=%t/tiny.json --snn-partition=profile=%t/tiny.json --convert-snn-to-nc=profile=%t/tiny.json --nc-place --nc-route -verify-diagnostics -mlir-print-op-on-diagnostic=false | FileCheck %s
// A profile given by path (a two-core chip with 8 compartments per core,
// cores in different tiles): 12 neurons take both cores, one hop apart.

// expected-remark @+2 {{partitioned into 2 cores (lower bound 2) of 2 on profile 'tiny'}}
// expected-remark @+1 {{placed 2 cores, cost 2 (axons x hops)}}
snn.network @n {
  %in = snn.input @in : !snn.spikes<4>
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<12>
  // expected-remark @+1 {{weights quantized}}
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 0.5>} : !snn.spikes<4> -> !snn.spikes<12>
  // expected-remark @+1 {{weights quantized}}
  snn.projection @rec %e -> %e {connectivity = #snn.sparse<pre = dense<[0, 11]> : tensor<2xi64>, post = dense<[11, 0]> : tensor<2xi64>, weights = dense<[0.5, 0.25]> : tensor<2xf64>>} : !snn.spikes<12> -> !snn.spikes<12>
}
// CHECK: snn.population @e {cores = array<i64: 0, 1>, {{.*}}slices = array<i64: 0, 8, 12>
// CHECK-LABEL: nc.chip @n_chip attributes {network = @n, profile = "{{.*}}tiny.json"}
// CHECK-NEXT: nc.core @c0 attributes {slot = 0 : i64, x = {{[01]}} : i64, y = 0 : i64}
// CHECK-NEXT: nc.compartments @n::@e [0, 8)
// CHECK-NEXT: nc.synapses @n::@in_e from [0, 4) to [0, 8) {axons = 4 : i64}
// CHECK-NEXT: nc.synapses @n::@rec from [11, 12) to [0, 8) {axons = 1 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nc.core @c1 attributes {slot = 0 : i64, x = {{[01]}} : i64, y = 0 : i64}
// CHECK-NEXT: nc.compartments @n::@e [8, 12)
// CHECK-NEXT: nc.synapses @n::@in_e from [0, 4) to [8, 12) {axons = 4 : i64}
// CHECK-NEXT: nc.synapses @n::@rec from [0, 1) to [8, 12) {axons = 1 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nc.route @c0 -> @c1 {axons = 1 : i64, hops = 1 : i64}
// CHECK-NEXT: nc.route @c1 -> @c0 {axons = 1 : i64, hops = 1 : i64}

// -----

// 1,500 neurons cannot fit 2 cores of 8 compartments: the fit check comes
// before any per-neuron work (snn-quantize), on the population at fault.
snn.network @big {
  %in = snn.input @in : !snn.spikes<100>
  // expected-error @+1 {{population "e" has 1500 neurons; the chip (profile tiny) has 16 compartments (2 cores x 8)}}
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<1500>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 0.1, seed = 1, weight = 0.5>} : !snn.spikes<100> -> !snn.spikes<1500>
}

// -----

// Each population fits alone, not together: the error is on the network.
// expected-error @+1 {{network "pair" has 20 neurons in 2 populations; the chip (profile tiny) has 16 compartments}}
snn.network @pair {
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<10>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<10>
}
