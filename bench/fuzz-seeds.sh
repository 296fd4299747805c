#!/usr/bin/env bash
# Runs the differential fuzzer over a range of seeds and prints, per seed, its verdict and the
# counts of what it reached, then the total wall time.
#
#   bench/fuzz-seeds.sh                 seeds 1 to 20, 2,000 cases each
#   bench/fuzz-seeds.sh 5 8 500         seeds 5 to 8, 500 cases each
#
# A failing seed writes its shrunk scenario under fuzz-failures/ and makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

FIRST=${1:-1}
LAST=${2:-20}
CASES=${3:-2000}
BIN=target/release/cdr-harness

cargo build --release -q -p cdr-harness
failed=()
start=$(date +%s.%N)
for seed in $(seq "$FIRST" "$LAST"); do
    out=$("$BIN" fuzz --seed "$seed" --cases "$CASES" 2>&1) && code=0 || code=$?
    echo "--- seed $seed (exit $code)"
    grep -v '^fuzzing \|^fingerprint ' <<<"$out"
    [ "$code" = 0 ] || failed+=("$seed")
done
end=$(date +%s.%N)
printf '\nseeds %s..%s, %s cases each: %s failed, total wall time %.1f s\n' \
    "$FIRST" "$LAST" "$CASES" "${#failed[@]}" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "failing seeds: ${failed[*]}"
    exit 1
fi
