#!/usr/bin/env bash
# Install what tests/test_jupyterhub.py (and README's "A class on JupyterHub") needs besides
# the browser: JupyterHub in the venv (the range of pyproject.toml's `hub` extra),
# configurable-http-proxy from npm, and Debian's python3 with venv (the users' venvs are
# made from it: a Python in /root cannot be run by other users). Idempotent: does nothing
# when all are there. Run it as root (apt-get, npm -g).
# Usage: scripts/install_hub.sh [VENV]   (default: .venv beside this script)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${1:-.venv}
BASE_PYTHON=${BACKPROP_HUB_PYTHON:-/usr/bin/python3}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_install() {
    echo "apt-get install $*"
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@"
}

if [ -x "$BASE_PYTHON" ] && "$BASE_PYTHON" -c "import ensurepip, venv" 2>/dev/null; then
    echo "users' python: $BASE_PYTHON ($("$BASE_PYTHON" --version)) with venv"
else
    apt_install python3 python3-venv
fi

if command -v configurable-http-proxy >/dev/null; then
    echo "configurable-http-proxy: $(command -v configurable-http-proxy) is there"
else
    command -v npm >/dev/null || apt_install nodejs npm
    echo "configurable-http-proxy: npm install -g"
    $SUDO npm install -g --no-fund --no-audit --loglevel=error 'configurable-http-proxy@^5'
fi
configurable-http-proxy --version

if [ ! -x "$VENV/bin/python" ]; then
    echo "jupyterhub: no virtualenv at $VENV (run 'make setup' first)" >&2
    exit 1
fi
SPEC=$("$VENV/bin/python" -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['hub'])")
if "$VENV/bin/python" -c "import jupyterhub" 2>/dev/null; then
    echo "jupyterhub: already in $VENV"
else
    echo "jupyterhub: pip install '$SPEC' into $VENV"
    "$VENV/bin/python" -m pip install --quiet "$SPEC"
fi
"$VENV/bin/python" -m jupyterhub --version
