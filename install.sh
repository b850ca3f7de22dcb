#!/usr/bin/env bash
# Installs cloud_integration_tool and cssadmin:
#   ./install.sh                    build (native where possible, see scripts/build.sh), copy to $PREFIX/lib/cloud_integration_tool, put both commands in $PREFIX/bin
#   ./install.sh --uninstall        remove them again (the Security World and its keys are never touched)
#   PREFIX=$HOME/.local ./install.sh    install for one user without root (default PREFIX: /usr/local)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
prefix="${PREFIX:-/usr/local}"
lib="$prefix/lib/cloud_integration_tool"
bin="$prefix/bin"
commands=(cloud_integration_tool cssadmin)

uninstall() {
  for c in "${commands[@]}"; do
    if [ -L "$bin/$c" ] && [ "$(readlink "$bin/$c")" = "$lib/cloud_integration_tool" ]; then rm -f "$bin/$c"
    elif [ -f "$bin/$c" ] && grep -q "cloud_integration_tool installer" "$bin/$c" 2>/dev/null; then rm -f "$bin/$c"; fi
  done
  rm -rf "$lib"
  echo "removed ${commands[*]} from $bin (key store directories are left as they are)"
}

case "${1:-}" in
  --uninstall) uninstall; exit 0 ;;
  "") ;;
  -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
  *) echo "error: unknown option '$1' (expected --uninstall or nothing)" >&2; exit 2 ;;
esac

command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is needed to build the tool" >&2; exit 1; }
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
"$here/scripts/build.sh" "$staging/app"
mkdir -p "$bin" "$(dirname "$lib")"
rm -rf "$lib.new" && cp -r "$staging/app" "$lib.new" && rm -rf "$lib" && mv "$lib.new" "$lib"
for c in "${commands[@]}"; do
  rm -f "$bin/$c.new"
  if [ "$c" = cloud_integration_tool ] && [ ! -e "$lib/cloud_integration_tool.dll" ]; then
    # The native executable itself: no shell in front of a command whose start-up is measured in milliseconds.
    ln -s "$lib/cloud_integration_tool" "$bin/$c.new" && mv -T "$bin/$c.new" "$bin/$c"
    continue
  fi
  cat > "$bin/$c.new" <<WRAPPER
#!/bin/sh
# cloud_integration_tool installer: runs the installed tool under the name $c.
CLOUD_INTEGRATION_PROGRAM=$c exec "$lib/cloud_integration_tool" "\$@"
WRAPPER
  chmod 755 "$bin/$c.new" && mv -T "$bin/$c.new" "$bin/$c"
done
echo "installed ${commands[*]} in $bin ($("$bin/cloud_integration_tool" --version))"
