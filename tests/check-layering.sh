#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The core never includes GTK, the network or the keyring; sync never includes GTK.
set -eu
top="$1"
status=0
bad=$(grep -rlE '#include *<(gtk/|adwaita|libsoup|libsecret|json-glib)' "$top/src/core" || true)
if [ -n "$bad" ]; then
  echo "src/core must not include GTK, libsoup, libsecret or json-glib: $bad"
  status=1
fi
bad=$(grep -rlE '#include *<(gtk/|adwaita)' "$top/src/sync" "$top/src/cli" || true)
if [ -n "$bad" ]; then
  echo "src/sync and src/cli must not include GTK: $bad"
  status=1
fi
if [ -d "$top/src/report" ]; then
  bad=$(grep -rlE '#include *<(gtk/|adwaita|libsoup|libsecret|json-glib)' "$top/src/report" || true)
  if [ -n "$bad" ]; then
    echo "src/report must not include GTK, libsoup, libsecret or json-glib: $bad"
    status=1
  fi
fi
[ $status -eq 0 ] && echo "layering ok"
exit $status
