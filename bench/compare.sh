#!/usr/bin/env bash
# Two dkimscope binaries on the same corpora, in one run, beside mail-auth
# alone on ring: CPU milliseconds (perf task-clock, every thread) and wall
# milliseconds, medians of RUNS runs, runs of the two binaries interleaved
# so a busy machine weighs on both alike. For a change's before/after:
#
#   git worktree add /tmp/before <commit> && cargo build --release --manifest-path /tmp/before/Cargo.toml
#   bench/compare.sh /tmp/before/target/release/dkimscope [target/release/dkimscope]
#
# Corpora come from bench/run.sh's generator (bench/corpus/), made once.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bench/compare.sh OLD_BINARY [NEW_BINARY]}
NEW=${2:-target/release/dkimscope}
RUNS=${RUNS:-9}
CORPUS=${CORPUS:-bench/corpus}
command -v perf >/dev/null || { echo "compare.sh needs perf (apt-get install linux-perf)" >&2; exit 2; }

cargo build --release -q --manifest-path bench/Cargo.toml
cargo build --release -q --manifest-path bench/mailauth-ring/Cargo.toml
GEN="${CARGO_TARGET_DIR:-bench/target}/release/gen-corpus"
RING="${CARGO_TARGET_DIR:-bench/mailauth-ring/target}/release/mailauth-check-ring"
for kind in many-small one-large header-heavy; do
  [ -f "$CORPUS/$kind/keys.zone" ] || "$GEN" --out "$CORPUS/$kind" --kind "$kind" >/dev/null
done

# "cpu_ms wall_ms" of one run
once() {
  { perf stat -x, -e task-clock,duration_time "$@" 2>&1 >/dev/null || true; } |
    awk -F, '/task-clock/ {c = $1} /duration_time/ {w = $1 / 1e6} END {printf "%.1f %.1f\n", c, w}'
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

printf '%-14s %-28s %10s %10s\n' corpus command cpu_ms wall_ms
for kind in many-small one-large header-heavy; do
  dir="$CORPUS/$kind"
  files=("$dir"/*.eml)
  for jobs in "" 1; do
    [ "$kind" = header-heavy ] && [ -n "$jobs" ] && continue
    extra=(); label="check"
    [ -n "$jobs" ] && extra=(--jobs 1) && label="check --jobs 1"
    : >/tmp/compare.old; : >/tmp/compare.new; : >/tmp/compare.ring
    for _ in $(seq "$RUNS"); do
      once "$OLD" check --json --offline --keys "$dir/keys.zone" "${extra[@]}" "${files[@]}" >>/tmp/compare.old
      once "$NEW" check --json --offline --keys "$dir/keys.zone" "${extra[@]}" "${files[@]}" >>/tmp/compare.new
      threads=(); [ -n "$jobs" ] && threads=(--threads 1)
      once "$RING" --quiet "${threads[@]}" --keys "$dir/keys.zone" "${files[@]}" >>/tmp/compare.ring
    done
    for who in old new ring; do
      cpu=$(cut -d' ' -f1 "/tmp/compare.$who" | median)
      wall=$(cut -d' ' -f2 "/tmp/compare.$who" | median)
      name="$who $label"; [ "$who" = ring ] && name="mail-auth ring${jobs:+ --threads 1}"
      printf '%-14s %-28s %10s %10s\n' "$kind" "$name" "$cpu" "$wall"
    done
  done
done
