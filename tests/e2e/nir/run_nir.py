#!/usr/bin/env python3
"""run_nir.py - NIR models from other frameworks, imported, compiled and run.

    run_nir.py CASE BIN_DIR DATA_DIR

BIN_DIR holds cajal (compile, run: the commands a user types),
cajal-translate (--import-nir, for the refusal cases); DATA_DIR is tests/e2e/nir/data (copies of ../shared/nir,
see its README). Each CASE checks what a user relies on:

  lif       lif_norse.nir at dt 1e-4 driven by lif_exact.csv's input spikes
            spikes at the exact solution's steps 460, 510, 710, 760 (+-1)
  cnn       cnn_sinabs.nir compiles, fits (the fit report's core count), runs
  braille   the nested-graph Braille file spikes exactly like the flat one
  subtract  reset by subtraction: refused on loihi1 naming the profile field,
            compiles and runs on loihi1-nir
  float     cajal run MODEL --engine float (discretised, not quantised) against
            the golden model: identical lif spikes, >= 90 % count agreement
            gives lif_norse the golden model's spikes exactly, and spike
            counts within 10% of the golden model's for every population of
            the CNN and the Braille model
  refuse    lif_rockpool.nir and every data/bad/*.nir: exit 1, one clear
            error naming the file, nothing on stdout, no image
"""
import csv
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time


def fail(message):
    sys.exit(f"FAIL: {message}")


class Tools:
    def __init__(self, bin_dir, work):
        self.bin, self.work = bin_dir, work

    def tool(self, name):
        return os.path.join(self.bin, name)

    def compile(self, model, dt, name, profile="loihi1", extra=()):
        """`cajal compile model.nir --dt ...`, the user's command; returns
        (returncode, stderr, image, report)."""
        image = os.path.join(self.work, name + ".cjimg")
        report = os.path.join(self.work, name + ".json")
        compiled = subprocess.run(
            [self.tool("cajal"), "compile", model, "--dt", str(dt), "-o", image,
             "--report", report, "--profile", profile, *extra],
            capture_output=True, text=True)
        return compiled.returncode, compiled.stderr, image, report

    def run(self, image, steps, spikes_in):
        out = os.path.join(self.work, os.path.basename(image) + ".spikes.csv")
        done = subprocess.run(
            [self.tool("cajal"), "run", image, "--steps", str(steps),
             "--input", spikes_in, "--spikes-out", out, "--quiet"],
            capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"running {image}: {done.stderr}")
        # The cycle-level engine must reproduce the golden spikes exactly.
        systemc = out + ".systemc.csv"
        done = subprocess.run(
            [self.tool("cajal"), "run", image, "--steps", str(steps), "--engine",
             "systemc", "--input", spikes_in, "--spikes-out", systemc, "--quiet"],
            capture_output=True, text=True)
        if done.returncode != 0:
            fail(f"running {image} on systemc: {done.stderr}")
        if open(systemc).read() != open(out).read():
            fail(f"{image}: --engine systemc spikes differ from --engine golden")
        with open(out) as f:
            return [(int(r["step"]), r["node"], int(r["index"]))
                    for r in csv.DictReader(f)]

    def write_input(self, name, events):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write("step,node,index\n")
            for step, node, index in events:
                f.write(f"{step},{node},{index}\n")
        return path


def must_compile(tools, *args, **kwargs):
    rc, err, image, report = tools.compile(*args, **kwargs)
    if rc != 0 or not os.path.exists(image):
        fail(f"compiling {args[0]} failed:\n{err}")
    return image, report


def case_lif(tools, data):
    image, _ = must_compile(tools, os.path.join(data, "lif_norse.nir"), 1e-4, "lif")
    with open(os.path.join(data, "lif_exact.csv")) as f:
        rows = [[float(x) for x in r] for r in csv.reader(f)]
    inputs = [(t, "input", 0) for t, r in enumerate(rows) if r[0] != 0]
    exact = [t for t, r in enumerate(rows) if r[2] != 0]
    spikes = [s for s, node, _ in tools.run(image, len(rows),
                                             tools.write_input("lif_in.csv", inputs))
              if node == "1"]
    print("exact solution:", exact, "golden model:", spikes)
    # The NIR Output node that the neuron feeds records the same spikes.
    outputs = [s for s, node, _ in tools.run(image, len(rows),
                                              tools.write_input("lif_in2.csv", inputs))
               if node == "output"]
    if outputs != spikes:
        fail(f"spikes under the Output node 'output' {outputs} differ from node '1' {spikes}")
    if len(spikes) != len(exact) or any(abs(a - b) > 1 for a, b in zip(spikes, exact)):
        fail(f"spikes {spikes} differ from the exact solution's {exact} by more than one step")


def case_cnn(tools, data):
    start = time.perf_counter()
    image, report = must_compile(tools, os.path.join(data, "cnn_sinabs.nir"), 1, "cnn")
    seconds = time.perf_counter() - start
    with open(report) as f:
        fit = json.load(f)
    used, available = fit["coresUsed"], fit["coresAvailable"]
    print(f"cnn_sinabs: import + compile {seconds:.2f} s; {used} of {available} cores")
    if not 1 <= used <= available:
        fail(f"fit report says {used} cores of {available}")
    rng = random.Random(3)  # seeded N-MNIST-like input: 10% of pixels per step
    events = [(t, "input", i) for t in range(20) for i in range(2 * 34 * 34)
              if rng.random() < 0.1]
    spikes = tools.run(image, 20, tools.write_input("cnn_in.csv", events))
    per_layer = {}
    for _, node, _ in spikes:
        per_layer[node] = per_layer.get(node, 0) + 1
    print("spikes per population:", dict(sorted(per_layer.items())))
    for layer in ("1", "3", "6", "10"):
        if per_layer.get(layer, 0) == 0:
            fail(f"population {layer} never spikes: the input does not reach it")


def case_braille(tools, data):
    rng = random.Random(7)
    events = [(t, "input", i) for t in range(300) for i in range(12)
              if rng.random() < 0.15]
    spikes_in = tools.write_input("braille_in.csv", events)
    runs = {}
    for name, hidden in (("braille_noDelay_bias_zero", "lif1.lif"),
                         ("braille_noDelay_bias_zero_subgraph", "lif1.lif1")):
        image, _ = must_compile(tools, os.path.join(data, name + ".nir"), 1e-4, name)
        runs[name] = [(s, "hidden" if n == hidden else n, i)
                      for s, n, i in tools.run(image, 300, spikes_in)]
    flat, nested = runs.values()
    print(f"flat {len(flat)} spikes, nested {len(nested)} spikes")
    if not flat or not any(n == "hidden" for _, n, _ in flat):
        fail("the flat Braille model's hidden layer never spikes")
    if flat != nested:
        fail("the nested-graph Braille model spikes differently from the flat one")


def case_subtract(tools, data):
    model = os.path.join(data, "braille_noDelay_noBias_subtract.nir")
    rc, err, image, _ = tools.compile(model, 1e-4, "sub1", "loihi1",
                                      ["--reset", "subtract"])
    if rc == 0 or "neuron.resetBySubtraction" not in err or os.path.exists(image):
        fail(f"loihi1 must refuse reset by subtraction naming the field:\n{err}")
    image, _ = must_compile(tools, model, 1e-4, "sub2", "loihi1-nir",
                            extra=["--reset", "subtract"])
    rng = random.Random(11)
    events = [(t, "input", i) for t in range(200) for i in range(12)
              if rng.random() < 0.2]
    spikes = tools.run(image, 200, tools.write_input("sub_in.csv", events))
    if not spikes:
        fail("the subtract model never spikes on loihi1-nir")


def float_counts(tools, model, dt, steps, spikes_in, float_csv=None):
    """`cajal run MODEL --engine float`: {population: (float, golden, agreement,
    largest lag in steps)}."""
    argv = [tools.tool("cajal"), "run", model, "--engine", "float", "--dt", str(dt),
            "--steps", str(steps), "--input", spikes_in]
    if float_csv:
        argv += ["--spikes-out", float_csv]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"cajal run {model} --engine float: {done.stderr}")
    print(done.stdout, end="")
    lines = done.stdout.splitlines()
    header = next(i for i, l in enumerate(lines) if l.split()[:1] == ["population"])
    rows = [line.split() for line in lines[header + 1:]]
    return {r[0]: (int(r[1]), int(r[2]), float(r[3]), int(r[5])) for r in rows}


def case_float(tools, data):
    # lif_norse: identical spikes (the quantisation error is 0.1%).
    image, _ = must_compile(tools, os.path.join(data, "lif_norse.nir"), 1e-4, "lif")
    with open(os.path.join(data, "lif_exact.csv")) as f:
        rows = list(csv.reader(f))
    lif_in = tools.write_input("lif_in.csv", [(t, "input", 0) for t, r in
                                              enumerate(rows) if float(r[0]) != 0])
    # The float engine records the neuron nodes, not the Output-node aliases.
    golden = [g for g in tools.run(image, 1000, lif_in) if g[1] != "output"]
    float_csv = os.path.join(tools.work, "lif_float.csv")
    counts = float_counts(tools, os.path.join(data, "lif_norse.nir"), 1e-4, 1000, lif_in,
                          float_csv)
    with open(float_csv) as f:
        floats = [(int(r["step"]), r["node"], int(r["index"])) for r in csv.DictReader(f)]
    if floats != golden or counts["1"] != (4, 4, 1.0, 0):
        fail(f"lif_norse: float engine {floats} {counts} differs from golden {golden}")
    # The CNN and the Braille model: counts per population within 10%.
    rng = random.Random(3)
    cnn_in = tools.write_input("cnn_in.csv", [
        (t, "input", i) for t in range(20) for i in range(2 * 34 * 34) if rng.random() < 0.1])
    counts = float_counts(tools, os.path.join(data, "cnn_sinabs.nir"), 1, 20, cnn_in)
    rng = random.Random(7)
    braille_in = tools.write_input("braille_in.csv", [
        (t, "input", i) for t in range(300) for i in range(12) if rng.random() < 0.15])
    counts.update(float_counts(tools, os.path.join(data, "braille_noDelay_bias_zero.nir"),
                               1e-4, 300, braille_in))
    for pop, (f, g, agreement, _) in counts.items():
        if f + g > 0 and agreement < 0.9:
            fail(f"population {pop}: float {f} vs golden {g} spikes")
    if not any(f + g > 0 for f, g, _, _ in counts.values()):
        fail("no population spiked in either engine")


def case_refuse(tools, data):
    cases = [os.path.join(data, "lif_rockpool.nir")] + sorted(
        glob.glob(os.path.join(data, "bad", "*.nir")))
    cases = [c for c in cases if not c.endswith("good_gzip.nir")]
    for model in cases:
        done = subprocess.run([tools.tool("cajal-translate"), "--import-nir", model,
                               "--dt", "1e-4"], capture_output=True, text=True)
        errors = [l for l in done.stderr.splitlines() if "error:" in l]
        print(os.path.basename(model), "->", errors[0] if errors else done.stderr)
        if done.returncode != 1 or done.stdout or len(errors) != 1 or \
                not errors[0].startswith(model):
            fail(f"{model}: expected exit 1 and one error naming the file, got "
                 f"{done.returncode}:\n{done.stderr}")
    rc, err, image, _ = tools.compile(os.path.join(data, "lif_rockpool.nir"), 1e-4,
                                      "rockpool")
    if "'1_LIFNeuronTorch' produces [1], 'output' expects [1, 1, 1]" not in err \
            or os.path.exists(image):
        fail(f"lif_rockpool.nir: the error must name the edge and both shapes:\n{err}")


def main():
    case, bin_dir, data = sys.argv[1:4]
    work = tempfile.mkdtemp(prefix="cajal-nir-")
    cases = {"lif": case_lif, "cnn": case_cnn, "braille": case_braille,
             "subtract": case_subtract, "float": case_float,
             "refuse": case_refuse}
    cases[case](Tools(bin_dir, work), data)
    print(f"{case}: ok")


if __name__ == "__main__":
    main()
