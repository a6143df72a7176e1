#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One command from a fresh Debian 12 machine to a running OmniStock:
# installs build-aux/debian-packages.txt, configures and builds _build, and
# starts the application uninstalled. The first start, while there is no
# database yet, fills one with demo data. Running it again only rebuilds
# and starts.
#
# Usage: build-aux/setup.sh [--no-run]

set -euo pipefail

usage ()
{
  echo "usage: $0 [--no-run]"
  echo "  --no-run  install, configure and build, but do not start the application"
}

run=1
for arg in "$@"; do
  case "$arg" in
    --no-run) run=0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$0: unknown option '$arg'" >&2; usage >&2; exit 1 ;;
  esac
done

cd "$(dirname "$0")/.."
builddir=_build

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
else
  as_root=(sudo)
fi

# The package list: one name a line, '#' starts a comment.
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' \
                          build-aux/debian-packages.txt)

echo "==> Installing ${#packages[@]} Debian packages"
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"

if [ -f "$builddir/meson-private/coredata.dat" ]; then
  echo "==> Reconfiguring $builddir"
  meson setup --reconfigure "$builddir"
else
  echo "==> Configuring $builddir"
  meson setup "$builddir"
fi

echo "==> Building"
ninja -C "$builddir"

if [ "$run" -eq 0 ]; then
  echo "==> Built. Start it with: GSETTINGS_SCHEMA_DIR=$builddir/data $builddir/src/gui/omnistock"
  exit 0
fi

# Same lookup as the application: --db, else $OMNISTOCK_DB, else the XDG data dir.
database=${OMNISTOCK_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/omnistock/omnistock.db}
app_args=()
if [ ! -e "$database" ]; then
  echo "==> First run: creating $database with demo data"
  app_args+=(--demo)
fi

echo "==> Starting OmniStock"
GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data" exec "./$builddir/src/gui/omnistock" "${app_args[@]}"
