#===- rtl/coverage/summary.py - Line and toggle figures of a coverage.dat -===#
#
# summary.py merged.dat: reads a Verilator coverage file (one point per
# line: C '<key>\x02<value>\x01...' <count>), groups the points by kind (the
# 'page' key: v_line/..., v_branch/..., v_toggle/...) and prints, per kind,
# how many points were hit at least once.
#
#===----------------------------------------------------------------------===#
import sys
from collections import defaultdict

hit, total = defaultdict(int), defaultdict(int)
with open(sys.argv[1], encoding="latin-1") as f:
    for line in f:
        if not line.startswith("C '"):
            continue
        body, count = line[3:].rsplit("' ", 1)
        fields = dict(kv.split("\x02", 1) for kv in body.split("\x01") if kv)
        kind = fields.get("page", "?").split("/")[0].removeprefix("v_")
        total[kind] += 1
        hit[kind] += int(count) > 0
for kind in sorted(total):
    print(f"{kind}: {hit[kind]}/{total[kind]} points hit "
          f"({100.0 * hit[kind] / total[kind]:.1f}%)")
