#!/usr/bin/env bash
# A short smoke run of the fuzz targets (fuzz/), on the stable toolchain CI has: each target is
# built as a plain libFuzzer binary (no coverage instrumentation: that needs nightly and
# `cargo fuzz`) and run over its committed seed corpus plus a few thousand mutations of it.
# Real fuzzing: `cargo +nightly fuzz run <target> fuzz/corpus-work/<target> fuzz/corpus/<target>`
# (README.md, "Fuzzing").
set -euo pipefail
cd "$(dirname "$0")/.."
# The main build's target folder: the dependencies are shared with it.
export CARGO_TARGET_DIR=$PWD/target
cargo build --release --quiet --manifest-path fuzz/Cargo.toml
for t in dump_grammar value_grammar docx_reader pdf_ingest structured; do
  work=$(mktemp -d)
  "target/release/$t" -runs=3000 -max_total_time=20 -rss_limit_mb=2048 -timeout=10 "$work" "fuzz/corpus/$t" \
    >"$work.log" 2>&1 || { tail -n 30 "$work.log"; echo "fuzz smoke: $t crashed"; exit 1; }
  echo "fuzz smoke: $t ran $(grep -oE '#[0-9]+' "$work.log" | tail -n 1 | tr -d '#') inputs without a crash"
  rm -rf "$work" "$work.log"
done
