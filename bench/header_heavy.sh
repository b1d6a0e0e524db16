#!/usr/bin/env bash
# Header-heavy check time, in process (examples/analyse_bench.rs): messages
# whose h= names a field present N times, for N = 2,500 to 19,000 (the
# header field limit is 20,000). Target: under 10 ms at 5,000, linear in N.
#   bench/header_heavy.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-bench/corpus}
cargo build --release -q --manifest-path bench/Cargo.toml
GEN=bench/target/release/gen-corpus
[ -x "$GEN" ] || GEN="${CARGO_TARGET_DIR:-bench/target}/release/gen-corpus"
files=()
for n in 2500 5000 10000 19000; do
  dir="$CORPUS/header-heavy-$n"
  [ -f "$dir/keys.zone" ] || "$GEN" --out "$dir" --kind header-heavy --count "$n" >/dev/null
  files+=("$dir"/*.eml)
done
cargo run --release -q --example analyse_bench -- "$CORPUS/header-heavy-5000/keys.zone" "${1:-21}" "${files[@]}"
