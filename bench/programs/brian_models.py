#!/usr/bin/python3
"""brian_models.py - Izhikevich and adaptive-LIF populations in Brian2 C++ standalone.

    bench/programs/brian_models.py MODEL N STEPS [--work DIR] [--repeat R]

MODEL is `izhikevich` (Izhikevich 2003, regular spiking: a = 0.02, b = 0.2,
c = -65 mV, d = 8, dt = 1 ms, Euler) or `adaptive_lif` (LSNN, Bellec et al.
2018: tau_mem = 20 ms, adaptation tau_a = 200 ms, jump 1, beta 0.07 v_th per
unit of a, refractory 2 ms, dt = 1 ms). N uncoupled neurons, each with its
own constant input current drawn uniformly (seeded) from the range that
makes them fire, every spike recorded: the work of bench/programs/models.py
on Cajal's side, written as Brian2's users write it (shared constants as
scalars, C++ standalone, one thread). Prints one JSON line: the run loop's
wall time (timed inside the binary around Network::run, as
bench/peer-brian2 does), code generation + compile time, whole build-and-run
time, spike count, neuron updates per second.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peer-brian2"))
from brian_side import binary_timing, setup_target  # noqa: E402

# The input-current ranges the Cajal side uses too (bench/programs/models.py).
IZHIKEVICH_CURRENT = (5.0, 15.0)      # mV/ms
ADAPTIVE_LIF_CURRENT = (1.1, 3.0)     # multiples of v_th / tau_mem


def build(b2, model, n, seed):
    rng = np.random.default_rng(seed)
    if model == "izhikevich":
        eqs = """dv/dt = (0.04*v**2 + 5*v + 140 - u + I)/ms : 1
                 du/dt = a*(b*v - u)/ms : 1
                 I : 1 (constant)"""
        g = b2.NeuronGroup(n, eqs, threshold="v >= 30", reset="v = c; u += d",
                           method="euler",
                           namespace={"a": 0.02, "b": 0.2, "c": -65.0, "d": 8.0})
        g.v = -65.0
        g.u = 0.2 * -65.0
        g.I = rng.uniform(*IZHIKEVICH_CURRENT, n)
    else:
        eqs = """dv/dt = (-v + I)/tau_mem : 1 (unless refractory)
                 da/dt = -a/tau_a : 1
                 I : 1 (constant)"""
        g = b2.NeuronGroup(n, eqs, threshold="v > v_th + beta*a",
                           reset="v = 0; a += jump", refractory=2 * b2.ms,
                           method="exact",
                           namespace={"tau_mem": 20 * b2.ms, "tau_a": 200 * b2.ms,
                                      "v_th": 1.0, "beta": 0.07, "jump": 1.0})
        g.I = rng.uniform(*ADAPTIVE_LIF_CURRENT, n)
    return g, b2.SpikeMonitor(g)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["izhikevich", "adaptive_lif"])
    ap.add_argument("n", type=int)
    ap.add_argument("steps", type=int)
    ap.add_argument("--work", default="/tmp/brian-models")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    import brian2 as b2
    b2.BrianLogger.log_level_warn()
    start = time.perf_counter()
    setup_target(b2, "standalone", a.work)
    b2.defaultclock.dt = 1 * b2.ms
    group, monitor = build(b2, a.model, a.n, a.seed)
    b2.run(a.steps * b2.ms)
    b2.device.build(directory=os.path.join(a.work, "brian2"), compile=True,
                    run=True, with_output=False, clean=True)
    whole = time.perf_counter() - start
    runs = [binary_timing(a.work)["run_s"]]
    for _ in range(a.repeat - 1):
        b2.device.run(os.path.join(a.work, "brian2"), False, [])
        runs.append(binary_timing(a.work)["run_s"])
    best = min(runs)
    print(json.dumps({
        "model": a.model, "neurons": a.n, "steps": a.steps,
        "run_s": best, "runs_s": runs,
        "compile_s": sum(v for v in b2.device.timers["compile"].values() if v),
        "whole_first_run_s": whole,
        "spikes": int(monitor.num_spikes),
        "updates_per_s": a.n * a.steps / best,
    }))


if __name__ == "__main__":
    main()
