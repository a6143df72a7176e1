#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when po/POTFILES.in and the tree disagree:
#   - a file under src/, ui/ or data/ marks strings for translation
#     (_( N_( C_( NC_( Q_( ngettext, translatable="yes") but is not listed;
#   - a desktop entry, metainfo or GSettings schema under data/ is not listed
#     (their strings are translatable without any marker);
#   - a listed file no longer exists.
#
# Usage: check-potfiles.sh [SOURCE_ROOT]

set -u

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2

potfiles=po/POTFILES.in
if [ ! -f "$potfiles" ]; then
  echo "$potfiles: missing" >&2
  exit 1
fi

listed=$(mktemp)
wanted=$(mktemp)
trap 'rm -f "$listed" "$wanted"' EXIT

# Entries: one path a line, relative to the source root; '#' starts a comment,
# and a '[encoding: ...]' line is allowed.
sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$potfiles" \
  | grep -v -e '^$' -e '^\[' | sort -u > "$listed"

# A C marker counts when a string literal follows it, as xgettext needs, so a
# comment that mentions _() does not. GNU style puts a space before the
# parenthesis: _ ("Save"). The leading class keeps foo_( from matching, and
# the g_d* forms take the domain first.
c_markers='(^|[^[:alnum:]_])((_|N_|C_|NC_|Q_|ngettext)[[:space:]]*\([[:space:]]*"|(g_dngettext|g_dpgettext2)[[:space:]]*\([^,]*,[[:space:]]*")'

{
  for dir in src ui data; do
    [ -d "$dir" ] || continue
    grep -rIlE --include='*.c' --include='*.h' "$c_markers" "$dir"
    grep -rIl --include='*.ui' --include='*.blp' 'translatable="yes"' "$dir"
  done
  if [ -d data ]; then
    find data -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
                         -o -name '*.gschema.xml' \) -print
  fi
} | sed 's|^\./||' | sort -u > "$wanted"

status=0

unlisted=$(comm -23 "$wanted" "$listed")
if [ -n "$unlisted" ]; then
  printf '%s\n' "$unlisted" \
    | sed "s|^|$potfiles: |; s|\$| has translatable strings but is not listed|" >&2
  status=1
fi

while IFS= read -r f; do
  if [ ! -f "$f" ]; then
    echo "$potfiles: $f is listed but does not exist" >&2
    status=1
  fi
done < "$listed"

if [ "$status" -eq 0 ]; then
  echo "$potfiles: $(wc -l < "$listed") files listed, all present, none missing"
fi
exit "$status"
