#!/usr/bin/env bash
# Batch benchmark (issue 6): a corpus made by replicating the samples — text dumps, Word files
# (ours and LibreOffice's), PDFs (LibreOffice prints, borderless, CJK-CMap, reportlab) and a
# spreadsheet — run through the whole command (read, extract, write Parquet):
#   - per format, one job: documents/s, MB/s, and pages/s for PDFs;
#   - the mixed corpus with 1 and 2 jobs: the speed-up;
#   - the speed-up from 1 to 2 jobs: medians of REPEAT (5) alternating runs;
#   - peak RSS (max resident set, /usr/bin/time) at 100 and 10,000 documents, and at 10,000
#     documents written into a few hundred Hive partitions;
#   - baselines on the same PDFs: pdftotext -layout (poppler) on all, pdfplumber's
#     extract_tables() on a subset (it is ~20× slower).
#
#   scripts/bench_batch.sh            # DOCS=2000 documents for the speed runs
#   DOCS=500 BIG=2000 scripts/bench_batch.sh   # a quicker run
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${DOCS:-2000}
BIG=${BIG:-10000}
py=$(scripts/setup-python.sh)
"$py" -m pip install --quiet --disable-pip-version-check 'pdfplumber>=0.11'
if ! command -v pdftotext >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >&2
fi
cargo build --release --quiet
bin=$PWD/target/release/budget-extract
work=target/bench/batch
rm -rf "$work" && mkdir -p "$work"

# The sample files by format (the split 41-page PDF is left out: one file would dominate).
txt=(samples/*.txt samples/variants/*.txt)
docx=(samples/*.docx samples/rules/*.docx samples/variants/*.docx)
pdf=(samples/*.pdf samples/rules/*.pdf samples/cjk/*.pdf samples/variants/*.pdf)
xlsx=(tests/fixtures/xlsx/*.xlsx)

# corpus DIR N FILES...: N documents, copies of FILES in turn.
corpus() {
  local dir=$1 n=$2; shift 2
  local files=("$@") k=0
  mkdir -p "$dir"
  while [ "$k" -lt "$n" ]; do
    local f=${files[$((k % ${#files[@]}))]}
    cp "$f" "$dir/$(printf '%06d' "$k")-$(basename "$f")"
    k=$((k + 1))
  done
}

# run DIR JOBS → "seconds peak_kib"
run() {
  rm -rf "$work/out"
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" extract "$1" --out "$work/out" -q -j "$2"
  cat "$work/time"
}

mb() { du -sb "$1" | awk '{printf "%.1f", $1 / 1e6}'; }
pages() { local n=0; for f in "$1"/*.pdf; do n=$((n + $(pdfinfo "$f" | awk '/^Pages:/ {print $2}'))); done; echo "$n"; }

echo "| input | documents | MB | jobs | seconds | documents/s | MB/s | pages/s | peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
per=$((DOCS / 4))
for fmt in txt docx pdf xlsx; do
  eval "files=(\"\${$fmt[@]}\")"
  corpus "$work/$fmt" "$per" "${files[@]}"
  read -r secs kib < <(run "$work/$fmt" 1)
  size=$(mb "$work/$fmt")
  pps="–"
  [ "$fmt" = pdf ] && pps=$(awk -v p="$(pages "$work/pdf")" -v s="$secs" 'BEGIN {printf "%.0f", p / s}')
  awk -v f="$fmt" -v n="$per" -v m="$size" -v s="$secs" -v p="$pps" -v k="$kib" \
    'BEGIN {printf "| %s | %d | %s | 1 | %.2f | %.0f | %.1f | %s | %.0f MB |\n", f, n, m, s, n / s, m / s, p, k / 1024}'
done
mkdir -p "$work/mixed"
for fmt in txt docx pdf xlsx; do cp "$work/$fmt"/* "$work/mixed/"; done
n=$(ls "$work/mixed" | wc -l)
# The speed-up: REPEAT pairs of runs (1 job, then 2), alternating so that a slow spell of the
# machine hits both; medians compared.
: > "$work/pairs"
for r in $(seq "${REPEAT:-5}"); do
  read -r s1 k1 < <(run "$work/mixed" 1)
  read -r s2 k2 < <(run "$work/mixed" 2)
  echo "$s1 $k1 $s2 $k2" >> "$work/pairs"
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
m1=$(awk '{print $1}' "$work/pairs" | median); m2=$(awk '{print $3}' "$work/pairs" | median)
r1=$(awk '{print $2}' "$work/pairs" | median); r2=$(awk '{print $4}' "$work/pairs" | median)
for jobs in 1 2; do
  if [ "$jobs" = 1 ]; then secs=$m1 kib=$r1; else secs=$m2 kib=$r2; fi
  awk -v n="$n" -v m="$(mb "$work/mixed")" -v s="$secs" -v j="$jobs" -v k="$kib" \
    'BEGIN {printf "| mixed | %d | %s | %d | %.2f | %.0f | %.1f | – | %.0f MB |\n", n, m, j, s, n / s, m / s, k / 1024}'
done
echo
echo "Speed-up from 1 to 2 jobs (median of $(wc -l < "$work/pairs") runs each): $(awk -v a="$m1" -v b="$m2" 'BEGIN {printf "%.2f×", a / b}');" \
  "pair by pair: $(awk '{printf "%s%.2f×", (NR > 1 ? ", " : ""), $1 / $3}' "$work/pairs")"
echo
echo "| documents | layout | jobs | seconds | peak RSS |"
echo "|---:|---|---:|---:|---:|"
all=("${txt[@]}" "${docx[@]}" "${pdf[@]}" "${xlsx[@]}")
for n in 100 "$BIG"; do
  corpus "$work/rss-$n" "$n" "${all[@]}"
  read -r secs kib < <(run "$work/rss-$n" 2)
  awk -v n="$n" -v s="$secs" -v k="$kib" 'BEGIN {printf "| %d mixed | single files | 2 | %.1f | %.0f MB |\n", n, s, k / 1024}'
done
# Many partitions: BIG dumps of the first seed, each under one of the provinces of
# grammars/places.toml and one of ten fiscal years, written with --partition-by.
"$py" - "$work/partitions" "$BIG" <<'EOF_PY'
import pathlib, re, sys
out, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
seed = pathlib.Path("samples/000_5439077655b7c2d3.txt").read_text(encoding="utf-8")
provinces = re.findall(r'^\[provinces\."(.+?)"\]', pathlib.Path("grammars/places.toml").read_text(encoding="utf-8"), re.M)
for k in range(n):
    province, year = provinces[k % len(provinces)], 2015 + (k // len(provinces)) % 10
    text = seed.replace("天津市河北区人民法院", province + "高级人民法院").replace("1.办案业务费绩效目标表", f"1.{year}年办案业务费绩效目标表")
    (out / f"{k:06d}.txt").write_text(text, encoding="utf-8")
EOF_PY
rm -rf "$work/out"
/usr/bin/time -f '%e %M' -o "$work/time" "$bin" extract "$work/partitions" --out "$work/out" -q -j 2 --partition-by fiscal_year,province
parts=$(find "$work/out" -name '*.parquet' -type f | wc -l)
read -r secs kib < "$work/time"
awk -v n="$BIG" -v s="$secs" -v k="$kib" -v p="$parts" \
  'BEGIN {printf "| %d dumps | --partition-by fiscal_year,province (%d part files) | 2 | %.1f | %.0f MB |\n", n, p, s, k / 1024}'
echo
# Baselines on the PDF corpus: pdftotext on every file, pdfplumber on the first 40.
p=$(pages "$work/pdf")
start=$(date +%s.%N)
for f in "$work/pdf"/*.pdf; do pdftotext -layout "$f" /dev/null; done
end=$(date +%s.%N)
echo "pdftotext -layout: $(awk -v a="$start" -v b="$end" -v p="$p" 'BEGIN {printf "%.2f s for %d pages, %.1f ms/page", b - a, p, (b - a) * 1000 / p}')"
subset=("$work/pdf"/*.pdf)
printf '%s\n' "${subset[@]:0:40}" > "$work/subset"
"$py" - "$work/subset" <<'EOF'
import sys, time
import pdfplumber
files = open(sys.argv[1]).read().split()
t = time.perf_counter()
pages = 0
for f in files:
    with pdfplumber.open(f) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            pages += 1
s = time.perf_counter() - t
print(f"pdfplumber extract_tables(): {s:.2f} s for {pages} pages of {len(files)} files, {s * 1000 / pages:.1f} ms/page")
EOF
