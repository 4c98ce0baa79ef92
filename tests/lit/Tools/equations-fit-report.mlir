// The fit report says, per population of an equation model, the solver, the
// step, the input's format, each state's format, declared and analysed range
// and whether overflow is proven impossible or clipped, what the compiler
// computed, the lookup tables (what each holds, over which range, its size
// and its interpolation error), and the program's length.
// RUN: cajal compile %S/../../../examples/adaptive-lif-equations.mlir -o %t.alif.cjimg --profile loihi2 --report %t.alif.json
// RUN: FileCheck %s --input-file %t.alif.json
// RUN: cajal compile %S/../../../examples/izhikevich-patterns.mlir -o %t.iz.cjimg --profile loihi2 --report %t.iz.json
// RUN: FileCheck %s --check-prefix=IZ --input-file %t.iz.json
// RUN: cajal compile %S/../../../examples/hh.mlir -o %t.hh.cjimg --profile loihi2 --report %t.hh.json
// RUN: FileCheck %s --check-prefix=HH --input-file %t.hh.json
// RUN: cajal compile %S/../../../examples/hh.mlir -o %t.hh2.cjimg --profile loihi2 --verbose 2>&1 | FileCheck %s --check-prefix=VERBOSE

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
// CHECK: "instructions": 40

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

// HH: "model": "hodgkin_huxley",
// HH-NEXT: "solver": "exponential_euler",
// HH-NEXT: "step": 0.01,
// HH: "lookupTables": [
// HH-NEXT: {
// HH-NEXT: "table": 0,
// phi = expm1(B h) / B for V, over the range of B = d(dV/dt)/dV, a value
// of the three gates.
// HH-NEXT: "value": "arith.select (the exponential Euler step of v) at {{.*}}hh.mlir:{{[0-9]+}}:3",
// HH-NEXT: "of": "arith.subf (d(dv/dt)/dv) at {{.*}}hh.mlir:{{[0-9]+}}:3",
// HH-NEXT: "range": [
// HH-NEXT: -156.3
// HH-NEXT: 0.69
// HH-NEXT: ],
// HH-NEXT: "entries": 158,
// HH-NEXT: "segment": 1.0,
// Per gate x: expm1(B_x(V) h) and A_x(V) phi_x(V), tables of V; the
// entries the equal shares left over halve the segments of the tables
// that err most.
// HH: "table": 1,
// HH-NEXT: "value": "math.expm1 (the exponential Euler step of m) at {{.*}}hh.mlir:{{[0-9]+}}:3",
// HH-NEXT: "of": "v",
// HH-NEXT: "range": [
// HH-NEXT: -100.0,
// HH-NEXT: 60.0
// HH-NEXT: ],
// HH-NEXT: "entries": 321,
// HH-NEXT: "segment": 0.5,
// HH: "table": 6,
// HH-NEXT: "value": "arith.mulf (the exponential Euler step of n) at {{.*}}hh.mlir:{{[0-9]+}}:3",
// HH-NOT: "table": 7,
// HH: "instructions":

// `--verbose` says the same in one line per population.
// VERBOSE: remark: population "hh": model @hodgkin_huxley: exponential_euler, step 0.01; states v (2^-23, clipped) m (2^-30, clipped) h (2^-30, clipped) n (2^-30, clipped); 7 lookup tables of 1924 entries, largest error 7.34e-06 (table 1, math.expm1 (the exponential Euler step of m) at {{.*}}hh.mlir:{{[0-9]+}}:3, of v, largest value 0.244); 75 instructions
