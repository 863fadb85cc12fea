#!/usr/bin/env bash
# bench/run.sh -- build and run the locks benchmark: iomc beside SPIN in one run.
#
# Usage: bench/run.sh [N] [K] [extra iomc_bench_locks options]
#   N = workers (default 3), K = counter modulus (default 5).
#   e.g. bench/run.sh 3 5      bench/run.sh 4 3      bench/run.sh 3 5 --pairs merged
#        bench/run.sh 2 3 --no-spin
# What it does, from the top of the checkout:
#   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release
#   cmake --build build/bench -j1 --target iomc_bench_locks
#   build/bench/bench/iomc_bench_locks -N N -K K
# The program runs each search alone (iomc in a forked child, then pan), so keep the machine
# otherwise idle; compare the ratios of one run, not absolute times across runs.
# Needs spin and gcc on PATH for the SPIN rows (Debian packages spin, gcc); without them it
# prints iomc's rows and says SPIN was not found. Environment: BUILD_DIR (default build/bench).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3}
K=${2:-5}
shift $(( $# >= 2 ? 2 : $# ))
. bench/build_and_exec.sh
build_and_exec iomc_bench_locks 1 -- -N "$N" -K "$K" "$@"
