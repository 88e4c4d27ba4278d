#!/usr/bin/env bash
# Run before `npm test`: the scale-out tests start throwaway redis-server processes. When
# redis-server is missing, install Debian's package if this user may (root with apt-get), so that
# `npm ci && npm test` works on a fresh machine; otherwise say how and fail.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "redis-server is missing: installing Debian's redis-server package for the tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "The tests need redis-server on the PATH: install it (Debian/Ubuntu: sudo apt-get install redis-server)" >&2
exit 1
