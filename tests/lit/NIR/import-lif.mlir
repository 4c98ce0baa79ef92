// Import of real NIR files (tests/e2e/nir/data, see its README): names,
// shapes, continuous parameters, projections and Output recordings.
// RUN: cajal-translate --import-nir %S/../../e2e/nir/data/lif_norse.nir --dt 1e-4 | FileCheck %s --check-prefix=NORSE
// RUN: cajal-translate --import-nir %S/../../e2e/nir/data/two_lif_neurons.nir --dt 1e-3 --name two | FileCheck %s --check-prefix=TWO

// NORSE: snn.network @lif_norse attributes {dt = 1.000000e-04 : f64} {
// NORSE-NEXT: %[[IN:.*]] = snn.input @input : !snn.spikes<1>
// NORSE-NEXT: %[[LIF:.*]] = snn.population @"1" {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 0.0024999999441206455, v_th = 0.10000000149011612, v_leak = 0.000000e+00, r = 1.000000e+00>, record_as = ["output"]} : !snn.spikes<1>
// NORSE-NEXT: snn.projection @"0" %[[IN]] -> %[[LIF]] {connectivity = #snn.dense<dense<1.000000e+00> : tensor<1x1xf64>>} : !snn.spikes<1> -> !snn.spikes<1>
// NORSE-NEXT: }

// TWO: snn.network @two attributes {dt = 1.000000e-03 : f64} {
// TWO-NEXT: %[[IN:.*]] = snn.input @in : !snn.spikes<1>
// TWO-NEXT: %[[L1:.*]] = snn.population @lif1 {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.000000e-02, v_th = 1.000000e+00, v_leak = 1.200000e+00, r = 1.000000e+00>} : !snn.spikes<1>
// TWO-NEXT: %[[L2:.*]] = snn.population @lif2 {{.*}}v_th = 2.000000e+01{{.*}}record_as = ["out"]
// TWO-NEXT: snn.projection @linear1 %[[IN]] -> %[[L1]]
// TWO-NEXT: snn.projection @linear2 %[[L1]] -> %[[L2]]
