#!/usr/bin/env python3
"""mpi_runs.py - `mpirun -np N cajal run` gives one process's spikes, bit for bit.

    mpi_runs.py CAJAL CAJAL_RANDIMG REPO_ROOT

Real MPI processes (Debian's Open MPI, oversubscribed on this machine): the
golden model split by chips among 1, 2 and 4 processes, exchanging spikes
every step, must write the spike file of a plain `cajal run`: the CSV byte for byte,
every dataset of the HDF5 file, with the same event counts in its summary, printed once. The
images: the microcircuit example and random images with an external input,
compiled for tests/e2e/one-core-chips.json (one core per chip, so that a few
cores span as many chips). The activity is sparse (a few spikes per step),
so the runs also set CAJAL_MPI_INLINE_SPIKES to 0 and 1, which send the
spikes past the block in the second collective. Then what cannot run across processes is refused
with its reason and no output file: another engine, state probes.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

CAJAL, RANDIMG, ROOT = sys.argv[1:4]
PROFILE = os.path.join(ROOT, "tests", "e2e", "one-core-chips.json")
WORK = tempfile.mkdtemp(prefix="cajal-mpi-")
MPIRUN = shutil.which("mpirun")
if MPIRUN is None:
    sys.exit("FAIL: mpirun not found (Debian: openmpi-bin; scripts/setup installs it)")
# Root may run Open MPI's mpirun (CI runs as root); processes are not bound
# to cores (four on two); shared memory without ptrace-based copies, which
# containers often forbid.
ENV = dict(os.environ,
           OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl_vader_single_copy_mechanism="none",
           OMPI_MCA_rmaps_base_oversubscribe="1")
# In the sanitizer suite, processes under mpirun run without LeakSanitizer:
# Open MPI's plugins leave allocations at MPI_Finalize whose frames no
# longer resolve (<unknown module>), so no suppression can name them.
# AddressSanitizer's other checks stay on, and GoldenPartsTest runs the same
# split under LeakSanitizer in one process.
MPI_ENV = dict(ENV)
if "ASAN_OPTIONS" in MPI_ENV:
    MPI_ENV["ASAN_OPTIONS"] += ":detect_leaks=0"
failures = []


def run(argv, processes=None, inline=None):
    env = ENV
    if processes is not None:
        argv = [MPIRUN, "--bind-to", "none", "-np", str(processes)] + argv
        env = dict(MPI_ENV)
    if inline is not None:
        env["CAJAL_MPI_INLINE_SPIKES"] = inline
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)


def must(done, what):
    if done.returncode != 0:
        sys.exit(f"FAIL: {what}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def summary_counts(stdout):
    """The summary's population spike counts and event counts."""
    lines = [l for l in stdout.splitlines() if not l.startswith("ran ")]
    return [re.sub(r"\(.* per second\)", "", l) for l in lines]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def hdf5_content(path):
    """Every dataset and attribute (HDF5 files carry times: compare content)."""
    import h5py
    import numpy as np
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            out[name + "@attrs"] = sorted((k, str(v)) for k, v in obj.attrs.items())
            if isinstance(obj, h5py.Dataset):
                out[name] = np.asarray(obj[()]).tobytes()
        f.visititems(visit)
    if not out:
        sys.exit(f"FAIL: {path} holds nothing")
    return out


def compare(name, image, extra, steps):
    base = os.path.join(WORK, name)
    argv = [CAJAL, "run", image, "--steps", str(steps), "--profile", PROFILE, *extra]
    one = must(run(argv + ["--spikes-out", base + ".csv"]), f"{name}: one process")
    must(run(argv + ["--spikes-out", base + ".h5", "--quiet"]), f"{name}: one process, HDF5")
    csv, h5 = read(base + ".csv"), hdf5_content(base + ".h5")
    rows = csv.count(b"\n") - 1
    if rows < 50:
        failures.append(f"{name}: only {rows} spikes: too few to compare")
    # (processes, threads, spikes sent with the count: default 31; 0 sends
    # every spike in the second collective, 1 mixes the two).
    for processes, threads, inline in ((1, 1, None), (2, 1, None), (4, 1, None),
                                       (2, 2, None), (2, 1, "0"), (4, 1, "1")):
        tag = f"{name}: {processes} processes, {threads} threads, inline {inline}"
        out = f"{base}.np{processes}.t{threads}.i{inline}"
        done = must(run(argv + ["--threads", str(threads), "--spikes-out", out + ".csv"],
                        processes, inline), tag)
        must(run(argv + ["--threads", str(threads), "--spikes-out", out + ".h5", "--quiet"],
                 processes, inline), tag + ", HDF5")
        if read(out + ".csv") != csv:
            failures.append(f"{tag}: spike CSV differs from one process's")
        if hdf5_content(out + ".h5") != h5:
            failures.append(f"{tag}: spike HDF5 differs from one process's")
        ran = [l for l in done.stdout.splitlines() if l.startswith("ran ")]
        want = "golden model" if processes == 1 else f"golden model ({processes} processes)"
        if len(ran) != 1 or want not in ran[0]:
            failures.append(f"{tag}: the summary is not printed once by process 0: {ran}")
        if summary_counts(done.stdout) != summary_counts(one.stdout):
            failures.append(f"{tag}: summary counts differ:\n{done.stdout}\n{one.stdout}")
    print(f"{name}: {rows} spikes, identical with 1, 2 and 4 processes")


def expect_refusal(argv, processes, message, output):
    done = run(argv, processes)
    if done.returncode == 0 or message not in done.stderr:
        failures.append(f"{' '.join(argv)} under {processes} processes: want '{message}', "
                        f"got exit {done.returncode}: {done.stderr.strip()}")
    if os.path.exists(output):
        failures.append(f"refused run left {output}")


mc = os.path.join(WORK, "microcircuit.cjimg")
must(run([CAJAL, "compile", os.path.join(ROOT, "examples", "microcircuit.mlir"), "-o", mc,
          "--profile", PROFILE]), "compiling the microcircuit")
compare("microcircuit", mc, [], 3000)

for seed in range(1, 7):
    image = os.path.join(WORK, f"random{seed}.cjimg")
    spikes = os.path.join(WORK, f"random{seed}.input.csv")
    must(run([RANDIMG, "--seed", str(seed), "-o", image, "--profile", PROFILE,
              "--input-out", spikes]), f"random image {seed}")
    compare(f"random{seed}", image, ["--input", spikes], 200)

refused = os.path.join(WORK, "refused.csv")
expect_refusal([CAJAL, "run", mc, "--steps", "10", "--profile", PROFILE, "--engine",
                "systemc", "--spikes-out", refused], 2,
               "mpirun with 2 processes: only --engine golden runs across processes",
               refused)
expect_refusal([CAJAL, "run", mc, "--steps", "10", "--profile", PROFILE, "--probes-out",
                refused], 2, "mpirun with 2 processes: --probes-out needs one process",
               refused)
done = run([CAJAL, "run", mc, "--steps", "10", "--profile", PROFILE, "--spikes-out",
            refused], 2, "2000")
if done.returncode == 0 or 'CAJAL_MPI_INLINE_SPIKES: "2000" is not a number of spikes ' \
        'from 0 to 1023' not in done.stderr or os.path.exists(refused):
    failures.append(f"CAJAL_MPI_INLINE_SPIKES=2000 not refused: {done.stderr.strip()}")

if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
print("mpi runs: every split gives one process's spikes")
