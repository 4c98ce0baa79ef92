// snnTorch's recurrent Braille model, flat and with the recurrent layer as a
// nested NIRGraph: nested nodes are named "graph.node", the recurrent Affine
// becomes a projection of the population onto itself, and the Affine biases
// become the CubaLIF populations' bias (times w_in).
// RUN: cajal-translate --import-nir %S/../../e2e/nir/data/braille_noDelay_bias_zero.nir --dt 1e-4 --elide-blobs | FileCheck %s --check-prefixes=CHECK,FLAT
// RUN: cajal-translate --import-nir %S/../../e2e/nir/data/braille_noDelay_bias_zero_subgraph.nir --dt 1e-4 --elide-blobs | FileCheck %s --check-prefixes=CHECK,NESTED
// RUN: cajal-translate --import-nir %S/../../e2e/nir/data/braille_noDelay_noBias_subtract.nir --dt 1e-4 --reset subtract --elide-blobs | FileCheck %s --check-prefix=SUB

// CHECK: %[[IN:.*]] = snn.input @input : !snn.spikes<12>
// FLAT: %[[H:.*]] = snn.population @lif1.lif {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 9.9999976158147768E-4, tau_syn = 2.2222222810910089E-4, v_th = 1.000000e+00, v_leak = 0.000000e+00, r = 9.9999976158147756, bias = array<f64: 0.14454542317775682
// NESTED: %[[H:.*]] = snn.population @lif1.lif1 {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 9.9999976158147768E-4, tau_syn = 2.2222222810910089E-4, v_th = 1.000000e+00, v_leak = 0.000000e+00, r = 9.9999976158147756, bias = array<f64: 0.14454542317775682
// CHECK-SAME: w_in = 2.2222222810910086>} : !snn.spikes<38>
// CHECK-NEXT: %[[O:.*]] = snn.population @lif2 {{.*}}record_as = ["output"]} : !snn.spikes<7>
// CHECK-NEXT: snn.projection @fc1 %[[IN]] -> %[[H]] {connectivity = #snn.dense<dense<{{.*}}> : tensor<38x12xf64>>}
// FLAT-NEXT: snn.projection @lif1.w_rec %[[H]] -> %[[H]] {connectivity = #snn.dense<dense<{{.*}}> : tensor<38x38xf64>>}
// NESTED-NEXT: snn.projection @lif1.lin %[[H]] -> %[[H]] {connectivity = #snn.dense<dense<{{.*}}> : tensor<38x38xf64>>}
// CHECK-NEXT: snn.projection @fc2 %[[H]] -> %[[O]]

// No bias in the subtract model, and the reset mode asked for.
// SUB: snn.population @lif1.lif {model = #snn.model<cuba_lif>, params = #snn.continuous<{{[^>]*}}reset = subtract>} : !snn.spikes<40>
// SUB-NOT: bias
