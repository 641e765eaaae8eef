#!/bin/bash
# Each bad input gives the promised error: tests/server/bad/<case>/in is the
# configuration, tests/server/bad/<case>/expect the lines (substrings) that
# "netinit-export check" must print, with file and line.  The exit code
# must be 1 and nothing may be written.
set -u
cd "$(dirname "$0")/../.."
BIN=${NETINIT_EXPORT:-${BUILD:-build}/netinit-export}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
fail=0
if [ ! -x "$BIN" ]; then
	echo "FAIL: server-errors: cannot run: $BIN not built"
	exit 1
fi
tmp=$(mktemp -d /tmp/netinit-errors.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
for case in tests/server/bad/*/; do
	case=${case%/}
	name=$(basename "$case")
	(cd "$case" && "$BIN" -c in -r "$tmp/out" render) > "$tmp/$name.out" 2>&1
	rc=$?
	why=""
	[ "$rc" = 1 ] || why="exit code $rc, want 1;"
	while IFS= read -r want; do
		[ -z "$want" ] && continue
		grep -qF -- "$want" "$tmp/$name.out" || why="$why missing \"$want\";"
	done < "$case/expect"
	[ -e "$tmp/out" ] && why="$why wrote files despite errors;"
	if [ -z "$why" ]; then
		echo "PASS: error $name"
	else
		echo "FAIL: error $name: $why got: $(head -c 600 "$tmp/$name.out")"
		fail=1
	fi
	rm -rf "$tmp/out"
done
exit $fail
