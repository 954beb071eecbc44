#!/bin/sh
# Install Debian's OpenJDK for Apache Spark (the Spark back-end of the lake scans runs its tests in local mode;
# Spark 4 needs Java 17 or newer). Idempotent: does nothing when a Java 17+ runtime is on the PATH.
set -eu
if command -v java >/dev/null 2>&1; then
    major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)
    [ "${major:-0}" -ge 17 ] && exit 0
fi
SUDO=""
[ "$(id -u)" != "0" ] && SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends openjdk-17-jre-headless
