#!/bin/sh
# Install the Debian packages the ingestion tests and benchmarks run: the mosquitto broker binary (the
# kill -9 test starts a private broker with an unlimited queue) and mosquitto-clients (mosquitto_sub is
# the stream benchmark's baseline). Idempotent: installs only what is missing.
set -eu
missing=""
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing="$missing mosquitto"
command -v mosquitto_sub >/dev/null 2>&1 || missing="$missing mosquitto-clients"
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" != "0" ] && SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
