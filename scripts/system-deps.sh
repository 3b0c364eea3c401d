#!/bin/sh
# Debian packages the tests need: Chromium for the browser tests, a Java runtime for the W3C
# validator. Installed with apt-get when missing (as root); nothing is downloaded at test time.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: please install:$missing (apt-get install$missing)" >&2
  exit 1
fi
echo "system-deps: installing$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
