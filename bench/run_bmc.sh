#!/usr/bin/env bash
# bench/run_bmc.sh -- time to the first counterexample, bounded model checking (--engine bmc)
# against the explicit engine, for each violated cell of the library (issue 13, Targets).
#
# Usage: bench/run_bmc.sh [LIMIT_SECONDS] [MODEL.mc ...]
#   e.g. bench/run_bmc.sh                   every violated cell of models/scenarios, 60 s each
#        bench/run_bmc.sh 30 models/scenarios/dma_ownership.mc
# Environment: IOMC (default build/dev/iomc; build it first).
# What it does: `iomc test MODEL` lists each cell with its verdict and, for a violation, the
# length of the explicit engine's shortest counterexample (K steps). For each cell expected
# and found violated it then times, one after the other and alone:
#   explicit: iomc check MODEL --variant V --property P               (defaults: every reduction)
#   bmc:      iomc check MODEL --variant V --property P --engine bmc --depth K --time-limit LIMIT
# and prints one Markdown table row: wall seconds and peak resident memory (/usr/bin/time) of
# each, the depth BMC found its counterexample at (or the depth it had reached when the limit
# stopped it). Liveness and lock-order cells have no BMC figure (the engine checks safety only).
# The explicit run has the same wall-time limit. K is the length of the explicit engine's
# counterexample with its default reductions: the fewest steps of the *reduced* graph, an upper
# bound on the shortest run (partial-order reduction keeps a violation reachable, not its
# shortest run), so BMC may find one below K. Exit 1 when the two engines disagree: BMC finds
# no violation up to K, or reports one deeper than K.
set -uo pipefail
cd "$(dirname "$0")/.."
IOMC=${IOMC:-build/dev/iomc}
LIMIT=${1:-60}
shift || true
MODELS=("$@")
[ ${#MODELS[@]} -eq 0 ] && MODELS=(models/scenarios/*.mc)
[ -x "$IOMC" ] || { echo "run_bmc.sh: $IOMC not found; build it first (docs/hacking.md)" >&2; exit 2; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "run_bmc.sh: needs GNU time at $TIME" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "load: $(uptime | sed "s/.*load average/load average/"); $(nproc) cores; limit ${LIMIT} s per run"
echo
echo "| model | variant | property | K | explicit s | explicit MB | bmc s | bmc MB | bmc result |"
echo "|---|---|---|--:|--:|--:|--:|--:|---|"
status=0
for model in "${MODELS[@]}"; do
    "$IOMC" test "$model" >"$tmp/cells" 2>/dev/null
    # ok  FILE  VARIANT  PROPERTY  violated  violated  STATES  TIME  K steps
    awk '$1 == "ok" && $5 == "violated" && $6 == "violated" && $10 == "steps" { print $3, $4, $9 }' "$tmp/cells" |
    while read -r variant property k; do
        name=$(basename "$model")
        kind=$("$IOMC" list "$model" --variant "$variant" 2>/dev/null | grep -E "^ *$property( |:|$)" | head -1)
        "$TIME" -f "%e %M" -o "$tmp/t_exp" timeout "$LIMIT" \
            "$IOMC" check "$model" --variant "$variant" --property "$property" >"$tmp/exp" 2>&1
        read -r es em < <(tail -1 "$tmp/t_exp") || { es=-; em=0; }
        grep -q "^result: violated" "$tmp/exp" || es=">$LIMIT"
        if echo "$kind" | grep -qE "liveness|lock order|lock_order"; then
            echo "| $name | $variant | $property | $k | $es | $((em / 1024)) | - | - | liveness/lock order: explicit only |"
            continue
        fi
        "$TIME" -f "%e %M" -o "$tmp/t_bmc" \
            "$IOMC" check "$model" --variant "$variant" --property "$property" --engine bmc --depth "$k" \
            --time-limit "$LIMIT" --trace-format steps >"$tmp/bmc" 2>&1
        read -r bs bm < <(tail -1 "$tmp/t_bmc") || { bs=-; bm=0; }
        engine=$(grep -m1 "^engine:" "$tmp/bmc")
        if grep -q "^result: violated" "$tmp/bmc"; then
            depth=$(grep -m1 -oE "counterexample \([0-9]+ step" "$tmp/bmc" | grep -oE "[0-9]+")
            res="violated at depth $depth"
            if [ "$depth" -gt "$k" ]; then
                res="$res: DIFFERS from explicit ($k)"
                status=1
            fi
        elif grep -q "^result: incomplete: no violation" "$tmp/bmc"; then
            res="no violation up to $k: DIFFERS from explicit"
            status=1
        elif grep -q "^result: incomplete" "$tmp/bmc"; then
            reached=$(echo "$engine" | grep -oE "depth [0-9]+" | head -1)
            res="limit: $reached reached"
            bs=">$LIMIT"
        elif grep -q "does not support\|bmc engine checks safety" "$tmp/bmc"; then
            res="not run: $(grep -m1 "error" "$tmp/bmc" | sed 's/^iomc: error: //')"
        else
            res="error: $(head -1 "$tmp/bmc")"
            status=1
        fi
        echo "| $name | $variant | $property | $k | $es | $((em / 1024)) | $bs | $((bm / 1024)) | $res |"
    done
done
exit $status
