#!/usr/bin/python3
"""models.py - Izhikevich and adaptive-LIF populations: golden, reference, Brian2.

    bench/programs/models.py BIN_DIR [--neurons N] [--steps S] [--work DIR]

For each model, N uncoupled neurons with seeded per-neuron bias currents
(the ranges of bench/programs/brian_models.py, which writes the same
population in Brian2), compiled with `cajal compile --profile loihi2` (the
neurocore programs izhikevich and adaptive-lif), run by `cajal run --engine
golden` and `--engine reference` (the run loop's own "simulating" time,
spikes recorded in memory; whole-process wall time beside it) and by Brian2
C++ standalone (its run loop timed inside the binary; code generation and
compile apart). Prints a Markdown table of neuron updates per second.
--engines golden (a comma-separated subset of golden, reference, brian2)
runs only those.
"""
import argparse
import json
import os
import random
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from brian_models import ADAPTIVE_LIF_CURRENT, IZHIKEVICH_CURRENT  # noqa: E402
from cajal_timing import sh, timed_run  # noqa: E402


def network(model, n, seed):
    rng = random.Random(seed)
    lo, hi = IZHIKEVICH_CURRENT if model == "izhikevich" else ADAPTIVE_LIF_CURRENT
    bias = ", ".join(f"{rng.uniform(lo, hi):.6f}" for _ in range(n))
    if model == "izhikevich":
        params = (f"#snn.izhikevich<a = 2.0e-2, b = 2.0e-1, c = -65.0, d = 8.0, "
                  f"bias = array<f64: {bias}>>")
    else:
        # LSNN as in brian_models.py: tau_mem 20 ms, tau_a 200 ms, jump 1,
        # beta 0.07, refractory 2 ms.
        params = (f"#snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 2.0e-3, "
                  f"bias = array<f64: {bias}>, tau_a = 2.0e-1, beta = 7.0e-2, "
                  f"jump = 1.0>")
    return (f"snn.network @bench attributes {{dt = 1.0e-3 : f64}} {{\n"
            f"  %p = snn.population @p {{model = #snn.model<{model}>, "
            f"params = {params}}} : !snn.spikes<{n}>\n"
            f"  snn.probe %p {{kind = #snn.probe_kind<spikes>}} : !snn.spikes<{n}>\n"
            f"}}\n")


def cajal_run(cajal, image, engine, steps):
    sim, wall, out = timed_run(cajal, image, engine, steps)
    spikes = int(re.search(r"\n\s+p\s+\d+\s+(\d+)", out).group(1))
    return sim, wall, spikes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("--neurons", type=int, default=10000)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--work", default="/tmp/cajal-models-bench")
    ap.add_argument("--engines", default="golden,reference,brian2")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    cajal = os.path.join(a.bin_dir, "cajal")
    n, steps = a.neurons, a.steps
    engines = a.engines.split(",")
    print("| model | engine | steps | run loop (s) | whole process (s) | spikes | "
          "neuron updates/s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for model in ("izhikevich", "adaptive_lif"):
        source = os.path.join(a.work, f"{model}.mlir")
        with open(source, "w") as f:
            f.write(network(model, n, 1))
        image = os.path.join(a.work, f"{model}.cjimg")
        sh(cajal, "compile", source, "-o", image, "--profile", "loihi2")
        for engine, engine_steps in (("golden", steps), ("reference", steps // 10)):
            if engine not in engines:
                continue
            best = min((cajal_run(cajal, image, engine, engine_steps)
                        for _ in range(3)), key=lambda r: r[0])
            sim, wall, spikes = best
            print(f"| {model} | {engine} | {engine_steps:,} | {sim:.4f} | "
                  f"{wall:.3f} | {spikes:,} | {n * engine_steps / sim:.3g} |")
        if "brian2" not in engines:
            continue
        start = time.monotonic()
        peer = json.loads(sh("/usr/bin/python3", os.path.join(HERE, "brian_models.py"),
                             model, str(n), str(steps), "--work",
                             os.path.join(a.work, "brian-" + model)).splitlines()[-1])
        whole = time.monotonic() - start
        print(f"| {model} | Brian2 C++ standalone | {steps:,} | {peer['run_s']:.4f} | "
              f"{whole:.3f} (compile {peer['compile_s']:.1f}) | {peer['spikes']:,} | "
              f"{peer['updates_per_s']:.3g} |")


if __name__ == "__main__":
    main()
