// Hodgkin-Huxley neurons (the 1952 squid giant axon, in the modern sign
// convention: rest at -65 mV) compiled from their equations to a neurocore
// program.
//
// C dV/dt = I - g_Na m^3 h (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L),
// dx/dt = alpha_x(V) (1 - x) - beta_x(V) x for the gates x = m, h, n, with
// the rate functions of Hodgkin and Huxley (per ms, V in mV). C = 1 uF/cm^2,
// g_Na = 120, g_K = 36, g_L = 0.3 mS/cm^2, E_Na = 50, E_K = -77,
// E_L = -54.387 mV; currents in uA/cm^2. Exponential Euler (Brian2's
// method for this model) at dt = 0.01 ms. A gate's step is two functions of
// V (its rates in expm1(B h) and A expm1(B h) / B), V's step reads
// expm1(B h) / B of its own coefficient B = -(g_Na m^3 h + g_K n^4 + g_L)
// / C: the compiler samples each into a lookup table over its argument's
// range and the program reads them with LUT (docs/models.md says how, and
// how large the interpolation error is). A
// spike is V crossing 0 mV upwards (above 0 after a step that began at or
// below it); the model has no reset.
//
// Five neurons held at 0, 3, 7, 10 and 20 uA/cm^2: the first two stay at
// rest (3 gives one spike at onset, then damped oscillations: sustained
// firing needs about 6.3), the others fire regularly, faster with more
// current.
//
// Run:
//   cajal compile examples/hh.mlir -o hh.cjimg --profile loihi2 --report fit.json
//   cajal run hh.cjimg --steps 10000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes hh >= 15
snn.neuron_model @hodgkin_huxley
    states(%v = -65.0 [-100.0, 60.0] "mV", %m = 0.0529 [0.0, 1.0],
           %h = 0.5961 [0.0, 1.0], %n = 0.3177 [0.0, 1.0])
    params(%c_m = 1.0, %g_na = 120.0, %g_k = 36.0, %g_l = 0.3,
           %e_na = 50.0, %e_k = -77.0, %e_l = -54.387, %i_bias = 0.0)
    input(%i [-100.0, 100.0]) time_unit 1.0e-3 solver exponential_euler
dynamics {
  %c1 = arith.constant 1.0 : f64
  %c10 = arith.constant 10.0 : f64
  // alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10))
  %c40 = arith.constant 40.0 : f64
  %c01 = arith.constant 0.1 : f64
  %vm = arith.addf %v, %c40 : f64
  %vm_n = arith.negf %vm : f64
  %vm_s = arith.divf %vm_n, %c10 : f64
  %vm_e = math.exp %vm_s : f64
  %vm_d = arith.subf %c1, %vm_e : f64
  %vm_a = arith.mulf %c01, %vm : f64
  %alpha_m = arith.divf %vm_a, %vm_d : f64
  // beta_m = 4 exp(-(V + 65) / 18)
  %c65 = arith.constant 65.0 : f64
  %c4 = arith.constant 4.0 : f64
  %c18 = arith.constant 18.0 : f64
  %vr = arith.addf %v, %c65 : f64
  %vr_n = arith.negf %vr : f64
  %bm_s = arith.divf %vr_n, %c18 : f64
  %bm_e = math.exp %bm_s : f64
  %beta_m = arith.mulf %c4, %bm_e : f64
  // alpha_h = 0.07 exp(-(V + 65) / 20)
  %c007 = arith.constant 0.07 : f64
  %c20 = arith.constant 20.0 : f64
  %ah_s = arith.divf %vr_n, %c20 : f64
  %ah_e = math.exp %ah_s : f64
  %alpha_h = arith.mulf %c007, %ah_e : f64
  // beta_h = 1 / (1 + exp(-(V + 35) / 10))
  %c35 = arith.constant 35.0 : f64
  %vh = arith.addf %v, %c35 : f64
  %vh_n = arith.negf %vh : f64
  %bh_s = arith.divf %vh_n, %c10 : f64
  %bh_e = math.exp %bh_s : f64
  %bh_d = arith.addf %c1, %bh_e : f64
  %beta_h = arith.divf %c1, %bh_d : f64
  // alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55) / 10))
  %c55 = arith.constant 55.0 : f64
  %c001 = arith.constant 0.01 : f64
  %vn = arith.addf %v, %c55 : f64
  %vn_n = arith.negf %vn : f64
  %an_s = arith.divf %vn_n, %c10 : f64
  %an_e = math.exp %an_s : f64
  %an_d = arith.subf %c1, %an_e : f64
  %an_a = arith.mulf %c001, %vn : f64
  %alpha_n = arith.divf %an_a, %an_d : f64
  // beta_n = 0.125 exp(-(V + 65) / 80)
  %c0125 = arith.constant 0.125 : f64
  %c80 = arith.constant 80.0 : f64
  %bn_s = arith.divf %vr_n, %c80 : f64
  %bn_e = math.exp %bn_s : f64
  %beta_n = arith.mulf %c0125, %bn_e : f64
  // The gates: dx/dt = alpha (1 - x) - beta x.
  %m_open = arith.subf %c1, %m : f64
  %m_in = arith.mulf %alpha_m, %m_open : f64
  %m_out = arith.mulf %beta_m, %m : f64
  %dm = arith.subf %m_in, %m_out : f64
  %h_open = arith.subf %c1, %h : f64
  %h_in = arith.mulf %alpha_h, %h_open : f64
  %h_out = arith.mulf %beta_h, %h : f64
  %dh = arith.subf %h_in, %h_out : f64
  %n_open = arith.subf %c1, %n : f64
  %n_in = arith.mulf %alpha_n, %n_open : f64
  %n_out = arith.mulf %beta_n, %n : f64
  %dn = arith.subf %n_in, %n_out : f64
  // The currents.
  %m2 = arith.mulf %m, %m : f64
  %m3 = arith.mulf %m2, %m : f64
  %m3h = arith.mulf %m3, %h : f64
  %g_na_t = arith.mulf %g_na, %m3h : f64
  %v_na = arith.subf %v, %e_na : f64
  %i_na = arith.mulf %g_na_t, %v_na : f64
  %n2 = arith.mulf %n, %n : f64
  %n4 = arith.mulf %n2, %n2 : f64
  %g_k_t = arith.mulf %g_k, %n4 : f64
  %v_k = arith.subf %v, %e_k : f64
  %i_k = arith.mulf %g_k_t, %v_k : f64
  %v_l = arith.subf %v, %e_l : f64
  %i_l = arith.mulf %g_l, %v_l : f64
  %drive = arith.addf %i_bias, %i : f64
  %leak = arith.subf %drive, %i_l : f64
  %na_in = arith.subf %leak, %i_na : f64
  %total = arith.subf %na_in, %i_k : f64
  %dv = arith.divf %total, %c_m : f64
  snn.derivatives %dv, %dm, %dh, %dn : f64, f64, f64, f64
} spike {
  %zero = arith.constant 0.0 : f64
  %before = snn.previous %v
  %above = arith.cmpf ogt, %v, %zero : f64
  %below = arith.cmpf ole, %before, %zero : f64
  %up = arith.andi %above, %below : i1
  snn.yield %up : i1
}

snn.network @hh attributes {dt = 1.0e-5 : f64} {
  %hh = snn.population @hh {model = #snn.model<equations>, params = #snn.equations<@hodgkin_huxley, {i_bias = array<f64: 0.0, 3.0, 7.0, 10.0, 20.0>}>} : !snn.spikes<5>
  snn.probe %hh {kind = #snn.probe_kind<spikes>} : !snn.spikes<5>
}
