"""split_runs - time one image on the golden model split among threads and
MPI processes, checking that every split writes the same spikes.

Used by bench/golden/split-runs (any image) and bench/microcircuit/run.
"""
import os
import re
import subprocess
import sys
import time

import numpy as np

# Open MPI's launcher as root (CI) and with more processes than cores;
# processes unbound.
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe", "--bind-to",
          "none"]


def configurations(threads, processes):
    """(processes, threads) pairs: one process per thread count, then each
    process count above 1 with one thread each."""
    runs = [(1, int(t)) for t in threads.split(",")]
    runs += [(int(p), 1) for p in processes.split(",") if int(p) > 1]
    return runs


def time_runs(cajal, image, steps, runs, repeat, work, extra=()):
    """Runs `image` for `steps` steps in every (processes, threads) of
    `runs`, `repeat` rounds in turn (A B C A B C: the machine is noisy).
    Returns ([(processes, threads, median simulating s, median whole
    process s)], the first run's spike file); exits when a run fails or
    writes other spikes than the first."""
    samples = {}
    first = None
    for processes, threads in list(runs) * repeat:
        out_path = os.path.join(work, f"spikes.{processes}.{threads}.csv")
        argv = [cajal, "run", image, "--steps", str(steps), "--engine",
                "golden", "--threads", str(threads), "--spikes-out", out_path,
                *extra]
        if processes > 1:
            argv = MPIRUN + ["-np", str(processes)] + argv
        t0 = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True)
        whole = time.perf_counter() - t0
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({done.returncode}): "
                     f"{done.stderr.strip()}")
        m = re.search(r"\(([0-9.e+-]+) s simulating", done.stdout)
        if not m:
            sys.exit(f"no simulating time in cajal run's output:\n"
                     f"{done.stdout}")
        samples.setdefault((processes, threads), []).append(
            (float(m.group(1)), whole))
        with open(out_path, "rb") as f:
            content = f.read()
        if first is None:
            first, first_path = content, out_path
        elif content != first:
            sys.exit(f"{processes} processes of {threads} threads give other "
                     f"spikes than {runs[0][0]} of {runs[0][1]}")
    timings = [(p, t, float(np.median([x[0] for x in v])),
                float(np.median([x[1] for x in v])))
               for (p, t), v in samples.items()]
    return timings, first_path


def describe(processes, threads):
    return (f"`cajal run --threads {threads}`" if processes == 1 else
            f"`mpirun -np {processes} cajal run`")


def spikes_per_step(path, steps):
    with open(path, "rb") as f:
        return (f.read().count(b"\n") - 1) / steps
