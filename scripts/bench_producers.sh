#!/usr/bin/env bash
# Per producer of the PDF corpus (samples/producers/<producer>/), in one run: the whole pipeline
# (`budget-extract extract DIR -j 1 --force`), poppler's `pdftotext -layout` on every file (text
# only, no tables) and pdfplumber's `extract_tables()` on every page of every file. Process CPU
# seconds (user + sys) from /usr/bin/time; ours and pdftotext the median of RUNS alternating
# runs, pdfplumber one run (it is 10–40× slower). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
py=$(scripts/setup-python.sh)
"$py" -m pip install --quiet --disable-pip-version-check 'pdfplumber>=0.11'
cargo build --release --quiet
bin=target/release/budget-extract
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu() { # cpu seconds of a command (user + sys, its children included)
  /usr/bin/time -f '%U %S' -o "$tmp/time" "$@" >/dev/null 2>&1
  awk '{printf "%.3f", $1 + $2}' "$tmp/time"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

echo "| producer (files, pages) | ours | \`pdftotext -layout\` | pdfplumber \`extract_tables()\` | ours per page | pdftotext per page | pdfplumber per page |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for dir in samples/producers/*/; do
  name=$(basename "$dir")
  files=("$dir"*.pdf)
  pages=0
  for f in "${files[@]}"; do
    pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}')))
  done
  ours=() text=()
  for _ in $(seq "$RUNS"); do
    ours+=("$(cpu "$bin" extract "$dir" --out "$tmp/out" -j 1 --force --quiet)")
    text+=("$(cpu sh -c 'for f in "$@"; do pdftotext -layout "$f" /dev/null; done' sh "${files[@]}")")
  done
  o=$(echo "${ours[*]}" | median)
  t=$(echo "${text[*]}" | median)
  p=$(cpu "$py" -c 'import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()' "${files[@]}")
  awk -v n="$name" -v f="${#files[@]}" -v pg="$pages" -v o="$o" -v t="$t" -v p="$p" 'BEGIN {
    printf "| %s (%d, %d) | %.3f s | %.3f s | %.2f s | %.1f ms | %.1f ms | %.1f ms |\n", n, f, pg, o, t, p, 1000 * o / pg, 1000 * t / pg, 1000 * p / pg }'
done
