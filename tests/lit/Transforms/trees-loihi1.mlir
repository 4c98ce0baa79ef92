// RUN: cajal-opt %s --split-input-file --snn-discretize --snn-quantize=profile=%profiles/loihi1.json -mlir-print-op-on-diagnostic=false 2>/dev/null | FileCheck %s
// RUN: not cajal-opt %s --split-input-file --snn-discretize --snn-quantize=profile=%profiles/loihi1.json --snn-partition=profile=%profiles/loihi1.json --convert-snn-to-nc=profile=%profiles/loihi1.json -mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=ERR
// Dendritic trees on loihi1, whose dendrites pass their values unscaled (no
// multiplier): every compartment of a tree gets one voltage scale, the one
// that holds the largest threshold, bias and weight among them (here the
// basal dendrite's weight of 8); a point population keeps its own.

// CHECK-LABEL: snn.network @shared
// CHECK: snn.population @pyr {{.*}}voltage_scale = [[S:[-0-9.e+]+]] : f64
// CHECK: snn.population @apical {{.*}}voltage_scale = [[S]] : f64
// CHECK: snn.population @basal {{.*}}voltage_scale = [[S]] : f64
// CHECK-NOT: voltage_scale = [[S]] : f64
// CHECK: snn.projection @in_point
snn.network @shared attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<2>
  %pyr = snn.population @pyr {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<4>
  %apical = snn.population @apical {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 4.0>, parent = @pyr} : !snn.spikes<4>
  %basal = snn.population @basal {model = #snn.model<li>, params = #snn.continuous<tau_mem = 5.0e-3>, parent = @pyr} : !snn.spikes<4>
  snn.projection @in_apical %in -> %apical {connectivity = #snn.dense<dense<1.0> : tensor<4x2xf64>>} : !snn.spikes<2> -> !snn.spikes<4>
  snn.projection @in_basal %in -> %basal {connectivity = #snn.dense<dense<8.0> : tensor<4x2xf64>>} : !snn.spikes<2> -> !snn.spikes<4>
  %point = snn.population @point {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0>} : !snn.spikes<4>
  snn.projection @in_point %in -> %point {connectivity = #snn.dense<dense<1.0> : tensor<4x2xf64>>} : !snn.spikes<2> -> !snn.spikes<4>
}

// -----

// A coupling other than 1 would need the multiplier.
// ERR: error: 'snn.population' op population "pyr": dendrite "apical" passes its voltage times 0.5 (its coupling, with its parent's voltage scale over its own); profile "loihi1" has no multiplier (isa.multiplier) and passes a dendrite's value unscaled: give it coupling 1 and scale its input weights instead
snn.network @coupled attributes {dt = 1.0e-3 : f64} {
  %pyr = snn.population @pyr {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0.5>} : !snn.spikes<4>
  %apical = snn.population @apical {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 5.0e-3, v_th = 1.0, bias = 0.5>, parent = @pyr, coupling = 0.5} : !snn.spikes<4>
}

// -----

// A join of three children: loihi1 pops at most two values.
// ERR: error: 'snn.population' op population "soma": its dendritic tree is refused by profile "loihi1": compartment "soma": program "lif-soma-add3": instruction {{[0-9]+}}: POP: the program pops 3 values; a compartment of profile "loihi1" pops at most 2 (isa.maxPops)
snn.network @wide attributes {dt = 1.0e-3 : f64} {
  %soma = snn.population @soma {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0.5>} : !snn.spikes<2>
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0.5>, parent = @soma} : !snn.spikes<2>
  %b = snn.population @b {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0.5>, parent = @soma} : !snn.spikes<2>
  %c = snn.population @c {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 1.0e-2, v_th = 1.0, bias = 0.5>, parent = @soma} : !snn.spikes<2>
}
