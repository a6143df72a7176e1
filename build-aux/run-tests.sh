#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the whole test suite the way CI does: in a private X server (Xvfb), a
# private D-Bus session and an unlocked, throw-away GNOME keyring, so it
# works as root on a machine with no display and no session bus, and never
# touches the developer's own keyring. Installs nothing (build-aux/setup.sh
# does); configures and builds the build directory when needed.
#
# Usage: build-aux/run-tests.sh [--werror] [--sanitize | --fuzz] [-- MESON_TEST_ARGS...]
#   --werror    configure with -Dwerror=true
#   --sanitize  use _build-asan, built with AddressSanitizer and UBSan, with
#               leak detection on
#   --fuzz      use _build-fuzz, built with clang, libFuzzer and the same
#               sanitizers, and run the fuzz suite: each target's corpus,
#               then the CSV reader, the Shopify, Amazon and eBay answers,
#               the webhook handler and the Amazon/eBay credential parsers
#               for 20 s each, two at a time (about a minute)
#   after --, arguments go to meson test (e.g. -- --suite core)
#
# Exits with the status of meson test.

set -euo pipefail

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$self")/.."
srcdir=$PWD

usage ()
{
  sed -n 's/^# \{0,1\}//; /^Usage:/,/^Exits/p' "$self"
}

# LeakSanitizer's stop-the-world tracer sometimes crashes at exit while other
# threads are being torn down ("Tracer caught signal 11 ... LeakSanitizer has
# encountered a fatal error"): a known sanitizer flake, not a leak and not a
# test failure. Tests that failed only that way, with every TAP case passed
# and no sanitizer report, run once more; their second result replaces the
# first in testlog.json so that .ci/run counts each test once.
retry_lsan_tracer_crashes ()
{
  local builddir=$1
  local log=$builddir/meson-logs/testlog.json
  local first=$builddir/meson-logs/testlog-first.json
  local -a crashed

  [ -s "$log" ] || return 1
  mapfile -t crashed < <(python3 - "$log" <<'PY'
import json, re, sys
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        if not line.strip():
            continue
        test = json.loads(line)
        if test.get("result") not in ("FAIL", "ERROR"):
            continue
        out = (test.get("stdout") or "") + (test.get("stderr") or "")
        if ("LeakSanitizer has encountered a fatal error" in out
                and "Tracer caught signal" in out
                and not re.search(r"^not ok|ERROR: (Address|Leak)Sanitizer|runtime error:",
                                  out, re.M)):
            print(test["name"])
PY
)
  [ "${#crashed[@]}" -gt 0 ] || return 1

  echo "==> LeakSanitizer's tracer crashed at exit in: ${crashed[*]}; running them again"
  mv "$log" "$first"
  meson test -C "$builddir" --no-rebuild --print-errorlogs "${meson_test_args[@]}" \
    "${crashed[@]}" || true

  python3 - "$first" "$log" <<'PY'
import json, sys
first_path, rerun_path = sys.argv[1], sys.argv[2]
with open(rerun_path, encoding="utf-8") as f:
    rerun = {json.loads(l)["name"]: l for l in f if l.strip()}
with open(first_path, encoding="utf-8") as f:
    merged = [rerun.get(json.loads(l)["name"], l) for l in f if l.strip()]
failed = [json.loads(l) for l in merged
          if json.loads(l).get("result") in ("FAIL", "TIMEOUT", "ERROR", "UNEXPECTEDPASS")]
with open(rerun_path, "w", encoding="utf-8") as f:
    f.writelines(l if l.endswith("\n") else l + "\n" for l in merged)
sys.exit(1 if failed else 0)
PY
}

# Second stage: we are inside dbus-run-session under xvfb-run.
if [ "${1-}" = "--in-session" ]; then
  shift
  builddir=$1
  sanitize=$2
  shift 2

  # Only the private X server and keyring: never a desktop session the
  # script may have been started from.
  unset WAYLAND_DISPLAY GNOME_KEYRING_CONTROL
  export GDK_BACKEND=x11

  # The keyring's files and control socket live in a private directory so
  # the tests can neither read nor lock a real login keyring.
  session_dir=$(mktemp -d "${TMPDIR:-/tmp}/omnistock-test-session.XXXXXX")
  trap 'rm -rf "$session_dir"' EXIT
  mkdir -m 700 "$session_dir/runtime" "$session_dir/data"
  export XDG_RUNTIME_DIR="$session_dir/runtime"

  # With --unlock the daemon creates the login keyring with this password and
  # makes it the default collection. It prints NAME=VALUE lines for clients
  # to export, but only when its control socket is somewhere other than
  # $XDG_RUNTIME_DIR/keyring, so it usually prints nothing here.
  keyring_env=$(printf 'test' | XDG_DATA_HOME="$session_dir/data" \
                  gnome-keyring-daemon --unlock --components=secrets)
  while IFS= read -r line; do
    case "$line" in
      [A-Z_]*=*) export "$line" ;;
    esac
  done <<< "$keyring_env"

  # What libsecret needs is the Secret Service on the session bus. The daemon
  # claims the name a moment after it forks; wait for it rather than let the
  # first test D-Bus-activate a second, locked keyring.
  for _ in $(seq 50); do
    owner=$(gdbus call --session --dest org.freedesktop.DBus \
              --object-path /org/freedesktop/DBus \
              --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets)
    [ "$owner" = "(true,)" ] && break
    sleep 0.1
  done
  if [ "$owner" != "(true,)" ]; then
    echo "$0: gnome-keyring-daemon did not provide org.freedesktop.secrets" >&2
    exit 1
  fi
  # One round trip through libsecret proves the collection is unlocked and
  # writable, so a broken session fails here and not as mysterious test errors.
  printf 'probe' | secret-tool store --label='OmniStock test probe' omnistock-test probe
  if [ "$(secret-tool lookup omnistock-test probe)" != "probe" ]; then
    echo "$0: the test keyring does not return what was stored in it" >&2
    exit 1
  fi
  secret-tool clear omnistock-test probe

  # Sanitized code runs a few times slower; the tests' own timeouts assume not.
  meson_test_args=()
  if [ "$sanitize" -eq 1 ]; then
    meson_test_args+=(--timeout-multiplier=3)
    # Every test runs here, the PostgreSQL re-runs of module tests (suite
    # pg-variant) too: CI runs only this build (with -Dwerror=true), so a
    # test left out here would run nowhere.
    # Two tills selling the last unit: 200 rounds instead of 1,000.
    export OMNISTOCK_RACE_ROUNDS=${OMNISTOCK_RACE_ROUNDS:-200}
  fi

  status=0
  meson test -C "$builddir" --print-errorlogs "${meson_test_args[@]}" "$@" || status=$?
  if [ "$status" -ne 0 ] && [ "$sanitize" -eq 1 ] && retry_lsan_tracer_crashes "$builddir"; then
    status=0
  fi
  exit "$status"
fi

builddir=_build
setup_args=()
werror=false
sanitize=0
fuzz=0
test_args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --werror) werror=true ;;
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    --) shift; test_args=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$0: unknown option '$1'" >&2; usage >&2; exit 1 ;;
  esac
  shift
done

if [ "$sanitize" -eq 1 ]; then
  builddir=_build-asan
  setup_args+=(-Db_sanitize=address,undefined -Db_lundef=false)
  # -O1 and line tables only (-g1): on two cores this build compiles in two
  # minutes instead of three and a half (-O2 -g), its tests run as fast, and
  # a sanitizer's report still names the file and line of every frame.
  setup_args+=(-Doptimization=1 -Ddebug=false -Dc_args=-g1)

  # Options already in the environment come last and so win, e.g.
  # ASAN_OPTIONS=fast_unwind_on_malloc=0 for full leak stacks (far slower:
  # use it with -- TESTNAME).
  # A 32 MiB quarantine instead of ASan's 256 MiB: every freed block still
  # waits behind 32 MiB of later frees before it is reused, far more than a
  # test frees between a free and a stale use, and each process (the suite
  # spawns omnistock-cli about 850 times) faults in and recycles less
  # memory. The whole sanitized suite: 577 s → 506 s on two cores, its
  # CPU time 1,003 s → 855 s.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:quarantine_size_mb=32${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export LSAN_OPTIONS="suppressions=$srcdir/build-aux/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  # GLib 2.74 still pools small blocks in GSlice, which hides leaks and
  # use-after-free from ASan; plain malloc lets it see every block.
  export G_SLICE=always-malloc
  # Mesa's software GL driver (swrast_dri.so under Xvfb) leaks a block and
  # is unloaded before LeakSanitizer runs, so the leak has no module name to
  # suppress. The sanitized run draws with Cairo instead; the plain run
  # still goes through GL.
  export GDK_DEBUG="gl-disable${GDK_DEBUG:+,$GDK_DEBUG}"
fi

if [ "$fuzz" -eq 1 ]; then
  # Only the fuzz targets are built: they compile the code they fuzz in
  # themselves, with libFuzzer's coverage instrumentation.
  builddir=_build-fuzz
  if [ ! -f "$builddir/meson-private/coredata.dat" ]; then
    CC=clang meson setup "$builddir" -Dwerror="$werror" -Dfuzzing=true \
      -Db_sanitize=address,undefined -Db_lundef=false
  fi
  ninja -C "$builddir" tests/fuzz/fuzz-csv tests/fuzz/fuzz-shopify tests/fuzz/fuzz-webhook \
    tests/fuzz/fuzz-credentials tests/fuzz/fuzz-amazon tests/fuzz/fuzz-ebay
  rm -f "$builddir/meson-logs/testlog.json"
  exec meson test -C "$builddir" --no-rebuild --print-errorlogs --suite fuzz "${test_args[@]}"
fi

if [ -f "$builddir/meson-private/coredata.dat" ]; then
  # Re-apply the requested werror so one build dir serves both invocations.
  meson configure "$builddir" -Dwerror="$werror"
else
  meson setup "$builddir" -Dwerror="$werror" "${setup_args[@]}"
fi

ninja -C "$builddir"

# A fresh log per run: .ci/run counts results from it.
rm -f "$builddir/meson-logs/testlog.json"

status=0
xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
  dbus-run-session -- bash "$self" --in-session "$builddir" "$sanitize" "${test_args[@]}" || status=$?
exit "$status"
