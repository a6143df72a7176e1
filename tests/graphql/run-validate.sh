#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs validate.mjs with graphql-js installed (once, from package-lock.json)
# under the test build directory. Skips (exit 77) only when Node.js is
# missing; a failed install is a failure, not a skip.
#
# Usage: run-validate.sh SRCDIR BUILDDIR SCHEMA DOCUMENT...
set -eu

srcdir=$1
builddir=$2
shift 2

if ! command -v node >/dev/null 2>&1; then
  echo "1..0 # SKIP Node.js is not installed, so the GraphQL documents cannot be validated"
  exit 77
fi

modules=$builddir/graphql-validate
if [ ! -f "$modules/node_modules/graphql/package.json" ]; then
  mkdir -p "$modules"
  cp "$srcdir/package.json" "$srcdir/package-lock.json" "$modules/"
  if ! command -v npm >/dev/null 2>&1; then
    echo "Bail out! npm is needed once to install the graphql package into $modules" >&2
    exit 1
  fi
  (cd "$modules" && npm ci --no-audit --no-fund --silent) >&2
fi

OMNI_GRAPHQL_MODULES=$modules/node_modules exec node "$srcdir/validate.mjs" "$@"
