#!/usr/bin/env bash
# Publishes the tool, ReadyToRun-compiled (start-up is part of a command-line tool's speed), into the folder given.
# Used by the launcher scripts at the repository root and by install.sh.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:?usage: scripts/build.sh OUTPUT_DIR}"
case "$(uname -m)" in
  x86_64|amd64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) rid="" ;;
esac
args=(publish "$here/src/CloudIntegration/CloudIntegration.csproj" -c Release -o "$out" --nologo -v q)
if [ -n "$rid" ]; then
  args+=(-r "$rid" --self-contained false -p:PublishReadyToRun=true)
fi
if ! log="$(dotnet "${args[@]}" 2>&1)"; then
  printf '%s\n' "$log" >&2
  echo "error: the build failed (see above)" >&2
  exit 1
fi
