#!/usr/bin/env bash
# Speed and memory of `dkimscope check`, against mail-auth alone (with its
# RustCrypto backend, and with ring, the backend dkimscope uses) and, when
# installed, dkimpy and OpenDKIM (`opendkim -t`, one process per message), on
# generated corpora. Per row: median wall time and median CPU seconds
# (user + sys, every thread) of RUNS runs, and peak memory, from
# /usr/bin/time. The TUI and `selectors` have scripts of their own beside
# this one: bench/tui.sh, bench/selectors.sh.
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
# The same checker again, on mail-auth's ring backend (a build of its own:
# see bench/mailauth-ring/Cargo.toml).
cargo build --release -q --manifest-path bench/mailauth-ring/Cargo.toml
# Where cargo just built them (with CARGO_TARGET_DIR set, a bench/target
# left from another build would be stale).
GEN="${CARGO_TARGET_DIR:-bench/target}/release/gen-corpus"
MA="${CARGO_TARGET_DIR:-bench/target}/release/mailauth-check"
MAR="${CARGO_TARGET_DIR:-bench/mailauth-ring/target}/release/mailauth-check-ring"
DS="${CARGO_TARGET_DIR:-target}/release/dkimscope"

for kind in many-small one-large header-heavy; do
  [ -f "$CORPUS/$kind/keys.zone" ] || "$GEN" --out "$CORPUS/$kind" --kind "$kind" >/dev/null
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Of RUNS runs of a command: the median wall seconds, the median CPU
# seconds (user + sys, summed over its threads) and the largest peak RSS (KB).
measure() {
  local walls=() cpus=() rss=0
  for _ in $(seq "$RUNS"); do
    local tmp t0 t1 m u s
    tmp=$(mktemp)
    # Wall time to the millisecond (time's %e has 10 ms steps); peak RSS and
    # CPU time (10 ms steps) from time.
    t0=$(date +%s%N)
    /usr/bin/time -f "%M %U %S" -o "$tmp" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    read -r m u s < <(tail -1 "$tmp"); rm -f "$tmp"
    walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  echo "$(median "${walls[@]}") $(median "${cpus[@]}") $rss"
}

# Prints a table row on stderr, and "WALL CPU" on stdout for the ratios.
row() { # label kind command...
  local label=$1 kind=$2; shift 2
  local wall cpu rss
  read -r wall cpu rss < <(measure "$@")
  printf '%-13s %-37s %8ss %8ss %6s MB\n' "$kind" "$label" "$wall" "$cpu" "$((rss / 1024))" >&2
  echo "$wall $cpu"
}

# ratio KIND TEXT A B: "KIND TEXT = A/B x" on stderr (nothing when B is 0).
ratio() {
  awk -v k="$1" -v t="$2" -v a="$3" -v b="$4" \
    'BEGIN { if (b > 0) printf "%-13s %s = %.2fx\n", k, t, a / b }' >&2
}

printf '%-13s %-37s %9s %9s %9s\n' corpus tool wall cpu "peak RSS" >&2
for kind in many-small one-large header-heavy; do
  dir="$CORPUS/$kind"
  files=("$dir"/*.eml)
  read -r ds _ < <(row "dkimscope check (trace+cross)" "$kind" \
    "$DS" check --json --offline --keys "$dir/keys.zone" "${files[@]}")
  read -r ma ma_cpu < <(row "mail-auth alone (rust-crypto)" "$kind" \
    "$MA" --keys "$dir/keys.zone" "${files[@]}")
  read -r _ mar_cpu < <(row "mail-auth alone (ring)" "$kind" \
    "$MAR" --keys "$dir/keys.zone" "${files[@]}")
  ratio "$kind" "wall dkimscope / mail-auth (rust-crypto)" "$ds" "$ma"
  ratio "$kind" "cpu mail-auth (ring) / (rust-crypto)" "$mar_cpu" "$ma_cpu"
  # One message at a time on both sides: CPU seconds per message, with the
  # same crypto library under both.
  if [ "$kind" != header-heavy ]; then
    read -r _ ds1_cpu < <(row "dkimscope check --jobs 1" "$kind" \
      "$DS" check --jobs 1 --json --offline --keys "$dir/keys.zone" "${files[@]}")
    read -r _ mar1_cpu < <(row "mail-auth alone (ring) --threads 1" "$kind" \
      "$MAR" --threads 1 --keys "$dir/keys.zone" "${files[@]}")
    ratio "$kind" "cpu dkimscope --jobs 1 / mail-auth (ring) --threads 1" "$ds1_cpu" "$mar1_cpu"
    echo "$kind: ${#files[@]} messages" >&2
  fi
  if python3 -c 'import dkim' 2>/dev/null && [ "$kind" = many-small ]; then
    read -r py _ < <(row "dkimpy" "$kind" python3 bench/dkimpy_check.py --keys "$dir/keys.zone" "$dir")
    awk -v a="$ds" -v b="$py" -v k="$kind" 'BEGIN { if (a > 0) printf "%-13s dkimpy / dkimscope = %.1fx\n", k, b / a }' >&2
  fi
  if command -v opendkim >/dev/null; then
    read -r od _ < <(row "opendkim -t (a process each)" "$kind" bench/opendkim_check.sh --keys "$dir/keys.zone" "$dir")
    awk -v a="$ds" -v b="$od" -v k="$kind" 'BEGIN { if (a > 0) printf "%-13s opendkim / dkimscope = %.1fx\n", k, b / a }' >&2
  fi
done

# Where dkimscope's time goes on the small messages: each phase in process,
# one thread, with mail-auth's share of the analysis measured on its own.
echo >&2
echo "many-small, phase by phase (examples/phases.rs):" >&2
"${CARGO_TARGET_DIR:-target}/release/examples/phases" \
  "$CORPUS/many-small/keys.zone" "$CORPUS/many-small" 3 >&2
