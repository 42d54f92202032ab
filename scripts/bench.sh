#!/usr/bin/env bash
# Benchmarks the pipeline in-process on a generated 49-project .docx, its LibreOffice print
# (57 pages) and the same content as a text dump; then the baselines on the same files:
# python-docx, pdftotext -layout, pdfplumber. Pinned to one core.
set -euo pipefail
cd "$(dirname "$0")/.."
py=$(scripts/setup-python.sh)
"$py" -m pip install --quiet --disable-pip-version-check 'python-docx>=1.1' 'pdfplumber>=0.11'
python3 scripts/make_docx_samples.py --word-like --copies 7 --out target/bench/49-projects.docx samples/001_5c85cbf3a97b1726.txt
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui fonts-noto-cjk poppler-utils >&2
fi
soffice --headless --convert-to pdf --outdir target/bench target/bench/49-projects.docx >/dev/null
cargo bench --bench pipeline --no-run
bench=$(ls -t target/release/deps/pipeline-* | grep -v '\.d$' | head -n 1)
taskset -c 0 "$bench" --bench
taskset -c 0 "$py" scripts/bench_python_docx.py target/bench/49-projects.docx
taskset -c 0 "$py" scripts/bench_pdf_baselines.py target/bench/49-projects.pdf
