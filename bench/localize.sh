#!/bin/sh
# How long localization adds on a 10 MB body (or the size in MB given as $1):
# builds examples/localize_bench.rs in release mode and runs it.
set -e
cd "$(dirname "$0")/.."
exec cargo run --release --quiet --example localize_bench -- "${1:-10}"
