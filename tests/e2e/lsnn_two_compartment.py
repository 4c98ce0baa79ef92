#!/usr/bin/env python3
"""lsnn_two_compartment.py - an adaptive threshold built as a dendritic tree
gives the adaptive-LIF program's spikes, within the rounding of their scales,
on a programmable chip (loihi2) and on a fixed-function one (loihi1).

    lsnn_two_compartment.py CAJAL REPO_ROOT

examples/lsnn_two_compartment.mlir holds sixteen neurons as three-compartment
trees, @lsnn (its header explains the construction). The test adds the same
sixteen neurons as adaptive-LIF programs, @alif, and compiles that for loihi2;
it compiles the example itself for loihi1 and loihi2. It runs each 1,000
steps on the golden model and on the reference engine and checks:

- the fit report lists lsnn's tree (3 compartments per neuron, in core
  order) and no tree for alif;
- on each image the two engines write the same spikes;
- on each profile every neuron of the tree spikes within one spike of its
  adaptive-LIF twin (the bound the example states), and both adapt: the
  strongest-driven neuron's last interval is at least 1.5 times its first;
- the RTL neurocore built for loihi1 runs the loihi1 image's tree in
  lockstep with the emulator (`cajal check-rtl`), spiking.
"""
import csv
import json
import os
import re
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


ALIF = ("  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, "
        "params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 1.0e-3, "
        "bias = array<f64: 1.2, 1.32, 1.44, 1.56, 1.68, 1.8, 1.92, 2.04, 2.16, 2.28, "
        "2.4, 2.52, 2.64, 2.76, 2.88, 3.0>, tau_a = 2.0e-1, beta = 15.0>} "
        ": !snn.spikes<16>\n"
        "  snn.projection @clock_alif %clock -> %alif {connectivity = "
        "#snn.dense<dense<5.0> : tensor<16x1xf64>>} : !snn.spikes<1> -> !snn.spikes<16>\n")
with open(EXAMPLE) as f:
    text = f.read()
end = text.rindex("}")
with open(os.path.join(WORK, "with-alif.mlir"), "w") as f:
    f.write(text[:end] + ALIF + text[end:])

must([CAJAL, "compile", "with-alif.mlir", "-o", "alif.cjimg", "--profile",
      "loihi2", "--report", "fit.json"])
with open(os.path.join(WORK, "fit.json")) as f:
    report = {p["name"]: p for p in json.load(f)["populations"]}
if report["lsnn"].get("compartmentsPerNeuron") != 3 or \
        [c["name"] for c in report["lsnn"]["tree"]] != ["membrane", "adaptation", "lsnn"]:
    sys.exit(f"FAIL: the fit report's tree of lsnn: {report['lsnn']}")
if "tree" in report["alif"]:
    sys.exit("FAIL: the fit report gives the point population alif a tree")
for profile in ("loihi1", "loihi2"):
    must([CAJAL, "compile", EXAMPLE, "-o", f"lsnn-{profile}.cjimg", "--profile",
          profile])


def run_both(image):
    """The golden model's spikes of `image`, checked equal to the reference
    engine's."""
    for engine in ("golden", "reference"):
        must([CAJAL, "run", image, "--steps", "1000", "--engine", engine,
              "--spikes-out", f"{image}-{engine}.csv", "--quiet"])
    with open(os.path.join(WORK, f"{image}-golden.csv")) as a, \
            open(os.path.join(WORK, f"{image}-reference.csv")) as b:
        if a.read() != b.read():
            sys.exit(f"FAIL: {image}: the golden model's spikes differ from "
                     "the reference engine's")
    return spike_steps(os.path.join(WORK, f"{image}-golden.csv"))


program = run_both("alif.cjimg")
worst = 0
for profile in ("loihi1", "loihi2"):
    tree = run_both(f"lsnn-{profile}.cjimg")
    for i in range(16):
        a, t = len(program.get(("alif", i), [])), len(tree.get(("lsnn", i), []))
        print(f"{profile} neuron {i:2}: adaptive-LIF program {a:3} spikes, tree {t:3}")
        worst = max(worst, abs(a - t))
        if abs(a - t) > 1:
            sys.exit(f"FAIL: {profile} neuron {i}: the tree spikes {t} times, "
                     f"the adaptive-LIF program {a} (bound: one apart)")
    for steps in (program[("alif", 15)], tree[("lsnn", 15)]):
        first, last = steps[1] - steps[0], steps[-1] - steps[-2]
        if last < 1.5 * first:
            sys.exit(f"FAIL: {profile}: neuron 15 does not adapt: first "
                     f"interval {first} steps, last {last}")

rtl = subprocess.run([CAJAL, "check-rtl", "lsnn-loihi1.cjimg", "--steps", "300"],
                     cwd=WORK, capture_output=True, text=True, timeout=600)
m = re.search(r"(\d+) mismatches \((\d+) RTL spikes\)", rtl.stdout)
if rtl.returncode != 0 or not m or m.group(1) != "0" or int(m.group(2)) < 100:
    sys.exit(f"FAIL: check-rtl on the loihi1 tree: exit {rtl.returncode}\n"
             f"{rtl.stdout}{rtl.stderr}")
print(f"ok: every neuron within {worst} spike(s) of the program's on loihi1 "
      f"and loihi2; both adapt; the loihi1 RTL agrees ({m.group(2)} spikes)")
