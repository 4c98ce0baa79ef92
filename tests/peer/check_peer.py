#!/usr/bin/python3
"""check_peer.py - the Brian2 side of bench/peer-brian2 is step-exact.

Two checks, each able to fail on its own:

* reader: bench/peer-brian2/cjimg.py reads an image's binary file; every
  compartment parameter, synapse (target, mantissa-derived weight, delay),
  output axon and population slice must equal `cajal inspect --json` of the
  same file, and the neuron/synapse formats taken from the profile file must
  equal the JSON's.
* random images: for seeded random images of cajal-randimg (several cores,
  every delay, weight exponent and source kind; every fourth seed on the
  narrow-arithmetic profile of tests/crosscheck, where u wraps, q saturates
  and v resets by subtraction), the spikes and the probed u, v after every
  step of the Brian2 model (numpy target, brian_side.py) must be identical
  to cajal-golden-run's.

Usage: check_peer.py --cajal PATH --work DIR [--randimg PATH --golden PATH]
                     [--seeds N] [--steps N]
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "peer-brian2"))
sys.path.insert(0, os.path.join(ROOT, "tests", "crosscheck"))
import brian_side  # noqa: E402
import cjimg  # noqa: E402
import run_crosscheck  # noqa: E402


def sh(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return r.stdout


def check_reader(args):
    """Problems found comparing cjimg.load with `cajal inspect --json`."""
    mlir = os.path.join(args.work, "cuba300.mlir")
    image = os.path.join(args.work, "cuba300.cjimg")
    sh([sys.executable, os.path.join(ROOT, "bench", "gen_cuba.py"), "300",
        "--out", mlir])
    sh([args.cajal, "compile", mlir, "-o", image])
    doc = json.loads(sh([args.cajal, "inspect", image, "--json"]))
    net = cjimg.load(image)
    problems = []
    for key, fmt in (("neuronFormat", net.nf), ("synapseFormat", net.sf)):
        for k, v in doc[key].items():
            if fmt.get(k) != v:
                problems.append(f"{key}.{k}: profile file {fmt.get(k)}, "
                                f"inspect {v}")
    comps = [c for core in doc["cores"] for c in core["compartments"]]
    for field in cjimg.COMPARTMENT.names:
        if field == "flags":
            continue
        want = np.array([c[field] for c in comps])
        if not np.array_equal(net.params[field], want):
            problems.append(f"compartment field {field} differs")
    target, weight, delay = [], [], []
    for ci, core in enumerate(doc["cores"]):
        for axon in core["inputAxons"]:
            for comp, mant, d in axon["synapses"]:
                target.append(net.comp_base[ci] + comp)
                shift = net.sf["weightShift"] + axon["weightExponent"]
                mag = abs(mant) << shift if shift >= 0 else abs(mant) >> -shift
                weight.append(mag if mant >= 0 else -mag)
                delay.append(d if axon["hasDelay"] else 1)
    for name, got, want in (("target", net.syn_target, target),
                            ("weight", net.syn_weight, weight),
                            ("delay", net.syn_delay, delay)):
        if not np.array_equal(got, np.array(want, dtype=np.int64)):
            problems.append(f"synapse {name}s differ")
    outs = [int(net.axon_base[c]) + a for core in doc["cores"]
            for c, a in core["outputAxons"]]
    if not np.array_equal(net.out_axon, outs):
        problems.append("output axons differ")
    if len(net.syn_target) == 0 or len(outs) == 0:
        problems.append("the CUBA image has no synapses: nothing compared")
    return problems


def check_random(args):
    """Seeds whose Brian2 spikes differ from the golden model's."""
    profile_dir = os.path.join(args.work, "profiles")
    os.makedirs(profile_dir, exist_ok=True)
    narrow = run_crosscheck.write_narrow_profile(
        os.path.join(ROOT, "chip", "profiles"), profile_dir)
    problems, counts = [], {"": 0, "-state": 0}
    for seed in range(1, args.seeds + 1):
        profile = narrow if seed % 4 == 0 else "loihi1"
        base = os.path.join(args.work, f"seed{seed}")
        sh([args.randimg, "--seed", str(seed), "--steps", str(args.steps),
            "--profile", profile, "-o", base + ".cjimg",
            "--input-out", base + ".in.csv"])
        sh([args.golden, base + ".cjimg", "--profile", profile, "--steps",
            str(args.steps), "--input", base + ".in.csv",
            "--spikes-out", base + ".golden.csv",
            "--state-out", base + ".golden-state.csv"])
        ns = argparse.Namespace(
            image=base + ".cjimg", steps=args.steps, work=base + ".brian",
            target="numpy", input=base + ".in.csv",
            spikes_out=base + ".brian.csv",
            state_out=base + ".brian-state.csv", report=None, repeat=1,
            profile_dir=profile_dir if profile == narrow else None)
        brian_side.run(ns)
        for what in ("", "-state"):
            golden, brian = (read(f"{base}.{who}{what}.csv")
                             for who in ("golden", "brian"))
            counts[what] += golden.count("\n") - 1
            if golden != brian:
                problems.append(
                    f"seed {seed} (profile {profile}): {what or 'spikes'} "
                    f"differ: {first_line_difference(golden, brian)}; compare "
                    f"{base}.golden{what}.csv {base}.brian{what}.csv")
    if counts[""] == 0 or counts["-state"] == 0:
        problems.append("no spikes or no probed states in any random image: "
                        "nothing compared")
    return problems, counts


def read(path):
    with open(path) as f:
        return f.read()


def first_line_difference(a, b):
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines())):
        if x != y:
            return f"line {i + 1}: golden {x!r}, Brian2 {y!r}"
    return f"golden {a.count(chr(10))} lines, Brian2 {b.count(chr(10))}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cajal", required=True)
    ap.add_argument("--randimg")
    ap.add_argument("--golden")
    ap.add_argument("--work", required=True)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--steps", type=int, default=200)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    problems = check_reader(args)
    print(f"reader vs cajal inspect --json: {len(problems)} problems")
    if args.randimg and args.golden:
        random_problems, counts = check_random(args)
        print(f"random images: {args.seeds} seeds, {counts['']} spikes and "
              f"{counts['-state']} probed states compared, "
              f"{len(random_problems)} differing")
        problems += random_problems
    for p in problems:
        print("FAIL: " + p)
    print("check_peer: " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
