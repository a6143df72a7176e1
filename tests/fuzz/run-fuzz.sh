#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a libFuzzer target for a bounded time from the seed corpus, writing
# what it finds to a scratch directory (never into the repository's corpus).
# A crash, leak or sanitizer report makes libFuzzer exit non-zero and leaves
# the input as crash-* in the scratch directory, whose path is printed.
#
# Usage: run-fuzz.sh TARGET SEED_CORPUS SECONDS

set -eu

target=$1
seeds=$2
seconds=$3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/omnistock-fuzz.XXXXXX")
echo "fuzzing $(basename "$target") for ${seconds}s; findings in $scratch"
cd "$scratch"
mkdir corpus
if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 corpus "$seeds"; then
  rm -rf "$scratch"
else
  status=$?
  echo "fuzzing failed; inputs kept in $scratch" >&2
  exit "$status"
fi
