#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# deps.sh: install the Debian packages the build, the tests, `make run` and
# `make deb` (dpkg-dev, debhelper, and lintian for its test) need, when any
# is missing. Quick when all are there.
set -e
PKGS="apache2 apache2-utils apache2-dev libapr1-dev libaprutil1-dev libaprutil1-dbd-sqlite3
      libaprutil1-dbd-pgsql postgresql
      libjansson-dev libxml2-dev libxml2-utils libcmocka-dev pkg-config gcc make
      sqlite3 libsqlite3-dev curl python3 python3-pytest python3-feedparser python3-jsonschema
      clang libclang-rt-14-dev
      python3-lxml tidy man-db chromium default-jre-headless
      dpkg-dev debhelper lintian"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' \
        || missing="$missing $p"
done
# npm fetches the Nu Html Checker (vnu-jar) the HTTP tests run on every page;
# a Node.js from elsewhere (NodeSource) brings its own npm.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "deps.sh: installing:$missing"
if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: run as root (or install these packages with sudo apt-get install)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt-get (a second checkout's make) may hold the lock: wait for it.
apt-get -o DPkg::Lock::Timeout=300 update -qq
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing >/dev/null
