"""cajal_timing.py - run a command or `cajal run`, timed, for the benchmarks here.

`timed_run` returns the run loop's own time as `cajal run` prints it
("simulating": no loading, no output files), the whole process's wall time
and the printed summary.
"""

import re
import subprocess
import sys
import time


def sh(*cmd):
    """The command's stdout; exit with its stderr if it fails."""
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{r.stderr}")
    return r.stdout


def timed_run(cajal, image, engine, steps, *extra):
    """(simulating seconds, wall seconds, stdout) of one `cajal run`."""
    start = time.monotonic()
    out = sh(cajal, "run", image, "--engine", engine, "--steps", str(steps), *extra)
    wall = time.monotonic() - start
    m = re.search(r"\(([0-9.e+-]+) s simulating", out)
    if not m:
        sys.exit(f"no simulating time in:\n{out}")
    return float(m.group(1)), wall, out
