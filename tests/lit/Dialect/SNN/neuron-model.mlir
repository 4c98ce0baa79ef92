// RUN: cajal-opt %s | FileCheck %s
// RUN: cajal-opt %s | cajal-opt | FileCheck %s
// RUN: cajal-opt %s -mlir-print-op-generic | cajal-opt | FileCheck %s
// snn.neuron_model: the header declares the region arguments once, the
// printer names them again, and the syntax survives a round trip (custom and
// generic form).

// CHECK-LABEL: snn.neuron_model @izhikevich
// CHECK-SAME: states(%v = -6.500000e+01 [-1.000000e+02, 4.000000e+01] "mV", %u = -1.300000e+01 "mV")
// CHECK-SAME: params(%a = 2.000000e-02, %b = 2.000000e-01, %c = -6.500000e+01, %d = 8.000000e+00, %i_bias = 0.000000e+00)
// CHECK-SAME: input(%i "mV/ms") time_unit 1.000000e-03 solver euler dynamics {
// CHECK: arith.mulf %v, %v : f64
// CHECK: arith.mulf %a,
// CHECK: snn.derivatives %{{.*}}, %{{.*}} : f64, f64
// CHECK: } spike {
// CHECK: arith.cmpf oge, %v, %{{.*}} : f64
// CHECK: snn.yield %{{.*}} : i1
// CHECK: } reset {
// CHECK: arith.addf %u, %d : f64
// CHECK: snn.yield %c, %{{.*}} : f64, f64
snn.neuron_model @izhikevich
    states(%v = -65.0 [-100.0, 40.0] "mV", %u = -13.0 "mV")
    params(%a = 2.0e-2, %b = 2.0e-1, %c = -65.0, %d = 8.0, %i_bias = 0.0)
    input(%i "mV/ms") time_unit 1.0e-3 solver euler
dynamics {
  %k2 = arith.constant 4.0e-2 : f64
  %k1 = arith.constant 5.0 : f64
  %k0 = arith.constant 140.0 : f64
  %v2 = arith.mulf %v, %v : f64
  %t2 = arith.mulf %k2, %v2 : f64
  %t1 = arith.mulf %k1, %v : f64
  %s1 = arith.addf %t2, %t1 : f64
  %s2 = arith.addf %s1, %k0 : f64
  %s3 = arith.subf %s2, %u : f64
  %s4 = arith.addf %s3, %i_bias : f64
  %dv = arith.addf %s4, %i : f64
  %bv = arith.mulf %b, %v : f64
  %bvu = arith.subf %bv, %u : f64
  %du = arith.mulf %a, %bvu : f64
  snn.derivatives %dv, %du : f64, f64
} spike {
  %peak = arith.constant 30.0 : f64
  %fired = arith.cmpf oge, %v, %peak : f64
  snn.yield %fired : i1
} reset {
  %ud = arith.addf %u, %d : f64
  snn.yield %c, %ud : f64, f64
}

// A discretised model (dynamics give the next values), without parameters,
// spike or reset, with an input range: a leaky readout.
// CHECK-LABEL: snn.neuron_model @readout
// CHECK-SAME: input(%i [-1.000000e+01, 1.000000e+01]) time_unit 1.000000e+00 solver exact step 1.000000e-01 dynamics {
// CHECK: math.exp
// CHECK: snn.yield %{{.*}} : f64
// CHECK-NOT: spike
snn.neuron_model @readout states(%x = 0.0) input(%i [-10.0, 10.0])
    time_unit 1.0 solver exact step 0.1
dynamics {
  %k = arith.constant -1.0e-1 : f64
  %e = math.exp %k : f64
  %xe = arith.mulf %x, %e : f64
  %next = arith.addf %xe, %i : f64
  snn.yield %next : f64
}

// A population of the model, per-neuron parameters by name, and its own
// initial value of u.
// CHECK-LABEL: snn.network @net
// CHECK: snn.population @rs {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {d = 2.000000e+00 : f64, i_bias = array<f64: 5.000000e+00, 1.000000e+01>, u = -1.625000e+01 : f64}>} : !snn.spikes<2>
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %rs = snn.population @rs {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {d = 2.0 : f64, i_bias = array<f64: 5.0, 10.0>, u = -16.25 : f64}>} : !snn.spikes<2>
}
