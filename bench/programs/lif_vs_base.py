#!/usr/bin/python3
"""lif_vs_base.py - the golden model on LIF networks, this build against another.

    bench/programs/lif_vs_base.py NEW_BIN_DIR BASE_BIN_DIR [--pairs N] [--work DIR]

Compiles CUBA 4k (examples/cuba.mlir, 10,000 steps), CUBA 128k
(bench/gen_cuba.py 128000, loihi1-board32, 2,000 steps) and the NIR Sinabs
CNN (dt = 1, 1,000 steps, seeded input spikes with probability 0.05) with
each build's own `cajal compile`, then runs `cajal run --engine golden` of
the two builds in turn (A B A B ..., N pairs) and prints, per network, the
median "simulating" time each run reports (the run loop without loading and
without output files), the median whole-process wall time, and the
new/base ratios of both. Images of one build are run by that build only
(their formats and profile fingerprints may differ).
"""
import argparse
import json
import os
import random
import statistics
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cajal_timing import sh, timed_run  # noqa: E402

NETWORKS = [
    ("CUBA 4k", "cuba", 10000),
    ("CUBA 128k", "scaled", 2000),
    ("CNN", "cnn", 1000),
]


def compile_network(bin_dir, kind, out, work):
    cajal = os.path.join(bin_dir, "cajal")
    if kind == "cuba":
        sh(cajal, "compile", os.path.join(ROOT, "examples", "cuba.mlir"), "-o", out)
    elif kind == "scaled":
        model = os.path.join(work, "cuba128k.mlir")
        if not os.path.exists(model):
            sh(sys.executable, os.path.join(ROOT, "bench", "gen_cuba.py"), "128000",
               "--out", model)
        sh(cajal, "compile", model, "-o", out, "--profile", "loihi1-board32")
    else:
        sh(cajal, "compile",
           os.path.join(ROOT, "tests", "e2e", "nir", "data", "cnn_sinabs.nir"),
           "-o", out, "--dt", "1")


def cnn_input(bin_dir, image, steps, path):
    info = json.loads(sh(os.path.join(bin_dir, "cajal"), "inspect", image, "--json"))
    rng = random.Random(1)
    with open(path, "w") as f:
        f.write("step,node,index\n")
        for source in info["sources"]:
            if source["kind"] != "external":
                continue
            for step in range(steps):
                for index in range(source["size"]):
                    if rng.random() < 0.05:
                        f.write(f"{step},{source['name']},{index}\n")


def run_once(bin_dir, image, steps, extra):
    sim, wall, _ = timed_run(os.path.join(bin_dir, "cajal"), image, "golden",
                             steps, *extra)
    return sim, wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("new")
    ap.add_argument("base")
    ap.add_argument("--pairs", type=int, default=7)
    ap.add_argument("--work", default="/tmp/lif-vs-base")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    print("| network | steps | simulating new / base (ms, median) | ratio | "
          "whole process new / base (s, median) | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, kind, steps in NETWORKS:
        images, extra = {}, {}
        for side, bin_dir in (("new", a.new), ("base", a.base)):
            images[side] = os.path.join(a.work, f"{kind}-{side}.cjimg")
            compile_network(bin_dir, kind, images[side], a.work)
            extra[side] = []
            if kind == "cnn":
                path = os.path.join(a.work, f"cnn-{side}.csv")
                cnn_input(bin_dir, images[side], steps, path)
                extra[side] = ["--input", path]
        sim = {"new": [], "base": []}
        wall = {"new": [], "base": []}
        for _ in range(a.pairs):
            for side, bin_dir in (("new", a.new), ("base", a.base)):
                s, w = run_once(bin_dir, images[side], steps, extra[side])
                sim[side].append(s)
                wall[side].append(w)
        sn, sb = statistics.median(sim["new"]), statistics.median(sim["base"])
        wn, wb = statistics.median(wall["new"]), statistics.median(wall["base"])
        print(f"| {name} | {steps:,} | {sn * 1e3:.2f} / {sb * 1e3:.2f} | {sn / sb:.3f} | "
              f"{wn:.3f} / {wb:.3f} | {wn / wb:.3f} |")


if __name__ == "__main__":
    main()
