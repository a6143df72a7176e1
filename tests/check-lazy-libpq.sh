#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The app and the CLI load libpq only when a PostgreSQL store opens
# (src/core/omni-pq.c): linked, it and the libraries it needs would cost
# every start about 10 ms. Fails if a binary links it again.
set -eu
status=0
for binary in "$@"; do
  if ! needed=$(readelf -d "$binary"); then
    echo "cannot read $binary"
    status=1
  elif echo "$needed" | grep -q 'NEEDED.*libpq'; then
    echo "$binary links libpq; call it through _omni_pq (omni-pq.h) instead"
    status=1
  fi
done
[ $status -eq 0 ] && echo "libpq is loaded on demand: $*"
exit $status
