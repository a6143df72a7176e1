#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs libFuzzer targets for a bounded time each, from their seed corpora,
# a few at a time. What a target finds goes to a scratch directory (never
# into the repository's corpus); an input that crashed it, leaked or timed
# out is also copied to regressions/NAME/ in the fuzz source directory,
# where the fuzz-replay-NAME tests run it from then on. Prints each
# target's executions, and fails if any target failed.
#
# Usage: run-fuzz.sh [--jobs N] [--seconds S] FUZZ_SOURCE_DIR TARGET...
#   a target fuzz-NAME reads FUZZ_SOURCE_DIR/corpus-NAME

set -eu

jobs=1
seconds=60
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) break ;;
  esac
done
srcdir=$1
shift

# SQLite commits in the targets are far cheaper in memory than on disk.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  TMPDIR=${TMPDIR:-/dev/shm}
  export TMPDIR
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/omnistock-fuzz.XXXXXX")

run_one ()
{
  target=$1
  case "$target" in
    /*) ;;
    *) target="$PWD/$target" ;;
  esac
  name=$(basename "$target")
  name=${name#fuzz-}
  dir="$scratch/$name"
  mkdir -p "$dir/corpus"
  if (cd "$dir" && "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 corpus "$srcdir/corpus-$name" > log 2>&1); then
    echo ok > "$dir/status"
  else
    echo failed > "$dir/status"
  fi
}

pids=""
running=0
for target in "$@"; do
  run_one "$target" &
  pids="$pids $!"
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    # Wait for the oldest, then start the next.
    first=$(echo "$pids" | awk '{print $1}')
    wait "$first" || true
    pids=$(echo "$pids" | awk '{ $1 = ""; print }')
    running=$((running - 1))
  fi
done
for pid in $pids; do
  wait "$pid" || true
done

status=0
for target in "$@"; do
  name=$(basename "$target")
  name=${name#fuzz-}
  dir="$scratch/$name"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
  if [ "$(cat "$dir/status" 2>/dev/null)" = ok ]; then
    echo "fuzz-$name: ${runs:-?} executions in ${seconds} s, no crash"
  else
    status=1
    mkdir -p "$srcdir/regressions/$name"
    found=0
    for input in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* "$dir"/slow-unit-*; do
      [ -f "$input" ] || continue
      cp "$input" "$srcdir/regressions/$name/"
      found=$((found + 1))
    done
    echo "fuzz-$name FAILED after ${runs:-?} executions; $found input(s) copied to" \
         "$srcdir/regressions/$name/ (log: $dir/log):" >&2
    grep -v -e '^#' -e 'DEBUG' "$dir/log" | tail -n 40 >&2
  fi
done

if [ "$status" -eq 0 ]; then
  rm -rf "$scratch"
fi
exit "$status"
