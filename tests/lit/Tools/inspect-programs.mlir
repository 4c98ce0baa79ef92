// RUN: cajal compile %s -o %t.cjimg
// RUN: cajal inspect %t.cjimg --programs | FileCheck %s
// RUN: cajal compile %s -o %t.loihi2.cjimg --profile loihi2
// RUN: cajal inspect %t.loihi2.cjimg --programs | FileCheck %s --check-prefix=LOIHI2
// RUN: cajal compile %S/../../../examples/synfire.mlir -o %t.synfire.cjimg
// RUN: cajal inspect %t.synfire.cjimg --programs | FileCheck %s --check-prefix=SYNFIRE
// RUN: not cajal inspect %t.cjimg --programs --json 2>&1 | FileCheck %s --check-prefix=BOTH
//
// `cajal inspect --programs`: the populations grouped by neurocore program
// (lif for the spiking LIF and CUBA-LIF populations, li for the readout),
// each program disassembled once with its cost per update on the image's
// profile (docs/neurocore-isa.md), then each population's cost.

snn.network @two_programs {
  %in = snn.input @in : !snn.spikes<4>
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<12>
  %r = snn.population @readout {model = #snn.model<li>, params = #snn.discrete<decay_u = 1.0, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<3>
  %c = snn.population @c {model = #snn.model<cuba_lif>, params = #snn.discrete<decay_u = 0.5, decay_v = 0.1, v_th = 1.0>} : !snn.spikes<5>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 0.5>} : !snn.spikes<4> -> !snn.spikes<12>
  snn.projection @e_r %e -> %r {connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 0.5>} : !snn.spikes<12> -> !snn.spikes<3>
  snn.projection @e_c %e -> %c {connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 0.5>} : !snn.spikes<12> -> !snn.spikes<5>
}

// CHECK: neurocore programs on profile "loihi1": 2
// CHECK-EMPTY:
// CHECK-NEXT: program lif: 9 instructions, used by e, c (LIF family: parameter words from each compartment's record)
// CHECK-NEXT:   per update: 9 cycles, 81 pJ; an idle update: 5.3 ns, 52 pJ (cost.neuronUpdateInactive*)
// CHECK-NEXT:   state s0 u: i24 wrap
// CHECK-NEXT:   state s1 v: i32 saturate
// CHECK-NEXT:   state s2 refractory: u8 wrap
// CHECK-NEXT:   param p0 decayU1: u13
// CHECK-NEXT:   param p1 decayV: u13
// CHECK-NEXT:   param p2 bias: i64
// CHECK-NEXT:   param p3 vmin: i64
// CHECK-NEXT:   param p4 vmax: i64
// CHECK-NEXT:   param p5 threshold: i64
// CHECK-NEXT:   param p6 refractory: u8
// CHECK-NEXT:   refractory counter s2, period p6.refractory
// CHECK-NEXT:   idle when q, every state word, p2 are 0
// CHECK-NEXT:     0  SAT r0, q, #21
// CHECK-NEXT:     1  DECAY r1, s0.u, p0.decayU1, #12
// CHECK-NEXT:     2  ADD s0.u, r1, r0
// CHECK-NEXT:     3  DECAY r2, s1.v, p1.decayV, #12
// CHECK-NEXT:     4  ADD r2, r2, s0.u
// CHECK-NEXT:     5  ADD r2, r2, p2.bias
// CHECK-NEXT:     6  CLIP r2, r2, p3.vmin, p4.vmax
// CHECK-NEXT:     7  REFR s1.v
// CHECK-NEXT:     8  FIRE.zero s1.v, r2, p5.threshold
// CHECK-EMPTY:
// CHECK-NEXT: program li: 9 instructions, used by readout
// CHECK-NEXT:   per update: 9 cycles, 81 pJ
// CHECK:          8  FIRE.never s1.v, r2, p5.threshold
// CHECK-EMPTY:
// CHECK-NEXT: populations: 3
// CHECK-NEXT:   e: 12 neurons, program lif (9 cycles, 81 pJ per update); every neuron updated once: 108 cycles, 972 pJ
// CHECK-NEXT:   readout: 3 neurons, program li (9 cycles, 81 pJ per update); every neuron updated once: 27 cycles, 243 pJ
// CHECK-NEXT:   c: 5 neurons, program lif (9 cycles, 81 pJ per update); every neuron updated once: 45 cycles, 405 pJ
// CHECK-NOT: program

// On loihi2 the same programs cost more: DECAY takes the two-cycle,
// 18 pJ multiplier.
// LOIHI2: neurocore programs on profile "loihi2": 2
// LOIHI2: program lif: 9 instructions, used by e, c
// LOIHI2-NEXT: per update: 11 cycles, 99 pJ;
// LOIHI2: program li: 9 instructions, used by readout
// LOIHI2: e: 12 neurons, program lif (11 cycles, 99 pJ per update); every neuron updated once: 132 cycles, 1188 pJ

// SYNFIRE: neurocore programs on profile "loihi1": 1
// SYNFIRE: program lif: 9 instructions, used by g0, g1, g2, g3, g4, g5, g6, g7
// SYNFIRE: populations: 8
// SYNFIRE: g7: 64 neurons, program lif (9 cycles, 81 pJ per update); every neuron updated once: 576 cycles, 5184 pJ

// BOTH: cajal: error: inspect: --json and --programs print different reports; give one
