// Coincidence detection by two dendrites: a neuron that fires only when
// both are active within a window (the D-AND neuron of Caze & Stimberg,
// "Dendritic neurons can perform linearly separable computations with low
// resolution synaptic weights", F1000Research 2020).
//
// Each dendrite takes one input (weight 6: a spike lifts its v to 1.09)
// and stays active (v above v_th = 0.5) for four steps, as v decays with
// tau_mem = 5 ms. The soma joins the two with AND: only while both are
// active does it receive 0.6 per step, and two such steps make it fire.
// Four trials of 100 steps (examples/dendritic_coincidence.input.csv): a
// then b two steps later (fires); a then b twenty steps later (silent);
// five spikes of a alone (silent, however many); b then a one step later
// (fires). It runs on loihi1 too (`--profile loihi1`).
//
// Run:
//   cajal compile examples/dendritic_coincidence.mlir -o c.cjimg --profile loihi2 --report fit.json
//   cajal run c.cjimg --steps 400 --input examples/dendritic_coincidence.input.csv --spikes-out s.csv
//
// Expect:
//   cores >= 1
//   spikes dand in 0..99 >= 1
//   spikes dand in 100..199 <= 0
//   spikes dand in 200..299 <= 0
//   spikes dand in 300..399 >= 1
snn.network @dendritic_coincidence attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %dand = snn.population @dand {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, join = #snn.join<and>, join_weight = 0.6} : !snn.spikes<1>
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 0.5>, parent = @dand, output = #snn.dendrite_output<active>} : !snn.spikes<1>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 0.5>, parent = @dand, output = #snn.dendrite_output<active>} : !snn.spikes<1>
  snn.projection @in_a %in -> %a {connectivity = #snn.dense<dense<[[6.0, 0.0]]> : tensor<1x2xf64>>} : !snn.spikes<2> -> !snn.spikes<1>
  snn.projection @in_b %in -> %b {connectivity = #snn.dense<dense<[[0.0, 6.0]]> : tensor<1x2xf64>>} : !snn.spikes<2> -> !snn.spikes<1>
}
