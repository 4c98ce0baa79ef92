#!/usr/bin/env python3
"""driver_modules.py - the driver loads SystemC and MPI only when a run needs them.

`cajal` does not link the SystemC kernel, Open MPI or (with CAJAL_STATIC_HDF5,
the third argument) the shared HDF5: their start costs every command tens of
milliseconds. `run --engine systemc` and `check-rtl` load
lib/cajal/libcajal-systemc.so, a run under an MPI launcher
lib/cajal/libcajal-mpi.so, both found from the executable's own folder.
With CAJAL_MIMALLOC (the fourth argument) it links mimalloc, whose malloc
then serves the process on transparent huge pages, each thread's first
segment committed at once, unless the user's MIMALLOC_LARGE_OS_PAGES or
MIMALLOC_EAGER_COMMIT_DELAY says otherwise (the load's many arrays,
docs/benchmarks.md).
Checks: the executable's needed libraries; a symbolic link to it still finds
its modules; a copy without them still runs the golden model and HDF5 output,
and each command that needs a module fails with a clear error naming it,
exit 1 and no output file.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from e2e_checks import Checks

CAJAL, ROOT = sys.argv[1], sys.argv[2]
# CAJAL_STATIC_HDF5 of the build: OFF (the sanitizer build) links the
# shared libhdf5.
STATIC_HDF5 = sys.argv[3].upper() in ("ON", "1", "TRUE", "YES")
# CAJAL_MIMALLOC of the build: OFF in the sanitizer build.
MIMALLOC = sys.argv[4].upper() in ("ON", "1", "TRUE", "YES")
check = Checks()
work = tempfile.mkdtemp(prefix="cajal-modules-")
image = os.path.join(work, "synfire.cjimg")
subprocess.run([CAJAL, "compile", os.path.join(ROOT, "examples", "synfire.mlir"),
                "-o", image], check=True)

needed = subprocess.run(["readelf", "-d", CAJAL], capture_output=True, text=True,
                        check=True).stdout
for lib in ("libsystemc", "libmpi", "libcurl") + (("libhdf5",) if STATIC_HDF5 else ()):
    check(lib not in needed, f"cajal does not link {lib}")
check(("libmimalloc" in needed) == MIMALLOC,
      f"cajal links libmimalloc exactly when CAJAL_MIMALLOC is on ({MIMALLOC})")


def run(cajal, *args, env=None):
    return subprocess.run([cajal, *args], capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))


if MIMALLOC:
    # Its statistics count the run's allocations: its malloc is the one used.
    r = run(CAJAL, "run", image, "--steps", "10", "--quiet",
            env={"MIMALLOC_SHOW_STATS": "1"})
    check(r.returncode == 0 and "heap stats" in r.stderr,
          f"mimalloc serves the run's allocations ({r.stderr.strip()[:200]})")
    for variable, option, ours in (("MIMALLOC_LARGE_OS_PAGES", "large_os_pages", 1),
                                   ("MIMALLOC_EAGER_COMMIT_DELAY", "eager_commit_delay", 0)):
        for user, value in ((None, ours), ("0", 0), ("1", 1)):
            env = {"MIMALLOC_VERBOSE": "1"}
            if user is not None:
                env[variable] = user
            r = run(CAJAL, "--help", env=env)
            check(f"option '{option}': {value}" in r.stderr,
                  f"{variable}={user}: {option} {value}")

# A link to the driver (as in ~/bin) finds the modules beside the real file.
link = os.path.join(work, "cajal-link")
os.symlink(os.path.abspath(CAJAL), link)
r = run(link, "run", image, "--steps", "200", "--engine", "systemc",
        "--spikes-out", os.path.join(work, "systemc.csv"), "--quiet")
check(r.returncode == 0, f"through a symbolic link: --engine systemc runs ({r.stderr.strip()})")
r = run(CAJAL, "run", image, "--steps", "200", "--spikes-out",
        os.path.join(work, "golden.csv"), "--quiet")
check(r.returncode == 0 and open(os.path.join(work, "golden.csv")).read()
      == open(os.path.join(work, "systemc.csv")).read(),
      "the SystemC model in its module spikes as the golden model")

# A copy of the executable alone: no lib/cajal beside it.
alone = os.path.join(work, "alone", "bin")
os.makedirs(alone)
shutil.copy2(CAJAL, alone)
copy = os.path.join(alone, "cajal")
out = os.path.join(work, "alone.h5")
r = run(copy, "run", image, "--steps", "200", "--spikes-out", out, "--quiet")
check(r.returncode == 0 and os.path.getsize(out) > 0,
      f"without its modules: the golden model runs and writes HDF5 ({r.stderr.strip()})")
missing = os.path.join(work, "alone", "lib", "cajal")
for what, args, env, module, output in (
        ("run --engine systemc",
         ["run", image, "--steps", "10", "--engine", "systemc", "--spikes-out"],
         None, "libcajal-systemc.so", "sc.csv"),
        ("check-rtl", ["check-rtl", "--random", "1", "--steps", "10"], None,
         "libcajal-systemc.so", None),
        ("run under an MPI launcher", ["run", image, "--steps", "10", "--spikes-out"],
         {"OMPI_COMM_WORLD_SIZE": "2"}, "libcajal-mpi.so", "mpi.csv")):
    target = os.path.join(work, output) if output else None
    r = run(copy, *args, *([target] if target else []), env=env)
    check(r.returncode == 1, f"{what}: exit 1 without {module} (got {r.returncode})")
    check(f"cannot load the driver's module {missing}/{module}" in r.stderr,
          f"{what}: the error names {module} ({r.stderr.strip()})")
    check("Traceback" not in r.stderr and "Segmentation" not in r.stderr,
          f"{what}: no crash")
    if target:
        check(not os.path.exists(target), f"{what}: no output file")
check.no_temporaries(work)
shutil.rmtree(work)
check.finish("driver modules: loaded when needed, clear errors when missing")
