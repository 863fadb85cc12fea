#!/usr/bin/env bash
# One entry point for the README's two commands and for CI.
#   scripts/dev.sh run    install what is missing, build, check the default scenario (seed 004:
#                         every variant's verdict table, then the a_66 counterexample)
#   scripts/dev.sh test   install what is missing, build, run the whole test suite
#   scripts/dev.sh asan   the same as test, with AddressSanitizer + UBSan
# CI=true selects the ci preset (Release, warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++ cmake ninja-build pkg-config libz3-dev libboost-graph-dev libcli11-dev doctest-dev
          libfmt-dev nlohmann-json3-dev spin)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mode=${1:-run}
preset=dev
[ "${CI:-}" = "true" ] && preset=ci
[ "$mode" = "asan" ] && preset=asan

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

case "$mode" in
  run)
    scenario=models/scenarios/probe_iommu_group_race.mc
    # Every variant x every property, and each counterexample replayed on the variants that
    # keep its property (exit 0: every cell got a verdict).
    "build/$preset/iomc" compare "$scenario"
    echo
    # a_66 is expected to be violated (exit 1): that is the race the scenario reproduces.
    set +e
    "build/$preset/iomc" check "$scenario" --variant a_66 --property ops::dma_iommu_before_probe_complete \
      --trace fewest-switches
    code=$?
    set -e
    [ "$code" -eq 1 ] || { echo "expected a violation (exit 1), got exit $code" >&2; exit 1; }
    ;;
  test|asan)
    exec ctest --preset "$preset" ;;
  *)
    echo "usage: scripts/dev.sh run|test|asan" >&2
    exit 2 ;;
esac
