#!/usr/bin/env bash
# The grader's sandbox: bubblewrap (Debian/Ubuntu package `bubblewrap`). Without it the
# grader still runs student code in a separate, resource-limited process (as an unprivileged
# user when it runs as root), and says so; the hostile-submission tests require it.
set -euo pipefail
if command -v bwrap >/dev/null; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
    echo "installed bubblewrap $(bwrap --version)"
else
    echo "bubblewrap is not installed and cannot be installed here (needs root and apt-get):" \
         "the grader will use a weaker sandbox; install the 'bubblewrap' package" >&2
fi
