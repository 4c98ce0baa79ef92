// The Potjans & Diesmann (2014) cortical microcircuit at n-scaling 0.01, k-scaling 0.5:
// written by `examples/microcircuit.py --n-scaling 0.01 --k-scaling 0.5 --background poisson` (its docstring
// gives the sources and the approximations). 771 neurons, 1494402 synapses.
//
// bench/microcircuit compares its rates and irregularity with the
// reference's and times it; at this scale a neuron's in-degree
// comes from few others (many multapses), so the rates are not the
// full-scale network's.
//
// Run:
//   cajal compile examples/microcircuit-poisson.mlir -o pd14.cjimg --report fit.json
//   cajal run pd14.cjimg --steps 2000 --spikes-out spikes.csv
//
// Expect:
//   cores >= 2
//   spikes L23E >= 48
//   spikes L23E <= 360
//   spikes L23I >= 35
//   spikes L23I <= 264
//   spikes L4E >= 67
//   spikes L4E <= 504
//   spikes L4I >= 42
//   spikes L4I <= 321
//   spikes L5E >= 59
//   spikes L5E <= 447
//   spikes L5I >= 10
//   spikes L5I <= 75
//   spikes L6E >= 28
//   spikes L6E <= 213
//   spikes L6I >= 28
//   spikes L6I <= 210
snn.network @microcircuit attributes {dt = 1.0e-4 : f64} {
  %L23E = snn.population @L23E {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 12.437120, t_ref = 0.002>, initial = {v = #snn.normal<mean = -68.28, std = 5.36>}, initial_seed = 1 : i64} : !snn.spikes<207>
  %L23I = snn.population @L23I {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 48.134101, t_ref = 0.002>, initial = {v = #snn.normal<mean = -63.16, std = 4.57>}, initial_seed = 2 : i64} : !snn.spikes<58>
  %L4E = snn.population @L4E {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 48.390478, t_ref = 0.002>, initial = {v = #snn.normal<mean = -63.33, std = 4.74>}, initial_seed = 3 : i64} : !snn.spikes<219>
  %L4I = snn.population @L4I {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 49.256012, t_ref = 0.002>, initial = {v = #snn.normal<mean = -63.45, std = 4.94>}, initial_seed = 4 : i64} : !snn.spikes<55>
  %L5E = snn.population @L5E {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 53.722806, t_ref = 0.002>, initial = {v = #snn.normal<mean = -63.11, std = 4.94>}, initial_seed = 5 : i64} : !snn.spikes<48>
  %L5I = snn.population @L5I {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 64.973904, t_ref = 0.002>, initial = {v = #snn.normal<mean = -61.66, std = 4.55>}, initial_seed = 6 : i64} : !snn.spikes<11>
  %L6E = snn.population @L6E {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 18.781776, t_ref = 0.002>, initial = {v = #snn.normal<mean = -66.72, std = 5.46>}, initial_seed = 7 : i64} : !snn.spikes<144>
  %L6I = snn.population @L6I {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 0.01, tau_syn = 0.0005, v_th = -50.0, v_leak = -65.0, v_reset = -65.0, r = 0.04, bias = 65.841420, t_ref = 0.002>, initial = {v = #snn.normal<mean = -61.43, std = 4.48>}, initial_seed = 8 : i64} : !snn.spikes<29>
  %bg_L23E = snn.poisson_source @bg_L23E {rate = 8.0 : f64, group = 800 : i64, seed = 50 : i64} : !snn.spikes<207>
  snn.projection @bg_to_L23E %bg_L23E -> %L23E {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<207> -> !snn.spikes<207>
  %bg_L23I = snn.poisson_source @bg_L23I {rate = 8.0 : f64, group = 750 : i64, seed = 51 : i64} : !snn.spikes<58>
  snn.projection @bg_to_L23I %bg_L23I -> %L23I {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<58> -> !snn.spikes<58>
  %bg_L4E = snn.poisson_source @bg_L4E {rate = 8.0 : f64, group = 1050 : i64, seed = 52 : i64} : !snn.spikes<219>
  snn.projection @bg_to_L4E %bg_L4E -> %L4E {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<219> -> !snn.spikes<219>
  %bg_L4I = snn.poisson_source @bg_L4I {rate = 8.0 : f64, group = 950 : i64, seed = 53 : i64} : !snn.spikes<55>
  snn.projection @bg_to_L4I %bg_L4I -> %L4I {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<55> -> !snn.spikes<55>
  %bg_L5E = snn.poisson_source @bg_L5E {rate = 8.0 : f64, group = 1000 : i64, seed = 54 : i64} : !snn.spikes<48>
  snn.projection @bg_to_L5E %bg_L5E -> %L5E {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<48> -> !snn.spikes<48>
  %bg_L5I = snn.poisson_source @bg_L5I {rate = 8.0 : f64, group = 950 : i64, seed = 55 : i64} : !snn.spikes<11>
  snn.projection @bg_to_L5I %bg_L5I -> %L5I {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<11> -> !snn.spikes<11>
  %bg_L6E = snn.poisson_source @bg_L6E {rate = 8.0 : f64, group = 1450 : i64, seed = 56 : i64} : !snn.spikes<144>
  snn.projection @bg_to_L6E %bg_L6E -> %L6E {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<144> -> !snn.spikes<144>
  %bg_L6I = snn.poisson_source @bg_L6I {rate = 8.0 : f64, group = 1050 : i64, seed = 57 : i64} : !snn.spikes<29>
  snn.projection @bg_to_L6I %bg_L6I -> %L6I {connectivity = #snn.one_to_one<620.796401>, delay = 16 : i64} : !snn.spikes<29> -> !snn.spikes<29>
  snn.projection @L23E_to_L23E %L23E -> %L23E {connectivity = #snn.fixed_number<total = 227499, seed = 100, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<207>
  snn.projection @L23I_to_L23E %L23I -> %L23E {connectivity = #snn.fixed_number<total = 111618, seed = 103, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<207>
  snn.projection @L4E_to_L23E %L4E -> %L23E {connectivity = #snn.fixed_number<total = 101268, seed = 106, weight = #snn.normal<mean = 1241.592803, std = 124.159280, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<207>
  snn.projection @L4I_to_L23E %L4I -> %L23E {connectivity = #snn.fixed_number<total = 48355, seed = 109, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<207>
  snn.projection @L5E_to_L23E %L5E -> %L23E {connectivity = #snn.fixed_number<total = 16468, seed = 112, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<207>
  snn.projection @L6E_to_L23E %L6E -> %L23E {connectivity = #snn.fixed_number<total = 11357, seed = 115, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<207>
  snn.projection @L23E_to_L23I %L23E -> %L23I {connectivity = #snn.fixed_number<total = 87218, seed = 118, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<58>
  snn.projection @L23I_to_L23I %L23I -> %L23I {connectivity = #snn.fixed_number<total = 25094, seed = 121, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<58>
  snn.projection @L4E_to_L23I %L4E -> %L23I {connectivity = #snn.fixed_number<total = 20527, seed = 124, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<58>
  snn.projection @L4I_to_L23I %L4I -> %L23I {connectivity = #snn.fixed_number<total = 8450, seed = 127, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<58>
  snn.projection @L5E_to_L23I %L5E -> %L23I {connectivity = #snn.fixed_number<total = 11106, seed = 130, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<58>
  snn.projection @L6E_to_L23I %L6E -> %L23I {connectivity = #snn.fixed_number<total = 1767, seed = 133, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<58>
  snn.projection @L23E_to_L4E %L23E -> %L4E {connectivity = #snn.fixed_number<total = 17518, seed = 136, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<219>
  snn.projection @L23I_to_L4E %L23I -> %L4E {connectivity = #snn.fixed_number<total = 3783, seed = 139, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<219>
  snn.projection @L4E_to_L4E %L4E -> %L4E {connectivity = #snn.fixed_number<total = 122414, seed = 142, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<219>
  snn.projection @L4I_to_L4E %L4I -> %L4E {connectivity = #snn.fixed_number<total = 87068, seed = 145, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<219>
  snn.projection @L5E_to_L4E %L5E -> %L4E {connectivity = #snn.fixed_number<total = 3573, seed = 148, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<219>
  snn.projection @L5I_to_L4E %L5I -> %L4E {connectivity = #snn.fixed_number<total = 35, seed = 151, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<11> -> !snn.spikes<219>
  snn.projection @L6E_to_L4E %L6E -> %L4E {connectivity = #snn.fixed_number<total = 73122, seed = 154, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<219>
  snn.projection @L23E_to_L4I %L23E -> %L4I {connectivity = #snn.fixed_number<total = 40571, seed = 157, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<55>
  snn.projection @L23I_to_L4I %L23I -> %L4I {connectivity = #snn.fixed_number<total = 464, seed = 160, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<55>
  snn.projection @L4E_to_L4I %L4E -> %L4I {connectivity = #snn.fixed_number<total = 49668, seed = 163, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<55>
  snn.projection @L4I_to_L4I %L4I -> %L4I {connectivity = #snn.fixed_number<total = 26116, seed = 166, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<55>
  snn.projection @L5E_to_L4I %L5E -> %L4I {connectivity = #snn.fixed_number<total = 439, seed = 169, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<55>
  snn.projection @L6E_to_L4I %L6E -> %L4I {connectivity = #snn.fixed_number<total = 44055, seed = 172, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<55>
  snn.projection @L23E_to_L5E %L23E -> %L5E {connectivity = #snn.fixed_number<total = 53068, seed = 175, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<48>
  snn.projection @L23I_to_L5E %L23I -> %L5E {connectivity = #snn.fixed_number<total = 9085, seed = 178, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<48>
  snn.projection @L4E_to_L5E %L4E -> %L5E {connectivity = #snn.fixed_number<total = 27539, seed = 181, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<48>
  snn.projection @L4I_to_L5E %L4I -> %L5E {connectivity = #snn.fixed_number<total = 760, seed = 184, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<48>
  snn.projection @L5E_to_L5E %L5E -> %L5E {connectivity = #snn.fixed_number<total = 10204, seed = 187, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<48>
  snn.projection @L5I_to_L5E %L5I -> %L5E {connectivity = #snn.fixed_number<total = 12039, seed = 190, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<11> -> !snn.spikes<48>
  snn.projection @L6E_to_L5E %L6E -> %L5E {connectivity = #snn.fixed_number<total = 7195, seed = 193, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<48>
  snn.projection @L23E_to_L5I %L23E -> %L5I {connectivity = #snn.fixed_number<total = 6207, seed = 196, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<11>
  snn.projection @L23I_to_L5I %L23I -> %L5I {connectivity = #snn.fixed_number<total = 847, seed = 199, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<11>
  snn.projection @L4E_to_L5I %L4E -> %L5I {connectivity = #snn.fixed_number<total = 3038, seed = 202, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<11>
  snn.projection @L4I_to_L5I %L4I -> %L5I {connectivity = #snn.fixed_number<total = 64, seed = 205, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<11>
  snn.projection @L5E_to_L5I %L5E -> %L5I {connectivity = #snn.fixed_number<total = 1598, seed = 208, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<11>
  snn.projection @L5I_to_L5I %L5I -> %L5I {connectivity = #snn.fixed_number<total = 2152, seed = 211, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<11> -> !snn.spikes<11>
  snn.projection @L6E_to_L5I %L6E -> %L5I {connectivity = #snn.fixed_number<total = 662, seed = 214, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<11>
  snn.projection @L23E_to_L6E %L23E -> %L6E {connectivity = #snn.fixed_number<total = 23406, seed = 217, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<144>
  snn.projection @L23I_to_L6E %L23I -> %L6E {connectivity = #snn.fixed_number<total = 2781, seed = 220, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<144>
  snn.projection @L4E_to_L6E %L4E -> %L6E {connectivity = #snn.fixed_number<total = 33638, seed = 223, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<144>
  snn.projection @L4I_to_L6E %L4I -> %L6E {connectivity = #snn.fixed_number<total = 6601, seed = 226, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<144>
  snn.projection @L5E_to_L6E %L5E -> %L6E {connectivity = #snn.fixed_number<total = 20561, seed = 229, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<144>
  snn.projection @L5I_to_L6E %L5I -> %L6E {connectivity = #snn.fixed_number<total = 1525, seed = 232, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<11> -> !snn.spikes<144>
  snn.projection @L6E_to_L6E %L6E -> %L6E {connectivity = #snn.fixed_number<total = 41863, seed = 235, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<144>
  snn.projection @L6I_to_L6E %L6I -> %L6E {connectivity = #snn.fixed_number<total = 54138, seed = 238, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<29> -> !snn.spikes<144>
  snn.projection @L23E_to_L6I %L23E -> %L6I {connectivity = #snn.fixed_number<total = 11304, seed = 241, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<207> -> !snn.spikes<29>
  snn.projection @L23I_to_L6I %L23I -> %L6I {connectivity = #snn.fixed_number<total = 86, seed = 244, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<58> -> !snn.spikes<29>
  snn.projection @L4E_to_L6I %L4E -> %L6I {connectivity = #snn.fixed_number<total = 1100, seed = 247, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<219> -> !snn.spikes<29>
  snn.projection @L4I_to_L6I %L4I -> %L6I {connectivity = #snn.fixed_number<total = 40, seed = 250, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<55> -> !snn.spikes<29>
  snn.projection @L5E_to_L6I %L5E -> %L6I {connectivity = #snn.fixed_number<total = 2008, seed = 253, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<48> -> !snn.spikes<29>
  snn.projection @L5I_to_L6I %L5I -> %L6I {connectivity = #snn.fixed_number<total = 126, seed = 256, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<11> -> !snn.spikes<29>
  snn.projection @L6E_to_L6I %L6E -> %L6I {connectivity = #snn.fixed_number<total = 14442, seed = 259, weight = #snn.normal<mean = 620.796401, std = 62.079640, low = 0.0>, allow_self = false, delay = #snn.normal<mean = 16.000000, std = 7.500000, low = 1.5, high = 61.0>>} : !snn.spikes<144> -> !snn.spikes<29>
  snn.projection @L6I_to_L6I %L6I -> %L6I {connectivity = #snn.fixed_number<total = 6772, seed = 262, weight = #snn.normal<mean = -2483.185606, std = 248.318561, high = 0.0>, allow_self = false, delay = #snn.normal<mean = 8.500000, std = 3.750000, low = 1.5, high = 61.0>>} : !snn.spikes<29> -> !snn.spikes<29>
  snn.probe %L23E {kind = #snn.probe_kind<spikes>} : !snn.spikes<207>
  snn.probe %L23I {kind = #snn.probe_kind<spikes>} : !snn.spikes<58>
  snn.probe %L4E {kind = #snn.probe_kind<spikes>} : !snn.spikes<219>
  snn.probe %L4I {kind = #snn.probe_kind<spikes>} : !snn.spikes<55>
  snn.probe %L5E {kind = #snn.probe_kind<spikes>} : !snn.spikes<48>
  snn.probe %L5I {kind = #snn.probe_kind<spikes>} : !snn.spikes<11>
  snn.probe %L6E {kind = #snn.probe_kind<spikes>} : !snn.spikes<144>
  snn.probe %L6I {kind = #snn.probe_kind<spikes>} : !snn.spikes<29>
}
