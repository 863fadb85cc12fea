#!/usr/bin/env bash
# Seeds the fuzz corpora of tests/fuzz from the library (docs/hacking.md, "Fuzzing"):
#   frontend/corpus    every .mc file of models/, hw_models/, properties/, bench/ and tests/fixtures/
#   trace_json/corpus  the JSON traces `iomc check --trace-format json` writes for violated models
#   schedule/corpus    every .sched file of models/ and tests/fixtures/
# Seeds are named after their source (seed_<path>); inputs a campaign adds are named by their
# SHA-1, as libFuzzer names them. Run from the source root after a build:
#   tests/fuzz/seed.sh [IOMC]      (default: build/dev/iomc)
set -euo pipefail
cd "$(dirname "$0")/../.."
iomc=${1:-build/dev/iomc}
out=tests/fuzz

name() { echo "seed_$(echo "$1" | tr '/' '_')"; }

mkdir -p "$out/frontend/corpus" "$out/trace_json/corpus" "$out/schedule/corpus"
# The many_* fixtures repeat one line a thousand times: nothing for the fuzzer to learn.
find models hw_models properties bench tests/fixtures -name '*.mc' ! -name 'many_*' | sort |
  while read -r f; do cp "$f" "$out/frontend/corpus/$(name "$f")"; done
find models tests/fixtures -name '*.sched' | sort |
  while read -r f; do cp "$f" "$out/schedule/corpus/$(name "$f")"; done

# One trace per kind of violation, on the fuzz target's models and a few more.
trace() {
  local file=$1; shift
  "$iomc" check "$@" --trace-format json --trace-out "$out/trace_json/corpus/seed_$file.json" >/dev/null || true
}
trace lost_update_racy tests/fixtures/lost_update.mc --variant racy
trace lost_update_fixed_total1 tests/fixtures/lost_update.mc --variant fixed -D TOTAL=1
trace abba_deadlock tests/fixtures/abba.mc
trace double_put tests/fixtures/double_put.mc
trace wrong_unlock tests/fixtures/wrong_unlock.mc
trace peterson_wrong_turn tests/fixtures/peterson_wrong_turn.mc
trace two_faults tests/fixtures/two_faults.mc
trace probe_iommu_group_race_a_66 models/scenarios/probe_iommu_group_race.mc --variant a_66 \
  --property ops::dma_iommu_before_probe_complete
