#!/usr/bin/python3
"""check_brian_models.py - known physics of the Brian2 equation-model references.

Runs each model of brian_models.py in Brian2 (numpy runtime, float64) and
checks behaviour that follows from the equations, independently of Cajal:

* hh, I = 10 uA/cm2: repetitive firing at 60-75 Hz over 1 s (dt 0.01 ms);
  I = 0: no spike (the initial state is the resting state);
* hh: the firing rate (from the mean ISI) at dt 0.01 and 0.005 ms agrees
  within 1 %: the exponential Euler solution has converged;
* hh: every spike is an upward crossing of 0 mV seen in the recorded
  voltage, in the same step, and every such crossing is a spike (the copy
  of v before the update runs before the solver);
* izhikevich: the five published sets under I = 8, 10, 14 (1000 ms, dt
  0.1 ms, euler) get their pattern labels (firing_patterns.py): RS regular,
  IB initial_burst, CH chattering, FS fast, LTS low_threshold;
* alif, I = 3: the first spike falls in the step containing the analytic
  crossing time -tau_m ln(1 - v_th / I); the ISIs lengthen (adaptation),
  while with beta = 0 they are all equal;
* rf: a constant current fires only if the first overshoot of the damped
  oscillation towards the fixed point reaches vth: the threshold current
  follows from the closed-form step response, and 0.97 and 1.03 times it
  stay silent and fire; for I = 0.3 the spikes are the upward crossings of
  the analytic solution, at least one period 2 pi / w = 20 ms apart (the
  50 Hz resonance), and stop as the oscillation decays; the closed-form
  'exact' propagator (dt 0.01 ms) agrees with rk2 at dt 0.001 ms.

Exit status 0 if every check passes, 1 otherwise (each failure printed).
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brian_models as bm  # noqa: E402
import firing_patterns as fp  # noqa: E402

EXPECTED_IZHIKEVICH = {"RS": "regular", "IB": "initial_burst",
                       "CH": "chattering", "FS": "fast",
                       "LTS": "low_threshold"}
IZHIKEVICH_CURRENTS = (8.0, 10.0, 14.0)

failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message, flush=True)
    if not condition:
        failures.append(message)


def short(values, limit=12):
    """VALUES rounded to 0.1 for a message, at most LIMIT of them."""
    values = [round(float(v), 1) for v in values]
    return str(values[:limit])[:-1] + (", ...]" if len(values) > limit else "]")


def isi_rate_hz(times):
    return 1000.0 / np.mean(np.diff(times)) if len(times) >= 2 else 0.0


def check_hh():
    result = bm.simulate("hh", [10.0, 0.0], 1000.0, 0.01, "exponential_euler",
                         record=("v",))
    driven, rest = result["times"]
    print(f"      hh I=10, dt 0.01 ms: {len(driven)} spikes in 1 s "
          f"({isi_rate_hz(driven):.3f} Hz from the mean ISI)")
    check(60 <= len(driven) <= 75,
          f"hh I=10 fires repetitively at 60-75 Hz (got {len(driven)} Hz)")
    check(len(rest) == 0, f"hh I=0 stays silent (got {len(rest)} spikes)")

    v = result["states"]["v"][0]
    before = np.concatenate(([bm.HH_INITIAL["v"]], v[:-1]))
    crossings = np.flatnonzero((before <= 0) & (v > 0)) + 1
    spikes = result["steps"][result["neurons"] == 0]
    check(np.array_equal(crossings, spikes),
          f"hh spikes are the upward 0 mV crossings of the recorded v, in "
          f"their step ({len(spikes)} spikes, {len(crossings)} crossings)")

    fine = bm.simulate("hh", [10.0], 1000.0, 0.005, "exponential_euler")
    coarse_rate = isi_rate_hz(driven)
    fine_rate = isi_rate_hz(fine["times"][0])
    relative = (abs(coarse_rate - fine_rate) / fine_rate if fine_rate > 0
                else float("inf"))
    print(f"      hh I=10 rate: {coarse_rate:.3f} Hz at dt 0.01 ms, "
          f"{fine_rate:.3f} Hz at dt 0.005 ms ({100 * relative:.3f} %)")
    check(relative < 0.01,
          f"hh rate at dt 0.01 and 0.005 ms within 1 % "
          f"({100 * relative:.3f} %)")


def check_izhikevich():
    for name, expected in EXPECTED_IZHIKEVICH.items():
        result = bm.simulate("izhikevich", IZHIKEVICH_CURRENTS, 1000.0, 0.1,
                             "euler", name)
        for current, times in zip(IZHIKEVICH_CURRENTS, result["times"]):
            label = fp.classify(times)
            print(f"      izhikevich {name} I={current:g}: {label}: "
                  f"{fp.describe(times)}")
            check(label == expected,
                  f"izhikevich {name} I={current:g} is '{expected}' "
                  f"(got '{label}')")


def check_alif():
    current = 3.0
    params = bm.model_parameters("alif")
    result = bm.simulate("alif", [current], 1000.0, 1.0, "exact")
    times = result["times"][0]
    crossing = -params["tau_m"] * np.log(1 - params["v_th"] / current)
    check(len(times) > 0 and times[0] == np.ceil(crossing),
          f"alif I=3: first spike in the step of the analytic crossing "
          f"{crossing:.3f} ms, reported at {np.ceil(crossing):g} ms "
          f"(got {times[0] if len(times) else 'none'})")
    isis = np.diff(times)
    print(f"      alif I=3: {len(times)} spikes, ISIs "
          f"{short(isis, 8)}, last {isis[-1] if len(isis) else 'none'}")
    check(len(isis) >= 5 and isis[-1] >= 1.5 * isis[0]
          and np.all(np.diff(isis[:5]) >= 0),
          "alif I=3: the ISIs lengthen (last >= 1.5 x first, the first five "
          "non-decreasing)")
    plain = bm.simulate("alif", [current], 1000.0, 1.0, "exact",
                        overrides={"beta": 0.0})
    plain_isis = np.diff(plain["times"][0])
    check(len(plain_isis) >= 5 and plain_isis.max() - plain_isis.min() <= 1.0,
          f"alif I=3 with beta=0: constant ISIs (one step of jitter at most; "
          f"got {short(sorted(set(plain_isis.tolist())))})")


def rf_threshold_current(params):
    """The constant current whose step response just reaches vth: y(t) =
    Im(z*(1 - exp((b + iw) t))) with z* = -I / (b + iw), maximal at the
    first overshoot, in continuous time."""
    rate = params["b"] + 1j * params["w"]
    t = np.linspace(0.0, 2 * np.pi / params["w"], 200001)
    unit_response = np.imag(-1.0 / rate * (1 - np.exp(rate * t)))
    return params["vth"] / unit_response.max()


def check_rf():
    params = bm.model_parameters("rf")
    threshold = rf_threshold_current(params)
    currents = [0.97 * threshold, 1.03 * threshold, 0.3]
    result = bm.simulate("rf", currents, 1000.0, 0.1, "exact")
    below, above, driven = result["times"]
    print(f"      rf threshold current {threshold:.5f}; spikes at 0.97x: "
          f"{len(below)}, 1.03x: {len(above)}, I=0.3: {short(driven)}")
    check(len(below) == 0, f"rf I=0.97 I_c={currents[0]:.5f} stays silent")
    check(len(above) == 1, f"rf I=1.03 I_c={currents[1]:.5f} fires once "
          f"(got {len(above)})")
    # The exact solution sampled at the ends of the steps, from the complex
    # closed form: spikes are its upward crossings of vth, one per
    # oscillation period while the decaying peaks still reach vth.
    rate = params["b"] + 1j * params["w"]
    ends = 0.1 * np.arange(0, 10001)
    y = np.imag(-0.3 / rate * (1 - np.exp(rate * ends)))
    expected = ends[1:][(y[:-1] < params["vth"]) & (y[1:] >= params["vth"])]
    period = 2 * np.pi / params["w"]
    check(len(expected) >= 2 and len(driven) == len(expected)
          and np.allclose(driven, expected, atol=1e-9)
          and np.all(np.diff(driven) >= period),
          f"rf I=0.3: spikes at the analytic upward crossings "
          f"{short(expected)} ms, at least one period "
          f"{period:g} ms apart (got {short(driven)})")
    # Step k of dt 0.01 ends at the time of step 10 k + 9 (from 0) of dt 0.001.
    exact = bm.simulate("rf", currents, 50.0, 0.01, "exact", record=("y",))
    reference = bm.simulate("rf", currents, 50.0, 0.001, "rk2", record=("y",))
    exact_y = exact["states"]["y"]
    rk2_y = reference["states"]["y"][:, 9::10]
    deviation = np.abs(exact_y - rk2_y).max()
    check(deviation < 1e-6,
          f"rf closed-form propagator agrees with rk2 at dt 0.001 ms "
          f"(max |dy| {deviation:.2e})")


def main():
    bm.select_target("runtime", None)
    start = time.time()
    for name, run in (("izhikevich", check_izhikevich), ("alif", check_alif),
                      ("rf", check_rf), ("hh", check_hh)):
        print(f"== {name}", flush=True)
        run()
    print(f"{time.time() - start:.1f} s")
    if failures:
        print(f"{len(failures)} check(s) failed:")
        for message in failures:
            print("  " + message)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
