// Adaptive LIF (the LSNN neuron of Bellec et al. 2018) written as its
// equations and compiled to a neurocore program, in normalised units.
//
// dv/dt = (I - v) / tau_m, da/dt = -a / tau_a; a spike when v exceeds
// v_th + beta a, then v drops by that threshold and a grows by 1. tau_m =
// 20 ms, tau_a = 200 ms, v_th = 1, beta = 0.5. The equations are linear, so
// snn-discretize-equations takes their exact step (dt = 1 ms). Four neurons
// held at constant inputs of 1.5, 2, 3 and 4: their intervals lengthen as a
// builds up. (examples/adaptive-lif.mlir is the same neuron as the built-in
// model adaptive_lif, with LSNN's own discretisation.)
//
// Run:
//   cajal compile examples/adaptive-lif-equations.mlir -o alif.cjimg --profile loihi2 --report fit.json
//   cajal run alif.cjimg --steps 1000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes alif >= 60
snn.neuron_model @adaptive_lif
    states(%v = 0.0 [-32.0, 8.0], %a = 0.0 [0.0, 64.0])
    params(%tau_m = 20.0, %tau_a = 200.0, %v_th = 1.0, %beta = 0.5,
           %i_bias = 0.0)
    input(%i [-4.0, 4.0]) time_unit 1.0e-3 solver exact
dynamics {
  %leak = arith.subf %i_bias, %v : f64
  %drive = arith.addf %leak, %i : f64
  %dv = arith.divf %drive, %tau_m : f64
  %na = arith.negf %a : f64
  %da = arith.divf %na, %tau_a : f64
  snn.derivatives %dv, %da : f64, f64
} spike {
  %ba = arith.mulf %beta, %a : f64
  %threshold = arith.addf %v_th, %ba : f64
  %fired = arith.cmpf ogt, %v, %threshold : f64
  snn.yield %fired : i1
} reset {
  %ba = arith.mulf %beta, %a : f64
  %threshold = arith.addf %v_th, %ba : f64
  %v1 = arith.subf %v, %threshold : f64
  %one = arith.constant 1.0 : f64
  %a1 = arith.addf %a, %one : f64
  snn.yield %v1, %a1 : f64, f64
}

snn.network @alif attributes {dt = 1.0e-3 : f64} {
  %alif = snn.population @alif {model = #snn.model<equations>, params = #snn.equations<@adaptive_lif, {i_bias = array<f64: 1.5, 2.0, 3.0, 4.0>}>} : !snn.spikes<4>
  snn.probe %alif {kind = #snn.probe_kind<spikes>} : !snn.spikes<4>
}
