#!/usr/bin/env bash
# The Windows build under Wine, next to the Linux build: publishes for win-x64 (scripts/publish-windows.sh, warnings
# fail it), then runs --version, -h, info, keys list, softcard new/list/passphrase, a world created under Wine opened
# by the Linux build and the reverse, the error for a missing PKCS#11 DLL, and an export, which must fail with the
# platform's RSA error: Wine 8's bcrypt has no RSA (nor ECDSA), so exports cannot work there.
# Needs: apt-get install -y wine wine64. The prefix is Windows 7 (winecfg /v win7): Wine's Windows 10 mode fails
# PBKDF2. What this does not prove (CNG's RSA and EC, NTFS ACLs, a vendor PKCS#11 DLL): docs/windows.md.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
command -v wine >/dev/null && [ -x /usr/lib/wine/wine64 ] || { echo "error: wine and wine64 are needed (apt-get install -y wine wine64)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
start=$SECONDS
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
unset DISPLAY

"$here/scripts/publish-windows.sh" "$work/win"
dotnet publish "$here/src/CloudIntegration/CloudIntegration.csproj" -c Release -o "$work/linux" --nologo -v q >/dev/null
echo "built for win-x64 and linux in $((SECONDS - start)) s"

wineboot -i >/dev/null 2>&1
winecfg /v win7 >/dev/null 2>&1
wineserver -w
product="$(wine reg query 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v ProductName 2>/dev/null | tr -d '\r' | grep -o 'Windows 7' || true)"
[ "$product" = "Windows 7" ] || { echo "error: the Wine prefix is not Windows 7" >&2; exit 1; }

fails=0
win() { wine "$work/win/cloud_integration_tool.exe" "$@"; }
lin() { "$work/linux/cloud_integration_tool" "$@"; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
# check NAME EXPECTED_STATUS EXPECTED_TEXT COMMAND...: runs it, output and errors together, and compares.
check() {
  local name="$1" status="$2" text="$3"; shift 3
  local out rc=0
  out="$("$@" 2>&1 < "${STDIN:-/dev/null}")" || rc=$?
  out="${out//$'\r'/}"
  if [ "$rc" = "$status" ] && grep -qF -- "$text" <<<"$out"; then
    echo "ok   $name"
  else
    echo "FAIL $name: exit $rc (expected $status), expected output containing: $text"; printf '%s\n' "$out" | sed 's/^/     | /'
    fails=$((fails + 1))
  fi
}

mkdir -p "$work/out"
cd "$work/out"
printf 'correct horse battery\n' > "$work/pass"
printf 'correct horse battery\nstaple of the ceremony\n' > "$work/pass-change"
openssl genrsa -out "$work/wrap.pem" 2048 2>/dev/null
openssl rsa -in "$work/wrap.pem" -pubout -outform DER -out "$work/wrap.der" 2>/dev/null

check "--version" 0 "cloud_integration_tool 1.0.0" win --version
check "cssadmin by its program name" 0 "cssadmin 1.0.0" env CLOUD_INTEGRATION_PROGRAM=cssadmin wine "$work/win/cloud_integration_tool.exe" --version
check "-h names the Windows default world" 0 '%LOCALAPPDATA%\cloud_integration_tool\world' win -h
check "info before any world" 0 "module 1: embedded Security World, not created yet" win info
check "keys list in the default world under %LOCALAPPDATA%" 0 "no keys in the embedded Security World" win keys list
check "info with a missing PKCS#11 DLL by name" 1 "error: PKCS#11 library cknfast.dll does not exist (not found next to the tool, in the Windows system directories or on PATH)" \
      win info --pkcs11-library cknfast.dll
check "info with a missing PKCS#11 DLL by path" 1 'error: PKCS#11 library C:\HSM\cryptoki.dll does not exist (no such file)' \
      win info --pkcs11-library 'C:\HSM\cryptoki.dll'

# A world made under Wine, opened by the Linux build.
export CLOUD_INTEGRATION_WORLD
CLOUD_INTEGRATION_WORLD="$(winpath "$work/world-win")"
check "softcard new under Wine" 0 "created softcard 'sc-win'" win softcard new sc-win --passphrase-file "$(winpath "$work/pass")"
check "softcard list under Wine" 0 "softcard 'sc-win'" win softcard list
CLOUD_INTEGRATION_WORLD="$work/world-win"
check "the Linux build lists the Wine world's softcard" 0 "softcard 'sc-win'" lin softcard list
STDIN="$work/pass" check "the Linux build exports with the Wine world's softcard" 0 "" lin -S sc-win aws k-linux "$work/wrap.der" RSAES_OAEP_SHA_256
CLOUD_INTEGRATION_WORLD="$(winpath "$work/world-win")"
check "Wine lists the key the Linux build made in its world" 0 "k-linux" win keys list

# A world made by the Linux build, opened under Wine.
CLOUD_INTEGRATION_WORLD="$work/world-linux"
check "the Linux build makes a world with a key" 0 "" lin aws k1 "$work/wrap.der" RSAES_OAEP_SHA_256
check "the Linux build makes a softcard" 0 "created softcard 'sc-linux'" lin softcard new sc-linux --passphrase-file "$work/pass"
CLOUD_INTEGRATION_WORLD="$(winpath "$work/world-linux")"
check "Wine lists the Linux world's keys" 0 "k1" win keys list
check "Wine changes the Linux softcard's passphrase (unseals it)" 0 "sc-linux" \
      win softcard passphrase sc-linux --passphrase-file "$(winpath "$work/pass-change")"
CLOUD_INTEGRATION_WORLD="$work/world-linux"
printf 'staple of the ceremony\n' > "$work/pass-new"
STDIN="$work/pass-new" check "the Linux build exports with the passphrase set under Wine" 0 "" lin -S sc-linux aws k2 "$work/wrap.der" RSAES_OAEP_SHA_256

# Exports under Wine: its RSA is not implemented, and the tool must say so rather than blame the file.
CLOUD_INTEGRATION_WORLD="$(winpath "$work/world-win")"
rm -rf "$work/out"/*
check "an export under Wine names the platform's RSA failure" 1 "error: this platform's RSA does not work" \
      win aws k-wine "$(winpath "$work/wrap.der")" RSAES_OAEP_SHA_256
if [ -n "$(ls -A "$work/out")" ]; then echo "FAIL the failed export left files: $(ls -A "$work/out")"; fails=$((fails + 1)); fi

echo "wine smoke test: $fails failure(s), $((SECONDS - start)) s in all"
[ "$fails" = 0 ]
