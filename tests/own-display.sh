#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one GUI test in an X server of its own, so window tests can run side
# by side without taking each other's keyboard focus or pointer. Xvfb picks a
# free display number itself (-displayfd), which is race-free where
# xvfb-run -a is not. The D-Bus session and keyring stay those of the
# surrounding test run.
#
# Usage: own-display.sh COMMAND [ARG...]

set -eu

if ! command -v Xvfb > /dev/null 2>&1; then
  echo "own-display.sh: Xvfb is not installed" >&2
  exit 77
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/omnistock-display.XXXXXX")
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3> "$dir/display" 2> "$dir/log" &
server=$!
trap 'kill "$server" 2> /dev/null; wait "$server" 2> /dev/null; rm -rf "$dir"' EXIT INT TERM

# The server writes its display number once it accepts clients.
tries=0
while [ ! -s "$dir/display" ]; do
  if ! kill -0 "$server" 2> /dev/null || [ "$tries" -ge 200 ]; then
    echo "own-display.sh: Xvfb did not start:" >&2
    cat "$dir/log" >&2
    exit 1
  fi
  tries=$((tries + 1))
  sleep 0.05
done

DISPLAY=:$(head -n 1 "$dir/display")
export DISPLAY
unset WAYLAND_DISPLAY
status=0
"$@" || status=$?
exit "$status"
