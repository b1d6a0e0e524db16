#!/usr/bin/env bash
# `dkimscope selectors` over DOMAINS (default 1,000) domains x the default
# selectors against a DNS server on 127.0.0.1 (examples/selectors_bench.rs,
# serving with the tests' own server). Target: 1,000 domains < 3 s.
#   bench/selectors.sh [DOMAINS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
DS="${CARGO_TARGET_DIR:-target}/release/dkimscope"
cargo run --release -q --example selectors_bench -- "$DS" "${1:-1000}"
