#!/usr/bin/python3
"""passive_tree.py - a passive dendritic chain on the chip against numpy float64.

Usage: passive_tree.py --cajal CAJAL [--work DIR]

Issue #18 (dendritic trees). A neuron whose dendrites form a chain,
compartment 0 (distal dendrite) .. n-1 (soma), n = 2 and 3, every compartment
a leaky integrator (model `li`: never spikes) and every dendrite passing
`coupling` times its voltage to the next one (`output = voltage`). One input
spike reaches the distal dendrite. The test writes the network's .mlir,
compiles it with `cajal compile --profile loihi2`, runs it with
`cajal run --probes-out` on the golden model and the reference engine (the
soma's state after every step), and compares the soma's v, divided by its
voltage_scale, with the float64 model below, written from the docs (not from
the C++):

  (a) every step, |chip v - float v| <= E(t), the quantisation bound derived
      in `error_bound` (decays rounded to 12 fraction bits, the gain to 16, the
      8-bit weight mantissa, DECAY rounding toward zero, MULSHR.half);
  (b) in float and on the chip: the soma peaks after the input arrives, later
      with three compartments than with two (the delay), and lower than the
      input's immediate effect on the distal dendrite (the attenuation);
  (c) the chip's peak step is the float peak step, or a step whose float
      value is within the bound of the float peak.

It also checks that each quantised word of the image (decays, gains, the
weight) is within half a code of the value the docs define, and that golden
and reference write the same probe file. It prints the largest error and the
bound for each n.
"""
import argparse
import csv
import json
import math
import os
import shutil
import sys
import tempfile
import time

import numpy as np

from emitted_mlir import must, voltage_scales

DT = 1.0e-3           # s (the network's dt)
STEPS = 200           # 10 soma time constants
SPIKE_STEP = 5        # the input spikes at this step; it arrives at step + 1
WEIGHT = 4.0          # the input projection's weight onto the distal dendrite
DECAY_BITS = 12       # loihi2 neuron.decayBits (checked against the image)
GAIN_SHIFT = 16       # kTreeGainShift: gain = coupling s_parent / s_child 2^16
NAMES = {2: ["d0", "soma"], 3: ["d0", "d1", "soma"]}
# Compartment k's tau_mem (s), distal first, and coupling[k]: the weight of
# compartment k's voltage in compartment k + 1's input.
CHAINS = {
    2: {"tau": [10e-3, 20e-3], "coupling": [0.1]},
    3: {"tau": [10e-3, 15e-3, 20e-3], "coupling": [0.1, 0.05]},
}


def num(x):
    """An MLIR float literal."""
    return f"{x:.17e}"


def network_mlir(n):
    """The chain as an snn network: the soma is the root; d(k) has parent
    d(k+1) (the soma for the last dendrite)."""
    chain, names = CHAINS[n], NAMES[n]
    lines = [f"snn.network @passive{n} attributes {{dt = {num(DT)} : f64}} {{",
             "  %in = snn.input @in : !snn.spikes<1>"]
    for k in reversed(range(n)):
        attrs = (f"model = #snn.model<li>, params = "
                 f"#snn.continuous<tau_mem = {num(chain['tau'][k])}, "
                 f"v_th = 1.0>")
        if k < n - 1:
            attrs += (f", parent = @{names[k + 1]}, output = "
                      f"#snn.dendrite_output<voltage>, coupling = "
                      f"{num(chain['coupling'][k])}")
        lines.append(f"  %{names[k]} = snn.population @{names[k]} {{{attrs}}}"
                     " : !snn.spikes<1>")
    lines.append(f"  snn.projection @in_d0 %in -> %d0 {{connectivity = "
                 f"#snn.dense<dense<[[{num(WEIGHT)}]]> : tensor<1x1xf64>>}} : "
                 "!snn.spikes<1> -> !snn.spikes<1>")
    lines.append("  snn.probe %soma {kind = #snn.probe_kind<state>} : "
                 "!snn.spikes<1>")
    lines.append("}")
    return "\n".join(lines) + "\n"


def float_chain(taus, couplings, weight, spike_step, steps, r=1.0):
    """x[t, k]: v of compartment k after step t, model units, float64.

    From the docs, not the C++:
    - `li` (docs/mapping.md, "Discretisation"): tau_mem dv/dt = (v_leak - v)
      + R I, here v_leak = v_reset = 0 and no bias. One step of dt with the
      input held over the step: v' = a v + (1 - a) R I, a = exp(-dt/tau_mem);
      a spike of weight w is I = w for the step it is delivered in (the
      input scale R g_m, g_m = 1 - a).
    - A spike given at step t is delivered at step t + 1 (docs/neuron-model.md,
      "Time step and delays": delay 1).
    - Trees (SNNOps.td "Dendritic trees", docs/neurocore-isa.md): every step
      the compartments update children first; a dendrite passes
      `coupling * v` (its v of this step) to its parent, which adds it to its
      input. The LIF family's input is added to v in full every step
      (docs/mapping.md: u = q with decayU = 1, v' = v (1 - dv) + u), so the
      parent's v gains coupling * v_child per step, in the parent's units.
    """
    n = len(taus)
    a = np.exp(-DT / np.asarray(taus, dtype=np.float64))
    x = np.zeros((steps, n), dtype=np.float64)
    prev = np.zeros(n)
    for t in range(steps):
        now = np.zeros(n)
        for k in range(n):
            v = a[k] * prev[k]
            if k == 0 and t == spike_step + 1:
                v += (1.0 - a[0]) * r * weight
            if k > 0:
                v += couplings[k - 1] * now[k - 1]
            now[k] = v
        x[t] = prev = now
    return x, a


def error_bound(x, a, couplings, chip):
    """E[t, k] >= |y_k(t) / s_k - x_k(t)|, the chip's v y_k (integer) in model
    units against the float model, by induction over the steps.

    The chip (docs/neurocore-isa.md, the tree LIF program; docs/neuron-model.md)
    computes, u being cleared every step (decayU1 = 2^12):
        y_k(t) = DECAY(y_k(t-1), dV_k) + q_k(t) + P_{k-1}(t)
        DECAY(y, dV) = y A_k - rho,  A_k = 1 - dV_k / 2^12,  |rho| < 1
                       (the magnitude rounds toward zero; rho = 0 when y = 0)
        P_{k-1}(t)   = MULSHR.half(y_{k-1}(t), G_k, 16) = y_{k-1} G_k / 2^16
                       + eta,  |eta| <= 1/2 (eta = 0 when y_{k-1} = 0)
        q_0(t)       = W (the integer weight) at the arrival step
    With z_k = y_k / s_k, e_k = z_k - x_k and c^_k = G_k s_{k-1} / (2^16 s_k)
    (the coupling the gain word gives, in model units):
        e_k(t) = A_k e_k(t-1) + (A_k - a_k) x_k(t-1) - rho / s_k
                 + c^_k e_{k-1}(t) + (c^_k - c_k) x_{k-1}(t) + eta / s_k
                 + [k = 0, arrival] (W / s_0 - (1 - a_0) R w).
    The compiler rounds each word to the nearest code (docs/mapping.md
    "Quantisation"; the gain in buildTrees), so whatever words a correct
    compile chooses:
        |A_k - a_k| <= dA = 2^-13                      (decayV, 12 bits)
        |c^_k - c_k| <= dc_k = 2^-17 s_{k-1} / s_k     (gain, 16 fraction bits
                                                        in child units)
        |W / s_0 - b| <= dW = 2^(shift - 1) / s_0      (half a mantissa step;
                                                        shift = weightShift +
                                                        the weight exponent)
    and, by the triangle inequality,
        E_k(t) = (a_k + dA) E_k(t-1) + dA |x_k(t-1)| + [y may be != 0] / s_k
                 + (c_k + dc_k) E_{k-1}(t) + dc_k |x_{k-1}(t)|
                 + [y_{k-1} may be != 0] / (2 s_k) + [arrival] dW.
    The bound takes from the image only the scales s_k and the weight's
    shift, not the words' actual deviations: a word off by more than half a
    code (a wrong coupling, tau or scale conversion) then fails (a) as well
    as `check_words`. Before the input every state is 0 exactly on both
    sides, and E is 0.
    """
    steps, n = x.shape
    s = chip["scale"]
    dA = 0.5 / (1 << DECAY_BITS)
    dG = 0.5 / (1 << GAIN_SHIFT)
    dc = [0.0] + [dG * s[k - 1] / s[k] for k in range(1, n)]
    dW = 2.0 ** (chip["shift"] - 1) / s[0]
    E = np.zeros((steps, n))
    prevE = np.zeros(n)
    prevx = np.zeros(n)
    for t in range(steps):
        now = np.zeros(n)
        for k in range(n):
            e = (a[k] + dA) * prevE[k] + dA * abs(prevx[k])
            if prevx[k] != 0 or prevE[k] > 0:
                e += 1.0 / s[k]                      # DECAY toward zero
            if k == 0 and t == SPIKE_STEP + 1:
                e += dW                              # the 8-bit mantissa
            if k > 0:
                e += (couplings[k - 1] + dc[k]) * now[k - 1]
                e += dc[k] * abs(x[t, k - 1])
                if x[t, k - 1] != 0 or now[k - 1] > 0:
                    e += 0.5 / s[k]                  # MULSHR.half
            now[k] = e
        E[t] = prevE = now
        prevx = x[t]
    return E


def chip_words(image_json, names, scales):
    """The tree's quantised words from `cajal inspect --json`: A_k from each
    compartment's decayV, c^_k from its child's gain, the weight W."""
    img = json.loads(image_json)
    fmt, syn = img["neuronFormat"], img["synapseFormat"]
    if fmt["decayBits"] != DECAY_BITS:
        sys.exit(f"FAIL: decayBits {fmt['decayBits']}, the test assumes "
                 f"{DECAY_BITS}")
    (pop,) = [p for p in img["populations"] if p["name"] == "soma"]
    tree = [node["name"] for node in pop["tree"]]
    if tree != names:
        sys.exit(f"FAIL: the image's tree is {tree}, expected {names}")
    (sl,) = pop["slices"]
    core = img["cores"][sl["core"]]
    comps = [core["compartments"][sl["firstCompartment"] + k]
             for k in range(len(names))]
    s = [scales[name] for name in names]
    full = 1 << DECAY_BITS
    words = {"scale": s,
             "decayV": [c["paramWords"][1] for c in comps],
             "decayU1": [c["paramWords"][0] for c in comps],
             "gain": [None] + [c["paramWords"][8] for c in comps[:-1]],
             "noSpike": [c["noSpike"] for c in comps]}
    words["A"] = [1 - d / full for d in words["decayV"]]
    words["chat"] = [0.0] + [words["gain"][k] * s[k - 1] / ((1 << GAIN_SHIFT) * s[k])
                             for k in range(1, len(names))]
    (axon,) = core["inputAxons"]
    (synapse,) = axon["synapses"]
    if synapse[0] != sl["firstCompartment"]:
        sys.exit(f"FAIL: the input reaches compartment {synapse[0]}, not the "
                 f"distal dendrite {sl['firstCompartment']}")
    shift = syn["weightShift"] + axon["weightExponent"]
    mantissa = synapse[1]
    weight = (mantissa << shift if shift >= 0 else
              int(math.copysign(abs(mantissa) >> -shift, mantissa)))
    words.update(mantissa=mantissa, shift=shift, weight=weight,
                 weightExponent=axon["weightExponent"],
                 weightExponentMin=syn["weightExponentMin"],
                 mantissaMax=(1 << syn["weightBitsMax"]) - 1,
                 accumulatorMax=(1 << fmt["accumulatorBits"]) - 1,
                 vmax=[c["paramWords"][4] for c in comps])
    return words


def check_words(n, chip, a, failures):
    """Each quantised word within half a code of the exact value the docs
    define (docs/mapping.md "Quantisation"; gain: buildTrees)."""
    chain = CHAINS[n]
    half = 0.5 / (1 << DECAY_BITS)
    b = (1 - a[0]) * WEIGHT
    for k in range(n):
        if chip["decayU1"][k] != 1 << DECAY_BITS:
            failures.append(f"n={n} {NAMES[n][k]}: decayU1 "
                            f"{chip['decayU1'][k]}, not a full decay of u")
        if not chip["noSpike"][k]:
            failures.append(f"n={n} {NAMES[n][k]}: model li without NoSpike")
        if abs(chip["A"][k] - a[k]) > half:
            failures.append(f"n={n} {NAMES[n][k]}: decayV {chip['decayV'][k]} "
                            f"gives a = {chip['A'][k]:.6f}, exp(-dt/tau) = "
                            f"{a[k]:.6f}: more than 2^-13 apart")
    for k in range(1, n):
        c = chain["coupling"][k - 1]
        slack = 0.5 / (1 << GAIN_SHIFT) * chip["scale"][k - 1] / chip["scale"][k]
        if abs(chip["chat"][k] - c) > slack * (1 + 1e-9):
            failures.append(f"n={n} {NAMES[n][k - 1]}: gain {chip['gain'][k]} "
                            f"couples by {chip['chat'][k]:.6g}, the coupling "
                            f"is {c}: more than half a gain code ({slack:.3g})")
    s0 = chip["scale"][0]
    step = 2.0 ** chip["shift"]
    if chip["shift"] < 0 or \
            abs(chip["weight"] - b * s0) > step / 2 * (1 + 1e-9):
        failures.append(f"n={n}: weight {chip['weight']} integer units is "
                        f"{chip['weight'] / s0:.6g}, the input scale gives "
                        f"{b:.6g}: more than half a mantissa step")
    # The smallest exponent that holds the weight (the most precision).
    if (chip["weightExponent"] > chip["weightExponentMin"]
            and 2 * abs(chip["mantissa"]) <= chip["mantissaMax"]):
        failures.append(f"n={n}: weight mantissa {chip['mantissa']} at "
                        f"exponent {chip['weightExponent']} wastes a bit")


def read_soma(path, steps):
    v = np.full(steps, np.nan)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["node"] == "soma" and row["index"] == "0":
                v[int(row["step"])] = int(row["v"])
    if np.isnan(v).any():
        sys.exit(f"FAIL: {path}: the soma's state is missing at steps "
                 f"{np.flatnonzero(np.isnan(v))[:10].tolist()}")
    return v


def peak(values):
    return int(np.argmax(values)), float(np.max(values))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cajal", required=True)
    ap.add_argument("--work", help="keep the files here (default: a temp dir)")
    args = ap.parse_args()
    cajal = os.path.abspath(args.cajal)
    work = args.work or tempfile.mkdtemp(prefix="cajal-passive-tree-")
    os.makedirs(work, exist_ok=True)
    start = time.monotonic()
    failures = []
    inputs = os.path.join(work, "input.csv")
    with open(inputs, "w") as f:
        f.write(f"step,node,index\n{SPIKE_STEP},in,0\n")

    peaks = {}
    for n in (2, 3):
        chain = CHAINS[n]
        base = os.path.join(work, f"passive{n}")
        with open(base + ".mlir", "w") as f:
            f.write(network_mlir(n))
        must([cajal, "compile", base + ".mlir", "-o", base + ".cjimg",
              "--profile", "loihi2", "--emit-mlir", base + ".out.mlir",
              "--report", base + ".fit.json"], f"n={n}: cajal compile", work)
        with open(base + ".out.mlir") as f:
            scales = voltage_scales(f.read())
        chip = chip_words(must([cajal, "inspect", base + ".cjimg", "--json"],
                               f"n={n}: cajal inspect --json", work),
                          NAMES[n], scales)
        probes = {}
        for engine in ("golden", "reference"):
            probes[engine] = f"{base}.{engine}.state.csv"
            must([cajal, "run", base + ".cjimg", "--engine", engine,
                  "--steps", str(STEPS), "--input", inputs, "--quiet",
                  "--probes-out", probes[engine]],
                 f"n={n}: cajal run --engine {engine}", work)
        with open(probes["golden"], "rb") as g, \
                open(probes["reference"], "rb") as r:
            if g.read() != r.read():
                failures.append(f"n={n}: golden and reference probe files "
                                "differ")

        x, a = float_chain(chain["tau"], chain["coupling"], WEIGHT,
                           SPIKE_STEP, STEPS)
        check_words(n, chip, a, failures)
        E = error_bound(x, a, chain["coupling"], chip)
        # The bound assumes no saturation: q within the accumulator (21 bits,
        # SAT), v within vmax (CLIP); in integer units, with the bound.
        s = np.asarray(chip["scale"])
        top = (np.abs(x) + E) * s
        if chip["weight"] > chip["accumulatorMax"] or \
                (top[:, :-1] * np.asarray(chain["coupling"])[None, :]
                 * s[1:] / s[:-1]).max() >= chip["accumulatorMax"] or \
                (top >= np.asarray(chip["vmax"])[None, :]).any():
            failures.append(f"n={n}: a state or input may saturate; the bound "
                            "does not hold there")

        soma_float, bound = x[:, -1], E[:, -1]
        immediate_float = x[SPIKE_STEP + 1, 0]
        immediate_chip = chip["weight"] / s[0]
        for engine in ("golden", "reference"):
            soma_chip = read_soma(probes[engine], STEPS) / s[-1]
            err = np.abs(soma_chip - soma_float)
            # (a) every step within the bound.
            bad = np.flatnonzero(err > bound)
            for t in bad[:5]:
                failures.append(f"n={n} {engine}: step {t}: chip v "
                                f"{soma_chip[t]:.9g}, float {soma_float[t]:.9g}"
                                f": |error| {err[t]:.3g} > bound {bound[t]:.3g}")
            ratio = np.divide(err, bound, out=np.zeros(STEPS),
                              where=bound > 0)
            t_max, t_ratio = int(np.argmax(err)), int(np.argmax(ratio))
            print(f"n={n} {engine}: soma max |chip - float| = "
                  f"{err[t_max]:.3e} model units at step {t_max} (bound "
                  f"{bound[t_max]:.3e}; largest bound {bound.max():.3e}); "
                  f"largest error/bound {ratio[t_ratio]:.3f} at step "
                  f"{t_ratio}; max error / float peak "
                  f"{err[t_max] / soma_float.max():.2e}")
            # (b) delay and attenuation, float and chip.
            tc, pc = peak(soma_chip)
            tf, pf = peak(soma_float)
            for what, tp, pp, imm in (("float", tf, pf, immediate_float),
                                      (engine, tc, pc, immediate_chip)):
                if tp <= SPIKE_STEP + 1:
                    failures.append(f"n={n} {what}: the soma peaks at step "
                                    f"{tp}, not after the input arrives "
                                    f"(step {SPIKE_STEP + 1})")
                if not pp < imm:
                    failures.append(f"n={n} {what}: the soma's peak {pp:.6g} "
                                    "is not below the input's immediate "
                                    f"effect on the distal dendrite {imm:.6g}")
            # (c) the chip's peak step is the float one, or one whose float
            # value the bound cannot tell from the float peak.
            if tc != tf and soma_float[tf] - soma_float[tc] > bound[tf] + \
                    bound[tc]:
                failures.append(f"n={n} {engine}: the chip peaks at step {tc}, "
                                f"float at {tf} ({soma_float[tf]:.9g} vs "
                                f"{soma_float[tc]:.9g}, beyond the bound)")
            peaks[(n, engine)] = tc
            print(f"n={n} {engine}: soma peak step {tc} (float {tf}), value "
                  f"{pc:.6g} (float {pf:.6g}); distal immediate effect "
                  f"{imm:.6g} (float {immediate_float:.6g}); input arrives at "
                  f"step {SPIKE_STEP + 1}")
        peaks[(n, "float")] = peak(soma_float)[0]
        print(f"n={n}: scales {[f'{v:.8g}' for v in chip['scale']]}, decayV "
              f"{chip['decayV']}, gains {chip['gain'][1:]} (couplings "
              f"{[f'{c:.6g}' for c in chip['chat'][1:]]} for "
              f"{chain['coupling']}), weight {chip['mantissa']} << "
              f"{chip['shift']}")

    for what in ("float", "golden", "reference"):
        if not peaks[(3, what)] > peaks[(2, what)]:
            failures.append(f"{what}: the soma of the 3-compartment chain "
                            f"peaks at step {peaks[(3, what)]}, not after the "
                            f"2-compartment one's ({peaks[(2, what)]})")
    print(f"took {time.monotonic() - start:.2f} s")
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        print(f"files kept in {work}")
        return 1
    if not args.work:
        shutil.rmtree(work)
    print("OK: the soma of the passive 2- and 3-compartment chains is within "
          "the quantisation bound of float64 at every step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
