#!/usr/bin/env bash
# The reliability harness at full size (issue 9): the fuzz test over every parser of user and stored files, the tamper
# test over every stored file, the kill test and the concurrency test. The suite runs the same tests at CI size; this
# script sets the sizes (override any of them in the environment) and prints one line per test with its counts, then
# the test run's verdict. Exit status: that of the test run.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
export CLOUD_INTEGRATION_FUZZ_INPUTS="${CLOUD_INTEGRATION_FUZZ_INPUTS:-10000}"
export CLOUD_INTEGRATION_KILL_RUNS="${CLOUD_INTEGRATION_KILL_RUNS:-200}"
export CLOUD_INTEGRATION_CONCURRENCY_ROUNDS="${CLOUD_INTEGRATION_CONCURRENCY_ROUNDS:-20}"
export CLOUD_INTEGRATION_SHARED_TOKEN_ROUNDS="${CLOUD_INTEGRATION_SHARED_TOKEN_ROUNDS:-20}"   # the several-hosts PKCS#11 race (issue 10)
cd "$here"
echo "reliability: $CLOUD_INTEGRATION_FUZZ_INPUTS fuzz inputs, $CLOUD_INTEGRATION_KILL_RUNS kills, 16 x $CLOUD_INTEGRATION_CONCURRENCY_ROUNDS concurrency rounds, 16 x $CLOUD_INTEGRATION_SHARED_TOKEN_ROUNDS shared-token rounds"
dotnet build tests/CloudIntegration.Tests -v q --nologo >/dev/null
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
start=$SECONDS
dotnet test tests/CloudIntegration.Tests --no-build --nologo --logger "console;verbosity=detailed" \
  --filter "FullyQualifiedName~.Reliability.|FullyQualifiedName~.Durability.KillTests|FullyQualifiedName~.Durability.ConcurrencyTests|FullyQualifiedName~Pkcs11SharedTokenTests" \
  >"$log" 2>&1 || status=$?
# The tests write their counts through the test output: one line each.
grep -E '^[[:space:]]*(fuzz|tamper|kill test|concurrency test):' "$log" | sed -E 's/^[[:space:]]+//' || true
grep -E "^(Test Run|Total tests|[[:space:]]+(Passed|Failed):)" "$log" | sed -E "s/^[[:space:]]+//" | paste -sd" " - || true
echo "reliability: $((SECONDS - start)) s"
if [ "$status" -ne 0 ]; then
  grep -E '^[[:space:]]*(Failed [A-Za-z]|Error Message)' -A16 "$log" | head -120 >&2
fi
exit "$status"
