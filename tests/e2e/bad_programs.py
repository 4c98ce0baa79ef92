#!/usr/bin/env python3
"""bad_programs.py - images with bad programs or parameter words are refused.

bad-program-images writes images that pass the structural checks but carry a
bad instruction, a parameter word outside its width, or a program the
profile cannot run. `cajal run` and `cajal inspect` must exit 1 with a
message naming the file, the population, the instruction or word and the
value, and `run` must leave no spike file behind. A version-2 image is
refused with the advice to recompile it.
"""
import os
import shutil
import subprocess
import sys
import tempfile

CAJAL, MAKE_IMAGES = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
WORK = tempfile.mkdtemp(prefix="cajal-bad-programs-")
failures = []


def check(label, argv, expect, outputs=(), code=1, absent=()):
    for o in outputs:
        if os.path.exists(o):
            os.remove(o)
    done = subprocess.run([CAJAL] + argv, cwd=WORK, capture_output=True, text=True)
    problems = []
    if done.returncode != code:
        problems.append(f"exit code {done.returncode}, expected {code}")
    stream = done.stderr if code else done.stdout
    for text in expect:
        if text not in stream:
            problems.append(f"output lacks {text!r}")
    for text in absent:
        if text in stream:
            problems.append(f"output has {text!r}")
    for o in outputs:
        if os.path.exists(o):
            problems.append(f"left a file behind: {o}")
    if problems:
        failures.append(f"{label}: " + "; ".join(problems) +
                        f"\n  stderr: {done.stderr.strip()}")
    else:
        print(f"ok: {label}")


subprocess.run([MAKE_IMAGES, WORK], check=True)
spikes = os.path.join(WORK, "out.csv")


def image(name):
    return os.path.join(WORK, name + ".cjimg")


instruction = 'population "exc": program "izhikevich": instruction 3: unknown opcode 20'
check("bad instruction (run)", ["run", image("bad-instruction"), "--steps", "5", "--spikes-out", spikes],
      ["bad-instruction.cjimg", instruction], [spikes])
check("bad instruction (inspect)", ["inspect", image("bad-instruction")],
      ["bad-instruction.cjimg", instruction])
check("parameter word outside its width (run)",
      ["run", image("bad-word"), "--steps", "5", "--spikes-out", spikes],
      ["bad-word.cjimg", 'population "exc": core 0 compartment 0: parameter word p2 (c) = 1099511627776',
       "32-bit signed range"], [spikes])
check("program loihi1 cannot run",
      ["run", image("loihi1-izhikevich"), "--steps", "5", "--spikes-out", spikes],
      ['loihi1-izhikevich.cjimg', 'population "exc": program "izhikevich": has 28 instructions; '
       'the profile allows 17 (isa.maxInstructions)'], [spikes])

# The good image loads; --programs names the population that runs Izhikevich
# and no other program (not the LIF program its records would name).
check("good image (inspect --programs)", ["inspect", image("good"), "--programs"],
      ["neurocore programs on profile \"loihi2\": 1\n", "program izhikevich:", "used by exc"], code=0,
      absent=["program lif", "no population"])

# Version 2: recompile.
data = bytearray(open(image("good"), "rb").read())
data[8:12] = (2).to_bytes(4, "little")
old = image("version2")
with open(old, "wb") as f:
    f.write(bytes(data))
check("version-2 image", ["run", old, "--steps", "5", "--spikes-out", spikes],
      ["version2.cjimg: image format version 2 is no longer read", "`cajal compile`"], [spikes])

shutil.rmtree(WORK)
if failures:
    print("\n".join(failures))
    sys.exit(1)
