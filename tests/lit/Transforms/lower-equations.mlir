// RUN: cajal-opt %s --snn-discretize-equations --snn-discretize --snn-quantize=profile=loihi2 --snn-lower-equations=profile=loihi2 | FileCheck %s
// RUN: not cajal-opt %s --snn-discretize-equations --snn-discretize --snn-quantize=profile=loihi2 --snn-lower-equations=profile=loihi1 2>&1 | FileCheck %s --check-prefix=LOIHI1

// snn-lower-equations lowers a population's discretised model to its
// program and writes the listing into the IR. Euler at h = 0.1:
// x + 0.1 (-exp(x) / tau + i). exp(x) / tau depends on x alone and has no
// instruction: one lookup table of x over [-4, 4] (2^-28 is x's state
// format, 2^21 raw units per segment: 1/128), read first. The input q is
// shifted into the sum's format, the rest is one product by h, the state
// added back in the register format, converted into the state's register
// and clipped to the declared range there (the analysis cannot keep x
// inside it), the spike on x > 1 and the write with rounding.
// CHECK-LABEL: snn.population @p
// CHECK-SAME: program = ["program leaky", "state s0 x: i32 saturate",
// CHECK-SAME: "table t0: 1025 entries from -1073741824 every 2^21",
// CHECK-SAME: "0  LUT r0, s0.x, t0",
// CHECK-SAME: "2  SHL r3, q, #13",
// CHECK-SAME: "3  ADD r1, r2, r3",
// CHECK-SAME: "8  SHL r0, r1, #1",
// CHECK-SAME: "9  CLIP r0, r0, c2(-70368744177664), c3(70368744177664)",
// CHECK-SAME: "10  CMPGT r1, r0, c4(17592186044416)",
// CHECK-SAME: "11  FIRE.zero r2, r1, _",
// CHECK-SAME: "12  MULSHR.half s0.x, r0, c1(1), #16"]
// CHECK-SAME: program_formats = "model @leaky: euler, step 0.1; states x (2^-28, clipped); 1 lookup tables of 1025 entries, largest error {{.*}} (table 0, arith.divf at {{.*}}lower-equations.mlir:{{[0-9]+}}:{{[0-9]+}}, of x, largest value 5.46); 13 instructions"

// LOIHI1: error: 'snn.neuron_model' op needs a programmable neurocore; profile 'loihi1' runs only the LIF family (isa.programmable)
// LOIHI1: error: 'snn.population' op population "p": model @leaky does not compile to a program (above)

snn.neuron_model @leaky states(%x = 0.0 [-4.0, 4.0]) params(%tau = 10.0)
    input(%i [-1.0, 1.0]) time_unit 1.0e-3 solver euler
dynamics {
  %e = math.exp %x : f64
  %nx = arith.negf %e : f64
  %leak = arith.divf %nx, %tau : f64
  %dx = arith.addf %leak, %i : f64
  snn.derivatives %dx : f64
} spike {
  %th = arith.constant 1.0 : f64
  %c = arith.cmpf ogt, %x, %th : f64
  snn.yield %c : i1
}

snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@leaky, {}>} : !snn.spikes<2>
}
