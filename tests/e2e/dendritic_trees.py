#!/usr/bin/env python3
"""dendritic_trees.py - images of neurons with dendritic trees, through the CLI.

    dendritic_trees.py CAJAL CAJAL_RANDIMG REPO_ROOT

On a what-if profile file with a tree stack (tests/e2e/tree-stack.json: loihi2
with isa.stackDepth 8), random images whose populations are random dendritic
trees (cajal-randimg --tree-populations, docs/neurocore-isa.md "Dendritic
trees"):

- `cajal inspect` names the trees, and `--programs` gives each tree
  compartment's program and a neuron's update as their sum;
- `cajal run --engine reference`, `--engine systemc` and `--engine golden`
  (1 and 2 threads) write byte-identical spike files, with spikes in them;
- the shipped loihi2 profile (no tree stack) is refused as another profile.
"""
import os
import re
import subprocess
import sys
import tempfile

CAJAL, RANDIMG, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
PROFILE = os.path.join(ROOT, "tests", "e2e", "tree-stack.json")
WORK = tempfile.mkdtemp(prefix="cajal-trees-")
STEPS = 60
failures = []


def run(argv):
    return subprocess.run(argv, cwd=WORK, capture_output=True, text=True,
                          timeout=600)


def must(done, what):
    if done.returncode != 0:
        sys.exit(f"FAIL: {what}: exit {done.returncode}\n{done.stdout}{done.stderr}")
    return done.stdout


def read(path):
    with open(path, "rb") as f:
        return f.read()


trees = spikes = 0
for seed in range(1, 6):
    image = os.path.join(WORK, f"trees{seed}.cjimg")
    inputs = os.path.join(WORK, f"trees{seed}.in.csv")
    must(run([RANDIMG, "--seed", str(seed), "--steps", str(STEPS), "--profile",
              PROFILE, "--program-populations", "--tree-populations",
              "--no-poisson-group", "-o", image, "--input-out", inputs]),
         f"seed {seed}: cajal-randimg")
    summary = must(run([CAJAL, "inspect", image, "--profile", PROFILE]),
                   f"seed {seed}: cajal inspect")
    trees += summary.count("a dendritic tree of")
    report = must(run([CAJAL, "inspect", image, "--programs", "--profile",
                       PROFILE]), f"seed {seed}: cajal inspect --programs")
    if "used by no population" in report:
        failures.append(f"seed {seed}: inspect --programs lists a tree's "
                        "program as used by no population")
    for line in report.splitlines():
        if "a dendritic tree of" in line:
            # Each compartment's cycles, then the neuron's: their sum.
            costs = [int(c) for c in re.findall(r"\((\d+) cycles", line)]
            total = int(re.search(r"updated once: (\d+) cycles", line)[1])
            neurons = int(re.search(r": (\d+) neurons", line)[1])
            if sum(costs) * neurons != total:
                failures.append(f"seed {seed}: {line.strip()}: the neurons' "
                                "update is not the sum of the compartments'")
    out = {}
    for engine, extra in (("reference", []), ("systemc", []),
                          ("golden", ["--threads", "1"]),
                          ("golden2", ["--threads", "2"])):
        out[engine] = os.path.join(WORK, f"trees{seed}.{engine}.csv")
        must(run([CAJAL, "run", image, "--steps", str(STEPS), "--profile",
                  PROFILE, "--input", inputs, "--engine",
                  engine.rstrip("2"), *extra, "--quiet", "--spikes-out",
                  out[engine]]), f"seed {seed}: --engine {engine}")
    for engine in ("systemc", "golden", "golden2"):
        if read(out["reference"]) != read(out[engine]):
            failures.append(f"seed {seed}: {engine}'s spikes differ from the "
                            "reference engine's")
    spikes += read(out["reference"]).count(b"\n") - 1
    done = run([CAJAL, "run", image, "--steps", "1", "--profile", "loihi2"])
    if done.returncode == 0 or "profile" not in done.stderr:
        failures.append(f"seed {seed}: the shipped loihi2 profile was not "
                        f"refused: {done.stderr.strip()}")

if trees < 5:
    failures.append(f"only {trees} populations with trees in 5 images")
if spikes <= 0:
    failures.append("the tree images spiked nowhere")
print(f"{trees} tree populations, {spikes} spikes, reference = systemc = golden")
if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
print("OK")
