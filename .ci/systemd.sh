#!/bin/sh
# Installs systemd-analyze (Debian's systemd package) when it is missing: the service tests run
# `systemd-analyze verify` on the units `openclaw gateway install` writes, and fail in CI without
# it. Nothing is started; a container has no systemd running, and the tests need none.
set -eu

if command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze present: $(systemd-analyze --version | head -n 1)"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi

$SUDO apt-get update -qq </dev/null
$SUDO apt-get install -y -qq --no-install-recommends systemd </dev/null

echo "systemd-analyze installed: $(systemd-analyze --version | head -n 1)"
