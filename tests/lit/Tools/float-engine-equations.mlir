// `cajal run MODEL --engine float` runs the discretised equations in double
// precision beside the image of the model on the golden model, and says per
// population how far the chip's spikes are from the float model's, and per
// state the RMS of chip minus float over the neurons and steps. A model
// the profile cannot run (loihi1 runs only the LIF family) runs in floating
// point alone, with the reason.
// RUN: cajal run %S/../../../examples/hh.mlir --engine float --steps 10000 --profile loihi2 | FileCheck %s
// RUN: cajal run %S/../../../examples/hh.mlir --engine float --steps 10000 --spikes-out %t.csv 2>%t.err | FileCheck %s --check-prefix=ONLY
// RUN: FileCheck %s --check-prefix=WHY --input-file %t.err
// RUN: FileCheck %s --check-prefix=CSV --input-file %t.csv

// CHECK: ran 10000 steps of the discretised network in floating point and of its quantised image on the golden model
// CHECK-NEXT: population float spikes golden spikes agreement same count largest lag mean lag (steps)
// Five neurons over 100 ms: equal counts, every spike within one step.
// CHECK-NEXT: hh 23 23 1.000 5/5 1 0.04
// The states in the model's units, stepped in lockstep: v within 0.1 mV,
// the gates within 1e-3 (a state word read in a wrong format would be off
// by its whole value).
// CHECK-NEXT: hh: state RMS of chip - float over 50000 neuron-steps: v 0.0{{[0-9]+}} m 0.000{{[0-9]+}} h {{[0-9.]+}}e-05 n {{[0-9.]+}}e-05

// ONLY: ran 10000 steps of the discretised network in floating point only: {{.*}}hh.mlir: does not compile for profile loihi1 (errors above), so there is no image to compare with
// ONLY-NEXT: population float spikes
// ONLY-NEXT: hh 23

// WHY: needs a programmable neurocore; profile "loihi1" runs only the LIF family

// CSV: step,node,index
// CSV-NEXT: {{[0-9]+}},hh,4
