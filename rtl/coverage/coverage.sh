#!/bin/sh
#===- rtl/coverage/coverage.sh - RTL line/toggle coverage of the random check
#
# rtl/coverage/coverage.sh [BUILD_DIR] [SEEDS]: configures BUILD_DIR
# (default build-rtl-coverage) with -DCAJAL_RTL_COVERAGE=ON (verilator
# --coverage: line and toggle points), builds rtl-lockstep and rtl-tests,
# runs SEEDS (default 1000) random configurations of 100 steps against the
# SystemC core model, SEEDS / 5 random loihi2 cores running random programs
# (40 steps), and the directed tests (saturation, back-pressure, a core
# without compartments, programs, ...), merges the per-model counters with
# verilator_coverage, writes an annotated source tree and prints the line
# and toggle figures.
#
#===------------------------------------------------------------------------===#
set -e
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-rtl-coverage}
seeds=${2:-1000}
out=$build/rtl-coverage
cmake -G Ninja -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCAJAL_RTL_COVERAGE=ON >/dev/null
ninja -C "$build" -j2 rtl-lockstep rtl-tests
rm -rf "$out"
mkdir -p "$out/data"
CAJAL_PROFILE_DIR="$src/chip/profiles" CAJAL_RTL_COVERAGE_DIR="$out/data" \
  "$build/bin/rtl-lockstep" --seeds "$seeds" --steps 100
CAJAL_PROFILE_DIR="$src/chip/profiles" CAJAL_RTL_COVERAGE_DIR="$out/data" \
  "$build/bin/rtl-lockstep" --profile loihi2 --seeds $((seeds / 5)) --steps 40
CAJAL_PROFILE_DIR="$src/chip/profiles" CAJAL_RTL_COVERAGE_DIR="$out/data" \
  "$build/bin/rtl-tests" --gtest_brief=1
find "$out/data" -name '*.dat' > "$out/files.txt"
# Merge in chunks (one file per configuration).
xargs -n 200 sh -c 'verilator_coverage -write "$0/part-$$.dat" "$@"' "$out" \
  < "$out/files.txt"
verilator_coverage -write "$out/merged.dat" "$out"/part-*.dat
verilator_coverage --annotate "$out/annotated" "$out/merged.dat"
/usr/bin/python3 "$src/rtl/coverage/summary.py" "$out/merged.dat"
echo "annotated sources: $out/annotated"
