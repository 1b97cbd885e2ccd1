#!/usr/bin/env bash
# The Debian packages redactguard runs with, in one place: the container image (Dockerfile),
# CI (.ci/run) and the Makefile's set-up install them with this script, so what the image gets
# is what the tests ran with.
#
#   tools/install-system-packages.sh            # what the service and CLI need at run time
#   tools/install-system-packages.sh --test     # and what the test suite needs besides
#
# Run time: Tesseract with English, Welsh and orientation data (OCR), poppler (the redaction
# check reads outputs with pdftotext/pdftoppm), LibreOffice Writer (legacy and OpenDocument
# formats; Calc and Impress convert legacy .xls and .ppt). Tests: qpdf (PDF structure checks in tests and fixture scripts),
# chromium and chromium-driver (the HTML report is tested in headless Chromium through Selenium,
# tests/report/test_html_browser.py).
# Needs root and apt-get; prints what to install otherwise and fails.
set -euo pipefail
packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-cym tesseract-ocr-osd poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)
if [ "${1:-}" = "--test" ]; then
  packages+=(qpdf chromium chromium-driver)
elif [ -n "${1:-}" ]; then
  echo "usage: $0 [--test]" >&2
  exit 2
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  echo "install these Debian/Ubuntu packages as root: apt-get install ${packages[*]}" >&2
  exit 1
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# what was asked for is there: each program and each language's data
programs=(tesseract pdftotext pdftoppm soffice)
if [ "${1:-}" = "--test" ]; then
  programs+=(qpdf chromium chromedriver)
fi
for program in "${programs[@]}"; do
  command -v "$program" >/dev/null || { echo "missing after install: $program" >&2; exit 1; }
done
for lang in eng cym osd; do
  tesseract --list-langs 2>/dev/null | grep -qx "$lang" || { echo "missing Tesseract data: $lang" >&2; exit 1; }
done
echo "system packages: ${#packages[@]} present (${#missing[@]} installed now)"
