#!/usr/bin/env python3
"""lsnn_two_compartment.py - an adaptive threshold built as a dendritic tree
gives the adaptive-LIF program's spikes, within the rounding of their scales.

    lsnn_two_compartment.py CAJAL REPO_ROOT

Compiles examples/lsnn_two_compartment.mlir (sixteen adaptive-LIF neurons,
@alif, and the same sixteen as three-compartment trees, @lsnn; the example's
header explains the construction), runs 1,000 steps on the golden model and
on the reference engine, and checks:

- the fit report lists lsnn's tree (3 compartments per neuron, in core
  order) and no tree for alif;
- the two engines write the same spikes;
- every neuron of the tree spikes within one spike of its adaptive-LIF twin
  (the bound the example states), and both adapt: the strongest-driven
  neuron's last interval is at least 1.5 times its first.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

CAJAL, ROOT = (os.path.abspath(a) for a in sys.argv[1:3])
EXAMPLE = os.path.join(ROOT, "examples", "lsnn_two_compartment.mlir")
WORK = tempfile.mkdtemp(prefix="cajal-lsnn-")


def must(argv):
    done = subprocess.run(argv, cwd=WORK, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(argv)}: exit {done.returncode}\n"
                 f"{done.stdout}{done.stderr}")


def spike_steps(path):
    steps = {}
    with open(path) as f:
        rows = csv.reader(f)
        next(rows)
        for step, node, index in rows:
            steps.setdefault((node, int(index)), []).append(int(step))
    return steps


must([CAJAL, "compile", EXAMPLE, "-o", "lsnn.cjimg", "--profile", "loihi2",
      "--report", "fit.json"])
with open(os.path.join(WORK, "fit.json")) as f:
    report = {p["name"]: p for p in json.load(f)["populations"]}
if report["lsnn"].get("compartmentsPerNeuron") != 3 or \
        [c["name"] for c in report["lsnn"]["tree"]] != ["membrane", "adaptation", "lsnn"]:
    sys.exit(f"FAIL: the fit report's tree of lsnn: {report['lsnn']}")
if "tree" in report["alif"]:
    sys.exit("FAIL: the fit report gives the point population alif a tree")
for engine in ("golden", "reference"):
    must([CAJAL, "run", "lsnn.cjimg", "--steps", "1000", "--engine", engine,
          "--spikes-out", f"{engine}.csv", "--quiet"])
with open(os.path.join(WORK, "golden.csv")) as a, \
        open(os.path.join(WORK, "reference.csv")) as b:
    if a.read() != b.read():
        sys.exit("FAIL: the golden model's spikes differ from the reference engine's")

steps = spike_steps(os.path.join(WORK, "golden.csv"))
worst = 0
for i in range(16):
    program = len(steps.get(("alif", i), []))
    tree = len(steps.get(("lsnn", i), []))
    print(f"neuron {i:2}: adaptive-LIF program {program:3} spikes, tree {tree:3}")
    worst = max(worst, abs(program - tree))
    if abs(program - tree) > 1:
        sys.exit(f"FAIL: neuron {i}: the tree spikes {tree} times, the "
                 f"adaptive-LIF program {program} (bound: one apart)")
for node in ("alif", "lsnn"):
    s = steps[(node, 15)]
    first, last = s[1] - s[0], s[-1] - s[-2]
    if last < 1.5 * first:
        sys.exit(f"FAIL: {node} neuron 15 does not adapt: first interval "
                 f"{first} steps, last {last}")
print(f"ok: every neuron within {worst} spike(s) of the program's; both adapt")
