#!/usr/bin/env bash
# Measures one export of a NEW AES-256 key for aws as a cold process (a fresh world each run, so each run also
# creates the world and its key), and AWS's documented openssl pipeline for the same job, with hyperfine.
#   scripts/benchmark.sh [RUNS]      (default 30)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
runs="${1:-30}"
command -v hyperfine >/dev/null || { echo "error: hyperfine is needed (apt-get install -y hyperfine)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$here/cloud_integration_tool" --version >/dev/null          # build once, outside the measurement
app="$here/.build/bin/cloud_integration_tool"
wrap="$here/examples/WrappingPublicKey.bin"
cd "$work"
export CLOUD_INTEGRATION_WORLD="$work/world"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/result.json" \
  --prepare "rm -rf $work/world" \
  -n "cloud_integration_tool aws (new AES-256 key, cold process)" \
  "$app aws bench-key $wrap RSAES_OAEP_SHA_256" \
  -n "openssl rand + openssl pkeyutl (AWS's documented pipeline)" \
  "sh -c 'openssl rand -out key.bin 32 && openssl pkeyutl -encrypt -pubin -keyform DER -inkey $wrap -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 -in key.bin -out wrapped.bin'"
python3 - "$work/result.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]}: median {r["median"]*1000:.1f} ms (mean {r["mean"]*1000:.1f} ms, min {r["min"]*1000:.1f} ms, max {r["max"]*1000:.1f} ms)')
PY
