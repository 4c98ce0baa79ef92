"""cajal explore: a grid over profile fields, each point compiled and run by
cajal; an infeasible point keeps its reason; an interrupted sweep resumes
without redoing finished points and gives the same table."""
import csv
import json
import os
import signal
import subprocess
import time

CAJAL = os.environ["CAJAL"]
SOURCE = os.environ["CAJAL_SOURCE_DIR"]
SYNFIRE = os.path.join(SOURCE, "examples", "synfire.mlir")
# The sanitizer build preloads the ASan runtime into python3 for the module;
# cajal has its own.
CLI_ENV = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}

# 512 neurons on one 4-core tile (tilesX = 1) or eight: with 32 compartments
# per core they need 16 cores, so exactly one point of the 3 x 2 grid fails.
GRID = ["--profile", "loihi1", "--set", "mesh.tilesY=1",
        "--vary", "core.compartments=32,128,1024", "--vary", "mesh.tilesX=1,8",
        "--engine", "systemc", "--steps", "1500"]


def explore(out, *extra):
    return subprocess.run([CAJAL, "explore", SYNFIRE, *GRID, "-o", str(out), *extra],
                          capture_output=True, text=True, env=CLI_ENV)


def table(out):
    with open(out / "results.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_a_grid_with_an_infeasible_point(tmp_path):
    done = explore(tmp_path / "sweep")
    assert done.returncode == 0, done.stderr
    assert "6 points: 5 measured, 1 infeasible or failed" in done.stdout
    rows = table(tmp_path / "sweep")
    assert [(r["core.compartments"], r["mesh.tilesX"]) for r in rows] == [
        ("32", "1"), ("32", "8"), ("128", "1"), ("128", "8"), ("1024", "1"), ("1024", "8")]
    infeasible = [r for r in rows if r["status"] != "measured"]
    assert len(infeasible) == 1 and infeasible[0]["core.compartments"] == "32" \
        and infeasible[0]["mesh.tilesX"] == "1"
    assert infeasible[0]["status"] == "infeasible" and "cores" in infeasible[0]["reason"]
    measured = [r for r in rows if r["status"] == "measured"]
    for r in measured:
        assert int(r["cores_used"]) == 512 // min(int(r["core.compartments"]), 512)
        assert float(r["energy_per_step_pj"]) > 0 and float(r["time_per_step_ns"]) > 0
    # The front: no measured point is better in all three measures than one on it.
    front = [r for r in measured if r["pareto"] == "yes"]
    assert front
    key = ("energy_per_step_pj", "time_per_step_ns", "cores_used")
    for r in front:
        assert not any(all(float(o[k]) <= float(r[k]) for k in key) and
                       any(float(o[k]) < float(r[k]) for k in key) for o in measured)
    # A point's numbers are its power report's.
    point = measured[0]
    with open(tmp_path / "sweep" / "points" / point["point"] / "power.json") as f:
        power = json.load(f)
    assert float(point["energy_per_step_pj"]) == power["energyPJ"]["total"] / 1500
    with open(tmp_path / "sweep" / "results.json") as f:
        assert len(json.load(f)["points"]) == 6
    for fmt in ("png", "svg"):
        assert os.path.getsize(tmp_path / "sweep" / f"pareto.{fmt}") > 1000


def test_an_interrupted_sweep_resumes_to_the_same_table(tmp_path):
    reference = explore(tmp_path / "whole")
    assert reference.returncode == 0, reference.stderr
    out = tmp_path / "resumed"
    sweep = subprocess.Popen([CAJAL, "explore", SYNFIRE, *GRID, "-o", str(out), "--jobs", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env=CLI_ENV, start_new_session=True)
    points = out / "points"

    def finished():
        return sorted(points.glob("*/result.json")) if points.exists() else []

    while len(finished()) < 2 and sweep.poll() is None:
        time.sleep(0.05)
    os.killpg(sweep.pid, signal.SIGINT)  # Ctrl-C at the terminal
    stderr = sweep.communicate()[1]
    assert sweep.returncode == 130, stderr
    assert "run the same command again" in stderr
    assert not (out / "results.csv").exists()
    before = {p: p.stat().st_mtime_ns for p in finished()}
    assert 2 <= len(before) < 6
    done = explore(out)
    assert done.returncode == 0, done.stderr
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())  # not redone
    assert (out / "results.csv").read_bytes() == (tmp_path / "whole" / "results.csv").read_bytes()


def test_bad_sweeps_are_refused_before_any_work(tmp_path):
    for extra, message in [
            (["--vary", "core.colour=1,2"], "core.colour: not a field of profile loihi1"),
            (["--vary", "core.compartments"], "--vary core.compartments: expected FIELD=VALUE"),
            (["--vary", "core.compartments=1:9"], "a range needs --sample random or lhs"),
            (["--set", "mesh.tilesY=1,2"], "--set mesh.tilesY: exactly one value"),
            (["--profile", "no-such-chip"], "--profile no-such-chip: no installed profile")]:
        out = tmp_path / "never"
        done = subprocess.run([CAJAL, "explore", SYNFIRE, *GRID, *extra, "-o", str(out)],
                              capture_output=True, text=True, env=CLI_ENV)
        assert done.returncode == 1 and message in done.stderr, (extra, done.stderr)
        assert not out.exists()
    # A Latin-hypercube sample over a range: every stratum of the range used once.
    done = subprocess.run([CAJAL, "explore", SYNFIRE, "--vary", "core.compartments=512:1024",
                           "--sample", "lhs", "--points", "4", "--engine", "golden",
                           "--steps", "10", "-o", str(tmp_path / "lhs")],
                          capture_output=True, text=True, env=CLI_ENV)
    assert done.returncode == 0, done.stderr
    values = sorted(int(r["core.compartments"]) for r in table(tmp_path / "lhs"))
    assert [(v - 512) * 4 // 513 for v in values] == [0, 1, 2, 3]
