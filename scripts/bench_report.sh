#!/usr/bin/env bash
# Report benchmark (issue 16): `report` over datasets of N documents (10,000 by default):
#   - N mixed documents, copies of the samples in turn (dumps, Word files, PDFs, spreadsheets),
#     extracted into single files;
#   - N dumps of the first seed under the 33 provinces of grammars/places.toml and ten fiscal
#     years, extracted with --partition-by fiscal_year,province (a few hundred part files).
# For each: seconds and peak RSS (/usr/bin/time) of `extract` and of `report`, the site's size,
# its number of files and its largest file.
#
#   scripts/bench_report.sh            # N=10000, JOBS=2
#   N=2000 scripts/bench_report.sh     # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
JOBS=${JOBS:-2}
cargo build --release --quiet
bin=$PWD/target/release/budget-extract
work=target/bench/report
rm -rf "$work" && mkdir -p "$work"

# The mixed corpus: the files bench_batch.sh uses, copied in turn.
files=(samples/*.txt samples/variants/*.txt samples/*.docx samples/rules/*.docx samples/variants/*.docx
  samples/*.pdf samples/rules/*.pdf samples/cjk/*.pdf samples/variants/*.pdf tests/fixtures/xlsx/*.xlsx)
mkdir -p "$work/mixed"
for k in $(seq 0 $((N - 1))); do
  f=${files[$((k % ${#files[@]}))]}
  cp "$f" "$work/mixed/$(printf '%06d' "$k")-$(basename "$f")"
done

# The partitioned corpus: the first seed, its court moved to a province and its title to a year.
mapfile -t provinces < <(sed -n 's/^\[provinces\."\(.*\)"\]$/\1/p' grammars/places.toml)
mkdir -p "$work/dumps"
seed=samples/000_5439077655b7c2d3.txt
for k in $(seq 0 $((N - 1))); do
  p=${provinces[$((k % ${#provinces[@]}))]}
  y=$((2015 + (k / ${#provinces[@]}) % 10))
  sed -e "s/天津市河北区人民法院/${p}高级人民法院/" -e "s/1\.办案业务费绩效目标表/1.${y}年办案业务费绩效目标表/" \
    "$seed" > "$work/dumps/$(printf '%06d' "$k").txt"
done

# timed NAME COMMAND... → "seconds peak_MB"
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@"
  awk '{printf "%.1f %.0f\n", $1, $2 / 1024}' "$work/time"
}

echo "| dataset | documents | extract s | report s | report peak RSS | site | files | largest file |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for corpus in mixed dumps; do
  args=()
  layout="$N mixed, single files"
  if [ "$corpus" = dumps ]; then
    args=(--partition-by fiscal_year,province)
    layout="$N dumps, --partition-by fiscal_year,province"
  fi
  read -r es _ < <(timed "$bin" extract "$work/$corpus" --out "$work/out-$corpus" -q -j "$JOBS" "${args[@]}")
  read -r rs rm < <(timed "$bin" report "$work/out-$corpus" --html "$work/site-$corpus" -q -j "$JOBS")
  docs=$(find "$work/site-$corpus/doc" -name '*.html' | wc -l)
  size=$(du -sb "$work/site-$corpus" | awk '{printf "%.0f MB", $1 / 1e6}')
  count=$(find "$work/site-$corpus" -type f | wc -l)
  largest=$(find "$work/site-$corpus" -type f -printf '%s %P\n' | sort -n | tail -1 |
    awk '{printf "%s (%.0f KB)", $2, $1 / 1024}')
  echo "| $layout | $docs | $es | $rs | $rm MB | $size | $count | $largest |"
done
