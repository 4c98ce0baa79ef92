"""neurocore.py - the neurocore instruction set in numpy, exact.

A Python model of docs/neurocore-isa.md written from the spec: programs
(state and parameter word declarations, constants, the 64-bit code words),
the LIF-family programs and parameter words a compartment record names
(StandardPrograms.h: lifProgram, lifParamWords), and an interpreter that
advances many compartments, each running its own program, by one update.
It is the neuron model of the numpy reference (reference.py) and of the
Brian2 peer's image reader (bench/peer-brian2/cjimg.py), and is checked
against the C++ reference interpreter by run_programs.py.

How the interpreter vectorises: every compartment has one row of 64-bit
operand columns (none, r0..r15, s0..s15, p0..p15, c0..c15, q, spiked, and a
sink for writes that go nowhere). Instruction slot k of every program runs
at once, grouped by opcode: the operands are gathered from each row's
columns, the result is scattered to each row's destination column, narrowed
to the state word's declaration when the destination is a state word. A
REFR that halts and the idle skip take rows out of the rest of the update.
Arithmetic is numpy int64, which wraps modulo 2^64 as the ISA does; the
multiplier's 96-bit products (MULSHR, DECAY) are formed in int64 when the
operands' magnitudes make that exact and in Python integers otherwise.
LUT clamps in int64 without forming a - origin outside the table and splits
the up-to-80-bit product (y_(k+1) - y_k) * f into two int64 products, each
below 2^56, so it is exact in int64 for every row (lookup()).
"""

from dataclasses import dataclass, field

import numpy as np

# Opcodes (docs/neurocore-isa.md, "Instructions"; never renumbered).
NOP, MOV, ADD, SUB, MULSHR, DECAY, SHL, SHR, MIN, MAX, CLIP, SAT, WRAP, \
    CMPGT, CMPGE, CMPEQ, SEL, REFR, FIRE, LUT = range(20)
OPCODE_COUNT = 20
MNEMONICS = ["NOP", "MOV", "ADD", "SUB", "MULSHR", "DECAY", "SHL", "SHR",
             "MIN", "MAX", "CLIP", "SAT", "WRAP", "CMPGT", "CMPGE", "CMPEQ",
             "SEL", "REFR", "FIRE", "LUT"]
# Operand kinds.
NONE, REG, STATE, PARAM, CONST, INPUT = range(6)
KIND_NAMES = ["none", "reg", "state", "param", "const", "input"]
INPUT_Q, INPUT_SPIKED = 0, 1
# MULSHR rounding and FIRE reset (mode field).
ROUND_FLOOR, ROUND_ZERO, ROUND_HALF = 0, 1, 2
RESET_ZERO, RESET_SUB, RESET_NEVER, RESET_TO = 0, 1, 2, 3
MULTIPLIER_BITS = 48
MAX_INDEX = 16
# Lookup tables (docs/neurocore-isa.md, "LUT").
MAX_TABLES = 16
MAX_LOOKUP_SHIFT = 46


class ProgramError(Exception):
    """A program this model cannot run; the message names the value."""


@dataclass(frozen=True)
class StateWord:
    name: str
    bits: int
    signed: bool
    saturate: bool
    initial: int


@dataclass(frozen=True)
class ParamWord:
    name: str
    bits: int
    signed: bool


@dataclass(frozen=True)
class LookupTable:
    """chip::LookupTable: entry k is the function at origin + k * 2^shift."""
    origin: int
    shift: int
    entries: tuple


@dataclass(frozen=True)
class Program:
    """chip::Program: equal programs compare equal (resolvePrograms)."""
    name: str
    state: tuple
    params: tuple
    constants: tuple
    refractory_word: int = -1
    refractory_period: tuple = (NONE, 0)   # (kind, index)
    skip_idle: bool = False
    idle_params: int = 0
    code: tuple = field(default=())
    tables: tuple = field(default=())   # LookupTable each, t0 ...


@dataclass(frozen=True)
class Instruction:
    op: int
    d: tuple
    a: tuple
    b: tuple
    c: tuple
    imm: int
    mode: int


def decode(word):
    """Split a 64-bit instruction word into its fields (no judging)."""
    word = int(word)
    operand = lambda shift: ((word >> (shift + 4)) & 7, (word >> shift) & 15)
    return Instruction(word & 0x3F, operand(6), operand(13), operand(20),
                       operand(27), (word >> 34) & 0x3F, (word >> 40) & 3)


def encode(op, d=(NONE, 0), a=(NONE, 0), b=(NONE, 0), c=(NONE, 0), imm=0,
           mode=0):
    operand = lambda o: (o[0] << 4) | o[1]
    return (op | operand(d) << 6 | operand(a) << 13 | operand(b) << 20
            | operand(c) << 27 | imm << 34 | mode << 40)


def word_min(bits, signed):
    return -(1 << (bits - 1)) if signed else 0


def word_max(bits, signed):
    return (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1


def stored_state_value(stored, signed):
    """A state word's value as read: the image stores an int32, an unsigned
    word reads its 32 bits zero-extended."""
    return stored if signed else stored & 0xFFFFFFFF


def initial_value(word):
    """A state word's initial value as read."""
    return stored_state_value(word.initial, word.signed)


def initial_state(programs, comp_program, own):
    """(n, max state words) int64: each compartment's state before step 0,
    its own words (own[c], from the image's initial state table) where it
    has them, else its program's initial values; values as read."""
    n = len(comp_program)
    width = max([len(p.state) for p in programs] + [0])
    state = np.zeros((n, width), dtype=np.int64)
    for pi, p in enumerate(programs):
        rows = np.nonzero(np.asarray(comp_program) == pi)[0]
        for i, w in enumerate(p.state):
            state[rows, i] = initial_value(w)
    for c, words in enumerate(own or []):
        if words is None or len(words) == 0:
            continue
        decl = programs[comp_program[c]].state
        for i, w in enumerate(words):
            state[c, i] = stored_state_value(int(w), decl[i].signed)
    return state


def check_program(program):
    """What the interpreter relies on beyond the decoder's field ranges:
    known opcodes, widths, counts and the refractory fields. The C++ loader
    validates everything else (validateProgram) on the same image."""
    p = program
    where = f"program {p.name!r}"
    if not p.state:
        raise ProgramError(f"{where}: declares no state word")
    for what, n in [("state", len(p.state)), ("parameter", len(p.params)),
                    ("constant", len(p.constants))]:
        if n > MAX_INDEX:
            raise ProgramError(f"{where}: {n} {what} words (at most 16)")
    for i, w in enumerate(p.state):
        if not 1 <= w.bits <= 32:
            raise ProgramError(f"{where}: state word s{i} ({w.name}) has "
                               f"{w.bits} bits (1 .. 32)")
        if not word_min(w.bits, w.signed) <= initial_value(w) <= word_max(
                w.bits, w.signed):
            raise ProgramError(f"{where}: state word s{i} ({w.name}) initial "
                               f"value {initial_value(w)} is outside its "
                               f"{w.bits}-bit "
                               f"{'signed' if w.signed else 'unsigned'} range")
    for i, w in enumerate(p.params):
        if not 1 <= w.bits <= 64:
            raise ProgramError(f"{where}: parameter word p{i} ({w.name}) has "
                               f"{w.bits} bits (1 .. 64)")
    if p.refractory_word >= len(p.state):
        raise ProgramError(f"{where}: refractory counter s{p.refractory_word}"
                           f" is not a declared state word")
    kind, index = p.refractory_period
    if p.refractory_word >= 0 and not (
            (kind == PARAM and index < len(p.params))
            or (kind == CONST and index < len(p.constants))):
        raise ProgramError(f"{where}: refractory period operand "
                           f"{KIND_NAMES[kind] if kind < 6 else kind} "
                           f"{index} is not a declared word")
    if len(p.tables) > MAX_TABLES:
        raise ProgramError(f"{where}: {len(p.tables)} lookup tables (at most "
                           f"{MAX_TABLES})")
    for t, table in enumerate(p.tables):
        check_table(table, f"{where}: lookup table t{t}")
    for k, word in enumerate(p.code):
        op = int(word) & 0x3F
        if op >= OPCODE_COUNT:
            raise ProgramError(f"{where}: instruction {k}: unknown opcode "
                               f"{op}")
        if op == REFR and p.refractory_word < 0:
            raise ProgramError(f"{where}: instruction {k}: REFR without a "
                               "refractory counter")
        if op == LUT and decode(word).imm >= len(p.tables):
            raise ProgramError(f"{where}: instruction {k}: LUT of table "
                               f"t{decode(word).imm}, the program declares "
                               f"{len(p.tables)}")


def check_table(table, where):
    """What lookup() relies on: at least 2 int32 entries, shift 0 .. 46 and
    a last node origin + n * 2^shift that is a 64-bit value."""
    if len(table.entries) < 2:
        raise ProgramError(f"{where}: {len(table.entries)} entries (at least "
                           "2)")
    if not 0 <= table.shift <= MAX_LOOKUP_SHIFT:
        raise ProgramError(f"{where}: shift {table.shift} (0 .. "
                           f"{MAX_LOOKUP_SHIFT})")
    if not -(1 << 63) <= table.origin < (1 << 63):
        raise ProgramError(f"{where}: origin {table.origin} is not a 64-bit "
                           "value")
    last = table.origin + ((len(table.entries) - 1) << table.shift)
    if last >= (1 << 63):
        raise ProgramError(f"{where}: last node {last} (origin "
                           f"{table.origin} + {len(table.entries) - 1} * "
                           f"2^{table.shift}) is not a 64-bit value")
    for k, y in enumerate(table.entries):
        if not -(1 << 31) <= y < (1 << 31):
            raise ProgramError(f"{where}: entry {k} = {y} is not a 32-bit "
                               "value")


# ---------------------------------------------------------------------------
# The LIF family (StandardPrograms.cpp), built from the neuron format as the
# C++ loader builds it for a compartment that runs its record's program.

LIF_RESETS = {"lif": RESET_ZERO, "lif-subtract": RESET_SUB, "li": RESET_NEVER}
FLAG_RESET_BY_SUBTRACTION = 1
FLAG_NO_SPIKE = 2


def lif_program(nf, name):
    """lifProgram(nf, reset) for name "lif", "lif-subtract" or "li"."""
    r, s, p = (lambda i: (REG, i)), (lambda i: (STATE, i)), \
        (lambda i: (PARAM, i))
    dw = nf["decayBits"] + 1
    state = (StateWord("u", nf["currentBits"], True, False, 0),
             StateWord("v", 32, True, True, 0),
             StateWord("refractory", 8, False, False, 0))
    params = (ParamWord("decayU1", dw, False), ParamWord("decayV", dw, False),
              ParamWord("bias", 64, True), ParamWord("vmin", 64, True),
              ParamWord("vmax", 64, True), ParamWord("threshold", 64, True),
              ParamWord("refractory", 8, False))
    code = (encode(SAT, r(0), (INPUT, INPUT_Q), imm=nf["accumulatorBits"]),
            encode(DECAY, r(1), s(0), p(0), imm=nf["decayBits"]),
            encode(ADD, s(0), r(1), r(0)),
            encode(DECAY, r(2), s(1), p(1), imm=nf["decayBits"]),
            encode(ADD, r(2), r(2), s(0)),
            encode(ADD, r(2), r(2), p(2)),
            encode(CLIP, r(2), r(2), p(3), p(4)),
            encode(REFR, s(1)),
            encode(FIRE, s(1), r(2), p(5), mode=LIF_RESETS[name]))
    return Program(name, state, params, (), 2, (PARAM, 6), True, 1 << 2, code)


def lif_program_name(flags):
    """lifResetOf: the LIF program a record's flags name."""
    if flags & FLAG_NO_SPIKE:
        return "li"
    return "lif-subtract" if flags & FLAG_RESET_BY_SUBTRACTION else "lif"


def lif_param_words(records, nf):
    """lifParamWords for an array of compartment records (fields named as in
    the image: decayU, decayV, biasMantissa, ...): an (n, 7) int64 array."""
    col = lambda k: np.asarray(records[k], dtype=np.int64)
    one = np.int64(1)
    return np.stack([
        col("decayU") + 1, col("decayV"),
        col("biasMantissa") * (one << col("biasExponent")),
        1 - (one << col("vminExponent")),
        (one << (nf["vmaxBase"] + 2 * col("vmaxExponent"))) - 1,
        col("thresholdMantissa") << nf["thresholdShift"],
        col("refractory")], axis=1).reshape(-1, 7)


def compartment_namer(core_base, populations):
    """describe(c) for param_matrix: 'population "p": core k compartment
    l' (or without the population), as the C++ loader names them."""
    core_base = np.asarray(core_base, dtype=np.int64)
    owner = {}
    for name, _, comps in populations:
        for c in np.asarray(comps).tolist():
            owner[c] = name

    def describe(c):
        core = int(np.searchsorted(core_base, c, side="right") - 1)
        where = f"core {core} compartment {c - int(core_base[core])}"
        return f"population {owner[c]!r}: {where}" if c in owner else where
    return describe


def resolve(programs, populations, records, nf):
    """chip::resolvePrograms in Python. `programs`: the image's Program
    list; `populations`: (name, program index or None for kLifByRecord,
    global compartment array) each; `records`: every compartment's record
    (its "flags" are used). Returns (program list, lif_family flags,
    per-compartment program index); programs no compartment runs may be in
    the list. Raises ProgramError for a record whose flags name another LIF
    program than its population's, or a program index out of range."""
    lif = {name: lif_program(nf, name) for name in LIF_RESETS}
    resolved, family = [], []

    def intern(program):
        for i, q in enumerate(resolved):
            if q == program:
                return i
        resolved.append(program)
        family.append(program in lif.values())
        return len(resolved) - 1

    lif_index = {name: intern(p) for name, p in lif.items()}
    flags = np.asarray(records["flags"], dtype=np.int64)
    by_flags = np.where(flags & FLAG_NO_SPIKE, lif_index["li"],
                        np.where(flags & FLAG_RESET_BY_SUBTRACTION,
                                 lif_index["lif-subtract"], lif_index["lif"]))
    comp_program = by_flags.astype(np.int64)
    for name, index, comps in populations:
        if index is None:
            continue
        if index >= len(programs):
            raise ProgramError(f"population {name!r}: program {index} does "
                               f"not exist ({len(programs)} programs)")
        i = intern(programs[index])
        comps = np.asarray(comps, dtype=np.int64)
        if family[i] and (comp_program[comps] != i).any():
            bad = int(comps[comp_program[comps] != i][0])
            raise ProgramError(
                f"population {name!r}: compartment {bad} has flags that name "
                f"another LIF program than the population's "
                f"{programs[index].name!r}")
        comp_program[comps] = i
    for p in resolved:
        check_program(p)
    return resolved, family, comp_program


# ---------------------------------------------------------------------------
# The interpreter.

COL_NONE = 0
COL_REG, COL_STATE, COL_PARAM, COL_CONST = 1, 17, 33, 49
COL_Q, COL_SPIKED, COL_SINK = 65, 66, 67
COLUMNS = 68
I64 = np.int64
U64 = np.uint64
TWO63, TWO64 = 1 << 63, 1 << 64


def operand_column(kind, index):
    """The operand column a (kind, index) reads; None reads column 0."""
    if kind == REG:
        return COL_REG + index
    if kind == STATE:
        return COL_STATE + index
    if kind == PARAM:
        return COL_PARAM + index
    if kind == CONST:
        return COL_CONST + index
    if kind == INPUT:
        return COL_Q if index == INPUT_Q else COL_SPIKED
    return COL_NONE


def destination_column(kind, index):
    if kind == REG:
        return COL_REG + index
    if kind == STATE:
        return COL_STATE + index
    return COL_SINK


def wrap_bits(x, bits):
    """x (int64 array) reduced to `bits`-bit two's complement (1..64)."""
    s = (64 - np.asarray(bits)).astype(U64)
    return (x.view(U64) << s).view(I64) >> s.astype(I64)


def low64(values):
    """The low 64 bits, two's complement, of an object array of ints."""
    return np.array([((int(v) + TWO63) % TWO64) - TWO63 for v in values],
                    dtype=I64)


def mul_shr(a, b, shift, mode):
    """MULSHR over arrays: the exact product of the 48-bit ports, rounded."""
    a, b = wrap_bits(a, MULTIPLIER_BITS), wrap_bits(b, MULTIPLIER_BITS)
    big = int(np.abs(a).max(initial=0)) * int(np.abs(b).max(initial=0))
    if big < (1 << 62):
        p = a * b
        mag = np.abs(p) >> shift
        half = np.where(shift > 0, I64(1) << np.maximum(shift - 1, 0), 0)
        return np.where(mode == ROUND_ZERO, np.where(p < 0, -mag, mag),
                        np.where(mode == ROUND_HALF, (p + half) >> shift,
                                 p >> shift))
    out = []
    for x, y, s, m in zip(a.tolist(), b.tolist(), shift.tolist(),
                          mode.tolist()):
        p = x * y
        if m == ROUND_ZERO:
            r = -((-p) >> s) if p < 0 else p >> s
        elif m == ROUND_HALF:
            r = p if s == 0 else (p + (1 << (s - 1))) >> s
        else:
            r = p >> s
        out.append(r)
    return low64(out)


def decay_by(a, b, shift):
    """DECAY over arrays: sign(x) trunc(|x| (2^shift - w48(b)) / 2^shift)."""
    x = wrap_bits(a, MULTIPLIER_BITS)
    k = (I64(1) << shift) - wrap_bits(b, MULTIPLIER_BITS)
    big = int(np.abs(x).max(initial=0)) * int(np.abs(k).max(initial=0))
    if big < TWO63:
        t = np.abs(x) * k
        m = np.where(t < 0, -(np.abs(t) >> shift), t >> shift)
        return np.where(x < 0, -m, m)
    out = []
    for xv, kv, s in zip(x.tolist(), k.tolist(), shift.tolist()):
        t = abs(xv) * kv
        m = -(abs(t) >> s) if t < 0 else t >> s
        out.append(-m if xv < 0 else m)
    return low64(out)


# LUT's product (y_(k+1) - y_k) * f has up to 33 + 47 bits; f splits at
# this bit into two parts whose products with the difference stay below
# 2^56.
LOOKUP_SPLIT = 23


def lookup(a, origin, shift, segments, first, entries):
    """LUT over arrays, exact in int64: for each element, the table with
    `origin`, `shift`, `segments` (n = entries - 1) whose y_0 is
    entries[first] (entries: every table's entries, int64, one after
    another), read at a and interpolated half up."""
    a, origin, shift, segments, first = (np.asarray(x, dtype=I64) for x in (
        a, origin, shift, segments, first))
    span = segments << shift
    # a is clamped to the table's nodes first, so a - origin never wraps
    # (the validator keeps origin + span a 64-bit value).
    x = np.minimum(np.maximum(a, origin), origin + span) - origin
    k = np.minimum(x >> shift, segments - 1)
    f = x - (k << shift)
    low = entries[first + k]
    diff = entries[first + k + 1] - low
    # diff * f + half = diff * (f >> m) * 2^m + (diff * (f mod 2^m) + half);
    # dividing by 2^m and then by 2^(shift - m), each rounding down, is
    # dividing by 2^shift rounding down.
    m = np.minimum(shift, LOOKUP_SPLIT)
    half = np.where(shift > 0, I64(1) << np.maximum(shift - 1, 0), 0)
    inner = (diff * (f & ((I64(1) << m) - 1)) + half) >> m
    return low + ((diff * (f >> m) + inner) >> (shift - m))


def lookup_table(table, a):
    """LUT of one LookupTable at a (int64 array or scalar)."""
    a = np.asarray(a, dtype=I64)
    return lookup(a, table.origin, table.shift, len(table.entries) - 1, 0,
                  np.asarray(table.entries, dtype=I64))


def lookup_exact(table, a):
    """LUT of one table at one value, in Python integers, as the ISA page
    writes it (the check of lookup())."""
    n = len(table.entries) - 1
    x = min(max(int(a) - table.origin, 0), n << table.shift)
    k = min(x >> table.shift, n - 1)
    f = x - (k << table.shift)
    y0, y1 = table.entries[k], table.entries[k + 1]
    half = 1 << (table.shift - 1) if table.shift else 0
    return y0 + (((y1 - y0) * f + half) >> table.shift)


def edge_table(rng):
    """A random valid lookup table at the edges of the ranges (entries at
    the 32-bit limits, shifts around the product split, origins at the
    64-bit limits): for checking an implementation of LUT. rng: a
    random.Random."""
    n = rng.randint(2, 12)
    shift = rng.choice([0, 1, LOOKUP_SPLIT - 1, LOOKUP_SPLIT,
                        LOOKUP_SPLIT + 1, MAX_LOOKUP_SHIFT - 1,
                        MAX_LOOKUP_SHIFT, rng.randint(0, MAX_LOOKUP_SHIFT)])
    edge = [(1 << 31) - 1, -(1 << 31)]
    entries = tuple(rng.choice(edge + [rng.randint(-(1 << 31), (1 << 31) - 1)])
                    for _ in range(n))
    span = (n - 1) << shift
    origin = rng.choice([-(1 << 63), (1 << 63) - 1 - span,
                         rng.randint(-5000, 100),
                         rng.randint(-(1 << 63), (1 << 63) - 1 - span)])
    return LookupTable(origin, shift, entries)


def edge_values(rng, table):
    """64-bit values to read `table` at: anywhere, near and inside the
    table, at, next to and half-way between its nodes."""
    n, shift = len(table.entries) - 1, table.shift
    values = [rng.randint(-(1 << 63), (1 << 63) - 1) for _ in range(4)]
    values += [table.origin + rng.randint(-2, (n << shift) + 2)
               for _ in range(20)]
    values += [table.origin + (rng.randint(0, n) << shift) + d
               for d in (-1, 0, 1, (1 << shift) >> 1)]
    return [min(max(v, -(1 << 63)), (1 << 63) - 1) for v in values]


class Machine:
    """Compartments, each running its program, updated together.

    programs: list of Program; comp_program: program index per compartment;
    params: (n, max params) int64 parameter words per compartment (each
    inside its declared width). state: (n, 16) int64, each word's value as
    read (sign- or zero-extended by its declaration); it starts at the
    programs' initial values.
    """

    def __init__(self, programs, comp_program, params, initial=None):
        comp_program = np.asarray(comp_program, dtype=np.int64)
        n = len(comp_program)
        self.n = n
        self.programs = programs
        self.comp_program = comp_program
        self.values = np.zeros((n, COLUMNS), dtype=I64)
        params = np.asarray(params, dtype=I64).reshape(n, -1)
        self.values[:, COL_PARAM:COL_PARAM + params.shape[1]] = params
        # Per compartment: the declarations its state writes obey, the idle
        # rule and the refractory counter.
        self.bits = np.full((n, MAX_INDEX), 32, dtype=I64)
        self.signed = np.ones((n, MAX_INDEX), dtype=bool)
        self.saturate = np.zeros((n, MAX_INDEX), dtype=bool)
        self.skip_idle = np.zeros(n, dtype=bool)
        self.idle_mask = np.zeros((n, MAX_INDEX), dtype=bool)
        self.state_count = np.zeros(n, dtype=I64)
        self.refr_col = np.full(n, COL_SINK, dtype=I64)
        self.period_col = np.full(n, COL_NONE, dtype=I64)
        # Every program's tables, one after another: LUT of table t of
        # program pi reads global table table_base[pi] + t.
        table_base, origin, shift, segments, first, entries = [], [], [], \
            [], [], []
        for p in programs:
            table_base.append(len(origin))
            for t in p.tables:
                origin.append(t.origin)
                shift.append(t.shift)
                segments.append(len(t.entries) - 1)
                first.append(len(entries))
                entries.extend(t.entries)
        self.table_origin, self.table_shift, self.table_segments, \
            self.table_first = (np.array(x, dtype=I64) for x in (
                origin, shift, segments, first))
        self.table_entries = np.array(entries, dtype=I64)
        # LUT executions (compartment updates that ran one), and those that
        # interpolated strictly between two nodes: what a check of LUT saw.
        self.lut_executions = 0
        self.lut_interpolations = 0
        length = max([len(p.code) for p in programs] + [0])
        slot_rows = [[[] for _ in range(OPCODE_COUNT)] for _ in range(length)]
        decoded = [[decode(w) for w in p.code] for p in programs]
        for pi, p in enumerate(programs):
            rows = np.nonzero(comp_program == pi)[0]
            if len(rows) == 0:
                continue
            ns = len(p.state)
            self.state_count[rows] = ns
            for i, w in enumerate(p.state):
                self.bits[rows, i] = w.bits
                self.signed[rows, i] = w.signed
                self.saturate[rows, i] = w.saturate
                self.values[rows, COL_STATE + i] = initial_value(w)
            for i, c in enumerate(p.constants):
                self.values[rows, COL_CONST + i] = c
            self.skip_idle[rows] = p.skip_idle
            for i in range(len(p.params)):
                self.idle_mask[rows, i] = bool(p.idle_params >> i & 1)
            if p.refractory_word >= 0:
                self.refr_col[rows] = COL_STATE + p.refractory_word
                self.period_col[rows] = operand_column(*p.refractory_period)
            for k, ins in enumerate(decoded[pi]):
                slot_rows[k][ins.op].append((pi, rows))
        if initial is not None:
            # Compartments with initial words of their own (the image's
            # initial state table).
            start = initial_state(programs, comp_program, initial)
            self.values[:, COL_STATE:COL_STATE + start.shape[1]] = start
        # slots[k]: (opcode, rows, d, a, b, c columns, imm, mode, global
        # table) per opcode.
        self.slots = []
        for k in range(length):
            groups = []
            for op in range(OPCODE_COUNT):
                parts = slot_rows[k][op]
                if not parts:
                    continue
                rows = np.concatenate([r for _, r in parts])
                fields = [np.concatenate([
                    np.full(len(r), f(pi, decoded[pi][k]), dtype=I64)
                    for pi, r in parts]) for f in (
                        lambda _, i: destination_column(*i.d),
                        lambda _, i: operand_column(*i.a),
                        lambda _, i: operand_column(*i.b),
                        lambda _, i: operand_column(*i.c),
                        lambda _, i: i.imm, lambda _, i: i.mode,
                        lambda pi, i: table_base[pi] + i.imm if i.op == LUT
                        else 0)]
                order = np.argsort(rows, kind="stable")
                groups.append((op, rows[order]) + tuple(f[order]
                                                        for f in fields))
            self.slots.append(groups)
        self.last_idle = np.zeros(n, dtype=bool)
        self.lo = np.where(self.signed, -(I64(1) << (self.bits - 1)), 0)
        self.hi = np.where(self.signed, (I64(1) << (self.bits - 1)) - 1,
                           (I64(1) << self.bits) - 1)

    @property
    def state(self):
        """(n, 16) view of the state words as read."""
        return self.values[:, COL_STATE:COL_STATE + MAX_INDEX]

    def state_raw32(self, word):
        """State word `word` of every compartment as its stored 32 bits read
        as int32 (as the C++ engines' CompartmentState shows s0 and s1)."""
        x = self.values[:, COL_STATE + word]
        return ((x + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)

    def _narrow(self, rows, j, x):
        """x written to state word j of rows: wrapped or saturated."""
        lo, hi = self.lo[rows, j], self.hi[rows, j]
        sat = self.saturate[rows, j]
        signed = self.signed[rows, j]
        if sat.all():
            return np.minimum(np.maximum(x, lo), hi)
        wrapped = np.where(signed, wrap_bits(x, self.bits[rows, j]), x & hi)
        if not sat.any():
            return wrapped
        return np.where(sat, np.minimum(np.maximum(x, lo), hi), wrapped)

    def _write(self, rows, dcol, x):
        """Write x to column dcol of rows; a state word narrows it."""
        j = dcol - COL_STATE
        is_state = (j >= 0) & (j < MAX_INDEX)
        if is_state.all():
            x = self._narrow(rows, j, x)
        elif is_state.any():
            x = x.copy()
            x[is_state] = self._narrow(rows[is_state], j[is_state],
                                       x[is_state])
        self.values[rows, dcol] = x

    def _lookup(self, a, table):
        """LUT of each row's global table at a; counts what it saw."""
        origin, shift = self.table_origin[table], self.table_shift[table]
        segments = self.table_segments[table]
        self.lut_executions += len(a)
        end = origin + (segments << shift)
        x = np.minimum(np.maximum(a, origin), end) - origin
        self.lut_interpolations += int(((a > origin) & (a < end) & (
            (x & ((I64(1) << shift) - 1)) != 0)).sum())
        return lookup(a, origin, shift, segments, self.table_first[table],
                      self.table_entries)

    def step(self, q):
        """One update of every compartment with input q (int64 array);
        returns the boolean array of compartments that spiked."""
        v = self.values
        v[:, COL_REG:COL_REG + MAX_INDEX] = 0
        v[:, COL_Q] = q
        v[:, COL_SPIKED] = 0
        state = v[:, COL_STATE:COL_STATE + MAX_INDEX]
        params = v[:, COL_PARAM:COL_PARAM + MAX_INDEX]
        idle = self.skip_idle & (v[:, COL_Q] == 0) & ~state.any(axis=1) \
            & ~(self.idle_mask & (params != 0)).any(axis=1)
        self.last_idle = idle
        active = ~idle
        for groups in self.slots:
            for op, rows, d, a, b, c, imm, mode, table in groups:
                on = active[rows]
                if not on.all():
                    if not on.any():
                        continue
                    rows, d, a, b, c, imm, mode, table = (
                        x[on] for x in (rows, d, a, b, c, imm, mode, table))
                self._execute(op, rows, d, a, b, c, imm, mode, table, active)
        return v[:, COL_SPIKED] != 0

    def _execute(self, op, rows, d, a, b, c, imm, mode, table, active):
        v = self.values
        A = lambda: v[rows, a]
        B = lambda: v[rows, b]
        C = lambda: v[rows, c]
        if op == NOP:
            return
        if op == MOV:
            x = A()
        elif op == ADD:
            x = A() + B()
        elif op == SUB:
            x = A() - B()
        elif op == MULSHR:
            x = mul_shr(A(), B(), imm, mode)
        elif op == DECAY:
            x = decay_by(A(), B(), imm)
        elif op == SHL:
            x = (A().view(U64) << imm.astype(U64)).view(I64)
        elif op == SHR:
            x = A() >> imm
        elif op == MIN:
            x = np.minimum(A(), B())
        elif op == MAX:
            x = np.maximum(A(), B())
        elif op == CLIP:
            x = np.minimum(np.maximum(A(), B()), C())
        elif op == SAT:
            limit = (I64(1) << imm) - 1
            x = np.minimum(np.maximum(A(), -limit), limit)
        elif op == WRAP:
            x = wrap_bits(A(), imm)
        elif op == CMPGT:
            x = (A() > B()).astype(I64)
        elif op == CMPGE:
            x = (A() >= B()).astype(I64)
        elif op == CMPEQ:
            x = (A() == B()).astype(I64)
        elif op == SEL:
            x = np.where(A() != 0, B(), C())
        elif op == LUT:
            x = self._lookup(A(), table)
        elif op == REFR:
            counter = self.refr_col[rows]
            left = v[rows, counter]
            held = left > 0
            rows, d, counter, left = rows[held], d[held], counter[held], \
                left[held]
            # d first, then the counter: d may name the counter.
            self._write(rows, d, np.zeros(len(rows), dtype=I64))
            self._write(rows, counter, left - 1)
            active[rows] = False
            return
        elif op == FIRE:
            value, threshold, reset_value = A(), B(), C()
            spike = (mode != RESET_NEVER) & (value > threshold)
            x = np.where(~spike, value,
                         np.where(mode == RESET_ZERO, 0,
                                  np.where(mode == RESET_SUB,
                                           value - threshold, reset_value)))
            self._write(rows, d, x)
            rows = rows[spike]
            v[rows, COL_SPIKED] = 1
            counter = self.refr_col[rows]
            has = counter != COL_SINK
            rows, counter = rows[has], counter[has]
            self._write(rows, counter, v[rows, self.period_col[rows]])
            return
        else:
            raise ProgramError(f"unknown opcode {op}")
        self._write(rows, d, x)


def disassemble(program):
    """A short listing for failure messages."""
    lines = [f"program {program.name}"]
    for i, w in enumerate(program.state):
        lines.append(f"  state s{i} {w.name}: {'i' if w.signed else 'u'}"
                     f"{w.bits} {'saturate' if w.saturate else 'wrap'}"
                     f" = {w.initial}")
    for i, w in enumerate(program.params):
        lines.append(f"  param p{i} {w.name}: {'i' if w.signed else 'u'}"
                     f"{w.bits}")
    for i, c in enumerate(program.constants):
        lines.append(f"  const c{i} = {c}")
    for i, t in enumerate(program.tables):
        shown = ", ".join(str(y) for y in t.entries[:8])
        more = f", ... ({len(t.entries)} entries)" if len(t.entries) > 8 \
            else ""
        lines.append(f"  table t{i}: origin {t.origin}, shift {t.shift}, "
                     f"entries {shown}{more}")
    if program.refractory_word >= 0:
        lines.append(f"  refractory counter s{program.refractory_word}, "
                     f"period {KIND_NAMES[program.refractory_period[0]]} "
                     f"{program.refractory_period[1]}")
    if program.skip_idle:
        lines.append(f"  idle skip, params mask {program.idle_params:#x}")
    prefix = {NONE: "_", REG: "r", STATE: "s", PARAM: "p", CONST: "c"}
    for k, w in enumerate(program.code):
        ins = decode(w)
        text = lambda o: ("q" if o[1] == 0 else "spiked") if o[0] == INPUT \
            else ("_" if o[0] == NONE else f"{prefix.get(o[0], '?')}{o[1]}")
        mnemonic = MNEMONICS[ins.op] if ins.op < OPCODE_COUNT else ins.op
        lines.append(f"  {k:3d}  {mnemonic}"
                     f".{ins.mode} {text(ins.d)}, {text(ins.a)}, {text(ins.b)},"
                     f" {text(ins.c)}, #{'t' if ins.op == LUT else ''}"
                     f"{ins.imm}")
    return "\n".join(lines)


def program_from_json(p):
    """A program of the image's JSON form (chip::printImageJson)."""
    kinds = {name: i for i, name in enumerate(KIND_NAMES)}
    period = p["refractoryPeriod"]
    if period["kind"] not in kinds:
        raise ProgramError(f"program {p['name']!r}: refractory period kind "
                           f"{period['kind']!r}")
    return Program(
        p["name"],
        tuple(StateWord(w["name"], w["bits"], bool(w["signed"]),
                        w["overflow"] == "saturate", w["initial"])
              for w in p["state"]),
        tuple(ParamWord(w["name"], w["bits"], bool(w["signed"]))
              for w in p["params"]),
        tuple(int(c) for c in p["constants"]), p["refractoryWord"],
        (kinds[period["kind"]], period["index"]), bool(p["skipIdle"]),
        p["idleParams"], tuple(int(w) for w in p["code"]),
        tuple(LookupTable(int(t["origin"]), int(t["shift"]),
                          tuple(int(y) for y in t["entries"]))
              for t in p["tables"]))


def param_matrix(programs, family, comp_program, records, core_words, nf,
                 describe=None):
    """Every compartment's parameter words as an (n, 16) int64 array: the
    record's (lifParamWords) for a LIF-family program, else the core's
    words (core_words[c]: a sequence, or None without a table). Raises
    ProgramError when their number differs from the program's or a word is
    outside its declared range; describe(c) names compartment c in it
    (default "compartment c")."""
    describe = describe or (lambda c: f"compartment {c}")
    n = len(comp_program)
    out = np.zeros((n, MAX_INDEX), dtype=I64)
    lif_rows = np.nonzero(np.asarray(family, dtype=bool)[comp_program])[0] \
        if n else np.zeros(0, dtype=np.int64)
    lengths = np.array([0 if w is None else len(w) for w in core_words],
                       dtype=np.int64)
    if len(lif_rows) and (lengths[lif_rows] > 0).any():
        c = int(lif_rows[lengths[lif_rows] > 0][0])
        raise ProgramError(
            f"{describe(c)}: {lengths[c]} parameter words, but it runs the "
            f"LIF-family program {programs[comp_program[c]].name!r}, whose "
            "words come from its record (expected none)")
    if len(lif_rows):
        sub = {k: np.asarray(records[k])[lif_rows] for k in (
            "decayU", "decayV", "biasMantissa", "biasExponent",
            "thresholdMantissa", "vminExponent", "vmaxExponent",
            "refractory")}
        out[lif_rows, :7] = lif_param_words(sub, nf)
    for c in np.nonzero(~np.asarray(family, dtype=bool)[comp_program])[0] \
            if n else []:
        program = programs[comp_program[c]]
        words = core_words[c] if core_words[c] is not None else ()
        if len(words) != len(program.params):
            raise ProgramError(
                f"{describe(c)}: {len(words)} parameter words, program "
                f"{program.name!r} declares {len(program.params)}")
        for i, (w, decl) in enumerate(zip(words, program.params)):
            w = int(w)
            if not word_min(decl.bits, decl.signed) <= w <= word_max(
                    decl.bits, decl.signed):
                raise ProgramError(
                    f"{describe(c)}: parameter word p{i} ({decl.name}) = "
                    f"{w} is outside its {decl.bits}-bit "
                    f"{'signed' if decl.signed else 'unsigned'} range "
                    f"[{word_min(decl.bits, decl.signed)}, "
                    f"{word_max(decl.bits, decl.signed)}]")
            out[c, i] = w
    return out
