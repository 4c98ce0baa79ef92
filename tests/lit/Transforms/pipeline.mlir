// RUN: rm -rf %t && mkdir -p %t
// RUN: cajal-opt %s --cajal-compile="profile=loihi1 path=%t/a.img fit-report=%t/fit.json" -mlir-print-op-on-diagnostic=false 2>/dev/null | FileCheck %s
// RUN: FileCheck %s --check-prefix=FIT < %t/fit.json
// The same passes one by one give the same image, byte for byte.
// RUN: cajal-opt %s --snn-discretize --snn-quantize --snn-partition --convert-snn-to-nc --nc-place --nc-route --nc-emit-image=path=%t/b.img 2>/dev/null > /dev/null
// RUN: cmp %t/a.img %t/b.img
// RUN: test -s %t/a.img

snn.network @net attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<100>
  %noise = snn.poisson_source @noise {rate = 50.0 : f64, seed = 9 : i64} : !snn.spikes<20>
  %e = snn.population @e {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 2.0e-3>} : !snn.spikes<1500>
  %o = snn.population @o {model = #snn.model<li>, params = #snn.continuous<tau_mem = 1.0e-2>} : !snn.spikes<10>
  snn.projection @in_e %in -> %e {connectivity = #snn.fixed_prob<p = 0.1, seed = 1, weight = 5.0>} : !snn.spikes<100> -> !snn.spikes<1500>
  snn.projection @noise_e %noise -> %e {connectivity = #snn.fixed_prob<p = 0.05, seed = 4, weight = 2.0>} : !snn.spikes<20> -> !snn.spikes<1500>
  snn.projection @e_o %e -> %o {connectivity = #snn.fixed_prob<p = 0.2, seed = 2, weight = 0.25>, delay = 3 : i64} : !snn.spikes<1500> -> !snn.spikes<10>
  // Erased by the canonicalizer before partitioning: p = 0.
  snn.projection @dead %in -> %o {connectivity = #snn.fixed_prob<p = 0.0, seed = 2, weight = 0.25>} : !snn.spikes<100> -> !snn.spikes<10>
  snn.probe %e {kind = #snn.probe_kind<spikes>} : !snn.spikes<1500>
}
// CHECK-LABEL: snn.network @net
// CHECK: snn.population @e {cores = array<i64: 0, 1>, model = #snn.model<lif>, params = #snn.quantized<{{.*}}>, slices = array<i64: 0, 1024, 1500>, voltage_scale = {{.*}}}
// CHECK: snn.population @o {cores = array<i64: 1>, model = #snn.model<li>
// CHECK-NOT: @dead
// CHECK-LABEL: nc.chip @net_chip attributes {network = @net, profile = "loihi1"}
// CHECK-NEXT: nc.core @c0 attributes {slot = {{[0-3]}} : i64, x = {{[0-9]}} : i64, y = {{[0-9]}} : i64}
// CHECK-NEXT: nc.compartments @net::@e [0, 1024)
// CHECK-NEXT: nc.synapses @net::@in_e from [0, 100) to [0, 1024) {axons = 100 : i64}
// CHECK-NEXT: nc.synapses @net::@noise_e from [0, 20) to [0, 1024) {axons = 20 : i64}
// CHECK: nc.core @c1
// CHECK: nc.route @c0 -> @c1 {axons = {{[0-9]+}} : i64, hops = {{[0-9]+}} : i64}

// FIT: "network": "net"
// FIT: "profile": "loihi1"
// FIT: "coresUsed": 2
// FIT: "coresAvailable": 128
