"""The Python module against the command line: same images, same spikes, same
files, the same error messages; inputs as numpy arrays; the GIL released
during a run; Ctrl-C stops one.

Environment (tests/python/CMakeLists.txt): PYTHONPATH has the built package,
CAJAL the cajal binary, CAJAL_SOURCE_DIR the source tree, CAJAL_VERSION the
project version.
"""
import csv
import json
import os
import pathlib
import subprocess
import threading
import _thread
import time

import numpy as np
import pytest

import cajal

CAJAL = os.environ["CAJAL"]
SOURCE = os.environ["CAJAL_SOURCE_DIR"]
# The sanitizer build preloads the ASan runtime into python3 for the module;
# cajal has its own.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
SYNFIRE = os.path.join(SOURCE, "examples", "synfire.mlir")

# An external input of 16 channels, each driving one of 16 LIF neurons
# (one-to-one: the float engine runs it too).
DRIVEN = """
snn.network @driven attributes {dt = 1.0e-3 : f64} {
  %in = snn.input @in : !snn.spikes<16>
  %exc = snn.population @exc {model = #snn.model<lif>,
      params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<16>
  snn.projection @in_exc %in -> %exc {connectivity = #snn.one_to_one<4.0>}
      : !snn.spikes<16> -> !snn.spikes<16>
  snn.probe %exc {kind = #snn.probe_kind<spikes>} : !snn.spikes<16>
}
"""


def cli(*args):
    return subprocess.run([CAJAL, *args], capture_output=True, text=True, env=CLI_ENV)


def cli_ok(*args):
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    return done


def csv_spikes(path):
    """{node: (n, 2) array} of a spike CSV."""
    rows = {}
    with open(path, newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == ["step", "node", "index"]
        for step, node, index in reader:
            rows.setdefault(node, []).append((int(step), int(index)))
    return {n: np.array(r, dtype=np.uint32) for n, r in rows.items()}


def read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def driven_files(tmp_path_factory):
    """DRIVEN as a file, compiled by the CLI, and a random input CSV."""
    d = tmp_path_factory.mktemp("driven")
    model = d / "driven.mlir"
    model.write_text(DRIVEN)
    cli_ok("compile", str(model), "-o", str(d / "driven.cjimg"))
    rng = np.random.default_rng(7)
    dense = rng.random((300, 16)) < 0.2
    with open(d / "input.csv", "w") as f:
        f.write("step,node,index\n")
        for step, index in zip(*np.nonzero(dense)):
            f.write(f"{step},in,{index}\n")
    return d, dense


def test_version_is_the_projects():
    assert cajal.__version__ == os.environ["CAJAL_VERSION"]


def test_compile_gives_the_cli_image_and_fit(tmp_path):
    cli_ok("compile", SYNFIRE, "-o", str(tmp_path / "s.cjimg"), "--report",
           str(tmp_path / "fit.json"))
    img = cajal.compile(SYNFIRE)
    assert img.to_bytes() == read(tmp_path / "s.cjimg")
    with open(tmp_path / "fit.json") as f:
        assert img.fit == json.load(f)
    assert img.profile == "loihi1"
    assert img.cores == img.fit["coresUsed"]
    assert img.populations == {f"g{i}": 64 for i in range(8)}
    # The same model as text, and through a pathlib path.
    with open(SYNFIRE) as f:
        assert cajal.compile(f.read()).to_bytes() == img.to_bytes()
    assert cajal.compile(pathlib.Path(SYNFIRE)).to_bytes() == img.to_bytes()


def test_inspect_gives_the_cli_reports(tmp_path):
    image = tmp_path / "s.cjimg"
    cli_ok("compile", SYNFIRE, "-o", str(image))
    img = cajal.load(image)
    assert img.summary() == cli_ok("inspect", str(image)).stdout
    assert img.programs() == cli_ok("inspect", str(image), "--programs").stdout
    assert img.json() == json.loads(cli_ok("inspect", str(image), "--json").stdout)
    assert "program " in img.programs() and len(img.json()["cores"]) == img.cores


@pytest.mark.parametrize("engine", ["golden", "reference", "systemc"])
def test_run_gives_the_cli_spikes_byte_for_byte(tmp_path, engine):
    image = tmp_path / "s.cjimg"
    cli_ok("compile", SYNFIRE, "-o", str(image))
    cli_ok("run", str(image), "--steps", "400", "--engine", engine,
           "--spikes-out", str(tmp_path / "cli.csv"), "--quiet")
    res = cajal.load(image).run(400, engine=engine,
                                spikes_out=tmp_path / "py.csv")
    assert read(tmp_path / "py.csv") == read(tmp_path / "cli.csv")
    from_cli = csv_spikes(tmp_path / "cli.csv")
    assert sorted(from_cli) == sorted(res.spikes)
    for name, pairs in from_cli.items():
        assert res.spikes[name].dtype == np.uint32
        np.testing.assert_array_equal(res.spikes[name], pairs)
        assert res.spike_counts[name] == len(pairs)
    assert res.steps == 400 and res.engine == engine
    assert res.counters["compartmentSpikes"] == sum(map(len, from_cli.values()))
    # The dense view marks exactly the listed spikes.
    dense = res.dense("g3")
    assert dense.shape == (400, 64) and dense.sum() == len(res.spikes["g3"])
    assert all(dense[s, i] for s, i in res.spikes["g3"])


def test_systemc_power_is_the_cli_report(tmp_path):
    image = tmp_path / "s.cjimg"
    cli_ok("compile", SYNFIRE, "-o", str(image))
    cli_ok("run", str(image), "--steps", "200", "--engine", "systemc",
           "--power", str(tmp_path / "cli.json"), "--quiet")
    res = cajal.load(image).run(200, engine="systemc",
                                power_out=str(tmp_path / "py.json"))
    assert read(tmp_path / "py.json") == read(tmp_path / "cli.json")
    with open(tmp_path / "cli.json") as f:
        report = json.load(f)
    assert res.power.json() == report
    assert res.power.total_energy_pj == report["energyPJ"]["total"]
    assert res.power.by_kind == {k: v for k, v in report["energyPJ"].items()
                                 if k not in ("dynamic", "total")}
    assert res.power.cycles == report["time"]["cycles"]
    np.testing.assert_array_equal(res.cycles_per_step,
                                  [s["cycles"] for s in report["stepTimes"]])
    assert cajal.load(image).run(10).power is None


def test_inputs_as_pairs_or_dense_give_the_cli_spikes(driven_files, tmp_path):
    d, dense = driven_files
    cli_ok("run", str(d / "driven.cjimg"), "--steps", "300", "--input",
           str(d / "input.csv"), "--spikes-out", str(tmp_path / "cli.csv"),
           "--quiet")
    expected = csv_spikes(tmp_path / "cli.csv")["exc"]
    assert len(expected) > 50  # the input drives the population
    img = cajal.load(d / "driven.cjimg")
    pairs = np.argwhere(dense).astype(np.int64)
    for given in (dense, pairs, pairs.astype(np.uint16)):
        res = img.run(300, inputs={"in": given})
        np.testing.assert_array_equal(res.spikes["exc"], expected)
    assert len(img.run(300).spikes["exc"]) == 0  # no input, no spikes


def test_wrong_inputs_raise_naming_the_node_and_shape(driven_files):
    d, dense = driven_files
    img = cajal.load(d / "driven.cjimg")
    with pytest.raises(TypeError, match=r'inputs\["in"\].*got float64 of shape \(4, 2\)'):
        img.run(10, inputs={"in": np.zeros((4, 2))})
    with pytest.raises(ValueError, match=r'inputs\["in"\].*\(steps, 16\) bool.*shape \(4, 3\)'):
        img.run(10, inputs={"in": np.zeros((4, 3), dtype=np.int32)})
    with pytest.raises(ValueError, match=r'inputs\["in"\].*shape \(300, 15\)'):
        img.run(10, inputs={"in": dense[:, :15]})
    with pytest.raises(ValueError, match=r"has no external input 'exc' \(its external inputs: in\)"):
        img.run(10, inputs={"exc": dense})
    with pytest.raises(ValueError, match=r"row 1 is \(-1, 0\)"):
        img.run(10, inputs={"in": np.array([[0, 0], [-1, 0]])})
    # A channel beyond the node: the engine's own message, as the CLI's.
    with pytest.raises(cajal.Error, match=r"\bin\b.*\b16\b"):
        img.run(10, inputs={"in": np.array([[0, 16]])})


def cli_error(*args):
    done = cli(*args)
    assert done.returncode == 1 and done.stdout == ""
    return done.stderr.strip().removeprefix("cajal: error: ")


def test_errors_carry_the_cli_message(tmp_path):
    bad = tmp_path / "bad.mlir"
    bad.write_text(DRIVEN.replace("v_th = 1.0", "v_th = 1.0, colour = 3"))
    with pytest.raises(cajal.Error) as raised:
        cajal.compile(bad)
    assert str(raised.value) == cli_error("compile", str(bad), "-o", str(tmp_path / "x"))
    assert "bad.mlir:" in str(raised.value)
    with pytest.raises(cajal.Error) as raised:
        cajal.compile(SYNFIRE, profile="no-such-chip")
    assert str(raised.value) == cli_error("compile", SYNFIRE, "-o", str(tmp_path / "x"),
                                          "--profile", "no-such-chip")
    missing = tmp_path / "missing.mlir"
    with pytest.raises(cajal.Error) as raised:
        cajal.compile(missing)
    assert str(raised.value) == cli_error("compile", str(missing), "-o", str(tmp_path / "x"))
    corrupt = tmp_path / "corrupt.cjimg"
    corrupt.write_bytes(b"CJIMG" + bytes(100))
    with pytest.raises(cajal.Error) as raised:
        cajal.load(corrupt)
    assert str(raised.value) == cli_error("run", str(corrupt), "--steps", "1")
    assert not os.path.exists(tmp_path / "x")


def test_save_writes_the_image_whole(tmp_path):
    img = cajal.compile(SYNFIRE)
    img.save(tmp_path / "s.cjimg")
    assert read(tmp_path / "s.cjimg") == img.to_bytes()
    with pytest.raises(cajal.Error, match="directory"):
        img.save(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["s.cjimg"]  # no temporary left


def spin(until):
    """Loop iterations of this thread until `until()` holds."""
    n = 0
    while not until():
        n += 1
    return n


def test_the_gil_is_released_during_a_run():
    img = cajal.compile(SYNFIRE)
    started = time.monotonic()
    alone = spin(lambda: time.monotonic() - started > 0.2)
    rate = alone / (time.monotonic() - started)  # iterations per second
    inside, done = threading.Event(), threading.Event()
    result = {}

    def run():
        inside.set()
        result["res"] = img.run(500_000)  # a second or more
        done.set()

    worker = threading.Thread(target=run)
    worker.start()
    inside.wait()
    began = time.monotonic()
    during = spin(done.is_set)
    window = time.monotonic() - began
    worker.join()
    assert result["res"].steps == 500_000
    # Held for the run, the GIL would let this thread spin one switch
    # interval (5 ms) at most; released, it spins the whole run.
    assert window > 0.1 and during > 0.1 * rate * window, (during, rate, window)


def test_ctrl_c_stops_a_run(tmp_path):
    img = cajal.compile(SYNFIRE)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        img.run(4_000_000_000, spikes_out=tmp_path / "s.csv")  # hours if not stopped
    timer.join()
    assert time.monotonic() - started < 60
    # The file holds the finished steps, as the CLI's after Ctrl-C; the image
    # runs again.
    assert read(tmp_path / "s.csv").startswith(b"step,node,index\n")
    assert img.run(10).steps == 10


def test_nir_models_keep_their_output_names(tmp_path):
    nir = os.path.join(SOURCE, "tests", "e2e", "nir", "data", "lif_norse.nir")
    with pytest.raises(cajal.Error) as raised:
        cajal.compile(nir)
    assert str(raised.value) == cli_error("compile", nir, "-o", str(tmp_path / "x"))
    assert "needs --dt" in str(raised.value)
    img = cajal.compile(nir, dt=1e-4)
    cli_ok("compile", nir, "--dt", "1e-4", "-o", str(tmp_path / "n.cjimg"))
    assert img.to_bytes() == read(tmp_path / "n.cjimg")
    drive = np.array([[t, 0] for t in range(0, 1000, 3)])
    with open(tmp_path / "in.csv", "w") as f:
        f.write("step,node,index\n" + "".join(f"{t},input,0\n" for t, _ in drive))
    cli_ok("run", str(tmp_path / "n.cjimg"), "--steps", "1000", "--input",
           str(tmp_path / "in.csv"), "--spikes-out", str(tmp_path / "cli.csv"), "--quiet")
    from_cli = csv_spikes(tmp_path / "cli.csv")
    res = img.run(1000, inputs={"input": drive})
    assert "output" in from_cli and len(from_cli["output"]) > 0
    for name, pairs in from_cli.items():
        np.testing.assert_array_equal(res.spikes[name], pairs)


def test_the_float_engine_gives_the_cli_float_spikes(tmp_path, driven_files):
    model = os.path.join(SOURCE, "examples", "izhikevich.mlir")
    cli_ok("run", model, "--engine", "float", "--steps", "1000", "--profile", "loihi2",
           "--spikes-out", str(tmp_path / "f.csv"), "--quiet")
    res = cajal.run_float(model, 1000)
    from_cli = csv_spikes(tmp_path / "f.csv")
    assert res.engine == "float" and res.power is None
    assert sum(map(len, from_cli.values())) > 50
    for name, pairs in from_cli.items():
        np.testing.assert_array_equal(res.spikes[name], pairs)
        assert res.spike_counts[name] == len(pairs)
    # With external input, from the model's text.
    d, dense = driven_files
    cli_ok("run", str(d / "driven.mlir"), "--engine", "float", "--steps", "300", "--input",
           str(d / "input.csv"), "--spikes-out", str(tmp_path / "d.csv"), "--quiet")
    res = cajal.run_float(DRIVEN, 300, inputs={"in": dense})
    np.testing.assert_array_equal(res.spikes["exc"], csv_spikes(tmp_path / "d.csv")["exc"])
    with pytest.raises(ValueError, match=r"no external input 'x' \(its external inputs: in\)"):
        cajal.run_float(DRIVEN, 10, inputs={"x": dense})


def test_probes_are_the_cli_state_rows(tmp_path, driven_files):
    d, dense = driven_files
    probed = tmp_path / "probed.mlir"
    probed.write_text(DRIVEN.replace("probe_kind<spikes>", "probe_kind<state>"))
    cli_ok("compile", str(probed), "-o", str(tmp_path / "p.cjimg"))
    cli_ok("run", str(tmp_path / "p.cjimg"), "--steps", "300", "--input", str(d / "input.csv"),
           "--probes-out", str(tmp_path / "cli.csv"), "--quiet")
    res = cajal.load(tmp_path / "p.cjimg").run(300, inputs={"in": dense},
                                                   probes_out=tmp_path / "py.csv")
    assert read(tmp_path / "py.csv") == read(tmp_path / "cli.csv")
    u = np.zeros((300, 16), dtype=np.int32)
    v = np.zeros((300, 16), dtype=np.int32)
    with open(tmp_path / "cli.csv", newline="") as f:
        for step, node, index, su, sv in list(csv.reader(f))[1:]:
            assert node == "exc"
            u[int(step), int(index)], v[int(step), int(index)] = int(su), int(sv)
    assert sorted(res.probes) == ["exc"]
    assert res.probes["exc"]["u"].dtype == np.int32
    np.testing.assert_array_equal(res.probes["exc"]["u"], u)
    np.testing.assert_array_equal(res.probes["exc"]["v"], v)
    assert np.count_nonzero(v) > 100
    assert res.dense("exc").shape == (300, 16)
