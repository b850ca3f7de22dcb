#!/usr/bin/env bash
# Publishes the tool for Windows x64 from Linux into the folder given: self-contained (no .NET needed on the target),
# trimmed, one cloud_integration_tool.exe. NativeAOT cannot cross-compile from Linux to Windows, so this is the JIT
# build (ReadyToRun needs the Windows crossgen, also not available here). Any warning fails the build, trimming
# analysis included: the same code must stay AOT-clean for the Linux NativeAOT build.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:?usage: scripts/publish-windows.sh OUTPUT_DIR}"
if ! log="$(dotnet publish "$here/src/CloudIntegration/CloudIntegration.csproj" -c Release -r win-x64 --self-contained true \
            -p:PublishTrimmed=true -p:PublishSingleFile=true -p:DebugType=none -warnaserror \
            -o "$out" --nologo -v q 2>&1)"; then
  printf '%s\n' "$log" >&2
  echo "error: the Windows build failed (see above)" >&2
  exit 1
fi
if grep -qi "warning" <<<"$log"; then
  printf '%s\n' "$log" >&2
  echo "error: the Windows build has warnings (see above)" >&2
  exit 1
fi
