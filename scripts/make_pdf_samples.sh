#!/usr/bin/env bash
# Regenerates the PDF samples (committed under samples/):
#   samples/<seed>.pdf            the seed .docx samples printed by LibreOffice (Noto CJK fonts,
#                                 Identity-H with ToUnicode; seed 001 has rows cut by page breaks)
#   samples/cjk/stsong-ucs2.pdf   reportlab with its non-embedded STSong-Light CID font (UniGB-UCS2-H)
#   samples/cjk/gbk-euc.pdf       a raw PDF, Type0 font encoded GBK-EUC-H without ToUnicode
#   samples/split/split-pages-001x5.{docx,pdf}
#                                 seed 001 five times with Word's formatting, and its LibreOffice
#                                 print (41 pages): tables cut by page breaks in every way
#   samples/rules/<seed>.{borderless,hrules}.pdf
#                                 the seed samples without any table border, and with horizontal
#                                 rules only (top, bottom, between rows), printed by LibreOffice
#   samples/rules/centred-001x2.{docx,borderless.pdf,hrules.pdf}
#                                 seed 001 twice with Word's formatting (centred cells), likewise
#   samples/variants/<variant>.{txt,docx,pdf}
#                                 seed 000's first project in each label variant
#                                 (scripts/make_variant_samples.py)
# Installs what it needs from Debian and PyPI (LibreOffice, CJK fonts, reportlab).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui fonts-noto-cjk >&2
fi
tmp=$(mktemp -d)
for s in 000_5439077655b7c2d3 001_5c85cbf3a97b1726; do
  soffice --headless --convert-to pdf --outdir "$tmp" "samples/$s.docx" >/dev/null
  cp "$tmp/$s.pdf" "samples/$s.pdf"
done
python3 scripts/make_docx_samples.py --word-like --copies 5 --out samples/split/split-pages-001x5.docx \
  samples/001_5c85cbf3a97b1726.txt
soffice --headless --convert-to pdf --outdir "$tmp" samples/split/split-pages-001x5.docx >/dev/null
cp "$tmp/split-pages-001x5.pdf" samples/split/
for s in 000_5439077655b7c2d3 001_5c85cbf3a97b1726; do
  for kind in none:borderless h:hrules; do
    python3 scripts/make_docx_samples.py --borders "${kind%%:*}" --out "$tmp/$s.${kind##*:}.docx" "samples/$s.txt"
    soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/$s.${kind##*:}.docx" >/dev/null
    cp "$tmp/$s.${kind##*:}.pdf" samples/rules/
  done
done
python3 scripts/make_docx_samples.py --word-like --copies 2 --out samples/rules/centred-001x2.docx \
  samples/001_5c85cbf3a97b1726.txt
for kind in none:borderless h:hrules; do
  python3 scripts/make_docx_samples.py --word-like --copies 2 --borders "${kind%%:*}" \
    --out "$tmp/centred-001x2.${kind##*:}.docx" samples/001_5c85cbf3a97b1726.txt
  soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/centred-001x2.${kind##*:}.docx" >/dev/null
  cp "$tmp/centred-001x2.${kind##*:}.pdf" samples/rules/
done
rm -rf "$tmp"
python3 scripts/make_variant_samples.py
py=$(scripts/setup-python.sh)
"$py" -m pip install --quiet --disable-pip-version-check 'reportlab>=4'
"$py" scripts/make_cjk_pdfs.py
ls -la samples/*.pdf samples/cjk/ samples/split/ samples/rules/ samples/variants/
