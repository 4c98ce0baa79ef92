"""isa_brian.py - a neurocore program as Brian2 abstract code, exact.

Translates each compartment program of an image (docs/neurocore-isa.md,
read by cjimg.py) into abstract code statements for a run_regularly
operation, one statement or a few per instruction. The words are Brian2
int64 variables (state words s0.., parameter words p0.., the input q) and
the scratch registers are int64 temporaries; every operation whose C++ or
numpy meaning could differ from the ISA's is a Brian2 Function with a C++
implementation (64-bit wrapping through uint64_t, the multiplier's exact
product in __int128) and a numpy one (neurocore.py's), so the model is exact
for any program, on either target, whatever the compiler does with floating
point (-ffast-math).

Control flow is predicated: `zrun` is 1 while the update runs (0 when the
idle rule skips it or a REFR halted it), and every state word written after
the first point where that can change keeps its old value when zrun is 0.
FIRE's spike goes to `zspk` (the `spiked` input) and to the variable `fire`
that the group's threshold reads.

LUT reads a table, which abstract code cannot index: each lookup table of a
program is a Brian2 Function of its own, isa_lut_<digest of the table>
(table_functions), whose C++ implementation holds the entries in a static
array and forms the product (y_(k+1) - y_k) * f in __int128, and whose numpy
implementation is neurocore.lookup (exact in int64). Equal tables of
different programs are one function.
"""

import hashlib
import re

import numpy as np

import neurocore as nc

I64 = np.int64


def _a(x):
    return np.asarray(x, dtype=I64)


def _broadcast(*xs):
    arrays = np.broadcast_arrays(*[np.array(x, dtype=I64, ndmin=1)
                                   for x in xs])
    return [np.ascontiguousarray(a) for a in arrays]


def _np_add(a, b):
    with np.errstate(over="ignore"):
        return _a(a) + _a(b)


def _np_sub(a, b):
    with np.errstate(over="ignore"):
        return _a(a) - _a(b)


def _np_mulshr(a, b, s, m):
    a, b, s, m = _broadcast(a, b, s, m)
    return nc.mul_shr(a, b, s, m)


def _np_decay(a, b, s):
    a, b, s = _broadcast(a, b, s)
    return nc.decay_by(a, b, s)


def _checked(name, a, b, limit):
    """The numpy side of a 64-bit variant: the translator's claim that the
    product fits is checked on every call, so that the numpy target catches
    a range the C++ target would silently get wrong."""
    big = int(np.abs(a).max(initial=0)) * int(np.abs(b).max(initial=0))
    if big >= limit:
        raise nc.ProgramError(f"{name}: operands of magnitude up to "
                              f"{int(np.abs(a).max(initial=0))} and "
                              f"{int(np.abs(b).max(initial=0))} exceed the "
                              "range the translation assumed")


def _np_mulshr64(a, b, s, m):
    a, b, s, m = _broadcast(a, b, s, m)
    _checked("isa_mulshr64", nc.wrap_bits(a, 48), nc.wrap_bits(b, 48), 1 << 62)
    return nc.mul_shr(a, b, s, m)


def _np_decay64(a, b, s):
    a, b, s = _broadcast(a, b, s)
    _checked("isa_decay64", nc.wrap_bits(a, 48),
             (I64(1) << s) - nc.wrap_bits(b, 48), 1 << 63)
    return nc.decay_by(a, b, s)


def _np_decay64p(a, b, s):
    a, b, s = _broadcast(a, b, s)
    if (nc.wrap_bits(a, 48) != a).any() or (nc.wrap_bits(b, 48) != b).any() \
            or ((I64(1) << s) - b < 0).any():
        raise nc.ProgramError("isa_decay64p: operands outside the range the "
                              "translation assumed")
    return _np_decay64(a, b, s)


def _np_shl(a, s):
    a, s = _broadcast(a, s)
    return (a.view(np.uint64) << s.astype(np.uint64)).view(I64)


def _np_shr(a, s):
    return _a(a) >> _a(s)


def _np_sat(a, s):
    limit = (I64(1) << _a(s)) - 1
    return np.minimum(np.maximum(_a(a), -limit), limit)


def _np_wrap(a, bits):
    a, bits = _broadcast(a, bits)
    return nc.wrap_bits(a, bits)


def _np_wrapu(a, bits):
    return _a(a) & ((I64(1) << _a(bits)) - 1)


# name: (numpy implementation, C++ body over int64_t arguments, arity)
FUNCTIONS = {
    "isa_add": (_np_add, "return (int64_t)((uint64_t)a + (uint64_t)b);",
                "a, b"),
    "isa_sub": (_np_sub, "return (int64_t)((uint64_t)a - (uint64_t)b);",
                "a, b"),
    "isa_mulshr": (_np_mulshr, """
    const __int128 x = (int64_t)((uint64_t)a << 16) >> 16;
    const __int128 y = (int64_t)((uint64_t)b << 16) >> 16;
    const __int128 p = x * y;
    __int128 r;
    if (m == 1) {
      const __int128 mag = (p < 0 ? -p : p) >> s;
      r = p < 0 ? -mag : mag;
    } else if (m == 2) {
      r = s == 0 ? p : (p + ((__int128)1 << (s - 1))) >> s;
    } else {
      r = p >> s;
    }
    return (int64_t)(uint64_t)(unsigned __int128)r;""", "a, b, s, m"),
    "isa_decay": (_np_decay, """
    const __int128 x = (int64_t)((uint64_t)a << 16) >> 16;
    const __int128 k = ((__int128)1 << s) - ((int64_t)((uint64_t)b << 16) >> 16);
    const __int128 t = (x < 0 ? -x : x) * k;
    const __int128 m = t < 0 ? -((-t) >> s) : (t >> s);
    return (int64_t)(uint64_t)(unsigned __int128)(x < 0 ? -m : m);""",
                  "a, b, s"),
    # The same when the operands' ranges keep the product below 2^62: plain
    # int64 arithmetic, which the C++ compiler can vectorise.
    "isa_mulshr64": (_np_mulshr64, """
    const int64_t x = (int64_t)((uint64_t)a << 16) >> 16;
    const int64_t y = (int64_t)((uint64_t)b << 16) >> 16;
    const int64_t p = x * y;
    const int64_t mag = (p < 0 ? -p : p) >> s;
    const int64_t half = s == 0 ? 0 : (int64_t)1 << (s - 1);
    return m == 1 ? (p < 0 ? -mag : mag) : m == 2 ? (p + half) >> s : p >> s;""",
                     "a, b, s, m"),
    "isa_decay64": (_np_decay64, """
    const int64_t x = (int64_t)((uint64_t)a << 16) >> 16;
    const int64_t k = ((int64_t)1 << s) - ((int64_t)((uint64_t)b << 16) >> 16);
    const int64_t t = (x < 0 ? -x : x) * k;
    const int64_t m = t < 0 ? -((-t) >> s) : (t >> s);
    return x < 0 ? -m : m;""", "a, b, s"),
    # DECAY whose operands need no wrapping and whose scale 2^s - b is not
    # negative (LIF's decays): fewer instructions.
    "isa_decay64p": (_np_decay64p, """
    const int64_t m = ((a < 0 ? -a : a) * (((int64_t)1 << s) - b)) >> s;
    return a < 0 ? -m : m;""", "a, b, s"),
    "isa_shl": (_np_shl, "return (int64_t)((uint64_t)a << s);", "a, s"),
    "isa_shr": (_np_shr, "return a >> s;", "a, s"),
    "isa_min": (lambda a, b: np.minimum(_a(a), _a(b)),
                "return a < b ? a : b;", "a, b"),
    "isa_max": (lambda a, b: np.maximum(_a(a), _a(b)),
                "return a > b ? a : b;", "a, b"),
    "isa_clip": (lambda a, b, c: np.minimum(np.maximum(_a(a), _a(b)), _a(c)),
                 "a = a < b ? b : a; return a > c ? c : a;", "a, b, c"),
    "isa_sat": (_np_sat, """
    const int64_t limit = (int64_t)(((uint64_t)1 << s) - 1);
    return a > limit ? limit : (a < -limit ? -limit : a);""", "a, s"),
    "isa_wrap": (_np_wrap, """
    return (int64_t)((uint64_t)a << (64 - bits)) >> (64 - bits);""",
                 "a, bits"),
    "isa_wrapu": (_np_wrapu, "return a & (int64_t)(((uint64_t)1 << bits) - 1);",
                  "a, bits"),
    "isa_gt": (lambda a, b: (_a(a) > _a(b)).astype(I64),
               "return a > b ? 1 : 0;", "a, b"),
    "isa_ge": (lambda a, b: (_a(a) >= _a(b)).astype(I64),
               "return a >= b ? 1 : 0;", "a, b"),
    "isa_eq": (lambda a, b: (_a(a) == _a(b)).astype(I64),
               "return a == b ? 1 : 0;", "a, b"),
    "isa_sel": (lambda a, b, c: np.where(_a(a) != 0, _a(b), _a(c)),
                "return a != 0 ? b : c;", "a, b, c"),
    # Predicates are 0 or 1: logic without multiplies.
    "isa_or": (lambda a, b: _a(a) | _a(b), "return a | b;", "a, b"),
    "isa_and": (lambda a, b: _a(a) & _a(b), "return a & b;", "a, b"),
    "isa_andnot": (lambda a, b: _a(a) & (1 - _a(b)), "return a & (1 - b);",
                   "a, b"),
    "isa_nz": (lambda a: (_a(a) != 0).astype(I64), "return a != 0 ? 1 : 0;",
               "a"),
    # a, as a value per compartment: Brian2 makes a temporary whose
    # expression reads no per-compartment variable a scalar, and refuses a
    # scalar write after a vector one; v is any per-compartment variable.
    "isa_vec": (lambda a, v: np.broadcast_to(_a(a), np.shape(v)).copy(),
                "return a;", "a, v"),
}


def functions(b2):
    """{name: brian2.Function} with numpy and C++ implementations."""
    out = {}
    for name, (pyfunc, body, args) in FUNCTIONS.items():
        names = [x.strip() for x in args.split(",")]
        f = b2.Function(pyfunc, arg_units=[1] * len(names), return_unit=1,
                        arg_types=["integer"] * len(names),
                        return_type="integer", stateless=True)
        params = ", ".join(f"int64_t {n}" for n in names)
        code = f"static inline int64_t {name}({params}) {{{body}\n}}\n"
        f.implementations.add_implementation("cpp", code=code, name=name)
        f.implementations.add_numpy_implementation(pyfunc)
        out[name] = f
    return out


def table_function_name(table):
    """The Brian2 function that reads `table` (the same for equal tables)."""
    key = f"{table.origin},{table.shift},{','.join(map(str, table.entries))}"
    return "isa_lut_" + hashlib.sha1(key.encode()).hexdigest()[:16]


def _c_int64(value):
    """A C++ int64_t expression for any 64-bit value (INT64_MIN too)."""
    return f"(int64_t){value & 0xFFFFFFFFFFFFFFFF}ULL"


def table_cpp(table):
    """(name, C++ definition) of the function that reads `table`: the
    formula of docs/neurocore-isa.md with the product in __int128."""
    name = table_function_name(table)
    n = len(table.entries) - 1
    shift = table.shift
    half = f"((__int128)1 << {shift - 1})" if shift else "0"
    rows = ",".join(str(y) if y != -(1 << 31) else "(-2147483647 - 1)"
                    for y in table.entries)
    code = f"""static inline int64_t {name}(int64_t a) {{
    static const int32_t y[{n + 1}] = {{{rows}}};
    const int64_t origin = {_c_int64(table.origin)};
    const int64_t last = {_c_int64(table.origin + (n << shift))};
    const int64_t x = (a < origin ? origin : (a > last ? last : a)) - origin;
    int64_t k = x >> {shift};
    if (k > {n - 1}) k = {n - 1};
    const int64_t f = x - (k << {shift});
    const __int128 step = (__int128)((int64_t)y[k + 1] - y[k]) * f;
    return y[k] + (int64_t)((step + {half}) >> {shift});
}}
"""
    return name, code


def table_function(b2, table):
    """The Brian2 Function of one lookup table: LUT of that table at a."""
    name, code = table_cpp(table)
    entries = np.asarray(table.entries, dtype=I64)

    def lookup(a):
        a = np.asarray(a, dtype=I64)
        return nc.lookup(a, table.origin, table.shift, len(entries) - 1, 0,
                         entries)

    f = b2.Function(lookup, arg_units=[1], return_unit=1,
                    arg_types=["integer"], return_type="integer",
                    stateless=True)
    f.implementations.add_implementation("cpp", code=code, name=name)
    f.implementations.add_numpy_implementation(lookup)
    return name, f


def table_functions(b2, programs):
    """{name: brian2.Function} for every lookup table of `programs`."""
    out = {}
    for p in programs:
        for table in p.tables:
            name = table_function_name(table)
            if name not in out:
                out[name] = table_function(b2, table)[1]
    return out


FULL = (-(1 << 63), (1 << 63) - 1)
PORT = (-(1 << 47), (1 << 47) - 1)


def _fit(lo, hi):
    """A range, or the full 64-bit range when it does not fit (wraps)."""
    return (lo, hi) if FULL[0] <= lo and hi <= FULL[1] else FULL


def _port(r):
    """A range seen through the multiplier's 48-bit port."""
    return r if PORT[0] <= r[0] and r[1] <= PORT[1] else PORT


def _magnitude(r):
    return max(abs(r[0]), abs(r[1]))


class Translation:
    """The statements of one program. constant_vars lists the constants too
    wide for a literal (per-compartment variables k<i>). param_ranges, when
    given, bounds each parameter word by the values the compartments hold
    (tighter than the declared widths): with the declared state word ranges
    and the registers' ranges that follow, it decides where MULSHR and DECAY
    can use 64-bit products (isa_mulshr64, isa_decay64) instead of 128-bit
    ones. A parameter word all compartments share becomes a literal;
    param_vars lists those read per compartment (p<i>)."""

    def __init__(self, program, param_ranges=None):
        self.program = program
        self.param_ranges = param_ranges
        self.reg_range = {}
        self.lines = []
        self.written = set()        # registers written so far
        self.guarded = program.skip_idle
        self.spiked_known = False   # zspk assigned yet
        self.constant_vars = {}     # constant index -> variable name
        self.param_vars = set()     # parameter words read per compartment
        self.vector = set()         # temporaries that hold per-compartment
        self._translate()

    def assign(self, name, expr):
        """A temporary `name = expr`, kept a per-compartment value."""
        names = set(re.findall(r"\b[a-z_]\w*\b", expr))
        if not any(re.fullmatch(r"[spk]\d+|q", n) or n in self.vector
                   for n in names):
            expr = f"isa_vec({expr}, q)"
        self.vector.add(name)
        self.lines.append(f"{name} = {expr}")

    # -- operands
    def read(self, operand):
        kind, index = operand
        if kind == nc.REG:
            return f"r{index}" if index in self.written else "0"
        if kind == nc.STATE:
            return f"s{index}"
        if kind == nc.PARAM:
            # A value every compartment of the program shares is a literal,
            # as a Brian2 user writes a shared constant: no per-neuron array.
            if self.param_ranges is not None:
                lo, hi = self.param_ranges[index]
                if lo == hi and -(1 << 31) < lo < (1 << 31):
                    return f"({lo})"
            self.param_vars.add(index)
            return f"p{index}"
        if kind == nc.CONST:
            value = self.program.constants[index]
            if -(1 << 31) < value < (1 << 31):
                return f"({value})"
            self.constant_vars[index] = f"k{index}"
            return f"k{index}"
        if kind == nc.INPUT:
            if index == nc.INPUT_Q:
                return "q"
            return "zspk" if self.spiked_known else "0"
        return "0"

    def range_of(self, operand):
        """The values an operand can hold at this point of the program."""
        kind, index = operand
        p = self.program
        if kind == nc.REG:
            return self.reg_range.get(index, (0, 0))
        if kind == nc.STATE:
            w = p.state[index]
            return nc.word_min(w.bits, w.signed), nc.word_max(w.bits, w.signed)
        if kind == nc.PARAM:
            if self.param_ranges is not None:
                return self.param_ranges[index]
            w = p.params[index]
            return nc.word_min(w.bits, w.signed), nc.word_max(w.bits, w.signed)
        if kind == nc.CONST:
            return p.constants[index], p.constants[index]
        if kind == nc.INPUT:
            return FULL if index == nc.INPUT_Q else (0, 1)
        return 0, 0

    def result_range(self, ins):
        """The range of what a simple instruction computes."""
        ra, rb, rc = (self.range_of(o) for o in (ins.a, ins.b, ins.c))
        s, op = ins.imm, ins.op
        if op == nc.MOV:
            return ra
        if op == nc.ADD:
            return _fit(ra[0] + rb[0], ra[1] + rb[1])
        if op == nc.SUB:
            return _fit(ra[0] - rb[1], ra[1] - rb[0])
        if op == nc.MULSHR:
            xa, xb = _port(ra), _port(rb)
            corners = [x * y for x in xa for y in xb]
            return _fit(min(corners) >> s, -((-max(corners)) >> s))
        if op == nc.DECAY:
            k = ((1 << s) - _port(rb)[1], (1 << s) - _port(rb)[0])
            m = (_magnitude(_port(ra)) * _magnitude(k)) >> s
            return _fit(-m, m)
        if op == nc.SHL:
            return _fit(ra[0] << s, ra[1] << s)
        if op == nc.SHR:
            return ra[0] >> s, ra[1] >> s
        if op == nc.MIN:
            return min(ra[0], rb[0]), min(ra[1], rb[1])
        if op == nc.MAX:
            return max(ra[0], rb[0]), max(ra[1], rb[1])
        if op == nc.CLIP:
            return (min(max(ra[0], rb[0]), rc[0]),
                    min(max(ra[1], rb[1]), rc[1]))
        if op == nc.SAT:
            limit = (1 << s) - 1
            return (min(max(ra[0], -limit), limit),
                    max(min(ra[1], limit), -limit))
        if op == nc.WRAP:
            half = 1 << (s - 1) if s > 0 else 0
            return ra if -half <= ra[0] and ra[1] < half else (-half, half - 1)
        if op in (nc.CMPGT, nc.CMPGE, nc.CMPEQ):
            return 0, 1
        if op == nc.LUT:
            entries = self.program.tables[ins.imm].entries
            return min(entries), max(entries)
        if op == nc.SEL:
            return min(rb[0], rc[0]), max(rb[1], rc[1])
        return FULL

    def multiply(self, ins):
        """MULSHR or DECAY, in 64 bits when the ranges allow."""
        a, b = self.read(ins.a), self.read(ins.b)
        xa, xb = _port(self.range_of(ins.a)), _port(self.range_of(ins.b))
        if ins.op == nc.MULSHR:
            wide = _magnitude(xa) * _magnitude(xb) >= (1 << 62)
            return (f"isa_mulshr{'' if wide else '64'}({a}, {b}, {ins.imm}, "
                    f"{ins.mode})")
        k = ((1 << ins.imm) - xb[1], (1 << ins.imm) - xb[0])
        wide = _magnitude(xa) * _magnitude(k) >= (1 << 63)
        plain = (xa == self.range_of(ins.a) and xb == self.range_of(ins.b)
                 and k[0] >= 0)
        kind = "" if wide else ("64p" if plain else "64")
        return f"isa_decay{kind}({a}, {b}, {ins.imm})"

    def lookup(self, ins):
        """LUT: the function of the instruction's table at a."""
        table = self.program.tables[ins.imm]
        return f"{table_function_name(table)}({self.read(ins.a)})"

    def set_range(self, operand, r):
        if operand[0] == nc.REG:
            self.reg_range[operand[1]] = r

    def narrow(self, index, expr):
        w = self.program.state[index]
        if w.saturate:
            lo, hi = nc.word_min(w.bits, w.signed), nc.word_max(w.bits,
                                                                 w.signed)
            return f"isa_clip({expr}, {lo}, {hi})"
        if w.signed:
            return f"isa_wrap({expr}, {w.bits})" if w.bits < 64 else expr
        return f"isa_wrapu({expr}, {w.bits})"

    def write(self, operand, expr, condition=None):
        """operand = expr; a state word narrows it and keeps its value when
        the update does not run (or `condition` is 0)."""
        kind, index = operand
        if kind == nc.REG:
            if condition:
                old = f"r{index}" if index in self.written else "0"
                expr = f"isa_sel({condition}, {expr}, {old})"
            self.assign(f"r{index}", expr)
            self.written.add(index)
        elif kind == nc.STATE:
            expr = self.narrow(index, expr)
            cond = condition or ("zrun" if self.guarded else None)
            if cond:
                expr = f"isa_sel({cond}, {expr}, s{index})"
            self.lines.append(f"s{index} = {expr}")

    # -- instructions
    def _translate(self):
        p = self.program
        L = self.lines
        if p.skip_idle:
            # Idle when q, every state word and the idle parameter words
            # are 0: when their bitwise or is.
            words = ["q"] + [f"s{i}" for i in range(len(p.state))] + [
                self.read((nc.PARAM, i)) for i in range(len(p.params))
                if p.idle_params >> i & 1]
            expr = words[0]
            for w in words[1:]:
                expr = f"isa_or({expr}, {w})"
            self.assign("zrun", f"isa_nz({expr})")
        else:
            self.assign("zrun", "1")
        for k, word in enumerate(p.code):
            self.instruction(k, nc.decode(word))
        L.append(f"fire = {'zspk' if self.spiked_known else '0'}")
        L.append("q = 0")

    def instruction(self, k, ins):
        op = ins.op
        a, b, c = (lambda: self.read(ins.a)), (lambda: self.read(ins.b)), \
            (lambda: self.read(ins.c))
        simple = {
            nc.MOV: lambda: a(),
            nc.ADD: lambda: f"isa_add({a()}, {b()})",
            nc.SUB: lambda: f"isa_sub({a()}, {b()})",
            nc.MULSHR: lambda: self.multiply(ins),
            nc.DECAY: lambda: self.multiply(ins),
            nc.SHL: lambda: f"isa_shl({a()}, {ins.imm})",
            nc.SHR: lambda: f"isa_shr({a()}, {ins.imm})",
            nc.MIN: lambda: f"isa_min({a()}, {b()})",
            nc.MAX: lambda: f"isa_max({a()}, {b()})",
            nc.CLIP: lambda: f"isa_clip({a()}, {b()}, {c()})",
            nc.SAT: lambda: f"isa_sat({a()}, {ins.imm})",
            nc.WRAP: lambda: f"isa_wrap({a()}, {ins.imm})",
            nc.CMPGT: lambda: f"isa_gt({a()}, {b()})",
            nc.CMPGE: lambda: f"isa_ge({a()}, {b()})",
            nc.CMPEQ: lambda: f"isa_eq({a()}, {b()})",
            nc.SEL: lambda: f"isa_sel({a()}, {b()}, {c()})",
            nc.LUT: lambda: self.lookup(ins),
        }
        if op == nc.NOP:
            return
        if op in simple:
            r = self.result_range(ins)
            self.write(ins.d, simple[op]())
            self.set_range(ins.d, r)
            return
        p = self.program
        if op == nc.REFR:
            rw = p.refractory_word
            self.assign(f"zleft{k}", f"s{rw}")
            self.assign(f"zhold{k}", f"isa_and(zrun, isa_gt(zleft{k}, 0))")
            r = self.range_of(ins.d)
            self.write(ins.d, "0", condition=f"zhold{k}")
            self.set_range(ins.d, (min(r[0], 0), max(r[1], 0)))
            self.write((nc.STATE, rw), f"isa_sub(zleft{k}, 1)",
                       condition=f"zhold{k}")
            self.assign("zrun", f"isa_andnot(zrun, zhold{k})")
            self.guarded = True
            return
        if op == nc.FIRE:
            ra, rb, rc = (self.range_of(o) for o in (ins.a, ins.b, ins.c))
            rr = {nc.RESET_ZERO: (0, 0), nc.RESET_NEVER: ra, nc.RESET_TO: rc,
                  nc.RESET_SUB: _fit(ra[0] - rb[1], ra[1] - rb[0])}[ins.mode]
            fire_range = (min(ra[0], rr[0]), max(ra[1], rr[1]))
            self.fire(k, ins, a, b)
            self.set_range(ins.d, fire_range)
            return
        raise nc.ProgramError(f"program {p.name!r}: instruction {k}: "
                              f"unknown opcode {op}")

    def fire(self, k, ins, a, b):
        """FIRE: the spike into zf<k> and zspk, the reset, the counter."""
        p = self.program
        self.assign(f"zval{k}", a())
        self.assign(f"zthr{k}", b())
        reset_value = self.read(ins.c)
        if ins.mode == nc.RESET_NEVER:
            self.write(ins.d, f"zval{k}")
            return
        self.assign(f"zf{k}", f"isa_and(zrun, isa_gt(zval{k}, zthr{k}))")
        reset = {nc.RESET_ZERO: "0",
                 nc.RESET_SUB: f"isa_sub(zval{k}, zthr{k})",
                 nc.RESET_TO: reset_value}[ins.mode]
        if ins.mode == nc.RESET_TO:
            self.assign(f"zrst{k}", reset)
            reset = f"zrst{k}"
        self.write(ins.d, f"isa_sel(zf{k}, {reset}, zval{k})")
        if self.spiked_known:
            self.assign("zspk", f"isa_or(zspk, zf{k})")
        else:
            self.assign("zspk", f"zf{k}")
            self.spiked_known = True
        if p.refractory_word >= 0:
            self.write((nc.STATE, p.refractory_word),
                       self.read(p.refractory_period),
                       condition=f"zf{k}")

    def code(self):
        return "\n".join(self.lines) + "\n"
