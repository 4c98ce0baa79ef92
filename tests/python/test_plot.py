"""Figures of a run: they exist, are not empty, and show the run's data
(the raster has one point per spike, the rates add up to the spike counts,
the mesh maps sum to the power report's totals). `cajal plot` draws a run
directory's files.
"""
import json
import os
import subprocess

import numpy as np
import pytest

import cajal
from cajal import plot

CAJAL = os.environ["CAJAL"]
SOURCE = os.environ["CAJAL_SOURCE_DIR"]
# The sanitizer build preloads the ASan runtime into python3 for the module;
# cajal has its own.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
SYNFIRE = os.path.join(SOURCE, "examples", "synfire.mlir")
CUBA = os.path.join(SOURCE, "examples", "cuba.mlir")


def is_png(path):
    with open(path, "rb") as f:
        return os.path.getsize(path) > 1000 and f.read(8) == b"\x89PNG\r\n\x1a\n"


def is_svg(path):
    with open(path) as f:
        text = f.read()
    return "<svg" in text and "</svg>" in text


@pytest.fixture(scope="module")
def synfire_run():
    return cajal.compile(SYNFIRE).run(500)


def test_raster_has_one_point_per_spike(synfire_run, tmp_path):
    fig = synfire_run.plot_raster(tmp_path / "raster.png")
    assert is_png(tmp_path / "raster.png")
    points = fig.axes[0].collections[0].get_offsets()
    total = sum(synfire_run.spike_counts.values())
    assert total > 1000 and len(points) == total
    # Population g1 sits above g0: its points are offset by g0's 64 neurons.
    g1 = synfire_run.spikes["g1"]
    rows = {(int(x), int(y)) for x, y in points}
    assert all((int(s), 64 + int(i)) in rows for s, i in g1)
    fig = synfire_run.plot_raster(tmp_path / "g0.svg", populations=["g0"])
    assert is_svg(tmp_path / "g0.svg")
    assert len(fig.axes[0].collections[0].get_offsets()) == len(synfire_run.spikes["g0"])


def test_rates_add_up_to_the_spike_counts(synfire_run, tmp_path):
    fig = synfire_run.plot_rates(tmp_path / "rates.png", bin_steps=10)
    assert is_png(tmp_path / "rates.png")
    lines = fig.axes[0].get_lines()
    assert [l.get_label() for l in lines] == [f"g{i}" for i in range(8)]
    for line in lines:
        spikes = np.sum(line.get_ydata()) * 64 * 10
        assert round(spikes) == synfire_run.spike_counts[line.get_label()]


def test_mesh_and_energy_show_the_power_report(tmp_path):
    img = cajal.compile(CUBA)
    res = img.run(1000, engine="systemc")  # CUBA starts firing after ~500 steps
    power = res.power.json()
    fig = plot.mesh(power, img.fit, path=tmp_path / "mesh.png")
    assert is_png(tmp_path / "mesh.png")
    energy, load, used = [ax.get_images()[0].get_array() for ax in fig.axes
                          if ax.get_images()]
    assert np.isclose(energy.sum(), sum(c["energyPJ"]["total"] for c in power["cores"]))
    assert load.sum() == power["counts"]["hopsEastWest"] + power["counts"]["hopsNorthSouth"]
    assert used.sum() == img.fit["totals"]["compartments"]["used"]
    fig = plot.energy(power, path=tmp_path / "energy.svg")
    assert is_svg(tmp_path / "energy.svg")
    heights = [b.get_height() for b in fig.axes[0].patches]
    assert np.isclose(sum(heights), power["energyPJ"]["total"])


def test_cajal_plot_draws_a_run_directory(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    subprocess.run([CAJAL, "compile", CUBA, "-o", str(run / "cuba.cjimg"),
                    "--report", str(run / "cuba.fit.json")], check=True, env=CLI_ENV)
    subprocess.run([CAJAL, "run", str(run / "cuba.cjimg"), "--steps", "200",
                    "--engine", "systemc", "--quiet",
                    "--spikes-out", str(run / "cuba.spikes.csv"),
                    "--power", str(run / "cuba.power.json")], check=True, env=CLI_ENV)
    subprocess.run([CAJAL, "run", str(run / "cuba.cjimg"), "--steps", "200",
                    "--quiet", "--spikes-out", str(run / "cuba.spikes.h5")], check=True, env=CLI_ENV)
    out = tmp_path / "figures"
    done = subprocess.run([CAJAL, "plot", str(run), "-o", str(out)],
                          capture_output=True, text=True, env=CLI_ENV)
    assert done.returncode == 0, done.stderr
    expected = {f"{stem}.{fmt}" for fmt in ("png", "svg") for stem in
                ("cuba.spikes.raster", "cuba.spikes.rates", "cuba.energy", "cuba.mesh")}
    assert expected <= set(os.listdir(out))
    for name in expected:
        assert (is_png if name.endswith(".png") else is_svg)(out / name), name
    # The CSV and the HDF5 file hold the same spikes.
    csv_spikes, _ = plot.read_spikes(str(run / "cuba.spikes.csv"))
    h5_spikes, sizes = plot.read_spikes(str(run / "cuba.spikes.h5"))
    assert sorted(csv_spikes) == sorted(k for k, v in h5_spikes.items() if len(v))
    for name, pairs in csv_spikes.items():
        np.testing.assert_array_equal(pairs, h5_spikes[name])
    fig = plot.raster(h5_spikes, sizes)
    assert len(fig.axes[0].collections[0].get_offsets()) == sum(map(len, csv_spikes.values()))


def test_membrane_traces_are_the_probes(tmp_path):
    model = tmp_path / "probed.mlir"
    model.write_text("""
snn.network @probed attributes {dt = 1.0e-3 : f64} {
  %src = snn.periodic_source @src {period = 7 : i64, phase = 0 : i64} : !snn.spikes<4>
  %exc = snn.population @exc {model = #snn.model<lif>,
      params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<12>
  snn.projection @drive %src -> %exc {
      connectivity = #snn.fixed_prob<p = 1.0, seed = 1, weight = 3.0e-1>}
      : !snn.spikes<4> -> !snn.spikes<12>
  snn.probe %exc {kind = #snn.probe_kind<state>} : !snn.spikes<12>
}
""")
    run = tmp_path / "run"
    run.mkdir()
    subprocess.run([CAJAL, "compile", str(model), "-o", str(tmp_path / "p.cjimg")],
                   check=True, env=CLI_ENV)
    subprocess.run([CAJAL, "run", str(tmp_path / "p.cjimg"), "--steps", "100", "--quiet",
                    "--probes-out", str(run / "p.probes.csv")], check=True, env=CLI_ENV)
    probes = plot.read_probes(str(run / "p.probes.csv"))
    assert len(probes) == 12 and all(len(t) == 100 for t in probes.values())
    fig = plot.membrane(probes, path=tmp_path / "m.png")
    assert is_png(tmp_path / "m.png")
    u_lines, v_lines = (ax.get_lines() for ax in fig.axes)
    assert len(u_lines) == len(v_lines) == 8  # the first eight neurons
    first = sorted(probes)[0]
    np.testing.assert_array_equal(v_lines[0].get_ydata(), [v for _, _, v in probes[first]])
    assert any(v != 0 for _, _, v in probes[first])
    done = subprocess.run([CAJAL, "plot", str(run), "-o", str(tmp_path / "f"), "--format", "png"],
                          capture_output=True, text=True, env=CLI_ENV)
    assert done.returncode == 0, done.stderr
    assert os.listdir(tmp_path / "f") == ["p.probes.png"]


def test_cajal_plot_refuses_what_it_cannot_draw(tmp_path):
    done = subprocess.run([CAJAL, "plot", str(tmp_path / "none"), "-o", str(tmp_path / "f")],
                          capture_output=True, text=True, env=CLI_ENV)
    assert done.returncode == 1
    assert "none: not a directory" in done.stderr
    (tmp_path / "empty").mkdir()
    done = subprocess.run([CAJAL, "plot", str(tmp_path / "empty"), "-o", str(tmp_path / "f")],
                          capture_output=True, text=True, env=CLI_ENV)
    assert done.returncode == 1
    assert "no spike, probe, power or fit files" in done.stderr
