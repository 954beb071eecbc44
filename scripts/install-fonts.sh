#!/bin/sh
# Install Debian's Noto CJK fonts, which the PDF reports and the PNG labels draw Chinese with.
# Idempotent: does nothing when they are there.
set -eu
if [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends fonts-noto-cjk
