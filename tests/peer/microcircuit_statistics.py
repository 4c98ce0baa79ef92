#!/usr/bin/python3
"""tests/peer/microcircuit_statistics.py - the spike statistics of
bench/microcircuit/run against their definitions.

- statistics(): on random spike trains (one population, neurons silent,
  with one, two or many spikes, spikes in the discarded start), every
  neuron's rate and the CV of ISI of every neuron with at least 3 spikes
  equal a neuron-by-neuron computation of the reference's rule
  (np.std / np.mean of the intervals after 500 ms).
- against_reference(): samples drawn from the reference's own CV and rate
  histograms (reference_distributions.json) are within sampling error of
  them (KS distance under 0.02 for 20,000 samples, mean within 0.01);
  the same samples shifted by 0.1 (CVs) or 3 spikes/s are not (KS
  distance over 0.1);
  samples outside the window count only in the share.
Exits non-zero with the first mismatch.
"""
import importlib.machinery
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
bench = importlib.machinery.SourceFileLoader(
    "microcircuit_bench",
    os.path.join(ROOT, "bench", "microcircuit", "run")).load_module()


def fail(message):
    sys.exit(f"microcircuit_statistics: {message}")


def check_statistics(rng):
    size, total_steps = 300, 12000
    first = int(bench.DISCARD_MS / bench.DT_MS)
    counts = rng.choice([0, 1, 2, 3, 5, 40], size)
    steps = np.concatenate([rng.choice(total_steps, c, replace=False)
                            for c in counts])
    index = np.repeat(np.arange(size), counts)
    shuffle = rng.permutation(len(steps))
    rates, cvs, _ = bench.statistics(steps[shuffle], index[shuffle], size,
                                     total_steps, np.random.default_rng(1))
    seconds = (total_steps - first) * bench.DT_MS * 1e-3
    expected_cvs = []
    for n in range(size):
        t = np.sort(steps[(index == n) & (steps >= first)])
        if not np.isclose(rates[n], len(t) / seconds):
            fail(f"neuron {n}: rate {rates[n]}, expected {len(t) / seconds}")
        if len(t) > 2:
            isi = np.diff(t)
            expected_cvs.append(np.std(isi) / np.mean(isi))
    if len(cvs) != len(expected_cvs) or not np.allclose(cvs, expected_cvs):
        fail(f"CVs {cvs[:5]}... ({len(cvs)}), expected {expected_cvs[:5]}... "
             f"({len(expected_cvs)})")


def draw(reference, population, count, rng):
    heights = np.array(reference["heights"][population], dtype=float)
    bins = rng.choice(len(heights), count, p=heights / heights.sum())
    return reference["first"] + reference["bin"] * (bins + rng.random(count))


def check_against_reference(rng):
    with open(os.path.join(ROOT, "bench", "microcircuit",
                           "reference_distributions.json")) as f:
        reference = json.load(f)
    for kind in ("cv", "rate"):
        for population in reference[kind]["heights"]:
            r = reference[kind]
            samples = draw(r, population, 20000, rng)
            share, mean, ref_mean, ks = bench.against_reference(
                samples, r, population)
            if share != 1.0 or ks > 0.02 or abs(mean - ref_mean) > 0.01 * (
                    1 if kind == "cv" else 10):
                fail(f"{kind} {population}: drawn from the reference, share "
                     f"{share}, mean {mean} against {ref_mean}, KS {ks}")
            # A tenth of the CVs' window, three rate bins: a real difference.
            shift = r["bin"] * (2 if kind == "cv" else 3)
            _, _, _, shifted = bench.against_reference(samples + shift, r,
                                                       population)
            if not shifted > 0.1:
                fail(f"{kind} {population}: shifted by {shift}, KS {shifted}")
            outside = np.concatenate([samples, [r["first"] - 1.0] * 5000])
            share, mean2, _, ks2 = bench.against_reference(outside, r,
                                                           population)
            if share != 0.8 or mean2 != mean or ks2 != ks:
                fail(f"{kind} {population}: 5,000 samples below the window "
                     f"gave share {share}, mean {mean2}, KS {ks2}")


def main():
    rng = np.random.default_rng(7)
    check_statistics(rng)
    check_against_reference(rng)
    print("microcircuit_statistics: statistics and reference comparison "
          "agree with their definitions")


if __name__ == "__main__":
    main()
