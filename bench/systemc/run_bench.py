#!/usr/bin/python3
"""Wall time of the SystemC model against the golden model.

Runs build/bin/cajal-systemc-bench (built with `ninja cajal-systemc-bench`)
on a set of synthetic networks, each on both engines in one process, and
prints a Markdown table: wall seconds per engine, their ratio (goal: within
10x), emulated cycles per wall second, spikes and synaptic ops. Every run
also checks that both engines give the same spikes every step.

    /usr/bin/python3 bench/systemc/run_bench.py --build build-e [--json out.json]

Each configuration runs --repeat times; the table shows the fastest run of
each engine (the machine is shared, the minimum is the least disturbed).
"""
import argparse
import json
import os
import subprocess
import sys

# name, arguments of cajal-systemc-bench
CONFIGS = [
    ("4 cores x 256, compact", ["--cores", "4", "--compartments", "256",
                                "--axons", "256", "--synapses", "32"]),
    ("16 cores x 1024, compact", ["--cores", "16"]),
    ("16 cores x 1024, one per tile", ["--cores", "16", "--scatter"]),
    ("64 cores x 1024, compact", ["--cores", "64", "--axons", "256"]),
    ("128 cores x 1024, full chip", ["--cores", "128", "--axons", "256",
                                     "--fanout", "2"]),
    ("64 cores x 256 on loihi1-board32, one per tile",
     ["--profile", "loihi1-board32", "--cores", "64", "--compartments", "256",
      "--axons", "128", "--synapses", "32", "--scatter"]),
]


def run(binary, args, steps):
    out = subprocess.run([binary, "--steps", str(steps)] + args, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build", help="CMake build directory")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    binary = os.path.join(a.build, "bin", "cajal-systemc-bench")
    if not os.path.exists(binary):
        sys.exit("no %s: run `ninja -C %s cajal-systemc-bench`" % (binary, a.build))
    rows = []
    for name, args in CONFIGS:
        runs = [run(binary, args, a.steps) for _ in range(a.repeat)]
        if not all(r["match"] for r in runs):
            sys.exit("%s: the engines disagree" % name)
        best = dict(runs[0])
        best["goldenSeconds"] = min(r["goldenSeconds"] for r in runs)
        best["systemcSeconds"] = min(r["systemcSeconds"] for r in runs)
        best["ratio"] = best["systemcSeconds"] / best["goldenSeconds"]
        best["cyclesPerSecond"] = best["emulatedCycles"] / best["systemcSeconds"]
        best["name"] = name
        rows.append(best)
    print("| network | steps | spikes | synaptic ops | golden s | SystemC s "
          "| ratio | emulated cycles/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print("| %s | %d | %d | %d | %.3f | %.3f | %.1fx | %.3g |" % (
            r["name"], r["steps"], r["spikes"], r["synapticOps"],
            r["goldenSeconds"], r["systemcSeconds"], r["ratio"],
            r["cyclesPerSecond"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
