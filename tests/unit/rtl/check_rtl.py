#===- check_rtl.py - e2e: `cajal check-rtl` on images and random cores ----===#
#
# check_rtl.py CAJAL SOURCE_DIR: compiles chain-small.mlir for the small
# RTL build (rtl/profiles/rtl-small.json; three cores, two of them driven by
# other cores), examples/synfire.mlir for loihi1 (the full-size build) and
# examples/izhikevich.mlir, adaptive-lif.mlir and the equation-model examples
# (izhikevich-patterns, adaptive-lif-equations, resonate-and-fire) for loihi2
# (the programmable build), checks cores of each (one by one and --all-cores)
# with "0 mismatches", a non-zero spike count and equal RTL and emulator
# cycles; examples/stdp_song2000.mlir (pair STDP) on loihi1 with its learned
# weights compared and moving; runs --random 100 (rtl-small, LIF) and --random 50 --profile
# loihi2 (random programs); compares the --vcd waveforms of RTL and emulator
# on the port signals; then checks that bad inputs (a missing core, a
# profile no RTL build has, a programmable profile whose instruction timing
# no build has, an image for another profile, a corrupt or missing image,
# no image and no --random) exit 1 with a clear message. Exits non-zero
# with a message on the first failure.
#
#===----------------------------------------------------------------------===#
import json
import os
import re
import subprocess
import sys
import tempfile

cajal, src = sys.argv[1], sys.argv[2]
profile = os.path.join(src, "rtl", "profiles", "rtl-small.json")
model = os.path.join(src, "examples", "synfire.mlir")


def run(*args):
    p = subprocess.run([cajal, *args], capture_output=True, text=True,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def fail(msg, out="", err=""):
    sys.exit(f"check_rtl: {msg}\nstdout:\n{out}\nstderr:\n{err}")


def expect_ok(args, configs, steps):
    rc, out, err = run(*args)
    m = re.search(r"^(\d+) configurations, (\d+) steps, (\d+) mismatches "
                  r"\((\d+) RTL spikes\)$", out, re.M)
    if rc != 0 or not m:
        fail(f"{args}: exit {rc}", out, err)
    if (int(m[1]), int(m[2]), int(m[3])) != (configs, steps, 0):
        fail(f"{args}: unexpected summary", out, err)
    if int(m[4]) == 0:
        fail(f"{args}: no spikes, the check is vacuous", out, err)
    c = re.search(r"^cycles: RTL (\d+), emulator core (\d+)$", out, re.M)
    if not c or c[1] != c[2] or int(c[1]) == 0:
        fail(f"{args}: the RTL's cycles are not the emulator core's", out, err)


PORTS = ["neurocore." + s for s in
         ("in_ready", "out_valid", "out_compartment", "step_done")]


def skip_to_end(toks, i):
    while toks[i] != "$end":
        i += 1
    return i + 1


def changes(path, names):
    """Value changes of the signals `names` (scoped, e.g. neurocore.out_valid)
    of a VCD: {name: [(time, value)]}, repeated values dropped."""
    with open(path) as f:
        toks = f.read().split()
    ids, scope, out, t, i = {}, [], {}, 0, 0
    while i < len(toks):
        w = toks[i]
        if w == "$scope":
            scope.append(toks[i + 2])
            i = skip_to_end(toks, i)
        elif w == "$upscope":
            scope.pop()
            i = skip_to_end(toks, i)
        elif w == "$var":
            full = ".".join(scope + [toks[i + 4]])
            if full in names:
                ids.setdefault(toks[i + 3], []).append(full)
            i = skip_to_end(toks, i)
        elif w in ("$version", "$timescale", "$comment", "$date"):
            i = skip_to_end(toks, i)
        elif w.startswith("#"):
            t = int(w[1:])
            i += 1
        else:
            if w[0] in "bB":
                digits, code = w[1:], toks[i + 1]
                i += 2
            elif w[0] in "01xz" and len(w) > 1:
                digits, code = w[0], w[1:]
                i += 1
            else:
                i += 1
                continue
            val = int(digits.replace("x", "0").replace("z", "0"), 2)
            for n in ids.get(code, []):
                lst = out.setdefault(n, [])
                if not lst or lst[-1][1] != val:
                    lst.append((t, val))
    return out


def expect_same_waveforms(rtl_vcd, emu_vcd):
    a, b = changes(rtl_vcd, set(PORTS)), changes(emu_vcd, set(PORTS))
    for n in PORTS:
        if not a.get(n) or a.get(n) != b.get(n):
            fail(f"{n}: RTL and emulator waveforms differ "
                 f"({len(a.get(n, []))} vs {len(b.get(n, []))} changes)")
    if len(a["neurocore.out_valid"]) < 3:
        fail("--vcd: too few spikes for a waveform check")


def derived_profile(tmp, name, base, field, value, unit):
    """Write TMP/NAME.json: profile BASE with one field changed; its path."""
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump({"format": "cajal-profile/1", "name": name,
                   "description": "test", "base": base,
                   "sources": {"t": "test"},
                   "fields": {field: {"value": value, "unit": unit,
                                      "source": "t"}}}, f)
    return path


def expect_error(args, pattern):
    rc, out, err = run(*args)
    if rc != 1 or not re.search(pattern, err):
        fail(f"{args}: expected exit 1 and /{pattern}/, got {rc}", out, err)


with tempfile.TemporaryDirectory() as tmp:
    # A multi-core image for the small build: cores 1 and 2 are driven by
    # spikes of other cores, core 0 by the trigger source.
    small = os.path.join(tmp, "chain-small.cjimg")
    chain = os.path.join(src, "tests", "unit", "rtl", "chain-small.mlir")
    rc, out, err = run("compile", chain, "-o", small, "--profile", profile)
    if rc != 0:
        fail("compile for rtl-small failed", out, err)
    for core in ("0", "1", "2"):
        expect_ok(["check-rtl", small, "--core", core, "--steps", "300"],
                  1, 300)
    rc, out, err = run("inspect", small, "--json", "--profile", profile)
    cores = len(json.loads(out)["cores"]) if rc == 0 else 0
    if cores < 3:
        fail("inspect --json: expected at least 3 cores", out, err)
    expect_ok(["check-rtl", small, "--all-cores", "--steps", "300"], cores,
              300 * cores)
    # The full-size (loihi1) build: synfire's 512 compartments on one core.
    big = os.path.join(tmp, "synfire-loihi1.cjimg")
    rc, out, err = run("compile", model, "-o", big, "--profile", "loihi1")
    if rc != 0:
        fail("compile for loihi1 failed", out, err)
    expect_ok(["check-rtl", big, "--core", "0", "--steps", "250"], 1, 250)
    expect_ok(["check-rtl", "--random", "100", "--seed", "7"], 100, 10000)
    # An image that learns (pair STDP) on the loihi1 build, learning phase
    # included: its learned weights move and equal the emulator core's.
    song = os.path.join(tmp, "song.cjimg")
    rc, out, err = run("compile", os.path.join(src, "examples",
                                               "stdp_song2000.mlir"),
                       "-o", song)
    if rc != 0:
        fail("compile stdp_song2000 failed", out, err)
    expect_ok(["check-rtl", song, "--steps", "400"], 1, 400)
    rc, out, err = run("check-rtl", song, "--steps", "400")
    m = re.search(r"^learning: 400 epochs, (\d+) learned weights compared "
                  r"\((\d+) changed\)", out, re.M)
    if not m or int(m[1]) != 400000 or int(m[2]) == 0:
        fail("check-rtl on stdp_song2000: no learned weights compared or "
             "none changed", out, err)
    # --vcd: the two waveforms have the same port signals, change by change.
    vcd = os.path.join(tmp, "vcd")
    expect_ok(["check-rtl", small, "--core", "0", "--steps", "100", "--vcd",
               vcd], 1, 100)
    expect_same_waveforms(os.path.join(vcd, "core0-rtl.vcd"),
                          os.path.join(vcd, "core0-emulator.vcd"))
    # Programs beyond the LIF family run on the loihi2 build.
    # With programs the compiler made from equations too (Hodgkin-Huxley's
    # seven lookup tables included).
    for example in ("izhikevich", "adaptive-lif", "izhikevich-patterns",
                    "adaptive-lif-equations", "resonate-and-fire", "hh"):
        img = os.path.join(tmp, example + ".cjimg")
        rc, out, err = run("compile",
                           os.path.join(src, "examples", example + ".mlir"),
                           "-o", img, "--profile", "loihi2")
        if rc != 0:
            fail(f"compile {example} for loihi2 failed", out, err)
        rc, out, err = run("inspect", img, "--json")
        n = len(json.loads(out)["cores"]) if rc == 0 else 0
        if n < 1:
            fail(f"inspect --json {example}: no cores", out, err)
        expect_ok(["check-rtl", img, "--all-cores", "--steps", "200"], n,
                  200 * n)
    expect_ok(["check-rtl", "--random", "50", "--profile", "loihi2"], 50, 5000)
    # A programmable profile whose multiply timing no build has: refused,
    # naming the field and both values.
    slow = derived_profile(tmp, "slow-mul", "loihi2", "isa.multiplyCycles", 3,
                           "cycles")
    slowimg = os.path.join(tmp, "slow-mul.cjimg")
    rc, out, err = run("compile", os.path.join(src, "examples", "izhikevich.mlir"),
                       "-o", slowimg, "--profile", slow)
    if rc != 0:
        fail("compile izhikevich for the slow-mul profile failed", out, err)
    expect_error(["check-rtl", slowimg, "--profile", slow, "--all-cores"],
                 r"profile 'slow-mul'\); the RTL builds are sized for .*"
                 r"isa.multiplyCycles is 3 but the RTL was generated with 2")
    expect_error(["check-rtl", "--random", "2", "--vcd", vcd],
                 r"--vcd needs an image")
    expect_error(["check-rtl", "--random", "2", "--all-cores"],
                 r"--all-cores needs an image")

    expect_error(["check-rtl", small, "--core", "999"],
                 r"core 999 does not exist \(the image has \d+ cores\)")
    # A profile no build is generated for: loihi1 arithmetic, 512 compartments.
    half = derived_profile(tmp, "half", "loihi1", "core.compartments", 512,
                           "compartments")
    halfimg = os.path.join(tmp, "half.cjimg")
    rc, out, err = run("compile", chain, "-o", halfimg, "--profile", half)
    if rc != 0:
        fail("compile for the half profile failed", out, err)
    expect_error(["check-rtl", halfimg, "--profile", half],
                 r"core 0 has 120 compartments \(profile 'half'\); the RTL "
                 r"builds are sized for 64 \(profile 'rtl-small'\), 1024 "
                 r"\(profile 'loihi1'\), 8192 \(profile 'loihi2'\), 64 "
                 r"\(profile 'rtl-trees'\): "
                 r".*core.compartments is 512")
    expect_error(["check-rtl", small, "--profile", "loihi1"],
                 r"profile")  # an image for another profile
    corrupt = os.path.join(tmp, "corrupt.cjimg")
    with open(small, "rb") as f, open(corrupt, "wb") as g:
        g.write(f.read()[:40])
    expect_error(["check-rtl", corrupt], re.escape(corrupt))
    expect_error(["check-rtl", os.path.join(tmp, "missing.cjimg")],
                 r"missing\.cjimg")
    expect_error(["check-rtl"], r"give an image or --random N")
    expect_error(["check-rtl", small, "--random", "3"],
                 r"give an image or --random N")
print("check_rtl: ok")
