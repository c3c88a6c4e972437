#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when missing (CI runs this from .ci/run):
#   chromium    - renders HTML reports in the report tests (playwright-core drives it)
#   nats-server - the activity target's JetStream queue tests
#   prometheus  - a real Prometheus server for the observe query and remote-write tests
# Idempotent and quiet when everything is present. Needs root (CI runs as root) or sudo.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nats-server >/dev/null 2>&1 || need+=(nats-server)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
if [ "${#need[@]}" -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
