#!/bin/bash
# Integration tests of the HTTP fetch against nginx on loopback, directly
# and through the fault-injecting proxy (tests/fetch/faultproxy.py):
# resume after a dropped connection, low-speed timeout, 503 + Retry-After,
# Range answered with 200 or a wrong Content-Range, wrong Content-Length,
# redirects, corrupt data and mirrors, signed manifests, archives with
# traversal tricks, the memory check.  Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/fetch/lib.sh
trap fetch_cleanup EXIT
trap 'exit 1' INT TERM
pick_fetch

for what in nginx python3 zstd gzip cpio tar curl; do
	command -v "$what" >/dev/null || { echo "FAIL: fetch-http: cannot run: $what not installed"; exit 1; }
done
[ -x "${FETCH[0]}" ] && [ -x "$SIGN" ] ||
	{ echo "FAIL: fetch-http: cannot run: build/netinit-fetch or build/netinit-sign not built"; exit 1; }

www=$work/www
mkdir -p "$www" "$work/tree"
make_tree "$work/tree"
head -c $((6 * 1024 * 1024 + 123)) /dev/urandom > "$www/rand.bin"
(cd "$work/tree" && find . | cpio -o -H newc 2>/dev/null) | zstd -q -o "$www/root.cpio.zst"
tar -C "$work/tree" -czf "$www/root.tar.gz" .
tar -C "$work/tree" --format=pax -cf - . | zstd -q -o "$www/root.tar.zst"
tar -C "$work/tree" -cf "$www/root.tar" .
"$SIGN" keygen "$work/key" --comment test >/dev/null
"$SIGN" keygen "$work/other" --comment other >/dev/null
for f in rand.bin root.cpio.zst root.tar.gz root.tar.zst; do
	"$SIGN" sign "$www/$f" --key "$work/key.sec" --name "${f%%.*}" --version 1 >/dev/null
done
# A manifest signed by the right key but for other bytes, and a tampered one.
cp "$www/root.tar.gz" "$www/wrong.tar.gz"
cp "$www/root.cpio.zst.manifest" "$www/wrong.tar.gz.manifest"
cp "$www/root.tar.gz" "$www/tampered.tar.gz"
sed 's/^version 1$/version 2/' "$www/root.tar.gz.manifest" > "$www/tampered.tar.gz.manifest"
hash=$(sha256sum "$www/rand.bin" | cut -d' ' -f1)
python3 tests/fetch/traversal.py "$www" "$work/outside"

start_nginx "$www" || { echo "FAIL: fetch-http: cannot run: nginx did not start"; exit 1; }
start_proxy || { echo "FAIL: fetch-http: cannot run: proxy did not start"; exit 1; }
N=http://127.0.0.1:$NGINX_PORT
P=http://127.0.0.1:$PROXY_PORT
fast=(--backoff-ms 100 --backoff-max-ms 400 --tries 4 --rounds 1 --seed 0)

run() { # name expect(0|1) args...: runs fetch, log in $work/<name>.log
	local name=$1 want=$2; shift 2
	curl -s "$P/_reset" >/dev/null
	timeout 120 "${FETCH[@]}" "$@" > "$work/$name.log" 2>&1
	local rc=$?
	if [ "$want" = 0 ] && [ "$rc" != 0 ]; then
		fail "$name" "exit $rc: $(grep -a ERROR "$work/$name.log" | tail -n 2 | tr '\n' ' ')"
		return 1
	fi
	if [ "$want" != 0 ] && [ "$rc" = 0 ]; then
		fail "$name" "succeeded but should have failed"
		return 1
	fi
	return 0
}
logged() { grep -aq -- "$2" "$work/$1.log"; }
same_hash() { [ "$(sha256sum < "$1" | cut -d' ' -f1)" = "$hash" ]; }
# diff cannot compare device nodes: those are compared by type and numbers
same_tree() {
	diff -r --no-dereference -x dev "$work/tree" "$1" >/dev/null 2>&1 &&
		[ "$(cd "$work/tree/dev" && stat -c '%n %F %t:%T %a' *)" = "$(cd "$1/dev" && stat -c '%n %F %t:%T %a' *)" ]
}

# ---- plain transfers and formats ----
run get 0 "$N/rand.bin" "$work/o.bin" && same_hash "$work/o.bin" &&
	[ ! -e "$work/o.bin.part" ] && pass "fetch-http: plain GET, Content-Length" ||
	fail "fetch-http: plain GET" "wrong bytes"
run chunked 0 "$P/chunked/rand.bin" "$work/o.bin" && same_hash "$work/o.bin" &&
	pass "fetch-http: chunked body" || fail "fetch-http: chunked body" "wrong bytes"
for f in root.cpio.zst root.tar.gz root.tar.zst root.tar; do
	rm -rf "$work/u"
	run "unpack-$f" 0 "$N/$f" - --unpack "$work/u" && same_tree "$work/u" &&
		[ "$(stat -c %a "$work/u/bin/busybox")" = 4755 ] &&
		[ "$(stat -c %h "$work/u/bin/busybox")" = 2 ] &&
		pass "fetch-http: $f unpacked while downloading (setuid, hard link, symlink, devices)" ||
		fail "fetch-http: $f unpack" "tree differs: $(diff -r --no-dereference -x dev "$work/tree" "$work/u" 2>&1 | head -n 2 | tr '\n' ' ')"
done
run not-found 1 "$N/nope.img" "$work/o.bin" "${fast[@]}" &&
	[ "$(grep -ac 'try 2' "$work/not-found.log")" = 0 ] && logged not-found "404" &&
	pass "fetch-http: 404 fails at once (no retries)" || fail "fetch-http: 404" "retried or no reason"

# ---- verification ----
rm -rf "$work/u"
run signed 0 "$N/root.tar.zst" - --unpack "$work/u" --key "$work/key.pub" && same_tree "$work/u" &&
	logged signed "good signature" && logged signed "verified" &&
	pass "fetch-http: signed manifest verified, archive unpacked" ||
	fail "fetch-http: signed manifest" "$(tail -n 1 "$work/signed.log")"
rm -rf "$work/u"
run wrong-key 1 "$N/root.tar.gz" - --unpack "$work/u" --key "$work/other.pub" "${fast[@]}" &&
	[ ! -e "$work/u" ] && logged wrong-key "not among the 1 trusted keys" &&
	pass "fetch-http: manifest signed by an unknown key is refused, nothing unpacked" ||
	fail "fetch-http: unknown key" "accepted or unpacked"
run tampered 1 "$N/tampered.tar.gz" - --unpack "$work/u" --key "$work/key.pub" "${fast[@]}" &&
	[ ! -e "$work/u" ] && logged tampered "bad signature" &&
	pass "fetch-http: tampered manifest refused" || fail "fetch-http: tampered manifest" "accepted"
run wrong-image 1 "$N/wrong.tar.gz" - --unpack "$work/u" --key "$work/key.pub" "${fast[@]}" &&
	[ ! -e "$work/u" ] && ! ls "$work"/u.partial-* >/dev/null 2>&1 &&
	pass "fetch-http: image that does not match its manifest: refused, nothing left" ||
	fail "fetch-http: manifest/image mismatch" "accepted or partial left"
run bad-pin 1 "$N/rand.bin" "$work/o2.bin" --sha256 "${hash:0:63}" &&
	[ ! -e "$work/o2.bin" ] && ! grep -aq downloading "$work/bad-pin.log" &&
	pass "fetch-http: malformed sha256 pin refuses before any transfer" ||
	fail "fetch-http: malformed pin" "not refused"
run bad-key 1 "$N/rand.bin" "$work/o2.bin" --key "not-a-key" &&
	! grep -aq downloading "$work/bad-key.log" &&
	pass "fetch-http: malformed key refuses before any transfer" || fail "fetch-http: malformed key" "not refused"
run verify-off 0 "$N/tampered.tar.gz" - --unpack "$work/voff" --key "$work/key.pub" --verify-off &&
	logged verify-off "NOT verified" && pass "fetch-http: verify-off with a key: boots, loudly" ||
	fail "fetch-http: verify-off" "no loud warning"
rm -rf "$work/u"
run corrupt-archive 1 "$P/corrupt=900000/root.tar.gz" - --unpack "$work/u" --sha256 \
	"$(sha256sum < "$www/root.tar.gz" | cut -d' ' -f1)" "${fast[@]}"
[ ! -e "$work/u" ] && ! ls "$work"/u.partial-* >/dev/null 2>&1 &&
	pass "fetch-http: streamed unpack with a wrong hash is thrown away" ||
	fail "fetch-http: corrupt archive" "unpacked data left behind"
run corrupt 1 "$P/corrupt=5000/rand.bin" "$work/o3.bin" --sha256 "$hash" "${fast[@]}" &&
	[ ! -e "$work/o3.bin" ] && logged corrupt "expected $hash, got" &&
	pass "fetch-http: hash mismatch fails with expected and actual hashes" ||
	fail "fetch-http: hash mismatch" "no expected/actual in the log"
run mirror 0 "$P/corrupt=5000/rand.bin" "$work/o.bin" --mirror "$N/rand.bin" --sha256 "$hash" \
	--key "$work/key.pub" "${fast[@]}" && same_hash "$work/o.bin" &&
	pass "fetch-http: mirrors: a bad one is left for the next" ||
	fail "fetch-http: mirrors" "$(tail -n 1 "$work/mirror.log")"

# ---- faults ----
run drop 0 "$P/drop=1000000/rand.bin" "$work/o.bin" --sha256 "$hash" "${fast[@]}" &&
	same_hash "$work/o.bin" && curl -s "$P/_log" | grep -q 'range=bytes=' &&
	logged drop "resuming at byte" &&
	pass "fetch-http: connection dropped after 1 MB: resumed with Range, hash right" ||
	fail "fetch-http: drop/resume" "$(grep -a -m1 warning "$work/drop.log")"
rm -rf "$work/u"
run drop-unpack 0 "$P/drop=300000/root.tar.zst" - --unpack "$work/u" --key "$work/key.pub" "${fast[@]}" &&
	same_tree "$work/u" && pass "fetch-http: dropped connection during a streamed unpack: resumed" ||
	fail "fetch-http: drop during unpack" "tree differs"
run range200 0 "$P/drop-range200=1000000/rand.bin" "$work/o.bin" --sha256 "$hash" "${fast[@]}" &&
	same_hash "$work/o.bin" && logged range200 "restarting from byte 0" &&
	pass "fetch-http: Range answered with 200: clean restart from byte 0" ||
	fail "fetch-http: Range -> 200" "wrong bytes"
rm -rf "$work/u"
run range200-unpack 0 "$P/drop-range200=300000/root.tar.gz" - --unpack "$work/u" "${fast[@]}" &&
	same_tree "$work/u" && pass "fetch-http: Range answered with 200 during an unpack: clean restart" ||
	fail "fetch-http: Range -> 200 during unpack" "tree differs"
run badrange 0 "$P/drop-badrange=1000000/rand.bin" "$work/o.bin" --sha256 "$hash" "${fast[@]}" &&
	same_hash "$work/o.bin" && logged badrange "wrong Content-Range" &&
	pass "fetch-http: wrong Content-Range: restart from byte 0, no garbage appended" ||
	fail "fetch-http: wrong Content-Range" "wrong bytes"
run trickle 0 "$P/trickle/rand.bin" "$work/o.bin" --low-speed-time 2 --low-speed-limit 1000 "${fast[@]}" &&
	same_hash "$work/o.bin" && logged trickle "slower than 1000 bytes/s" &&
	pass "fetch-http: 1 byte/s: low-speed timeout, retry" || fail "fetch-http: trickle" "no low-speed abort"
run retry-after 0 "$P/503=2,1/rand.bin" "$work/o.bin" "${fast[@]}" && same_hash "$work/o.bin" &&
	[ "$(grep -ac 'HTTP 503 with Retry-After; try . of\|HTTP 503 with Retry-After; try' "$work/retry-after.log")" = 2 ] &&
	logged retry-after "in 1.0 s" &&
	pass "fetch-http: 503 with Retry-After: waits as told, then gets it" ||
	fail "fetch-http: 503 Retry-After" "$(grep -a 503 "$work/retry-after.log" | head -n 1)"
run wronglen 1 "$P/wronglen=1000/rand.bin" "$work/o4.bin" --sha256 "$hash" "${fast[@]}" &&
	[ ! -e "$work/o4.bin" ] && pass "fetch-http: Content-Length larger than the body: never accepted" ||
	fail "fetch-http: wrong Content-Length" "accepted"
run wronglen-mirror 0 "$P/wronglen=-1000/rand.bin" "$work/o.bin" --mirror "$N/rand.bin" \
	--key "$work/key.pub" "${fast[@]}" && same_hash "$work/o.bin" && logged wronglen-mirror "size changed" &&
	pass "fetch-http: Content-Length unlike the manifest: refused, next mirror" ||
	fail "fetch-http: wrong Content-Length + manifest" "$(grep -a ERROR "$work/wronglen-mirror.log" | head -n 1)"
run redirects 0 "$P/redirect=3/rand.bin" "$work/o.bin" && same_hash "$work/o.bin" &&
	pass "fetch-http: 3 relative redirects followed" || fail "fetch-http: redirects" "wrong bytes"
run redirect-loop 1 "$P/redirect-loop/rand.bin" "$work/o.bin" "${fast[@]}" && logged redirect-loop "more than 5 redirects" &&
	pass "fetch-http: redirect loop stops after 5" || fail "fetch-http: redirect loop" "not stopped"
run redirect-https 1 "$P/redirect-https/rand.bin" "$work/o.bin" "${fast[@]}" && logged redirect-https "refused" &&
	pass "fetch-http: redirect to another scheme refused" || fail "fetch-http: scheme change" "followed"

python3 tests/fetch/blackhole.py 60 > "$work/bh.port" &
pids+=($!)
for i in $(seq 30); do [ -s "$work/bh.port" ] && break; sleep 0.1; done
run connect-timeout 1 "http://127.0.0.1:$(cat "$work/bh.port")/x" "$work/o5.bin" --connect-timeout 1 "${fast[@]}" &&
	logged connect-timeout "Connection timed out; try 2/4" &&
	pass "fetch-http: connect timeout (SYNs dropped): logged, retried, gave up" ||
	fail "fetch-http: connect timeout" "$(grep -a -m1 warning "$work/connect-timeout.log")"

# ---- archive safety over the wire ----
for a in "$www"/*.tar "$www"/*.cpio; do
	n=$(basename "$a")
	case $n in root.tar) continue ;; esac
	rm -rf "$work/outside" "$work/t"
	mkdir -p "$work/outside"
	echo victim > "$work/outside/victim"
	"${FETCH[@]}" "$N/$n" - --unpack "$work/t" > "$work/trav.log" 2>&1
	rc=$?
	if [ "$(ls -A "$work/outside")" != victim ] || [ "$(stat -c %h "$work/outside/victim")" != 1 ] ||
	   [ "$(cat "$work/outside/victim")" != victim ]; then
		fail "fetch-http: traversal $n" "something landed outside the target"
	elif [ "$n" = symlink-file.tar ]; then
		[ "$rc" = 0 ] && [ -f "$work/t/f" ] && [ ! -L "$work/t/f" ] &&
			pass "fetch-http: traversal $n: the symlink is replaced, never written through" ||
			fail "fetch-http: traversal $n" "rc=$rc"
	elif [ "$rc" != 0 ] && [ ! -e "$work/t" ]; then
		pass "fetch-http: traversal $n refused, nothing outside, nothing kept"
	else
		fail "fetch-http: traversal $n" "accepted (rc=$rc)"
	fi
done

# ---- memory / space check before the first byte ----
mkdir -p "$work/small"
if mount -t tmpfs -o size=2m tmpfs "$work/small" 2>/dev/null; then
	run too-big 1 "$N/rand.bin" "$work/small/o.bin" &&
		logged too-big "needs 6 MiB but only" && [ ! -e "$work/small/o.bin.part" ] &&
		pass "fetch-http: image larger than the space: refused before the first byte, with numbers" ||
		fail "fetch-http: space check" "$(grep -a ERROR "$work/too-big.log" | head -n 1)"
	umount "$work/small"
else
	fail "fetch-http: space check" "cannot run: tmpfs mount failed"
fi

[ "$fails" = 0 ]
