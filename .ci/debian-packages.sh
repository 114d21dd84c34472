#!/bin/sh
# Installs, in one apt run, the Debian packages the tests use and this machine lacks:
# - redis-server: the Redis store's tests start their own servers on random loopback ports;
# - faketime (libfaketime): CI runs the suite a second time with the clock two years ahead;
# - systemd (systemd-analyze): the service tests verify the units `gateway install` writes;
# - chromium: the control page's tests drive it through playwright-core (browsers cannot be
#   downloaded at install time here).
# Nothing is started; the tests start what they need.
set -eu

missing=""
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v faketime >/dev/null 2>&1 || missing="$missing faketime"
command -v systemd-analyze >/dev/null 2>&1 || missing="$missing systemd"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"

if [ -z "$missing" ]; then
  echo "Debian packages for the tests: all present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo -n"
fi

echo "Installing Debian packages for the tests:$missing"
$SUDO apt-get update -qq </dev/null
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -qq --no-install-recommends $missing </dev/null
