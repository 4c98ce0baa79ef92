// RUN: cajal compile %S/../Dialect/SNN/learning.mlir -o %t.cjimg
// RUN: cajal inspect %t.cjimg | FileCheck %s
// RUN: cajal inspect %t.cjimg --json | FileCheck %s --check-prefix=JSON
//
// `cajal inspect` on an image that learns: its learning and reward synapses,
// the epoch and seed, and each rule in its text form as a user writes it
// (docs/learning.md): scale, factors, the dependency last, and its sign mode. The rules are a
// written pair STDP rule and the library's #snn.pair_stdp, #snn.triplet_stdp
// and #snn.reward_stdp as the compiler expands them.

// CHECK: synapses: 34 (32 learning, 2 reward)
// CHECK-NEXT: learning: epochs of 4 steps, seed 7, 4 rules
// CHECK-NEXT:   rule 0: dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0 (mixed weights){{$}}
// CHECK-NEXT:   rule 1: dw = 2^-4 * x1 * y0 - 5 * 2^-6 * y1 * x0 (mixed weights){{$}}
// CHECK-NEXT:   rule 2: dw = 2^-4 * x1 * y0 + 2^-8 * x1 * y2 * y0 - 2^-4 * y1 * x0 (mixed weights){{$}}
// CHECK-NEXT:   rule 3: dw = 2^-5 * r * t * u; dt = 2^-4 * x1 * y0 - 2^-4 * y1 * x0 - 2^-3 * t * u (mixed weights){{$}}

// JSON: "rule": "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0"
