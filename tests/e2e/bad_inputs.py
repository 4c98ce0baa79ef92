#!/usr/bin/env python3
"""bad_inputs.py - every kind of bad input gets a clear error, exit 1, no output.

Each case runs `cajal` on something wrong and checks: exit code 1 (not a
crash: no signal, no abort), stderr names the thing and the value, and the
output file the command was asked to write does not exist afterwards.
"""
import os
import shutil
import subprocess
import sys
import tempfile

CAJAL, ROOT = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="cajal-bad-")
failures = []


def write(name, text, mode="w"):
    path = os.path.join(WORK, name)
    with open(path, mode) as f:
        f.write(text)
    return path


def check(label, argv, expect, outputs=()):
    for o in outputs:
        if os.path.exists(o):
            os.remove(o)
    done = subprocess.run([CAJAL] + argv, cwd=WORK, capture_output=True, text=True)
    problems = []
    if done.returncode != 1:
        problems.append(f"exit code {done.returncode}, expected 1")
    for text in expect:
        if text not in done.stderr:
            problems.append(f"stderr lacks {text!r}")
    for o in outputs:
        if os.path.exists(o):
            problems.append(f"left a file behind: {o}")
    if problems:
        failures.append(f"{label}: " + "; ".join(problems) + f"\n  stderr: {done.stderr.strip()}")
    else:
        print(f"ok: {label}: {done.stderr.strip().splitlines()[0] if done.stderr.strip() else ''}")


def net(body, dt="1.0e-3"):
    return f"snn.network @n attributes {{dt = {dt} : f64}} {{\n{body}\n}}\n"


LIF = ('%a = snn.population @a {{model = #snn.model<lif>, params = #snn.continuous<'
       'tau_mem = {tau}, v_th = {vth}>}} : !snn.spikes<{n}>')
GOOD = LIF.format(tau="2.0e-2", vth="1.0", n=10)
img = os.path.join(WORK, "out.cjimg")
rep = os.path.join(WORK, "fit.json")

# --- compile ---------------------------------------------------------------
check("missing file", ["compile", "nope.mlir", "-o", img], ["nope.mlir"], [img])
check("malformed MLIR", ["compile", write("bad.mlir", "snn.network @n {\n  %a = snn.bogus\n}\n"), "-o", img],
      ["bad.mlir:2"], [img])
check("tau <= 0", ["compile", write("tau.mlir", net(LIF.format(tau="-1.0e-3", vth="1.0", n=10))), "-o", img,
                   "--report", rep], ["tau_mem", "-1"], [img, rep])
check("threshold <= 0", ["compile", write("vth.mlir", net(LIF.format(tau="2.0e-2", vth="-1.0", n=10))),
                         "-o", img], ["v_th"], [img])
check("dt <= 0", ["compile", write("dt.mlir", net(GOOD, dt="0.0")), "-o", img], ["dt"], [img])
check("--dt <= 0", ["compile", write("ok.mlir", net(GOOD)), "-o", img, "--dt", "-1"], ["--dt"], [img])
delay = net(GOOD + "\n  snn.projection @p %a -> %a {connectivity = #snn.one_to_one<1.0>, delay = 100 : i64}"
            " : !snn.spikes<10> -> !snn.spikes<10>")
check("delay beyond the profile", ["compile", write("delay.mlir", delay), "-o", img], ["delay", "100", "62"], [img])
big = net(LIF.format(tau="2.0e-2", vth="1.0", n=200000))
check("network too big for the chip", ["compile", write("big.mlir", big), "-o", img, "--report", rep],
      ["cores", "128"], [img, rep])
check("unknown profile", ["compile", write("ok.mlir", net(GOOD)), "-o", img, "--profile", "nosuchchip"],
      ["nosuchchip"], [img])
check("bad profile file", ["compile", write("ok.mlir", net(GOOD)), "-o", img, "--profile",
                           write("bad-profile.json", '{"format": "cajal-profile/1", "name": "x", "description": "bad", "base": "loihi1", "sources": {"me": "a test"}, '
                                 '"fields": {"core.compartments": {"value": -5, "unit": "c", "source": "me"}}}')],
      ["core.compartments", "-5"], [img])

# Dendritic trees: a bad tree names the file and the population; a tree that
# loihi1's fixed-function datapath does not have (a join of three children,
# a dendrite's value scaled) names the profile and the limit; no image, no
# report.
DENDRITE = ('%{name} = snn.population @{name} {{model = #snn.model<lif>, params = #snn.continuous<'
            'tau_mem = 2.0e-2, v_th = 1.0>, parent = @{parent}}} : !snn.spikes<10>')
cycle = net(GOOD + "\n  " + DENDRITE.format(name="b", parent="c") + "\n  "
            + DENDRITE.format(name="c", parent="b"))
check("a cycle of dendrites", ["compile", write("cycle.mlir", cycle), "-o", img, "--report", rep],
      ["cycle.mlir", "cycle of parents: @b -> @c -> @b"], [img, rep])
orphan = net(GOOD + "\n  " + DENDRITE.format(name="b", parent="soma"))
check("a dendrite of no population", ["compile", write("orphan.mlir", orphan), "-o", img],
      ["orphan.mlir", "'parent' @soma is not a population"], [img])
wide = net(GOOD + "".join("\n  " + DENDRITE.format(name=n, parent="a") for n in "bcd"))
check("a join of three on loihi1", ["compile", write("wide.mlir", wide), "-o", img, "--report",
                                    rep, "--profile", "loihi1"],
      ["wide.mlir", "population \"a\"", "lif-soma-add3", "pops at most 2 (isa.maxPops)"],
      [img, rep])
coupled = net(GOOD + "\n  " + DENDRITE.format(name="b", parent="a").replace(
    "parent = @a", "parent = @a, coupling = 0.5"))
check("a scaled dendrite on loihi1", ["compile", write("coupled.mlir", coupled), "-o", img,
                                      "--report", rep, "--profile", "loihi1"],
      ["coupled.mlir", "dendrite \"b\" passes its voltage times 0.5", "(isa.multiplier)"],
      [img, rep])

# --- images ----------------------------------------------------------------
good = os.path.join(WORK, "good.cjimg")
subprocess.run([CAJAL, "compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", good], check=True)
data = open(good, "rb").read()
spikes = os.path.join(WORK, "spikes.csv")
check("truncated image", ["run", write("trunc.cjimg", data[: len(data) // 2], "wb"), "--steps", "10",
                          "--spikes-out", spikes], ["trunc.cjimg", "truncated"], [spikes])
check("wrong magic", ["run", write("magic.cjimg", b"NOTANIMG" + data[8:], "wb"), "--steps", "10"],
      ["magic.cjimg", "magic"])
flipped = bytearray(data)
flipped[len(flipped) // 2] ^= 0xFF
check("corrupt image (checksum)", ["run", write("flip.cjimg", bytes(flipped), "wb"), "--steps", "10"],
      ["flip.cjimg", "checksum"])
check("missing image", ["inspect", "absent.cjimg"], ["absent.cjimg"])
check("image on another profile", ["run", good, "--steps", "10", "--profile", "loihi1-board32"],
      ["loihi1-board32", "loihi1"])

check("model given to run", ["run", write("ok.mlir", net(GOOD)), "--steps", "5"], ["compile it first"])
check("zero threads", ["run", good, "--steps", "5", "--threads", "0",
                       "--spikes-out", os.path.join(WORK, "t.csv")],
      ["--threads 0: a run needs at least 1 thread"],
      [os.path.join(WORK, "t.csv")])
check("threads on SystemC", ["run", good, "--steps", "5", "--threads", "2",
                             "--engine", "systemc"],
      ["--threads needs --engine golden"])
check("float engine on an image", ["run", good, "--engine", "float", "--steps", "5"],
      ["good.cjimg", "unsupported input kind"])
check("NIR model without --dt", ["compile", os.path.join(ROOT, "tests", "e2e", "nir", "data",
                                                         "lif_norse.nir"), "-o", img],
      ["lif_norse.nir", "--dt"], [img])

# --- spike files -------------------------------------------------------------
ext = os.path.join(WORK, "ext.cjimg")
subprocess.run([CAJAL, "compile", write("ext.mlir", net(GOOD + "\n  %in = snn.input @in : !snn.spikes<10>\n"
                "  snn.projection @p %in -> %a {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<10> -> !snn.spikes<10>")),
                "-o", ext], check=True)
check("spike file names an unknown node", ["run", ext, "--steps", "10", "--spikes-out", spikes, "--input",
                                           write("unk.csv", "step,node,index\n0,nosuch,1\n")],
      ["unk.csv", "nosuch"], [spikes])
check("spike file index out of range", ["run", ext, "--steps", "10", "--input",
                                        write("idx.csv", "step,node,index\n0,in,10\n")], ["idx.csv", "10"])
check("spike file bad header", ["run", ext, "--steps", "10", "--input", write("hdr.csv", "t,n,i\n0,in,1\n")],
      ["hdr.csv"])

shutil.rmtree(WORK, ignore_errors=True)
if failures:
    print("\n".join(failures))
    sys.exit(1)
