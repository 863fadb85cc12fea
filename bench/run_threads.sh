#!/usr/bin/env bash
# bench/run_threads.sh -- build and run the threads benchmark (issue 9): the 1 -> 2 thread
# speed-up of the breadth-first search on locks.mc (without reductions, and with POR) and on the
# scenario (a_612_stable, POR + symmetry), beside the bound that two 1-thread searches run at
# once in two processes give on the same machine.
#
# Usage: bench/run_threads.sh [iomc_bench_threads options]
#   e.g. bench/run_threads.sh                  5 rounds, locks N=3 K=5, scenario N_DEVS=5
#        bench/run_threads.sh --rounds 9 --devs 4
# What it does, from the top of the checkout:
#   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DIOMC_BENCH=ON
#   cmake --build build/bench -j2 --target iomc_bench_threads
#   build/bench/bench/iomc_bench_threads "$@"
# About a minute a round on 2 cores. Keep the machine otherwise idle. Environment: BUILD_DIR
# (default build/bench). Exit 1 when a search fails or the state counts of one workload differ.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/build_and_exec.sh
build_and_exec iomc_bench_threads -- "$@"
