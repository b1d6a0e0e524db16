#!/usr/bin/env bash
# Speed and memory of `dkimscope check`, against mail-auth alone (RustCrypto
# backend) and, when installed, dkimpy and OpenDKIM (`opendkim -t`, one
# process per message), on generated corpora. Medians of RUNS runs; peak
# memory from /usr/bin/time. The TUI and `selectors` have scripts of their
# own beside this one: bench/tui.sh, bench/selectors.sh.
#
#   bench/run.sh            run (builds what it needs, generates corpora once)
#   bench/run.sh --setup    also install dkimpy, OpenDKIM and GNU time first
#   RUNS=7 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
CORPUS=${CORPUS:-bench/corpus}

if [ "${1:-}" = "--setup" ]; then
  command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
  python3 -c 'import dkim' 2>/dev/null || python3 -m pip install -q dkimpy
  command -v opendkim >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq opendkim; }
fi

cargo build --release -q
cargo build --release -q --example phases
cargo build --release -q --manifest-path bench/Cargo.toml
GEN=bench/target/release/gen-corpus
MA=bench/target/release/mailauth-check
[ -x "$GEN" ] || GEN="${CARGO_TARGET_DIR:-bench/target}/release/gen-corpus"
[ -x "$MA" ] || MA="${CARGO_TARGET_DIR:-bench/target}/release/mailauth-check"
DS="${CARGO_TARGET_DIR:-target}/release/dkimscope"

for kind in many-small one-large header-heavy; do
  [ -f "$CORPUS/$kind/keys.zone" ] || "$GEN" --out "$CORPUS/$kind" --kind "$kind" >/dev/null
done

# median SECONDS and max RSS (KB) of RUNS runs of a command
measure() {
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    local out tmp
    tmp=$(mktemp)
    # Wall time to the millisecond (time's %e has 10 ms steps), peak RSS from time.
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$tmp" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    out=$(tail -1 "$tmp"); rm -f "$tmp"
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    local m=$out
    [ "$m" -gt "$rss" ] && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $rss"
}

row() { # label kind command...
  local label=$1 kind=$2; shift 2
  read -r secs rss < <(measure "$@")
  printf '%-14s %-34s %8ss %8s MB\n' "$kind" "$label" "$secs" "$((rss / 1024))" >&2
  echo "$secs"
}

printf '%-14s %-34s %9s %11s\n' corpus tool median peak >&2
for kind in many-small one-large header-heavy; do
  dir="$CORPUS/$kind"
  files=("$dir"/*.eml)
  ds=$(row "dkimscope check (trace+cross)" "$kind" "$DS" check --json --offline --keys "$dir/keys.zone" "${files[@]}")
  ma=$(row "mail-auth alone (rust-crypto)" "$kind" "$MA" --keys "$dir/keys.zone" "${files[@]}")
  awk -v a="$ds" -v b="$ma" -v k="$kind" 'BEGIN { if (b > 0) printf "%-14s dkimscope / mail-auth = %.2fx\n", k, a / b }' >&2
  if python3 -c 'import dkim' 2>/dev/null && [ "$kind" = many-small ]; then
    py=$(row "dkimpy" "$kind" python3 bench/dkimpy_check.py --keys "$dir/keys.zone" "$dir")
    awk -v a="$ds" -v b="$py" -v k="$kind" 'BEGIN { if (a > 0) printf "%-14s dkimpy / dkimscope = %.1fx\n", k, b / a }' >&2
  fi
  if command -v opendkim >/dev/null; then
    od=$(row "opendkim -t (a process each)" "$kind" bench/opendkim_check.sh --keys "$dir/keys.zone" "$dir")
    awk -v a="$ds" -v b="$od" -v k="$kind" 'BEGIN { if (a > 0) printf "%-14s opendkim / dkimscope = %.1fx\n", k, b / a }' >&2
  fi
done

# Where dkimscope's time goes on the small messages: each phase in process,
# one thread, with mail-auth's share of the analysis measured on its own.
echo >&2
echo "many-small, phase by phase (examples/phases.rs):" >&2
"${CARGO_TARGET_DIR:-target}/release/examples/phases" \
  "$CORPUS/many-small/keys.zone" "$CORPUS/many-small" 3 >&2
