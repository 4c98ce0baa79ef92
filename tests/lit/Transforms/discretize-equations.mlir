// RUN: cajal-opt %s -split-input-file -snn-discretize-equations | FileCheck %s
// RUN: cajal-opt %s -split-input-file -snn-discretize-equations=solver=rk2 | FileCheck %s --check-prefix=RK2
// RUN: cajal-opt %s -split-input-file -snn-discretize-equations=dt=2.0e-4 | FileCheck %s --check-prefix=DT
// snn-discretize-equations: every solver on dx/dt = -x / tau + i (and a
// two-state model for exponential_euler and exact). dt = 0.1 ms, time_unit
// 1 ms: h = 0.1. Each split is one module.

// euler: x + h f(x), one evaluation of f.
// CHECK-LABEL: snn.neuron_model @leaky
// CHECK-SAME: solver euler step 1.000000e-01 dynamics {
// CHECK: %[[H:.*]] = arith.constant 1.000000e-01 : f64
// CHECK: %[[NX:.*]] = arith.negf %x : f64
// CHECK: %[[LEAK:.*]] = arith.divf %[[NX]], %tau : f64
// CHECK: %[[F:.*]] = arith.addf %[[LEAK]], %i : f64
// CHECK: %[[HF:.*]] = arith.mulf %[[F]], %[[H]] : f64
// CHECK: %[[NEXT:.*]] = arith.addf %x, %[[HF]] : f64
// CHECK-NEXT: snn.yield %[[NEXT]] : f64
// The option overrides the model's solver.
// RK2-LABEL: snn.neuron_model @leaky
// RK2-SAME: solver rk2 step 1.000000e-01
snn.neuron_model @leaky states(%x = 0.0) params(%tau = 10.0) input(%i)
    time_unit 1.0e-3 solver euler
dynamics {
  %nx = arith.negf %x : f64
  %leak = arith.divf %nx, %tau : f64
  %dx = arith.addf %leak, %i : f64
  snn.derivatives %dx : f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@leaky, {tau = array<f64: 10.0, 20.0>}>} : !snn.spikes<2>
}

// -----

// rk2 (explicit midpoint): k1 = f(x); k2 = f(x + h/2 k1); x + h k2. The
// second evaluation reads the midpoint, the update the state before it.
// CHECK-LABEL: snn.neuron_model @midpoint
// CHECK-SAME: solver rk2 step 1.000000e-01 dynamics {
// CHECK-DAG: %[[H:.*]] = arith.constant 1.000000e-01 : f64
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-02 : f64
// CHECK: %[[NX1:.*]] = arith.negf %x : f64
// CHECK: %[[L1:.*]] = arith.divf %[[NX1]], %tau : f64
// CHECK: %[[K1:.*]] = arith.addf %[[L1]], %i : f64
// CHECK: %[[HK1:.*]] = arith.mulf %[[K1]], %[[HALF]] : f64
// CHECK: %[[MID:.*]] = arith.addf %x, %[[HK1]] : f64
// CHECK: %[[NX2:.*]] = arith.negf %[[MID]] : f64
// CHECK: %[[L2:.*]] = arith.divf %[[NX2]], %tau : f64
// CHECK: %[[K2:.*]] = arith.addf %[[L2]], %i : f64
// CHECK: %[[HK2:.*]] = arith.mulf %[[K2]], %[[H]] : f64
// CHECK: %[[NEXT:.*]] = arith.addf %x, %[[HK2]] : f64
// CHECK-NEXT: snn.yield %[[NEXT]] : f64
snn.neuron_model @midpoint states(%x = 0.0) params(%tau = 10.0) input(%i)
    time_unit 1.0e-3 solver rk2
dynamics {
  %nx = arith.negf %x : f64
  %leak = arith.divf %nx, %tau : f64
  %dx = arith.addf %leak, %i : f64
  snn.derivatives %dx : f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@midpoint, {}>} : !snn.spikes<2>
}

// -----

// exponential_euler: B = df/dx = -1 / tau by differentiation, A = f at
// x = 0, phi = expm1(B h) / B (h where B = 0); B and A read one changing
// value at most (here the input), so x + x expm1(B h) + A phi: each term a
// function of that one value.
// CHECK-LABEL: snn.neuron_model @expeuler
// CHECK-SAME: solver exponential_euler step 1.000000e-01 dynamics {
// CHECK-DAG: %[[MZERO:.*]] = arith.constant -0.000000e+00 : f64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG: %[[H:.*]] = arith.constant 1.000000e-01 : f64
// CHECK-DAG: %[[MINUS1:.*]] = arith.constant -1.000000e+00 : f64
// CHECK: %[[B:.*]] = arith.divf %[[MINUS1]], %tau : f64
// CHECK: %[[BH:.*]] = arith.mulf %[[B]], %[[H]] : f64
// CHECK: %[[E:.*]] = math.expm1 %[[BH]] : f64
// CHECK: %[[ISZERO:.*]] = arith.cmpf oeq, %[[B]], %[[ZERO]] : f64
// CHECK: %[[Q:.*]] = arith.divf %[[E]], %[[B]] : f64
// CHECK: %[[PHI:.*]] = arith.select %[[ISZERO]], %[[H]], %[[Q]] : f64
// CHECK: %[[LEAK0:.*]] = arith.divf %[[MZERO]], %tau : f64
// CHECK: %[[A:.*]] = arith.addf %[[LEAK0]], %i : f64
// CHECK: %[[XE:.*]] = arith.mulf %x, %[[E]] : f64
// CHECK: %[[APHI:.*]] = arith.mulf %[[A]], %[[PHI]] : f64
// CHECK: %[[STEP:.*]] = arith.addf %[[XE]], %[[APHI]] : f64
// CHECK: %[[NEXT:.*]] = arith.addf %x, %[[STEP]] : f64
// CHECK-NEXT: snn.yield %[[NEXT]] : f64
snn.neuron_model @expeuler states(%x = 0.0) params(%tau = 10.0) input(%i)
    time_unit 1.0e-3 solver exponential_euler
dynamics {
  %nx = arith.negf %x : f64
  %leak = arith.divf %nx, %tau : f64
  %dx = arith.addf %leak, %i : f64
  snn.derivatives %dx : f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@expeuler, {}>} : !snn.spikes<2>
}

// -----

// exponential_euler on a gating variable m linear in itself with
// coefficients from the other state v (before the step):
// dm/dt = a(v) (1 - m) - b m, a(v) = exp(v / 10), so B = -a(v) - b and
// A = a(v) (1 - 0) - b 0, both of v alone: m + m expm1(B h) + A phi.
// v has no term in itself: factor h (x + h f, Euler's). d(1 - m)/dm = -1
// folds to a constant.
// CHECK-LABEL: snn.neuron_model @gate
// CHECK-SAME: solver exponential_euler step 1.000000e-01 dynamics {
// CHECK-DAG: %[[MINUS1:.*]] = arith.constant -1.000000e+00 : f64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK-DAG: %[[H:.*]] = arith.constant 1.000000e-01 : f64
// CHECK: %[[A:.*]] = math.exp %{{.*}} : f64
// CHECK: %[[NA:.*]] = arith.mulf %[[A]], %[[MINUS1]] : f64
// CHECK: %[[B:.*]] = arith.subf %[[NA]], %b : f64
// CHECK: %[[BH:.*]] = arith.mulf %[[B]], %[[H]] : f64
// CHECK: %[[E:.*]] = math.expm1 %[[BH]] : f64
// CHECK: %[[PHI:.*]] = arith.select %{{.*}}, %[[H]], %{{.*}} : f64
// CHECK: %[[DOWN0:.*]] = arith.mulf %b, %[[ZERO]] : f64
// CHECK: %[[A0:.*]] = arith.subf %[[A]], %[[DOWN0]] : f64
// CHECK: %[[ME:.*]] = arith.mulf %m, %[[E]] : f64
// CHECK: %[[APHI:.*]] = arith.mulf %[[A0]], %[[PHI]] : f64
// CHECK: %[[STEPM:.*]] = arith.addf %[[ME]], %[[APHI]] : f64
// CHECK: %[[NEXTM:.*]] = arith.addf %m, %[[STEPM]] : f64
// CHECK: %[[HV:.*]] = arith.mulf %i, %[[H]] : f64
// CHECK: %[[NEXTV:.*]] = arith.addf %v, %[[HV]] : f64
// CHECK-NEXT: snn.yield %[[NEXTM]], %[[NEXTV]] : f64, f64
snn.neuron_model @gate states(%m = 0.0, %v = 0.0) params(%b = 0.5) input(%i)
    time_unit 1.0e-3 solver exponential_euler
dynamics {
  %one = arith.constant 1.0 : f64
  %ten = arith.constant 10.0 : f64
  %vs = arith.divf %v, %ten : f64
  %a = math.exp %vs : f64
  %open = arith.subf %one, %m : f64
  %up = arith.mulf %a, %open : f64
  %down = arith.mulf %b, %m : f64
  %dm = arith.subf %up, %down : f64
  snn.derivatives %dm, %i : f64, f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@gate, {}>} : !snn.spikes<2>
}

// -----

// exponential_euler where B reads a state and A the input (a conductance
// g times v): two changing values, so v + f phi(B), which keeps an error
// of phi in proportion to the step's change of v. g decays alone: A is
// -0 / tau, g + g expm1(B h) + A phi.
// CHECK-LABEL: snn.neuron_model @conductance
// CHECK: %[[GV:.*]] = arith.mulf %g, %v : f64
// CHECK: %[[F:.*]] = arith.subf %i, %[[GV]] : f64
// CHECK: %[[B:.*]] = arith.negf %g : f64
// CHECK: math.expm1
// CHECK: %[[PHI:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
// CHECK: %[[STEPV:.*]] = arith.mulf %[[F]], %[[PHI]] : f64
// CHECK: %[[NEXTV:.*]] = arith.addf %v, %[[STEPV]] : f64
// CHECK: %[[EG:.*]] = math.expm1 %{{.*}} : f64
// CHECK: %[[GE:.*]] = arith.mulf %g, %[[EG]] : f64
// CHECK: %[[STEPG:.*]] = arith.addf %[[GE]], %{{.*}} : f64
// CHECK: %[[NEXTG:.*]] = arith.addf %g, %[[STEPG]] : f64
// CHECK-NEXT: snn.yield %[[NEXTV]], %[[NEXTG]] : f64, f64
snn.neuron_model @conductance states(%v = 0.0, %g = 1.0) params(%tau = 5.0)
    input(%i) time_unit 1.0e-3 solver exponential_euler
dynamics {
  %gv = arith.mulf %g, %v : f64
  %dv = arith.subf %i, %gv : f64
  %ng = arith.negf %g : f64
  %dg = arith.divf %ng, %tau : f64
  snn.derivatives %dv, %dg : f64, f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@conductance, {}>} : !snn.spikes<2>
}

// -----

// exact on dx/dt = -x / tau + i: c = f(0), M = -1/tau, both scaled by
// h / 2^8 = 3.90625e-4, a Taylor polynomial of order 10 by Horner (the
// divisors 10 .. 2) and 8 squarings of exp(.) - I (F + F + F F, for the
// matrix and the input column: 16 doublings); no math ops.
// CHECK-LABEL: snn.neuron_model @exact
// CHECK-SAME: solver exact step 1.000000e-01 dynamics {
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 3.906250e-04 : f64
// CHECK-DAG: %[[TEN:.*]] = arith.constant 1.000000e+01 : f64
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2.000000e+00 : f64
// CHECK-DAG: %[[MINUS1:.*]] = arith.constant -1.000000e+00 : f64
// CHECK: %[[C:.*]] = arith.addf %{{.*}}, %i : f64
// CHECK: %[[M:.*]] = arith.divf %[[MINUS1]], %tau : f64
// CHECK: %[[A:.*]] = arith.mulf %[[M]], %[[SCALE]] : f64
// CHECK: arith.mulf %[[C]], %[[SCALE]] : f64
// CHECK: arith.divf %[[A]], %[[TEN]] : f64
// CHECK: arith.divf %{{.*}}, %[[TWO]] : f64
// CHECK-COUNT-16: arith.addf %[[D:[0-9]+]], %[[D]] : f64
// CHECK-NOT: math.
// CHECK: %[[NEXT:.*]] = arith.addf %x, %{{.*}} : f64
// CHECK-NEXT: snn.yield %[[NEXT]] : f64
snn.neuron_model @exact states(%x = 0.0) params(%tau = 10.0) input(%i)
    time_unit 1.0e-3 solver exact
dynamics {
  %nx = arith.negf %x : f64
  %leak = arith.divf %nx, %tau : f64
  %dx = arith.addf %leak, %i : f64
  snn.derivatives %dx : f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@exact, {}>} : !snn.spikes<2>
}

// -----

// exact on a coupled pair (a damped rotation): M = [[b, -w], [w, b]] from
// the parameters; the result mixes both states.
// CHECK-LABEL: snn.neuron_model @resonator
// CHECK-SAME: solver exact step 1.000000e-01 dynamics {
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 3.906250e-04 : f64
// CHECK-DAG: arith.mulf %b, %[[SCALE]] : f64
// CHECK-DAG: arith.mulf %w, %[[SCALE]] : f64
// CHECK-DAG: arith.negf %w : f64
// CHECK-NOT: math.
// CHECK: arith.mulf %{{.*}}, %x : f64
// CHECK: arith.mulf %{{.*}}, %y : f64
// CHECK: arith.mulf %{{.*}}, %x : f64
// CHECK: arith.mulf %{{.*}}, %y : f64
// CHECK: %[[NX:.*]] = arith.addf %x, %{{.*}} : f64
// CHECK: %[[NY:.*]] = arith.addf %y, %{{.*}} : f64
// CHECK-NEXT: snn.yield %[[NX]], %[[NY]] : f64, f64
snn.neuron_model @resonator states(%x = 0.0, %y = 0.0)
    params(%b = -0.1, %w = 1.0) input(%i) time_unit 1.0e-3 solver exact
dynamics {
  %bx = arith.mulf %b, %x : f64
  %wy = arith.mulf %w, %y : f64
  %rx = arith.subf %bx, %wy : f64
  %dx = arith.addf %rx, %i : f64
  %wx = arith.mulf %w, %x : f64
  %by = arith.mulf %b, %y : f64
  %dy = arith.addf %wx, %by : f64
  snn.derivatives %dx, %dy : f64, f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@resonator, {}>} : !snn.spikes<2>
}

// -----

// Already discretised (its step matches dt): left alone, solver and all.
// CHECK-LABEL: snn.neuron_model @done
// CHECK-SAME: solver exact step 1.000000e-01 dynamics {
// CHECK-NEXT: arith.constant 9.000000e-01 : f64
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: snn.yield
// RK2-LABEL: snn.neuron_model @done
// RK2-SAME: solver exact step 1.000000e-01 dynamics {
snn.neuron_model @done states(%x = 0.0) input(%i) time_unit 1.0e-3
    solver exact step 0.1
dynamics {
  %k = arith.constant 0.9 : f64
  %next = arith.mulf %x, %k : f64
  snn.yield %next : f64
}
snn.network @net attributes {dt = 1.0e-4 : f64} {
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@done, {}>} : !snn.spikes<2>
}

// -----

// A model no population uses stays in ODE form unless the option dt is
// given (dt = 0.2 ms: h = 0.2); a network without equation models is
// untouched.
// CHECK-LABEL: snn.neuron_model @alone
// CHECK-SAME: solver euler dynamics {
// CHECK: snn.derivatives
// DT-LABEL: snn.neuron_model @alone
// DT-SAME: solver euler step 2.000000e-01 dynamics {
// DT: arith.constant 2.000000e-01 : f64
// DT: snn.yield
// CHECK-LABEL: snn.network @lif
// CHECK: params = #snn.continuous<tau_mem = 2.000000e-02, v_th = 1.000000e+00>
snn.neuron_model @alone states(%x = 0.0) input(%i) time_unit 1.0e-3
    solver euler
dynamics {
  snn.derivatives %i : f64
}
snn.network @lif attributes {dt = 1.0e-3 : f64} {
  %p = snn.population @p {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<2>
}
