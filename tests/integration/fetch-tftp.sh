#!/bin/bash
# Integration tests of the TFTP fetch: tftpd-hpa run by hand on a loopback
# port (-L, not the system service) for interoperability, and the
# fault-injecting tests/fetch/tftpd.py for lost packets, foreign transfer
# IDs, bad OACKs, option refusal, windowsize and block number wrap.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/fetch/lib.sh
trap fetch_cleanup EXIT
trap 'exit 1' INT TERM
pick_fetch

[ -x /usr/sbin/in.tftpd ] || { echo "FAIL: fetch-tftp: cannot run: tftpd-hpa not installed"; exit 1; }
[ -x "${FETCH[0]}" ] || { echo "FAIL: fetch-tftp: cannot run: build/netinit-fetch not built"; exit 1; }

root=$work/tftp
mkdir -p "$root" "$work/tree"
head -c $((3 * 1024 * 1024 + 77)) /dev/urandom > "$root/rand.bin"
head -c $((65536 * 512 + 4096)) /dev/urandom > "$root/wrap.bin"   # > 65535 blocks of 512
head -c 1100000 /dev/urandom > "$root/wrap16.bin"                  # > 65535 blocks of 16
: > "$root/empty.bin"
head -c 1468 /dev/urandom > "$root/exact.bin"                       # one full block + empty one
make_tree "$work/tree"
(cd "$work/tree" && find . | cpio -o -H newc 2>/dev/null) | zstd -q -o "$root/root.cpio.zst"

hpa_port=$(free_port SOCK_DGRAM)
/usr/sbin/in.tftpd -L -a "127.0.0.1:$hpa_port" -s "$root" -B 65464 2>"$work/hpa.log" &
pids+=($!)
py_port=$(free_port SOCK_DGRAM)
python3 tests/fetch/tftpd.py "$py_port" "$root" "$work/pytftp.log" 2>"$work/pytftp.err" &
pids+=($!)
sleep 0.5
H=tftp://127.0.0.1:$hpa_port
Y=tftp://127.0.0.1:$py_port
fast=(--tftp-timeout-ms 300 --tries 2 --rounds 1 --backoff-ms 100 --seed 0)

check() { # name url file [args...]
	local name=$1 url=$2 file=$3; shift 3
	rm -f "$work/o.bin"
	if ! timeout 120 "${FETCH[@]}" "$url" "$work/o.bin" "${fast[@]}" "$@" > "$work/$name.log" 2>&1; then
		fail "fetch-tftp: $name" "$(grep -a ERROR "$work/$name.log" | head -n 2 | tr '\n' ' ')"
		return 1
	fi
	cmp -s "$work/o.bin" "$root/$file" || { fail "fetch-tftp: $name" "wrong bytes"; return 1; }
}

check hpa "$H/rand.bin" rand.bin --debug && grep -aq 'blksize 1468 windowsize 1 tsize' "$work/hpa.log" &&
	pass "fetch-tftp: tftpd-hpa: blksize + tsize negotiated, no windowsize: window 1"
check hpa-wrap "$H/wrap.bin" wrap.bin --blksize 512 &&
	pass "fetch-tftp: tftpd-hpa: 65536+ blocks of 512, block numbers wrap to 0"
check hpa-empty "$H/empty.bin" empty.bin && pass "fetch-tftp: empty file"
check hpa-exact "$H/exact.bin" exact.bin && pass "fetch-tftp: file of exactly one block (empty last block)"
rm -rf "$work/u"
timeout 60 "${FETCH[@]}" "$H/root.cpio.zst" - --unpack "$work/u" > "$work/unpack.log" 2>&1 &&
	diff -r -x dev "$work/tree" "$work/u" >/dev/null &&
	pass "fetch-tftp: cpio.zst unpacked while downloading over TFTP" ||
	fail "fetch-tftp: unpack" "$(tail -n 1 "$work/unpack.log")"
timeout 60 "${FETCH[@]}" "$H/nope.bin" "$work/o.bin" "${fast[@]}" > "$work/nf.log" 2>&1
grep -aq 'TFTP error 1' "$work/nf.log" && ! grep -aq 'try 2' "$work/nf.log" &&
	pass "fetch-tftp: file not found: error 1, no retries" || fail "fetch-tftp: not found" "retried or no reason"

check window "$Y/rand.bin" rand.bin --windowsize 16 --debug &&
	grep -aq 'windowsize 16' "$work/window.log" && pass "fetch-tftp: windowsize 16 (RFC 7440)"
check lost "$Y/drop=5/rand.bin" rand.bin --windowsize 8 && grep -q 'dropped block 5' "$work/pytftp.log" &&
	pass "fetch-tftp: lost DATA packet in a window: re-ACK, retransmitted, bytes right"
check lost-w1 "$Y/drop=9/rand.bin" rand.bin --windowsize 1 &&
	pass "fetch-tftp: lost DATA packet with window 1: timeout, re-ACK"
check foreign "$Y/foreign=7/rand.bin" rand.bin && grep -q 'foreign-error5' "$work/pytftp.log" &&
	pass "fetch-tftp: packet from a foreign port: ERROR 5 sent to it, transfer unharmed" ||
	fail "fetch-tftp: foreign TID" "no ERROR 5 seen by the foreign port"
check nooack "$Y/nooack/rand.bin" rand.bin && pass "fetch-tftp: server ignoring options: 512-byte blocks"
check err8 "$Y/err8/rand.bin" rand.bin && grep -aq 'retrying without them' "$work/err8.log" &&
	pass "fetch-tftp: ERROR 8 to our options: falls back to a plain request"
check wrap1 "$Y/wrap1/wrap16.bin" wrap16.bin --blksize 16 --windowsize 32 &&
	pass "fetch-tftp: 65536+ blocks, server wrapping to 1"
check wrap0 "$Y/wrap16.bin" wrap16.bin --blksize 16 --windowsize 32 &&
	pass "fetch-tftp: 65536+ blocks with a window, wrapping to 0"
for bad in badoack badopt; do
	timeout 60 "${FETCH[@]}" "$Y/$bad/rand.bin" "$work/o.bin" "${fast[@]}" > "$work/$bad.log" 2>&1
	if [ $? != 0 ] && grep -aqE 'OACK' "$work/$bad.log" && grep -q 'client error 8' "$work/pytftp.log"; then
		pass "fetch-tftp: $bad: aborted with a reason, ERROR 8 sent"
	else
		fail "fetch-tftp: $bad" "accepted, or no reason"
	fi
done

[ "$fails" = 0 ]
