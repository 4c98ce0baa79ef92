#!/usr/bin/env python3
"""interrupt.py - Ctrl-C during `cajal run` leaves complete output files.

Starts a long SystemC run of the synfire example with every output, sends
SIGINT once the run is under way, and checks: exit code 130, a message on
stderr, and every output file present and well-formed up to the last finished
step (spike CSV parses and stops before the requested step count; power report
and trace are valid JSON; the VCD ends with a complete time block).
"""
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

CAJAL, ROOT = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="cajal-int-")
image = os.path.join(work, "synfire.cjimg")
subprocess.run([CAJAL, "compile", os.path.join(ROOT, "examples", "synfire.mlir"), "-o", image],
               check=True)
outs = {k: os.path.join(work, k) for k in ("s.csv", "p.json", "r.vcd", "t.json")}
steps = 50_000_000
run = subprocess.Popen([CAJAL, "run", image, "--steps", str(steps), "--engine", "systemc",
                        "--spikes-out", outs["s.csv"], "--power", outs["p.json"],
                        "--vcd", outs["r.vcd"], "--trace", outs["t.json"], "--quiet"],
                       stderr=subprocess.PIPE, text=True)
# Wait until the run is under way: the spike file's temporary exists.
deadline = time.time() + 60
while not any(f.startswith("s.csv") for f in os.listdir(work)):
    if time.time() > deadline or run.poll() is not None:
        run.kill()
        sys.exit("cajal run did not start writing its spike file")
    time.sleep(0.1)
time.sleep(1.0)
run.send_signal(signal.SIGINT)
try:
    _, err = run.communicate(timeout=60)
except subprocess.TimeoutExpired:
    run.kill()
    sys.exit("cajal run did not stop within 60 s of SIGINT")
if run.returncode != 130 or "interrupted after" not in err:
    sys.exit(f"expected exit 130 and an 'interrupted after' message, got {run.returncode}: {err}")
for name, path in outs.items():
    if not os.path.exists(path):
        sys.exit(f"{name} missing after Ctrl-C")
with open(outs["s.csv"]) as f:
    rows = list(csv.reader(f))
if rows[0] != ["step", "node", "index"] or len(rows) < 2:
    sys.exit(f"spike file has {len(rows)} rows; header {rows[:1]}")
last = max(int(r[0]) for r in rows[1:])
if last >= steps - 1:
    sys.exit("the run was not interrupted")
power = json.load(open(outs["p.json"]))
trace = json.load(open(outs["t.json"]))
vcd = open(outs["r.vcd"]).read()
if "$enddefinitions" not in vcd:
    sys.exit("VCD has no header")
print(f"ok: interrupted after step {last}; spikes, power ({len(power)} keys), "
      f"trace ({len(trace if isinstance(trace, list) else trace.get('traceEvents', []))} events), VCD complete")
