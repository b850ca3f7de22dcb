#!/usr/bin/env bash
# The test command: installs what the tests drive (openssl, SoftHSM2, OpenSC, NSS) when missing, then runs the whole suite.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
command -v certutil >/dev/null || need+=(libnss3-tools)
[ -n "$(find /usr/lib /usr/lib64 -name libsoftokn3.so 2>/dev/null | head -1)" ] || need+=(libnss3)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]}..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "error: the tests need ${need[*]}; install them (e.g. sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
fi
cd "$here"
dotnet test tests/CloudIntegration.Tests --nologo "$@"
