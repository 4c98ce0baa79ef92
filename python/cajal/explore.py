"""Design-space exploration: compile and run a model on many variants of a chip.

    cajal explore examples/cuba.mlir --profile loihi1 \\
        --vary core.compartments=256,512,1024 --vary cost.synapticOpPJ=12,23.6 \\
        --engine systemc --steps 2000 -o sweep/

Each point of the design (a grid over the --vary values, or a random or
Latin-hypercube sample of them) is a profile derived from --profile with the
point's fields changed (docs/profiles.md, "base"), compiled and run by the
`cajal` binary, one process per core. A point that does not compile or run is
kept with its reason. The results go to OUT/results.csv and OUT/results.json,
with the Pareto front (energy per step, time per step, cores used) marked and
drawn in OUT/pareto.png and .svg.

Resumable: every point lives in OUT/points/ID/ (ID a hash of its settings)
and its result.json is written last, atomically; a sweep started again skips
the points that have one.
"""

import argparse
import concurrent.futures
import csv
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys

COLUMNS = ["point", "status", "reason", "cores_used", "synapse_words",
           "energy_per_step_pj", "time_per_step_ns", "synaptic_ops",
           "pareto"]


class UsageError(Exception):
    pass


def parse_value(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if text in ("true", "false"):
        return text == "true"
    return text


def parse_assignment(text, option):
    """FIELD=V1,V2,... (or FIELD=LO:HI, a range for random and LHS samples)."""
    field, sep, values = text.partition("=")
    if not sep or not field or not values:
        raise UsageError(f"{option} {text}: expected FIELD=VALUE[,VALUE...] or FIELD=LO:HI")
    if ":" in values and "," not in values:
        lo, hi = (parse_value(v) for v in values.split(":", 1))
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi)) \
                or lo > hi:
            raise UsageError(f"{option} {text}: a range is LO:HI with numbers, LO <= HI")
        return field, ("range", lo, hi)
    return field, ("list", [parse_value(v) for v in values.split(",")])


def design(varied, sample, points, seed):
    """The points as a list of {field: value}, in a fixed order."""
    fields = list(varied)
    if sample == "grid":
        for f in fields:
            if varied[f][0] == "range":
                raise UsageError(f"--vary {f}: a range needs --sample random or lhs")
        grid = [{}]
        for f in fields:
            grid = [dict(p, **{f: v}) for p in grid for v in varied[f][1]]
        return grid
    rng = random.Random(seed)

    def pick(f, u):
        """The value of field f at quantile u in [0, 1)."""
        spec = varied[f]
        if spec[0] == "list":
            return spec[1][min(int(u * len(spec[1])), len(spec[1]) - 1)]
        _, lo, hi = spec
        if isinstance(lo, int) and isinstance(hi, int):
            return min(lo + int(u * (hi - lo + 1)), hi)
        return lo + u * (hi - lo)

    if sample == "random":
        return [{f: pick(f, rng.random()) for f in fields} for _ in range(points)]
    # Latin hypercube: each field's range cut in `points` strata, each used once.
    columns = {}
    for f in fields:
        strata = list(range(points))
        rng.shuffle(strata)
        columns[f] = [(s + rng.random()) / points for s in strata]
    return [{f: pick(f, columns[f][i]) for f in fields} for i in range(points)]


def point_id(settings):
    text = json.dumps(settings, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def write_atomically(path, text):
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "w", newline="") as f:
        f.write(text)
    os.replace(temporary, path)


def first_error(stderr):
    """The message of the first error line `cajal` printed."""
    for line in stderr.splitlines():
        if "error:" in line:
            return line.split("error:", 1)[1].strip()
    return stderr.strip().splitlines()[-1] if stderr.strip() else "failed"


class Sweep:
    def __init__(self, args, cajal, profile_dir):
        self.args = args
        self.cajal = cajal
        self.base_is_file = args.profile.endswith(".json") or os.path.sep in args.profile
        self.base, self.base_file = self.resolve_profile(args.profile, self.base_is_file,
                                                         profile_dir)
        self.units = self.field_units(profile_dir)
        self.fixed = {}
        for text in args.set:
            field, spec = parse_assignment(text, "--set")
            if spec[0] != "list" or len(spec[1]) != 1:
                raise UsageError(f"--set {field}: exactly one value")
            self.fixed[field] = spec[1][0]
        self.varied = dict(parse_assignment(s, "--vary") for s in args.vary)
        for field in list(self.varied) + list(self.fixed):
            if not field.startswith("compile.") and field not in self.units:
                raise UsageError(f"{field}: not a field of profile {args.profile} "
                                 "(docs/profiles.md lists them) nor compile.OPTION")

    @staticmethod
    def resolve_profile(profile, is_file, profile_dir):
        """(base name, its file): an installed name or a profile file."""
        if is_file:
            if not os.path.isfile(profile):
                raise UsageError(f"--profile {profile}: no such file")
            with open(profile) as f:
                name = json.load(f).get("name", "")
            return name, os.path.abspath(profile)
        path = os.path.join(profile_dir, profile + ".json")
        if not os.path.isfile(path):
            raise UsageError(f"--profile {profile}: no installed profile of that name in "
                             f"{profile_dir}")
        return profile, path

    def field_units(self, profile_dir):
        """{field: unit} along the base chain (a derived profile needs units)."""
        units, path, seen = {}, self.base_file, set()
        while path and path not in seen:
            seen.add(path)
            with open(path) as f:
                doc = json.load(f)
            for field, entry in doc.get("fields", {}).items():
                units.setdefault(field, entry.get("unit", ""))
            base = doc.get("base")
            path = None
            if base:
                for d in (os.path.dirname(self.base_file), profile_dir):
                    if os.path.isfile(os.path.join(d, base + ".json")):
                        path = os.path.join(d, base + ".json")
                        break
        return units

    def profile_for(self, settings, directory):
        fields = {f: {"value": v, "unit": self.units[f], "source": "explore"}
                  for f, v in settings.items() if not f.startswith("compile.")}
        profile = {
            "format": "cajal-profile/1",
            "name": "explore-" + os.path.basename(directory),
            "description": f"{self.base} with " + ", ".join(
                f"{f} = {v}" for f, v in settings.items()),
            "base": self.base,
            "sources": {"explore": "a design-space exploration point (cajal explore)"},
            "fields": fields,
        }
        if self.base_is_file:
            # Beside the point's profile, where "base" finds it.
            shutil.copyfile(self.base_file, os.path.join(directory, self.base + ".json"))
        path = os.path.join(directory, "profile.json")
        write_atomically(path, json.dumps(profile, indent=2) + "\n")
        return path

    def run_point(self, settings):
        directory = os.path.join(self.args.output, "points", point_id(settings))
        result_path = os.path.join(directory, "result.json")
        if os.path.isfile(result_path):
            with open(result_path) as f:
                return json.load(f)
        os.makedirs(directory, exist_ok=True)
        profile = self.profile_for(settings, directory)
        image = os.path.join(directory, "image.cjimg")
        fit = os.path.join(directory, "fit.json")
        power = os.path.join(directory, "power.json")
        options = []
        for f, v in settings.items():
            if f.startswith("compile."):
                options += ["--" + f[len("compile."):], str(v)]
        result = {"settings": settings, "status": "measured", "reason": ""}
        done = subprocess.run([self.cajal, "compile", self.args.model, "-o", image,
                               "--report", fit, "--profile", profile, *options],
                              capture_output=True, text=True)
        if done.returncode != 0:
            result.update(status="infeasible", reason=first_error(done.stderr))
        else:
            command = [self.cajal, "run", image, "--steps", str(self.args.steps),
                       "--engine", self.args.engine, "--profile", profile, "--quiet"]
            if self.args.engine == "systemc":
                command += ["--power", power]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                result.update(status="failed", reason=first_error(done.stderr))
            else:
                with open(fit) as f:
                    report = json.load(f)
                result["cores_used"] = report["coresUsed"]
                result["synapse_words"] = report["totals"]["synapseWords"]["used"]
                if self.args.engine == "systemc":
                    with open(power) as f:
                        p = json.load(f)
                    steps = max(p["steps"], 1)
                    result["energy_per_step_pj"] = p["energyPJ"]["total"] / steps
                    result["time_per_step_ns"] = p["time"]["ns"] / steps
                    result["synaptic_ops"] = p["counts"]["synapticOps"]
        # Interrupted (killed by the signal, or `cajal run` stopping at a step
        # on Ctrl-C with exit 130; the points run in worker threads, which
        # see no KeyboardInterrupt of their own): not a result.
        if done.returncode < 0 or done.returncode == 130:
            raise KeyboardInterrupt
        write_atomically(result_path, json.dumps(result, indent=2) + "\n")
        return result


def pareto(rows, keys):
    """Mark rows no other measured row dominates in `keys` (all minimised)."""
    measured = [r for r in rows if r["status"] == "measured" and all(k in r for k in keys)]
    for r in rows:
        r["pareto"] = ""
    for r in measured:
        dominated = any(all(o[k] <= r[k] for k in keys) and any(o[k] < r[k] for k in keys)
                        for o in measured if o is not r)
        r["pareto"] = "no" if dominated else "yes"


def draw_front(rows, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    measured = [r for r in rows if "energy_per_step_pj" in r]
    if not measured:
        return []
    fig, ax = plt.subplots(figsize=(7, 4.5))
    points = ax.scatter([r["time_per_step_ns"] for r in measured],
                        [r["energy_per_step_pj"] for r in measured],
                        c=[r["cores_used"] for r in measured], cmap="viridis", s=30)
    front = sorted((r for r in measured if r["pareto"] == "yes"),
                   key=lambda r: r["time_per_step_ns"])
    ax.scatter([r["time_per_step_ns"] for r in front],
               [r["energy_per_step_pj"] for r in front],
               s=120, facecolors="none", edgecolors="red", label="Pareto front")
    plt.colorbar(points, ax=ax, label="cores used")
    ax.set_xlabel("time per step (ns)")
    ax.set_ylabel("energy per step (pJ)")
    infeasible = sum(r["status"] != "measured" for r in rows)
    ax.set_title(f"{len(measured)} points measured, {infeasible} infeasible or failed")
    ax.legend()
    fig.tight_layout()
    written = []
    for fmt in ("png", "svg"):
        path = os.path.join(out, f"pareto.{fmt}")
        fig.savefig(path)
        written.append(path)
    plt.close(fig)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="cajal explore",
        description="Compile and run a model on variants of a chip profile; "
                    "a table, a JSON file and a Pareto plot of the results.")
    parser.add_argument("model", help=".mlir or .nir model")
    parser.add_argument("--profile", default="loihi1", help="installed profile name or file")
    parser.add_argument("--vary", action="append", default=[], metavar="FIELD=V1,V2,...",
                        help="a profile field (core.compartments) or compile.OPTION (compile.dt) "
                             "and its values; FIELD=LO:HI is a range for --sample random/lhs")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=V",
                        help="a field every point changes alike")
    parser.add_argument("--sample", choices=["grid", "random", "lhs"], default="grid")
    parser.add_argument("--points", type=int, default=16, help="points of a random or LHS sample")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", choices=["golden", "reference", "systemc"], default="systemc")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="points compiled and run at once (default: one per core)")
    parser.add_argument("-o", "--output", required=True, help="directory of the sweep")
    args = parser.parse_args(argv)
    cajal = os.environ.get("CAJAL_BINARY", "cajal")
    profile_dir = os.environ.get("CAJAL_PROFILE_DIR") or os.environ.get("CAJAL_INSTALLED_PROFILES", "")
    try:
        if not args.vary:
            raise UsageError("nothing to explore: give at least one --vary")
        if not os.path.isfile(args.model):
            raise UsageError(f"{args.model}: no such file")
        if args.steps < 1 or args.points < 1 or args.jobs < 1:
            raise UsageError("--steps, --points and --jobs must be positive")
        sweep = Sweep(args, cajal, profile_dir)
        settings = [dict(sweep.fixed, **p)
                    for p in design(sweep.varied, args.sample, args.points, args.seed)]
    except (UsageError, json.JSONDecodeError) as e:
        print(f"cajal: error: {e}", file=sys.stderr)
        return 1
    os.makedirs(os.path.join(args.output, "points"), exist_ok=True)
    args.model = os.path.abspath(args.model)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(sweep.run_point, s) for s in settings]
        try:
            results = [f.result() for f in futures]
        except KeyboardInterrupt:
            for f in futures:
                f.cancel()
            print("\ncajal: interrupted; run the same command again to finish the sweep",
                  file=sys.stderr)
            return 130
    rows = []
    for s, r in zip(settings, results):
        row = dict(r, point=point_id(s))
        row.update({f: v for f, v in s.items()})
        rows.append(row)
    pareto(rows, ["energy_per_step_pj", "time_per_step_ns", "cores_used"])
    fields = list(settings[0])
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, fieldnames=fields + COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in fields + COLUMNS})
    write_atomically(os.path.join(args.output, "results.csv"), table.getvalue())
    write_atomically(os.path.join(args.output, "results.json"),
                     json.dumps({"model": args.model, "profile": args.profile,
                                 "engine": args.engine, "steps": args.steps,
                                 "sample": args.sample, "points": rows}, indent=2) + "\n")
    figures = draw_front(rows, args.output)
    measured = sum(r["status"] == "measured" for r in rows)
    print(f"{len(rows)} points: {measured} measured, {len(rows) - measured} infeasible or "
          f"failed; {os.path.join(args.output, 'results.csv')}")
    for path in figures:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
