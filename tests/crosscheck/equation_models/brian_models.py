#!/usr/bin/python3
"""brian_models.py - float64 Brian2 references of Cajal's equation-defined neuron models.

Usage: brian_models.py MODEL [--set RS|IB|CH|FS|LTS] --current I [I ...]
                       [--dt-ms DT] [--solver euler|exponential_euler|rk2|exact]
                       --duration-ms T [--target runtime|cpp_standalone]
                       [--spikes-out spikes.csv]
                       [--states-out states.csv --record v,u]
                       [--param NAME=VALUE ...] [--work DIR]

MODEL is one of hh, izhikevich, alif, rf (docs/models.md gives the
equations). One neuron is made per current; neuron k gets the k-th current,
constant for the whole run. The model's shared constants are scalars;
--param overrides one (e.g. --param beta=0 for alif). --work is the project
directory of the cpp_standalone target.

Units: every state variable and parameter is a dimensionless Brian2 number
holding the value in the model's own units (mV, ms, mS/cm2, uA/cm2, uF/cm2
for hh; mV and ms for izhikevich; the normalised units of alif and rf), and
each differential equation divides its right-hand side by `ms`, so that
dt is the only quantity carrying a Brian2 unit. Everything is float64.

Order within a step (Brian2's schedule start, groups, thresholds, resets,
end): the state of the step before is copied to the `*_prev` variables in
the 'before_groups' slot, the solver advances the state by dt in 'groups',
the spike condition is evaluated on the new state (and the copied one, for
the crossings) in 'thresholds', the reset applies in 'resets'.

Spike-time convention: steps are counted from 1; the step that takes the
state from time (k-1)*dt to k*dt is step k, and a spike detected after that
update is reported at time_ms = k * dt_ms. This is the step index an engine
reports when it numbers a step after its update. (Brian2's SpikeMonitor
stamps the same spike with the start of the step, (k-1)*dt; this module adds
one dt.) The spike CSV has the header `neuron,time_ms`, rows sorted by time
then neuron.

State CSV (--states-out): header `neuron,time_ms,VAR...`, one row per neuron
and step, the values after the step's update and reset (recorded in the
'end' slot), at time_ms = k * dt_ms as above.

Solvers map to Brian2 methods: euler -> 'euler', exponential_euler ->
'exponential_euler', rk2 -> 'rk2' (the midpoint method), exact -> 'exact'
for alif; for rf, whose linear system has complex eigenvalues that Brian2's
'exact' method does not handle, exact is the closed-form propagator written
out as an operation in the 'groups' slot (RF_EXACT_STEP). exact does not
apply to the nonlinear hh and izhikevich.
"""

import argparse
import csv
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)

import brian2 as b2  # noqa: E402

MODELS = ("hh", "izhikevich", "alif", "rf")
SOLVERS = {
    "euler": "euler",
    "exponential_euler": "exponential_euler",
    "rk2": "rk2",
    "exact": "exact",
}
DEFAULT_SOLVER = {
    "hh": "exponential_euler",
    "izhikevich": "euler",
    "alif": "exact",
    "rf": "exact",
}
DEFAULT_DT_MS = {"hh": 0.01, "izhikevich": 0.1, "alif": 1.0, "rf": 0.1}

# Izhikevich (2003, 2004) parameter sets: a, b, c, d.
IZHIKEVICH_SETS = {
    "RS": dict(a=0.02, b=0.2, c=-65.0, d=8.0),
    "IB": dict(a=0.02, b=0.2, c=-55.0, d=4.0),
    "CH": dict(a=0.02, b=0.2, c=-50.0, d=2.0),
    "FS": dict(a=0.1, b=0.2, c=-65.0, d=2.0),
    "LTS": dict(a=0.02, b=0.25, c=-65.0, d=2.0),
}

HH_PARAMS = dict(C=1.0, gNa=120.0, gK=36.0, gL=0.3, ENa=50.0, EK=-77.0,
                 EL=-54.387)
HH_INITIAL = dict(v=-65.0, m=0.0529, h=0.5961, n=0.3177)
ALIF_PARAMS = dict(tau_m=20.0, tau_a=200.0, v_th=1.0, beta=0.5)
RF_PARAMS = dict(b=-0.05, w=2 * np.pi * 0.05, vth=1.0)

# The variables each model can record (--record) and the default.
STATE_VARIABLES = {
    "hh": ("v", "m", "h", "n"),
    "izhikevich": ("v", "u"),
    "alif": ("v", "a"),
    "rf": ("x", "y"),
}

# Equations: values in model units, time derivatives divided by ms.
HH_EQUATIONS = """
dv/dt = (I - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL)) / C / ms : 1
dm/dt = (alpha_m*(1 - m) - beta_m*m) / ms : 1
dh/dt = (alpha_h*(1 - h) - beta_h*h) / ms : 1
dn/dt = (alpha_n*(1 - n) - beta_n*n) / ms : 1
alpha_m = 0.1*(v + 40) / (1 - exp(-(v + 40)/10)) : 1
beta_m = 4*exp(-(v + 65)/18) : 1
alpha_h = 0.07*exp(-(v + 65)/20) : 1
beta_h = 1 / (1 + exp(-(v + 35)/10)) : 1
alpha_n = 0.01*(v + 55) / (1 - exp(-(v + 55)/10)) : 1
beta_n = 0.125*exp(-(v + 65)/80) : 1
I : 1 (constant)
v_prev : 1
"""

IZHIKEVICH_EQUATIONS = """
dv/dt = (0.04*v**2 + 5*v + 140 - u + I) / ms : 1
du/dt = a*(b*v - u) / ms : 1
I : 1 (constant)
"""

ALIF_EQUATIONS = """
dv/dt = (-v + I) / (tau_m*ms) : 1
da/dt = -a / (tau_a*ms) : 1
I : 1 (constant)
"""

RF_EQUATIONS = """
dx/dt = (b*x - w*y + I) / ms : 1
dy/dt = (w*x + b*y) / ms : 1
I : 1 (constant)
y_prev : 1
"""

# Brian2's 'exact' method rejects rf (the system matrix has the complex
# eigenvalues b +- iw), so the exact solver of rf is the closed-form
# propagator of z = x + iy, dz/dt = (b + iw) z + I, written as an operation
# in the 'groups' slot: with the fixed point z* = -I / (b + iw),
# z(t + dt) = z* + exp((b + iw) dt) (z(t) - z*).
RF_EXACT_STATE = """
x : 1
y : 1
I : 1 (constant)
y_prev : 1
"""
RF_EXACT_STEP = """
y_prev = y
x_rel = x - I*x_star_per_I
y_rel = y - I*y_star_per_I
x = I*x_star_per_I + decay_cos*x_rel - decay_sin*y_rel
y = I*y_star_per_I + decay_sin*x_rel + decay_cos*y_rel
"""


def model_parameters(model, izhikevich_set="RS", overrides=None):
    """The shared scalar constants of MODEL (a dict), with OVERRIDES applied."""
    if model == "hh":
        params = dict(HH_PARAMS)
    elif model == "izhikevich":
        if izhikevich_set not in IZHIKEVICH_SETS:
            raise ValueError(f"izhikevich: unknown parameter set "
                             f"'{izhikevich_set}' (one of "
                             f"{', '.join(IZHIKEVICH_SETS)})")
        params = dict(IZHIKEVICH_SETS[izhikevich_set])
    elif model == "alif":
        params = dict(ALIF_PARAMS)
    elif model == "rf":
        params = dict(RF_PARAMS)
    else:
        raise ValueError(f"unknown model '{model}' (one of {', '.join(MODELS)})")
    for name, value in (overrides or {}).items():
        if name not in params:
            raise ValueError(f"{model}: no parameter '{name}' (parameters: "
                             f"{', '.join(params)})")
        params[name] = float(value)
    return params


def build(model, params, currents, dt_ms, solver, record=(), name=None):
    """A Brian2 Network of len(CURRENTS) neurons of MODEL, one per current.

    PARAMS are the shared constants (model_parameters); SOLVER one of
    SOLVERS; RECORD the state variables to monitor after every step.
    Returns (network, group, spike_monitor, state_monitor or None).
    The device (runtime or cpp_standalone) must be chosen before the call.
    """
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver '{solver}' (one of "
                         f"{', '.join(SOLVERS)})")
    if model not in MODELS:
        raise ValueError(f"unknown model '{model}' (one of {', '.join(MODELS)})")
    if not dt_ms > 0:
        raise ValueError(f"dt must be positive, not {dt_ms} ms")
    for var in record:
        if var not in STATE_VARIABLES[model]:
            raise ValueError(f"{model}: cannot record '{var}' (variables: "
                             f"{', '.join(STATE_VARIABLES[model])})")
    currents = np.asarray(currents, dtype=np.float64)
    count = len(currents)
    if count == 0:
        raise ValueError("at least one current is needed")
    method = SOLVERS[solver]
    clock = b2.Clock(dt=dt_ms * b2.ms)
    namespace = dict(params)
    namespace["ms"] = b2.ms
    prefix = name or model
    if model == "hh":
        group = b2.NeuronGroup(count, HH_EQUATIONS, method=method,
                               threshold="v > 0 and v_prev <= 0", reset="",
                               clock=clock, namespace=namespace,
                               name=prefix + "_neurons")
        for var, value in HH_INITIAL.items():
            setattr(group, var, value)
        group.run_regularly("v_prev = v", when="before_groups",
                            name=prefix + "_copy_prev")
    elif model == "izhikevich":
        group = b2.NeuronGroup(count, IZHIKEVICH_EQUATIONS, method=method,
                               threshold="v >= 30", reset="v = c\nu = u + d",
                               clock=clock, namespace=namespace,
                               name=prefix + "_neurons")
        group.v = -65.0
        group.u = params["b"] * -65.0
    elif model == "alif":
        # The reset's first line uses a before the second line adds 1.
        group = b2.NeuronGroup(count, ALIF_EQUATIONS, method=method,
                               threshold="v > v_th + beta*a",
                               reset="v = v - (v_th + beta*a)\na = a + 1",
                               clock=clock, namespace=namespace,
                               name=prefix + "_neurons")
        group.v = 0.0
        group.a = 0.0
    elif solver == "exact":  # rf, closed form (RF_EXACT_STEP)
        b, w = params["b"], params["w"]
        decay = np.exp(b * dt_ms)
        namespace.update(x_star_per_I=-b / (b * b + w * w),
                         y_star_per_I=w / (b * b + w * w),
                         decay_cos=decay * np.cos(w * dt_ms),
                         decay_sin=decay * np.sin(w * dt_ms))
        group = b2.NeuronGroup(count, RF_EXACT_STATE,
                               threshold="y >= vth and y_prev < vth", reset="",
                               clock=clock, namespace=namespace,
                               name=prefix + "_neurons")
        group.x = 0.0
        group.y = 0.0
        group.run_regularly(RF_EXACT_STEP, when="groups",
                            name=prefix + "_exact_step")
    else:  # rf, a Brian2 solver
        group = b2.NeuronGroup(count, RF_EQUATIONS, method=method,
                               threshold="y >= vth and y_prev < vth", reset="",
                               clock=clock, namespace=namespace,
                               name=prefix + "_neurons")
        group.x = 0.0
        group.y = 0.0
        group.run_regularly("y_prev = y", when="before_groups",
                            name=prefix + "_copy_prev")
    group.I = currents
    spikes = b2.SpikeMonitor(group, name=prefix + "_spikes")
    states = None
    if record:
        states = b2.StateMonitor(group, list(record), record=True, when="end",
                                 name=prefix + "_states")
    network = b2.Network(group, spikes)
    if states is not None:
        network.add(states)
    return network, group, spikes, states


def spike_steps(spike_monitor, dt_ms):
    """(neuron, step) integer arrays, steps counted from 1 (module header)."""
    neurons = np.asarray(spike_monitor.i[:], dtype=np.int64)
    steps = np.rint(np.asarray(spike_monitor.t[:] / b2.ms) / dt_ms).astype(
        np.int64) + 1
    order = np.lexsort((neurons, steps))
    return neurons[order], steps[order]


def spike_times(spike_monitor, dt_ms, count):
    """A list of COUNT arrays: neuron k's spike times in ms (k * dt)."""
    neurons, steps = spike_steps(spike_monitor, dt_ms)
    return [steps[neurons == k] * dt_ms for k in range(count)]


def simulate(model, currents, duration_ms, dt_ms=None, solver=None,
             izhikevich_set="RS", overrides=None, record=()):
    """Run MODEL in the current device; returns a dict with 'times' (a list
    of per-neuron spike-time arrays, ms), 'neurons' and 'steps' (the spike
    table) and 'states' ({var: array[neuron, step]}, after each step)."""
    dt_ms = DEFAULT_DT_MS[model] if dt_ms is None else dt_ms
    solver = DEFAULT_SOLVER[model] if solver is None else solver
    params = model_parameters(model, izhikevich_set, overrides)
    network, _, spikes, states = build(model, params, currents, dt_ms, solver,
                                       record)
    steps_total = int(round(duration_ms / dt_ms))
    network.run(steps_total * dt_ms * b2.ms)
    neurons, steps = spike_steps(spikes, dt_ms)
    result = dict(neurons=neurons, steps=steps, dt_ms=dt_ms,
                  times=[steps[neurons == k] * dt_ms
                         for k in range(len(currents))],
                  states={})
    if states is not None:
        for var in record:
            result["states"][var] = np.asarray(getattr(states, var))
    return result


def write_spikes(path, neurons, steps, dt_ms):
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["neuron", "time_ms"])
        for neuron, step in zip(neurons, steps):
            writer.writerow([int(neuron), f"{step * dt_ms:.12g}"])


def write_states(path, states, dt_ms):
    names = list(states)
    count, steps_total = states[names[0]].shape
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["neuron", "time_ms"] + names)
        for k in range(steps_total):
            time_ms = f"{(k + 1) * dt_ms:.12g}"
            for neuron in range(count):
                writer.writerow([neuron, time_ms] +
                                [repr(float(states[v][neuron, k]))
                                 for v in names])


def select_target(target, work_dir):
    """Choose Brian2's device: numpy runtime or C++ standalone."""
    b2.prefs.core.default_float_dtype = np.float64
    if target == "runtime":
        b2.prefs.codegen.target = "numpy"
    elif target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=work_dir, build_on_run=True)
    else:
        raise ValueError(f"unknown target '{target}' (runtime or "
                         f"cpp_standalone)")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Float64 Brian2 reference of one of Cajal's equation "
        "models; one neuron per --current.")
    parser.add_argument("model", choices=MODELS)
    parser.add_argument("--set", default="RS", choices=sorted(IZHIKEVICH_SETS),
                        help="Izhikevich parameter set (izhikevich only)")
    parser.add_argument("--current", type=float, nargs="+", required=True)
    parser.add_argument("--dt-ms", type=float, default=None,
                        help="time step in ms (default per model: "
                        + ", ".join(f"{m} {d}" for m, d in
                                    DEFAULT_DT_MS.items()) + ")")
    parser.add_argument("--solver", choices=sorted(SOLVERS), default=None)
    parser.add_argument("--duration-ms", type=float, required=True)
    parser.add_argument("--target", choices=("runtime", "cpp_standalone"),
                        default="runtime")
    parser.add_argument("--param", action="append", default=[],
                        metavar="NAME=VALUE",
                        help="override a shared constant (repeatable)")
    parser.add_argument("--spikes-out", default=None)
    parser.add_argument("--states-out", default=None)
    parser.add_argument("--record", default=None,
                        help="comma-separated state variables for "
                        "--states-out (default: all of the model's)")
    parser.add_argument("--work", default="brian_models_standalone",
                        help="project directory for cpp_standalone")
    args = parser.parse_args(argv)

    try:
        overrides = {}
        for item in args.param:
            name, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"--param '{item}': expected NAME=VALUE")
            overrides[name.strip()] = float(value)
        record = ()
        if args.states_out:
            record = (tuple(v.strip() for v in args.record.split(",") if v)
                      if args.record else STATE_VARIABLES[args.model])
        elif args.record:
            raise ValueError("--record needs --states-out")
        if not args.duration_ms > 0:
            raise ValueError(f"--duration-ms must be positive, not "
                             f"{args.duration_ms}")
        if args.dt_ms is not None and not args.dt_ms > 0:
            raise ValueError(f"--dt-ms must be positive, not {args.dt_ms}")
        if args.solver == "exact" and args.model in ("hh", "izhikevich"):
            raise ValueError(f"{args.model} is nonlinear: solver 'exact' "
                             f"does not apply")
        select_target(args.target, args.work)
        result = simulate(args.model, args.current, args.duration_ms,
                          args.dt_ms, args.solver, args.set, overrides, record)
    except ValueError as error:
        print(f"brian_models.py: error: {error}", file=sys.stderr)
        return 2

    if args.spikes_out:
        write_spikes(args.spikes_out, result["neurons"], result["steps"],
                     result["dt_ms"])
    if args.states_out:
        write_states(args.states_out, result["states"], result["dt_ms"])
    for k, times in enumerate(result["times"]):
        rate = len(times) / (args.duration_ms / 1000.0)
        print(f"neuron {k}: I={args.current[k]:g} spikes={len(times)} "
              f"rate={rate:.2f} Hz")
    return 0


if __name__ == "__main__":
    sys.exit(main())
