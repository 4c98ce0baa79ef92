#!/usr/bin/python3
"""run_crosscheck.py - golden model vs the numpy reference on random images.

For each seed: cajal-randimg writes a random multi-core image (binary and
JSON) and the spikes of its External source; cajal-golden-run runs the binary
image; reference.py (imported, same process) runs the JSON. Spikes of every
population and source and the state of the state-probed populations must be
identical. Every fourth seed uses a "narrow" profile derived from loihi1
(fewer current and accumulator bits, reset by subtraction allowed) so that
wrap, saturation and subtraction are exercised. With --cajal, the example
networks of EXAMPLES (neuron programs other than LIF: Izhikevich, adaptive
LIF) are also compiled for their profile with `cajal compile` and compared the
same way, with every population's spikes and state recorded. On a failure
the seed or example, the command lines and the first difference are printed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

# (model, profile, steps): networks whose programs the random images lack.
EXAMPLES = [("izhikevich.mlir", "loihi2", 1000),
            ("adaptive-lif.mlir", "loihi2", 1000)]

NARROW_FIELDS = {
    "neuron.currentBits": 18,
    "neuron.accumulatorBits": 15,
    "neuron.thresholdShift": 4,
    "neuron.resetBySubtraction": True,
    "synapse.weightShift": 3,
}


def write_narrow_profile(profile_dir, work):
    """loihi1 with NARROW_FIELDS, written as a complete profile file."""
    with open(os.path.join(profile_dir, "loihi1.json")) as f:
        doc = json.load(f)
    doc["name"] = "xcheck-narrow"
    doc["description"] = "loihi1 with narrow arithmetic, for cross-checks"
    for field, value in NARROW_FIELDS.items():
        doc["fields"][field]["value"] = value
    path = os.path.join(work, "xcheck-narrow.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    return path


def read_rows(path):
    with open(path) as f:
        lines = f.read().splitlines()
    return lines[0], lines[1:]


def first_difference(name, got, want):
    """None, or a message about the first row where two row lists differ."""
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "%s row %d: golden %r, reference %r" % (name, i + 1, g, w)
    if len(got) != len(want):
        i = min(len(got), len(want))
        extra = ("golden", got[i]) if len(got) > i else ("reference", want[i])
        return "%s: golden has %d rows, reference %d; first extra (%s): %r" % (
            name, len(got), len(want), extra[0], extra[1])
    return None


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (
            " ".join(cmd), r.returncode, r.stderr.strip()))


def compare(files, steps, doc, input_path, record_sources):
    """Run reference.py on `doc`; the first differences against the golden
    model's CSV files (files["gspikes"], files["gstate"])."""
    net = reference.Network(doc)
    spikes, states = reference.simulate(
        net, steps, reference.read_external(input_path, net))
    names = reference.node_names(doc)
    reference.write_rows(files["rspikes"], "step,node,index",
                         reference.recorded(doc, spikes, record_sources),
                         names)
    reference.write_rows(files["rstate"], "step,node,index,u,v", states, names)
    problems = []
    for what, g, r in [("spikes", "gspikes", "rspikes"),
                       ("state", "gstate", "rstate")]:
        gh, grows = read_rows(files[g])
        rh, rrows = read_rows(files[r])
        diff = first_difference(what, [gh] + grows, [rh] + rrows)
        if diff:
            problems.append(diff)
    return problems, spikes


def check_example(args, model, profile, steps):
    """Compile an example, record everything, golden vs reference."""
    base = os.path.join(args.work, os.path.splitext(model)[0])
    files = {k: base + ext for k, ext in [
        ("mlir", ".mlir"), ("image", ".cjimg"), ("json", ".json"),
        ("gspikes", ".golden.csv"),
        ("gstate", ".golden-state.csv"), ("rspikes", ".ref.csv"),
        ("rstate", ".ref-state.csv")]}
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                          "..", "examples", model)
    # A copy that probes the state of every population it probes the spikes
    # of, so that s0 and s1 of every compartment are compared every step.
    with open(source) as f:
        text = f.read()
    probed = re.sub(r"^(\s*)snn\.probe (%\w+) \{kind = #snn\.probe_kind<spikes>\}"
                    r" : (.*)$", r"\g<0>\n\1snn.probe \2 {kind = "
                    r"#snn.probe_kind<state>} : \3", text, flags=re.M)
    if probed == text:
        raise RuntimeError("%s: found no spike probe to add a state probe to"
                           % source)
    with open(files["mlir"], "w") as f:
        f.write(probed)
    comp = [args.cajal, "compile", files["mlir"], "--profile", profile, "-o",
            files["image"]]
    run(comp)
    inspect = subprocess.run([args.cajal, "inspect", files["image"], "--json"],
                             capture_output=True, text=True)
    if inspect.returncode != 0:
        raise RuntimeError("cajal inspect failed: " + inspect.stderr.strip())
    with open(files["json"], "w") as f:
        f.write(inspect.stdout)
    doc = json.loads(inspect.stdout)
    gold = [args.golden, files["image"], "--steps", str(steps),
            "--spikes-out", files["gspikes"], "--state-out", files["gstate"]]
    run(gold)
    problems, spikes = compare(files, steps, doc, None, False)
    if problems:
        return ("example %s (profile %s): %s\n  reproduce: %s\n             %s"
                % (model, profile, "; ".join(problems), " ".join(comp),
                   " ".join(gold))), 0
    for key in files:
        os.remove(files[key])
    return None, len(spikes)


def check_seed(args, seed, profile):
    base = os.path.join(args.work, "seed%d" % seed)
    files = {k: base + ext for k, ext in [
        ("image", ".cjimg"), ("json", ".json"), ("input", ".in.csv"),
        ("gspikes", ".golden.csv"), ("gstate", ".golden-state.csv"),
        ("rspikes", ".ref.csv"), ("rstate", ".ref-state.csv")]}
    steps = str(args.steps)
    gen = [args.randimg, "--seed", str(seed), "--steps", steps, "--profile",
           profile, "-o", files["image"], "--json", files["json"],
           "--input-out", files["input"]]
    gold = [args.golden, files["image"], "--profile", profile, "--steps",
            steps, "--input", files["input"], "--record-sources",
            "--spikes-out", files["gspikes"], "--state-out", files["gstate"]]
    run(gen)
    run(gold)
    with open(files["json"]) as f:
        doc = json.load(f)
    problems, spikes = compare(files, args.steps, doc, files["input"], True)
    if problems:
        return ("seed %d (profile %s): %s\n  reproduce: %s\n             %s\n"
                "  reference: %s %s %s --steps %s --input %s --record-sources"
                % (seed, profile, "; ".join(problems), " ".join(gen),
                   " ".join(gold), sys.executable,
                   os.path.abspath(reference.__file__), files["json"], steps,
                   files["input"])), 0
    for key in files:  # keep the files of failing seeds only
        os.remove(files[key])
    return None, len(spikes)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--randimg", required=True)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--cajal", help="the cajal driver: also check EXAMPLES")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    profile_dir = os.environ.get("CAJAL_PROFILE_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "chip", "profiles")
    narrow = write_narrow_profile(profile_dir, args.work)
    start = time.time()
    passed, failed, total_spikes = 0, 0, 0
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        profile = narrow if seed % 4 == 0 else "loihi1"
        try:
            problem, spikes = check_seed(args, seed, profile)
        except (RuntimeError, OSError, ValueError, KeyError,
                reference.neurocore.ProgramError) as e:
            problem, spikes = "seed %d (profile %s): %s" % (seed, profile, e), 0
        total_spikes += spikes
        if problem:
            failed += 1
            print("FAIL " + problem, flush=True)
        else:
            passed += 1
    for model, profile, steps in EXAMPLES if args.cajal else []:
        try:
            problem, spikes = check_example(args, model, profile, steps)
        except (RuntimeError, OSError, ValueError, KeyError,
                reference.neurocore.ProgramError) as e:
            problem, spikes = "example %s: %s" % (model, e), 0
        if problem:
            failed += 1
            print("FAIL " + problem, flush=True)
        elif spikes < 100:
            failed += 1
            print("FAIL example %s: only %d spikes" % (model, spikes))
        else:
            passed += 1
            print("example %s (%s, %d steps): %d spikes agree" % (
                model, profile, steps, spikes))
    print("crosscheck: %d seeds x %d steps, %d spikes compared, %.1f s" % (
        args.seeds, args.steps, total_spikes, time.time() - start))
    if passed and total_spikes < 10 * passed:
        print("FAIL too few spikes: the random networks are nearly silent")
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
