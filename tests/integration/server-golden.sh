#!/bin/bash
# Golden tests of netinit-export: drop-ins in, expected files out.
#
# tests/server/<case>/in/        the configuration (--config-dir)
# tests/server/<case>/root/      inputs under --root (image trees, image files), optional
# tests/server/<case>/empty-dirs  empty directories of root/ (git does not keep them), optional
# tests/server/<case>/args       extra arguments for "render" (optional, one line)
# tests/server/<case>/opts       options instead of "-c in" (optional, one line)
# tests/server/<case>/expected/  every file render writes, byte for byte
# tests/server/<case>/tree       every path under the output root: path, type, mode
#
# Each case also renders a second time (must change nothing) and runs the
# DHCP servers' own checkers on what it wrote.  GOLDEN_UPDATE=1 rewrites the
# expected files from the current output (review the git diff!).
set -u
cd "$(dirname "$0")/../.."
BIN=${NETINIT_EXPORT:-${BUILD:-build}/netinit-export}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
fail=0
pass() { echo "PASS: $1"; }
failc() { echo "FAIL: $1: $2"; fail=1; }

if [ ! -x "$BIN" ]; then
	echo "FAIL: server-golden: cannot run: $BIN not built (make $BIN)"
	exit 1
fi
tmp=$(mktemp -d /tmp/netinit-golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

tree_of() { (cd "$1" && find . -mindepth 1 \( -path './in' -o -path './in/*' \) -prune -o -printf '%p %y %m\n' | LC_ALL=C sort); }

for case in tests/server/*/; do
	case=${case%/}
	name=$(basename "$case")
	[ -d "$case/in" ] || continue
	out="$tmp/$name"
	mkdir -p "$out"
	[ -d "$case/root" ] && cp -a "$case/root/." "$out/"
	# git keeps no empty directories: the inputs that need some list them
	if [ -f "$case/empty-dirs" ]; then
		while read -r d; do [ -n "$d" ] && mkdir -p "$out/$d"; done < "$case/empty-dirs"
	fi
	find "$out" -exec touch -h -d '2026-01-01 00:00:00' {} +
	args=""
	[ -f "$case/args" ] && args=$(cat "$case/args")
	opts="-c in"
	[ -f "$case/opts" ] && opts=$(cat "$case/opts")
	(cd "$case" && cp -a . "$tmp/$name.src")
	chmod 600 "$tmp/$name.src"/in/keys/*.key 2>/dev/null
	# Relative paths in the drop-ins (keys) resolve from the case directory.
	if ! (cd "$tmp/$name.src" && "$BIN" -q $opts -r "$out" render $args) > "$tmp/$name.log" 2>&1; then
		failc "golden $name render" "$(tail -n 5 "$tmp/$name.log")"
		continue
	fi
	tree_of "$out" > "$tmp/$name.tree"
	if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
		rm -rf "$case/expected"
		mkdir -p "$case/expected"
		while IFS= read -r -d '' f; do
			rel=${f#"$out"/}
			[ -f "$case/root/$rel" ] && cmp -s "$case/root/$rel" "$f" && continue
			mkdir -p "$case/expected/$(dirname "$rel")"
			cp "$f" "$case/expected/$rel"
		done < <(find "$out" -type f -print0)
		cp "$tmp/$name.tree" "$case/tree"
	fi
	# Every file written equals the expected one, and no expected file is missing.
	bad=""
	while IFS= read -r -d '' f; do
		rel=${f#"$out"/}
		[ -f "$case/root/$rel" ] && cmp -s "$case/root/$rel" "$f" && continue
		if [ ! -f "$case/expected/$rel" ]; then bad="$bad unexpected:$rel"
		elif ! cmp -s "$case/expected/$rel" "$f"; then bad="$bad differs:$rel"; fi
	done < <(find "$out" -type f -print0)
	while IFS= read -r -d '' f; do
		rel=${f#"$case/expected"/}
		[ -f "$out/$rel" ] || bad="$bad missing:$rel"
	done < <(find "$case/expected" -type f -print0 2>/dev/null)
	if [ -n "$bad" ]; then
		failc "golden $name files" "$bad (diff -r $case/expected $out)"
		trap - EXIT
		continue
	fi
	pass "golden $name files"
	if diff -u "$case/tree" "$tmp/$name.tree" > "$tmp/$name.treediff"; then
		pass "golden $name tree"
	else
		failc "golden $name tree" "$(head -n 20 "$tmp/$name.treediff")"
	fi
	# Idempotent: a second render changes nothing (not even an mtime).
	before=$(cd "$out" && find . -printf '%p %T@ %m\n' | LC_ALL=C sort | md5sum)
	(cd "$tmp/$name.src" && "$BIN" $opts -r "$out" render $args) > "$tmp/$name.log2" 2>&1
	after=$(cd "$out" && find . -printf '%p %T@ %m\n' | LC_ALL=C sort | md5sum)
	if [ "$before" = "$after" ] && grep -q ' 0 files changed' "$tmp/$name.log2"; then
		pass "golden $name idempotent"
	else
		failc "golden $name idempotent" "second render changed something: $(tail -n 2 "$tmp/$name.log2")"
	fi
	if (cd "$tmp/$name.src" && "$BIN" $opts -r "$out" diff $args) > "$tmp/$name.diff" 2>&1; then
		pass "golden $name diff-empty"
	else
		failc "golden $name diff-empty" "$(head -n 5 "$tmp/$name.diff")"
	fi
	# The servers' own checkers accept what was written.
	for f in $(cd "$out" && find . -path '*dhcp*' -name '*.conf' -o -path '*dnsmasq*' -name '*.conf' -o -path '*kea*' -name '*.json'); do
		f=${f#./}
		case "$f" in
		*dnsmasq*) chk=(dnsmasq --test "--conf-file=$out/$f") ;;
		*kea*.conf) chk=(kea-dhcp4 -t "$out/$f") ;; # kea = full: a whole kea-dhcp4.conf
		*kea*subnet4*)
			printf '{ "Dhcp4": { "interfaces-config": { "interfaces": [] }, "subnet4": [ <?include "%s"?> ] } }\n' "$out/$f" > "$tmp/$name.kea.json"
			chk=(kea-dhcp4 -t "$tmp/$name.kea.json") ;;
		*kea*)
			printf '{ "Dhcp4": { "interfaces-config": { "interfaces": [] }, "reservations": <?include "%s"?> } }\n' "$out/$f" > "$tmp/$name.kea.json"
			chk=(kea-dhcp4 -t "$tmp/$name.kea.json") ;;
		*) chk=(dhcpd -t -q -cf "$out/$f") ;;
		esac
		if ! command -v "${chk[0]}" >/dev/null; then
			failc "golden $name ${chk[0]}" "cannot run: ${chk[0]} not installed"
		elif "${chk[@]}" > "$tmp/$name.chk" 2>&1; then
			pass "golden $name ${chk[0]} accepts $f"
		else
			failc "golden $name ${chk[0]} accepts $f" "$(tail -n 5 "$tmp/$name.chk")"
		fi
	done
	# nginx accepts the image snippet inside a server block.
	for f in $(cd "$out" && find . -path '*nginx*' -name '*.conf'); do
		f=${f#./}
		mkdir -p "$tmp/$name.nginx"
		cat > "$tmp/$name.nginx/nginx.conf" <<EON
pid $tmp/$name.nginx/nginx.pid;
error_log $tmp/$name.nginx/error.log;
events { }
http { access_log off; server { listen 127.0.0.1:18080; include $out/$f; } }
EON
		if ! command -v nginx >/dev/null; then
			failc "golden $name nginx" "cannot run: nginx not installed"
		elif nginx -t -q -e "$tmp/$name.nginx/error.log" -p "$tmp/$name.nginx" -c "$tmp/$name.nginx/nginx.conf" > "$tmp/$name.chk" 2>&1; then
			pass "golden $name nginx -t accepts $f"
		else
			failc "golden $name nginx -t accepts $f" "$(tail -n 5 "$tmp/$name.chk")"
		fi
	done
done
exit $fail
