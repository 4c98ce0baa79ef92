#!/usr/bin/env python3
"""lif_regression.py - LIF networks give the recorded spikes, states, cycles and energy.

    lif_regression.py record BIN_DIR SOURCE_DIR BASELINE
    lif_regression.py check  BIN_DIR SOURCE_DIR BASELINE

BIN_DIR holds cajal and cajal-randimg. Every case runs the golden model
(spike CSV and state CSV) and the SystemC model (spike CSV and the power
report: cycles per step, energy by event kind and core); BASELINE holds one
line per case with the SHA-256 of each output. `record` writes it (run it
with a build of the commit the baseline names, see its header); `check`
recomputes everything with this build and names each case that differs.

Cases: each LIF example without learning (with a state probe on its
populations of up to 1,000 neurons), every NIR
model of tests/e2e/nir/data that compiles on loihi1 or loihi1-nir (seeded
external input), and 100 seeded random LIF images (cajal-randimg, every
source kind but the Poisson group, delays, both reset modes where the
profile allows).
"""
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

# (golden steps, SystemC steps): the examples long enough that CUBA,
# self-driven from rest, spikes.
EXAMPLE_STEPS = (1000, 1000)
STEPS = (300, 100)
RANDOM_IMAGES = 100
STATE_PROBE_MAX_NEURONS = 1000

NIR_MODELS = [
    ("lif_norse.nir", "loihi1", "1e-4", []),
    ("cnn_sinabs.nir", "loihi1", "1e-3", []),
    ("braille_noDelay_bias_zero.nir", "loihi1", "1e-3", []),
    ("braille_noDelay_noBias_subtract.nir", "loihi1-nir", "1e-3",
     ["--reset", "subtract"]),
]


def sha(path):
    if not os.path.exists(path):
        return "-"
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


class Runner:
    def __init__(self, bin_dir, work):
        self.cajal = os.path.join(bin_dir, "cajal")
        self.randimg = os.path.join(bin_dir, "cajal-randimg")
        self.work = work

    def call(self, *args):
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"FAIL: {' '.join(args)}\n{r.stderr}")
        return r.stdout

    def path(self, name):
        return os.path.join(self.work, name)

    def run_image(self, image, extra, steps=STEPS):
        """Golden spikes and states, SystemC spikes and power: four digests."""
        out = {k: self.path(k) for k in ("g.csv", "p.csv", "s.csv", "w.json")}
        for f in out.values():
            if os.path.exists(f):
                os.remove(f)
        self.call(self.cajal, "run", image, "--quiet", "--engine", "golden",
                  "--steps", str(steps[0]), "--spikes-out", out["g.csv"],
                  "--probes-out", out["p.csv"], *extra)
        self.call(self.cajal, "run", image, "--quiet", "--engine", "systemc",
                  "--steps", str(steps[1]), "--spikes-out", out["s.csv"],
                  "--power", out["w.json"], *extra)
        return " ".join(sha(out[k]) for k in ("g.csv", "p.csv", "s.csv", "w.json"))

    def external_input(self, image, seed):
        """Seeded spikes on every external source, as `--input` arguments."""
        info = json.loads(self.call(self.cajal, "inspect", image, "--json"))
        rng = random.Random(seed)
        rows = ["step,node,index"]
        for source in info.get("sources", []):
            if source.get("kind") != "external":
                continue
            for step in range(STEPS[0]):
                for index in range(source["size"]):
                    if rng.random() < 0.2:
                        rows.append(f"{step},{source['name']},{index}")
        if len(rows) == 1:
            return []
        path = self.path(f"input-{seed}.csv")
        with open(path, "w") as f:
            f.write("\n".join(rows) + "\n")
        return ["--input", path]


def with_state_probes(text):
    """The example with a state probe on every population of at most
    STATE_PROBE_MAX_NEURONS neurons (the state CSV has a row per neuron and
    step)."""
    probes = []
    for m in re.finditer(r"(%\w+) = snn\.population @\w+ .*: (!snn\.spikes<(\d+)>)",
                         text):
        if int(m.group(3)) > STATE_PROBE_MAX_NEURONS:
            continue
        probes.append(f"  snn.probe {m.group(1)} "
                      f"{{kind = #snn.probe_kind<state>}} : {m.group(2)}")
    end = text.rstrip().rfind("}")
    return text[:end] + "\n".join(probes) + "\n}\n"


def cases(runner, source):
    examples = os.path.join(source, "examples")
    for name in sorted(os.listdir(examples)):
        if not name.endswith(".mlir"):
            continue
        text = open(os.path.join(examples, name)).read()
        if "loihi2" in text:
            continue  # programs beyond the LIF family: not in this baseline
        if "learning = " in text:
            continue  # learning projections: not in this baseline
        model = runner.path(name)
        with open(model, "w") as f:
            f.write(with_state_probes(text))
        image = runner.path(name + ".cjimg")
        runner.call(runner.cajal, "compile", model, "-o", image)
        yield f"example/{name}", runner.run_image(image, [], EXAMPLE_STEPS)
    data = os.path.join(source, "tests", "e2e", "nir", "data")
    for name, profile, dt, extra in NIR_MODELS:
        image = runner.path(name + ".cjimg")
        runner.call(runner.cajal, "compile", os.path.join(data, name), "-o",
                    image, "--profile", profile, "--dt", dt, *extra)
        yield f"nir/{name}", runner.run_image(image, runner.external_input(image, 1))
    for seed in range(1, RANDOM_IMAGES + 1):
        image = runner.path(f"random-{seed}.cjimg")
        ext = runner.path(f"random-{seed}.csv")
        # Every compartment at rest and no Poisson group source, as when
        # the baseline was recorded.
        runner.call(runner.randimg, "--seed", str(seed), "--steps",
                    str(STEPS[0]), "-o", image, "--input-out", ext,
                    "--no-initial-state", "--no-poisson-group")
        yield f"random/{seed}", runner.run_image(image, ["--input", ext])


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("record", "check"):
        sys.exit(__doc__)
    mode, bin_dir, source, baseline = sys.argv[1:]
    with tempfile.TemporaryDirectory() as work:
        got = dict(cases(Runner(bin_dir, work), source))
    if mode == "record":
        with open(baseline, "w") as f:
            f.write("# LIF regression baseline: case, then SHA-256 (16 hex digits) of\n"
                    "# golden spikes, golden states, SystemC spikes, SystemC power report.\n"
                    "# Recorded with the build of commit e52d397 (before neuron programs):\n"
                    "#   tests/regression/lif_regression.py record BUILD/bin . "
                    "tests/regression/lif-baseline.txt\n")
            for case, digests in got.items():
                f.write(f"{case} {digests}\n")
        print(f"recorded {len(got)} cases")
        return
    want = {}
    for line in open(baseline):
        if line.startswith("#") or not line.strip():
            continue
        case, digests = line.split(" ", 1)
        want[case] = digests.strip()
    failures = [c for c in want if got.get(c) != want[c]]
    missing = [c for c in want if c not in got]
    if failures or missing or len(want) < RANDOM_IMAGES:
        sys.exit("FAIL: differ from the baseline: " +
                 ", ".join(f"{c} (now {got.get(c)}, was {want[c]})"
                           for c in failures))
    print(f"{len(want)} cases identical to the baseline")


if __name__ == "__main__":
    main()
