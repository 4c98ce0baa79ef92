#!/usr/bin/python3
"""reference.py - an independent numpy model of a Cajal chip image.

Reads the JSON form of a chip image (chip::printImageJson, "cajal-image-json/1"
of image format version 5) and simulates it from the written contracts alone
(docs/neurocore-isa.md, docs/chip-image.md and the time-step rule), sharing
no code with the C++ engines:

* each compartment runs the neuron program the image gives it: its
  population's program from the image's "programs", or the LIF-family
  program its record's flags name with the record's parameter words, as
  chip::resolvePrograms resolves them; neurocore.py interprets the programs
  of all compartments together, vectorised over compartments;
* input for step t is kept in a full (steps + maxDelay + 1) x N table instead
  of a ring, and spikes are scattered into it with np.bincount (exact: the
  weights' magnitudes sum below 2^53, else it sorts and sums in int64);
* the Poisson hash (splitmix64 over (seed, step, index)) is vectorised here
  over uint64 arrays.

The state CSV shows state words s0 and s1 as u and v (their stored 32 bits
as signed integers), as the C++ engines do.

Usage: reference.py image.json --steps N [--input ext.csv] [--spikes-out f]
                    [--state-out f] [--record-sources]
"""

import argparse
import csv
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import neurocore  # noqa: E402

U64 = np.uint64
GOLDEN_GAMMA = U64(0x9E3779B97F4A7C15)
MIX1 = U64(0xBF58476D1CE4E5B9)
MIX2 = U64(0x94D049BB133111EB)


def splitmix64(x):
    """splitmix64's output function over a uint64 array (wrapping)."""
    with np.errstate(over="ignore"):
        x = x + GOLDEN_GAMMA
        x = (x ^ (x >> U64(30))) * MIX1
        x = (x ^ (x >> U64(27))) * MIX2
        return x ^ (x >> U64(31))


def poisson_fires(seed, probability, step, size):
    """Boolean array: which of `size` channels fire at `step`."""
    key = (U64(step) << U64(32)) | np.arange(size, dtype=U64)
    h = splitmix64(U64(seed) ^ splitmix64(key))
    return (h >> U64(32)) < U64(probability)


def poisson_group_counts(seed, threshold, step, size):
    """Spike counts of `size` Poisson group channels at `step`: Knuth's
    product of uniforms in 0.32 fixed point, as docs/chip-image.md gives it."""
    key = (U64(step) << U64(32)) | np.arange(size, dtype=U64)
    h = splitmix64(U64(seed) ^ splitmix64(key))
    p = np.full(size, 1 << 32, dtype=U64)
    counts = np.full(size, 255, dtype=np.int64)
    waiting = np.ones(size, dtype=bool)
    for j in range(255):
        p = (p * (h >> U64(32))) >> U64(32)
        done = waiting & (p <= U64(threshold))
        counts[done] = j
        waiting &= ~done
        if not waiting.any():
            break
        h = splitmix64(h)
    return counts


def effective_weight(mantissa, exponent, shift):
    total = shift + exponent
    magnitude = abs(mantissa)
    scaled = magnitude << total if total >= 0 else magnitude >> -total
    return scaled if mantissa >= 0 else -scaled


def csr(lists):
    """Offsets and flat values of a list of lists (int64)."""
    begin = np.zeros(len(lists) + 1, dtype=np.int64)
    begin[1:] = np.cumsum([len(x) for x in lists])
    flat = np.array([v for x in lists for v in x], dtype=np.int64)
    return begin, flat


def expand(begin, rows):
    """Indices of all entries of CSR rows `rows` (with repeats)."""
    rows = np.asarray(rows, dtype=np.int64)
    lengths = begin[rows + 1] - begin[rows]
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(begin[rows] - np.cumsum(lengths) + lengths, lengths)
    return starts + np.arange(total, dtype=np.int64)


# The image format whose JSON this model reads (docs/chip-image.md): its
# programs carry lookup tables, its compartments their initial state, its
# populations their dendritic trees, its synapse groups learning rules.
IMAGE_VERSION = 9


class ImageError(ValueError):
    """An image JSON this model does not read; the message says why."""


class Network:
    """The image flattened into global compartment and axon numbering."""

    def __init__(self, doc):
        version = doc.get("imageVersion")
        if version != IMAGE_VERSION:
            raise ImageError(f"image format version {version} (this model "
                             f"reads version {IMAGE_VERSION}, whose synapse "
                             "groups may learn); recompile the "
                             "network with `cajal compile`")
        for p in doc["populations"]:
            if p.get("tree"):
                raise ImageError(f"population {p['name']!r} has dendritic "
                                 "trees; this model runs point neurons")
        if "learning" in doc:
            raise ImageError("the image learns; this model runs fixed "
                             "weights")
        self.nf = doc["neuronFormat"]
        sf = doc["synapseFormat"]
        self.max_delay = sf["maxDelay"]
        cores = doc["cores"]
        self.comp_base = np.cumsum([0] + [len(c["compartments"]) for c in cores])
        self.axon_base = np.cumsum([0] + [len(c["inputAxons"]) for c in cores])
        params = [p for c in cores for p in c["compartments"]]
        self.n = len(params)
        self._programs(doc, cores, params)
        self._synapses(cores, sf)
        self._outputs(cores)
        self.sources = doc["sources"]
        self.source_csr = [self._targets(s["targetBegin"], s["targets"])
                           for s in self.sources]
        self._populations(doc["populations"])

    def _programs(self, doc, cores, params):
        """Each compartment's program and parameter words (resolvePrograms)."""
        records = {k: np.array([p[k] for p in params], dtype=np.int64)
                   for k in ("decayU", "decayV", "biasMantissa",
                             "biasExponent", "thresholdMantissa",
                             "vminExponent", "vmaxExponent", "refractory",
                             "flags")}
        programs = [neurocore.program_from_json(p)
                    for p in doc.get("programs", [])]
        pops = []
        for p in doc["populations"]:
            comps = [int(self.comp_base[s["core"]]) + s["firstCompartment"] + i
                     for s in p["slices"] for i in range(s["count"])]
            pops.append((p["name"], None if p["program"] < 0 else p["program"],
                         np.array(comps, dtype=np.int64)))
        self.programs, self.lif_family, self.comp_program = neurocore.resolve(
            programs, pops, records, self.nf)
        core_words = [p.get("paramWords") for core in cores
                      for p in core["compartments"]]
        self.initial = [p.get("initialState") for core in cores
                        for p in core["compartments"]]
        self.params = neurocore.param_matrix(
            self.programs, self.lif_family, self.comp_program, records,
            core_words, self.nf,
            neurocore.compartment_namer(self.comp_base, pops))

    def machine(self):
        """A neurocore.Machine at step 0 for every compartment."""
        return neurocore.Machine(self.programs, self.comp_program, self.params,
                                 self.initial)

    def _synapses(self, cores, sf):
        target, weight, delay = [], [], []
        for ci, core in enumerate(cores):
            for axon in core["inputAxons"]:
                t, w, d = [], [], []
                for comp, mant, dl in axon["synapses"]:
                    t.append(int(self.comp_base[ci]) + comp)
                    w.append(effective_weight(mant, axon["weightExponent"],
                                              sf["weightShift"]))
                    d.append(dl if axon["hasDelay"] else 1)
                target.append(t)
                weight.append(w)
                delay.append(d)
        self.syn_begin, self.syn_target = csr(target)
        _, self.syn_weight = csr(weight)
        _, self.syn_delay = csr(delay)

    def _targets(self, begin, targets):
        axons = [int(self.axon_base[c]) + a for c, a in targets]
        return np.array(begin, dtype=np.int64), np.array(axons, dtype=np.int64)

    def _outputs(self, cores):
        begins, axons = [0], []
        for core in cores:
            b = core["outputBegin"]
            for l in range(len(core["compartments"])):
                for c, a in core["outputAxons"][b[l]:b[l + 1]]:
                    axons.append(int(self.axon_base[c]) + a)
                begins.append(len(axons))
        self.out_begin = np.array(begins, dtype=np.int64)
        self.out_axon = np.array(axons, dtype=np.int64)

    def _populations(self, pops):
        self.pops = pops
        self.comp_node = np.full(self.n, -1, dtype=np.int64)
        self.comp_neuron = np.full(self.n, -1, dtype=np.int64)
        self.pop_comps = []
        for pi, p in enumerate(pops):
            comps = np.zeros(p["size"], dtype=np.int64)
            for s in p["slices"]:
                g = int(self.comp_base[s["core"]]) + s["firstCompartment"]
                idx = np.arange(s["count"])
                comps[s["firstNeuron"] + idx] = g + idx
                self.comp_node[g + idx] = pi
                self.comp_neuron[g + idx] = s["firstNeuron"] + idx
            self.pop_comps.append(comps)


def read_external(path, net):
    """External spikes per step: {step: [(source index, channel), ...]}."""
    by_step = {}
    if not path:
        return by_step
    names = {s["name"]: i for i, s in enumerate(net.sources)
             if s["kind"] == "external"}
    with open(path, newline="") as f:
        rows = csv.reader(f)
        if next(rows) != ["step", "node", "index"]:
            raise ValueError(path + ": bad header")
        for step, node, index in rows:
            by_step.setdefault(int(step), []).append((names[node], int(index)))
    return by_step


def source_spikes(net, t, external):
    """(source index, channel array) for every source that fires at t."""
    out = []
    listed = {}
    for si, ch in external.get(t, []):
        listed.setdefault(si, []).append(ch)
    for si, s in enumerate(net.sources):
        kind = s["kind"]
        if kind == "poisson":
            ch = np.nonzero(poisson_fires(s["seed"], s["probability"], t,
                                          s["size"]))[0]
        elif kind == "poisson_group":
            counts = poisson_group_counts(s["seed"], s["probability"], t,
                                          s["size"])
            ch = np.repeat(np.arange(s["size"]), counts)
        elif kind == "periodic":
            on = t >= s["phase"] and (t - s["phase"]) % s["period"] == 0
            ch = np.arange(s["size"]) if on else np.zeros(0, dtype=np.int64)
        elif kind == "file":
            ch = np.array([i for st, i in s["spikes"] if st == t], dtype=np.int64)
        else:
            ch = np.array(sorted(listed.get(si, [])), dtype=np.int64)
        if len(ch):
            out.append((si, ch))
    return out


def scatter_add(table, flat, values):
    """table.flat[flat] += values, repeated indices summed, exactly: with
    np.bincount in float64 when the magnitudes sum below 2^53 (then every
    partial sum is an exact integer), else sorted and summed in int64."""
    if len(flat) == 0:
        return
    flat_table = table.reshape(-1)
    if int(np.abs(values).sum()) < (1 << 53):
        lo, hi = int(flat.min()), int(flat.max()) + 1
        sums = np.bincount(flat - lo, weights=values, minlength=hi - lo)
        flat_table[lo:hi] += sums.astype(np.int64)
        return
    order = np.argsort(flat, kind="stable")
    flat, values = flat[order], values[order]
    first = np.concatenate([[True], flat[1:] != flat[:-1]])
    starts = np.nonzero(first)[0]
    flat_table[flat[starts]] += np.add.reduceat(values, starts)


def simulate(net, steps, external, on_step=None):
    """Run `steps` steps; returns (spike rows, state rows) as tuples
    (step, node id, index[, u, v]) sorted as the golden runner writes them.
    on_step(t, machine, fired), when given, sees every step's outcome."""
    inbox = np.zeros((steps + net.max_delay + 1, net.n), dtype=np.int64)
    machine = net.machine()
    npop = len(net.pops)
    spikes, states = [], []
    for t in range(steps):
        fired = np.nonzero(machine.step(inbox[t]))[0]
        if on_step:
            on_step(t, machine, fired)
        axons = [net.out_axon[expand(net.out_begin, fired)]]
        for node in fired:
            if net.comp_node[node] >= 0:
                spikes.append((t, int(net.comp_node[node]), int(net.comp_neuron[node])))
        for si, ch in source_spikes(net, t, external):
            begin, targets = net.source_csr[si]
            axons.append(targets[expand(begin, ch)])
            spikes.extend((t, npop + si, int(c)) for c in ch)
        syn = expand(net.syn_begin, np.concatenate(axons))
        scatter_add(inbox, (t + net.syn_delay[syn]) * net.n
                    + net.syn_target[syn], net.syn_weight[syn])
        u, v = machine.state_raw32(0), machine.state_raw32(1)
        for pi, p in enumerate(net.pops):
            if p["recordState"]:
                comps = net.pop_comps[pi]
                states.extend((t, pi, n, int(u[c]), int(v[c]))
                              for n, c in enumerate(comps))
    spikes.sort()
    return spikes, states


def node_names(doc):
    return [p["name"] for p in doc["populations"]] + [s["name"] for s in doc["sources"]]


def recorded(doc, spikes, record_sources):
    """Keep spikes of populations that record them (and sources if asked)."""
    pops = doc["populations"]
    return [r for r in spikes
            if (r[1] < len(pops) and pops[r[1]]["recordSpikes"])
            or (r[1] >= len(pops) and record_sources)]


def write_rows(path, header, rows, names):
    with open(path, "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join([str(r[0]), names[r[1]]] + [str(x) for x in r[2:]]) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image_json")
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--input")
    ap.add_argument("--spikes-out")
    ap.add_argument("--state-out")
    ap.add_argument("--record-sources", action="store_true")
    a = ap.parse_args()
    with open(a.image_json) as f:
        doc = json.load(f)
    try:
        net = Network(doc)
    except (neurocore.ProgramError, ImageError) as e:
        sys.exit(f"reference.py: error: {a.image_json}: {e}")
    spikes, states = simulate(net, a.steps, read_external(a.input, net))
    names = node_names(doc)
    if a.spikes_out:
        write_rows(a.spikes_out, "step,node,index",
                   recorded(doc, spikes, a.record_sources), names)
    if a.state_out:
        write_rows(a.state_out, "step,node,index,u,v", states, names)
    return 0


if __name__ == "__main__":
    sys.exit(main())
