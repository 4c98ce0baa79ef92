"""child_process.py - time a whole process as the kernel accounts for it.

Both sides of bench/peer-brian2 time their whole processes here, the same
way: the wall time runs from the spawn to the reap of the child, and its
CPU time is the kernel's accounting of it (wait4's rusage). No
/usr/bin/time process sits in between: its own start and exit cost about
4 ms on this VM, added to every whole-process figure, a larger share of
the faster side's.

The peak memory is measured apart, under /usr/bin/time (peak_kib): a child
spawned straight from a large Python process reports that process's peak
(the kernel keeps the peak of the memory it replaced at exec).
"""

import os
import subprocess
import tempfile
import time


class ChildResult:
    def __init__(self, returncode, stdout, stderr, wall_s, cpu_s):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.wall_s = wall_s
        self.cpu_s = cpu_s


def run_child(cmd, cwd=None, env=None, stdout_path=None):
    """Run cmd (a list) to its end. Its output goes to files, not pipes (a
    pipe read in this process would be timed with it); stdout_path keeps
    the standard output there instead of returning it."""
    with tempfile.TemporaryFile() as err, \
            (open(stdout_path, "wb") if stdout_path
             else tempfile.TemporaryFile()) as out:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out,
                                 stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        text = ""
        if not stdout_path:
            out.seek(0)
            text = out.read().decode(errors="replace")
        err.seek(0)
        return ChildResult(child.returncode, text,
                           err.read().decode(errors="replace"), wall,
                           usage.ru_utime + usage.ru_stime)


def peak_kib(cmd, cwd=None, env=None, stdout_path=None):
    """(ChildResult, peak resident KiB of cmd) from a run under
    /usr/bin/time -f %M (the peak of cmd's own process)."""
    with tempfile.NamedTemporaryFile("r") as report:
        r = run_child(["/usr/bin/time", "-f", "%M", "-o", report.name] + cmd,
                      cwd=cwd, env=env, stdout_path=stdout_path)
        text = report.read().split()
        return r, (int(text[-1]) if r.returncode == 0 and text else 0)
