#!/usr/bin/env bash
# Runs a command as on a fresh Linux machine that has only Node and npm: for that command only (a private
# mount namespace, so nothing changes outside it) the system Chromium/Chrome, poppler's PDF tools
# (pdftotext, pdfinfo, …), every system and user font folder and Playwright's browser cache are hidden,
# CHROME_PATH/CHROMIUM_PATH are unset and the temp folder is a new empty one (so no Chromium unpacked by
# an earlier run is reused). Needs root (or CAP_SYS_ADMIN) for unshare and mount.
#
#   scripts/ci-hidden-os.sh                                  # npm test
#   scripts/ci-hidden-os.sh npx jest --runInBand test/browser src/reports
#   KEEP_TMP=1 scripts/ci-hidden-os.sh …                     # use the usual temp folder (faster: warm jest cache)
set -euo pipefail

if [ "${YIAN_HIDDEN_OS:-}" != 1 ]; then
  exec env YIAN_HIDDEN_OS=1 unshare --mount --propagation private -- "$0" "$@"
fi
cd "$(dirname "$0")/.."

scratch=$(mktemp -d "${TMPDIR:-/tmp}/yian-hidden-os-XXXXXX")
chmod 755 "$scratch" # the embedded PostgreSQL runs as another user and must traverse the temp folder
trap 'rm -rf "$scratch"' EXIT
stub="$scratch/hidden"
printf '#!/bin/sh\necho "$0: hidden by scripts/ci-hidden-os.sh" >&2\nexit 127\n' >"$stub"
chmod 755 "$stub"

hidden=()
for dir in /usr/share/fonts /usr/local/share/fonts /usr/share/texmf/fonts /var/cache/fontconfig \
  "$HOME/.fonts" "$HOME/.local/share/fonts" "$HOME/.cache/fontconfig" "$HOME/.cache/ms-playwright" \
  /usr/lib/chromium /usr/lib/chromium-browser /usr/lib64/chromium /opt/google /opt/chromium.org; do
  if [ -d "$dir" ]; then mount -t tmpfs -o size=1m,mode=755 yian-hidden "$dir"; hidden+=("$dir/"); fi
done
for cmd in chromium chromium-browser google-chrome google-chrome-stable chrome pdftotext pdfinfo pdftoppm pdftocairo pdftohtml; do
  for path in $(type -aP "$cmd" 2>/dev/null | sort -u); do
    mount --bind "$stub" "$(readlink -f "$path")"; hidden+=("$path")
  done
done
unset CHROME_PATH CHROMIUM_PATH
if [ -z "${KEEP_TMP:-}" ]; then
  mkdir -p "$scratch/tmp" && chmod 1777 "$scratch/tmp"
  export TMPDIR="$scratch/tmp"
fi

echo "ci-hidden-os: hidden: ${hidden[*]:-(nothing was installed)}; TMPDIR=${TMPDIR:-/tmp}" >&2
if command -v fc-list >/dev/null 2>&1; then
  echo "ci-hidden-os: system fonts now: $(fc-list | wc -l), with Chinese: $(fc-list :lang=zh | wc -l)" >&2
fi

if [ $# -eq 0 ]; then set -- npm test; fi
"$@"
