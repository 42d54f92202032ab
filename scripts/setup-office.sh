#!/usr/bin/env bash
# Installs what the tests of legacy formats and HTML need, when it is missing (Debian, as root):
# LibreOffice Writer without a GUI (soffice, which converts .doc, .wps and .rtf to .docx) and
# Chromium (which renders the HTML samples). OFFICE_CALC=1 adds LibreOffice Calc, which only
# scripts/make_legacy_samples.sh needs. Idempotent: does nothing when they are there.
set -euo pipefail
packages=()
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui)
if [ "${OFFICE_CALC:-0}" = 1 ] && ! dpkg -s libreoffice-calc-nogui >/dev/null 2>&1; then
  packages+=(libreoffice-calc-nogui)
fi
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-office: install ${packages[*]} (no apt-get here)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
