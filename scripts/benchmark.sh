#!/usr/bin/env bash
# One cold export of a NEW AES-256 key for aws by the INSTALLED command (a new process, a new key, its audit record,
# every file fsynced) against AWS's documented openssl pipeline doing the same job (`openssl rand` for the key,
# `openssl pkeyutl` for the RSA-OAEP-SHA-256 wrap), measured side by side in one run: the two alternate, pair by
# pair, so both see the same machine load. Prints each median and the median of the per-pair ratios tool/openssl.
#   scripts/benchmark.sh [PAIRS]          (default 31; at least 15)
#   CLOUD_INTEGRATION_BENCH_TOOL=/path/to/cloud_integration_tool ...   (use that build instead of installing one)
# The work directory is on the repository's disk (not TMPDIR, which may be a tmpfs where fsync costs nothing).
# Also times --version and -h (hyperfine) when hyperfine is installed.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
pairs="${1:-31}"
[ "$pairs" -ge 15 ] || { echo "error: at least 15 pairs (got $pairs)" >&2; exit 2; }
. "$here/scripts/bench-setup.sh"
bench_setup benchmark
echo "load before: $(uptime | sed 's/.*load average/load average/')"
wrap="$here/examples/WrappingPublicKey.bin"
export CLOUD_INTEGRATION_WORLD="$work/world"
mkdir -p "$work/out" && cd "$work/out"
"$tool" aws warm-up "$wrap" RSAES_OAEP_SHA_256 >/dev/null 2>&1   # creates the world; not measured

python3 - "$tool" "$wrap" "$pairs" <<'PY'
import os, statistics, subprocess, sys, time
tool, wrap, pairs = sys.argv[1], sys.argv[2], int(sys.argv[3])
openssl = ["sh", "-c",
           "openssl rand -out key.bin 32 && openssl pkeyutl -encrypt -pubin -keyform DER -inkey \"$0\" "
           "-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 "
           "-in key.bin -out wrapped.bin", wrap]
def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start
ours, theirs = [], []
for i in range(pairs):
    # Alternate which goes first, so neither always runs right after the other's page-cache traffic.
    first_ours = i % 2 == 0
    if first_ours: ours.append(timed([tool, "aws", f"bench-{i}", wrap, "RSAES_OAEP_SHA_256"]))
    theirs.append(timed(openssl))
    if not first_ours: ours.append(timed([tool, "aws", f"bench-{i}", wrap, "RSAES_OAEP_SHA_256"]))
ratios = [a / b for a, b in zip(ours, theirs)]
ms = lambda xs: f"median {statistics.median(xs)*1000:.1f} ms (min {min(xs)*1000:.1f}, max {max(xs)*1000:.1f})"
print(f"{pairs} pairs, alternating, one cold process each, new AES-256 key for aws, RSA-4096 wrapping key")
print(f"  cloud_integration_tool (installed): {ms(ours)}")
print(f"  openssl rand + openssl pkeyutl:     {ms(theirs)}")
print(f"  ratio tool/openssl: median {statistics.median(ratios):.2f} (per pair; target <= 1.0)")
PY

if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 5 --runs 50 "$tool --version" "$tool -h" 2>/dev/null | grep -E 'Benchmark|Time'
fi
echo "load after: $(uptime | sed 's/.*load average/load average/')"
