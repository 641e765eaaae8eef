#!/bin/bash
# Time to root for the classic recipe's gzip'd ext3 image (decompressed into
# RAM while downloading, loop-mounted) against the same tree as squashfs (and
# as a zstd'd ext4), all over HTTP.  The server is a one-off HTTP server on
# a free port of host loopback (the guest's 10.0.2.2 with QEMU user
# networking; nothing leaves the host).  The tree: the busybox test root plus
# /usr/lib/python3 of this host as payload (real files, compressible as a
# root is).  Measured: /proc/uptime as read by the root's first process.
# Median of BENCH_RUNS (3).  stdout: a markdown section.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. bench/lib.sh
RUNS=${BENCH_RUNS:-3}
BDIR=$BUILD/bench
mkdir -p "$BDIR"
say() { echo "bench/images: $*" >&2; }
for t in mksquashfs mke2fs gzip zstd python3; do command -v $t >/dev/null || { say "$t missing"; exit 1; }; done
[ -r "$VM_INITRD" ] || { say "$VM_INITRD missing (make initramfs)"; exit 1; }
cp "$VM_INITRD" "$BDIR/images-netinit.img" && VM_INITRD=$BDIR/images-netinit.img

tmp=$(mktemp -d /tmp/netinit-benchimg.XXXXXX)
srv_pid=
trap '[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
bash test-vm/mkroot.sh "$tmp/tree" >/dev/null || { say "mkroot failed"; exit 1; }
sed -i 's|^m "pid=\$\$"$|m "pid=$$"; m "uptime=$(cut -d" " -f1 /proc/uptime)"|' "$tmp/tree/sbin/init"
mkdir -p "$tmp/tree/usr/lib" && cp -a /usr/lib/python3 "$tmp/tree/usr/lib/" 2>/dev/null
mb=$(( $(du -sm "$tmp/tree" | cut -f1) * 13 / 10 + 8 ))
mkdir -p "$tmp/www"
mke2fs -q -F -t ext3 -d "$tmp/tree" "$tmp/root.ext3" "${mb}M" >/dev/null && gzip -c "$tmp/root.ext3" > "$tmp/www/rootfs.gz"
mke2fs -q -F -t ext4 -d "$tmp/tree" "$tmp/root.ext4" "${mb}M" >/dev/null && zstd -q -c "$tmp/root.ext4" > "$tmp/www/rootfs.ext4.zst"
mksquashfs "$tmp/tree" "$tmp/www/root.squashfs" -quiet -noappend >/dev/null
rm -f "$tmp/root.ext3" "$tmp/root.ext4"

# The server: binds port 0 on 127.0.0.1, prints the port it got.
python3 - "$tmp/www" > "$tmp/port" 2>/dev/null <<'PY' &
import http.server, functools, socketserver, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.log_message = lambda *a: None
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
s = S(("127.0.0.1", 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
srv_pid=$!
for i in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
[ -n "$port" ] || { say "the HTTP server did not start"; exit 1; }

rc=0
declare -A T
{
	echo "## Compressed ext image vs squashfs: time to root over HTTP"
	echo
	echo "QEMU TCG, kernel $KVER, 1 GiB guest, median of $RUNS boots; the tree is ${mb} MiB as ext."
	echo
	echo "| image | served | time to root (s) | runs (s) | vs squashfs |"
	echo "|---|---|---|---|---|"
	for f in root.squashfs rootfs.gz rootfs.ext4.zst; do
		ts=()
		for r in $(seq "$RUNS"); do
			n=images-${f//./-}-$r
			vm_run "$n" 300 "root=http://10.0.2.2:$port/$f ip=dhcp panic=1 quiet"
			ts+=("$(grep -a -m1 'NETINIT-TEST uptime=' "$(vm_log "$n")" | sed 's/.*uptime=//; s/\r//')")
		done
		runs=$(printf '%s ' "${ts[@]}" | tr -s ' ')
		t=$(printf '%s\n' "${ts[@]}" | grep . | median) ||
			{ t="failed: the root never reported its uptime in $RUNS boots (build/vm/images-${f//./-}-*.log)"; rc=1; }
		T[$f]=$t
		echo "| $f | $(( $(stat -c %s "$tmp/www/$f") / 1024 )) KiB | $t | ${runs:--} | $(ratio "$t" "${T[root.squashfs]}") |"
	done
	exit $rc
} | tee "$BDIR/images.md"
exit "${PIPESTATUS[0]}"
