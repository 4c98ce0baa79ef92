#!/usr/bin/env python3
"""hostile_runs.py - hostile images, profiles and output paths through `cajal`.

Each case runs the real `cajal` binary on something an attacker or a careless
user would give (an image whose counts lie, a profile name that is a path, a
profile that cannot clock the model, two outputs on one file, an output that
is a FIFO, two Ctrl-C in a row) and checks: exit code 1 (no crash, no signal),
stderr names the thing and the value, no output file is left behind, and no
memory is taken beyond what the files can hold (each run is limited to 3 GB
of address space and 60 s).
"""
import json
import os
import resource
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time

import zstandard

CAJAL, ROOT = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="cajal-hostile-")
LIMIT_BYTES = 3 << 30
failures = []


# AddressSanitizer (scripts/sanitize sets ASAN_OPTIONS) reserves terabytes of
# shadow address space, so an address-space limit stops it before main();
# there, ASan's own limits bound the run instead: any allocation above the
# limit fails (and Cajal must not attempt one), as RLIMIT_AS makes it fail.
SANITIZED = "ASAN_OPTIONS" in os.environ
if SANITIZED:
    os.environ["ASAN_OPTIONS"] += (f":max_allocation_size_mb={LIMIT_BYTES >> 20}"
                                   f":hard_rss_limit_mb={LIMIT_BYTES >> 20}")


def limited():
    if not SANITIZED:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def write(name, data, mode="w"):
    path = os.path.join(WORK, name)
    with open(path, mode) as f:
        f.write(data)
    return path


def cajal(argv):
    try:
        return subprocess.run([CAJAL] + argv, cwd=WORK, capture_output=True, text=True,
                              errors="replace", timeout=60, preexec_fn=limited,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, "timeout", "", "timed out after 60 s")


def report(label, problems, done):
    if problems:
        failures.append(f"{label}: " + "; ".join(problems) + f"\n  stderr: {done.stderr.strip()[:600]}")
    else:
        first = done.stderr.strip().splitlines()[0] if done.stderr.strip() else ""
        print(f"ok: {label}: {first[:200]}")


def check(label, argv, expect, outputs=(), absent=()):
    """Exit 1, every `expect` text in stderr, no `outputs` file afterwards,
    no `absent` text in stderr."""
    for o in outputs:
        if os.path.lexists(o):
            os.remove(o)
    done = cajal(argv)
    problems = []
    if done.returncode != 1:
        problems.append(f"exit code {done.returncode}, expected 1")
    problems += [f"stderr lacks {t!r}" for t in expect if t not in done.stderr]
    problems += [f"stderr shows {t!r}" for t in absent if t in done.stderr]
    problems += [f"left a file behind: {o}" for o in outputs if os.path.lexists(o)]
    problems += leftover_temporaries()
    report(label, problems, done)


def check_ok(label, argv, outputs=()):
    done = cajal(argv)
    problems = [] if done.returncode == 0 else [f"exit code {done.returncode}, expected 0"]
    problems += [f"{o} not written" for o in outputs if not os.path.exists(o)]
    report(label, problems, done)
    return done


def leftover_temporaries():
    return [f"temporary left behind: {f}" for f in os.listdir(WORK) if ".tmp-" in f]


def profile(name, fields, base="loihi1"):
    doc = {"format": "cajal-profile/1", "name": name, "description": "hostile_runs.py",
           "base": base, "sources": {"test": "hostile_runs.py"},
           "fields": {k: {"value": v, "unit": "u", "source": "test"} for k, v in fields.items()}}
    return write(name + ".json", json.dumps(doc))


# --- chip-image surgery: sections re-serialised with a fresh checksum --------
def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def sections(data):
    pos, out = 12, []
    while pos < len(data):
        tag, length = data[pos:pos + 4], struct.unpack_from("<Q", data, pos + 4)[0]
        out.append([tag, bytearray(data[pos + 12:pos + 12 + length])])
        pos += 12 + length
    return out


def assemble(data, secs):
    body = bytearray(data[:12])
    for tag, b in secs:
        if tag == b"END ":
            break
        body += tag + struct.pack("<Q", len(b)) + b
    return bytes(body + b"END " + struct.pack("<QQ", 8, fnv1a(body)))


def with_profile_name(data, name):
    secs = sections(data)
    head = secs[0][1]
    old = struct.unpack_from("<I", head, 8)[0]
    secs[0][1] = head[:8] + struct.pack("<I", len(name)) + name + head[12 + old:]
    return assemble(data, secs)


def with_first_synapse_count(data, count):
    """Core 0's first input axon claims `count` synapses (docs/chip-image.md:
    a stored core's columns, input axons as byte planes)."""
    secs = sections(data)
    body = secs[1][1]
    # Encoding 1: the columns are a zstd frame after their u64 length.
    compressed = body[0] == 1
    core = bytearray(zstandard.ZstdDecompressor().decompress(bytes(body[9:]))
                     if compressed else body[1:])
    compartments = struct.unpack_from("<I", core, 12)[0]
    axons_at = 16 + 15 * compartments
    axons = struct.unpack_from("<I", core, axons_at)[0]
    assert axons > 0, "core 0 has no input axon"
    counts = axons_at + 4 + 4 * axons  # after the firstWord planes
    for k in range(4):  # axon 0's synapseCount, one byte per plane
        core[counts + k * axons] = (count >> (8 * k)) & 0xFF
    secs[1][1] = (b"\x01" + struct.pack("<Q", len(core)) +
                  zstandard.ZstdCompressor().compress(bytes(core))
                  if compressed else b"\x00" + core)
    return assemble(data, secs)


good = os.path.join(WORK, "good.cjimg")
subprocess.run([CAJAL, "compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", good], check=True)
data = open(good, "rb").read()
spikes = os.path.join(WORK, "spikes.csv")
power = os.path.join(WORK, "power.json")

# --- images whose counts or names lie ----------------------------------------
huge = write("huge-group.cjimg", with_first_synapse_count(data, 0xFFFFFFFF), "wb")
check("input axon claiming 2^32 - 1 synapses (inspect)", ["inspect", huge],
      ["huge-group.cjimg", "input axon 0", "synapseCount 4294967295"])
check("input axon claiming 2^32 - 1 synapses (run)", ["run", huge, "--steps", "2", "--spikes-out", spikes],
      ["huge-group.cjimg", "synapseCount 4294967295"], [spikes])
# A name stored in an image is never opened as a path: /dev/stdin would hang,
# /etc/shadow would leak its first byte into the error.
for name in (b"/dev/stdin", b"/etc/shadow", b"../../../../etc/passwd", b"loihi1/../loihi1"):
    bad = write("named.cjimg", with_profile_name(data, name), "wb")
    check(f"profile name {name.decode()!r} in an image", ["inspect", bad],
          ["named.cjimg", name.decode(), "not a profile name", "--profile FILE"], absent=["root:", "JSON"])
    check(f"profile name {name.decode()!r} in an image (check-rtl)", ["check-rtl", bad, "--steps", "1"],
          ["not a profile name"], absent=["root:", "JSON"])
bad = write("unknown.cjimg", with_profile_name(data, b"mychip"), "wb")
check("image of a profile that is not installed", ["run", bad, "--steps", "2"],
      ["unknown.cjimg", "\"mychip\" is not installed", "--profile FILE"])
# The profile is resolved from the header, before the body is read: a body
# cut short is not what the user hears about.
cut = with_profile_name(data, b"mychip")
check("profile resolved before the image is loaded",
      ["run", write("cut.cjimg", cut[: len(cut) // 2], "wb"), "--steps", "2"],
      ["\"mychip\" is not installed", "--profile FILE"], absent=["truncated"])

# --- a profile given as a file at compile time ---------------------------------
mine = profile("mychip", {"cost.staticPowerMW": 50.0})
own = os.path.join(WORK, "own.cjimg")
check_ok("compile with a profile file", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"),
                                         "-o", own, "--profile", mine], [own])
check("run without the profile file", ["run", own, "--steps", "2"],
      ["own.cjimg", "\"mychip\"", "--profile FILE"])
check_ok("run with the profile file", ["run", own, "--steps", "2", "--profile", mine, "--quiet"])

# --- profiles the SystemC model cannot run -----------------------------------
wide = profile("wide-tiles", {"mesh.coresPerTile": 64, "core.compartments": 16})
wide_img = os.path.join(WORK, "wide.cjimg")
check_ok("compile for 64 cores per tile", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"),
                                           "-o", wide_img, "--profile", wide], [wide_img])
check("SystemC engine fails to start, with --power", ["run", wide_img, "--steps", "2", "--engine", "systemc",
                                                      "--profile", wide, "--power", power],
      ["wide-tiles", "mesh.coresPerTile", "64"], [power])
slow = profile("slow-clock", {"cost.clockHz": 1e-300})
slow_img = os.path.join(WORK, "slow.cjimg")
check_ok("compile for a 1e-300 Hz clock", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"),
                                           "-o", slow_img, "--profile", slow], [slow_img])
check("clock period beyond the SystemC model", ["run", slow_img, "--steps", "2", "--engine", "systemc",
                                                "--profile", slow, "--power", power],
      ["slow-clock", "cost.clockHz", "1e-300"], [power])
patient = profile("patient", {"cost.stepTimeoutNs": 1e300})
patient_img = os.path.join(WORK, "patient.cjimg")
check_ok("compile with a 1e300 ns watchdog", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"),
                                              "-o", patient_img, "--profile", patient], [patient_img])
check_ok("a 1e300 ns watchdog never fires", ["run", patient_img, "--steps", "5", "--engine", "systemc",
                                             "--profile", patient, "--quiet"])

# --- profiles that would take all memory ---------------------------------------
for side in (65535, 65536):
    big = profile(f"mesh{side}", {"mesh.tilesX": side, "mesh.tilesY": side})
    check(f"{side} x {side} mesh", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o",
                                    os.path.join(WORK, "mesh.cjimg"), "--profile", big],
          [f"mesh{side}.json", "mesh.tilesX", str(side), "core slots"], [os.path.join(WORK, "mesh.cjimg")])
itself = profile("itself", {"cost.staticPowerMW": 1.0}, base="./itself")
check("profile whose base is itself", ["compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o",
                                       os.path.join(WORK, "self.cjimg"), "--profile", itself],
      ["itself.json", "cycle"], [os.path.join(WORK, "self.cjimg")])

# --- static power of the chips a network occupies ------------------------------
two_img = os.path.join(WORK, "two.cjimg")
for gate, chips in ((False, 2), (True, 1)):
    gated = profile("two-chips", {"mesh.chipsX": 2, "cost.powerGateUnusedChips": gate})
    check_ok(f"compile for two chips, powerGateUnusedChips {gate}",
             ["compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", two_img, "--profile", gated],
             [two_img])
    check_ok(f"power report, powerGateUnusedChips {gate}",
             ["run", two_img, "--steps", "5", "--engine", "systemc", "--profile", gated, "--power", power,
              "--quiet"], [power])
    if os.path.exists(power):
        doc = json.load(open(power))
        if (doc.get("chips"), doc.get("chipsUsed")) != (2, 1) or \
                abs(doc["powerMW"]["static"] - 104.0 * chips) > 1e-9:
            failures.append(f"power report with gating {gate}: chips {doc.get('chips')}, used "
                            f"{doc.get('chipsUsed')}, static {doc['powerMW']['static']} mW")
        os.remove(power)

# --- output safety -------------------------------------------------------------
ext = os.path.join(WORK, "ext.cjimg")
subprocess.run([CAJAL, "compile", write("ext.mlir", """snn.network @n attributes {dt = 1.0e-3 : f64} {
  %a = snn.population @a {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<10>
  %in = snn.input @in : !snn.spikes<10>
  snn.projection @p %in -> %a {connectivity = #snn.one_to_one<1.0>} : !snn.spikes<10> -> !snn.spikes<10>
}
"""), "-o", ext], check=True)
vcd, trace = os.path.join(WORK, "run.vcd"), os.path.join(WORK, "trace.json")
check("SystemC run with a bad input file writes no output",
      ["run", ext, "--steps", "5", "--engine", "systemc", "--input", write("unk.csv", "step,node,index\n0,nosuch,1\n"),
       "--spikes-out", spikes, "--power", power, "--vcd", vcd, "--trace", trace],
      ["unk.csv", "nosuch"], [spikes, power, vcd, trace])
check("failed --report leaves no image", ["compile", os.path.join(WORK, "ext.mlir"), "-o",
                                          os.path.join(WORK, "r.cjimg"), "--report",
                                          os.path.join(WORK, "no-such-dir", "fit.json")],
      ["--report", "no-such-dir"], [os.path.join(WORK, "r.cjimg")])
src = os.path.join(WORK, "ext.mlir")
before = open(src, "rb").read()
check("output equal to the input", ["compile", src, "-o", src], ["-o", "ext.mlir", "input"])
if open(src, "rb").read() != before:
    failures.append("compile -o ext.mlir changed its input")
    open(src, "wb").write(before)
check("output equal to the input through another spelling",
      ["compile", src, "-o", "./ext.mlir"], ["input"])
check("one file for two outputs", ["run", ext, "--steps", "5", "--engine", "systemc", "--power", power,
                                   "--trace", os.path.join(WORK, ".", "power.json")],
      ["--power", "--trace", "same file"], [power])
check("output equal to the image", ["run", ext, "--steps", "5", "--spikes-out", ext], ["--spikes-out", "image"])
if not os.path.exists(ext):
    failures.append("run --spikes-out IMAGE removed the image")
fifo = os.path.join(WORK, "fifo")
os.mkfifo(fifo)
check("output that is a FIFO", ["run", ext, "--steps", "5", "--spikes-out", fifo], ["fifo", "FIFO", "regular"])
if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
    failures.append("the FIFO was replaced")
check("output that is a directory", ["compile", src, "-o", WORK], ["is a directory"])
# A symbolic link is written through: the link stays, the file it names is
# replaced.
target = write("target.csv", "old\n")
link = os.path.join(WORK, "link.csv")
os.symlink("target.csv", link)
check_ok("output through a symbolic link", ["run", ext, "--steps", "5", "--spikes-out", link, "--quiet"])
if not os.path.islink(link) or not open(target).read().startswith("step,node,index"):
    failures.append("the symbolic link was not written through")
os.symlink("missing.csv", os.path.join(WORK, "dangling.csv"))
check("output through a dangling link", ["run", ext, "--steps", "5", "--spikes-out",
                                         os.path.join(WORK, "dangling.csv")], ["dangling.csv", "symbolic link"])

# --- two Ctrl-C in a row: no temporary left ------------------------------------
run = subprocess.Popen([CAJAL, "run", good, "--steps", "50000000", "--engine", "systemc", "--spikes-out",
                        spikes, "--power", power, "--vcd", vcd, "--trace", trace, "--quiet"],
                       cwd=WORK, stderr=subprocess.PIPE, text=True)
deadline = time.time() + 60
while not any(f.startswith("spikes.csv.tmp-") for f in os.listdir(WORK)):
    if time.time() > deadline or run.poll() is not None:
        run.kill()
        failures.append("two Ctrl-C: cajal run did not start writing")
        break
    time.sleep(0.05)
else:
    time.sleep(0.5)
    run.send_signal(signal.SIGINT)
    time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    try:
        run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        failures.append("two Ctrl-C: cajal run did not stop")
    left = leftover_temporaries()
    if left:
        failures.append("two Ctrl-C: " + "; ".join(left))
    else:
        print(f"ok: two Ctrl-C in a row: exit {run.returncode}, no temporary left")

shutil.rmtree(WORK, ignore_errors=True)
if failures:
    print("\n".join(failures))
    sys.exit(1)
