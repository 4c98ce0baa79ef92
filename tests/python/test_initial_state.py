"""Initial state per neuron (`initial` on snn.population) on the chip.

A population's `initial` values become each neuron's state words in the
image (docs/mapping.md, "Initial state"). Checked end to end:
- values in the model's units start each neuron where the model says: one
  above threshold spikes at step 0, the others do not, in every engine and
  in the float engine;
- draws from a normal distribution have its mean and standard deviation;
- a neuron's draw is its own, however the population is sliced onto cores,
  and the seed matters;
- values that do not fit the state word are refused, by the CLI with the
  population named and no output file.

Environment (tests/python/CMakeLists.txt): PYTHONPATH has the built package,
CAJAL the cajal binary.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import cajal

PROFILES = Path(__file__).resolve().parents[2] / "chip" / "profiles"

# Membrane potentials in mV; tau_mem = 1 s at dt = 1 ms, so v moves by at
# most 0.015 mV a step toward v_leak = -65 mV; threshold -50 mV.
LIF = ("#snn.continuous<tau_mem = 1.0, v_th = -50.0, v_leak = -65.0, "
       "v_reset = -65.0>")


def network(initial, size, extra="", seed=3):
    return f"""
snn.network @n attributes {{dt = 1.0e-3 : f64}} {{
  %e = snn.population @e {{model = #snn.model<lif>, params = {LIF}, initial = {{v = {initial}}}, initial_seed = {seed} : i64}} : !snn.spikes<{size}>
  {extra}
}}
"""


def initial_v(image, population):
    """Each neuron's initial v word (the LIF family's state word 1), read
    from the image's JSON form through the population's slices."""
    doc = image.json()
    pop = next(p for p in doc["populations"] if p["name"] == population)
    words = np.zeros(pop["size"], dtype=np.int64)
    for s in pop["slices"]:
        comps = doc["cores"][s["core"]]["compartments"]
        for k in range(s["count"]):
            state = comps[s["firstCompartment"] + k]["initialState"]
            words[s["firstNeuron"] + k] = state[1]
    return words


@pytest.mark.parametrize("engine", ["golden", "reference", "systemc"])
def test_values_per_neuron_start_where_the_model_says(engine):
    image = cajal.compile(network("array<f64: -49.0, -50.5, -58.0, -65.0>", 4))
    res = image.run(5, engine=engine)
    # Only the neuron that starts above threshold spikes, at step 0.
    np.testing.assert_array_equal(res.spikes["e"], [[0, 0]])
    # The words are v - v_reset in the chip's units: 16, 14.5, 7 and 0 mV.
    v = initial_v(image, "e")
    assert v[3] == 0
    np.testing.assert_allclose(v[:3] / v[0], [1.0, 14.5 / 16, 7 / 16],
                               rtol=1e-4)


def test_float_engine_starts_from_the_same_values(tmp_path):
    res = cajal.run_float(network("array<f64: -49.0, -50.5, -58.0, -65.0>", 4),
                          5)
    np.testing.assert_array_equal(res.spikes["e"], [[0, 0]])


def test_normal_draws_have_the_distributions_moments():
    # A reference population starts at -55 mV, 10 mV above v_reset, which
    # gives the chip's units per mV (both populations have one scale).
    ref = (f"%r = snn.population @r {{model = #snn.model<lif>, params = {LIF}, "
           "initial = {v = -55.0}} : !snn.spikes<1>")
    n = 20000
    image = cajal.compile(network(
        "#snn.normal<mean = -58.0, std = 4.0>", n, extra=ref))
    per_mv = initial_v(image, "r")[0] / 10.0
    v = initial_v(image, "e") / per_mv - 65.0
    assert abs(v.mean() + 58.0) < 5 * 4.0 / np.sqrt(n)
    assert abs(v.std() / 4.0 - 1) < 0.02
    # Clipped at 6 standard deviations.
    assert v.min() >= -58.0 - 24.0 - 1 / per_mv
    assert v.max() <= -58.0 + 24.0 + 1 / per_mv


def what_if_profile(tmp_path, compartments):
    """loihi1 with `compartments` per core (its base copied beside it)."""
    shutil.copy(PROFILES / "loihi1.json", tmp_path / "loihi1.json")
    path = tmp_path / f"small{compartments}.json"
    path.write_text(json.dumps({
        "format": "cajal-profile/1", "name": f"small{compartments}",
        "description": "loihi1 with small cores: the population is sliced "
                       "differently",
        "base": "loihi1",
        "sources": {"test": "a what-if profile of the test"},
        "fields": {"core.compartments": {"value": compartments,
                                         "unit": "compartments",
                                         "source": "test"}}}))
    return str(path)


def test_draws_are_each_neurons_own_however_sliced(tmp_path):
    source = network("#snn.uniform<low = -70.0, high = -52.0>", 3000)
    whole = cajal.compile(source)
    sliced = cajal.compile(source, profile=what_if_profile(tmp_path, 100))
    assert whole.cores == 3 and sliced.cores == 30
    np.testing.assert_array_equal(initial_v(whole, "e"),
                                  initial_v(sliced, "e"))
    other = cajal.compile(network("#snn.uniform<low = -70.0, high = -52.0>",
                                  3000, seed=4))
    assert (initial_v(other, "e") != initial_v(whole, "e")).mean() > 0.99
    # Another population with the same seed draws its own values.
    twin = ("%f = snn.population @f {model = #snn.model<lif>, params = "
            f"{LIF}, initial = {{v = #snn.uniform<low = -70.0, high = -52.0>}}, "
            "initial_seed = 3 : i64} : !snn.spikes<3000>")
    both = cajal.compile(network("#snn.uniform<low = -70.0, high = -52.0>",
                                 3000, extra=twin))
    np.testing.assert_array_equal(initial_v(both, "e"), initial_v(whole, "e"))
    assert (initial_v(both, "f") != initial_v(both, "e")).mean() > 0.99


def test_cli_refuses_a_value_the_state_word_cannot_hold(tmp_path):
    source = tmp_path / "bad.mlir"
    source.write_text(network("array<f64: -58.0, 1.0e12>", 2))
    out = tmp_path / "bad.cjimg"
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    r = subprocess.run([os.environ["CAJAL"], "compile", str(source), "-o",
                        str(out)], capture_output=True, text=True, env=env)
    assert r.returncode == 1, r.stderr
    assert f"{source}:3:8: error: 'snn.population' op" in r.stderr
    assert "population \"e\": initial 'v' values lie in [7, 1000000000065]" \
        in r.stderr
    assert "32-bit state word holds [-2147483648, 2147483647]" in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]
