"""e2e_checks.py - what the e2e scripts share: running cajal, recording checks.

A script imports it (`from e2e_checks import Checks, cajal_runner`), runs
`cajal` through the runner, records each expectation with `check(ok,
message)`, which prints `ok` or `FAIL` and the message, and ends with
`check.finish(summary)`: exit status 1 naming every failure, or the summary.
"""
import os
import subprocess
import sys


def cajal_runner(cajal):
    """run(*args): `cajal args...`, its output captured as text."""
    def run(*args):
        return subprocess.run([cajal, *args], capture_output=True, text=True)
    return run


class Checks:
    """Prints each check as it is made and remembers the failures."""

    def __init__(self):
        self.failures = []

    def __call__(self, ok, message):
        print(("ok    " if ok else "FAIL  ") + message, flush=True)
        if not ok:
            self.failures.append(message)

    def no_temporaries(self, work):
        """No `.tmp` or hidden file was left behind in `work`."""
        left = [n for n in os.listdir(work) if ".tmp" in n or n.startswith(".")]
        self(not left, f"no temporary file left behind ({left})")

    def finish(self, summary):
        if self.failures:
            sys.exit("FAILED:\n  " + "\n  ".join(self.failures))
        print(summary)
