#!/usr/bin/env bash
# Look at reports the way a user would: an xlsx through LibreOffice (to PDF, then PNG pages)
# and an HTML page through headless Chromium (to PNG), with no network.
#
#   tools/render_check.sh 报告.xlsx [报告.html] [OUTDIR]
#
# Needs (Debian): libreoffice-calc-nogui, poppler-utils, chromium, fonts-noto-cjk
# (without fonts-noto-cjk Chinese renders as boxes).
set -euo pipefail
xlsx=${1:?usage: tools/render_check.sh REPORT.xlsx [REPORT.html] [OUTDIR]}
html=${2:-}
out=${3:-render-check}
mkdir -p "$out"

for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install libreoffice-calc-nogui poppler-utils)"; exit 2; }
done
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

soffice --headless -env:UserInstallation="file://$profile/lo" \
  --convert-to pdf --outdir "$out" "$xlsx" >/dev/null
pdf="$out/$(basename "${xlsx%.*}").pdf"
pdftoppm -png -r 60 "$pdf" "$out/$(basename "${xlsx%.*}")-page"
echo "xlsx → $pdf and $(ls "$out"/*-page-*.png | wc -l) PNG pages in $out/"

if [ -n "$html" ]; then
  browser=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$browser" ] || { echo "missing chromium (apt-get install chromium)"; exit 2; }
  png="$out/$(basename "${html%.*}").png"
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile/chromium" --hide-scrollbars --window-size=1200,4000 \
    --screenshot="$png" "file://$(realpath "$html")" >/dev/null 2>&1
  echo "html → $png"
fi
