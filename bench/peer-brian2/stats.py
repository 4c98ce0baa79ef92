"""stats.py - firing statistics of a spike CSV and the comparison of two.

A spike file is the CSV of `cajal run --spikes-out` (header step,node,index;
node is a population name). Per population: the mean rate in Hz (spikes /
neurons / (steps dt)) and the CV of inter-spike intervals, the mean over the
neurons with at least two intervals of std(ISI) / mean(ISI) (NaN when no
neuron has two).
"""

import numpy as np


def read_spikes(path, populations):
    """(step, population index, neuron) rows; populations: list of names."""
    index = {name: i for i, name in enumerate(populations)}
    with open(path) as f:
        header = f.readline().strip()
        if header != "step,node,index":
            raise ValueError(f"{path}: expected header step,node,index, "
                             f"got {header!r}")
        text = f.read()
    if not text.strip():
        return np.zeros((0, 3), np.int64)
    cols = np.array(text.replace("\n", ",").rstrip(",").split(","),
                    dtype=object).reshape(-1, 3)
    pops = np.array([index.get(n, -1) for n in cols[:, 1]], np.int64)
    rows = np.stack([cols[:, 0].astype(np.int64), pops,
                     cols[:, 2].astype(np.int64)], axis=1)
    return rows[rows[:, 1] >= 0]


def cv_isi(steps, neurons):
    """Mean over neurons with >= 2 ISIs of std/mean of their ISIs."""
    if len(steps) < 3:
        return float("nan")
    order = np.lexsort((steps, neurons))
    s, n = steps[order], neurons[order]
    same = n[1:] == n[:-1]
    isi = (s[1:] - s[:-1])[same].astype(np.float64)
    owner = n[1:][same]
    if len(isi) == 0:
        return float("nan")
    uniq, inv = np.unique(owner, return_inverse=True)
    count = np.bincount(inv)
    mean = np.bincount(inv, isi) / count
    var = np.bincount(inv, isi * isi) / count - mean * mean
    ok = (count >= 2) & (mean > 0)
    if not ok.any():
        return float("nan")
    return float(np.mean(np.sqrt(np.maximum(var[ok], 0)) / mean[ok]))


def population_stats(rows, sizes, steps, dt):
    """[{rate_hz, cv_isi, spikes}] per population."""
    out = []
    for p, size in enumerate(sizes):
        mine = rows[rows[:, 1] == p]
        rate = len(mine) / (size * steps * dt) if size and steps else 0.0
        out.append({"spikes": int(len(mine)), "rate_hz": rate,
                    "cv_isi": cv_isi(mine[:, 0], mine[:, 2])})
    return out


def first_difference(a, b):
    """None when the sorted spike rows are equal, else a description."""
    a = a[np.lexsort((a[:, 2], a[:, 1], a[:, 0]))]
    b = b[np.lexsort((b[:, 2], b[:, 1], b[:, 0]))]
    n = min(len(a), len(b))
    diff = np.nonzero((a[:n] != b[:n]).any(axis=1))[0]
    if len(diff):
        i = diff[0]
        return f"row {i}: Cajal {tuple(a[i])}, Brian2 {tuple(b[i])}"
    if len(a) != len(b):
        return f"Cajal has {len(a)} spikes, Brian2 {len(b)}"
    return None
