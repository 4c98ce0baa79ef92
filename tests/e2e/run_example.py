#!/usr/bin/env python3
"""run_example.py - run an example exactly as its header comment says.

Every examples/*.mlir starts with a comment block whose `Run:` section lists the
commands a user types (`cajal compile ...`, `cajal run ...`). This test runs
those lines verbatim (only `cajal` is replaced by the built binary and paths
starting with `examples/` by the source tree's) in a fresh directory, then
checks what the example promises in its `Expect:` lines:

  cores >= N             the fit report uses at least N cores
  spikes NODE >= N       the population NODE spikes at least N times in total
  spikes NODE <= N       ... and at most N times
  spikes NODE in A..B >= N, spikes NODE in A..B <= N
                         the same over steps A to B (both included)

With `--profile P` after the example, its compile commands use profile P
in place of the one they name (an example that runs on several chips).

It also checks that the SystemC engine reproduces the golden model's spikes exactly on
the image the example built (same steps, same inputs) when the example runs
on the golden model (the default engine); an example that runs on another
engine (`--engine reference` for neurocore programs the golden model does
not run yet) is checked by its Expect lines alone.
"""
import csv
import json
import os
import shlex
import subprocess
import sys
import tempfile


def header_sections(path):
    run, expect, section = [], [], None
    with open(path) as f:
        for line in f:
            if not line.startswith("//"):
                break
            text = line[2:].strip()
            if text in ("Run:", "Expect:"):
                section = text
            elif not text:
                section = None
            elif section == "Run:":
                run.append(text)
            elif section == "Expect:":
                expect.append(text)
    return run, expect


def main():
    cajal, source_root, example = sys.argv[1:4]
    profile = None
    if sys.argv[4:5] == ["--profile"] and len(sys.argv) == 6:
        profile = sys.argv[5]
    elif len(sys.argv) != 4:
        sys.exit("usage: run_example.py CAJAL SOURCE_ROOT EXAMPLE [--profile P]")
    run, expect = header_sections(example)
    if not run:
        sys.exit(f"{example}: no 'Run:' commands in the header comment")
    work = tempfile.mkdtemp(prefix="cajal-e2e-")
    report = spikes = golden_run = None
    for command in run:
        argv = shlex.split(command)
        if argv[0] != "cajal":
            sys.exit(f"{example}: header command does not start with cajal: {command}")
        argv[0] = cajal
        argv = [os.path.join(source_root, a) if a.startswith("examples/") else a for a in argv]
        if profile and argv[1] == "compile":
            if "--profile" not in argv:
                sys.exit(f"{example}: '{command}' names no --profile to replace")
            argv[argv.index("--profile") + 1] = profile
            command = shlex.join(["cajal"] + argv[1:])
        for i, a in enumerate(argv[:-1]):
            if a == "--report":
                report = os.path.join(work, argv[i + 1])
            if a == "--spikes-out":
                spikes = os.path.join(work, argv[i + 1])
        print("$", command, flush=True)
        done = subprocess.run(argv, cwd=work)
        if done.returncode != 0:
            sys.exit(f"{example}: '{command}' exited with {done.returncode}")
        engine = argv[argv.index("--engine") + 1] if "--engine" in argv else "golden"
        if argv[1] == "run" and "--spikes-out" in argv and engine == "golden":
            golden_run = argv

    if golden_run:
        # The cycle-level engine must give the golden model's spikes exactly.
        argv = list(golden_run)
        out = argv.index("--spikes-out") + 1
        argv[out] = "systemc-" + os.path.basename(argv[out])
        if "--engine" in argv:
            argv[argv.index("--engine") + 1] = "systemc"
        else:
            argv += ["--engine", "systemc"]
        subprocess.run(argv + ["--quiet"], cwd=work, check=True)
        with open(os.path.join(work, argv[out])) as a, open(spikes) as b:
            if a.read() != b.read():
                sys.exit(f"{example}: --engine systemc spikes differ from --engine golden")
        print("ok: systemc spikes == golden spikes")

    steps_of = {}
    if spikes:
        with open(spikes) as f:
            rows = csv.reader(f)
            if next(rows) != ["step", "node", "index"]:
                sys.exit(f"{spikes}: bad header")
            for step, node, index in rows:
                steps_of.setdefault(node, []).append(int(step))
        print("spikes per node:", {n: len(s) for n, s in steps_of.items()})
    for claim in expect:
        words = claim.split()
        if words[0] == "cores" and words[1] == ">=":
            with open(report) as f:
                used = json.load(f)["coresUsed"]
            if used < int(words[2]):
                sys.exit(f"{example}: expected >= {words[2]} cores, fit report says {used}")
            print("ok:", claim)
            continue
        if words[0] != "spikes" or len(words) not in (4, 6):
            sys.exit(f"{example}: unknown Expect line: {claim}")
        node, relation, bound = words[1], words[-2], int(words[-1])
        first, last = 0, float("inf")
        if len(words) == 6:
            if words[2] != "in" or ".." not in words[3]:
                sys.exit(f"{example}: unknown Expect line: {claim}")
            first, last = (int(x) for x in words[3].split(".."))
        got = sum(first <= t <= last for t in steps_of.get(node, []))
        if relation == ">=" and got < bound or relation == "<=" and got > bound:
            sys.exit(f"{example}: expected {claim}, got {got}")
        if relation not in (">=", "<="):
            sys.exit(f"{example}: unknown Expect line: {claim}")
        print("ok:", claim, f"({got})")


if __name__ == "__main__":
    main()
