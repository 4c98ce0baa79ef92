#!/usr/bin/python3
"""check_compiled_models.py - the compiled equation models against Brian2.

Usage: check_compiled_models.py --cajal CAJAL --examples DIR --work DIR

Each example below is compiled by `cajal compile --profile loihi2` (its
equations discretised by snn-discretize-equations, lowered to neurocore
programs with the compiler's fixed-point formats) and run for 1 s of model
time on the golden model; Brian2 runs the same equations in float64 with the
same solver and dt (brian_models.py, numpy target). Per neuron it prints the
spike counts, the rate difference and the largest lag per spike (in steps
and as a fraction of the neuron's mean inter-spike interval), and it checks:

  - every neuron: spike count within 1 % (at least one spike of slack);
  - adaptive LIF and resonate-and-fire (linear, exact step): every spike in
    the same step as Brian2's, give or take one;
  - Izhikevich regular spiking: the lag after (up to) 30 spikes under 1 %
    of the inter-spike interval (the sPyNNaker#563 test);
  - Izhikevich: firing_patterns.classify of the chip's spikes gives each
    population its published pattern (regular, initial burst, chattering,
    fast, low threshold) at every current;
  - Hodgkin-Huxley (rate functions read from lookup tables): every spike of
    the first 100 ms in the same step as Brian2's, give or take one.

Step convention: Cajal's spike CSV numbers the first step 0; Brian2's times
(brian_models.py) are k * dt with the first step k = 1.
"""
import argparse
import csv
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brian_models  # noqa: E402
import firing_patterns  # noqa: E402

PATTERNS = {"rs": ("RS", "regular"), "ib": ("IB", "initial_burst"),
            "ch": ("CH", "chattering"), "fs": ("FS", "fast"),
            "lts": ("LTS", "low_threshold")}


def cajal_spikes(cajal, example, work, steps):
    """{(population, index): [step, ...]} of the golden model's run."""
    image = os.path.join(work, os.path.basename(example) + ".cjimg")
    spikes = os.path.join(work, os.path.basename(example) + ".csv")
    for argv in ([cajal, "compile", example, "-o", image, "--profile",
                  "loihi2"],
                 [cajal, "run", image, "--steps", str(steps), "--engine",
                  "golden", "--spikes-out", spikes, "--quiet"]):
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed:\n{done.stderr}")
    out = {}
    with open(spikes) as f:
        for row in csv.DictReader(f):
            out.setdefault((row["node"], int(row["index"])), []).append(
                int(row["step"]))
    return out


def brian_steps(model, currents, dt_ms, duration_ms, **kw):
    """Per neuron, Brian2's spike steps in Cajal's numbering."""
    result = brian_models.simulate(model, currents, duration_ms, dt_ms=dt_ms,
                                   **kw)
    return [list(np.rint(t / dt_ms).astype(int) - 1) for t in result["times"]]


class Checker:
    def __init__(self):
        self.failures = []

    def compare(self, label, chip, ref, lag_limit=None, lag_spikes=None,
                isi_fraction=None):
        """Print and check one neuron: counts within 1 %; lags."""
        isi = np.mean(np.diff(ref)) if len(ref) > 1 else float("nan")
        n = min(len(chip), len(ref), lag_spikes or len(ref))
        lags = [abs(a - b) for a, b in zip(chip[:n], ref[:n])]
        worst = max(lags) if lags else 0
        rate = (len(chip) - len(ref)) / max(len(ref), 1)
        print(f"  {label:28s} chip {len(chip):4d} brian2 {len(ref):4d} "
              f"rate {100 * rate:+6.2f} %  largest lag {worst:3d} steps "
              f"({100 * worst / isi if isi == isi else 0:5.2f} % of the "
              f"{isi:.1f}-step interval, first {n} spikes)")
        if abs(len(chip) - len(ref)) > max(1, len(ref) // 100):
            self.failures.append(f"{label}: {len(chip)} spikes, Brian2 "
                                 f"{len(ref)}")
        if lag_limit is not None and worst > lag_limit:
            self.failures.append(f"{label}: a spike {worst} steps from "
                                 f"Brian2's (at most {lag_limit})")
        if isi_fraction is not None and worst > isi_fraction * isi:
            self.failures.append(f"{label}: lag {worst} steps is more than "
                                 f"{100 * isi_fraction:g} % of the interval")
        return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cajal", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--work", required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    brian_models.select_target("runtime", args.work)
    check = Checker()

    print("Izhikevich, forward Euler, dt 0.1 ms, 1 s (10,000 steps):")
    chip = cajal_spikes(args.cajal, os.path.join(args.examples,
                                                 "izhikevich-patterns.mlir"),
                        args.work, 10000)
    currents = [8.0, 10.0, 14.0]
    for pop, (name, label) in PATTERNS.items():
        ref = brian_steps("izhikevich", currents, 0.1, 1000.0,
                          izhikevich_set=name)
        for k, current in enumerate(currents):
            steps = chip.get((pop, k), [])
            what = f"{pop}[{k}] ({name}, I = {current:g})"
            if name == "RS":
                check.compare(what, steps, ref[k], lag_spikes=30,
                              isi_fraction=0.01)
            else:
                check.compare(what, steps, ref[k])
            got = firing_patterns.classify(np.array(steps) * 0.1 + 0.1)
            if got != label:
                check.failures.append(f"{what}: the chip's spikes read as "
                                      f"'{got}', not '{label}'")

    print("adaptive LIF, exact, dt 1 ms, 1 s:")
    chip = cajal_spikes(args.cajal, os.path.join(
        args.examples, "adaptive-lif-equations.mlir"), args.work, 1000)
    currents = [1.5, 2.0, 3.0, 4.0]
    ref = brian_steps("alif", currents, 1.0, 1000.0)
    for k, current in enumerate(currents):
        check.compare(f"alif[{k}] (I = {current:g})", chip.get(("alif", k), []),
                      ref[k], lag_limit=1)

    print("resonate-and-fire, exact, dt 0.1 ms, 1 s:")
    chip = cajal_spikes(args.cajal, os.path.join(
        args.examples, "resonate-and-fire.mlir"), args.work, 10000)
    currents = [0.15, 0.3, 0.5]
    ref = brian_steps("rf", currents, 0.1, 1000.0)
    for k, current in enumerate(currents):
        check.compare(f"driven[{k}] (I = {current:g})",
                      chip.get(("driven", k), []), ref[k], lag_limit=1)

    print("Hodgkin-Huxley, exponential Euler, dt 0.01 ms, 1 s (100,000 steps; "
          "rate functions from lookup tables):")
    chip = cajal_spikes(args.cajal, os.path.join(args.examples, "hh.mlir"),
                        args.work, 100000)
    currents = [0.0, 3.0, 7.0, 10.0, 20.0]
    ref = brian_steps("hh", currents, 0.01, 1000.0,
                      solver="exponential_euler")
    for k, current in enumerate(currents):
        # Within one step over the first 100 ms (10,000 steps).
        early = sum(1 for step in ref[k] if step < 10000)
        check.compare(f"hh[{k}] (I = {current:g}), first 100 ms",
                      chip.get(("hh", k), []), ref[k], lag_limit=1,
                      lag_spikes=max(early, 1))
        check.compare(f"hh[{k}] (I = {current:g}), 1 s",
                      chip.get(("hh", k), []), ref[k])

    if check.failures:
        print("FAILED:\n  " + "\n  ".join(check.failures))
        return 1
    print("every compiled model agrees with Brian2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
