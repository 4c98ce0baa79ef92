#!/usr/bin/env python3
"""reference_engine.py - the reference engine gives the golden model's results.

    reference_engine.py CAJAL REFERENCE_CHECK REPO_ROOT

For every examples/*.mlir that runs on the golden model (compiled as its
header's `Run:` lines say; an example whose header runs `--engine reference`
uses neurocore programs the golden model does not run yet),
synfire with a state probe on every population, and a NIR model with external
input (tests/e2e/nir/data/braille_noDelay_bias_zero):

- `cajal run IMAGE --engine reference` and `--engine golden`, with the same
  steps and input, write byte-identical spike CSV and state-probe CSV files;
- reference-check runs both engines side by side on the image and compares
  the spikes and the state of every compartment of every population after
  every step, and every counter at the end.
"""
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_example import header_sections  # noqa: E402

CAJAL, CHECK, ROOT = (os.path.abspath(a) for a in sys.argv[1:4])
WORK = tempfile.mkdtemp(prefix="cajal-reference-")
failures = []


def run(argv):
    done = subprocess.run(argv, cwd=WORK, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(argv)} exited with {done.returncode}:\n"
                 f"{done.stdout}{done.stderr}")
    return done.stdout


def example_image(example):
    """Compile an example as its header says; its image and run steps."""
    commands, _ = header_sections(example)
    image = steps = spikes_in = None
    golden = True
    for command in commands:
        argv = shlex.split(command)
        argv[0] = CAJAL
        argv = [os.path.join(ROOT, a) if a.startswith("examples/") else a for a in argv]
        if argv[1] == "compile":
            run(argv)
            image = os.path.join(WORK, argv[argv.index("-o") + 1])
        elif argv[1] == "run":
            steps = int(argv[argv.index("--steps") + 1])
            if "--input" in argv:
                spikes_in = argv[argv.index("--input") + 1]
            if "--engine" in argv and argv[argv.index("--engine") + 1] != "golden":
                golden = False
    if image is None or steps is None:
        sys.exit(f"FAIL: {example}: no compile and run commands in its header")
    return image, steps, golden, spikes_in


def probed_image(example):
    """The example with a state probe on every population: the probe CSV
    then holds u and v of every neuron at every step."""
    with open(example) as f:
        text = f.read()
    probes = "".join(
        f"  snn.probe %{value} {{kind = #snn.probe_kind<state>}} : !snn.spikes<{size}>\n"
        for value, size in re.findall(
            r"%(\w+) = snn\.population .*: !snn\.spikes<(\d+)>", text))
    end = text.rstrip().rfind("}")
    name = os.path.basename(example)[:-len(".mlir")] + "-probed"
    model = os.path.join(WORK, name + ".mlir")
    with open(model, "w") as f:
        f.write(text[:end] + probes + text[end:])
    image = os.path.join(WORK, name + ".cjimg")
    run([CAJAL, "compile", model, "-o", image])
    return image


def nir_image():
    """The braille NIR model and seeded random input for its 12 channels."""
    model = os.path.join(ROOT, "tests", "e2e", "nir", "data",
                         "braille_noDelay_bias_zero.nir")
    image = os.path.join(WORK, "braille.cjimg")
    run([CAJAL, "compile", model, "--dt", "1e-4", "-o", image])
    spikes_in = os.path.join(WORK, "braille.input.csv")
    rng = random.Random(5)
    with open(spikes_in, "w") as f:
        f.write("step,node,index\n")
        for step in range(300):
            for index in range(12):
                if rng.random() < 0.2:
                    f.write(f"{step},input,{index}\n")
    return image, 300, spikes_in


def read(path):
    with open(path, "rb") as f:
        return f.read()


def compare(name, image, steps, spikes_in=None):
    outputs = {}
    for engine in ("golden", "reference"):
        spikes = os.path.join(WORK, f"{name}.{engine}.spikes.csv")
        probes = os.path.join(WORK, f"{name}.{engine}.probes.csv")
        argv = [CAJAL, "run", image, "--steps", str(steps), "--engine", engine,
                "--spikes-out", spikes, "--probes-out", probes, "--quiet"]
        if spikes_in:
            argv += ["--input", spikes_in]
        run(argv)
        outputs[engine] = (read(spikes), read(probes))
    golden, reference = outputs["golden"], outputs["reference"]
    spike_rows = golden[0].count(b"\n") - 1
    probe_rows = golden[1].count(b"\n") - 1
    if spike_rows < 1:
        failures.append(f"{name}: no spikes in {steps} steps: the comparison shows nothing")
    if reference[0] != golden[0]:
        failures.append(f"{name}: --engine reference spikes differ from --engine golden")
    if reference[1] != golden[1]:
        failures.append(f"{name}: --engine reference probes differ from --engine golden")
    argv = [CHECK, image, "--steps", str(steps)]
    if spikes_in:
        argv += ["--input", spikes_in]
    done = subprocess.run(argv, cwd=WORK, capture_output=True, text=True)
    if done.returncode != 0:
        failures.append(f"{name}: reference-check: {done.stderr.strip()}")
        return
    print(f"ok: {name}: spike CSV ({spike_rows} spikes) and probe CSV ({probe_rows} rows) "
          f"compared; reference-check: {done.stdout.strip()}")


for example in sorted(os.listdir(os.path.join(ROOT, "examples"))):
    if example.endswith(".mlir"):
        image, steps, golden, spikes_in = example_image(
            os.path.join(ROOT, "examples", example))
        if golden:
            compare(example[:-len(".mlir")], image, steps, spikes_in)
        else:
            print(f"skipped: {example} runs on the reference engine only")
synfire = os.path.join(ROOT, "examples", "synfire.mlir")
compare("synfire-probed", probed_image(synfire), 300)
compare("braille", *nir_image())

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
