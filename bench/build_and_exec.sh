# bench/build_and_exec.sh -- sourced by the bench/run_*.sh scripts, from the top of the
# checkout: `build_and_exec TARGET [JOBS] -- ARGS...` configures a Release build with the
# benchmarks in $BUILD_DIR (default build/bench), builds TARGET with JOBS jobs (default 2) and
# replaces the shell with build/bench/bench/TARGET ARGS...
build_and_exec() {
    local target=$1 jobs=2
    shift
    if [ "${1:-}" != "--" ]; then jobs=$1; shift; fi
    shift
    local dir=${BUILD_DIR:-build/bench}
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DIOMC_BENCH=ON >/dev/null
    cmake --build "$dir" -j"$jobs" --target "$target" >/dev/null
    exec "$dir/bench/$target" "$@"
}
