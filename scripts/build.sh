#!/usr/bin/env bash
# Publishes the tool into the folder given, as a native executable (NativeAOT: no JIT, starts in a few milliseconds)
# when the native toolchain is there, otherwise ReadyToRun-compiled on the shared .NET runtime (and says so).
# Used by the launcher scripts at the repository root and by install.sh.
#   scripts/build.sh OUTPUT_DIR
#   CLOUD_INTEGRATION_BUILD=readytorun scripts/build.sh OUTPUT_DIR     (skip the native build)
# NativeAOT needs clang and zlib's headers; as root with apt-get they are installed when missing (as scripts/test.sh
# does for SoftHSM). Trimming and AOT warnings fail the build (TreatWarningsAsErrors), so a native build that
# succeeds has none.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
out="${1:?usage: scripts/build.sh OUTPUT_DIR}"
case "$(uname -m)" in
  x86_64|amd64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) rid="" ;;
esac

# Prints why a native build is not possible here (nothing when it is), installing the toolchain first if we may.
native_blocker() {
  [ "${CLOUD_INTEGRATION_BUILD:-native}" = readytorun ] && { echo "CLOUD_INTEGRATION_BUILD=readytorun"; return; }
  [ -n "$rid" ] || { echo "no NativeAOT target for $(uname -m)"; return; }
  local need=()
  command -v clang >/dev/null || need+=(clang)
  [ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
  [ ${#need[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "note: installing ${need[*]} for the native build..." >&2
    if apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null 2>&1; then
      return
    fi
  fi
  echo "${need[*]} missing (apt-get install -y ${need[*]})"
}

project="$here/src/CloudIntegration/CloudIntegration.csproj"
# Two builds at once (the launcher and install.sh, or two tests) share obj/: the native link of one would race the other.
mkdir -p "$here/.build" && exec 8>"$here/.build/.publish.lock" && flock 8
blocker="$(native_blocker)"
if [ -z "$blocker" ]; then
  args=(publish "$project" -c Release -r "$rid" -o "$out" --nologo -v q -p:PublishAot=true)
else
  echo "note: building the ReadyToRun version instead of the native one ($blocker); it starts about 10 times slower" >&2
  args=(publish "$project" -c Release -o "$out" --nologo -v q)
  [ -n "$rid" ] && args+=(-r "$rid" --self-contained false -p:PublishReadyToRun=true)
fi
if ! log="$(dotnet "${args[@]}" 2>&1)"; then
  printf '%s\n' "$log" >&2
  echo "error: the build failed (see above)" >&2
  exit 1
fi
# Debug symbols stay in obj/; the installed folder holds only what runs.
rm -f "$out"/*.dbg "$out"/*.pdb
