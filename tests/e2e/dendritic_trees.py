#!/usr/bin/env python3
"""dendritic_trees.py - images of neurons with dendritic trees, through the CLI.

    dendritic_trees.py CAJAL CAJAL_RANDIMG REPO_ROOT

On a what-if profile file with a deep tree stack (tests/e2e/tree-stack.json:
loihi2 with isa.stackDepth 16), random images whose populations are random dendritic
trees (cajal-randimg --tree-populations, docs/neurocore-isa.md "Dendritic
trees"):

- `cajal inspect` names the trees, and `--programs` gives each tree
  compartment's program and a neuron's update as their sum;
- `cajal run --engine reference`, `--engine systemc` and `--engine golden`
  (1 and 2 threads) write byte-identical spike files, with spikes in them;
- the shipped loihi2 profile (a stack of 8, not 16) is refused as another profile;
- `cajal check-rtl --all-cores` runs each image on the RTL neurocore's
  loihi2 build in lockstep with the emulator's core model when that build's
  tree stack (loihi2's isa.stackDepth) holds the trees, and otherwise
  refuses the image naming the population and both stack depths.

On the RTL's own tree profile (rtl/profiles/rtl-trees.json: loihi2's
programmable core, 64 compartments, a tree stack of 8), random tree images
and `check-rtl --random` pass the lockstep check, with trees in them.
"""
import os
import re
import subprocess
import sys
import tempfile

CAJAL, RANDIMG, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
PROFILE = os.path.join(ROOT, "tests", "e2e", "tree-stack.json")
RTL_PROFILE = os.path.join(ROOT, "rtl", "profiles", "rtl-trees.json")
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


RTL_OK = re.compile(r"^\d+ configurations, \d+ steps, 0 mismatches \((\d+) RTL "
                    r"spikes\)\ncycles: RTL (\d+), emulator core (\d+)$", re.M)
RTL_REFUSED = re.compile(r"population \"[^\"]+\" has dendritic trees \(\d+ "
                         r"compartments per neuron\) that stack up to \d+ "
                         r"values; the RTL neurocore \(profile 'loihi2'\) "
                         r"holds \d+ \(isa.stackDepth\)")


def check_rtl_passes(argv, what):
    """check-rtl exits 0, with equal, non-zero cycle counts."""
    out = must(run(argv), what)
    m = RTL_OK.search(out)
    if not m or m[2] != m[3] or int(m[2]) == 0:
        failures.append(f"{what}: unexpected check-rtl summary: {out.strip()}")


trees = spikes = 0
rtl_ran = rtl_refused = 0
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
    # The RTL neurocore: the loihi2 build runs the trees or names the
    # population that needs a deeper stack than it has.
    done = run([CAJAL, "check-rtl", image, "--all-cores", "--steps", "20",
                "--profile", PROFILE])
    if done.returncode == 0 and RTL_OK.search(done.stdout):
        rtl_ran += 1
    elif done.returncode == 1 and RTL_REFUSED.search(done.stderr):
        rtl_refused += 1
    else:
        failures.append(f"seed {seed}: check-rtl neither passed nor refused "
                        f"the trees by their stack: exit {done.returncode}\n"
                        f"{done.stdout}{done.stderr}")
    done = run([CAJAL, "run", image, "--steps", "1", "--profile", "loihi2"])
    if done.returncode == 0 or "profile" not in done.stderr:
        failures.append(f"seed {seed}: the shipped loihi2 profile was not "
                        f"refused: {done.stderr.strip()}")

# The RTL's tree build: random tree images, every core, and --random.
rtl_trees = 0
for seed in range(1, 4):
    image = os.path.join(WORK, f"rtl-trees{seed}.cjimg")
    must(run([RANDIMG, "--seed", str(seed), "--steps", str(STEPS), "--profile",
              RTL_PROFILE, "--program-populations", "--tree-populations",
              "--no-poisson-group", "-o", image]),
         f"seed {seed}: cajal-randimg for rtl-trees")
    rtl_trees += must(run([CAJAL, "inspect", image, "--profile", RTL_PROFILE]),
                      f"seed {seed}: inspect rtl-trees").count(
                          "a dendritic tree of")
    check_rtl_passes([CAJAL, "check-rtl", image, "--all-cores", "--steps",
                      "30"], f"seed {seed}: check-rtl --all-cores (rtl-trees)")
check_rtl_passes([CAJAL, "check-rtl", "--random", "40", "--steps", "30",
                  "--profile", "rtl-trees"], "check-rtl --random 40 (rtl-trees)")
if rtl_trees < 3:
    failures.append(f"only {rtl_trees} populations with trees in 3 rtl-trees "
                    "images")
print(f"check-rtl: the loihi2 build ran {rtl_ran} and refused {rtl_refused} of "
      f"5 tree images by their stack; {rtl_trees} tree populations passed on "
      "rtl-trees")

if trees < 5:
    failures.append(f"only {trees} populations with trees in 5 images")
if spikes <= 0:
    failures.append("the tree images spiked nowhere")
print(f"{trees} tree populations, {spikes} spikes, reference = systemc = golden")
if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
print("OK")
