#!/usr/bin/python3
"""learning_traces.py - docs/learning.md in numpy against the chip library.

Usage: learning_traces.py --cases CAJAL_LEARNING_CASES --profile loihi1.json
                          [--count N] [--seed S]

A from-scratch model of the learning contract, written from docs/learning.md
(not from chip/lib/Learning.cpp): the counter-based random numbers
(splitmix64), the stochastic trace decay and impulse, and the evaluation of a
sum-of-products rule with its widths, saturation and stochastic rounding. The
widths are read from the profile file. It runs `cajal-learning-cases`, which
prints seeded random cases with the C++ answers (one JSON object a line), and
recomputes every answer:

  trace  a trace stepped through an epoch: every value after every step;
  decay  a trace decayed over up to 1,000 steps at once;
  rule   a random rule (its text form, parsed here too) on random inputs.

Any difference fails the test with the case printed. The model uses numpy
uint64 arithmetic for the generator and Python integers elsewhere.
"""
import argparse
import json
import re
import subprocess
import sys

import numpy as np

MASK64 = (1 << 64) - 1
STREAM_TRACE_DECAY, STREAM_TRACE_IMPULSE, STREAM_SYNAPSE = 1, 2, 3


def splitmix64(x):
    """The splitmix64 finaliser, in numpy uint64 (wraps mod 2^64)."""
    with np.errstate(over="ignore"):
        z = np.uint64(x) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return int(z ^ (z >> np.uint64(31)))


def draw(stream, seed, counter, index):
    h = splitmix64(seed & MASK64)
    h = splitmix64(h ^ stream)
    h = splitmix64(h ^ (counter & MASK64))
    return splitmix64(h ^ (index & MASK64))


def round_stochastic(value, bits, random):
    """floor(value / 2^bits), plus 1 when the low bits of random are below
    the dropped fraction (Python's >> floors negative values)."""
    if bits == 0:
        return value
    whole = value >> bits
    dropped = value - (whole << bits)
    return whole + (1 if (random & ((1 << bits) - 1)) < dropped else 0)


class Contract:
    def __init__(self, profile):
        f = {k: v["value"] for k, v in profile["fields"].items()}
        self.trace_bits = f["learning.traceBits"]
        self.impulse_frac_bits = f["learning.traceImpulseFractionBits"]
        self.decay_bits = f["learning.traceDecayBits"]
        self.acc_bits = f["learning.accumulatorBits"]
        self.const_bits = f["learning.constantBits"]
        self.bits = {"w": f["synapse.weightBitsMax"],
                     "d": f["synapse.delayBits"],
                     "t": f["synapse.tagBits"]}
        self.max_delay = f["synapse.maxDelay"]
        self.factor_bits = {name: self.trace_bits
                            for name in ("x1", "x2", "y1", "y2", "y3", "r")}
        self.factor_bits.update({v: b + 1 for v, b in self.bits.items()})
        self.factor_bits["C"] = self.const_bits

    # -- traces ------------------------------------------------------------
    def decay_step(self, v, decay, step, seed, index):
        if v == 0:
            return 0
        p = v * ((1 << self.decay_bits) - decay)
        return round_stochastic(
            p, self.decay_bits,
            draw(STREAM_TRACE_DECAY, seed, step, index))

    def decay(self, v, decay, first, steps, seed, index):
        for i in range(steps):
            if v == 0 or decay == 0:
                break
            v = self.decay_step(v, decay, first + i, seed, index)
        return v

    def impulse(self, v, integer, fraction, step, seed, index):
        r = draw(STREAM_TRACE_IMPULSE, seed, step, index)
        up = 1 if (r & ((1 << self.impulse_frac_bits) - 1)) < fraction else 0
        return min((1 << self.trace_bits) - 1, v + integer + up)

    # -- rules -------------------------------------------------------------
    def rule_change(self, target, terms, case):
        bits = self.bits[target]
        frac = max(0, self.acc_bits - bits)
        lo, hi = -(1 << self.acc_bits), (1 << self.acc_bits) - 1

        def sat(x):
            return min(max(x, lo), hi)

        z = case["synapse"]["wdt".index(target)]
        acc = sat(z << frac)
        dependencies = {"x0": case["x0"], "y0": case["y0"], "u": case["u"]}
        for mantissa, exponent, dep, factors in terms:
            if not dependencies[dep]:
                continue
            sample = case["traces"][("x0", "y0", "u").index(dep)]
            values = dict(zip(("x1", "x2", "y1", "y2", "y3"), sample))
            values.update(r=case["reward"], C=0,
                          w=case["synapse"][0], d=case["synapse"][1],
                          t=case["synapse"][2])
            p = mantissa
            for var, const in factors:
                b = min(self.factor_bits[var], 16)
                p *= min(max(values[var] + const, -(1 << b)), (1 << b) - 1)
            s = exponent + frac
            term = sat(p << s) if s >= 0 else sat(p >> -s)
            acc = sat(acc + term)
        k = "wdt".index(target)
        r = draw(STREAM_SYNAPSE, case["seed"], case["epoch"],
                 3 * case["index"] + k)
        z = round_stochastic(acc, frac, r)
        if target == "d":
            return min(max(z, 1), self.max_delay)
        if target == "w":
            # Sign and magnitude; a sign mode other than mixed stops at 0.
            sign = case.get("sign", "mixed")
            lo = 0 if sign == "excitatory" else 1 - (1 << bits)
            hi = 0 if sign == "inhibitory" else (1 << bits) - 1
            return min(max(z, lo), hi)
        return min(max(z, -(1 << bits)), (1 << bits) - 1)


def split_terms(rhs):
    """[(sign, body)] of an equation's right side: '+' and '-' split terms
    outside parentheses and not after '^' or '*' (an exponent's or a
    constant's sign)."""
    terms, sign, body, depth, previous = [], "+", "", 0, "="
    for c in rhs:
        if c in "+-" and depth == 0 and previous not in "^*":
            if body.strip():
                terms.append((sign, body))
            sign, body = c, ""
        else:
            depth += (c == "(") - (c == ")")
            body += c
        if not c.isspace():
            previous = c
    terms.append((sign, body))
    return terms


def parse_rule(text):
    """The text form as docs/learning.md gives it, for the printed rules of
    the cases: {target: [(mantissa, exponent, dependency, factors)]}."""
    rule = {}
    for equation in re.split(r"[;\n]", text):
        if not equation.strip():
            continue
        name, rhs = equation.split("=")
        terms = []
        for sign, body in split_terms(rhs):
            items = [i.strip() for i in body.split("*")]
            mantissa, exponent, dep, factors = 1, 0, None, []
            for n, item in enumerate(items):
                if item.startswith("2^"):
                    exponent = int(item[2:])
                elif re.fullmatch(r"[+-]?\s*\d+", item):
                    item = item.replace(" ", "")
                    if n == 0 and item.isdigit():
                        mantissa = int(item)
                    else:
                        factors.append(("C", int(item)))
                elif item.startswith("("):
                    m = re.fullmatch(r"\(\s*(\w+)\s*([+-])\s*(\d+)\s*\)", item)
                    const = int(m.group(3)) * (-1 if m.group(2) == "-" else 1)
                    factors.append((m.group(1), const))
                elif item in ("x0", "y0", "u"):
                    dep = item
                else:
                    factors.append((item, 0))
            if sign == "-":
                mantissa = -mantissa
            terms.append((mantissa, exponent, dep, factors))
        rule[name.strip()[1]] = terms
    return rule


def check(contract, case):
    kind = case["kind"]
    if kind == "trace":
        v = case["init"]
        integer, fraction = case["impulse"]
        got = []
        for t, spiked in enumerate(case["spikes"]):
            step = case["first"] + t
            v = contract.decay(v, case["decay"], step, 1, case["seed"],
                               case["index"])
            if spiked:
                v = contract.impulse(v, integer, fraction, step, case["seed"],
                                     case["index"])
            got.append(v)
        return got, case["values"]
    if kind == "decay":
        return (contract.decay(case["init"], case["decay"], case["first"],
                               case["steps"], case["seed"], case["index"]),
                case["result"])
    rule = parse_rule(case["rule"])
    got = [contract.rule_change(t, rule[t], case) if t in rule
           else case["synapse"]["wdt".index(t)] for t in "wdt"]
    return got, case["result"]


def inside(contract, synapse):
    """Whether no variable of the synapse sits at a bound of its range."""
    w, d, t = synapse
    wb, tb = contract.bits["w"], contract.bits["t"]
    return (1 - (1 << wb) < w < (1 << wb) - 1 and 1 < d < contract.max_delay
            and -(1 << tb) < t < (1 << tb) - 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True)
    ap.add_argument("--profile", required=True)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with open(args.profile) as f:
        contract = Contract(json.load(f))
    assert splitmix64(0) == 0xE220A8397B1DCDAF
    out = subprocess.run([args.cases, "--cases", str(args.count),
                          "--seed", str(args.seed)],
                         check=True, capture_output=True, text=True).stdout
    counts, failures = {}, 0
    changed = unsaturated = 0
    for line in out.splitlines():
        case = json.loads(line)
        got, want = check(contract, case)
        counts[case["kind"]] = counts.get(case["kind"], 0) + 1
        if case["kind"] == "rule" and want != case["synapse"]:
            changed += 1
        if case["kind"] == "rule" and inside(contract, want):
            unsaturated += 1
        if got != want:
            failures += 1
            if failures <= 5:
                print(f"MISMATCH numpy {got} chip {want}\n  case: {line}")
    print(f"learning_traces: {counts}, {changed} rules changed their synapse, "
          f"{unsaturated} left it inside its ranges, "
          f"{failures} mismatches (seed {args.seed})")
    rules = counts.get("rule", 0)
    # A run whose rules all saturate, or change nothing, compares too little.
    if failures or changed < rules // 4 or unsaturated < rules // 4:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
