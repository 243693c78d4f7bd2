#!/usr/bin/env bash
# Install what the tests need, then run them: `bash tests/run.sh [pytest options]`.
# Python packages come from requirements-dev.txt. From Debian's packages, when missing: Chromium for
# the real-browser tests (Playwright drives /usr/bin/chromium and never downloads a browser), and
# Java and npm for the site audit (Nu HTML checker, link, feed and sitemap checks).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# pytest exits 5 when it collects no test: with `set -e` that fails the run, as it should.
exec python3 -m pytest "$@"
