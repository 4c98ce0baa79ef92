// RUN: cajal-opt %s --snn-discretize-equations "--snn-calibrate-ranges=steps=10 margin=0.25" | FileCheck %s
// RUN: not cajal-opt %s --snn-discretize-equations --snn-calibrate-ranges=steps=0 2>&1 | FileCheck %s --check-prefix=STEPS
// RUN: not cajal compile %s -o %t.cjimg --profile loihi2 2>&1 | FileCheck %s --check-prefix=UNDECLARED
// RUN: cajal compile %s -o %t.cjimg --profile loihi2 --calibrate-steps 10 --report %t.json
// RUN: FileCheck %s --check-prefix=REPORT --input-file %t.json
// RUN: cajal run %s --engine float --profile loihi2 --steps 20 --calibrate-steps 10 | FileCheck %s --check-prefix=FLOAT

// snn-calibrate-ranges declares the range a state without one reaches in a
// float-engine run, widened by the margin of its span on each side.
// x relaxes from 0 towards i_bias = 2 with tau = 1 ms, exact steps of
// 0.1 ms: after 10 steps 2 (1 - e^-1) = 1.2642411...; the range [0, 1.26424]
// (the initial state included) widened by 0.25 x 1.26424 = 0.31606 on each
// side. y does not move from 3: widened by 0.25 x 3. z keeps its declared
// range, and the model records what was calibrated.
// CHECK-LABEL: snn.neuron_model @relax
// CHECK-SAME: %x = 0.000000e+00 [-0.31606027941{{[0-9]*}}, 1.5803013970{{[0-9]*}}]
// CHECK-SAME: %y = 3.000000e+00 [2.250000e+00, 3.750000e+00]
// CHECK-SAME: %z = 1.000000e+00 [-5.000000e+00, 5.000000e+00]
// CHECK: attributes {calibration = {margin = 2.500000e-01 : f64, states = ["x", "y"], steps = 10 : i64}
snn.neuron_model @relax states(%x = 0.0, %y = 3.0, %z = 1.0 [-5.0, 5.0])
    params(%tau = 1.0, %i_bias = 2.0) input(%i) time_unit 1.0e-3 solver exact
dynamics {
  %zero = arith.constant 0.0 : f64
  %d = arith.subf %i_bias, %x : f64
  %s = arith.addf %d, %i : f64
  %dx = arith.divf %s, %tau : f64
  snn.derivatives %dx, %zero, %zero : f64, f64, f64
}

// A model no population runs keeps its open range.
// CHECK-LABEL: snn.neuron_model @unused
// CHECK-SAME: %w = 0.000000e+00) input
// CHECK-NOT: calibration
snn.neuron_model @unused states(%w = 0.0) params() input(%i) time_unit 1.0e-3
    solver euler step 0.1
dynamics {
  snn.yield %w : f64
}

snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@relax, {}>} : !snn.spikes<2>
}

// STEPS: error: snn-calibrate-ranges: steps = 0 must be > 0 and margin = 5.000000e-01 finite and >= 0

// Without calibration an open range is refused where the program is made;
// `cajal compile --calibrate-steps N` runs the pass (margin 0.5), and the
// fit report says where each range came from.
// UNDECLARED: state 'x' needs a declared range [lower, upper] for its fixed-point format (or one from a float-engine run: snn-calibrate-ranges, cajal compile --calibrate-steps N)
// REPORT: "name": "x",
// REPORT: "declaredRange": [
// REPORT-NEXT: -0.632
// REPORT-NEXT: 1.896
// REPORT: "rangeSource": "calibrated: reached in 10 steps of the float engine, widened by 0.5 of the span on each side",
// REPORT: "name": "z",
// REPORT: "rangeSource": "declared",

// `cajal run --engine float --calibrate-steps N` compiles the image it
// compares with the same way: x within 1e-6 of double precision (run past
// the calibration's 10 steps, still inside the widened range), y and z
// exact.
// FLOAT: p: state RMS of chip - float over 40 neuron-steps: x {{[0-9.]+}}e-{{0[6-9]|1[0-9]}} y 0 z 0
