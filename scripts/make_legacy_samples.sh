#!/usr/bin/env bash
# Legacy-format samples for tests/legacy.rs, made by LibreOffice (scripts/setup-office.sh
# installs it; Calc too with OFFICE_CALC=1):
#
#   samples/doc/<seed>.doc    Word 97-2003, saved by LibreOffice Writer from samples/<seed>.docx
#   samples/doc/<seed>.rtf    RTF, likewise
#   samples/xls/<name>.xls    Excel 97-2003 (BIFF8), saved by LibreOffice Calc from the real
#                             published workbooks ../shared/real/05-08 (*.xlsx) and from
#                             tests/fixtures/xlsx/formula-no-cache.xlsx (Calc computes the
#                             formula and stores its value)
#
#   OFFICE_CALC=1 scripts/setup-office.sh && scripts/make_legacy_samples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
convert() { # FORMAT OUTDIR FILE...
  local format=$1 outdir=$2
  shift 2
  HOME="$tmp" soffice --headless --norestore "-env:UserInstallation=file://$tmp/profile" \
    --convert-to "$format" --outdir "$outdir" "$@" >/dev/null
}
mkdir -p samples/doc samples/xls
for seed in 000_5439077655b7c2d3 001_5c85cbf3a97b1726; do
  convert doc samples/doc "samples/$seed.docx"
  convert rtf samples/doc "samples/$seed.docx"
done
for f in ../shared/real/0[5-8]_*.xlsx tests/fixtures/xlsx/formula-no-cache.xlsx; do
  convert xls samples/xls "$f"
done
ls -l samples/doc samples/xls
