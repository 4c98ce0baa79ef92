#===- rtl/coverage/summary.py - Line and toggle figures of a coverage.dat -===#
#
# summary.py merged.dat: reads a Verilator coverage file (one point per
# line: C '<key>\x02<value>\x01...' <count>), groups the points by kind (the
# 'page' key: v_line/<module>, v_branch/..., v_toggle/...) and prints, per
# kind, how many points were hit at least once, then the same per kind and
# module (a parameterised module, such as neuron_program sized for loihi1 or
# loihi2, is a module of its own).
#
#===----------------------------------------------------------------------===#
import sys
from collections import defaultdict

hit, total = defaultdict(int), defaultdict(int)
mhit, mtotal = defaultdict(int), defaultdict(int)
with open(sys.argv[1], encoding="latin-1") as f:
    for line in f:
        if not line.startswith("C '"):
            continue
        body, count = line[3:].rsplit("' ", 1)
        fields = dict(kv.split("\x02", 1) for kv in body.split("\x01") if kv)
        page = fields.get("page", "?")
        kind = page.split("/")[0].removeprefix("v_")
        module = page.split("/", 1)[1] if "/" in page else "?"
        total[kind] += 1
        hit[kind] += int(count) > 0
        mtotal[kind, module] += 1
        mhit[kind, module] += int(count) > 0
for kind in sorted(total):
    print(f"{kind}: {hit[kind]}/{total[kind]} points hit "
          f"({100.0 * hit[kind] / total[kind]:.1f}%)")
for kind, module in sorted(mtotal):
    print(f"  {kind} {module}: {mhit[kind, module]}/{mtotal[kind, module]} "
          f"({100.0 * mhit[kind, module] / mtotal[kind, module]:.1f}%)")
