// Vogels-Abbott-style balanced network, current based (CUBA): 4,000 LIF neurons.
//
// After Vogels & Abbott (J. Neurosci. 2005) as in Brette et al. (J. Comput.
// Neurosci. 2007, benchmark 2): 3,200 excitatory and 800 inhibitory neurons,
// each pair connected with probability 2 % (seeded), tau_mem = 20 ms,
// synaptic current tau_syn = 5 ms (one synaptic time constant per compartment
// on this chip; the original has 5 ms / 10 ms), threshold 10 mV above reset,
// resting potential 11 mV above reset (the network is self-driven), 5 ms
// refractory, dt = 0.1 ms. Voltages are in mV relative to the reset potential.
// A spike of weight w raises the synaptic current by w * (1 - exp(-dt/tau_syn))
// (docs/mapping.md): w = 81.8 gives the original 1.62 mV excitatory jump,
// w = -454.5 the -9 mV inhibitory one. The network spans several cores.
//
// Run:
//   cajal compile examples/cuba.mlir -o cuba.cjimg --report fit.json
//   cajal run cuba.cjimg --steps 1000 --engine golden --spikes-out spikes.csv
//
// Expect:
//   cores >= 4
//   spikes exc >= 1000
//   spikes inh >= 250
snn.network @cuba attributes {dt = 1.0e-4 : f64} {
  %exc = snn.population @exc {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3, v_th = 10.0, v_leak = 11.0, v_reset = 0.0, t_ref = 5.0e-3>} : !snn.spikes<3200>
  %inh = snn.population @inh {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3, v_th = 10.0, v_leak = 11.0, v_reset = 0.0, t_ref = 5.0e-3>} : !snn.spikes<800>
  snn.projection @ee %exc -> %exc {connectivity = #snn.fixed_prob<p = 0.02, seed = 1, weight = 81.8, allow_self = false>} : !snn.spikes<3200> -> !snn.spikes<3200>
  snn.projection @ei %exc -> %inh {connectivity = #snn.fixed_prob<p = 0.02, seed = 2, weight = 81.8>} : !snn.spikes<3200> -> !snn.spikes<800>
  snn.projection @ie %inh -> %exc {connectivity = #snn.fixed_prob<p = 0.02, seed = 3, weight = -454.5>} : !snn.spikes<800> -> !snn.spikes<3200>
  snn.projection @ii %inh -> %inh {connectivity = #snn.fixed_prob<p = 0.02, seed = 4, weight = -454.5, allow_self = false>} : !snn.spikes<800> -> !snn.spikes<800>
  snn.probe %exc {kind = #snn.probe_kind<spikes>} : !snn.spikes<3200>
  snn.probe %inh {kind = #snn.probe_kind<spikes>} : !snn.spikes<800>
}
