#!/usr/bin/env python3
"""gen_cuba.py N [--out FILE] - the CUBA example (examples/cuba.mlir) scaled to N neurons.

80 % excitatory, 20 % inhibitory. The connection probability scales as 80/N so
that every neuron keeps the 80 inputs of the 4,000-neuron original (p = 2 %),
as Brette et al. (2007) scale their benchmarks; the synapse count grows as 80 N.
"""
import argparse

p = argparse.ArgumentParser()
p.add_argument("neurons", type=int)
p.add_argument("--out", default="-")
p.add_argument("--fan-in", type=float, default=80.0)
a = p.parse_args()
n_exc = a.neurons * 4 // 5
n_inh = a.neurons - n_exc
prob = min(1.0, a.fan_in / a.neurons)
params = ("#snn.continuous<tau_mem = 2.0e-2, tau_syn = 5.0e-3, v_th = 10.0, v_leak = 11.0, "
          "v_reset = 0.0, t_ref = 5.0e-3>")
text = f"""// CUBA network scaled to {a.neurons} neurons by bench/gen_cuba.py (p = {prob:.6g}).
snn.network @cuba attributes {{dt = 1.0e-4 : f64}} {{
  %exc = snn.population @exc {{model = #snn.model<cuba_lif>, params = {params}}} : !snn.spikes<{n_exc}>
  %inh = snn.population @inh {{model = #snn.model<cuba_lif>, params = {params}}} : !snn.spikes<{n_inh}>
  snn.projection @ee %exc -> %exc {{connectivity = #snn.fixed_prob<p = {prob:.6g}, seed = 1, weight = 81.8, allow_self = false>}} : !snn.spikes<{n_exc}> -> !snn.spikes<{n_exc}>
  snn.projection @ei %exc -> %inh {{connectivity = #snn.fixed_prob<p = {prob:.6g}, seed = 2, weight = 81.8>}} : !snn.spikes<{n_exc}> -> !snn.spikes<{n_inh}>
  snn.projection @ie %inh -> %exc {{connectivity = #snn.fixed_prob<p = {prob:.6g}, seed = 3, weight = -454.5>}} : !snn.spikes<{n_inh}> -> !snn.spikes<{n_exc}>
  snn.projection @ii %inh -> %inh {{connectivity = #snn.fixed_prob<p = {prob:.6g}, seed = 4, weight = -454.5, allow_self = false>}} : !snn.spikes<{n_inh}> -> !snn.spikes<{n_inh}>
}}
"""
if a.out == "-":
    print(text, end="")
else:
    open(a.out, "w").write(text)
