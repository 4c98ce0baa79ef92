// RUN: cajal-opt %s -split-input-file -snn-discretize-equations -verify-diagnostics
// RUN: not cajal-opt %s -split-input-file -snn-discretize-equations=solver=heun 2>&1 | FileCheck %s --check-prefix=SOLVER
// RUN: not cajal-opt %s -split-input-file -snn-discretize-equations=dt=-1.0 2>&1 | FileCheck %s --check-prefix=DT
// RUN: not cajal-opt %s -split-input-file -snn-discretize-equations 2>&1 | FileCheck %s --check-prefix=ONCE
// Every refusal of snn-discretize-equations, one per split.

// SOLVER: error: snn-discretize-equations: unknown solver 'heun' (euler, exponential_euler, rk2 or exact)
// DT: error: snn-discretize-equations: dt = -1.000000e+00 s must be finite and > 0
// A model refused is reported once, however many populations use it
// (-verify-diagnostics would accept the same error twice).
// ONCE: is used by networks with different dt
// ONCE-NOT: is used by networks with different dt
// ONCE: is discretised with step
// ONCE-NOT: is discretised with step

// exponential_euler needs each state linear in itself.
// expected-error @+1 {{state 'v' of @m is not linear in itself (v * v); use euler or rk2}}
snn.neuron_model @m states(%v = 0.0) params(%k = 0.04) input(%i)
    time_unit 1.0e-3 solver exponential_euler
dynamics {
  %vv = arith.mulf %v, %v : f64
  %kvv = arith.mulf %k, %vv : f64
  %dv = arith.addf %kvv, %i : f64
  snn.derivatives %dv : f64
}
snn.network @n attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}

// -----

// A math op on the state itself is nonlinear too (the first state is fine).
// expected-error @+1 {{state 'u' of @m is not linear in itself (exp(u / 2)); use euler or rk2}}
snn.neuron_model @m states(%v = 0.0, %u = 0.0) input(%i)
    time_unit 1.0e-3 solver exponential_euler
dynamics {
  %two = arith.constant 2.0 : f64
  %half = arith.divf %u, %two : f64
  %e = math.exp %half : f64
  snn.derivatives %i, %e : f64, f64
}
snn.network @n attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}

// -----

// exact: a coefficient that depends on another state (each state is linear
// in itself, so exponential_euler would do).
// expected-error @+1 {{state 'x' of @m is not linear in the states with state-free coefficients (y * x); exact needs dx/dt = M x + c with M and c from the parameters and input; use exponential_euler, euler or rk2}}
snn.neuron_model @m states(%x = 0.0, %y = 1.0) input(%i)
    time_unit 1.0e-3 solver exact
dynamics {
  %yx = arith.mulf %y, %x : f64
  %dx = arith.subf %i, %yx : f64
  snn.derivatives %dx, %i : f64, f64
}
snn.network @n attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}

// -----

// exact: a branch on a state is nonlinear.
// expected-error @+1 {{state 'x' of @m is not linear in the states with state-free coefficients (x ogt th); exact needs}}
snn.neuron_model @m states(%x = 0.0) params(%th = 1.0) input(%i)
    time_unit 1.0e-3 solver exact
dynamics {
  %above = arith.cmpf ogt, %x, %th : f64
  %nx = arith.negf %x : f64
  %dx = arith.select %above, %nx, %i : f64
  snn.derivatives %dx : f64
}
snn.network @n attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}

// -----

// Two networks with different dt cannot share one model (one error).
// expected-error @+1 {{@m is used by networks with different dt: @a has 1.000000e-04 s, @b has 1.000000e-03 s (a model has one step; give each network its own copy)}}
snn.neuron_model @m states(%x = 0.0) input(%i) time_unit 1.0e-3 solver euler
dynamics {
  snn.derivatives %i : f64
}
snn.network @a attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}
snn.network @b attributes {dt = 1.0e-3 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
  %q = snn.population @q {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}

// -----

// A model already discretised must match the dt of the networks using it
// (one error, however many populations).
// expected-error @+1 {{@m is discretised with step 1.000000e-01 (x time_unit 1.000000e-03 s), but network @b has dt = 1.000000e-03 s (step 1.000000e+00)}}
snn.neuron_model @m states(%x = 0.0) input(%i) time_unit 1.0e-3 solver euler
    step 0.1
dynamics {
  snn.yield %i : f64
}
snn.network @a attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}
snn.network @b attributes {dt = 1.0e-3 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
  %q = snn.population @q {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}

// -----

snn.neuron_model @m states(%x = 0.0) input(%i) time_unit 1.0e-3 solver euler
dynamics {
  snn.derivatives %i : f64
}
snn.network @n {
  // expected-error @+1 {{population @p of model @m: network @n has no 'dt' to discretise the model with}}
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {}>} : !snn.spikes<2>
}
