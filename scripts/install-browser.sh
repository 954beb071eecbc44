#!/bin/sh
# Install Debian's chromium for the Playwright browser tests (tests/browser).
# Idempotent: does nothing when /usr/bin/chromium is already there. Playwright never downloads a
# browser here; the tests launch /usr/bin/chromium through executable_path.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk
