"""cjimg.py - read a Cajal chip image (.cjimg, format version 9) into numpy.

The peer benchmark needs every compartment's integer parameters and every
synapse of an image with 10^7 synapses and more. `cajal inspect --json`
prints one line per synapse (hundreds of MB at that size), so this module
reads the binary file directly, as docs/chip-image.md ("File format,
version 9") lays it out (zstd-compressed cores through python3-zstandard,
byte-plane columns), and unpacks the synapse words with vectorised
numpy: per group, synapse i sits in word firstWord + i // P at bit offset
(i % P) * B. The result is flattened into a global numbering (compartment
g = compartment base of its core + local index, likewise for input axons)
and expanded into one (pre, post, weight, delay) list per spike origin:
compartments (via their output axons) and host-source channels.

The neuron programs (PRGS) are read whole: every program's state word
declarations (width, signedness, wrap or saturate, initial value), parameter
words, constants, lookup tables, refractory counter, idle rule and code
words. Each
compartment's program and parameter words are resolved as the C++ loader's
chip::resolvePrograms does (tests/crosscheck/neurocore.py: a population's
program, or the LIF-family program its record's flags name with the
record's words, lifParamWords); Network.programs, comp_program and
param_words hold the result.

The checksum and the profile fingerprint are not checked here: the C++
loader (`cajal run`) checks both on the same file in the same benchmark run.
The neuron and synapse formats come from the profile file the image names
(resolved through "base" as the C++ loader does); profile_formats() is
checked against `cajal inspect --json` by tests/peer.
"""

import json
import os
import struct
import sys

import numpy as np
import zstandard

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tests", "crosscheck"))
import neurocore  # noqa: E402

COMPARTMENT = np.dtype([("decayU", "<u2"), ("decayV", "<u2"),
                        ("biasMantissa", "<i2"), ("biasExponent", "u1"),
                        ("refractory", "u1"), ("thresholdMantissa", "<u4"),
                        ("vminExponent", "u1"), ("vmaxExponent", "u1"),
                        ("flags", "u1")])
AXON = np.dtype([("firstWord", "<u4"), ("synapseCount", "<u4"),
                 ("weightBits", "u1"), ("weightExponent", "i1"),
                 ("hasDelay", "u1"), ("learning", "<u4"), ("reward", "u1")])
FLAG_RESET_BY_SUBTRACTION = 1
FLAG_NO_SPIKE = 2
SOURCE_KINDS = {0: "external", 1: "file", 2: "poisson", 3: "periodic",
                4: "poisson_group"}
# Population::kLifByRecord: the LIF program each compartment's record names.
LIF_BY_RECORD = 0xFFFFFFFF
# Image::formatVersion of the layout this module reads.
IMAGE_VERSION = 9
# InputAxon::kNoLearning: a group of fixed synapses.
NO_LEARNING = 0xFFFFFFFF


class ImageError(Exception):
    """A malformed image or profile; the message names the file."""


def load_profile(path, seen=()):
    """Field name -> value of a profile file, with "base" resolved."""
    if path in seen:
        raise ImageError(f"{path}: profile base cycle")
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise ImageError(f"{path}: cannot read profile: {e}") from e
    fields = {}
    if "base" in doc:
        base = os.path.join(os.path.dirname(path), doc["base"] + ".json")
        fields = load_profile(base, seen + (path,))
    fields.update({k: v["value"] for k, v in doc["fields"].items()})
    return fields


def profile_formats(fields):
    """(neuron format, synapse format) dicts keyed as in the image JSON."""
    neuron = {k.split(".", 1)[1]: v for k, v in fields.items()
              if k.startswith("neuron.")}
    synapse = {k.split(".", 1)[1]: v for k, v in fields.items()
               if k.startswith("synapse.")}
    return neuron, synapse


class _Reader:
    """Little-endian cursor over the file's bytes."""

    def __init__(self, data, path):
        self.data, self.pos, self.path = data, 0, path

    def need(self, n, what):
        if self.pos + n > len(self.data):
            raise ImageError(f"{self.path}: truncated at offset {self.pos} "
                             f"reading {what}")

    def scalar(self, fmt, what):
        n = struct.calcsize(fmt)
        self.need(n, what)
        (v,) = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += n
        return v

    def u8(self, what):
        return self.scalar("B", what)

    def u32(self, what):
        return self.scalar("I", what)

    def u64(self, what):
        return self.scalar("Q", what)

    def string(self, what):
        n = self.u32(what)
        self.need(n, what)
        s = bytes(self.data[self.pos:self.pos + n]).decode("utf-8")
        self.pos += n
        return s

    def array(self, dtype, count, what):
        dtype = np.dtype(dtype)
        self.need(dtype.itemsize * count, what)
        a = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += dtype.itemsize * count
        return a

    def counted(self, dtype, what):
        return self.array(dtype, self.u32(what + " count"), what)


def _planes(r, dtype, count, what, delta=False):
    """`count` values stored as byte planes (byte 0 of every value, then
    byte 1, ...); with `delta`, as differences from the value before."""
    dtype = np.dtype(dtype)
    raw = r.array("u1", dtype.itemsize * count, what)
    values = np.ascontiguousarray(raw.reshape(dtype.itemsize, count).T)
    values = values.view(dtype.newbyteorder("<")).reshape(count)
    if delta:
        values = np.cumsum(values, dtype=dtype)
    return values


def _read_columns(r, where):
    core = {"position": (r.u32(where), r.u32(where), r.u32(where))}
    core["compartments"] = r.counted(COMPARTMENT, where + " compartments")
    n = r.u32(where + " input axon count")
    axons = np.zeros(n, dtype=AXON)
    axons["firstWord"] = _planes(r, "u4", n, where + " firstWord", delta=True)
    axons["synapseCount"] = _planes(r, "u4", n, where + " synapseCount")
    axons["weightBits"] = _planes(r, "u1", n, where + " weightBits")
    axons["weightExponent"] = _planes(r, "i1", n, where + " weightExponent")
    axons["hasDelay"] = _planes(r, "u1", n, where + " hasDelay")
    axons["learning"] = _planes(r, "u4", n, where + " learning")
    axons["reward"] = _planes(r, "u1", n, where + " reward")
    if np.any(axons["learning"] != NO_LEARNING) or np.any(axons["reward"]):
        raise ImageError(f"{r.path}: {where} has learning or reward "
                         "synapses; this reader takes fixed weights only")
    core["axons"] = axons
    core["words"] = _planes(r, "u8", r.u32(where), where + " synapse words")
    core["outputBegin"] = _planes(r, "u4", r.u32(where), where + " outputBegin",
                                  delta=True)
    n = r.u32(where + " output axon count")
    targets = np.empty((n, 2), dtype=np.uint32)
    targets[:, 0] = _planes(r, "u4", n, where + " output core", delta=True)
    targets[:, 1] = _planes(r, "u4", n, where + " output inputAxon")
    core["outputAxons"] = targets.reshape(-1)
    core["paramBegin"] = r.counted("<u4", where + " paramBegin")
    core["paramWords"] = r.counted("<i8", where + " parameter words")
    core["initialBegin"] = r.counted("<u4", where + " initialBegin")
    core["initialWords"] = r.counted("<i4", where + " initial state words")
    return core


def _read_core(r, index, end):
    """A CORE body: encoding 0 (columns as they are) or 1 (u64 length, then
    the columns as one zstd frame)."""
    where = f"core {index}"
    encoding = r.u8(where + " encoding")
    if encoding == 0:
        return _read_columns(r, where)
    if encoding != 1:
        raise ImageError(f"{r.path}: {where}: unknown core encoding {encoding}")
    length = r.u64(where + " column length")
    if length > (end - r.pos) << 15:  # zstd expands at most 2^15-fold
        raise ImageError(f"{r.path}: {where}: compressed columns state "
                         f"{length} bytes, more than {end - r.pos} "
                         "compressed bytes can hold")
    columns = zstandard.ZstdDecompressor().decompress(
        bytes(r.data[r.pos:end]), max_output_size=length)
    if len(columns) != length:
        raise ImageError(f"{r.path}: {where}: the zstd frame holds "
                         f"{len(columns)} bytes, the section states {length}")
    r.pos = end
    return _read_columns(_Reader(memoryview(columns), r.path), where)


def _read_sources(r):
    sources = []
    for i in range(r.u32("source count")):
        w = f"source {i}"
        s = {"name": r.string(w), "kind": SOURCE_KINDS.get(r.u8(w), "?"),
             "size": r.u32(w), "probability": r.u32(w), "seed": r.u64(w),
             "period": r.u32(w), "phase": r.u32(w)}
        s["spikes"] = r.array("<u4", 2 * r.u32(w), w + " spikes").reshape(-1, 2)
        s["targetBegin"] = r.counted("<u4", w + " targetBegin")
        s["targets"] = r.array("<u4", 2 * r.u32(w), w + " targets").reshape(-1, 2)
        sources.append(s)
    return sources


def _per_compartment(path, ci, begin, words, ncomp, what, table):
    """Core ci's words per compartment from a prefix-offset table (None for
    every compartment when the table is empty)."""
    begin = begin.astype(np.int64)
    if len(begin) == 0:
        if len(words):
            raise ImageError(f"{path}: core {ci}: {len(words)} {what} but no "
                             f"{table} table")
        return [None] * ncomp
    if len(begin) != ncomp + 1 or begin[0] != 0 or \
            begin[-1] != len(words) or (np.diff(begin) < 0).any():
        raise ImageError(f"{path}: core {ci}: {table} has {len(begin)} "
                         f"entries, expected {ncomp + 1} non-decreasing from "
                         f"0 to {len(words)}")
    return [words[begin[k]:begin[k + 1]] for k in range(ncomp)]


def _flag(r, what):
    """A u8 that must be 0 or 1."""
    at = r.pos
    v = r.u8(what)
    if v > 1:
        raise ImageError(f"{r.path}: {what}: flag byte {v} at offset {at} "
                         "(expected 0 or 1)")
    return bool(v)


def _read_program(r, i):
    """One PRGS entry (docs/chip-image.md) as a neurocore.Program."""
    w = f"program {i}"
    name = r.string(w + " name")
    w = f"program {i} ({name!r})"
    state = []
    for k in range(r.u32(w + " state word count")):
        sw = f"{w} state word s{k}"
        sname = r.string(sw)
        bits, signed = r.u8(sw + " bits"), _flag(r, sw + " signed")
        overflow = r.u8(sw + " overflow")
        if overflow > 1:
            raise ImageError(f"{r.path}: {sw} ({sname}): overflow rule "
                             f"{overflow} (0 wrap, 1 saturate)")
        initial = r.scalar("i", sw + " initial")
        state.append(neurocore.StateWord(sname, bits, signed, overflow == 1,
                                         initial))
    params = []
    for k in range(r.u32(w + " parameter word count")):
        pw = f"{w} parameter word p{k}"
        params.append(neurocore.ParamWord(r.string(pw), r.u8(pw + " bits"),
                                          _flag(r, pw + " signed")))
    constants = tuple(int(c) for c in r.counted("<i8", w + " constants"))
    tables = []
    for t in range(r.u32(w + " lookup table count")):
        tw = f"{w} lookup table t{t}"
        origin = r.scalar("q", tw + " origin")
        shift = r.u8(tw + " shift")
        entries = tuple(int(y) for y in r.counted("<i4", tw + " entries"))
        tables.append(neurocore.LookupTable(origin, shift, entries))
    refractory_word = r.scalar("i", w + " refractoryWord")
    kind, index = r.u8(w + " refractory period kind"), r.u8(
        w + " refractory period index")
    if kind > 5 or index > 15:
        raise ImageError(f"{r.path}: {w}: refractory period operand kind "
                         f"{kind} index {index} (kind 0..5, index 0..15)")
    skip_idle = _flag(r, w + " skipIdle")
    idle_params = r.u32(w + " idleParams")
    code = tuple(int(x) for x in r.counted("<u8", w + " code"))
    return neurocore.Program(name, tuple(state), tuple(params), constants,
                             refractory_word, (kind, index), skip_idle,
                             idle_params, code, tuple(tables))


def _read_programs(r):
    """Every program of PRGS, in order."""
    return [_read_program(r, i) for i in range(r.u32("program count"))]


def _read_populations(r, programs):
    pops = []
    for i in range(r.u32("population count")):
        w = f"population {i}"
        p = {"name": r.string(w), "size": r.u32(w),
             "recordSpikes": _flag(r, w + " recordSpikes"),
             "recordState": _flag(r, w + " recordState"),
             "program": r.u32(w)}
        if p["program"] != LIF_BY_RECORD and p["program"] >= len(programs):
            raise ImageError(f"{r.path}: population {p['name']!r}: program "
                             f"index {p['program']} out of range (image has "
                             f"{len(programs)} programs)")
        p["slices"] = r.array("<u4", 4 * r.u32(w), w + " slices").reshape(-1, 4)
        p["aliases"] = [r.string(w) for _ in range(r.u32(w + " alias count"))]
        # Each neuron's dendritic tree: (name, program, parent) in update
        # order; the Brian2 side translates point neurons only.
        p["tree"] = [(r.string(w), r.u32(w), r.u32(w))
                     for _ in range(r.u32(w + " tree compartment count"))]
        if p["tree"]:
            raise ImageError(f"{r.path}: population {p['name']!r} has "
                             "dendritic trees; this reader takes point "
                             "neurons only")
        # y1, y2, y3: impulse, impulse fraction, decay each (learning).
        r.array("<u4", 9, w + " post-synaptic traces")
        pops.append(p)
    return pops


def read_raw(path):
    """The image's sections as dicts of numpy arrays (no expansion)."""
    with open(path, "rb") as f:
        data = memoryview(f.read())
    r = _Reader(data, path)
    r.need(12, "preamble")
    if bytes(data[:8]) != b"CAJALIMG":
        raise ImageError(f'{path}: not a chip image: wrong magic')
    r.pos = 8
    version = r.u32("version")
    if version < IMAGE_VERSION:
        raise ImageError(f"{path}: image format version {version} is no "
                         f"longer read (this reader reads version "
                         f"{IMAGE_VERSION}, which stores learning synapses); recompile the "
                         "network with "
                         f"`cajal compile` to get a version {IMAGE_VERSION} "
                         "image")
    if version != IMAGE_VERSION:
        raise ImageError(f"{path}: unsupported image version {version} "
                         f"(this reader reads version {IMAGE_VERSION})")
    image = {"cores": [], "path": path}
    while r.pos < len(data):
        r.need(12, "section header")
        tag = bytes(data[r.pos:r.pos + 4]).decode("ascii", "replace")
        r.pos += 4
        end = r.u64(tag + " length") + r.pos
        if tag == "HEAD":
            image["fingerprint"] = r.u64("HEAD")
            image["profile"] = r.string("HEAD")
            image["coreCount"] = r.u32("HEAD")
        elif tag == "CORE":
            image["cores"].append(_read_core(r, len(image["cores"]), end))
        elif tag == "SRCS":
            image["sources"] = _read_sources(r)
        elif tag == "PRGS":
            image["programs"] = _read_programs(r)
        elif tag == "POPS":
            image["populations"] = _read_populations(r, image.get("programs", []))
        r.pos = end
    if "populations" not in image or "sources" not in image:
        raise ImageError(f"{path}: missing SRCS or POPS section")
    return image


def ranges(begin, rows):
    """Indices of all entries of CSR rows `rows`, rows in the given order."""
    rows = np.asarray(rows, dtype=np.int64)
    lengths = begin[rows + 1] - begin[rows]
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), lengths
    starts = np.repeat(begin[rows] - np.cumsum(lengths) + lengths, lengths)
    return starts + np.arange(total, dtype=np.int64), lengths


def synaptic_weight(mantissa, exponent, shift):
    """mantissa << (shift + exponent), a negative shift rounding toward 0."""
    total = shift + exponent.astype(np.int64)
    mag = np.abs(mantissa).astype(np.int64)
    scaled = np.where(total >= 0, mag << np.maximum(total, 0),
                      mag >> np.maximum(-total, 0))
    return np.where(mantissa < 0, -scaled, scaled)


def _unpack_core(core, comp_base, sf):
    """(target compartment, weight, delay) of every synapse, axon by axon."""
    axons = core["axons"]
    count = axons["synapseCount"].astype(np.int64)
    n = int(count.sum())
    cib = sf["compartmentIndexBits"]
    wb = axons["weightBits"].astype(np.int64)
    has_delay = axons["hasDelay"].astype(bool)
    bits = cib + 1 + wb + np.where(has_delay, sf["delayBits"], 0)
    per_word = sf["wordBits"] // bits
    rep = lambda a: np.repeat(a, count)
    k = np.arange(n, dtype=np.int64) - rep(np.cumsum(count) - count)
    word = core["words"][rep(axons["firstWord"].astype(np.int64))
                         + k // rep(per_word)]
    b, w = rep(bits), rep(wb)
    field = (word >> ((k % rep(per_word)) * b).astype(np.uint64)) \
        & ((np.uint64(1) << b.astype(np.uint64)) - np.uint64(1))
    field = field.astype(np.int64)
    target = (field & ((1 << cib) - 1)) + comp_base
    mag = (field >> (cib + 1)) & ((1 << w) - 1)
    mant = np.where((field >> cib) & 1, -mag, mag)
    delay = np.where(rep(has_delay),
                     (field >> (cib + 1 + w)) & ((1 << sf["delayBits"]) - 1), 1)
    weight = synaptic_weight(mant, rep(axons["weightExponent"]),
                             sf["weightShift"])
    return target, weight, delay


class Network:
    """An image flattened to global compartments and expanded synapses.

    Attributes: n (compartments), params (COMPARTMENT record per global
    compartment), syn_begin/syn_target/syn_weight/syn_delay (CSR over global
    input axons), out_pre/out_axon (the output axons as (compartment, global
    input axon) pairs), sources,
    populations with pop_comps[p][neuron] = global compartment.
    """

    def __init__(self, raw, neuron_format, synapse_format):
        self.nf, self.sf = neuron_format, synapse_format
        cores = raw["cores"]
        self.comp_base = np.cumsum(
            [0] + [len(c["compartments"]) for c in cores]).astype(np.int64)
        self.axon_base = np.cumsum(
            [0] + [len(c["axons"]) for c in cores]).astype(np.int64)
        self.n = int(self.comp_base[-1])
        self.params = np.concatenate([c["compartments"] for c in cores]) \
            if cores else np.zeros(0, COMPARTMENT)
        parts = [_unpack_core(c, self.comp_base[i], synapse_format)
                 for i, c in enumerate(cores)]
        counts = np.concatenate([c["axons"]["synapseCount"] for c in cores]
                                + [np.zeros(0, np.uint32)]).astype(np.int64)
        self.syn_begin = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        cat = lambda i: np.concatenate([p[i] for p in parts]
                                       + [np.zeros(0, np.int64)])
        self.syn_target, self.syn_weight, self.syn_delay = cat(0), cat(1), cat(2)
        self._outputs(cores)
        self.sources = raw["sources"]
        self.populations = raw["populations"]
        self._populations()
        self._programs(raw)

    def _global_axons(self, pairs):
        pairs = pairs.reshape(-1, 2).astype(np.int64)
        return self.axon_base[pairs[:, 0]] + pairs[:, 1]

    def _outputs(self, cores):
        pre, axon = [], []
        for ci, c in enumerate(cores):
            per = np.diff(c["outputBegin"].astype(np.int64))
            pre.append(self.comp_base[ci]
                       + np.repeat(np.arange(len(per), dtype=np.int64), per))
            axon.append(self._global_axons(c["outputAxons"]))
        self.out_pre = np.concatenate(pre + [np.zeros(0, np.int64)])
        self.out_axon = np.concatenate(axon + [np.zeros(0, np.int64)])

    def _populations(self):
        self.pop_comps = []
        for p in self.populations:
            comps = np.zeros(p["size"], dtype=np.int64)
            for core, first_comp, first_neuron, count in p["slices"]:
                idx = np.arange(count, dtype=np.int64)
                comps[first_neuron + idx] = self.comp_base[core] + first_comp + idx
            self.pop_comps.append(comps)

    def _programs(self, raw):
        """Each compartment's program, parameter words (param_words, n x 16)
        and initial state words, as chip::resolvePrograms resolves them."""
        path = raw.get("path", "image")
        core_words, self.initial_words = [], []
        for ci, c in enumerate(raw["cores"]):
            ncomp = len(c["compartments"])
            core_words += _per_compartment(
                path, ci, c["paramBegin"], c["paramWords"], ncomp,
                "parameter words", "paramBegin")
            self.initial_words += _per_compartment(
                path, ci, c["initialBegin"], c["initialWords"], ncomp,
                "initial state words", "initialBegin")
        pops = [(p["name"], None if p["program"] == LIF_BY_RECORD
                 else p["program"], comps)
                for p, comps in zip(self.populations, self.pop_comps)]
        try:
            self.programs, self.lif_family, self.comp_program = \
                neurocore.resolve(raw.get("programs", []), pops, self.params,
                                  self.nf)
            self.param_words = neurocore.param_matrix(
                self.programs, self.lif_family, self.comp_program,
                self.params, core_words, self.nf,
                neurocore.compartment_namer(self.comp_base, pops))
        except neurocore.ProgramError as e:
            raise ImageError(f"{path}: {e}") from e

    def program_compartments(self):
        """(program, global compartments running it) for every program."""
        return [(p, np.nonzero(self.comp_program == i)[0])
                for i, p in enumerate(self.programs)]

    def expand(self, origin, axons):
        """(origin, target, weight, delay) of every synapse reached when each
        origin[k] sends to global input axon axons[k]."""
        syn, lengths = ranges(self.syn_begin, axons)
        return (np.repeat(origin, lengths), self.syn_target[syn],
                self.syn_weight[syn], self.syn_delay[syn])

    def compartment_synapses(self):
        """Synapses of the compartments: (pre, post, weight, delay)."""
        return self.expand(self.out_pre, self.out_axon)

    def source_synapses(self, source):
        """Synapses of a source's channels: (channel, post, weight, delay)."""
        begin = source["targetBegin"].astype(np.int64)
        channel = np.repeat(np.arange(len(begin) - 1, dtype=np.int64),
                            np.diff(begin))
        return self.expand(channel, self._global_axons(source["targets"]))


def default_profile_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("CAJAL_PROFILE_DIR",
                          os.path.join(here, "..", "..", "chip", "profiles"))


def load(path, profile_dir=None):
    """Read `path` and expand it with the formats of the profile it names."""
    raw = read_raw(path)
    profile_dir = profile_dir or default_profile_dir()
    fields = load_profile(os.path.join(profile_dir, raw["profile"] + ".json"))
    nf, sf = profile_formats(fields)
    return Network(raw, nf, sf)
