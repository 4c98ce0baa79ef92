#!/usr/bin/env python3
"""make_bad.py - write the malformed NIR files the error tests read.

Run from this folder: /usr/bin/python3 make_bad.py  (needs h5py, numpy).
Each file breaks one rule the importer must refuse with a clear error naming
the node; the generated files are committed so the tests need no h5py.
"""
import h5py
import numpy as np

STR = h5py.string_dtype()


def graph(group, nodes, edges):
    group["type"] = "NIRGraph"
    sub = group.create_group("nodes")
    for name, fill in nodes.items():
        fill(sub.create_group(name))
    group.create_dataset("edges", data=np.array(edges, dtype=object), dtype=STR)


def node(kind, **params):
    def fill(g):
        if kind is not None:
            g["type"] = kind
        for k, v in params.items():
            g.create_dataset(k, data=np.asarray(v), compression="gzip")
    return fill


def lif(n=2, **overrides):
    p = dict(tau=np.full(n, 0.01), r=np.ones(n), v_leak=np.zeros(n),
             v_threshold=np.ones(n))
    p.update(overrides)
    return node("LIF", **p)


def write(path, nodes, edges):
    with h5py.File(path, "w") as f:
        f["version"] = "0.2.0"
        graph(f.create_group("node"), nodes, edges)


def chain(middle, n=2):
    nodes = {"input": node("Input", shape=[n]),
             "fc": node("Linear", weight=np.eye(n)),
             "lif": middle, "output": node("Output", shape=[n])}
    return nodes, [["input", "fc"], ["fc", "lif"], ["lif", "output"]]


write("good_gzip.nir", *chain(lif()))
write("no_type.nir", *chain(node(None, tau=np.full(2, 0.01))))
write("unknown_type.nir", *chain(node("Izhikevich", a=np.ones(2))))
write("negative_tau.nir", *chain(lif(tau=np.array([0.01, -0.001]))))
write("wrong_length.nir", *chain(lif(r=np.ones(3))))
nodes, edges = chain(lif())
write("missing_node.nir", nodes, edges + [["lif", "ghost"]])
nodes, edges = chain(lif(n=3))
write("shape_mismatch.nir", nodes, edges)
nodes, edges = chain(lif())
nodes["fc2"] = node("Linear", weight=np.eye(2))
write("linear_loop.nir", nodes, edges + [["fc", "fc2"], ["fc2", "fc"]])
with open("not_hdf5.nir", "w") as f:
    f.write("this is not an HDF5 file\n")
