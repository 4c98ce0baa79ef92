// RUN: cajal-opt %s -split-input-file -verify-diagnostics
// Every refusal of a dendritic tree (PopulationOp, "Dendritic trees"), one
// per split.

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{'parent' @soma is not a population of network @n}}
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @soma} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{has 3 neurons but its parent @s has 2: a dendrite is one compartment of each of its tree's neurons}}
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s} : !snn.spikes<3>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{is in a cycle of parents: @a -> @b -> @a; a dendritic tree ends at a root without a parent}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @b} : !snn.spikes<2>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @a} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{is in a cycle of parents: @a -> @a}}
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @a} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{has 'join' but no dendrite names it as 'parent': there is nothing to join}}
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, join = #snn.join<and>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{has 'join_weight' but no dendrite names it as 'parent': there is nothing to join}}
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s, join_weight = 1.0} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{has 'join_weight' but joins with 'max': only 'and' and 'or' weigh their 0 or 1}}
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, join = #snn.join<max>, join_weight = 1.0} : !snn.spikes<2>
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{has 'output' but no 'parent': only a dendrite passes a value to a parent}}
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, output = #snn.dendrite_output<active>} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{has 'reset_on_bap' but no 'parent'}}
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, reset_on_bap} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  // expected-error @+1 {{is a compartment of a dendritic tree with model 'izhikevich'; a tree's compartments run the LIF family (if, lif, cuba_lif, li)}}
  %s = snn.population @s {model = #snn.model<izhikevich>, params = #snn.izhikevich<bias = 5.0>} : !snn.spikes<2>
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  // expected-error @+1 {{is a dendrite with 'initial'; a dendrite starts at rest and has no spikes to record}}
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s, initial = {v = 0.5}} : !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s} : !snn.spikes<2>
  // expected-error @+1 {{starts at dendrite @d, which never spikes; a projection starts at its tree's root}}
  snn.projection @p %d -> %s {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<2> -> !snn.spikes<2>
}

// -----

snn.network @n attributes {dt = 1.0e-3 : f64} {
  %s = snn.population @s {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<2>
  %d = snn.population @d {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, parent = @s} : !snn.spikes<2>
  // expected-error @+1 {{records dendrite @d, which has no spikes; probe its tree's root}}
  snn.probe %d {kind = #snn.probe_kind<spikes>} : !snn.spikes<2>
}
