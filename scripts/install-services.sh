#!/bin/sh
# Install the Debian packages the ingestion tests and benchmarks run: the mosquitto broker binary (the
# kill -9 test starts a private broker with an unlimited queue) and mosquitto-clients (mosquitto_sub is
# the stream benchmark's baseline; gcc and libmosquitto-dev build its publisher). Idempotent: installs only what is missing.
set -eu
missing=""
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing="$missing mosquitto"
command -v mosquitto_sub >/dev/null 2>&1 || missing="$missing mosquitto-clients"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc"                        # the stream bench's C publisher
[ -f /usr/include/mosquitto.h ] || missing="$missing libmosquitto-dev"
[ -x /usr/bin/time ] || missing="$missing time"                                  # peak memory in bench_imports
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" != "0" ] && SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
