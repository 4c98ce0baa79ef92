#!/usr/bin/python3
"""tests/peer/compiled_kernel.py - neuron programs compiled to native code.

bench/equation-models/CompiledKernel.cpp writes each program an image's
compartments run as C++, compiles it and fails unless the compiled kernel's
final state words and spike count equal the reference interpreter's. This
runs it on seeded random images whose populations run random programs
(cajal-randimg --program-populations: every opcode, rounding and reset
mode, refractory counters, lookup tables) and on the equation-model
examples, which must spike.
"""

import argparse
import os
import re
import subprocess
import sys


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cajal", required=True)
    p.add_argument("--randimg", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--examples", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--seeds", type=int, default=20)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    failures = []

    programs = 0
    for seed in range(1, args.seeds + 1):
        image = os.path.join(args.work, f"random{seed}.cjimg")
        code, out = run(args.randimg, "--seed", str(seed), "-o", image,
                        "--profile", "loihi2", "--program-populations")
        if code != 0:
            failures.append(f"seed {seed}: cajal-randimg failed:\n{out}")
            continue
        code, out = run(args.bench, image, "--profile", "loihi2", "--steps",
                        "300", "--runs", "1", "--work", args.work)
        programs += len(re.findall(r"states and spikes equal", out))
        if code != 0 or "DIFFER" in out:
            failures.append(f"seed {seed}: the compiled kernel differs from "
                            f"the interpreter:\n{out}")
    if programs < args.seeds:
        failures.append(f"only {programs} programs checked over "
                        f"{args.seeds} random images")

    for example, steps in (("izhikevich-patterns.mlir", 3000),
                           ("hh.mlir", 5000),
                           ("adaptive-lif-equations.mlir", 2000),
                           ("resonate-and-fire.mlir", 3000)):
        image = os.path.join(args.work, example.replace(".mlir", ".cjimg"))
        code, out = run(args.cajal, "compile",
                        os.path.join(args.examples, example), "-o", image,
                        "--profile", "loihi2")
        if code != 0:
            failures.append(f"{example}: cajal compile failed:\n{out}")
            continue
        code, out = run(args.bench, image, "--profile", "loihi2", "--steps",
                        str(steps), "--runs", "1", "--work", args.work)
        spikes = [int(s) for s in
                  re.findall(r"compiled [0-9.e+]+ updates/s, ([0-9]+) spikes",
                             out)]
        if code != 0 or "DIFFER" in out or not spikes or sum(spikes) == 0:
            failures.append(f"{example}: expected equal states and some "
                            f"spikes:\n{out}")
        print(out, end="")

    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"compiled kernels: {programs} random programs and 4 examples "
          f"checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
