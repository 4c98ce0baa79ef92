#!/usr/bin/env python3
"""make_seeds.py - build the seed corpora of the fuzz targets from the repo's own files.

    make_seeds.py --source ROOT --out DIR [--cajal-opt BIN] [--golden-run BIN]
                  [--randimg BIN] [--nir-dir DIR ...] [TARGET ...]

writes DIR/<target>/ for each TARGET (default: all of mlir, profile, nir,
image, spikes), replacing what was there. Nothing is hand-edited: every seed
is a file of the repo, a piece of one, or the output of a Cajal tool run on
one (the build runs this as the target cajal-fuzz-seeds, with the tools
that link the fewest libraries: cajal-opt's --cajal-compile is the pipeline
of `cajal compile`, cajal-golden-run the golden model of `cajal run`):

  mlir     examples/*.mlir, tests/unit/rtl/*.mlir and the tests/lit inputs,
           split at `// -----`, without their comment lines (RUN, CHECK,
           expected-error), leaving out networks with a population larger
           than 2,048 neurons (the target compiles every input);
  profile  chip/profiles, the test and RTL profiles, and base chains of them
           (the fuzz target splits an input at NUL bytes into fuzz.json,
           b1.json, b2.json);
  nir      every .nir file under tests/e2e/nir/data and the --nir-dir
           folders that fits the fuzzer's -max_len, and, with h5py, small NIR
           files of every node type in both HDF5 format generations;
  image    the compile pipeline on the examples and the small lit networks, and
           `cajal-randimg` images (seeded random networks);
  spikes   the golden model's spike output of the synfire example, the External
           input CSVs of cajal-randimg, and small CSVs of the reader's
           syntax (fuzz/spikes/SpikeCsvFuzzer.cpp names the nodes).
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Keep in step with the -max_len of each target in scripts/fuzz.
MAX_LEN = {"mlir": 4096, "profile": 16384, "nir": 65536, "image": 65536,
           "spikes": 16384}
TARGETS = list(MAX_LEN)


def put(out_dir, name, data):
    """Write one seed (bytes or text) unless it is empty or too long."""
    if isinstance(data, str):
        data = data.encode()
    target = out_dir.name
    if not data or len(data) > MAX_LEN[target]:
        return
    (out_dir / name).write_bytes(data)


def mlir_pieces(root):
    files = sorted(root.glob("examples/*.mlir"))
    files += sorted(root.glob("tests/unit/rtl/*.mlir"))
    files += sorted(root.glob("tests/lit/**/*.mlir"))
    for path in files:
        rel = str(path.relative_to(root)).replace("/", "_")
        text = path.read_text()
        for i, piece in enumerate(text.split("// -----")):
            lines = [l for l in piece.splitlines()
                     if not l.lstrip().startswith("//")]
            body = "\n".join(lines).strip()
            if body:
                yield f"{rel}.{i}.mlir", body + "\n"


# The mlir target compiles each input: networks larger than this (the CUBA
# example's 3,200 neurons) make inputs that take seconds, not milliseconds.
MAX_SEED_POPULATION = 2048


def small_network(text):
    sizes = [int(n) for n in re.findall(r"!snn\.spikes<(\d+)", text)]
    return all(n <= MAX_SEED_POPULATION for n in sizes)


def make_mlir(root, out, args):
    for name, text in mlir_pieces(root):
        if small_network(text):
            put(out, name, text)


def make_profile(root, out, args):
    files = sorted(root.glob("chip/profiles/*.json"))
    files += [root / "tests/lit/Inputs/tiny.json"]
    files += sorted(root.glob("rtl/profiles/*.json"))
    files += sorted(root.glob("tests/unit/rtl/*.json"))
    for path in files:
        if path.exists():
            put(out, path.name, path.read_bytes())
    profiles = root / "chip/profiles"
    base = (profiles / "loihi1.json").read_text()
    nir = (profiles / "loihi1-nir.json").read_text()
    board = (profiles / "loihi1-board32.json").read_text()

    def rebase(text, name):
        return text.replace('"base": "loihi1"', f'"base": "{name}"')

    # One link beside the file, two links, and a cycle through it.
    put(out, "chain-1.json", rebase(nir, "b1") + "\0" + base)
    put(out, "chain-2.json",
        rebase(nir, "b1") + "\0" + rebase(board, "b2") + "\0" + base)
    put(out, "chain-cycle.json",
        rebase(nir, "b1") + "\0" + rebase(board, "fuzz"))


def small_nir_files(out):
    """Small NIR files of every node type the importer knows (needs h5py)."""
    try:
        import h5py
        import numpy as np
    except ImportError:
        print("make_seeds.py: no h5py: only the repo's .nir files for nir",
              file=sys.stderr)
        return
    text = h5py.string_dtype()

    def write(name, nodes, edges, libver):
        path = out / name
        with h5py.File(path, "w", libver=libver) as f:
            f["version"] = "0.2.0"
            fill_graph(f.create_group("node"), nodes, edges)
        if path.stat().st_size > MAX_LEN["nir"]:
            path.unlink()

    def fill_graph(group, nodes, edges):
        group["type"] = "NIRGraph"
        sub = group.create_group("nodes")
        for node_name, params in nodes.items():
            g = sub.create_group(node_name)
            if isinstance(params, tuple):  # a nested graph
                fill_graph(g, *params)
                continue
            for key, value in params.items():
                g[key] = value if isinstance(value, str) else np.asarray(value)
        group.create_dataset("edges", data=np.array(edges, dtype=object),
                             dtype=text)

    n = 3
    lif = {"type": "LIF", "tau": np.full(n, 0.01), "r": np.ones(n),
           "v_leak": np.zeros(n), "v_threshold": np.ones(n)}
    neurons = {
        "lif": lif,
        "if": {"type": "IF", "r": np.ones(n), "v_threshold": np.ones(n),
               "v_reset": np.zeros(n)},
        "li": {"type": "LI", "tau": np.full(n, 0.02), "r": np.ones(n),
               "v_leak": np.zeros(n)},
        "i": {"type": "I", "r": np.ones(n)},
        "cubalif": {"type": "CubaLIF", "tau_syn": np.full(n, 0.005),
                    "tau_mem": np.full(n, 0.01), "r": np.ones(n),
                    "v_leak": np.zeros(n), "v_threshold": np.ones(n),
                    "w_in": np.ones(n)},
        "cubali": {"type": "CubaLI", "tau_syn": np.full(n, 0.005),
                   "tau_mem": np.full(n, 0.01), "r": np.ones(n),
                   "v_leak": np.zeros(n)},
        "threshold": {"type": "Threshold", "threshold": np.ones(n)},
    }

    def chain(middle, linear):
        nodes = {"input": {"type": "Input", "shape": np.array([n])},
                 "fc": linear, "neuron": middle,
                 "output": {"type": "Output", "shape": np.array([n])}}
        return nodes, [["input", "fc"], ["fc", "neuron"],
                       ["neuron", "output"]]

    linear = {"type": "Linear", "weight": np.eye(n)}
    affine = {"type": "Affine", "weight": np.eye(n), "bias": np.ones(n)}
    graphs = {f"{k}.nir": chain(v, linear) for k, v in neurons.items()}
    graphs["affine.nir"] = chain(lif, affine)
    nodes, edges = chain(lif, linear)
    nodes["scale"] = {"type": "Scale", "scale": np.full(n, 2.0)}
    nodes["delay"] = {"type": "Delay", "delay": np.full(n, 0.002)}
    graphs["scale-delay.nir"] = (
        nodes, [["input", "scale"], ["scale", "fc"], ["fc", "delay"],
                ["delay", "neuron"], ["neuron", "output"]])
    inner = chain(lif, linear)
    graphs["nested.nir"] = (
        {"input": {"type": "Input", "shape": np.array([n])},
         "sub": (inner[0], inner[1]),
         "output": {"type": "Output", "shape": np.array([n])}},
        [["input", "sub"], ["sub", "output"]])
    conv_lif = {"type": "LIF", "tau": np.full((2, 2, 2), 0.01),
                "r": np.ones((2, 2, 2)), "v_leak": np.zeros((2, 2, 2)),
                "v_threshold": np.ones((2, 2, 2))}
    graphs["conv-pool.nir"] = (
        {"input": {"type": "Input", "shape": np.array([1, 4, 4])},
         "conv": {"type": "Conv2d", "weight": np.ones((2, 1, 3, 3)),
                  "bias": np.zeros(2), "stride": np.array([1, 1]),
                  "padding": np.array([1, 1]), "dilation": np.array([1, 1]),
                  "groups": np.array(1), "input_shape": np.array([4, 4])},
         "pool": {"type": "SumPool2d", "kernel_size": np.array([2, 2]),
                  "stride": np.array([2, 2]), "padding": np.array([0, 0])},
         "lif": conv_lif,
         "flat": {"type": "Flatten", "start_dim": np.array(0),
                  "end_dim": np.array(-1),
                  "input_type": np.array([2, 2, 2])},
         "fc": {"type": "Linear", "weight": np.ones((2, 8))},
         "output": {"type": "Output", "shape": np.array([2])}},
        [["input", "conv"], ["conv", "pool"], ["pool", "lif"],
         ["lif", "flat"], ["flat", "fc"], ["fc", "output"]])
    graphs["conv1d-avgpool.nir"] = (
        {"input": {"type": "Input", "shape": np.array([1, 6])},
         "conv": {"type": "Conv1d", "weight": np.ones((1, 1, 3)),
                  "bias": np.zeros(1), "stride": np.array(1),
                  "padding": "same", "dilation": np.array(1),
                  "groups": np.array(1)},
         "pool": {"type": "AvgPool2d", "kernel_size": np.array([1, 2]),
                  "stride": np.array([1, 2]), "padding": np.array([0, 0])},
         "output": {"type": "Output", "shape": np.array([1, 3])}},
        [["input", "conv"], ["conv", "pool"], ["pool", "output"]])
    for name, (nodes, edges) in graphs.items():
        write("v0-" + name, nodes, edges, "earliest")
        write("v2-" + name, nodes, edges, "latest")


def make_nir(root, out, args):
    dirs = [root / "tests/e2e/nir/data"] + [Path(d) for d in args.nir_dir]
    for d in dirs:
        for path in sorted(d.rglob("*.nir")):
            digest = hashlib.sha1(path.read_bytes()).hexdigest()[:8]
            put(out, f"{path.stem}-{digest}.nir", path.read_bytes())
    small_nir_files(out)


def run(cmd, **kw):
    """Run a Cajal tool; its failure only costs a seed."""
    result = subprocess.run(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kw)
    return result.returncode == 0


def compile_image(args, src, image):
    """Compile `src` to `image` as `cajal compile` does; False on failure."""
    return run([args.cajal_opt, str(src),
                f"--cajal-compile=profile=loihi1 path={image}",
                "-o", str(image) + ".out.mlir"])


def compiled_images(root, args, work):
    """(name, path) of images compiled from the small MLIR networks."""
    if not args.cajal_opt:
        return
    sources = {f"example-{p.stem}": p.read_text()
               for p in sorted(root.glob("examples/*.mlir"))}
    for name, text in mlir_pieces(root):
        if name.startswith(("tests_lit_Transforms", "tests_unit_rtl")):
            sources[name.replace(".mlir", "")] = text
    for name, text in sources.items():
        src = work / f"{name}.mlir"
        src.write_text(text)
        image = work / f"{name}.cjimg"
        if compile_image(args, src, image):
            yield name, image


def random_images(args, work, count):
    """(name, image, input CSV) of cajal-randimg's seeded networks."""
    if not args.randimg:
        return
    for seed in range(1, count + 1):
        image = work / f"random-{seed}.cjimg"
        csv = work / f"random-{seed}.csv"
        if run([args.randimg, "--seed", str(seed), "-o", str(image),
                "--input-out", str(csv), "--steps", "20"]):
            yield f"random-{seed}", image, csv


def make_image(root, out, args):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, image in compiled_images(root, args, work):
            put(out, name + ".cjimg", image.read_bytes())
        for name, image, _ in random_images(args, work, 24):
            put(out, name + ".cjimg", image.read_bytes())


def truncated_csv(path, limit):
    """The first lines of a CSV that fit `limit` bytes."""
    data = path.read_bytes()[:limit]
    return data[:data.rfind(b"\n") + 1]


def make_spikes(root, out, args):
    # The nodes of SpikeCsvFuzzer.cpp: g0..g7 (64), alias out, trigger, in (16).
    put(out, "header.csv", "step,node,index\n")
    put(out, "all-nodes.csv", "step,node,index\n0,g0,0\n0,in,15\n1,trigger,3\n"
        "2,out,63\n4294967295,g7,1\n")
    put(out, "unsorted.csv", "step,node,index\n5,g1,2\n1,g1,2\n1,g0,7\n")
    put(out, "spaces-crlf.csv", "step, node ,index\r\n 3 , in , 2 \r\n\r\n"
        "\t7,g2,9\r\n")
    put(out, "duplicate.csv", "step,node,index\n1,in,1\n2,in,0\n1,in,1\n")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.cajal_opt and args.golden_run:
            src = root / "examples/synfire.mlir"
            image = work / "synfire.cjimg"
            csv = work / "synfire.csv"
            if compile_image(args, src, image) and \
                    run([args.golden_run, str(image), "--steps", "150",
                         "--spikes-out", str(csv)]):
                put(out, "synfire.csv",
                    truncated_csv(csv, MAX_LEN["spikes"]))
        for name, _, csv in random_images(args, work, 8):
            if csv.exists():
                put(out, name + ".csv", truncated_csv(csv, MAX_LEN["spikes"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--cajal-opt", help="cajal-opt (image, spikes)")
    parser.add_argument("--golden-run", help="cajal-golden-run (spikes)")
    parser.add_argument("--randimg", help="cajal-randimg (image, spikes)")
    parser.add_argument("--nir-dir", action="append", default=[],
                        help="another folder of .nir files (nir)")
    parser.add_argument("targets", nargs="*", default=TARGETS)
    args = parser.parse_args()
    makers = {"mlir": make_mlir, "profile": make_profile, "nir": make_nir,
              "image": make_image, "spikes": make_spikes}
    for target in args.targets:
        if target not in makers:
            parser.error(f"unknown target '{target}' (one of {TARGETS})")
        out = args.out / target
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        makers[target](args.source.resolve(), out, args)
        print(f"make_seeds.py: {target}: {len(list(out.iterdir()))} seeds "
              f"in {out}")


if __name__ == "__main__":
    main()
