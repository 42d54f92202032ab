#!/usr/bin/env bash
# Regenerates the PDF samples (committed under samples/):
#   samples/<seed>.pdf            the seed .docx samples printed by LibreOffice (Noto CJK fonts,
#                                 Identity-H with ToUnicode; seed 001 has rows cut by page breaks)
#   samples/cjk/stsong-ucs2.pdf   reportlab with its non-embedded STSong-Light CID font (UniGB-UCS2-H)
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
rm -rf "$tmp"
py=$(scripts/setup-python.sh)
"$py" -m pip install --quiet --disable-pip-version-check 'reportlab>=4'
"$py" scripts/make_cjk_pdfs.py
ls -la samples/*.pdf samples/cjk/
