"""Figures of a run: raster, rates, membrane traces, energy, the chip's mesh.

Every function returns a matplotlib Figure and saves it to `path` when given
(the format follows the suffix: .png, .svg, .pdf). `python3 -m cajal.plot
RUN_DIR -o FIGURES` (or `cajal plot`) draws every figure a run directory's
files allow:

    *.csv, *.h5      spikes (`cajal run --spikes-out`)
    *.probes.csv     state probes (`--probes-out`)
    *.power.json     power report (`--engine systemc --power`)
    *.fit.json       fit report (`cajal compile --report`)
"""

import argparse
import csv
import json
import os
import sys

import numpy as np


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _finish(fig, path):
    fig.tight_layout()
    if path:
        fig.savefig(path)
    return fig


def _chosen(spikes, populations):
    names = list(spikes) if populations is None else list(populations)
    for name in names:
        if name not in spikes:
            raise KeyError(f"no population '{name}' among {sorted(spikes)}")
    return names


def raster(spikes, sizes, path=None, populations=None):
    """One dot per spike: step against neuron, populations stacked bottom-up.

    spikes: {population: (n, 2) array of (step, index)}; sizes: {population:
    neurons}. The figure's only collection holds exactly one point per spike.
    """
    plt = _pyplot()
    names = _chosen(spikes, populations)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    offset = 0
    steps, rows, ticks = [], [], []
    for name in names:
        pairs = np.asarray(spikes[name]).reshape(-1, 2)
        steps.append(pairs[:, 0])
        rows.append(pairs[:, 1].astype(np.int64) + offset)
        ticks.append((offset + sizes[name] / 2, name))
        offset += sizes[name]
    x = np.concatenate(steps) if steps else np.zeros(0)
    y = np.concatenate(rows) if rows else np.zeros(0)
    ax.scatter(x, y, s=1.5, marker="|", linewidths=0.6, color="black")
    ax.set_xlabel("step")
    ax.set_ylabel("neuron (by population)")
    ax.set_yticks([t for t, _ in ticks], [n for _, n in ticks])
    ax.set_ylim(-0.5, max(offset, 1) - 0.5)
    ax.set_title(f"spike raster: {len(x)} spikes")
    return _finish(fig, path)


def rates(spikes, sizes, steps, path=None, populations=None, bin_steps=None):
    """Spikes per neuron per step of each population, in bins of
    `bin_steps` (default: steps / 100, at least 1)."""
    plt = _pyplot()
    names = _chosen(spikes, populations)
    width = bin_steps or max(1, steps // 100)
    edges = np.arange(0, steps + width, width)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for name in names:
        pairs = np.asarray(spikes[name]).reshape(-1, 2)
        counts, _ = np.histogram(pairs[:, 0], bins=edges)
        ax.plot(edges[:-1], counts / (sizes[name] * width), label=name,
                drawstyle="steps-post")
    ax.set_xlabel("step")
    ax.set_ylabel(f"spikes / neuron / step ({width}-step bins)")
    if names:
        ax.legend(fontsize="small", ncol=min(4, len(names)))
    return _finish(fig, path)


def membrane(probes, path=None, neurons=8):
    """u and v of the first `neurons` probed neurons of each population.
    probes: rows (step, node, index, u, v) as read_probes gives them."""
    plt = _pyplot()
    fig, (au, av) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    for (node, index), trace in sorted(probes.items())[:neurons]:
        t = np.asarray(trace)
        au.plot(t[:, 0], t[:, 1], lw=0.8, label=f"{node}[{index}]")
        av.plot(t[:, 0], t[:, 2], lw=0.8)
    au.set_ylabel("u (state word)")
    av.set_ylabel("v (state word)")
    av.set_xlabel("step")
    if probes:
        au.legend(fontsize="small", ncol=4)
    return _finish(fig, path)


_ENERGY_KINDS = ["synapticOps", "neuronUpdatesActive", "neuronUpdatesInactive",
                 "spikes", "hopsEastWest", "hopsNorthSouth", "barrier", "static"]


def energy(power, path=None):
    """Energy of the run by event kind (pJ), from a power report (dict)."""
    plt = _pyplot()
    e = power["energyPJ"]
    values = [e[k] for k in _ENERGY_KINDS]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.bar(_ENERGY_KINDS, values, color="tab:orange")
    ax.set_ylabel("energy (pJ)")
    ax.set_title(f"{power['profile']}: {e['total']:.4g} pJ over {power['steps']} steps")
    ax.tick_params(axis="x", labelrotation=30)
    return _finish(fig, path)


def _mesh(entries, value):
    """A (y, x) grid summing value(entry) over the entries placed there."""
    xs = [c["x"] for c in entries]
    ys = [c["y"] for c in entries]
    grid = np.zeros((max(ys, default=0) + 1, max(xs, default=0) + 1))
    for c in entries:
        grid[c["y"], c["x"]] += value(c)
    return grid


def _heat(ax, grid, title, label, plt):
    from matplotlib.ticker import MaxNLocator
    image = ax.imshow(grid, origin="lower", cmap="viridis")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel("tile x")
    ax.set_ylabel("tile y")
    plt.colorbar(image, ax=ax, label=label)


def mesh(power=None, fit=None, path=None):
    """The chip's mesh as heat maps: energy per tile and router link load
    (hops) from a power report, compartment utilisation per tile from a fit
    report. Cores of one tile (slots) are summed; the maps span the tiles
    from (0, 0) to the farthest one used."""
    plt = _pyplot()
    panels = []
    if power is not None:
        panels.append(("energy per tile", "pJ",
                       _mesh(power["cores"], lambda c: c["energyPJ"]["total"])))
        if power["routers"]:
            panels.append(("router link load", "hops",
                           _mesh(power["routers"],
                                 lambda r: r["counts"]["hopsEastWest"] +
                                 r["counts"]["hopsNorthSouth"])))
    if fit is not None and all("x" in c for c in fit["cores"]):
        panels.append(("compartments used per tile", "compartments",
                       _mesh(fit["cores"],
                             lambda c: c["resources"]["compartments"]["used"])))
    if not panels:
        raise ValueError("mesh needs a power report or a placed fit report")
    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 4),
                             squeeze=False)
    for ax, (title, label, grid) in zip(axes[0], panels):
        _heat(ax, grid, title, label, plt)
    return _finish(fig, path)


def read_spikes(path):
    """Spikes of a `--spikes-out` file (CSV or HDF5) as {node: (n, 2) uint32
    array of (step, index)} and {node: size or None}."""
    if path.endswith((".h5", ".hdf5")):
        import h5py
        spikes, sizes = {}, {}
        with h5py.File(path, "r") as f:
            for name, group in f["spikes"].items():
                spikes[name] = np.stack([group["step"][:], group["index"][:]],
                                        axis=1).astype(np.uint32)
                sizes[name] = int(group.attrs["size"])
        return spikes, sizes
    rows = {}
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["step", "node", "index"]:
            raise ValueError(f"{path}: not a spike file (header {header})")
        for step, node, index in reader:
            rows.setdefault(node, []).append((int(step), int(index)))
    spikes = {n: np.array(r, dtype=np.uint32).reshape(-1, 2) for n, r in rows.items()}
    # A CSV does not say how many neurons a node has: the largest index seen.
    sizes = {n: int(a[:, 1].max()) + 1 if len(a) else 1 for n, a in spikes.items()}
    return spikes, sizes


def read_probes(path):
    """A `--probes-out` CSV as {(node, index): [(step, u, v), ...]}."""
    traces = {}
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["step", "node", "index", "u", "v"]:
            raise ValueError(f"{path}: not a probe file (header {header})")
        for step, node, index, u, v in reader:
            traces.setdefault((node, int(index)), []).append((int(step), int(u), int(v)))
    return traces


def plot_directory(run_dir, out_dir, formats=("png", "svg")):
    """Every figure the files of `run_dir` allow, written to `out_dir`;
    returns the paths written."""
    os.makedirs(out_dir, exist_ok=True)
    written = []

    def save(fig, stem):
        for fmt in formats:
            target = os.path.join(out_dir, f"{stem}.{fmt}")
            fig.savefig(target)
            written.append(target)
        _pyplot().close(fig)

    fits, powers = {}, {}
    for name in sorted(os.listdir(run_dir)):
        path = os.path.join(run_dir, name)
        if name.endswith(".probes.csv"):
            save(membrane(read_probes(path)), name[:-len(".csv")])
        elif name.endswith((".csv", ".h5", ".hdf5")):
            try:
                spikes, sizes = read_spikes(path)
            except (ValueError, KeyError):
                continue  # another kind of CSV
            stem = os.path.splitext(name)[0]
            steps = max((int(a[:, 0].max()) + 1 for a in spikes.values() if len(a)),
                        default=1)
            save(raster(spikes, sizes), f"{stem}.raster")
            save(rates(spikes, sizes, steps), f"{stem}.rates")
        elif name.endswith(".power.json"):
            with open(path) as f:
                powers[name[:-len(".power.json")]] = json.load(f)
        elif name.endswith(".fit.json"):
            with open(path) as f:
                fits[name[:-len(".fit.json")]] = json.load(f)
    for stem, power in powers.items():
        save(energy(power), f"{stem}.energy")
    for stem in sorted(set(powers) | set(fits)):
        fit = fits.get(stem)
        if stem in powers or (fit and all("x" in c for c in fit["cores"])):
            save(mesh(powers.get(stem), fit), f"{stem}.mesh")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="cajal plot",
        description="Figures (PNG and SVG) of a run directory: spike rasters and "
                    "rates, membrane traces, energy by event kind, energy, link "
                    "load and utilisation on the chip's mesh.")
    parser.add_argument("run_dir", help="directory of a run's output files")
    parser.add_argument("-o", "--output", required=True, help="directory for the figures")
    parser.add_argument("--format", action="append", choices=["png", "svg", "pdf"],
                        help="figure formats (default: png and svg)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.run_dir):
        print(f"cajal: error: {args.run_dir}: not a directory", file=sys.stderr)
        return 1
    written = plot_directory(args.run_dir, args.output, tuple(args.format or ("png", "svg")))
    if not written:
        print(f"cajal: error: {args.run_dir}: no spike, probe, power or fit files",
              file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
