#!/usr/bin/python3
"""nest_psp.py - a PD14 neuron's PSP on the chip against NEST's iaf_psc_exp.

Usage: nest_psp.py --cajal CAJAL [--work DIR]

examples/microcircuit.py maps NEST's step onto the chip's: a NEST weight J
becomes the cuba_lif input `chip_weight(J)` and a NEST delay of d steps the
chip delay `chip_delay(d)`, so that below threshold v moves as NEST's at every
step's end. This test takes one neuron with the microcircuit's parameters, one
input spike through an excitatory and an inhibitory projection (written with
the generator's own functions), compiles it for loihi1, runs it on the golden
model with `--probes-out`, and compares v after every step with a float64
model of NEST's iaf_psc_exp update (nest-simulator models/iaf_psc_exp.cpp,
written here from its update order, not from Cajal's code):

    V <- P22 V + P21 I        (the exact propagators over the step h)
    I <- P11 I
    I <- I + the weights of the spikes in this step's input slot

where a spike sent in step t with delay d lands in slot t + d (NEST's
get_rel_delivery_steps: stamp t + 1, plus d, minus 1), so it first moves V in
step t + d + 1. Checked:
  (a) v leaves rest in the same step on both sides (the delay mapping);
  (b) every step, |chip v - NEST v| <= 1 % of the PSP's peak plus two units
      of the chip's v: the 8-bit weight mantissa rounds J to within 0.4 %,
      the 12-bit decays round each step's factor to within 2^-13 (the PSP
      lasts ~100 steps), each DECAY rounds v by less than one unit;
  (c) the peak's step and height (the charge mapping: the current's jump J
      taken as it is would give a peak 10 % higher, far outside (b)).
"""
import argparse
import csv
import math
import os
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples"))
import microcircuit as mc  # noqa: E402
from emitted_mlir import must, voltage_scales  # noqa: E402

STEPS = 400
SPIKE_STEP = 10
NEST_DELAY = 15        # steps: the microcircuit's mean excitatory delay
# pA: 20 excitatory PSCs of the microcircuit (a 3 mV PSP, below threshold,
# so the chip's v has some 10^4 units of headroom to show rounding against),
# and as many inhibitory ones (g = -4).
J = {"exc": 20 * mc.PSP_EXC_MEAN * mc.psc_over_psp(),
     "inh": 20 * mc.G * mc.PSP_EXC_MEAN * mc.psc_over_psp()}


def network():
    r = mc.TAU_M / mc.C_M
    lines = ["snn.network @psp attributes {dt = 1.0e-4 : f64} {",
             "  %in = snn.input @in : !snn.spikes<1>"]
    for name in J:
        params = (f"#snn.continuous<tau_mem = {mc.TAU_M * 1e-3!r}, "
                  f"tau_syn = {mc.TAU_SYN * 1e-3!r}, v_th = {mc.V_TH!r}, "
                  f"v_leak = {mc.E_L!r}, v_reset = {mc.V_RESET!r}, "
                  f"r = {r!r}, bias = 0.0, t_ref = {mc.T_REF * 1e-3!r}>")
        lines.append(f"  %{name} = snn.population @{name} {{model = "
                     f"#snn.model<cuba_lif>, params = {params}, initial = "
                     f"{{v = {mc.E_L!r}}}}} : !snn.spikes<1>")
        lines.append(f"  snn.projection @in_{name} %in -> %{name} "
                     f"{{connectivity = #snn.one_to_one<"
                     f"{mc.chip_weight(J[name])!r}>, delay = "
                     f"{mc.chip_delay(NEST_DELAY)} : i64}} : "
                     "!snn.spikes<1> -> !snn.spikes<1>")
        lines.append(f"  snn.probe %{name} {{kind = #snn.probe_kind<state>}}"
                     " : !snn.spikes<1>")
    lines.append("}")
    return "\n".join(lines) + "\n"


def nest_v(weight):
    """V (mV) after every step of iaf_psc_exp, one spike of `weight` (pA)
    sent in SPIKE_STEP with delay NEST_DELAY, no other input."""
    h, tau_m, tau_s, c = mc.DT, mc.TAU_M, mc.TAU_SYN, mc.C_M
    p22 = math.exp(-h / tau_m)
    p11 = math.exp(-h / tau_s)
    p21 = tau_s * tau_m / (c * (tau_m - tau_s)) * (p22 - p11)
    slot = SPIKE_STEP + NEST_DELAY
    v, i = 0.0, 0.0  # relative to E_L
    out = np.zeros(STEPS)
    for t in range(STEPS):
        v = p22 * v + p21 * i
        i *= p11
        if t == slot:
            i += weight
        out[t] = v + mc.E_L
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cajal", required=True)
    ap.add_argument("--work", help="keep the files here (default: a temp dir)")
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="cajal-nest-psp-")
    os.makedirs(work, exist_ok=True)
    base = os.path.join(work, "psp")
    with open(base + ".mlir", "w") as f:
        f.write(network())
    inputs = os.path.join(work, "input.csv")
    with open(inputs, "w") as f:
        f.write(f"step,node,index\n{SPIKE_STEP},in,0\n")
    must([a.cajal, "compile", base + ".mlir", "-o", base + ".cjimg",
          "--profile", "loihi1", "--emit-mlir", base + ".out.mlir"],
         "cajal compile")
    with open(base + ".out.mlir") as f:
        scales = voltage_scales(f.read())
    must([a.cajal, "run", base + ".cjimg", "--steps", str(STEPS), "--input",
          inputs, "--quiet", "--probes-out", base + ".state.csv"], "cajal run")
    chip = {name: np.full(STEPS, np.nan) for name in J}
    with open(base + ".state.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["node"] in chip:
                chip[row["node"]][int(row["step"])] = int(row["v"])
    failures = []
    for name, weight in J.items():
        if name not in scales:
            sys.exit(f"FAIL: {base}.out.mlir: no voltage_scale for @{name}")
        scale = scales[name]
        if np.isnan(chip[name]).any():
            sys.exit(f"FAIL: {base}.state.csv: @{name}'s v is missing")
        # The chip's v is the model's less v_reset, times voltage_scale.
        v = chip[name] / scale + mc.V_RESET
        ref = nest_v(weight)
        dev = np.abs(v - ref)
        height = np.max(np.abs(ref - mc.E_L))
        tol = 0.01 * height + 2.0 / scale
        moved = np.flatnonzero(np.abs(ref - mc.E_L) > 0)[0]
        chip_moved = np.flatnonzero(chip[name] != 0)
        if not len(chip_moved) or chip_moved[0] != moved:
            failures.append(f"@{name}: v leaves rest in step "
                            f"{chip_moved[0] if len(chip_moved) else None}, "
                            f"NEST's in step {moved}")
        worst = int(np.argmax(dev))
        if dev[worst] > tol:
            failures.append(f"@{name}: step {worst}: chip v {v[worst]:.5f} mV,"
                            f" NEST {ref[worst]:.5f} mV, off by "
                            f"{dev[worst]:.5f} > {tol:.5f} mV")
        peak, chip_peak = (int(np.argmax(np.abs(x - mc.E_L))) for x in (ref, v))
        if abs(chip_peak - peak) > 1:
            failures.append(f"@{name}: the PSP peaks in step {chip_peak}, "
                            f"NEST's in step {peak}")
        print(f"@{name}: J {weight:.3f} pA, PSP peak {ref[peak] - mc.E_L:+.4f}"
              f" mV in step {peak} (chip {v[chip_peak] - mc.E_L:+.4f} mV in "
              f"step {chip_peak}), v leaves rest in step {moved}; largest "
              f"difference {dev[worst]:.5f} mV (bound {tol:.5f})")
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("PASS: the chip's PSPs follow NEST's iaf_psc_exp step by step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
