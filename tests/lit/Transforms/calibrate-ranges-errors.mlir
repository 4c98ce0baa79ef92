// RUN: not cajal-opt %s --snn-discretize-equations "--snn-calibrate-ranges=steps=100" 2>&1 | FileCheck %s
// RUN: not cajal-opt %s --snn-discretize-equations "--snn-calibrate-ranges=steps=10 margin=-1.0" 2>&1 | FileCheck %s --check-prefix=MARGIN

// A model whose float run diverges (dx/dt = 10 x^2 from x = 1 reaches
// infinity within 0.1 ms) gets no range: an error naming the state.
// CHECK: error: state 'x' has no range and reached no finite one in the calibration run of 100 steps (the float model diverges); declare [lower, upper]
// MARGIN: error: snn-calibrate-ranges: steps = 10 must be > 0 and margin = -1.000000e+00 finite and >= 0
snn.neuron_model @blow states(%x = 1.0) params() input(%i [-1.0, 1.0])
    time_unit 1.0e-3 solver euler
dynamics {
  %xx = arith.mulf %x, %x : f64
  %ten = arith.constant 10.0 : f64
  %d = arith.mulf %xx, %ten : f64
  snn.derivatives %d : f64
}

snn.network @net attributes {dt = 1.0e-3 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@blow, {}>} : !snn.spikes<1>
}
