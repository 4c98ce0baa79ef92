// The fit report says, per population of an equation model, the solver, the
// step, the input's format, each state's format, declared and analysed range
// and whether overflow is proven impossible or clipped, what the compiler
// computed, and the program's length.
// RUN: cajal compile %S/../../../examples/adaptive-lif-equations.mlir -o %t.alif.cjimg --profile loihi2 --report %t.alif.json
// RUN: FileCheck %s --input-file %t.alif.json
// RUN: cajal compile %S/../../../examples/izhikevich-patterns.mlir -o %t.iz.cjimg --profile loihi2 --report %t.iz.json
// RUN: FileCheck %s --check-prefix=IZ --input-file %t.iz.json

// CHECK: "name": "alif",
// CHECK: "equations": {
// CHECK-NEXT: "model": "adaptive_lif",
// CHECK-NEXT: "solver": "exact",
// CHECK-NEXT: "step": 1.0,
// CHECK-NEXT: "inputFractionBits": 28,
// CHECK: "name": "v",
// CHECK-NEXT: "fractionBits": 25,
// CHECK: "overflow":
// CHECK: "name": "a",
// CHECK-NEXT: "fractionBits": 24,
// CHECK: "computedByCompiler": [
// CHECK: "instructions": 42

// IZ: "name": "rs",
// IZ: "model": "izhikevich",
// IZ-NEXT: "solver": "euler",
// IZ-NEXT: "step": 0.1,
// IZ: "name": "v",
// IZ-NEXT: "fractionBits": 23,
// IZ-NEXT: "declaredRange": [
// IZ-NEXT: -100.0,
// IZ-NEXT: 40.0
// IZ: "overflow": "clipped to the declared range"
