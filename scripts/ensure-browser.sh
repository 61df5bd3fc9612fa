#!/usr/bin/env bash
# Installs what the end-to-end browser tests (tests/e2e) need from Debian's packages when missing:
# Chromium, and fonts with Vietnamese glyphs (DejaVu) plus an emoji font used by the lesson widgets.
# Called by `make test` (and so by .ci/run). Never fatal: if the install fails, the e2e tests fail
# with "Chromium not found at /usr/bin/chromium ..." (HOCVUSO_E2E_OPTOUT=1 is the only way to skip them).
set -u
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi dejavu && fc-list 2>/dev/null | grep -qi 'noto sans mono'; then
    exit 0
fi
echo "ensure-browser: installing chromium and fonts from Debian's packages for the e2e tests"
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
        echo "ensure-browser: WARNING: not root and no sudo; install chromium yourself (apt-get install chromium)" >&2
        exit 0
    fi
fi
if ! { $SUDO apt-get update -qq \
       && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            chromium fonts-dejavu-core fonts-noto-mono fonts-noto-color-emoji fontconfig; }; then
    echo "ensure-browser: WARNING: could not install chromium; the e2e tests will fail and say so" >&2
fi
exit 0
