#!/usr/bin/python3
"""brian_side.py - run a Cajal chip image in Brian2, step for step.

Usage: brian_side.py IMAGE --steps N --work DIR [--target standalone|numpy]
                     [--input ext.csv] [--spikes-out s.csv] [--state-out u.csv]
                     [--report r.json] [--repeat R] [--profile-dir DIR]
                     [--cflags "-O3 ..."]

The Brian2 model is built from the image's quantised integers (cjimg.py), so
it computes the same discrete dynamics as the golden model
(docs/neuron-model.md) and not a re-discretisation of the continuous model:

* one NeuronGroup holds every compartment of the image; its state u, v, the
  refractory counter and the input accumulator q are float64 variables that
  only ever hold integers (all below 2^53, so every +, -, * and the division
  by 2^decayBits are exact, whatever the compiler reorders);
* a run_regularly operation in the 'groups' slot performs the chip update:
  q saturated, u = wrap(decay(u, du + 1) + q), v = clip(decay(v, dv) + u +
  bias), refractory hold, and sets `fire`; decay is sign(x) floor(|x| (D - d)
  / D), the wrap x - 2^bits floor((x + 2^(bits-1)) / 2^bits);
* threshold `fire > 0.5`, reset v = 0 (or v - vth) and the refractory count;
* one Synapses object per spike origin (the compartments, each host source as
  a SpikeGeneratorGroup with its spikes precomputed for the run) with
  on_pre `q_post += w`, w the effective integer weight. Brian2 applies
  on_pre in the 'synapses' slot of step t + delay, after that step's update,
  so a chip delay d (the weight counts in the update of step t + d) is a
  Brian2 delay of d - 1 steps; a homogeneous delay is a scalar delay.

Timing: C++ code inserted around Network::run measures the wall time of the
run loop alone (steady_clock) and its CPU time (std::clock); Brian2's code
generation and C++ compile are timed separately; the standalone binary,
built and run once by Brian2 under /usr/bin/time -f %M for its peak
resident memory, runs --repeat more times as a child of this script for
the whole process's wall time (child_process.py). The report is JSON.
"""

import argparse
import csv
import json
import os
import resource
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cjimg  # noqa: E402
import isa_brian  # noqa: E402
from child_process import run_child  # noqa: E402
import neurocore  # noqa: E402  (tests/crosscheck, on the path via cjimg)

U64 = np.uint64


def splitmix64(x):
    """splitmix64's output function on uint64 arrays (docs/chip-image.md)."""
    with np.errstate(over="ignore"):
        x = x + U64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> U64(30))) * U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> U64(27))) * U64(0x94D049BB133111EB)
        return x ^ (x >> U64(31))


def read_external(path):
    """{source name: [(step, index), ...]} from a spike CSV."""
    rows = {}
    if not path:
        return rows
    with open(path, newline="") as f:
        reader = csv.reader(f)
        if next(reader, None) != ["step", "node", "index"]:
            raise cjimg.ImageError(f"{path}: expected header step,node,index")
        for step, node, index in reader:
            rows.setdefault(node, []).append((int(step), int(index)))
    return rows


def source_spikes(src, steps, external):
    """(step, channel) int64 arrays of a host source's spikes in [0, steps)."""
    st, ch = _source_spikes(src, steps, external)
    return np.asarray(st, np.int64), np.asarray(ch, np.int64)


def _source_spikes(src, steps, external):
    kind, size = src["kind"], src["size"]
    if kind == "poisson":
        st, ch = [], []
        channels = np.arange(size, dtype=U64)
        for t in range(steps):
            key = (U64(t) << U64(32)) | channels
            h = splitmix64(U64(src["seed"]) ^ splitmix64(key))
            on = np.nonzero((h >> U64(32)) < U64(src["probability"]))[0]
            st.append(np.full(len(on), t))
            ch.append(on)
        return np.concatenate(st + [[]]), np.concatenate(ch + [[]])
    if kind == "poisson_group":
        raise cjimg.ImageError(
            f"source \"{src['name']}\": the Brian2 peer does not model "
            "Poisson group sources")
    if kind == "periodic":
        t = np.arange(src["phase"], steps, src["period"]) \
            if src["period"] > 0 else np.zeros(0)
        return np.repeat(t, size), np.tile(np.arange(size), len(t))
    if kind == "file":
        sp = src["spikes"]
        keep = sp[:, 0] < steps
        return sp[keep, 0], sp[keep, 1]
    rows = np.array(external.get(src["name"], []), dtype=np.int64).reshape(-1, 2)
    rows = rows[rows[:, 0] < steps]
    return rows[:, 0], rows[:, 1]


def neuron_equations(net, params):
    """The group's variables: the state words s<i> of every program (the
    widest program's count), the parameter words p<i> that some program
    reads per compartment (`params`; a word its compartments share is a
    literal in its code), constants too wide for a literal (k<i>), the input
    accumulator q and the spike flag; all int64."""
    nstate = max([len(p.state) for p, c in net.program_compartments()
                  if len(c)] + [1])
    names = [f"s{i}" for i in range(nstate)] + ["q", "fire"]
    consts = [f"p{i}" for i in sorted(params)]
    wide = sorted({i for p, c in net.program_compartments() if len(c)
                   for i, v in enumerate(p.constants)
                   if not -(1 << 31) < v < (1 << 31)})
    consts += [f"k{i}" for i in wide]
    eqs = "\n".join([f"{n} : integer" for n in names]
                    + [f"{n} : integer (constant)" for n in consts])
    return eqs, {n: np.int64 for n in names + consts}, nstate, wide


def connect(b2, source, target, syn, dt, name):
    """Synapses source -> target for (pre, post, weight, delay) arrays."""
    pre, post, weight, delay = syn
    common = int(delay[0]) if len(delay) and (delay == delay[0]).all() else None
    kw = {"delay": (common - 1) * dt} if common is not None else {}
    S = b2.Synapses(source, target, "w : integer (constant)",
                    on_pre="q_post += w", name=name,
                    dtype={"w": np.int64}, **kw)
    S.connect(i=pre.astype(np.int32), j=post.astype(np.int32))
    S.w = weight.astype(np.int64)
    if common is None:
        S.delay = (delay - 1) * dt
    return S


def build_network(b2, net, steps, external):
    """NeuronGroup, synapses and sources of `net`; returns (objects, monitor,
    out-degree per compartment, source spike count, source events).

    The group holds the compartments sorted by program (net.brian_index
    maps a global compartment to its Brian2 index, net.brian_order back), so
    that each program's compartments are one subgroup with a run_regularly
    of that program's statements (isa_brian.py)."""
    dt = b2.defaultclock.dt
    # Each program's statements, translated with the values its
    # compartments' parameter words take.
    codes, params = [], set()
    for p, comps in net.program_compartments():
        if len(comps) == 0:
            codes.append(None)
            continue
        words = net.param_words[comps, :len(p.params)]
        ranges = [(int(words[:, i].min()), int(words[:, i].max()))
                  for i in range(len(p.params))]
        translation = isa_brian.Translation(p, ranges)
        codes.append(translation.code())
        params |= translation.param_vars
    eqs, dtypes, nstate, wide = neuron_equations(net, params)
    order = np.argsort(net.comp_program, kind="stable")
    net.brian_order = order
    net.brian_index = np.empty(net.n, dtype=np.int64)
    net.brian_index[order] = np.arange(net.n)
    namespace = isa_brian.functions(b2)
    namespace.update(isa_brian.table_functions(b2, net.programs))
    G = b2.NeuronGroup(net.n, eqs, threshold="fire > 0", reset="", dtype=dtypes,
                       name="compartments", namespace=namespace)
    state = np.zeros((net.n, nstate), dtype=np.int64)
    start = neurocore.initial_state(net.programs, net.comp_program,
                                    net.initial_words)
    # Programs no compartment runs may declare more words than nstate.
    state[:, :min(nstate, start.shape[1])] = start[:, :nstate]
    consts = np.zeros((net.n, len(wide)), dtype=np.int64)
    for p, comps in net.program_compartments():
        if len(comps) == 0:
            continue
        for j, i in enumerate(wide):
            if i < len(p.constants):
                consts[comps, j] = p.constants[i]
    for i in range(nstate):
        setattr(G, f"s{i}", state[order, i])
    for i in sorted(params):
        setattr(G, f"p{i}", net.param_words[order, i])
    for j, i in enumerate(wide):
        setattr(G, f"k{i}", consts[order, j])
    first = 0
    for pi, (p, comps) in enumerate(net.program_compartments()):
        if len(comps) == 0:
            continue
        group = G if len(comps) == net.n else G[first:first + len(comps)]
        group.run_regularly(codes[pi], when="groups", name=f"program{pi}")
        first += len(comps)
    objs = [G]
    syn = net.compartment_synapses()
    outdeg = np.bincount(syn[0], minlength=net.n)
    if len(syn[0]):
        objs.append(connect(b2, G, G, (net.brian_index[syn[0]],
                                       net.brian_index[syn[1]]) + syn[2:],
                            dt, "recurrent"))
    src_spikes = src_events = 0
    for si, src in enumerate(net.sources):
        st, ch = source_spikes(src, steps, external)
        ssyn = net.source_synapses(src)
        if len(st) == 0 or len(ssyn[0]) == 0:
            continue
        ssyn = (ssyn[0], net.brian_index[ssyn[1]]) + ssyn[2:]
        order = np.lexsort((ch, st))
        sg = b2.SpikeGeneratorGroup(src["size"], ch[order].astype(np.int32),
                                    st[order] * dt, name=f"source{si}")
        objs += [sg, connect(b2, sg, G, ssyn, dt, f"sourcesyn{si}")]
        src_spikes += len(st)
        src_events += int(np.bincount(ssyn[0], minlength=src["size"])[ch].sum())
    mon = b2.SpikeMonitor(G, record=True, name="spikes")
    objs.append(mon)
    probed = state_probed(net)
    if len(probed):
        words = ["s0", "s1"] if nstate > 1 else ["s0"]
        objs.append(b2.StateMonitor(G, words, record=net.brian_index[probed],
                                    when="end", name="states"))
    return objs, mon, outdeg, src_spikes, src_events


def state_probed(net):
    """Global compartments of the state-probed populations, in CSV order."""
    comps = [c for p, c in zip(net.populations, net.pop_comps)
             if p["recordState"]]
    return np.concatenate(comps).astype(np.int64) if comps else np.zeros(0, int)


def write_states(path, net, states):
    """The golden model's state CSV: step,node,index,u,v after each step."""
    with open(path, "w") as f:
        f.write("step,node,index,u,v\n")
        if states is None:
            return
        # s0 and s1 as the golden model shows them (u, v): their stored 32
        # bits as int32; a program without s1 shows 0.
        raw = lambda x: ((np.asarray(x, dtype=np.int64) + (1 << 31))
                         & 0xFFFFFFFF) - (1 << 31)
        u = raw(states.s0)  # (probed, steps)
        v = raw(states.s1) if hasattr(states, "s1") else np.zeros_like(u)
        labels = [(p["name"], i) for p in net.populations if p["recordState"]
                  for i in range(p["size"])]
        for t in range(u.shape[1]):
            for k, (name, i) in enumerate(labels):
                f.write(f"{t},{name},{i},{int(u[k, t])},{int(v[k, t])}\n")


def spikes_by_population(net, comp, step):
    """Rows (step, population, neuron) of compartment spikes, sorted."""
    pop = np.full(net.n, -1, np.int64)
    neuron = np.full(net.n, -1, np.int64)
    for pi, comps in enumerate(net.pop_comps):
        if net.populations[pi]["recordSpikes"]:
            pop[comps] = pi
            neuron[comps] = np.arange(len(comps))
    keep = pop[comp] >= 0
    rows = np.stack([step[keep], pop[comp][keep], neuron[comp][keep]], axis=1)
    return rows[np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))]


def write_spikes(path, net, rows):
    names = np.array([p["name"] for p in net.populations])
    with open(path, "w") as f:
        f.write("step,node,index\n")
        for s, p, i in rows:
            f.write(f"{s},{names[p]},{i}\n")


TIMER_START = "auto peer_t0 = std::chrono::steady_clock::now();\n" \
              "std::clock_t peer_c0 = std::clock();"
TIMER_END = """{
  double wall = std::chrono::duration<double>(
      std::chrono::steady_clock::now() - peer_t0).count();
  double cpu = double(std::clock() - peer_c0) / CLOCKS_PER_SEC;
  std::ofstream out("results/peer_timing.txt");
  out.precision(9);
  out << wall << " " << cpu << std::endl;
}"""


def setup_target(b2, target, work, cflags=None, threads=1):
    if cflags:
        b2.prefs.codegen.cpp.extra_compile_args_gcc = cflags.split()
    if target == "standalone":
        b2.set_device("cpp_standalone", directory=os.path.join(work, "brian2"),
                      build_on_run=False)
        # Brian2's OpenMP threads (0: no OpenMP, its one-thread build).
        b2.prefs.devices.cpp_standalone.openmp_threads = \
            threads if threads > 1 else 0
        b2.prefs.codegen.cpp.headers += ["<chrono>", "<ctime>", "<fstream>"]
        b2.prefs.devices.cpp_standalone.run_cmd_unix = [
            "/usr/bin/time", "-f", "%M", "-o", "results/peer_maxrss.txt",
            "./main"]
        b2.device.insert_code("before_network_run", TIMER_START)
        b2.device.insert_code("after_network_run", TIMER_END)
    else:
        b2.prefs.codegen.target = "numpy"


def run_loop_timing(work):
    """(wall s, CPU s) of the last standalone run's Network::run (TIMER_END)."""
    with open(os.path.join(work, "brian2", "results", "peer_timing.txt")) as f:
        wall, cpu = (float(x) for x in f.read().split())
    return wall, cpu


def binary_timing(work):
    """Run time (wall, CPU) and peak memory of the last standalone run."""
    wall, cpu = run_loop_timing(work)
    with open(os.path.join(work, "brian2", "results", "peer_maxrss.txt")) as f:
        peak = int(f.read().split()[-1])
    return {"run_s": wall, "run_cpu_s": cpu, "runs_s": [wall],
            "peak_kib": peak}


def run_binary(b2, work):
    """Runs the standalone binary once more, as b2.device.run does (in its
    project folder, with Brian2's run environment, output to
    results/stdout.txt) but without the /usr/bin/time of run_cmd_unix,
    timed as a child process (child_process.py): (whole-process wall s,
    run loop wall s, run loop CPU s)."""
    project = os.path.join(work, "brian2")
    env = dict(os.environ)
    env.update(b2.prefs.devices.cpp_standalone.run_environment_variables)
    env.update(b2.get_device().run_environment_variables)
    r = run_child(["./main"], cwd=project, env=env,
                  stdout_path=os.path.join(project, "results", "stdout.txt"))
    if r.returncode != 0:
        raise RuntimeError(f"{project}/main failed (exit {r.returncode}): "
                           f"{r.stderr.strip()}")
    return (r.wall_s,) + run_loop_timing(work)


def run(args):
    import brian2 as b2
    b2.BrianLogger.log_level_warn()
    t0 = time.perf_counter()
    net = cjimg.load(args.image, args.profile_dir)
    load_s = time.perf_counter() - t0
    setup_target(b2, args.target, args.work, getattr(args, "cflags", None),
                 getattr(args, "threads", 1))
    # A chip step has no duration; Brian2 needs one. Spike times are turned
    # back into step numbers, so any dt gives the same result.
    b2.defaultclock.dt = 0.1 * b2.ms
    dt = b2.defaultclock.dt
    objs, mon, outdeg, src_spikes, src_events = build_network(
        b2, net, args.steps, read_external(args.input))
    network = b2.Network(*objs)
    report = {"target": args.target, "compartments": net.n,
              "synapses": int(len(net.syn_target)), "load_s": load_s}
    t1 = time.perf_counter()
    network.run(args.steps * dt)
    if args.target == "standalone":
        t2 = time.perf_counter()
        b2.device.build(directory=os.path.join(args.work, "brian2"),
                        compile=True, run=True, with_output=False,
                        clean=True)
        total = time.perf_counter() - t2
        report["codegen_s"] = t2 - t1
        compile_t = b2.device.timers["compile"]
        report["compile_s"] = sum(v for v in compile_t.values() if v)
        report["binary_total_s"] = b2.device.timers["run_binary"]
        report["build_total_s"] = total
        # The build's own run, under run_cmd_unix's /usr/bin/time, gives
        # the peak memory; --repeat runs of the binary alone then give the
        # whole process (loading its arrays, the run, writing its results)
        # and the run loop, the least of each.
        report["peak_kib"] = binary_timing(args.work)["peak_kib"]
        runs = [run_binary(b2, args.work) for _ in range(args.repeat)]
        report["process_s"] = min(r[0] for r in runs)
        report["runs_s"] = [r[1] for r in runs]
        report["run_s"] = min(r[1] for r in runs)
        report["run_cpu_s"] = min(r[2] for r in runs)
    else:
        report["run_s"] = report["run_cpu_s"] = time.perf_counter() - t1
        report["process_s"] = report["run_s"]
        report["runs_s"] = [report["run_s"]]
        report["peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    comp = net.brian_order[np.asarray(mon.i[:], dtype=np.int64)]
    step = np.rint(np.asarray(mon.t[:] / dt)).astype(np.int64)
    report["compartment_spikes"] = int(len(comp))
    report["source_spikes"] = src_spikes
    report["synaptic_events"] = int(outdeg[comp].sum()) + src_events
    report["steps"] = args.steps
    rows = spikes_by_population(net, comp, step)
    if args.spikes_out:
        write_spikes(args.spikes_out, net, rows)
    if getattr(args, "state_out", None):
        write_states(args.state_out, net, network["states"]
                     if len(state_probed(net)) else None)
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=1)
    return report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("image")
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--target", choices=["standalone", "numpy"],
                    default="standalone")
    ap.add_argument("--input")
    ap.add_argument("--spikes-out")
    ap.add_argument("--state-out", help="u and v of the state-probed "
                    "populations after every step (CSV as cajal run's)")
    ap.add_argument("--report")
    ap.add_argument("--profile-dir")
    ap.add_argument("--cflags", help="replace Brian2's C++ flags (default "
                    "-w -O3 -ffast-math -fno-finite-math-only -march=native); "
                    "valgrind needs a -march without AVX-512")
    ap.add_argument("--threads", type=int, default=1,
                    help="OpenMP threads of the standalone binary")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run the standalone binary this many times; report "
                         "the least wall and CPU time and the largest peak "
                         "memory")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    try:
        report = run(args)
    except cjimg.ImageError as e:
        sys.exit(f"brian_side.py: error: {e}")
    if not args.report:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
