#!/usr/bin/python3
"""stdp4k.py - the 4k CUBA network with pair STDP on its excitatory synapses,
on Cajal's golden model and in Brian2.

    bench/peer-brian2/stdp4k.py [--steps N] [--cajal PATH] [--work DIR]
                                [--json FILE]

The network is examples/cuba.mlir (3,200 excitatory and 800 inhibitory LIF
neurons, 2 % connectivity, dt = 0.1 ms) with its two excitatory projections
(exc -> exc, exc -> inh) learning by pair STDP: in Cajal
`dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0` with traces of impulse 16 and tau 200
steps (20 ms), excitatory sign mode, one-step epochs; in Brian2, as its users
write STDP (Brian2's examples/synapses/STDP.py: event-driven traces, on_pre
and on_post, weights clipped to [0, w_max]), the same amplitudes relative to
the initial weight (one mantissa unit per full pairing) and the chip's w_max
(mantissa 255). Brian2 runs C++ standalone (its recommended device for
speed), shared constants as scalars. Both run N steps (default 10,000 = 1 s);
printed: each side's simulation and whole-process time, spikes per population,
synapse counts. The spike counts differ (float against fixed point, different
random connectivity); they show the two did comparable work.
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from song2000 import sh  # noqa: E402

LEARNING = ('learning = #snn.learning<rule = "dw = 2^-4 * x1 * y0 - 2^-4 * y1 '
            '* x0", x1 = #snn.trace<impulse = 16.0, tau = 200.0>, y1 = '
            '#snn.trace<impulse = 16.0, tau = 200.0>>, sign_mode = "excitatory"')

BRIAN = r'''
import json, sys, time
import brian2 as b2
from brian2 import ms, mV, NeuronGroup, Synapses, SpikeMonitor, run
sys.path.insert(0, {here!r})
import brian_side
b2.BrianLogger.log_level_warn()
brian_side.setup_target(b2, "standalone", {work!r})
b2.defaultclock.dt = 0.1 * ms
b2.seed(1)
tau_mem, tau_syn, tau_stdp = 20 * ms, 5 * ms, 20 * ms
v_th, v_leak, t_ref = 10 * mV, 11 * mV, 5 * ms
w_exc, w_inh = 1.62 * mV, -9 * mV
w_max = w_exc * 255 / {mantissa}
d_pre = w_exc / {mantissa}          # one mantissa unit per full pairing
d_post = -d_pre
eqs = """dv/dt = (v_leak - v + I) / tau_mem : volt (unless refractory)
         dI/dt = -I / tau_syn : volt"""
exc = NeuronGroup(3200, eqs, threshold="v > v_th", reset="v = 0*mV",
                  refractory=t_ref, method="exact")
inh = NeuronGroup(800, eqs, threshold="v > v_th", reset="v = 0*mV",
                  refractory=t_ref, method="exact")
stdp = dict(model="""w : volt
                     dApre/dt = -Apre / tau_stdp : volt (event-driven)
                     dApost/dt = -Apost / tau_stdp : volt (event-driven)""",
            on_pre="""I_post += w
                      Apre += d_pre
                      w = clip(w + Apost, 0*mV, w_max)""",
            on_post="""Apost += d_post
                       w = clip(w + Apre, 0*mV, w_max)""")
ee = Synapses(exc, exc, **stdp)
ee.connect("i != j", p=0.02)
ee.w = w_exc
ei = Synapses(exc, inh, **stdp)
ei.connect(p=0.02)
ei.w = w_exc
ie = Synapses(inh, exc, on_pre="I_post += w_inh")
ie.connect(p=0.02)
ii = Synapses(inh, inh, on_pre="I_post += w_inh")
ii.connect("i != j", p=0.02)
me, mi = SpikeMonitor(exc, record=False), SpikeMonitor(inh, record=False)
run({steps} * b2.defaultclock.dt)
b2.device.build(directory={brian_dir!r}, compile=True, run=True,
                with_output=False, clean=True)
report = dict(brian_side.binary_timing({work!r}))
report["process_s"] = b2.device.timers["run_binary"]
report["spikes"] = dict(exc=int(me.num_spikes), inh=int(mi.num_spikes))
report["synapses"] = int(len(ee) + len(ei) + len(ie) + len(ii))
json.dump(report, open({out!r}, "w"))
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--cajal", default=os.path.join(ROOT, "build", "bin",
                                                    "cajal"))
    ap.add_argument("--work", default="stdp4k-work")
    ap.add_argument("--json")
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)

    with open(os.path.join(ROOT, "examples", "cuba.mlir")) as f:
        source = f.read()
    for name in ("ee", "ei"):
        source, n = re.subn(r"(snn.projection @%s [^{]*\{connectivity = "
                            r"#snn.fixed_prob<[^>]*>)" % name,
                            r"\1, " + LEARNING, source)
        if n != 1:
            sys.exit(f"stdp4k: projection @{name} not found in cuba.mlir")
    mlir = os.path.join(work, "stdp4k.mlir")
    with open(mlir, "w") as f:
        f.write(source)
    image = os.path.join(work, "stdp4k.cjimg")
    sh([args.cajal, "compile", mlir, "-o", image], "cajal compile")
    r, _ = sh([args.cajal, "inspect", image, "--json"], "cajal inspect")
    doc = json.loads(r.stdout)
    mantissas = [s[1] for core in doc["cores"] for axon in core["inputAxons"]
                 for s in axon["synapses"] if s[1] > 0]
    mantissa = max(mantissas)
    r, process = sh([args.cajal, "run", image, "--steps", str(args.steps),
                     "--engine", "golden"], "cajal run")
    sim = float(re.search(r"\(([0-9.e+-]+) s simulating", r.stdout).group(1))
    spikes = {m.group(1): int(m.group(2)) for m in re.finditer(
        r"^\s+(exc|inh)\s+\d+\s+(\d+)", r.stdout, re.M)}
    learning = sum(1 for core in doc["cores"] for axon in core["inputAxons"]
                   if axon.get("learning") is not None
                   for _ in axon["synapses"])
    cajal = {"run_s": sim, "process_s": process, "spikes": spikes,
             "learning_synapses": learning}

    out = os.path.join(work, "brian2.json")
    script = os.path.join(work, "stdp4k_brian.py")
    with open(script, "w") as f:
        f.write(BRIAN.format(here=HERE, work=work, mantissa=mantissa,
                             steps=args.steps,
                             brian_dir=os.path.join(work, "brian2"), out=out))
    sh([sys.executable, script], "Brian2 standalone")
    with open(out) as f:
        brian = json.load(f)

    print(f"4k CUBA with pair STDP on exc -> exc and exc -> inh, "
          f"{args.steps} steps of 0.1 ms\n")
    print("| side | simulation s | whole process s | spikes exc | spikes inh |")
    print("|---|---|---|---|---|")
    print(f"| Cajal golden | {cajal['run_s']:.2f} | {cajal['process_s']:.2f} | "
          f"{spikes.get('exc')} | {spikes.get('inh')} |")
    print(f"| Brian2 C++ standalone | {brian['run_s']:.2f} | "
          f"{brian['process_s']:.2f} | {brian['spikes']['exc']} | "
          f"{brian['spikes']['inh']} |")
    print(f"\nBrian2/Cajal: simulation {brian['run_s'] / cajal['run_s']:.2f}x, "
          f"whole process {brian['process_s'] / cajal['process_s']:.2f}x; "
          f"learning synapses on the chip {learning}, Brian2 synapses "
          f"{brian['synapses']}; initial mantissa {mantissa}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cajal": cajal, "brian2": brian,
                       "steps": args.steps}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
