#!/usr/bin/env bash
# Scale benchmarks of the installed (native) command, on the repository's disk (not TMPDIR, which may be a tmpfs):
#   1. a ceremony of 1,000 AES-256 exports for aws (distinct keys, one RSA-4096 wrapping key, module protection),
#      every key, output file and audit entry durable before 'ceremony run' reports success (target: <= 1 s);
#   2. a world grown to KEYS keys (default 100,000) by ceremonies, then: one export there against one in a world of
#      10 keys, alternating, PAIRS pairs (target: ratio <= 1.2); 'keys list' (<= 2 s); 'audit verify' (<= 5 s).
#   scripts/benchmark-scale.sh [KEYS] [PAIRS]          (defaults 100000 and 15)
#   CLOUD_INTEGRATION_BENCH_TOOL=/path/to/cloud_integration_tool ...   (use that build instead of installing one)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
keys="${1:-100000}"
pairs="${2:-15}"
. "$here/scripts/bench-setup.sh"
bench_setup benchmark-scale
wrap="$here/examples/WrappingPublicKey.bin"
pin="$(openssl pkey -pubin -inform DER -in "$wrap" -outform DER | sha256sum | cut -d' ' -f1)"

# A ceremony file of COUNT aws exports named PREFIX-NNNNNN, written next to DIR/out.
ceremony() {  # DIR PREFIX COUNT
  mkdir -p "$1/out"
  python3 "$here/scripts/make-ceremony.py" "$1/ceremony.json" "$2" "$3" "$wrap" "$pin"
}

echo "== 1. a ceremony of 1,000 AES-256 aws exports (module protection, RSA-4096 wrapping key)"
CLOUD_INTEGRATION_BENCH_TOOL="$tool" "$here/scripts/benchmark-ceremony.sh" 3 1000

echo "== 2. a world of $keys keys against one of 10"
export CLOUD_INTEGRATION_WORLD="$work/small/world"
ceremony "$work/small" small 10
"$tool" ceremony run "$work/small/ceremony.json" --report "$work/small/minutes.md" >/dev/null 2>&1
export CLOUD_INTEGRATION_WORLD="$work/big/world"
echo "  load before: $(uptime | sed 's/.*load average/load average/')"
start=$(date +%s)
for ((made = 0; made < keys; made += 10000)); do
  n=$(( keys - made < 10000 ? keys - made : 10000 ))
  rm -rf "$work/big/out"; ceremony "$work/big" "big$made" "$n"
  "$tool" ceremony run "$work/big/ceremony.json" --report "$work/big/minutes.md" >/dev/null 2>&1
done
echo "  (built in $(( $(date +%s) - start )) s: $(ls "$work/big/world/keys" | wc -l) key files, $(wc -l < "$work/big/world/audit.log") audit entries)"

python3 - "$tool" "$wrap" "$work" "$pairs" <<'PY'
import os, statistics, subprocess, sys, time
tool, wrap, work, pairs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def timed(world, argv, cwd):
    env = dict(os.environ, CLOUD_INTEGRATION_WORLD=world)
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
small, big = f"{work}/small/world", f"{work}/big/world"
os.makedirs(f"{work}/x", exist_ok=True)
a, b = [], []
for i in range(pairs):
    export = [tool, "aws", f"probe-{i}", wrap, "RSAES_OAEP_SHA_256"]
    if i % 2 == 0:
        a.append(timed(small, export, f"{work}/x")); b.append(timed(big, export, f"{work}/x"))
    else:
        b.append(timed(big, export, f"{work}/x")); a.append(timed(small, export, f"{work}/x"))
ms = lambda xs: f"median {statistics.median(xs)*1000:.1f} ms"
print(f"  export of a new key, world of 10 keys:   {ms(a)}")
print(f"  export of a new key, big world:           {ms(b)}")
print(f"  ratio big/small: median {statistics.median([y / x for x, y in zip(a, b)]):.2f} (target <= 1.2)")
lists = [timed(big, [tool, "keys", "list"], work) for _ in range(3)]
print(f"  keys list (big world): median {statistics.median(lists):.2f} s (target <= 2 s)")
verifies = [timed(big, [tool, "audit", "verify"], work) for _ in range(3)]
print(f"  audit verify (big world): median {statistics.median(verifies):.2f} s (target <= 5 s)")
PY
echo "  load after: $(uptime | sed 's/.*load average/load average/')"
