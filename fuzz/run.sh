#!/usr/bin/env bash
# Fuzz targets one at a time with one job (the machine is shared):
#   fuzz/run.sh [SECONDS] [TARGET...]     default 600 s each, every target
# Seeds the corpora first (seed.py). Needs cargo-fuzz; on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it pass its nightly-only flags. No sanitizer (the
# crate has no unsafe code; coverage-guided search and Rust's own checks do
# the work, faster): debug assertions and overflow checks come from
# Cargo.toml's release profile, so mail-parser's can stay off as in the
# main crate's dev profile. That needs -O: without it cargo-fuzz puts
# -Cdebug-assertions in RUSTFLAGS, which turns them on for every crate. Logs, with
# libFuzzer's final stats line, go to fuzz/logs/TARGET.log; crashes to
# fuzz/artifacts/TARGET/ (copy each into tests/fixtures/fuzz/ with a test).
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-600}; shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tags_lex key_record auth_results zone_keys message_parse analyse)
export RUSTC_BOOTSTRAP=1
TD=${FUZZ_TARGET_DIR:-../../target-i7-fuzz}
python3 seed.py >/dev/null
cargo fuzz build -O -s none --target-dir "$TD"
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "artifacts/$t"
  max_len=4096
  case $t in message_parse|analyse) max_len=65536 ;; esac
  echo "== $t: $secs s" >&2
  cargo fuzz run -O -s none --target-dir "$TD" "$t" -- \
    -max_total_time="$secs" -max_len=$max_len -timeout=20 \
    -print_final_stats=1 >"logs/$t.log" 2>&1
  echo "$t exit $?: $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "logs/$t.log" | tail -1)" >&2
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|panicked' "logs/$t.log" >&2
done
