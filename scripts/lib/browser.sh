#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; no browser is ever downloaded).
#   source scripts/lib/browser.sh && browser_ensure    # installs the chromium package when missing
# shellcheck source=apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

browser_ensure() {
  [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] && return 0
  _apt_install chromium
  [[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || { printf '[browser] ERROR: chromium did not install\n' >&2; return 1; }
}
