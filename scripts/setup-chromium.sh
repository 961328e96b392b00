#!/usr/bin/env bash
# Makes Debian's headless browser available for the web page's end-to-end tests (engine-server,
# JUnit tag "browser"): /usr/bin/chromium and /usr/bin/chromedriver from the chromium and
# chromium-driver packages. Idempotent: does nothing when both are there. Loud on failure.
set -euo pipefail

fail() { echo "setup-chromium: ERROR: $*" >&2; exit 1; }

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi
[ "$(id -u)" = "0" ] || fail "chromium or chromedriver is missing and installing them needs root: apt-get install -y chromium chromium-driver"
echo "setup-chromium: installing chromium and chromium-driver (Debian packages)"
apt-get update -qq || fail "apt-get update failed"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver || fail "apt-get install chromium chromium-driver failed"
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || fail "the packages installed but /usr/bin/chromium or /usr/bin/chromedriver is missing"
echo "setup-chromium: $(/usr/bin/chromedriver --version | head -n 1)"
