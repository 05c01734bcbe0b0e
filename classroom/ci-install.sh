#!/usr/bin/env bash
# What the class hub's end-to-end test and load benchmark need on a fresh Debian machine,
# beyond `make setup` (which installs jupyterhub and its authenticator from requirements.txt).
# Run as root, from anywhere; .ci/run calls it before the tests. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null || apt-get update -qq
# chromium: two students and the teacher sign in with it.
# passwd: useradd, userdel, groupadd and usermod, which the hub and the test use for the accounts.
# python3: the system Python (3.11 on Debian 12), which the students' servers run when the
#   project's venv sits where other accounts cannot reach (a Python under /root); same minor version.
# nodejs, npm: configurable-http-proxy, the hub's proxy, from the npm registry.
apt-get install -y -qq chromium passwd python3 >/dev/null
# Node.js may come from elsewhere than Debian (then Debian's npm conflicts with it): only when missing.
command -v npm >/dev/null || apt-get install -y -qq nodejs npm >/dev/null
# configurable-http-proxy and the slide assets, pinned in package.json and package-lock.json.
npm ci --no-audit --no-fund --ignore-scripts >/dev/null
test -x node_modules/.bin/configurable-http-proxy
