"""emitted_mlir.py - what the crosschecks read back from a compile: running
cajal, and the populations' voltage scales from `cajal compile --emit-mlir`
(the image and the fit report do not carry them)."""
import re
import struct
import subprocess
import sys


def must(argv, what, cwd=None):
    """Run argv; on a non-zero exit, fail the test naming `what`."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        sys.exit(f"FAIL: {what}: exit {done.returncode}\n"
                 f"{done.stdout}{done.stderr}")
    return done.stdout


def mlir_f64(text):
    """An f64 as MLIR prints it: decimal, or 0x... (its IEEE bits) when the
    decimal form would not read back exactly."""
    if text.lower().startswith("0x"):
        return struct.unpack(">d", bytes.fromhex(text[2:].rjust(16, "0")))[0]
    return float(text)


def voltage_scales(emitted):
    """voltage_scale of every population of the emitted MLIR, by name. A
    population is one line, whose attributes may nest (`initial = {...}`)."""
    scales = {}
    for m in re.finditer(r"snn\.population @(\w+) .*?voltage_scale = "
                         r"([0-9A-Fa-fx.eE+-]+) : f64", emitted):
        scales[m[1]] = mlir_f64(m[2])
    return scales
