// The five firing patterns of Izhikevich's simple model, compiled from its
// equations to neurocore programs.
//
// Izhikevich (IEEE Trans. Neural Netw. 14(6), 2003; 15(5), 2004), v and u in
// mV, time in ms. The model is written as its two differential equations;
// snn-discretize-equations takes forward Euler steps of dt = 0.1 ms, the
// compiler chooses each value's fixed-point format from the declared ranges
// and the parameters (docs/models.md). Five populations, the published
// parameter sets: regular spiking (RS), intrinsically bursting (IB),
// chattering (CH), fast spiking (FS) and low-threshold spiking (LTS), each
// driven by constant currents of 8, 10 and 14 mV/ms. u starts at b v.
// tests/crosscheck/equation_models/check_compiled_models.py holds the
// golden model's spikes to Brian2's float64 run of the same equations and
// recognises each pattern.
//
// Run:
//   cajal compile examples/izhikevich-patterns.mlir -o patterns.cjimg --profile loihi2 --report fit.json
//   cajal run patterns.cjimg --steps 10000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes rs >= 60
//   spikes fs >= 150
//   spikes ch >= 100
snn.neuron_model @izhikevich
    states(%v = -65.0 [-100.0, 40.0] "mV", %u = -13.0 [-50.0, 50.0] "mV")
    params(%a = 2.0e-2, %b = 2.0e-1, %c = -65.0, %d = 8.0, %i_bias = 0.0)
    input(%i [-20.0, 20.0] "mV/ms") time_unit 1.0e-3 solver euler
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

snn.network @patterns attributes {dt = 1.0e-4 : f64} {
  %rs = snn.population @rs {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {i_bias = array<f64: 8.0, 10.0, 14.0>}>} : !snn.spikes<3>
  %ib = snn.population @ib {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {c = -55.0 : f64, d = 4.0 : f64, i_bias = array<f64: 8.0, 10.0, 14.0>}>} : !snn.spikes<3>
  %ch = snn.population @ch {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {c = -50.0 : f64, d = 2.0 : f64, i_bias = array<f64: 8.0, 10.0, 14.0>}>} : !snn.spikes<3>
  %fs = snn.population @fs {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {a = 1.0e-1 : f64, d = 2.0 : f64, i_bias = array<f64: 8.0, 10.0, 14.0>}>} : !snn.spikes<3>
  %lts = snn.population @lts {model = #snn.model<equations>, params = #snn.equations<@izhikevich, {b = 2.5e-1 : f64, d = 2.0 : f64, i_bias = array<f64: 8.0, 10.0, 14.0>, u = -16.25 : f64}>} : !snn.spikes<3>
  snn.probe %rs {kind = #snn.probe_kind<spikes>} : !snn.spikes<3>
  snn.probe %ib {kind = #snn.probe_kind<spikes>} : !snn.spikes<3>
  snn.probe %ch {kind = #snn.probe_kind<spikes>} : !snn.spikes<3>
  snn.probe %fs {kind = #snn.probe_kind<spikes>} : !snn.spikes<3>
  snn.probe %lts {kind = #snn.probe_kind<spikes>} : !snn.spikes<3>
}
