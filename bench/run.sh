#!/usr/bin/env bash
# Reproduces every figure of docs/benchmarks.md and checks each target.
#
#   bench/run.sh                 everything (about 10 minutes on 2 quiet cores)
#   bench/run.sh memory suite    some sections: data scale runner memory suite fuzz
#
# Needs a Rust toolchain, /usr/bin/time (Debian package `time`) and hyperfine (package
# `hyperfine`; without it the suite is timed with /usr/bin/time alone). Exits 1 when a target is
# missed. Run it on a quiet machine: it prints the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=target/release/cdr-harness
MISSED=()

section() { printf '\n=== %s ===\n' "$*"; }
verdict() { # verdict NAME OK(0/1) DETAIL
    if [ "$2" = 0 ]; then echo "target $1: met ($3)"; else echo "target $1: NOT met ($3)"; MISSED+=("$1"); fi
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

machine() {
    section machine
    echo "nproc: $(nproc)"
    grep -m1 'model name' /proc/cpuinfo || true
    echo "rustc: $(rustc --version)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
}

build() {
    [ -n "${BUILT:-}" ] && return
    cargo build --release -p cdr-harness --quiet
    BUILT=1
}

# Runs a criterion bench without its progress lines; the bench's own check decides the verdict.
cargo_bench() { # cargo_bench TARGET PACKAGE BENCH DETAIL
    if cargo bench -p "$2" --bench "$3" 2>&1 | grep -vE 'Warming|Collecting|Analyzing|^Benchmarking|^\s*$'; then
        verdict "$1" 0 "$4"
    else
        verdict "$1" 1 "the bench's check failed"
    fi
}

# 1. AddAudioTrack of a full disc against the bare loop, memcpy beside it.
data() {
    section "1. data path (cargo bench -p cdr-sim --bench data_path)"
    cargo_bench 1 cdr-sim data_path "see the side-by-side lines above"
}

# 5. Growth with the track count and the disc size, on the simulator.
scale() {
    section "5. scale (cargo bench -p cdr-sim --bench scale)"
    cargo_bench 5 cdr-sim scale "simulator: see the growth lines above"
}

# 3 and 5. Scenarios per second; transcripts as the track count grows.
runner() {
    section "3/5. runner (cargo bench -p cdr-harness --bench runner)"
    cargo_bench "3 (small scenarios)" cdr-harness runner "see the per-second lines above"
}

# Peak resident set of one `cdr-harness run`, in KiB.
peak_kib() {
    local out
    out=$(mktemp)
    /usr/bin/time -f '%M' -o "$out" "$BIN" run "$1" >/dev/null
    tail -n1 "$out"
    rm -f "$out"
}

# 2. Peak memory of `cdr-harness run` as the disc and the track count grow.
memory() {
    section "2. memory (/usr/bin/time -f %M $BIN run bench/scenarios/X.toml)"
    command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is missing: apt-get install time"; exit 2; }
    build
    local f kib k10 k80 worst=0
    printf '%-32s %10s\n' scenario "peak RSS"
    for f in disc-10min disc-40min disc-80min full-disc-10-tracks full-disc-99-tracks tracks-01 tracks-99; do
        kib=$(peak_kib "bench/scenarios/$f.toml")
        printf '%-32s %7.1f MiB\n' "$f" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
        [ "$f" = disc-10min ] && k10=$kib
        [ "$f" = disc-80min ] && k80=$kib
        [ "$kib" -gt "$worst" ] && worst=$kib
    done
    # "Does not grow": the 80-minute disc streams 740 MB more audio than the 10-minute one;
    # its peak may differ by page-level noise (a few hundred KiB), not by 1 MiB.
    local grown=$((k80 - k10))
    echo "80-minute peak - 10-minute peak: $grown KiB"
    if [ "$worst" -lt $((64 * 1024)) ] && [ "$grown" -lt 1024 ]; then
        verdict 2 0 "largest peak $((worst / 1024)) MiB < 64 MiB; 80 min - 10 min = $grown KiB < 1 MiB"
    else
        verdict 2 1 "largest peak $((worst / 1024)) MiB (limit 64); 80 min - 10 min = $grown KiB (limit 1 MiB)"
    fi
}

# 3. The conformance suite through the command, wall time.
suite() {
    section "3. suite ($BIN run fixtures/scenarios)"
    build
    local mean
    if command -v hyperfine >/dev/null; then
        local csv
        csv=$(mktemp)
        hyperfine --warmup 3 --runs 20 --export-csv "$csv" "$BIN run fixtures/scenarios"
        mean=$(awk -F, 'NR == 2 { print $2 }' "$csv")
        rm -f "$csv"
    else
        echo "hyperfine is missing (apt-get install hyperfine): one run under /usr/bin/time"
        local out
        out=$(mktemp)
        /usr/bin/time -f '%e %U %S' -o "$out" "$BIN" run fixtures/scenarios >/dev/null
        echo "wall user sys: $(cat "$out")"
        mean=$(cut -d' ' -f1 "$out")
        rm -f "$out"
    fi
    if lt "$mean" 2; then verdict 3 0 "mean ${mean} s < 2 s"; else verdict 3 1 "mean ${mean} s (limit 2 s)"; fi
}

# 4. Fuzzing rate on one core.
fuzz() {
    section "4. fuzz (taskset -c 0 $BIN fuzz --seed 7 --cases 5000)"
    build
    if ! "$BIN" help fuzz >/dev/null 2>&1; then
        verdict 4 1 "this build has no fuzz command"
        return
    fi
    local out rate
    out=$(mktemp)
    taskset -c 0 "$BIN" fuzz --seed 7 --cases 5000 --save "$(mktemp -d)" | tee "$out"
    rate=$(grep -oE '[0-9.]+ calls/s' "$out" | tail -n1 | cut -d' ' -f1)
    rm -f "$out"
    if [ -n "$rate" ] && ge "$rate" 100000; then
        verdict 4 0 "$rate calls/s >= 100,000"
    else
        verdict 4 1 "${rate:-no} calls/s (at least 100,000)"
    fi
}

machine
sections=("$@")
[ ${#sections[@]} -eq 0 ] && sections=(data scale runner memory suite fuzz)
for s in "${sections[@]}"; do
    case "$s" in
        data | scale | runner | memory | suite | fuzz) "$s" ;;
        *) echo "unknown section $s (data scale runner memory suite fuzz)"; exit 2 ;;
    esac
done
section done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ${#MISSED[@]} -gt 0 ]; then
    echo "missed: ${MISSED[*]}"
    exit 1
fi
echo "every target met"
