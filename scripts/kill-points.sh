#!/usr/bin/env bash
# The deterministic complement of the kill test (tests/.../Durability/KillTests.cs, which kills at random moments):
# SIGKILL the tool just before each occurrence of each system call that changes a file (strace's syscall injection:
# the call is not made and the process dies), in three exports (a first export in a new world, a new key in an
# existing world, a re-export of an existing key). Between two such calls the files do not change, so this visits
# every state a kill can leave. After each kill: `keys list` works, the next export succeeds, `audit verify` passes,
# no temporary file is left, and a re-exported key is the same key (its Salesforce hash file is unchanged).
# Needs strace. Prints each failure and one summary line; exit status 1 when any kill point failed.
# Issue 9: this found that a first export killed between its audit lines and its head left a log without a head.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
command -v strace >/dev/null || { echo "kill-points: needs strace (apt-get install strace)" >&2; exit 2; }
# The executable itself, not the launcher script, so that only the tool's own calls are counted. TOOL= names another
# build (the test project's bin/.../cloud_integration_tool); by default the launcher builds .build/bin on first use.
if [ -z "${TOOL:-}" ]; then "$here/cloud_integration_tool" --version >/dev/null; fi
tool_bin="${TOOL:-$here/.build/bin/cloud_integration_tool}"
export CLOUD_INTEGRATION_PROGRAM=cloud_integration_tool
wrap="$here/examples/WrappingPublicKey.bin"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export CLOUD_INTEGRATION_WORLD="$scratch/world"
# openat is left out: killing before a file's creation is killing after the call before it, and after it is killing
# before its first write, which is in the list. Override SYSCALLS or SCENARIOS for a shorter run.
SYSCALLS="${SYSCALLS:-mkdir rename renameat2 link unlink ftruncate pwrite64 write fsync syncfs flock}"
SCENARIOS="${SCENARIOS:-fresh newkey rekey}"

tool() { (cd "$scratch/out" && "$tool_bin" "$@"); }
export_args() { echo "salesforce $1 $wrap RSAES_OAEP_SHA_1"; }
key_of() { if [ "$1" = newkey ]; then echo k2; else echo k1; fi; }
setup() {
  rm -rf "$scratch/world" "$scratch/out"; mkdir -p "$scratch/out"
  if [ "$1" != fresh ]; then tool $(export_args k1) >/dev/null 2>&1 || echo "kill-points: setup export failed" >&2; fi
}

points=0; failed=0
for scenario in $SCENARIOS; do
  key="$(key_of "$scenario")"
  for call in $SYSCALLS; do
    setup "$scenario"
    (cd "$scratch/out" && strace -f -qq -o "$scratch/count" -e trace="$call" "$tool_bin" $(export_args "$key") >/dev/null 2>&1)
    count="$(grep -cE "^[0-9]+ +$call\(" "$scratch/count")"
    for n in $(seq 1 "$count"); do
      setup "$scenario"
      hash="$(cat "$scratch/out/k1-hash" 2>/dev/null)"
      # Nested so that the shell's "Killed" report goes to /dev/null too.
      ( (cd "$scratch/out" && exec strace -f -qq -o /dev/null -e trace="$call" -e inject="$call:error=EIO:signal=SIGKILL:when=$n" \
        "$tool_bin" $(export_args "$key") >/dev/null 2>&1); true ) 2>/dev/null
      problems=""
      if [ -d "$scratch/world" ] && ! tool keys list >/dev/null 2>"$scratch/err"; then problems+=" keys list: $(cat "$scratch/err");"; fi
      tool $(export_args "$key") >/dev/null 2>"$scratch/err" || problems+=" next export: $(grep error: "$scratch/err");"
      tool audit verify >"$scratch/verify" 2>&1 || problems+=" $(cat "$scratch/verify");"
      left="$(find "$scratch/world" "$scratch/out" -name '*.tmp' 2>/dev/null)"
      [ -z "$left" ] || problems+=" left behind: $left;"
      if [ "$scenario" = rekey ] && [ "$(cat "$scratch/out/k1-hash")" != "$hash" ]; then problems+=" the key material changed;"; fi
      points=$((points + 1))
      if [ -n "$problems" ]; then failed=$((failed + 1)); echo "FAILED $scenario export, killed before $call #$n:$problems"; fi
    done
  done
done
echo "kill points: $points (before each file-changing system call of the exports: $SCENARIOS), $failed failed"
[ "$failed" -eq 0 ]
