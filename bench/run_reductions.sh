#!/usr/bin/env bash
# bench/run_reductions.sh -- build and run the reductions benchmark (issue 9): every table in
# one run, iomc beside SPIN (with and without its POR) and Rumur (with and without symmetry).
#
# Usage: bench/run_reductions.sh [iomc_bench_reductions options]
#   e.g. bench/run_reductions.sh                        all five tables, default sizes
#        bench/run_reductions.sh --tables objects --objects-n 4
#        bench/run_reductions.sh --tables scenario --devs 3,4 --no-spin
# Tables: locks (locks.mc/locks.pml), symmetry (locks_sym.mc/locks_sym.m), objects
# (objects/devlocks.mc/devlocks.pml), scenario (probe_iommu_group_race.mc, a_612_stable), twin
# (that scenario and dma_ownership.mc c2 beside SPIN on Promela twins written by iomc_bench_twin).
# What it does, from the top of the checkout:
#   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DIOMC_BENCH=ON
#   cmake --build build/bench -j2 --target iomc_bench_reductions
#   build/bench/bench/iomc_bench_reductions "$@"
# The default sizes need about 17 CPU minutes (most of it Rumur without symmetry at N=4 K=3,
# the scenario at N_DEVS=5, 6, and the twin table's 10 M states of dma_ownership at N_DEVS=3); on a loaded machine the wall time is several times that. Each
# search runs alone; keep the machine otherwise idle and compare the ratios of one run. Needs spin, gcc, rumur and cc on
# PATH for the other tools' rows (it says which are left out). Environment: BUILD_DIR (default
# build/bench). Exit 1 when a verdict or a twin's state count differs (a "DIFFER" line).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/build_and_exec.sh
build_and_exec iomc_bench_reductions -- "$@"
