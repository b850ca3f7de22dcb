# Sourced by the benchmark scripts (not run on its own): bench_setup NAME makes $work, a scratch directory under
# .build that is removed on exit, and sets $tool to the command to time: CLOUD_INTEGRATION_BENCH_TOOL when it names an
# already built native tool, otherwise a fresh install into $work/prefix (the way users get it). Needs $here.
bench_setup() {
  mkdir -p "$here/.build"
  work="$(mktemp -d "$here/.build/$1.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  tool="${CLOUD_INTEGRATION_BENCH_TOOL:-}"
  if [ -z "$tool" ]; then
    echo "installing into $work/prefix ..." >&2
    PREFIX="$work/prefix" "$here/install.sh" >&2
    tool="$work/prefix/bin/cloud_integration_tool"
  fi
}
