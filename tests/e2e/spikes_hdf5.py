#!/usr/bin/env python3
"""spikes_hdf5.py - `--spikes-out NAME.h5`: the spikes of the CSV, for h5py.

For every engine (golden, SystemC, reference) on the synfire example and
for the float engine on the Hodgkin-Huxley example, one run writes CSV and
one HDF5; h5py reads the HDF5 file and its rows must be the CSV's, in the
same order per node, with each group's `size` the node's neurons and the
root's `format`/`version`. A path in a missing directory fails naming it
and leaves no file, and no temporary is left behind.
"""
import csv
import os
import sys
import tempfile

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_checks import Checks, cajal_runner  # noqa: E402

CAJAL, ROOT = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="cajal-h5-")
check = Checks()
run = cajal_runner(CAJAL)


def csv_rows(path):
    with open(path) as f:
        return [(int(r["step"]), r["node"], int(r["index"]))
                for r in csv.DictReader(f)]


def h5_rows(path):
    rows = []
    with h5py.File(path, "r") as f:
        check(f.attrs["format"] == "cajal-spikes" and f.attrs["version"] == 1,
              f"{os.path.basename(path)}: format cajal-spikes, version 1")
        for node in f["spikes"]:
            steps = f["spikes"][node]["step"][:]
            index = f["spikes"][node]["index"][:]
            check(steps.dtype == "uint32" and index.dtype == "uint32" and
                  len(steps) == len(index),
                  f"{node}: step and index are uint32 of equal length")
            rows += [(int(s), node, int(i)) for s, i in zip(steps, index)]
    return rows


def per_node(rows):
    out = {}
    for step, node, index in rows:
        out.setdefault(node, []).append((step, index))
    return out


image = os.path.join(work, "synfire.cjimg")
done = run("compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", image)
if done.returncode != 0:
    sys.exit(done.stderr)
cases = [(engine, [image, "--engine", engine, "--steps", "300"])
         for engine in ("golden", "systemc", "reference")]
cases.append(("float", [os.path.join(ROOT, "examples", "hh.mlir"), "--engine", "float",
                        "--steps", "3000"]))
for name, args in cases:
    csv_path = os.path.join(work, name + ".csv")
    h5_path = os.path.join(work, name + ".h5")
    a = run("run", *args, "--spikes-out", csv_path, "--quiet")
    b = run("run", *args, "--spikes-out", h5_path, "--quiet")
    if a.returncode != 0 or b.returncode != 0:
        check(False, f"{name}: runs succeed ({a.stderr}{b.stderr})")
        continue
    expected, got = csv_rows(csv_path), h5_rows(h5_path)
    check(len(expected) > 0, f"{name}: the run spikes ({len(expected)} spikes)")
    check(per_node(got) == per_node(expected),
          f"{name}: HDF5 holds the CSV's spikes, node by node in order")

with h5py.File(os.path.join(work, "golden.h5"), "r") as f:
    check(all(f["spikes"][n].attrs["size"] == 64 for n in f["spikes"]),
          "every synfire group's size is its 64 neurons")

missing = os.path.join(work, "no-such-dir", "s.h5")
bad = run("run", image, "--steps", "10", "--spikes-out", missing)
check(bad.returncode != 0 and "no-such-dir" in bad.stderr and not os.path.exists(missing),
      f"a missing directory fails naming it, no file ({bad.stderr.strip()})")
check.no_temporaries(work)
check.finish("HDF5 spike files hold the CSV spikes")
