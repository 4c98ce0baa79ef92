#!/usr/bin/python3
"""run_programs.py - the numpy interpreter against the C++ reference engine.

For each seed: cajal-randimg writes a random loihi2 image whose populations
mostly run random programs of their own (RandomProgram.h: every opcode,
operand kind, width, wrap and saturate, refractory counters, idle rules,
lookup tables and LUT, with random parameter words and initial states),
cajal-reference-words runs it on the reference engine (chip::interpret per
compartment) and dumps every compartment's state words, spike and idle flag
after every step, and reference.py runs the same image's JSON with
neurocore.py. Every word of every compartment must agree after every step.
Seeds run until --programs random programs have been compared. On a failure
the seed, the command lines, the first differing step, compartment and word,
and the program's listing are printed.

The run fails, too, when it compared too little: when the random programs
nearly never fire, or never execute a LUT, or no LUT interpolates between
two nodes (the counts are printed). Before the seeds, neurocore.lookup is
held to the examples of docs/neurocore-isa.md and to the formula in Python
integers on tables at the edges of the ranges.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import neurocore  # noqa: E402
import reference  # noqa: E402


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (
            " ".join(cmd), r.returncode, r.stderr.strip()))


def read_words(path):
    """(steps, n, w + 2) int64: state words, spiked, idle per compartment."""
    raw = np.fromfile(path, dtype="<i4")
    n, w = int(raw[0]), int(raw[1])
    return raw[2:].astype(np.int64).reshape(-1, n, w + 2), w


def check_lookup():
    """Problems of neurocore.lookup against the ISA page's examples and
    lookup_exact (Python integers) on random tables at the edges."""
    problems = []
    doc = neurocore.LookupTable(-8, 2, (10, 20, -20))
    for a, want in [(-100, 10), (-6, 15), (-4, 20), (-3, 10), (0, -20),
                    (1000, -20)]:
        got = int(neurocore.lookup_table(doc, a))
        if got != want:
            problems.append("docs/neurocore-isa.md example: origin -8, shift "
                            "2, entries 10, 20, -20 at %d: %d, expected %d"
                            % (a, got, want))
    rng = random.Random(1)
    for _ in range(500):
        table = neurocore.edge_table(rng)
        values = neurocore.edge_values(rng, table)
        got = neurocore.lookup_table(table, values).tolist()
        for a, g in zip(values, got):
            want = neurocore.lookup_exact(table, a)
            if g != want:
                problems.append("lookup of %s at %d: %d, expected %d"
                                % (table, a, g, want))
                break
        if len(problems) >= 3:
            break
    return problems


def check_seed(args, seed, seen):
    """(problem or None, random programs compared, spikes compared); adds
    the LUT counts of the numpy run to `seen`."""
    base = os.path.join(args.work, "prog%d" % seed)
    files = {k: base + ext for k, ext in [
        ("image", ".cjimg"), ("json", ".json"), ("input", ".in.csv"),
        ("words", ".words")]}
    steps = str(args.steps)
    gen = [args.randimg, "--seed", str(seed), "--steps", steps, "--profile",
           "loihi2", "--program-populations", "--max-compartments",
           str(args.max_compartments), "-o", files["image"], "--json",
           files["json"], "--input-out", files["input"]]
    ref = [args.reference_words, files["image"], "--steps", steps, "--input",
           files["input"], "--words-out", files["words"]]
    run(gen)
    run(ref)
    want, width = read_words(files["words"])
    with open(files["json"]) as f:
        doc = json.load(f)
    net = reference.Network(doc)
    got = np.zeros_like(want)

    machines = []

    def record(t, machine, fired):
        if not machines:
            machines.append(machine)
        for w in range(width):
            got[t, :, w] = machine.state_raw32(w)
        got[t, :, width] = 0
        got[t, fired, width] = 1
        got[t, :, width + 1] = machine.last_idle

    reference.simulate(net, args.steps, reference.read_external(
        files["input"], net), record)
    # Words a program does not declare are 0 on the C++ side.
    declared = np.array([len(net.programs[p].state)
                         for p in net.comp_program], dtype=np.int64)
    for w in range(width):
        got[:, declared <= w, w] = 0
    programs = len(doc["programs"])
    spikes = int(want[:, :, width].sum())
    if machines:
        seen["lut executions"] += machines[0].lut_executions
        seen["lut interpolations"] += machines[0].lut_interpolations
    seen["programs with LUT"] += sum(
        any(neurocore.decode(w).op == neurocore.LUT for w in p["code"])
        for p in doc["programs"])
    bad = np.argwhere(got != want)
    if len(bad) == 0:
        for key in files:  # keep the files of failing seeds only
            os.remove(files[key])
        return None, programs, spikes
    t, c, w = (int(x) for x in bad[0])
    what = ("state word s%d" % w if w < width
            else ("spiked" if w == width else "idle"))
    program = net.programs[net.comp_program[c]]
    return ("seed %d: step %d compartment %d %s: reference engine %d, "
            "numpy %d (%d differences)\n  reproduce: %s\n             %s\n"
            "  compartment %d runs:\n%s\n  parameter words %s"
            % (seed, t, c, what, want[t, c, w], got[t, c, w], len(bad),
               " ".join(gen), " ".join(ref), c,
               neurocore.disassemble(program),
               net.params[c, :len(program.params)].tolist())), programs, spikes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--randimg", required=True)
    ap.add_argument("--reference-words", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--programs", type=int, default=10000,
                    help="run seeds until this many random programs ran")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--max-compartments", type=int, default=800)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    start = time.time()
    passed = failed = programs = spikes = 0
    seen = {"programs with LUT": 0, "lut executions": 0,
            "lut interpolations": 0}
    for problem in check_lookup():
        print("FAIL " + problem, flush=True)
        failed += 1
    seed = args.first_seed
    while programs < args.programs and failed < 3:
        try:
            problem, count, fired = check_seed(args, seed, seen)
        except (RuntimeError, OSError, ValueError, KeyError,
                neurocore.ProgramError) as e:
            problem, count, fired = "seed %d: %s" % (seed, e), 0, 0
        if problem:
            failed += 1
            print("FAIL " + problem, flush=True)
            if failed >= 3 or count == 0:
                break
        else:
            passed += 1
        programs += count
        spikes += fired
        seed += 1
    print("programs: %d seeds x %d steps, %d random programs, %d spikes "
          "compared, %.1f s" % (seed - args.first_seed, args.steps, programs,
                                spikes, time.time() - start))
    print("LUT: %d random programs use it, %d executions, %d of them "
          "between two nodes" % (seen["programs with LUT"],
                                 seen["lut executions"],
                                 seen["lut interpolations"]))
    if passed and spikes < 100 * passed:
        print("FAIL too few spikes: the random programs nearly never fire")
        failed += 1
    if passed and seen["lut interpolations"] == 0:
        print("FAIL no LUT interpolated between two nodes: the random "
              "programs do not test LUT (do their profile's isa.maxTables "
              "allow tables?)")
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
