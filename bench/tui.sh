#!/usr/bin/env bash
# TUI timing on the 50 MB message (bench/corpus/one-large, made by
# gen-corpus as bench/run.sh does): first frame and per-keypress redraw in
# every pane, through App on a TestBackend (examples/tui_bench.rs).
# Targets: first frame < 300 ms, redraw < 16 ms.
#   bench/tui.sh [WxH]
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-bench/corpus}
dir="$CORPUS/one-large"
if [ ! -f "$dir/keys.zone" ]; then
  cargo build --release -q --manifest-path bench/Cargo.toml
  GEN=bench/target/release/gen-corpus
  [ -x "$GEN" ] || GEN="${CARGO_TARGET_DIR:-bench/target}/release/gen-corpus"
  "$GEN" --out "$dir" --kind one-large >/dev/null
fi
files=("$dir"/*.eml)
cargo run --release -q --example tui_bench -- "${files[0]}" "$dir/keys.zone" "${1:-160x48}"
