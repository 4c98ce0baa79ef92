#!/usr/bin/python3
"""check_peer.py - the Brian2 side of bench/peer-brian2 is step-exact.

Five checks, each able to fail on its own:

* reader: bench/peer-brian2/cjimg.py reads an image's binary file; every
  compartment parameter, synapse (target, mantissa-derived weight, delay),
  output axon and population slice must equal `cajal inspect --json` of the
  same file, and the neuron/synapse formats taken from the profile file must
  equal the JSON's.
* random images: for seeded random images of cajal-randimg (several cores,
  every delay, weight exponent and source kind; every fourth seed on the
  narrow-arithmetic profile of tests/crosscheck, where u wraps, q saturates
  and v resets by subtraction), the spikes and the probed u, v after every
  step of the Brian2 model (numpy target, brian_side.py) must be identical
  to cajal-golden-run's.
* random programs: for seeded random loihi2 images whose populations run
  random neuron programs (cajal-randimg --program-populations: every opcode,
  lookup tables and LUT), the same comparison; the Brian2 model is
  isa_brian.py's translation of each program. Fails, too, unless the
  programs the populations run contain LUT instructions.
* LUT programs: the first random-program image with every program replaced
  by a hand-made one (lut_program: a value that walks through two tables,
  one whose product (y_(k+1) - y_k) * f needs more than 64 bits, their sum
  in v, FIRE on it), written by replace_programs; the same comparison. Here
  what LUT computes is v itself, so every probed v checks it.
* LUT in C++: isa_brian.table_cpp's functions (the C++ implementation the
  standalone target compiles), built with the system C++ compiler, must read
  tables at the edges of the ranges (neurocore.edge_table) exactly as the
  ISA's formula in Python integers (neurocore.lookup_exact).

Usage: check_peer.py --cajal PATH --work DIR [--randimg PATH --golden PATH]
                     [--seeds N] [--steps N] [--program-seeds N]
                     [--program-steps N]
"""

import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench", "peer-brian2"))
sys.path.insert(0, os.path.join(ROOT, "tests", "crosscheck"))
import brian_side  # noqa: E402
import cjimg  # noqa: E402
import isa_brian  # noqa: E402
import neurocore  # noqa: E402
import run_crosscheck  # noqa: E402


def sh(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return r.stdout


def check_reader(args):
    """Problems found comparing cjimg.load with `cajal inspect --json`."""
    mlir = os.path.join(args.work, "cuba300.mlir")
    image = os.path.join(args.work, "cuba300.cjimg")
    sh([sys.executable, os.path.join(ROOT, "bench", "gen_cuba.py"), "300",
        "--out", mlir])
    sh([args.cajal, "compile", mlir, "-o", image])
    doc = json.loads(sh([args.cajal, "inspect", image, "--json"]))
    net = cjimg.load(image)
    problems = []
    for key, fmt in (("neuronFormat", net.nf), ("synapseFormat", net.sf)):
        for k, v in doc[key].items():
            if fmt.get(k) != v:
                problems.append(f"{key}.{k}: profile file {fmt.get(k)}, "
                                f"inspect {v}")
    comps = [c for core in doc["cores"] for c in core["compartments"]]
    for field in cjimg.COMPARTMENT.names:
        if field == "flags":
            continue
        want = np.array([c[field] for c in comps])
        if not np.array_equal(net.params[field], want):
            problems.append(f"compartment field {field} differs")
    target, weight, delay = [], [], []
    for ci, core in enumerate(doc["cores"]):
        for axon in core["inputAxons"]:
            for comp, mant, d in axon["synapses"]:
                target.append(net.comp_base[ci] + comp)
                shift = net.sf["weightShift"] + axon["weightExponent"]
                mag = abs(mant) << shift if shift >= 0 else abs(mant) >> -shift
                weight.append(mag if mant >= 0 else -mag)
                delay.append(d if axon["hasDelay"] else 1)
    for name, got, want in (("target", net.syn_target, target),
                            ("weight", net.syn_weight, weight),
                            ("delay", net.syn_delay, delay)):
        if not np.array_equal(got, np.array(want, dtype=np.int64)):
            problems.append(f"synapse {name}s differ")
    outs = [int(net.axon_base[c]) + a for core in doc["cores"]
            for c, a in core["outputAxons"]]
    if not np.array_equal(net.out_axon, outs):
        problems.append("output axons differ")
    if len(net.syn_target) == 0 or len(outs) == 0:
        problems.append("the CUBA image has no synapses: nothing compared")
    return problems


def check_random(args):
    """Seeds whose Brian2 spikes differ from the golden model's."""
    profile_dir = os.path.join(args.work, "profiles")
    os.makedirs(profile_dir, exist_ok=True)
    narrow = run_crosscheck.write_narrow_profile(
        os.path.join(ROOT, "chip", "profiles"), profile_dir)
    problems, counts = [], {"": 0, "-state": 0}
    for seed in range(1, args.seeds + 1):
        profile = narrow if seed % 4 == 0 else "loihi1"
        base = os.path.join(args.work, f"seed{seed}")
        # The Brian2 side does not model Poisson group sources (nor below).
        sh([args.randimg, "--seed", str(seed), "--steps", str(args.steps),
            "--profile", profile, "-o", base + ".cjimg",
            "--input-out", base + ".in.csv", "--no-poisson-group"])
        problems += compare_with_golden(
            args, base + ".cjimg", profile, args.steps,
            profile_dir if profile == narrow else None, counts)
    if counts[""] == 0 or counts["-state"] == 0:
        problems.append("no spikes or no probed states in any random image: "
                        "nothing compared")
    return problems, counts


def compare_with_golden(args, image, profile, steps, profile_dir, counts):
    """Run `image` (with its .in.csv) on cajal-golden-run and in Brian2's
    numpy target; the problems where their spikes or states differ."""
    base = os.path.splitext(image)[0]
    sh([args.golden, image, "--profile", profile, "--steps", str(steps),
        "--input", base + ".in.csv", "--spikes-out", base + ".golden.csv",
        "--state-out", base + ".golden-state.csv"])
    ns = argparse.Namespace(
        image=image, steps=steps, work=base + ".brian", target="numpy",
        input=base + ".in.csv", spikes_out=base + ".brian.csv",
        state_out=base + ".brian-state.csv", report=None, repeat=1,
        profile_dir=profile_dir)
    brian_side.run(ns)
    problems = []
    for what in ("", "-state"):
        golden, brian = (read(f"{base}.{who}{what}.csv")
                         for who in ("golden", "brian"))
        counts[what] += golden.count("\n") - 1
        if golden != brian:
            problems.append(
                f"{image} (profile {profile}): {what or 'spikes'} differ: "
                f"{first_line_difference(golden, brian)}; compare "
                f"{base}.golden{what}.csv {base}.brian{what}.csv")
    return problems


def check_programs(args):
    """Random-program images whose Brian2 run differs from the golden
    model's; (problems, counts of spikes, states and LUT instructions)."""
    problems, counts = [], {"": 0, "-state": 0, "lut": 0}
    for seed in range(1, args.program_seeds + 1):
        image = os.path.join(args.work, f"program{seed}.cjimg")
        sh([args.randimg, "--seed", str(seed), "--steps",
            str(args.program_steps), "--profile", "loihi2",
            "--program-populations", "--max-compartments", "40",
            "--no-poisson-group", "-o", image,
            "--input-out", os.path.splitext(image)[0] + ".in.csv"])
        raw = cjimg.read_raw(image)
        used = {p["program"] for p in raw["populations"]}
        counts["lut"] += sum(
            neurocore.decode(w).op == neurocore.LUT
            for i, p in enumerate(raw["programs"]) if i in used
            for w in p.code)
        problems += compare_with_golden(args, image, "loihi2",
                                        args.program_steps, None, counts)
    if counts[""] == 0 or counts["-state"] == 0:
        problems.append("no spikes or no probed states in any random-program "
                        "image: nothing compared")
    if counts["lut"] == 0:
        problems.append("the random programs run contain no LUT: the "
                        "translation of LUT is not tested")
    return problems, counts


def encode_programs(programs):
    """The PRGS section body of `programs` (docs/chip-image.md)."""
    u32 = lambda n: struct.pack("<I", n)
    text = lambda t: u32(len(t.encode())) + t.encode()
    out = bytearray(u32(len(programs)))
    for p in programs:
        out += text(p.name) + u32(len(p.state))
        for w in p.state:
            out += text(w.name) + struct.pack("<BBBi", w.bits, w.signed,
                                              w.saturate, w.initial)
        out += u32(len(p.params))
        for w in p.params:
            out += text(w.name) + struct.pack("<BB", w.bits, w.signed)
        out += u32(len(p.constants)) + struct.pack(
            f"<{len(p.constants)}q", *p.constants)
        out += u32(len(p.tables))
        for t in p.tables:
            out += struct.pack(f"<qBI{len(t.entries)}i", t.origin, t.shift,
                               len(t.entries), *t.entries)
        out += struct.pack("<iBBBI", p.refractory_word, *p.refractory_period,
                           p.skip_idle, p.idle_params)
        out += u32(len(p.code)) + struct.pack(f"<{len(p.code)}Q", *p.code)
    return bytes(out)


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def replace_programs(path, programs, out_path):
    """Copy the image at `path` to `out_path` with its PRGS section encoding
    `programs` and the END checksum recomputed. Returns the old PRGS body."""
    with open(path, "rb") as f:
        data = f.read()
    out, pos, old = bytearray(data[:12]), 12, None
    while pos < len(data):
        tag = data[pos:pos + 4]
        (length,) = struct.unpack_from("<Q", data, pos + 4)
        body = data[pos + 12:pos + 12 + length]
        if tag == b"PRGS":
            old, body = body, encode_programs(programs)
        elif tag == b"END ":
            body = struct.pack("<Q", fnv1a64(out))
        out += tag + struct.pack("<Q", len(body)) + body
        pos += 12 + length
    with open(out_path, "wb") as f:
        f.write(out)
    return old


def lut_program(rng, i, params):
    """A program whose v is what LUT computes: x (s0) walks by c0 plus the
    input each step; v (s1) = t0 at x + t1 at x * 2^30, where t1's segments
    are 2^40 wide so that its product reaches 2^72; FIRE.sub on v against
    c1. It declares `params` (the replaced program's, which the image's
    parameter words fit) and reads none of them."""
    nc = neurocore
    r, s, c = (lambda k: (nc.REG, k)), (lambda k: (nc.STATE, k)), \
        (lambda k: (nc.CONST, k))
    entry = lambda: rng.choice([(1 << 31) - 1, -(1 << 31),
                                rng.randint(-(1 << 31), (1 << 31) - 1),
                                rng.randint(-5000, 5000)])
    tables = (nc.LookupTable(-1000, 6, tuple(entry() for _ in range(64))),
              nc.LookupTable(-(1 << 41), 40,
                             tuple(entry() for _ in range(40))))
    code = (nc.encode(nc.ADD, s(0), s(0), c(0)),
            nc.encode(nc.ADD, s(0), s(0), (nc.INPUT, nc.INPUT_Q)),
            nc.encode(nc.LUT, r(0), s(0), imm=0),
            nc.encode(nc.SHL, r(1), s(0), imm=30),
            nc.encode(nc.LUT, r(2), r(1), imm=1),
            nc.encode(nc.ADD, r(0), r(0), r(2)),
            nc.encode(nc.FIRE, s(1), r(0), c(1), mode=nc.RESET_SUB))
    state = (nc.StateWord("x", 32, True, False, -700 + 97 * i),
             nc.StateWord("v", 32, True, False, 0))
    return nc.Program(f"lut-walk{i}", state, params, (13 + 2 * i, 1 << 30),
                      code=code, tables=tables)


def check_lut_programs(args):
    """(problems, counts): the first random-program image with hand-made
    LUT programs, Brian2 against the golden model. Its compartments start
    at their programs' initial values: the LUT programs declare other state
    words than the ones they replace."""
    source = os.path.join(args.work, "lutsource.cjimg")
    sh([args.randimg, "--seed", "1", "--steps", str(args.program_steps),
        "--profile", "loihi2", "--program-populations", "--max-compartments",
        "40", "--no-initial-state", "--no-poisson-group", "-o", source,
        "--input-out",
        os.path.splitext(source)[0] + ".in.csv"])
    image = os.path.join(args.work, "lutwalk.cjimg")
    shutil.copyfile(os.path.splitext(source)[0] + ".in.csv",
                    os.path.splitext(image)[0] + ".in.csv")
    originals = cjimg.read_raw(source)["programs"]
    rng = random.Random(11)
    programs = [lut_program(rng, i, p.params)
                for i, p in enumerate(originals)]
    problems, counts = [], {"": 0, "-state": 0}
    # The writer first reproduces the image's own PRGS byte for byte.
    if replace_programs(source, originals, image) != encode_programs(
            originals):
        problems.append(f"encode_programs does not reproduce {source}'s "
                        "PRGS section")
    replace_programs(source, programs, image)
    problems += compare_with_golden(args, image, "loihi2",
                                    args.program_steps, None, counts)
    if counts[""] == 0 or counts["-state"] == 0:
        problems.append("the LUT programs did not spike or were not probed: "
                        "nothing compared")
    return problems, counts


def check_lut_cpp(args):
    """Problems of isa_brian's C++ LUT functions against lookup_exact."""
    rng = random.Random(7)
    tables = [neurocore.LookupTable(-8, 2, (10, 20, -20))] + [
        neurocore.edge_table(rng) for _ in range(300)]
    functions, index, probes = {}, [], []
    for table in tables:
        name, code = isa_brian.table_cpp(table)
        if name not in functions:
            functions[name] = code
        for a in neurocore.edge_values(rng, table):
            probes.append((table, a))
            index.append(list(functions).index(name))
    source = os.path.join(args.work, "lut.cpp")
    binary = os.path.join(args.work, "lut")
    with open(source, "w") as f:
        f.write("#include <cstdint>\n#include <cstdio>\n")
        f.write("".join(functions.values()))
        f.write("static int64_t (*const lut[])(int64_t) = {"
                + ", ".join(functions) + "};\n")
        f.write("int main() {\n  long long t, a;\n"
                "  while (std::scanf(\"%lld %lld\", &t, &a) == 2)\n"
                "    std::printf(\"%lld\\n\", (long long)lut[t](a));\n"
                "}\n")
    compiler = shutil.which("c++") or shutil.which("g++")
    if compiler is None:
        return ["no C++ compiler (c++, g++) to build the LUT functions"]
    sh([compiler, "-O3", "-ffast-math", "-o", binary, source])
    r = subprocess.run([binary], capture_output=True, text=True, input="".join(
        f"{t} {a}\n" for t, (_, a) in zip(index, probes)))
    got = r.stdout.split()
    if r.returncode != 0 or len(got) != len(probes):
        return [f"{binary} failed (exit {r.returncode}) or printed "
                f"{len(got)} of {len(probes)} values"]
    problems = []
    for (table, a), g in zip(probes, got):
        want = neurocore.lookup_exact(table, a)
        if int(g) != want:
            problems.append(f"C++ LUT of {table} at {a}: {g}, expected {want}"
                            f" ({source})")
            if len(problems) >= 3:
                break
    return problems


def read(path):
    with open(path) as f:
        return f.read()


def first_line_difference(a, b):
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines())):
        if x != y:
            return f"line {i + 1}: golden {x!r}, Brian2 {y!r}"
    return f"golden {a.count(chr(10))} lines, Brian2 {b.count(chr(10))}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cajal", required=True)
    ap.add_argument("--randimg")
    ap.add_argument("--golden")
    ap.add_argument("--work", required=True)
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--program-seeds", type=int, default=2)
    ap.add_argument("--program-steps", type=int, default=100)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    problems = check_reader(args)
    print(f"reader vs cajal inspect --json: {len(problems)} problems")
    if args.randimg and args.golden:
        random_problems, counts = check_random(args)
        print(f"random images: {args.seeds} seeds, {counts['']} spikes and "
              f"{counts['-state']} probed states compared, "
              f"{len(random_problems)} differing")
        problems += random_problems
        program_problems, counts = check_programs(args)
        print(f"random programs: {args.program_seeds} images, {counts['']} "
              f"spikes and {counts['-state']} probed states compared, "
              f"{counts['lut']} LUT instructions, {len(program_problems)} "
              "differing")
        problems += program_problems
        lut_problems, counts = check_lut_programs(args)
        print(f"LUT programs: {counts['']} spikes and {counts['-state']} "
              f"probed states compared, {len(lut_problems)} differing")
        problems += lut_problems
    lut_problems = check_lut_cpp(args)
    print(f"LUT in C++: {len(lut_problems)} problems")
    problems += lut_problems
    for p in problems:
        print("FAIL: " + p)
    print("check_peer: " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
