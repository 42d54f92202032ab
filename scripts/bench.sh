#!/usr/bin/env bash
# Benchmarks the pipeline in-process on a generated 49-project .docx (and the same content as a
# text dump), then python-docx on the same file as the baseline. Pinned to one core.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(scripts/setup-python.sh)
"$py" -m pip install --quiet --disable-pip-version-check 'python-docx>=1.1'
python3 scripts/make_docx_samples.py --word-like --copies 7 --out target/bench/49-projects.docx samples/001_5c85cbf3a97b1726.txt
cargo bench --bench pipeline --no-run
bench=$(ls -t target/release/deps/pipeline-* | grep -v '\.d$' | head -n 1)
taskset -c 0 "$bench" --bench
taskset -c 0 "$py" scripts/bench_python_docx.py target/bench/49-projects.docx
