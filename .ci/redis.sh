#!/bin/sh
# Installs redis-server from the Debian packages when it is missing. The session tests start their
# own throwaway servers on random loopback ports; this script starts nothing.
set -eu

if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server present: $(redis-server --version)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi

$SUDO apt-get update -qq </dev/null
$SUDO apt-get install -y -qq --no-install-recommends redis-server </dev/null

# The package may start a system service; the tests do not use it, and it is left as installed.
echo "redis-server installed: $(redis-server --version)"
