#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the Python readers the interop tests use
# (pyarrow, DuckDB, in target/pyenv), then runs every Rust test in the release profile (the same
# profile as the main job, so CI builds the dependencies once).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-python.sh >/dev/null
cargo test --release --all-targets "$@"
