#!/usr/bin/python3
"""song2000_brian.py - Brian2's own Song, Miller & Abbott (2000) example.

    song2000_brian.py --seconds S --target cython|numpy|standalone --seed N
                      --out DIR

The network, equations and parameters are those of Brian2's
examples/synapses/STDP.py (brian-team/brian2, "Adapted from Song, Miller and
Abbott (2000) and Song and Abbott (2001)"): 1,000 Poisson inputs at 15 Hz,
one current-based LIF neuron, additive pair STDP with A- / A+ = 1.05 and
weights clipped to [0, gmax]. Only the run length, the code generation
target, the seed and the output files are parameters here. Writes
DIR/weights.txt (every w / gmax, synapse order), DIR/spikes.txt (the
neuron's spike times in seconds) and DIR/timing.json (simulation and
code-generation seconds as Brian2 reports them).
"""

import argparse
import json
import os
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--seconds", type=float, default=100.0)
ap.add_argument("--target", default="cython",
                choices=("cython", "numpy", "standalone"))
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", required=True)
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)

import numpy as np  # noqa: E402
import brian2 as b2  # noqa: E402
from brian2 import (PoissonGroup, NeuronGroup, Synapses, SpikeMonitor,  # noqa: E402
                    Hz, ms, mV, second, run, seed)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brian_side  # noqa: E402

b2.BrianLogger.log_level_warn()
if args.target == "standalone":
    # As bench/peer-brian2/run builds it: the run timed inside the binary,
    # its peak memory by /usr/bin/time.
    brian_side.setup_target(b2, "standalone", args.out)
else:
    b2.prefs.codegen.target = args.target
seed(args.seed)

# examples/synapses/STDP.py, as Brian2 ships it.
N = 1000
taum = 10*ms
taupre = 20*ms
taupost = taupre
Ee = 0*mV
vt = -54*mV
vr = -60*mV
El = -74*mV
taue = 5*ms
F = 15*Hz
gmax = .01
dApre = .01
dApost = -dApre * taupre / taupost * 1.05
dApost *= gmax
dApre *= gmax

eqs_neurons = '''
dv/dt = (ge * (Ee-vr) + El - v) / taum : volt
dge/dt = -ge / taue : 1
'''

input = PoissonGroup(N, rates=F)
neurons = NeuronGroup(1, eqs_neurons, threshold='v>vt', reset='v = vr',
                      method='exact')
S = Synapses(input, neurons,
             '''w : 1
                dApre/dt = -Apre / taupre : 1 (event-driven)
                dApost/dt = -Apost / taupost : 1 (event-driven)''',
             on_pre='''ge += w
                    Apre += dApre
                    w = clip(w + Apost, 0, gmax)''',
             on_post='''Apost += dApost
                     w = clip(w + Apre, 0, gmax)''',
             )
S.connect()
S.w = 'rand() * gmax'
M = SpikeMonitor(neurons)

start = time.perf_counter()
run(args.seconds * second)
timing = {"target": args.target}
if args.target == "standalone":
    b2.device.build(directory=os.path.join(args.out, "brian2"), compile=True,
                    run=True, with_output=False, clean=True)
    timing["compile_s"] = sum(
        v for v in b2.device.timers["compile"].values() if v)
    # The binary's whole process (loading, the run, writing results) and the
    # run alone, timed inside it.
    timing["process_s"] = b2.device.timers["run_binary"]
    timing.update(brian_side.binary_timing(args.out))
else:
    timing["run_s"] = time.perf_counter() - start
np.savetxt(os.path.join(args.out, "weights.txt"), np.asarray(S.w[:]) / gmax)
np.savetxt(os.path.join(args.out, "spikes.txt"), np.asarray(M.t[:] / second))
with open(os.path.join(args.out, "timing.json"), "w") as f:
    json.dump(timing, f)
print(json.dumps(timing), file=sys.stderr)
