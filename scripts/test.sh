#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the Python readers the interop tests use
# (pyarrow, DuckDB, in target/pyenv) and LibreOffice Writer and Chromium (scripts/setup-office.sh), then runs every Rust test in the release profile (the same
# profile as the main job, so CI builds the dependencies once), then a smoke run of the fuzz
# targets. Ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-python.sh >/dev/null
# LibreOffice Writer (converts .doc/.rtf in tests/legacy.rs) and Chromium (renders the HTML
# samples in tests/html.rs), from Debian's packages when missing.
scripts/setup-office.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --release --all-targets "$@" 2>&1 | tee "$log"
passed=$(grep -E '^test result: ' "$log" | grep -oE '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
failed=$(grep -E '^test result: ' "$log" | grep -oE '[0-9]+ failed' | awk '{s += $1} END {print s + 0}')
# The fuzz targets build and run over their seed corpora (scripts/fuzz-smoke.sh).
scripts/fuzz-smoke.sh
echo "tests: $passed passed, $failed failed"
