#!/usr/bin/python3
"""equation_models_bench.py - Brian2 C++ standalone speed of the equation models.

Usage: equation_models_bench.py [MODEL ...] [--neurons N] [--steps S]
                                [--work DIR] [--json FILE]

For each MODEL (default: hh izhikevich alif rf) a fresh Python process
builds N neurons (default 10,000) of the model with brian_models.py
(tests/crosscheck/equation_models), each with its own constant current
spread evenly over a range where the model fires, plus a SpikeMonitor, and
runs S steps (default 1,000) at the model's default dt and solver, as a
Brian2 user would: set_device('cpp_standalone', build_on_run=True), float64,
one thread (no OpenMP), Brian2's default compiler flags, a fresh project
directory (so the C++ compile is a full one).

Reported per model:
* loop_s: the simulation loop alone, Brian2's own timer around
  Network::run (device._last_run_time: std::clock CPU time, which for one
  thread is the loop's run time), and neuron updates per second
  N * S / loop_s;
* binary_s: wall time of a second run of the compiled standalone binary
  (process start, loading, the loop, writing results), and
  binary_loop_s, the loop time of that second run;
* process_s: wall time of the whole first Python process: import, code
  generation, C++ compile, the run, reading the results back.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_DIR = os.path.join(HERE, "..", "..", "tests", "crosscheck",
                          "equation_models")

# Currents spread over [low, high]: from silent to firing well.
CURRENT_RANGE = {"hh": (0.0, 20.0), "izhikevich": (0.0, 20.0),
                 "alif": (0.0, 3.0), "rf": (0.0, 0.5)}


def run_one(model, neurons, steps, work):
    """Child process: build, compile and run one model; print JSON."""
    started = time.perf_counter()
    sys.path.insert(0, MODELS_DIR)
    import brian2 as b2
    import brian_models as bm

    project = os.path.join(work, model)
    shutil.rmtree(project, ignore_errors=True)
    bm.select_target("cpp_standalone", project)
    low, high = CURRENT_RANGE[model]
    currents = np.linspace(low, high, neurons)
    dt_ms = bm.DEFAULT_DT_MS[model]
    params = bm.model_parameters(model)
    solver = bm.DEFAULT_SOLVER[model]
    network, _, spikes, _ = bm.build(model, params, currents, dt_ms, solver)
    network.run(steps * dt_ms * b2.ms)
    spike_count = int(spikes.num_spikes)
    loop_s = float(b2.device._last_run_time)
    process_s = time.perf_counter() - started

    binary_loop_s, binary_s = time_binary(project)
    print(json.dumps(dict(model=model, neurons=neurons, steps=steps,
                          dt_ms=dt_ms, solver=solver,
                          spikes=spike_count, loop_s=loop_s,
                          updates_per_s=neurons * steps / loop_s,
                          binary_s=binary_s, binary_loop_s=binary_loop_s,
                          process_s=process_s, project=project)))


def time_binary(project):
    """(loop s, wall s) of one more run of PROJECT's compiled binary.

    The loop time is Brian2's own timer around Network::run, which the
    binary writes to results/last_run_info.txt (as device._last_run_time
    reads it).
    """
    binary = os.path.join(project, "main")
    t0 = time.perf_counter()
    subprocess.run([binary], cwd=project, check=True,
                   stdout=subprocess.DEVNULL)
    wall_s = time.perf_counter() - t0
    with open(os.path.join(project, "results", "last_run_info.txt")) as f:
        loop_s = float(f.read().split()[0])
    return loop_s, wall_s


def build_and_run(model, neurons, steps, work):
    """The reported dict of MODEL, built, compiled and run in a child process.

    Raises RuntimeError with the child's stderr if it fails.
    """
    child = subprocess.run(
        [sys.executable, os.path.abspath(__file__), model, "--one",
         "--neurons", str(neurons), "--steps", str(steps),
         "--work", os.path.abspath(work)], capture_output=True, text=True)
    if child.returncode != 0:
        raise RuntimeError(f"equation_models_bench.py: {model} failed:\n"
                           f"{child.stderr}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="*",
                        default=["hh", "izhikevich", "alif", "rf"])
    parser.add_argument("--neurons", type=int, default=10000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--work", default="equation_models_bench")
    parser.add_argument("--json", default=None)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for model in args.models:
        if model not in CURRENT_RANGE:
            parser.error(f"unknown model '{model}' (one of "
                         f"{', '.join(CURRENT_RANGE)})")
    if args.neurons <= 0 or args.steps <= 0:
        parser.error("--neurons and --steps must be positive")
    work = os.path.abspath(args.work)
    if args.one:
        run_one(args.models[0], args.neurons, args.steps, work)
        return 0

    results = []
    print("| model | neurons | steps | dt ms | solver | spikes | loop s | "
          "neuron updates/s | binary s | process s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for model in args.models:
        try:
            result = build_and_run(model, args.neurons, args.steps, work)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        results.append(result)
        print(f"| {model} | {result['neurons']} | {result['steps']} | "
              f"{result['dt_ms']:g} | {result['solver']} | "
              f"{result['spikes']} | {result['loop_s']:.3f} | "
              f"{result['updates_per_s']:.3e} | {result['binary_s']:.3f} | "
              f"{result['process_s']:.1f} |", flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
