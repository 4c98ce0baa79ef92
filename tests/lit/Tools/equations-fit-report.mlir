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

// HH: "model": "hodgkin_huxley",
// HH-NEXT: "solver": "euler",
// HH-NEXT: "step": 0.01,
// HH: "lookupTables": [
// HH-NEXT: {
// HH-NEXT: "table": 0,
// alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10)), sampled every 0.5 mV.
// HH-NEXT: "value": "arith.divf at {{.*}}hh.mlir:46:14",
// HH-NEXT: "of": "v",
// HH-NEXT: "range": [
// HH-NEXT: -100.0,
// HH-NEXT: 60.0
// HH-NEXT: ],
// HH-NEXT: "entries": 321,
// HH-NEXT: "segment": 0.5,
// HH-NEXT: "fractionBits": 26,
// HH-NEXT: "largestValue": 10.0004
// HH-NEXT: "interpolationError": 2.6
// HH: "table": 5,
// HH-NEXT: "value": "arith.mulf at {{.*}}hh.mlir:85:13",
// HH-NOT: "table": 6,
// HH: "instructions":

// `--verbose` says the same in one line per population.
// VERBOSE: remark: population "hh": model @hodgkin_huxley: euler, step 0.01; states v (2^-23, clipped) m (2^-30, clipped) h (2^-30, clipped) n (2^-30, clipped); 6 lookup tables of 1926 entries, largest error 0.00134 (table 1, arith.mulf at {{.*}}hh.mlir:55:13, of v, largest value 27.96); 86 instructions
