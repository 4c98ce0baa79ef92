#!/usr/bin/env python3
"""determinism.py - the same input gives the same bytes and the same spikes.

    determinism.py CAJAL REPO_ROOT BUILT_ISAS

Compile: every example and the NIR models of tests/e2e/nir/data are compiled
three times: with MLIR's thread pool on every CPU, pinned to one CPU
(`taskset -c 0`), and with `--threads 3` (partitioning and emitting the cores
on three threads, more than this machine's CPUs); the images must be
byte-identical.

Run: each image runs on the golden model with every instruction set the build
has (BUILT_ISAS, comma-separated: CAJAL_GOLDEN_ISA=generic, avx2, avx512); the
spike files must be identical. An instruction set this CPU lacks is reported
and left out; one the build has and the CPU has (by /proc/cpuinfo) but the run
refuses is a failure, so the check cannot quietly shrink. Then each runs
with `--threads 2` and `--threads 4` (the golden model's step split among
threads): the spikes must be the same again.
"""
import os
import random
import subprocess
import sys
import tempfile

CAJAL, ROOT, BUILT_ISAS = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
WORK = tempfile.mkdtemp(prefix="cajal-determinism-")
NIR = os.path.join(ROOT, "tests", "e2e", "nir", "data")
# (name, model, extra compile arguments, input node, input size)
MODELS = [
    ("cuba", os.path.join(ROOT, "examples", "cuba.mlir"), [], None, 0),
    ("synfire", os.path.join(ROOT, "examples", "synfire.mlir"), [], None, 0),
    ("microcircuit", os.path.join(ROOT, "examples", "microcircuit.mlir"), [],
     None, 0),
    ("cnn", os.path.join(NIR, "cnn_sinabs.nir"), ["--dt", "1"], "input", 2 * 34 * 34),
    ("braille", os.path.join(NIR, "braille_noDelay_bias_zero.nir"), ["--dt", "1e-4"],
     "input", 12),
]
# CPU flags each instruction set needs (the golden model's own test, in short).
ISA_FLAGS = {"generic": set(), "avx2": {"avx2"}, "avx512": {"avx512f", "avx512bw"}}
failures = []


def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def compile_image(name, model, extra, how):
    """how: "all-cpus", "one-cpu" (taskset) or "threads-3"."""
    image = os.path.join(WORK, f"{name}.{how}.cjimg")
    argv = [CAJAL, "compile", model, "-o", image, *extra]
    if how == "one-cpu":
        argv = ["taskset", "-c", "0"] + argv
    elif how == "threads-3":
        argv += ["--threads", "3"]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: compiling {model}: {done.stderr}")
    with open(image, "rb") as f:
        return image, f.read()


def write_input(name, node, size):
    path = os.path.join(WORK, f"{name}.input.csv")
    rng = random.Random(11)
    with open(path, "w") as f:
        f.write("step,node,index\n")
        if node:
            for step in range(60):
                for index in range(size):
                    if rng.random() < 0.1:
                        f.write(f"{step},{node},{index}\n")
    return path


def run(image, isa, spikes_in, threads=1):
    out = os.path.join(WORK, f"{os.path.basename(image)}.{isa}.{threads}.csv")
    env = dict(os.environ)
    if isa:
        env["CAJAL_GOLDEN_ISA"] = isa
    argv = [CAJAL, "run", image, "--steps", "1000", "--spikes-out", out,
            "--threads", str(threads), "--quiet"]
    if spikes_in:
        argv += ["--input", spikes_in]
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return None, done.stderr.strip()
    with open(out) as f:
        return f.read(), ""


flags = cpu_flags()
for name, model, extra, node, size in MODELS:
    image, first = compile_image(name, model, extra, "all-cpus")
    for how in ("one-cpu", "threads-3"):
        _, other = compile_image(name, model, extra, how)
        if first != other:
            failures.append(f"{name}: compiling {how} gives another image "
                            f"({len(other)} bytes, all CPUs {len(first)})")
    spikes_in = write_input(name, node, size) if node else None
    reference, covered = None, []
    for isa in BUILT_ISAS:
        needs = ISA_FLAGS[isa]
        spikes, error = run(image, isa, spikes_in)
        if spikes is None:
            if needs <= flags:
                failures.append(f"{name}: CAJAL_GOLDEN_ISA={isa} refused although the "
                                f"CPU has {sorted(needs)}: {error}")
            else:
                print(f"note: {name}: this CPU lacks {isa} ({error})")
            continue
        covered.append(isa)
        if reference is None:
            reference = spikes
        elif spikes != reference:
            failures.append(f"{name}: CAJAL_GOLDEN_ISA={isa} spikes differ from "
                            f"{covered[0]}'s")
    for threads in (2, 4):
        spikes, error = run(image, None, spikes_in, threads)
        if spikes != reference:
            failures.append(f"{name}: --threads {threads} spikes differ from one "
                            f"thread's {error}")
    if reference is not None and reference.count("\n") < 2:
        failures.append(f"{name}: no spikes in 1000 steps: the comparison shows nothing")
    print(f"ok: {name}: {len(first)}-byte image twice identical; spikes identical "
          f"on {', '.join(covered)} and with 2 and 4 threads "
          f"({reference.count(chr(10)) - 1} spikes)")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
