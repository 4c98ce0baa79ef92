"""Count-based random connectors (#snn.fixed_number) on the chip.

Each network drives a population through the connector under test and a
reference population one-to-one with the same weight, both integrating one
step of input (decay_u = 1, no spikes). On the golden model a post neuron's
input u is then the number of synapses it receives times the reference's u:
in_degree gives every post exactly K; total gives N in all; out_degree,
driven by one pre neuron, gives K. Weights and delays drawn per synapse
from distributions arrive with their spread. The compile is deterministic
and the seed matters. Bad counts are refused with the projection named, by the CLI with
the file and line and no output file.

Environment (tests/python/CMakeLists.txt): PYTHONPATH has the built package,
CAJAL the cajal binary.
"""
import os
import subprocess

import numpy as np
import pytest

import cajal

def network(rule, events, pre=200, post=300, recurrent=False,
            threshold="1000000.0"):
    """An snn network: source `src` spiking at step 0 on `events`, `post`
    driven by RULE (from src, or from itself when recurrent), `ref` driven
    one-to-one."""
    params = ("#snn.discrete<decay_u = 1.0, decay_v = 0.0, "
              f"v_th = {threshold}>")
    spikes = ", ".join(f"[0, {c}]" for c in events)
    origin = "%post" if recurrent else "%src"
    size = post if recurrent else pre
    return f"""
snn.network @n attributes {{dt = 1.0e-3 : f64}} {{
  %src = snn.file_source @src {{events = dense<[{spikes}]> : tensor<{len(events)}x2xi64>}} : !snn.spikes<{pre}>
  %post = snn.population @post {{model = #snn.model<lif>, params = {params}}} : !snn.spikes<{post}>
  %ref = snn.population @ref {{model = #snn.model<lif>, params = {params}}} : !snn.spikes<{pre}>
  snn.projection @p {origin} -> %post {{connectivity = {rule}}} : !snn.spikes<{size}> -> !snn.spikes<{post}>
  snn.projection @r %src -> %ref {{connectivity = #snn.one_to_one<1.0>}} : !snn.spikes<{pre}> -> !snn.spikes<{pre}>
  snn.probe %post {{kind = #snn.probe_kind<state>}} : !snn.spikes<{post}>
  snn.probe %ref {{kind = #snn.probe_kind<state>}} : !snn.spikes<{pre}>
}}
"""


def synapses_onto(rule, events):
    """Per post neuron, the synapses from the spiking `events` (in units of
    one synapse's input, read off the reference population)."""
    res = cajal.compile(network(rule, events)).run(4, engine="golden")
    unit = res.probes["ref"]["u"].max(axis=0)[list(events)]
    assert unit.min() == unit.max() > 0, unit
    received = res.probes["post"]["u"].max(axis=0)
    assert np.all(received % unit[0] == 0)
    return received // unit[0]


@pytest.mark.parametrize("multapses", ["true", "false"])
def test_in_degree_gives_every_post_exactly_k(multapses):
    rule = ("#snn.fixed_number<in_degree = 7, seed = 3, weight = 1.0, "
            f"allow_multapses = {multapses}>")
    assert list(synapses_onto(rule, range(200))) == [7] * 300


@pytest.mark.parametrize("multapses", ["true", "false"])
def test_total_makes_exactly_n(multapses):
    rule = ("#snn.fixed_number<total = 4321, seed = 5, weight = 1.0, "
            f"allow_multapses = {multapses}>")
    per_post = synapses_onto(rule, range(200))
    assert per_post.sum() == 4321
    # Binomial(4321, 1/300) per post: mean 14.4, sd 3.8.
    assert 2.0 < per_post.std() < 6.0


@pytest.mark.parametrize("pre", [0, 57, 199])
def test_out_degree_gives_one_pre_exactly_k(pre):
    rule = ("#snn.fixed_number<out_degree = 11, seed = 9, weight = 1.0, "
            "allow_multapses = false>")
    per_post = synapses_onto(rule, [pre])
    assert per_post.sum() == 11
    assert per_post.max() == 1  # no multapses: 11 distinct posts


def test_compile_is_deterministic_and_seeded():
    def image(seed):
        return cajal.compile(network(
            f"#snn.fixed_number<in_degree = 20, seed = {seed}, weight = 0.5>",
            range(200))).to_bytes()
    assert image(1) == image(1)
    assert image(1) != image(2)


@pytest.mark.parametrize("rule, message", [
    ("#snn.fixed_number<in_degree = 201, seed = 1, weight = 1.0, "
     "allow_multapses = false>",
     "fixed_number in_degree = 201 without multapses, but there are only "
     "200 pre neurons per post neuron"),
    ("#snn.fixed_number<total = -3, seed = 1, weight = 1.0>",
     "fixed_number total must be >= 0, got -3"),
])
def test_bad_counts_are_refused(rule, message):
    with pytest.raises(cajal.Error) as error:
        cajal.compile(network(rule, range(200)))
    assert message in str(error.value)
    assert "'snn.projection' op" in str(error.value)


def test_recurrent_without_self():
    # 299 others for each of 300 neurons fit; 300 do not.
    rule = ("#snn.fixed_number<in_degree = 299, seed = 4, weight = 1.0, "
            "allow_self = false, allow_multapses = false>")
    cajal.compile(network(rule, [0], recurrent=True))
    with pytest.raises(cajal.Error, match="there are only 299 pre neurons "
                       r"per post neuron \(allow_self = false\)"):
        cajal.compile(network(rule.replace("299", "300"), [0],
                              recurrent=True))


def test_cli_refuses_a_bad_count_without_output(tmp_path):
    source = tmp_path / "bad.mlir"
    source.write_text(network(
        "#snn.fixed_number<out_degree = 301, seed = 1, weight = 1.0, "
        "allow_multapses = false>", range(200)))
    out = tmp_path / "bad.cjimg"
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    r = subprocess.run([os.environ["CAJAL"], "compile", str(source), "-o",
                        str(out)], capture_output=True, text=True, env=env)
    assert r.returncode == 1
    assert f"{source}:6:3: error:" in r.stderr
    assert ("fixed_number out_degree = 301 without multapses, but there are "
            "only 300 post neurons per pre neuron") in r.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_drawn_weights_and_delays_arrive_spread():
    # One pre neuron spikes at step 0 into 400 posts, one synapse each, with
    # a weight from N(1, 0.2^2) clipped at 0.2 and a delay uniform on
    # 1..6 steps (drawn on [0.5, 6.5], rounded).
    rule = ("#snn.fixed_number<in_degree = 1, seed = 11, "
            "weight = #snn.normal<mean = 1.0, std = 0.2, low = 0.2>, "
            "delay = #snn.uniform<low = 0.5, high = 6.5>>")
    # A threshold of 10 (never reached) lets a weight of 1 be many units.
    text = network(rule, [0], pre=1, post=400, threshold="10.0").replace(
        "#snn.one_to_one<1.0>", "#snn.one_to_one<0.5>")
    res = cajal.compile(text).run(12, engine="golden")
    half = res.probes["ref"]["u"].max()  # the input of a weight of 0.5
    assert half > 0
    u = res.probes["post"]["u"]
    arrivals = [np.flatnonzero(u[:, j]) for j in range(400)]
    assert all(len(a) == 1 for a in arrivals)
    steps = np.array([a[0] for a in arrivals])
    first = res.probes["ref"]["u"][:, 0].nonzero()[0][0]  # delay 1
    delays = steps - first + 1
    assert delays.min() == 1 and delays.max() == 6
    counts = np.bincount(delays, minlength=7)[1:]
    assert counts.min() > 35, counts  # 66.7 expected each
    weights = u.max(axis=0) / (2.0 * half)
    assert abs(weights.mean() - 1.0) < 0.05, weights.mean()
    assert 0.15 < weights.std() < 0.25, weights.std()
    assert weights.min() >= 0.2 - 1.0 / half
