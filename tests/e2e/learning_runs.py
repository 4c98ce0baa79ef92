#!/usr/bin/env python3
"""learning_runs.py - a network that learns, compiled and run as a user does.

examples/stdp_song2000.mlir (1000 Poisson inputs, pair STDP onto one LIF
neuron) is compiled once; `cajal inspect` names its learning synapses and
rule. Each engine (golden, reference, SystemC) runs it with
`--weights-out w.csv --weights-every 100`: the three weight files and spike
files are byte-identical, hold a snapshot of every synapse at steps 0, 100,
200 and 300, the weights move, and each row's weight is its mantissa times
the group's power of two. The same run writes HDF5 for h5py with the CSV's
values; the SystemC power report prices 1000 updates a step at 120 pJ.
Bad requests fail naming the problem and leave no file: an unknown
--weights-of node, --weights-out on an image that does not learn,
--weights-every alone, and check-rtl with a dt rule the RTL cannot
evaluate. check-rtl runs the image on the RTL neurocore, learning phase
included, in lockstep with SystemC (spikes, states, learned weights; the
learning phase's cycles against their schedule; the weights move), the
triplet variant too; check-rtl --learning-unit matches SystemC's traces and
weights (pair and triplet rules).
"""
import csv
import json
import os
import re
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_checks import Checks, cajal_runner  # noqa: E402

CAJAL, ROOT = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="cajal-learning-")
check = Checks()
run = cajal_runner(CAJAL)
STEPS, EVERY, SYNAPSES = 300, 100, 1000


def path(name):
    return os.path.join(work, name)


image = path("stdp.cjimg")
r = run("compile", os.path.join(ROOT, "examples", "stdp_song2000.mlir"),
        "-o", image)
check(r.returncode == 0, "compile examples/stdp_song2000.mlir: " + r.stderr)

r = run("inspect", image)
check(r.returncode == 0 and f"({SYNAPSES} learning, 0 reward)" in r.stdout
      and "learning: epochs of 1 step" in r.stdout and "rule 0: dw =" in r.stdout,
      "inspect names the learning synapses, the epoch and the rule")

weights, spikes = {}, {}
for engine in ("golden", "reference", "systemc"):
    args = ["run", image, "--steps", str(STEPS), "--engine", engine,
            "--weights-out", path(f"w-{engine}.csv"),
            "--weights-every", str(EVERY),
            "--spikes-out", path(f"s-{engine}.csv"), "--quiet"]
    if engine == "systemc":
        args += ["--power", path("power.json")]
    r = run(*args)
    check(r.returncode == 0, f"{engine}: run with --weights-out: {r.stderr}")
    with open(path(f"w-{engine}.csv")) as f:
        weights[engine] = f.read()
    with open(path(f"s-{engine}.csv")) as f:
        spikes[engine] = f.read()
check(weights["golden"] == weights["reference"] == weights["systemc"],
      "the three engines write the same weights, byte for byte")
check(spikes["golden"] == spikes["reference"] == spikes["systemc"],
      "... and the same spikes")

with open(path("w-golden.csv")) as f:
    rows = list(csv.DictReader(f))
check(list(rows[0].keys()) == ["step", "pre", "pre_index", "post",
                               "post_index", "weight", "mantissa", "delay",
                               "tag"], "the CSV header")
steps = sorted({int(row["step"]) for row in rows})
check(steps == list(range(0, STEPS + 1, EVERY)),
      f"snapshots at steps {steps}")
check(len(rows) == len(steps) * SYNAPSES,
      f"{SYNAPSES} synapses per snapshot ({len(rows)} rows)")
first = {(row["pre"], row["pre_index"]): int(row["mantissa"])
         for row in rows if row["step"] == "0"}
last = {(row["pre"], row["pre_index"]): int(row["mantissa"])
        for row in rows if int(row["step"]) == STEPS}
moved = sum(first[k] != last[k] for k in first)
check(len(first) == SYNAPSES and {k[0] for k in first} == {"inputs"}
      and all(row["post"] == "neuron" and row["post_index"] == "0"
              for row in rows),
      "every synapse named by its input channel and the neuron")
check(moved > SYNAPSES // 10, f"{moved} of {SYNAPSES} weights moved")
scales = {int(row["weight"]) // int(row["mantissa"])
          for row in rows if int(row["mantissa"]) != 0}
check(len(scales) == 1 and all(
          int(row["weight"]) == int(row["mantissa"]) * next(iter(scales))
          for row in rows),
      f"weight = mantissa x {sorted(scales)} in every row")

r = run("run", image, "--steps", str(STEPS), "--weights-out", path("w.h5"),
        "--weights-every", str(EVERY), "--quiet")
check(r.returncode == 0, "golden: --weights-out w.h5: " + r.stderr)
with h5py.File(path("w.h5"), "r") as f:
    check(f.attrs["format"] == "cajal-weights" and f.attrs["version"] == 1,
          "w.h5: format cajal-weights, version 1")
    mantissa = f["mantissa"][:]
    check(mantissa.shape == (len(steps), SYNAPSES),
          f"w.h5: mantissa is snapshots x synapses {mantissa.shape}")
    csv_mantissa = np.array([int(row["mantissa"]) for row in rows]).reshape(
        len(steps), SYNAPSES)
    check(np.array_equal(mantissa, csv_mantissa) and
          list(f["step"][:]) == steps and
          [n.decode() if isinstance(n, bytes) else n for n in f["nodes"][:]]
          [f["pre"][0]] == "inputs",
          "w.h5 holds the CSV's values, steps and node names")

with open(path("power.json")) as f:
    power = json.load(f)
updates = power["counts"]["learningUpdates"]
check(updates == SYNAPSES * STEPS,
      f"power: {updates} learning updates (1000 a step, epoch 1)")
check(abs(power["energyPJ"]["learning"] - 120.0 * updates) < 1e-6 * updates,
      "power: 120 pJ per learning update")

r = run("run", image, "--steps", "5", "--weights-out", path("x.csv"),
        "--weights-of", "nope")
check(r.returncode != 0 and 'no node "nope"' in r.stderr and
      not os.path.exists(path("x.csv")),
      "--weights-of nope: an error naming it, no file")
r = run("run", image, "--steps", "5", "--weights-every", "2")
check(r.returncode != 0 and "need --weights-out" in r.stderr,
      "--weights-every without --weights-out is refused")
fixed = path("synfire.cjimg")
r = run("compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", fixed)
r = run("run", fixed, "--steps", "5", "--weights-out", path("y.csv"))
check(r.returncode != 0 and "does not learn" in r.stderr and
      not os.path.exists(path("y.csv")),
      "--weights-out on an image that does not learn: refused, no file")
r = run("check-rtl", image, "--steps", "400")
m = re.search(r"^learning: 400 epochs, 400000 learned weights compared "
              r"\((\d+) changed\), 801200 traces, RTL learning-phase cycles "
              r"(\d+)", r.stdout, re.M)
check(r.returncode == 0 and
      "1 configurations, 400 steps, 0 mismatches" in r.stdout and
      m is not None and int(m[1]) > 0 and int(m[2]) > 0,
      "check-rtl runs an image that learns on the RTL core, its learned "
      "weights as SystemC's: " + r.stdout.strip() + r.stderr.strip())
r = run("check-rtl", image, "--learning-unit", "--steps", "40")
check(r.returncode == 0 and
      "1 cores, 40 steps, 40 epochs, 80120 trace steps, 40000 weight rules, "
      "0 mismatches" in r.stdout,
      "check-rtl --learning-unit: every trace and weight as SystemC's: " +
      r.stdout.strip() + r.stderr.strip())
r = run("check-rtl", fixed, "--learning-unit")
check(r.returncode != 0 and "--learning-unit: the image does not learn" in
      r.stderr, "check-rtl --learning-unit on an image that does not learn")
# A triplet rule (two factors in a term) runs on the RTL learning unit; a
# rule that changes tags (dt) is beyond it: refused naming the rule, the
# target and the reason, no waveform directory.
with open(os.path.join(ROOT, "examples", "stdp_song2000.mlir")) as f:
    song = f.read()
PAIR = "dw = 2^-3 * x1 * y0 - 2^-3 * y1 * x0"
Y1 = "y1 = #snn.trace<impulse = 21.42, tau = 200.0>>"
variants = {
    "triplet": "dw = 2^-3 * x1 * y2 * y0 - 2^-3 * y1 * x0",
    "tagged": "dw = 2^-3 * x1 * y0 - 2^-3 * y1 * x0; dt = 2^-2 * x1 * u",
}
images = {}
for name, rule in variants.items():
    text = song.replace(PAIR, rule).replace(
        Y1, Y1[:-1] + ", y2 = #snn.trace<impulse = 16.0, tau = 400.0>>")
    check(text != song, f"the {name} variant of the example differs")
    with open(path(name + ".mlir"), "w") as f:
        f.write(text)
    images[name] = path(name + ".cjimg")
    r = run("compile", path(name + ".mlir"), "-o", images[name])
    check(r.returncode == 0, f"compile the {name} variant: " + r.stderr)
r = run("check-rtl", images["triplet"], "--steps", "100")
check(r.returncode == 0 and "0 mismatches" in r.stdout and
      "learning: 100 epochs" in r.stdout,
      "check-rtl runs a triplet rule on the RTL core: " + r.stdout.strip() +
      r.stderr.strip())
r = run("check-rtl", images["triplet"], "--learning-unit", "--steps", "20")
check(r.returncode == 0 and "20 epochs" in r.stdout and
      "0 mismatches" in r.stdout,
      "check-rtl --learning-unit runs a triplet rule: " + r.stdout.strip() +
      r.stderr.strip())
r = run("check-rtl", images["tagged"], "--learning-unit", "--vcd",
        path("waves"))
check(r.returncode != 0 and
      "learning rule 0: dt term 1: the RTL learning unit changes weights "
      "only (dw)" in r.stderr and not os.path.exists(path("waves")),
      "check-rtl refuses a rule with dt naming rule and target: " +
      r.stderr.strip())
check.no_temporaries(work)
check.finish("the learning network runs alike on every engine")
