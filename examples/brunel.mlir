// Brunel's sparse balanced network (J. Comput. Neurosci. 8, 2000, model A),
// written with fixed in-degree connectors and drawn delays.
//
// 800 excitatory and 200 inhibitory LIF neurons (tau = 20 ms, threshold
// 20 mV, reset 10 mV, refractory 2 ms; voltages in mV above rest), dt =
// 0.1 ms. Every neuron receives exactly C_E = 80 excitatory and C_I = 20
// inhibitory synapses (in-degree fixed, no multapses, no autapses: epsilon =
// 0.1) of J = 0.5 mV and -g J = -4 mV (g = 8), and C_E = 80 external ones
// from a pool of Poisson neurons at 50 Hz (eta = nu_ext / nu_thr = 2, with
// nu_thr = 20 mV / (J C_E tau) = 25 Hz), whose weights are drawn per synapse
// from N(J, (J/10)^2). Each recurrent synapse draws its delay uniformly from
// 1 to 2 ms (the original: 1.5 ms for all). A weight w moves the membrane
// by w dt / tau, so J = 0.5 mV is w = 100. The network settles into
// asynchronous irregular firing: about 30 Hz per neuron, with a CV of the
// interspike intervals near 1 (`cajal run brunel.cjimg --steps 10000
// --spikes-out spikes.csv`: 24,917 excitatory spikes, mean CV 1.03 over the
// excitatory neurons' intervals).
//
// Run:
//   cajal compile examples/brunel.mlir -o brunel.cjimg --report fit.json
//   cajal run brunel.cjimg --steps 2000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 1
//   spikes exc >= 2000
//   spikes exc <= 12000
//   spikes inh >= 500
snn.network @brunel attributes {dt = 1.0e-4 : f64} {
  %ext = snn.poisson_source @ext {rate = 50.0 : f64, seed = 5 : i64} : !snn.spikes<800>
  %exc = snn.population @exc {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 20.0, v_leak = 0.0, v_reset = 10.0, t_ref = 2.0e-3>} : !snn.spikes<800>
  %inh = snn.population @inh {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 20.0, v_leak = 0.0, v_reset = 10.0, t_ref = 2.0e-3>} : !snn.spikes<200>
  snn.projection @ext_exc %ext -> %exc {connectivity = #snn.fixed_number<in_degree = 80, seed = 1, weight = #snn.normal<mean = 100.0, std = 10.0, low = 0.0>>} : !snn.spikes<800> -> !snn.spikes<800>
  snn.projection @ext_inh %ext -> %inh {connectivity = #snn.fixed_number<in_degree = 80, seed = 2, weight = #snn.normal<mean = 100.0, std = 10.0, low = 0.0>>} : !snn.spikes<800> -> !snn.spikes<200>
  snn.projection @ee %exc -> %exc {connectivity = #snn.fixed_number<in_degree = 80, seed = 3, weight = 100.0, allow_self = false, allow_multapses = false, delay = #snn.uniform<low = 9.5, high = 20.5>>} : !snn.spikes<800> -> !snn.spikes<800>
  snn.projection @ei %exc -> %inh {connectivity = #snn.fixed_number<in_degree = 80, seed = 4, weight = 100.0, allow_multapses = false, delay = #snn.uniform<low = 9.5, high = 20.5>>} : !snn.spikes<800> -> !snn.spikes<200>
  snn.projection @ie %inh -> %exc {connectivity = #snn.fixed_number<in_degree = 20, seed = 5, weight = -800.0, allow_multapses = false, delay = #snn.uniform<low = 9.5, high = 20.5>>} : !snn.spikes<200> -> !snn.spikes<800>
  snn.projection @ii %inh -> %inh {connectivity = #snn.fixed_number<in_degree = 20, seed = 6, weight = -800.0, allow_self = false, allow_multapses = false, delay = #snn.uniform<low = 9.5, high = 20.5>>} : !snn.spikes<200> -> !snn.spikes<200>
  snn.probe %exc {kind = #snn.probe_kind<spikes>} : !snn.spikes<800>
  snn.probe %inh {kind = #snn.probe_kind<spikes>} : !snn.spikes<200>
}
