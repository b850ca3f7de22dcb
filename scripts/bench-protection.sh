#!/usr/bin/env bash
# Times one export of an existing key under each protection, with hyperfine:
#   module        no passphrase
#   softcard      one PBKDF2-HMAC-SHA256 (600,000 iterations) for the passphrase
#   card set 2/3  two PBKDF2, one per card presented
#   wrong passphrase on the softcard: must cost about the same as the right one (the KDF runs either way)
# Usage: scripts/bench-protection.sh [RUNS]   (default 10). Everything happens in a temporary directory.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
tool="$here/cloud_integration_tool"
runs="${1:-10}"
command -v hyperfine >/dev/null || { echo "error: hyperfine is not installed" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CLOUD_INTEGRATION_WORLD="$work/world"
cd "$work"

"$tool" --version >/dev/null          # builds the tool first if the sources changed
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out provider.pem 2>/dev/null
openssl pkey -in provider.pem -pubout -outform DER -out wrap.der

printf 'benchmark softcard passphrase\n' > softcard.pass
printf 'not the softcard passphrase\n' > wrong.pass
printf 'card one passphrase\ncard two passphrase\ncard three passphrase\n' > cards.pass
printf 'card one passphrase\ncard three passphrase\n' > quorum.pass
"$tool" softcard new bench-sc --passphrase-file softcard.pass >/dev/null
"$tool" cardset new bench-ocs --quorum 2 --cards 3 --card-dir cards --passphrase-file cards.pass >/dev/null

module=(aws key-module wrap.der RSAES_OAEP_SHA_256)
softcard=(-S bench-sc --passphrase-file softcard.pass aws key-softcard wrap.der RSAES_OAEP_SHA_256)
cardset=(-O bench-ocs --card cards/bench-ocs-card-1-of-3.card --card cards/bench-ocs-card-3-of-3.card
         --passphrase-file quorum.pass aws key-cardset wrap.der RSAES_OAEP_SHA_256)
wrong=(-S bench-sc --passphrase-file wrong.pass aws key-softcard wrap.der RSAES_OAEP_SHA_256)
# Generate the three keys once, so that every timed run is a re-export of an existing key.
for args in module softcard cardset; do
  declare -n a="$args"
  "$tool" "${a[@]}" >/dev/null 2>&1
done

q() { printf '%q ' "$@"; }
hyperfine --warmup 1 --runs "$runs" \
  --command-name "module"                "$(q "$tool" "${module[@]}")" \
  --command-name "softcard (1 KDF)"      "$(q "$tool" "${softcard[@]}")" \
  --command-name "card set 2 of 3 (2 KDF)" "$(q "$tool" "${cardset[@]}")" \
  --command-name "softcard, wrong passphrase" -i "$(q "$tool" "${wrong[@]}")"
