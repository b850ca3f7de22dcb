#!/usr/bin/env bash
# The ceremony benchmark of issue 12: 'ceremony run' of COUNT (default 1,000) AES-256 exports for aws (distinct new
# keys, one RSA-4096 wrapping key, module protection) by the INSTALLED command, on the repository's disk (not TMPDIR,
# which may be a tmpfs where a flush costs nothing). Every key, output file and audit entry is durable before the run
# reports success (target: <= 1 s for 1,000). Each run starts from a fresh world (created by one export first, not
# timed); prints each run's wall time, the median, the load average before and after, and 'audit verify'.
#   scripts/benchmark-ceremony.sh [RUNS] [COUNT]          (defaults 5 and 1000)
#   CLOUD_INTEGRATION_BENCH_TOOL=/path/to/cloud_integration_tool ...   (use that build instead of installing one)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-5}"
count="${2:-1000}"
. "$here/scripts/bench-setup.sh"
bench_setup benchmark-ceremony
wrap="$here/examples/WrappingPublicKey.bin"
pin="$(openssl pkey -pubin -inform DER -in "$wrap" -outform DER | sha256sum | cut -d' ' -f1)"

echo "ceremony of $count AES-256 aws exports (new keys, RSA-$(openssl pkey -pubin -inform DER -in "$wrap" -text -noout | sed -n 's/.*(\([0-9]*\) bit).*/\1/p') wrapping key, module protection), $runs runs"
echo "  load before: $(uptime | sed 's/.*load average/load average/')"
times=()
for ((run = 1; run <= runs; run++)); do
  dir="$work/run$run"; mkdir -p "$dir/out"
  export CLOUD_INTEGRATION_WORLD="$dir/world"
  python3 "$here/scripts/make-ceremony.py" "$dir/ceremony.json" "c$run" "$count" "$wrap" "$pin"
  "$tool" aws warm-up "$wrap" RSAES_OAEP_SHA_256 --output-dir "$dir/out" >/dev/null 2>&1   # the world exists before
  # Wall time, and the CPU time the run used (user + system): on a shared machine the wall time is mostly waiting.
  read -r t cpu < <(python3 - "$tool" "$dir" <<'PY'
import resource, subprocess, sys, time
tool, d = sys.argv[1], sys.argv[2]
start = time.perf_counter()
with open(f"{d}/stderr", "w") as err:
    subprocess.run([tool, "ceremony", "run", f"{d}/ceremony.json", "--report", f"{d}/minutes.md"], check=True, stdout=subprocess.DEVNULL, stderr=err)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {usage.ru_utime + usage.ru_stime:.3f}")
PY
  ) || { cat "$dir/stderr" >&2; exit 1; }
  times+=("$t")
  echo "  run $run: $t s wall, $cpu s CPU; $("$tool" audit verify)"
  # Each run's files stay until the script ends: on ext4 without a journal, creating files just after thousands were
  # deleted is slow (the kernel skips inodes freed in the last minutes, reading each one's table block), and deleting
  # a run here made each next run up to three times slower than the one before.
done
echo "  median: $(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}') s (target <= 1 s for 1,000)"
echo "  load after: $(uptime | sed 's/.*load average/load average/')"
