// RUN: cajal-opt %s -split-input-file -verify-diagnostics
// Every refusal of snn.neuron_model and of populations of it, one per split.

// expected-note @+2 {{previously referenced here}}
// expected-error @+1 {{region entry argument '%v' is already in use}}
snn.neuron_model @m states(%v = 0.0) params(%v = 1.0) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
}

// -----

// expected-error @+1 {{state 'v' starts at 5.000000e+01, outside its range [-1.000000e+01, 1.000000e+01]}}
snn.neuron_model @m states(%v = 50.0 [-10.0, 10.0]) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
}

// -----

// expected-error @+1 {{time_unit 0.000000e+00 s must be finite and > 0}}
snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 0.0 solver euler dynamics {
  snn.derivatives %i : f64
}

// -----

// expected-error @+1 {{unknown solver 'heun' (euler, exponential_euler, rk2 or exact)}}
snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 1.0 solver heun dynamics {
  snn.derivatives %i : f64
}

// -----

// expected-error @+1 {{region 'dynamics' must end with snn.derivatives}}
snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 1.0 solver euler dynamics {
  snn.yield %i : f64
}

// -----

// expected-error @+1 {{region 'dynamics' must end with snn.yield}}
snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 1.0 solver euler step 0.1 dynamics {
  snn.derivatives %i : f64
}

// -----

snn.neuron_model @m states(%v = 0.0, %w = 0.0) input(%i) time_unit 1.0 solver euler dynamics {
  // expected-error @+1 {{gives 1 value(s) of types ('f64'); region 'dynamics' gives 2 ('f64', 'f64')}}
  snn.derivatives %i : f64
}

// -----

snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 1.0 solver euler dynamics {
  // expected-error @+1 {{is not an operation a neuron model may use}}
  %x = arith.remf %v, %i : f64
  snn.derivatives %x : f64
}

// -----

snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 1.0 solver euler dynamics {
  // expected-error @+1 {{is only meaningful in the spike and reset regions}}
  %p = snn.previous %v
  snn.derivatives %p : f64
}

// -----

snn.neuron_model @m states(%v = 0.0) params(%th = 1.0) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
} spike {
  // expected-error @+1 {{takes a state argument of the snn.neuron_model region it is in}}
  %p = snn.previous %th
  %c = arith.cmpf ogt, %v, %p : f64
  snn.yield %c : i1
}

// -----

// expected-error @+1 {{has a reset but no spike condition}}
snn.neuron_model @m states(%v = 0.0) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
} reset {
  %z = arith.constant 0.0 : f64
  snn.yield %z : f64
}

// -----

snn.neuron_model @m states(%v = 0.0) params(%th = 1.0) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
}
snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{model @m has no parameter or state 'tau'}}
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {tau = 1.0 : f64}>} : !snn.spikes<2>
}

// -----

snn.neuron_model @m states(%v = 0.0) params(%th = 1.0) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
}
snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{parameter 'th' has 3 values for 2 neurons}}
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {th = array<f64: 1.0, 2.0, 3.0>}>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{no snn.neuron_model @absent beside the network}}
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@absent, {}>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{model 'equations' takes #snn.equations parameters}}
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
}

// -----

snn.neuron_model @m states(%v = 0.0 [-1.0, 1.0]) input(%i) time_unit 1.0 solver euler dynamics {
  snn.derivatives %i : f64
}
snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{the initial value of state 'v' must be one finite f64 in [-1.000000e+00, 1.000000e+00], got array<f64: 0.000000e+00, 5.000000e-01>}}
  %p = snn.population @p {model = #snn.model<equations>, params = #snn.equations<@m, {v = array<f64: 0.0, 0.5>}>} : !snn.spikes<2>
}
