// XOR of two inputs in one layer of three-compartment neurons.
//
// XOR is not linearly separable: no point neuron's threshold on a weighted
// sum of two inputs fires for either input alone but not for both (the
// point neuron below, weights +3 and +3, fires for each input alone and so for both). A neuron with two
// active dendrites does it (after Stoeckel & Eliasmith, Neuromorph. Comput.
// Eng. 2022, where dendritic nonlinearities make a single layer compute
// XOR): the left dendrite takes input a with weight +1 and input b with -2,
// so it is active (its v above v_th) while a spikes without b; the right
// dendrite the mirror image. The soma joins the two with OR: while either
// is active it receives 0.5 per step and fires. The inputs come in four
// trials of 100 steps, (a, b) = (0, 0), (1, 0), (0, 1), (1, 1); an active
// input spikes every other step of steps 10 to 59 of its trial
// (examples/dendritic_xor.input.csv). The tree needs a chip with a tree
// stack (docs/neurocore-isa.md, "Dendritic trees"): loihi2, or loihi1,
// whose fixed-function trees it keeps to (joins of two, outputs that need
// no multiplier): `--profile loihi1` runs it too.
//
// Run:
//   cajal compile examples/dendritic_xor.mlir -o x.cjimg --profile loihi2 --report fit.json
//   cajal run x.cjimg --steps 400 --input examples/dendritic_xor.input.csv --spikes-out s.csv
//
// Expect:
//   cores >= 1
//   spikes xor in 0..99 <= 0
//   spikes xor in 100..199 >= 5
//   spikes xor in 200..299 >= 5
//   spikes xor in 300..399 <= 0
//   spikes point in 100..199 >= 3
//   spikes point in 300..399 >= 5
snn.network @dendritic_xor attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %xor = snn.population @xor {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>, join = #snn.join<or>, join_weight = 0.5} : !snn.spikes<1>
  %left = snn.population @left {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 0.5>, parent = @xor, output = #snn.dendrite_output<active>} : !snn.spikes<1>
  %right = snn.population @right {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 0.5>, parent = @xor, output = #snn.dendrite_output<active>} : !snn.spikes<1>
  snn.projection @in_left %in -> %left {connectivity = #snn.dense<dense<[[1.0, -2.0]]> : tensor<1x2xf64>>} : !snn.spikes<2> -> !snn.spikes<1>
  snn.projection @in_right %in -> %right {connectivity = #snn.dense<dense<[[-2.0, 1.0]]> : tensor<1x2xf64>>} : !snn.spikes<2> -> !snn.spikes<1>
  %point = snn.population @point {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<1>
  snn.projection @in_point %in -> %point {connectivity = #snn.dense<dense<[[3.0, 3.0]]> : tensor<1x2xf64>>} : !snn.spikes<2> -> !snn.spikes<1>
}
