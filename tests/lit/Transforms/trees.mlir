// RUN: rm -rf %t && mkdir -p %t && cp %profiles/loihi1.json %profiles/loihi2.json %inputs/tiny-trees.json %t/
// RUN: cajal-opt %s --split-input-file --snn-discretize --snn-quantize=profile=%t/tiny-trees.json --snn-partition=profile=%t/tiny-trees.json --convert-snn-to-nc=profile=%t/tiny-trees.json -verify-diagnostics -mlir-print-op-on-diagnostic=false | FileCheck %s
// Dendritic trees on a chip of two 8-compartment cores: a neuron's
// compartments stay on one core, so 4 neurons of 3 compartments take two
// neurons (6 compartments) per core; only the root is sliced.

// expected-remark @+1 {{partitioned into 2 cores (lower bound 2) of 2 on profile 'tiny-trees'}}
snn.network @n attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %pyr = snn.population @pyr {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, join = #snn.join<or>, join_weight = 0.5} : !snn.spikes<4>
  %apical = snn.population @apical {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 0.5>, parent = @pyr, output = #snn.dendrite_output<active>} : !snn.spikes<4>
  %basal = snn.population @basal {model = #snn.model<li>, params = #snn.continuous<tau_mem = 5.0e-3>, parent = @pyr, coupling = 0.25} : !snn.spikes<4>
  // expected-remark @+1 {{weights quantized}}
  snn.projection @in_apical %in -> %apical {connectivity = #snn.dense<dense<1.0> : tensor<4x2xf64>>} : !snn.spikes<2> -> !snn.spikes<4>
  // expected-remark @+1 {{weights quantized}}
  snn.projection @in_basal %in -> %basal {connectivity = #snn.dense<dense<1.0> : tensor<4x2xf64>>} : !snn.spikes<2> -> !snn.spikes<4>
}
// CHECK: snn.population @pyr {cores = array<i64: 0, 1>, {{.*}}slices = array<i64: 0, 2, 4>
// CHECK-NOT: slices
// CHECK-LABEL: nc.chip @n_chip
// CHECK: nc.compartments @n::@pyr [0, 2)
// CHECK: nc.compartments @n::@pyr [2, 4)

// -----

// The fit check counts a tree's compartments.
snn.network @big attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{population "pyr" needs 3 compartments per neuron x 6 neurons = 18; the chip (profile tiny-trees) has 16 compartments (2 cores x 8)}}
  %pyr = snn.population @pyr {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<6>
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @pyr} : !snn.spikes<6>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @a} : !snn.spikes<6>
}

// -----

// A join weight or coupling whose program word does not fit 32 bits.
snn.network @heavy attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{join_weight = 1e+09 becomes 1.04857e+15 integer units, outside the program's 32-bit word; scale the weights or the coupling down}}
  %pyr = snn.population @pyr {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, join = #snn.join<or>, join_weight = 1.0e9} : !snn.spikes<2>
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0.5>, parent = @pyr, output = #snn.dendrite_output<active>} : !snn.spikes<2>
}
