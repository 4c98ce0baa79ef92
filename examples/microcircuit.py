#!/usr/bin/python3
"""Write the Potjans & Diesmann (2014) cortical microcircuit as an snn network.

    examples/microcircuit.py [--n-scaling S] [--k-scaling K]
                             [--background dc|poisson] [-o FILE]

The parameters are the reference implementation's (INM-6/NEST
microcircuit-PD14-model, PyNEST/src/microcircuit/network_params.py and
helpers.py): eight populations of iaf_psc_exp neurons (L2/3, L4, L5, L6,
excitatory and inhibitory; 77,169 neurons at full scale), connected by fixed
total numbers of synapses derived from the connection probabilities
(multapses allowed, autapses not), weights drawn from normal distributions
(relative sd 0.1, clipped at zero so that no synapse changes sign), delays
from normal distributions (1.5 ms excitatory, 0.75 ms inhibitory, relative
sd 0.5, at least half a step), initial membrane potentials from the
"optimized" per-population normal distributions, and the cortico-cortical
background as the DC input that replaces the Poisson input
(`bg_input_type = "dc"`, the reference's default) or, with
`--background poisson`, as the reference's Poisson input: each neuron gets
its own Poisson train of K_ext x 8 spikes/s (NEST's poisson_generator
connected to every neuron of a population), here a Poisson group source
(`snn.poisson_source` with `group = K_ext`) driving the population one to
one with delay 1.5 ms. Downscaling follows the reference: `--n-scaling`
scales the neuron counts; `--k-scaling` the in-degrees (the external ones
too), with weights scaled by 1/sqrt(K) and a DC input that keeps each
neuron's mean input, computed from the full-scale rates
(`full_mean_rates`).

The chip's step is mapped onto NEST's so that v moves as NEST moves it at
every step's end, below threshold and before rounding:
- Weights. `cuba_lif` holds its current over the 0.1 ms step (the
  exact-exponential step, docs/mapping.md); iaf_psc_exp integrates the
  current decaying within the step, which moves v by kappa = 0.906 times as
  much (`step_charge_ratio`). A NEST weight J (pA) is therefore an input
  J kappa / (1 - exp(-dt / tau_syn)) here: the `cuba_lif` input w adds
  w (1 - exp(-dt / tau_syn)) to the current. (Without kappa every PSP
  would carry 10 % more charge than NEST's.)
- Delays. NEST adds a spike sent in step t with delay d to the current
  after the update of step t + d, so it first moves v in step t + d + 1;
  the chip's delay d moves v in step t + d. Every delay here is NEST's plus
  one step (`NEST_DELAY_OFFSET`).
What stays: weights rounded to the profile's mantissas, delays to whole
steps, v to the chip's units. tests/crosscheck/nest_psp.py checks the
mapping against a float64 model of NEST's update.

Without -o the network is printed. The committed examples/microcircuit.mlir
is `--n-scaling 0.01 --k-scaling 0.5` (a K-scaling much below 0.5 leaves the
DC input below threshold: the reference's own check, and the network falls
silent), examples/microcircuit-poisson.mlir the same with
`--background poisson`.
"""
import argparse
import math
import sys

POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
FULL_NUM_NEURONS = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
# Spikes/s of the full-scale network (the reference's full_mean_rates).
FULL_MEAN_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829]
# conn_probs[target][source]
CONN_PROBS = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
]
PSP_EXC_MEAN = 0.15  # mV
WEIGHT_REL_STD = 0.1
G = -4.0
DELAY_EXC_MEAN, DELAY_INH_MEAN, DELAY_REL_STD = 1.5, 0.75, 0.5  # ms
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
BG_RATE = 8.0  # spikes/s
V0_MEAN = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43]
V0_STD = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48]
E_L, V_TH, V_RESET = -65.0, -50.0, -65.0  # mV
C_M, TAU_M, TAU_SYN, T_REF = 250.0, 10.0, 0.5, 2.0  # pF, ms
DT = 0.1  # ms
DELAY_POISSON = 1.5  # ms, the reference's delay_poisson
# A spike that NEST sends with a delay of d steps first moves v in the
# update d + 1 steps later (it joins the synaptic current after the update
# of step t + d); the chip's delay d counts in the update of step t + d.
NEST_DELAY_OFFSET = 1


def step_charge_ratio():
    """kappa: what NEST's exponential current adds to v in a step, over
    what the chip's current, held over the step at its value at the step's
    start, adds. iaf_psc_exp's exact propagator adds
    I r e^(-dt/tau_m) (1 - e^(-a dt)) / (a tau_m), a = 1/tau_syn - 1/tau_m;
    the chip adds I r (1 - e^(-dt/tau_m)). Both currents decay by
    e^(-dt/tau_syn) a step, so scaling the jump by kappa makes every step's
    increment of v NEST's."""
    a = 1.0 / TAU_SYN - 1.0 / TAU_M
    nest = math.exp(-DT / TAU_M) * (1.0 - math.exp(-a * DT)) / (a * TAU_M)
    return nest / (1.0 - math.exp(-DT / TAU_M))


def chip_weight(psc):
    """The cuba_lif input of a NEST current jump `psc` (pA)."""
    return psc * step_charge_ratio() / (1.0 - math.exp(-DT / TAU_SYN))


def chip_delay(nest_steps):
    """The chip's delay, in steps, of a NEST delay of `nest_steps` steps."""
    return nest_steps + NEST_DELAY_OFFSET


def psc_over_psp():
    """pA per mV of peak PSP (the reference's
    postsynaptic_potential_to_current)."""
    sub = 1.0 / (TAU_SYN - TAU_M)
    pre = TAU_M * TAU_SYN / C_M * sub
    frac = (TAU_M / TAU_SYN) ** sub
    return 1.0 / (pre * (frac ** TAU_M - frac ** TAU_SYN))


def full_num_synapses(target, source):
    """Synapses from `source` to `target` at full scale."""
    prod = FULL_NUM_NEURONS[target] * FULL_NUM_NEURONS[source]
    return math.log(1.0 - CONN_PROBS[target][source]) / \
        math.log((prod - 1.0) / prod)


def network(n_scaling, k_scaling, poisson=False):
    """The parameters at a scale: neurons, synapses, PSC matrix (pA), DC
    (pA) per population, the external PSC (pA) and in-degrees (with
    `poisson`; else the DC carries the background)."""
    n = len(POPULATIONS)
    neurons = [round(x * n_scaling) for x in FULL_NUM_NEURONS]
    synapses = [[round(full_num_synapses(t, s) * n_scaling * k_scaling)
                 for s in range(n)] for t in range(n)]
    factor = psc_over_psp()
    psc = [[PSP_EXC_MEAN * factor * (1.0 if s % 2 == 0 else G)
            for s in range(n)] for t in range(n)]
    psc[0][2] *= 2.0  # L4E -> L2/3E is doubled
    psc_ext = PSP_EXC_MEAN * factor
    ext_indegrees = [round(k * k_scaling) for k in K_EXT]
    background = [BG_RATE * K_EXT[t] * psc_ext * TAU_SYN * 0.001
                  for t in range(n)]
    dc = [0.0] * n if poisson else background
    if k_scaling != 1:
        # The reference's adjust_weights_and_input_to_synapse_scaling: the
        # recurrent input the full network gives on average (and the
        # Poisson background's), the part the scaled in-degrees no longer
        # carry, as DC.
        for t in range(n):
            recurrent = sum(psc[t][s] * full_num_synapses(t, s) /
                            FULL_NUM_NEURONS[t] * FULL_MEAN_RATES[s]
                            for s in range(n))
            if poisson:
                recurrent += psc_ext * K_EXT[t] * BG_RATE
            dc[t] += 0.001 * TAU_SYN * (1.0 - math.sqrt(k_scaling)) * recurrent
        psc = [[w / math.sqrt(k_scaling) for w in row] for row in psc]
        psc_ext /= math.sqrt(k_scaling)
    return neurons, synapses, psc, dc, psc_ext, ext_indegrees


def mlir(n_scaling, k_scaling, expect=(), poisson=False):
    """The network as snn MLIR; `expect`: (population, least and most
    spikes in 2000 steps) for the header's Expect lines; `poisson`: the
    background as Poisson group sources instead of DC."""
    neurons, synapses, psc, dc, psc_ext, ext_indegrees = network(
        n_scaling, k_scaling, poisson)
    flag = " --background poisson" if poisson else ""
    r = TAU_M / C_M  # mV per pA
    out = [
        f"// The Potjans & Diesmann (2014) cortical microcircuit at "
        f"n-scaling {n_scaling}, k-scaling {k_scaling}:",
        f"// written by `examples/microcircuit.py --n-scaling {n_scaling} "
        f"--k-scaling {k_scaling}{flag}` (its docstring",
        "// gives the sources and the approximations). "
        f"{sum(neurons)} neurons, {sum(map(sum, synapses))} synapses.",
        "//",
        "// bench/microcircuit compares its rates and irregularity with the",
        "// reference's and times it; at this scale a neuron's in-degree",
        "// comes from few others (many multapses), so the rates are not the",
        "// full-scale network's.",
        "//",
        "// Run:",
        f"//   cajal compile examples/microcircuit{'-poisson' if poisson else ''}"
        ".mlir -o pd14.cjimg --report fit.json",
        "//   cajal run pd14.cjimg --steps 2000 --spikes-out spikes.csv",
        "//",
        "// Expect:",
        "//   cores >= 2",
    ]
    for name, least, most in expect:
        out.append(f"//   spikes {name} >= {least}")
        out.append(f"//   spikes {name} <= {most}")
    out.append("snn.network @microcircuit attributes {dt = 1.0e-4 : f64} {")
    for p, name in enumerate(POPULATIONS):
        params = (f"#snn.continuous<tau_mem = {TAU_M * 1e-3!r}, "
                  f"tau_syn = {TAU_SYN * 1e-3!r}, v_th = {V_TH!r}, "
                  f"v_leak = {E_L!r}, v_reset = {V_RESET!r}, r = {r!r}, "
                  f"bias = {dc[p]:.6f}, t_ref = {T_REF * 1e-3!r}>")
        initial = (f"{{v = #snn.normal<mean = {V0_MEAN[p]!r}, "
                   f"std = {V0_STD[p]!r}>}}")
        out.append(f"  %{name} = snn.population @{name} {{model = "
                   f"#snn.model<cuba_lif>, params = {params}, initial = "
                   f"{initial}, initial_seed = {p + 1} : i64}} : "
                   f"!snn.spikes<{neurons[p]}>")
    if poisson:
        for p, name in enumerate(POPULATIONS):
            out.append(f"  %bg_{name} = snn.poisson_source @bg_{name} {{rate = "
                       f"{BG_RATE!r} : f64, group = {ext_indegrees[p]} : i64, "
                       f"seed = {50 + p} : i64}} : !snn.spikes<{neurons[p]}>")
            out.append(f"  snn.projection @bg_to_{name} %bg_{name} -> %{name} "
                       f"{{connectivity = #snn.one_to_one<{chip_weight(psc_ext):.6f}>, "
                       f"delay = {chip_delay(round(DELAY_POISSON / DT))} : i64}} : "
                       f"!snn.spikes<{neurons[p]}> -> !snn.spikes<{neurons[p]}>")
    seed = 100
    for t, post in enumerate(POPULATIONS):
        for s, pre in enumerate(POPULATIONS):
            if synapses[t][s] == 0:
                continue
            w = chip_weight(psc[t][s])
            clip = "low = 0.0" if w > 0 else "high = 0.0"
            weight = (f"#snn.normal<mean = {w:.6f}, "
                      f"std = {abs(w) * WEIGHT_REL_STD:.6f}, {clip}>")
            mean = (DELAY_EXC_MEAN if s % 2 == 0 else DELAY_INH_MEAN) / DT
            # In NEST's steps: at least half a step (the reference's
            # minimum), at most 60 (6 standard deviations of the excitatory
            # delay); then as the chip's delays.
            delay = (f"#snn.normal<mean = {chip_delay(mean):.6f}, "
                     f"std = {mean * DELAY_REL_STD:.6f}, "
                     f"low = {chip_delay(0.5)!r}, "
                     f"high = {chip_delay(60.0)!r}>")
            rule = (f"#snn.fixed_number<total = {synapses[t][s]}, "
                    f"seed = {seed}, weight = {weight}, "
                    f"allow_self = false, delay = {delay}>")
            seed += 3
            out.append(f"  snn.projection @{pre}_to_{post} %{pre} -> %{post} "
                       f"{{connectivity = {rule}}} : !snn.spikes<"
                       f"{neurons[s]}> -> !snn.spikes<{neurons[t]}>")
    for name, size in zip(POPULATIONS, neurons):
        out.append(f"  snn.probe %{name} {{kind = #snn.probe_kind<spikes>}} "
                   f": !snn.spikes<{size}>")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n-scaling", type=float, default=0.01)
    ap.add_argument("--k-scaling", type=float, default=0.5)
    ap.add_argument("--background", choices=["dc", "poisson"], default="dc",
                    help="the cortico-cortical background: DC (the "
                    "reference's default) or Poisson trains")
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    for flag, v in (("--n-scaling", a.n_scaling), ("--k-scaling", a.k_scaling)):
        if not 0 < v <= 1:
            sys.exit(f"microcircuit.py: {flag} must be in (0, 1], got {v}")
    # The committed examples' runs (microcircuit.mlir with the DC
    # background, microcircuit-poisson.mlir with the Poisson one) give these
    # spikes per population in 2000 steps: their Expect lines allow 0.4 to 3
    # times that.
    observed = {"dc": [357, 199, 190, 161, 224, 40, 70, 96],
                "poisson": [120, 88, 168, 107, 149, 25, 71, 70]}
    committed = (a.n_scaling, a.k_scaling) == (0.01, 0.5)
    expect = [(n, int(0.4 * c), 3 * c)
              for n, c in zip(POPULATIONS, observed[a.background])] \
        if committed else []
    text = mlir(a.n_scaling, a.k_scaling, expect, a.background == "poisson")
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
