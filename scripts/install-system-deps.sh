#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when missing. `npm test` runs this first (the
# root `pretest` script) and .ci/run runs it too, so `npm ci && npm test` works on a fresh machine:
#   chromium    - renders HTML reports in the report tests (playwright-core drives it)
#   nats-server - the activity target's JetStream queue tests
#   prometheus  - a real Prometheus server (and promtool) for the observe, output and rules tests
# Idempotent and silent when everything is present. Needs root or sudo (CI runs as root). When it
# cannot install, it says what to install; under CI that is a failure, elsewhere a warning (the
# tests that need the tool then say they were skipped and why).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || need+=(prometheus)
if [ "${#need[@]}" -eq 0 ]; then exit 0; fi

cannot() {
  echo "squall tests: cannot install ${need[*]} ($1)." >&2
  echo "  install them with: sudo apt-get install ${need[*]}   (Debian/Ubuntu)" >&2
  if [ -n "${CI:-}" ]; then
    echo "  CI is set: a missing test dependency fails the run." >&2
    exit 1
  fi
  echo "  the tests that need them will be skipped (and say so)." >&2
  exit 0
}

command -v apt-get >/dev/null 2>&1 || cannot "no apt-get on this machine"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else cannot "not root and no password-less sudo"; fi
fi
echo "installing system packages the tests need: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || cannot "apt-get update failed"
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || cannot "apt-get install failed"
