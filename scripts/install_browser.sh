#!/usr/bin/env bash
# Install what tests/test_browser.py needs: Debian's Chromium, a Hangul font for it (the
# Korean notebook; Debian's fonts-nanum) and Python Playwright (its driver only; Playwright
# never downloads a browser here: the tests use /usr/bin/chromium).
# Idempotent: does nothing when both are already there. Run it as root (or with sudo) for
# apt-get. Usage: scripts/install_browser.sh [VENV]   (default: .venv beside this script)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-.venv}
CHROMIUM=${BACKPROP_CHROMIUM:-/usr/bin/chromium}

apt_install() {  # Debian packages, as root or with sudo
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@"
}

if [ -x "$CHROMIUM" ]; then
    echo "chromium: $CHROMIUM is there"
else
    echo "chromium: installing Debian's chromium with apt-get"
    apt_install chromium fonts-liberation fonts-dejavu-core fonts-nanum
    [ -x "$CHROMIUM" ] || { echo "chromium: $CHROMIUM is still missing" >&2; exit 1; }
fi
"$CHROMIUM" --version 2>/dev/null || true

# The Korean notebook's text in Chromium: without a Hangul font it shows boxes.
if fc-list :lang=ko 2>/dev/null | grep -q .; then
    echo "hangul font: $(fc-list :lang=ko family | head -n 1)"
else
    echo "hangul font: installing Debian's fonts-nanum with apt-get"
    apt_install fonts-nanum fontconfig
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "playwright: no virtualenv at $VENV (run 'make setup' first)" >&2
    exit 1
fi
if "$VENV/bin/python" -c "import playwright.sync_api" 2>/dev/null; then
    echo "playwright: already in $VENV"
else
    echo "playwright: pip install into $VENV (never 'playwright install': no browser download)"
    "$VENV/bin/python" -m pip install --quiet "playwright>=1.45,<2"
fi
"$VENV/bin/python" -c "from importlib.metadata import version; print('playwright', version('playwright'))"
