#!/usr/bin/env python3
"""hostile_compiles.py - `cajal compile` on inputs made to break it.

Each case runs the real `cajal compile` and checks: exit code 1 (never a
signal, an abort or a hang), stderr names the file, the thing and the value,
no output file is left behind, and memory and time stay bounded by what the
input can justify. A few cases must compile (exit 0) with a warning. NIR
files are written here with h5py, including link cycles, datasets declaring
more data than the file holds, and real NIR files with corrupted bytes.
"""
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

CAJAL, ROOT = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="cajal-hostile-compile-")
NIR_DATA = os.path.join(ROOT, "tests", "e2e", "nir", "data")
IMG = os.path.join(WORK, "out.cjimg")
STR = h5py.string_dtype()
failures = []


def run(argv, timeout=120):
    """Run cajal; returns (exit code, stderr, seconds, peak MB of children)."""
    start = time.monotonic()
    try:
        done = subprocess.run([CAJAL] + argv, cwd=WORK, capture_output=True, text=True,
                              timeout=timeout)
        code, err = done.returncode, done.stderr
    except subprocess.TimeoutExpired:
        code, err = "timeout", ""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return code, err, time.monotonic() - start, peak


def check(label, argv, expect, code=1, seconds=60, megabytes=None, output=IMG):
    if os.path.exists(output):
        os.remove(output)
    got, err, took, peak = run(argv)
    problems = []
    if got != code:
        problems.append(f"exit code {got}, expected {code}")
    for text in expect:
        if text not in err:
            problems.append(f"stderr lacks {text!r}")
    if code != 0 and os.path.exists(output):
        problems.append(f"left a file behind: {output}")
    if took > seconds:
        problems.append(f"took {took:.1f} s (at most {seconds})")
    if megabytes is not None and peak > megabytes:
        problems.append(f"used {peak:.0f} MB (at most {megabytes})")
    first = err.strip().splitlines()[0][:200] if err.strip() else ""
    if problems:
        failures.append(f"{label}: " + "; ".join(problems) + f"\n  stderr: {err.strip()[:2000]}")
    else:
        print(f"ok: {label}: {first}")


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def net(body, dt="1.0e-3"):
    return f"snn.network @n attributes {{dt = {dt} : f64}} {{\n{body}\n}}\n"


LIF = ('%{v} = snn.population @{v} {{model = #snn.model<lif>, params = #snn.continuous<'
       'tau_mem = 2.0e-2, v_th = 1.0{extra}>}} : !snn.spikes<{n}>')
QUANT = ('#snn.quantized<decay_u = 4095, decay_v = 410, vth_mant = 16384, bias_mant = {bm}, '
         'bias_exp = {be}, refractory = 1, vmin_exp = 23, vmax_exp = 7>')


def nir(name, nodes, edges, extra=None):
    """Write a NIR file: nodes maps a name to (type, {param: array})."""
    path = os.path.join(WORK, name)
    with h5py.File(path, "w") as f:
        f["version"] = "0.2.0"
        root = f.create_group("node")
        root["type"] = "NIRGraph"
        group = root.create_group("nodes")
        for node, (kind, params) in nodes.items():
            g = group.create_group(node)
            g["type"] = kind
            for key, value in params.items():
                g[key] = np.asarray(value)
        root.create_dataset("edges", data=np.array(edges, dtype=object), dtype=STR)
        if extra:
            extra(f)
    return path


def lif(n=2):
    return ("LIF", dict(tau=np.full(n, 0.01), r=np.ones(n), v_leak=np.zeros(n),
                        v_threshold=np.ones(n)))


def compile_nir(path):
    return ["compile", path, "--dt", "1e-3", "-o", IMG]


# --- 1. populations of size 0 --------------------------------------------------
check("a 0x2 NIR Linear", compile_nir(nir("zero_linear.nir", {
    "input": ("Input", {"shape": [2]}), "fc": ("Linear", {"weight": np.zeros((0, 2))}),
    "lif": lif(0)}, [["input", "fc"], ["fc", "lif"]])),
    ["zero_linear.nir", "node 'fc'", "'weight' has shape [0, 2]"])
check("a Conv2d with 0 output channels", compile_nir(nir("zero_conv.nir", {
    "input": ("Input", {"shape": [1, 4, 4]}),
    "conv": ("Conv2d", {"weight": np.zeros((0, 1, 3, 3))}),
    "lif": ("LIF", dict(tau=0.01, r=1.0, v_leak=0.0, v_threshold=1.0))},
    [["input", "conv"], ["conv", "lif"]])),
    ["zero_conv.nir", "node 'conv'", "[0, 1, 3, 3]"])
check("a size product that wraps to 0", ["compile", write("wrap.mlir", net(
    LIF.format(v="a", extra="", n="4294967296x4294967296"))), "-o", IMG],
    ["wrap.mlir:2", "more than 4294967295 neurons"])

# --- 2. HDF5 link cycles and corrupted files ------------------------------------
for kind in ("hard", "soft"):
    def cycle(f, kind=kind):
        sub = f["node/nodes"].create_group("sub")
        sub["type"] = "NIRGraph"
        sub.create_dataset("edges", data=np.zeros((0,), dtype=object), dtype=STR)
        sub["nodes"] = f["node/nodes"] if kind == "hard" else h5py.SoftLink("/node/nodes")
    path = nir(f"{kind}_cycle.nir", {"input": ("Input", {"shape": [2]}), "lif": lif()},
               [["input", "lif"]], cycle)
    check(f"a {kind} link cycle", compile_nir(path),
          [f"{kind}_cycle.nir", "node 'sub'", "reached by a second link"], seconds=20,
          megabytes=500)


def external(f):
    f["node/nodes/lif/extra"] = h5py.ExternalLink("/etc/hostname", "/x")


check("a link to another file", compile_nir(nir("external.nir", {
    "input": ("Input", {"shape": [2]}), "lif": lif()}, [["input", "lif"]], external)),
    ["external.nir", "external or user-defined link"])

# Real NIR files from other frameworks, bytes overwritten at random offsets:
# a clean error or success, never a crash.
rng = random.Random(15)
crashes = []
for name in ("lif_norse.nir", "braille_noDelay_bias_zero_subgraph.nir", "cnn_sinabs.nir"):
    data = open(os.path.join(NIR_DATA, name), "rb").read()
    for k in range(40):
        damaged = bytearray(data)
        for _ in range(rng.choice([1, 1, 2, 8])):
            offset = rng.randrange(len(damaged))
            damaged[offset] = rng.choice([0, 0xFF, damaged[offset] ^ 0xFF, rng.randrange(256)])
        path = os.path.join(WORK, f"damaged-{k}-{name}")
        open(path, "wb").write(bytes(damaged))
        if os.path.exists(IMG):
            os.remove(IMG)
        code, err, took, _ = run(compile_nir(path), timeout=60)
        if code not in (0, 1) or (code == 1 and os.path.exists(IMG)):
            crashes.append(f"{path}: exit {code}: {err.strip()[-300:]}")
        else:
            os.remove(path)
if crashes:
    failures.append("damaged NIR files:\n  " + "\n  ".join(crashes))
else:
    print("ok: 120 damaged NIR files: each a clean error or a compiled image")

# --- 3. nesting ---------------------------------------------------------------------
deep = write("deep.mlir", "// 5,000 nested modules\n" + "module {" * 5000 + "}" * 5000 + "\n")
check("5,000 nested modules", ["compile", deep, "-o", IMG],
      ["deep.mlir:2:", "nesting deeper than 256 levels"])
arrays = write("arrays.mlir", net("", dt="1.0e-3").replace(
    "attributes {", "attributes {deep = " + "[" * 10000 + "]" * 10000 + ", "))
check("10,000 nested arrays", ["compile", arrays, "-o", IMG], ["arrays.mlir:1:", "nesting deeper"])

# --- 4. --verbose ------------------------------------------------------------------
check("--verbose", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", IMG,
                    "--verbose"], ["cajal: ran snn-partition", "cajal: wrote"], code=0)

# --- 5. blow-ups ---------------------------------------------------------------------


def huge_weight(f):
    del f["node/nodes/fc/weight"]
    f["node/nodes/fc"].create_dataset("weight", shape=(40000, 40000), dtype="f8",
                                      chunks=(1000, 1000))


check("a 40k x 40k weight against a 2-wide input", compile_nir(nir("huge_weight.nir", {
    "input": ("Input", {"shape": [2]}), "fc": ("Linear", {"weight": np.ones((2, 2))}),
    "lif": lif()}, [["input", "fc"], ["fc", "lif"]], huge_weight)),
    ["huge_weight.nir", "node 'fc'"], seconds=20, megabytes=500)
check("a 40k x 40k weight the file does not hold", compile_nir(nir("unwritten.nir", {
    "input": ("Input", {"shape": [40000]}), "fc": ("Linear", {"weight": np.ones((2, 2))}),
    "lif": ("LIF", dict(tau=0.01, r=1.0, v_leak=0.0, v_threshold=1.0))},
    [["input", "fc"], ["fc", "lif"]], huge_weight)),
    ["unwritten.nir", "node 'fc'", "declares 1600000000 elements but the file stores only 0 "
     "bytes"], seconds=20, megabytes=500)
check("a billion neurons", ["compile", write("billion.mlir", net(
    LIF.format(v="huge", extra="", n=1000000000))), "-o", IMG],
    ["billion.mlir:2", 'population "huge" has 1000000000 neurons', "131072 compartments"],
    seconds=10, megabytes=500)
check("a 2^24-neuron NIR input", compile_nir(nir("wide.nir", {
    "input": ("Input", {"shape": [1 << 24]}),
    "lif": ("LIF", dict(tau=0.01, r=1.0, v_leak=0.0, v_threshold=1.0))},
    [["input", "lif"]])),
    ["wide.nir", 'population "lif" has 16777216 neurons', "131072 compartments"],
    seconds=20, megabytes=1500)

# --- 6. silent acceptance -------------------------------------------------------------
for field, value in (("bias", "0x7FF8000000000000 : f64"), ("v_leak", "0x7FF0000000000000 : f64")):
    check(f"{field} = {value}", ["compile", write(f"{field}.mlir", net(
        LIF.format(v="a", extra=f", {field} = {value}", n=4))), "-o", IMG],
        [f"{field}.mlir:2", f"parameter '{field}' must be finite"])
check("NaN threshold", ["compile", write("vth.mlir", net(LIF.format(
    v="a", extra="", n=4).replace("v_th = 1.0", "v_th = 0x7FF8000000000000 : f64"))), "-o", IMG],
    ["vth.mlir:2", "parameter 'v_th' must be finite, got nan"])
check("infinite tau", ["compile", write("tau.mlir", net(LIF.format(
    v="a", extra="", n=4).replace("tau_mem = 2.0e-2", "tau_mem = 0x7FF0000000000000 : f64"))),
    "-o", IMG], ["tau.mlir:2", "parameter 'tau_mem' must be finite"])
check("a delay of 2^32 + 1", ["compile", write("delay.mlir", net(
    LIF.format(v="a", extra="", n=4) + "\n  snn.projection @p %a -> %a {connectivity = "
    "#snn.one_to_one<1.0>, delay = 4294967297 : i64} : !snn.spikes<4> -> !snn.spikes<4>")),
    "-o", IMG], ["delay.mlir:3", "'delay' 4294967297 does not fit"])
check("a file-source spike at step 2^32", ["compile", write("step.mlir", net(
    LIF.format(v="a", extra="", n=4) + "\n  %s = snn.file_source @s {events = dense<"
    "[[4294967296, 1]]> : tensor<1x2xi64>} : !snn.spikes<4>\n  snn.projection @p %s -> %a "
    "{connectivity = #snn.one_to_one<1.0>} : !snn.spikes<4> -> !snn.spikes<4>")), "-o", IMG],
    ["step.mlir:3", "4294967296 does not fit"])
check("a period of 2^63 - 1", ["compile", write("period.mlir", net(
    LIF.format(v="a", extra="", n=4) + "\n  %c = snn.periodic_source @c {period = "
    "9223372036854775807 : i64} : !snn.spikes<4>\n  snn.projection @p %c -> %a "
    "{connectivity = #snn.one_to_one<1.0>} : !snn.spikes<4> -> !snn.spikes<4>")), "-o", IMG],
    ["period.mlir:3", "'period' 9223372036854775807 does not fit"])
check("a bias exponent of 8", ["compile", write("biasexp.mlir", net(
    "%a = snn.population @a {model = #snn.model<lif>, params = " + QUANT.format(bm=1, be=8) +
    "} : !snn.spikes<4>")), "-o", IMG],
    ["biasexp.mlir:2", "biasExponent 8 out of range [0, 7]"])
check("an empty population name", ["compile", write("noname.mlir", net(
    LIF.format(v="a", extra="", n=4).replace("@a", '@""'))), "-o", IMG],
    ["noname.mlir:2", "needs a name"])
check("every weight quantises to 0", ["compile", write("zero.mlir", net(
    "%in = snn.input @in : !snn.spikes<4>\n" + LIF.format(v="a", extra="", n=4) +
    "\n  snn.projection @tiny %in -> %a {connectivity = #snn.one_to_one<1.0e-9>} : "
    "!snn.spikes<4> -> !snn.spikes<4>")), "-o", IMG],
    ["zero.mlir", "every weight of network @n quantises to 0", "'tiny'", "weight scale"])
check("an LI population feeding weights", ["compile", write("li.mlir", net(
    "%in = snn.input @in : !snn.spikes<4>\n"
    "  %r = snn.population @readout {model = #snn.model<li>, params = #snn.continuous<"
    "tau_mem = 2.0e-2>} : !snn.spikes<4>\n" + LIF.format(v="a", extra="", n=4) +
    "\n  snn.projection @in_r %in -> %r {connectivity = #snn.one_to_one<1.0>} : "
    "!snn.spikes<4> -> !snn.spikes<4>"
    "\n  snn.projection @r_a %r -> %a {connectivity = #snn.one_to_one<1.0>} : "
    "!snn.spikes<4> -> !snn.spikes<4>")), "-o", IMG],
    ["li.mlir:6", "warning: projection 'r_a' starts at 'readout'", "never spikes",
     "li.mlir:3", "'readout' is declared here"], code=0)

# Neurocore programs beyond the LIF family: refused on a fixed-function
# profile (exit 1, no image), and an Izhikevich network at another dt.
IZ = ('%iz = snn.population @iz {model = #snn.model<izhikevich>, '
      'params = #snn.izhikevich<bias = 10.0>} : !snn.spikes<4>')
check("izhikevich on loihi1", ["compile", write("iz.mlir", net(IZ)), "-o", IMG],
      ['population "iz": model izhikevich needs a programmable neurocore; '
       'profile "loihi1" runs only the LIF family (isa.programmable)'])
check("adaptive_lif on loihi1", ["compile", write("alif.mlir", net(
    '%alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = '
    '#snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, tau_a = 0.2, beta = 1.8>} : '
    '!snn.spikes<4>')), "-o", IMG, "--profile", "loihi1"],
      ['population "alif": model adaptive_lif needs a programmable neurocore; '
       'profile "loihi1" runs only the LIF family (isa.programmable)'])
check("izhikevich at dt = 0.1 ms", ["compile", write("iz_dt.mlir", net(IZ, dt="1.0e-4")),
                                     "-o", IMG, "--profile", "loihi2"],
      ["model 'izhikevich' steps 1 ms at a time", "has dt = 1.000000e-04 s"])
check("izhikevich at --dt 0.1 ms", ["compile", write("iz_flag.mlir", net(IZ)), "--dt",
                                     "1e-4", "-o", IMG, "--profile", "loihi2"],
      ["model 'izhikevich' steps 1 ms at a time", "has dt = 1.000000e-04 s"])
check("izhikevich with per-neuron c", ["compile", write("iz_c.mlir", net(
    '%iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<'
    'c = array<f64: -65.0, -60.0>>} : !snn.spikes<2>')), "-o", IMG, "--profile", "loihi2"],
      ['population "iz": parameter \'c\' differs between neurons'])
check("izhikevich with a bias beyond its word", ["compile", write("iz_big.mlir", net(
    '%iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<'
    'bias = 1.0e6>} : !snn.spikes<2>')), "-o", IMG, "--profile", "loihi2"],
      ['population "iz": parameter bias = 1e+06 becomes 4.096e+09 integer units, '
       "outside the program's 32-bit word"])

shutil.rmtree(WORK, ignore_errors=True)
if failures:
    print("\n".join(failures))
    sys.exit(1)
