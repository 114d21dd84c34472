#!/bin/sh
# Installs libfaketime (Debian's `faketime`) when it is missing: CI runs the suite a second time
# with the clock moved two years ahead, so no test can depend on today's date.
set -eu

if command -v faketime >/dev/null 2>&1; then
  echo "faketime present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi

$SUDO apt-get update -qq </dev/null
$SUDO apt-get install -y -qq --no-install-recommends faketime </dev/null
echo "faketime installed"
