#!/bin/sh
#===- rtl/coverage/program-coverage.sh - Coverage of the micro-sequencer --===#
#
# rtl/coverage/program-coverage.sh [BUILD_DIR]: configures BUILD_DIR (default
# build-rtl-coverage) with -DCAJAL_RTL_COVERAGE=ON, builds rtl-program-tests,
# runs it (10,000 random programs and the standard programs against the
# reference interpreter), merges the counters of rtl/src/neuron_program.sv
# and prints its line, branch and toggle figures.
#
#===------------------------------------------------------------------------===#
set -e
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-rtl-coverage}
out=$build/program-coverage
cmake -G Ninja -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCAJAL_RTL_COVERAGE=ON >/dev/null
ninja -C "$build" -j2 rtl-program-tests
rm -rf "$out"
mkdir -p "$out/data"
CAJAL_PROFILE_DIR="$src/chip/profiles" CAJAL_RTL_COVERAGE_DIR="$out/data" \
  "$build/bin/rtl-program-tests" --gtest_brief=1
verilator_coverage -write "$out/merged.dat" "$out"/data/*.dat
verilator_coverage --annotate "$out/annotated" "$out/merged.dat"
/usr/bin/python3 "$src/rtl/coverage/summary.py" "$out/merged.dat"
echo "annotated sources: $out/annotated"
