#!/bin/bash
# VM tests: a RAM root from a compressed filesystem image, /usr from NFS.
# The classic diskless recipe: an ext3 image compressed with gzip
# (rootfs.gz), decompressed into RAM while downloading and loop-mounted,
# /usr mounted read-only from the master, a sized tmpfs (netinit.mount=).
# Also a zstd'd ext4 image over TFTP mounted read-write (rw
# netinit.writable=none), an xz'd ext4 image over HTTP (CONFIG_XZ), and
# live-boot's boot=live fetch=<url>.
# nginx and nfs-ganesha run in a network namespace made for the test with
# QEMU, so the guest's 10.0.2.2 (QEMU user networking) is that namespace's
# loopback; TFTP is QEMU's own server (tftp=DIR).  Nothing leaves it.
#   RAM_CASES="name ..."  run only these cases
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
T0=$(date +%s)

cannot() { echo "FAIL: ram: cannot run: $*"; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
for t in nginx ganesha.nfsd rpcbind mksquashfs mkfs.ext4 zstd gzip xz ip unshare; do
	command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
done

tmp=$(mktemp -d /tmp/netinit-vmram.XXXXXX)
chmod 755 "$tmp"
ns=netinit-vmram-$$
www=$tmp/www
cleanup() {
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	sleep 0.3
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$www/live" "$tmp/usr/share" "$tmp/recovery"
bash test-vm/mkroot.sh "$tmp/tree" || cannot "mkroot failed"
echo "ram-image" > "$tmp/tree/etc/netinit-test-root"
echo "usr-from-nfs" > "$tmp/usr/share/netinit-usr-mark"
mkdir -p "$tmp/tree/scratch"
# What this test asserts, printed by the root's init before it powers off.
sed -i 's|^m "done"$|grep -E " /(usr\|scratch) " /proc/self/mountinfo \| sed "s/^/NETINIT-TEST mountinfo /"\
[ -f /usr/share/netinit-usr-mark ] \&\& m "usrmark=$(cat /usr/share/netinit-usr-mark)"\
echo x 2>/dev/null > /rw-probe \&\& m "root-writable=yes" \|\| m "root-writable=no"\
m "done"|' "$tmp/tree/sbin/init"
grep -q 'usrmark' "$tmp/tree/sbin/init" || cannot "could not extend the test root's init"
mke2fs -q -F -t ext3 -d "$tmp/tree" "$tmp/rootfs.ext3" 24M || cannot "mke2fs ext3 failed"
gzip -c "$tmp/rootfs.ext3" > "$www/rootfs.gz"
mke2fs -q -F -t ext4 -d "$tmp/tree" "$tmp/rootfs.ext4" 24M || cannot "mke2fs ext4 failed"
zstd -q -c "$tmp/rootfs.ext4" > "$www/rootfs.ext4.zst"
xz -T1 -c "$tmp/rootfs.ext4" > "$www/rootfs.ext4.xz"
sed -i 's|^ram-image$|live-image|' "$tmp/tree/etc/netinit-test-root"
mksquashfs "$tmp/tree" "$www/live/filesystem.squashfs" -quiet -noappend >/dev/null || cannot "mksquashfs failed"

vm_nginx_conf "$tmp/nginx.conf" "$tmp" "$www"
vm_ganesha_conf "$tmp/ganesha.conf" "$tmp/recovery" "$tmp/usr"
ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up
ip netns exec "$ns" nginx -c "$tmp/nginx.conf" -p "$tmp" || cannot "nginx did not start"
vm_ns_servers_script "$tmp/servers.sh" "$tmp/ganesha.conf" "$tmp"

want() { [ -z "${RAM_CASES:-}" ] || [[ " $RAM_CASES " == *" $1 "* ]]; }
# case_vm NAME TIMEOUT APPEND [netdev extra]: the servers and QEMU in one private /run (rpcbind)
case_vm() {
	ip netns exec "$ns" unshare -m --propagation private env VM_NETDEV_EXTRA="${4:-}" bash -c \
		"bash $tmp/servers.sh || exit \$?; source test-vm/lib.sh; vm_run '$1' '$2' '$3'; kill \$(cat $tmp/ganesha.pid) 2>/dev/null; rm -f $tmp/ganesha.pid; sleep 0.3"
}
U=http://10.0.2.2:8080
base="ip=dhcp panic=1 rd.timeout=30"

if want gz-ext3-http; then
	n=ram-gz-ext3-http
	case_vm $n 240 "root=$U/rootfs.gz netinit.mount=10.0.2.2:$tmp/usr:/usr:nfs:ro,vers=3 netinit.mount=tmpfs:/scratch:tmpfs:size=16m,mode=0750 $base"
	vm_expect $n 'netinit fetch: .*rootfs.gz: [0-9]+ bytes in .*gzip ext4 image: 25165824 bytes decompressed into RAM' "a gzip'd ext3 image is decompressed into RAM while downloading"
	vm_expect $n 'netinit mount: .*\(ext4\) on /dev/loop[0-9]+ mounted read-only' "and loop-mounted"
	vm_expect $n 'NETINIT-TEST rootmark=ram-image' "the root is the image"
	vm_expect $n 'NETINIT-TEST root=overlay / overlay' "with the volatile layer on top"
	vm_expect $n 'netinit nfs: mounted 10.0.2.2:.*/usr with NFSv3 on /newroot/usr' "netinit.mount= mounts /usr from NFS (NFSv3 as asked)"
	vm_expect $n 'NETINIT-TEST mountinfo .* /usr ro[, ].* - nfs 10.0.2.2:[^ ]*/usr ro,.*vers=3' "the booted system sees /usr read-only over NFS in /proc/self/mountinfo"
	vm_expect $n 'NETINIT-TEST usrmark=usr-from-nfs' "and reads the master's /usr"
	vm_expect $n 'NETINIT-TEST mountinfo .* /scratch rw,.* - tmpfs tmpfs rw,.*size=16384k,.*mode=750' "a tmpfs with the size asked"
fi
if want zst-ext4-tftp-rw; then
	n=ram-zst-ext4-tftp-rw
	case_vm $n 300 "root=tftp://10.0.2.2/rootfs.ext4.zst rw netinit.writable=none $base" ",tftp=$www"
	vm_expect $n 'netinit fetch: tftp://10.0.2.2/rootfs.ext4.zst: [0-9]+ bytes in .*zstd ext4 image: 25165824 bytes decompressed' "a zstd'd ext4 image over TFTP is decompressed into RAM"
	vm_expect $n 'netinit mount: .*\(ext4\) on /dev/loop[0-9]+ mounted read-write at /newroot' "rw netinit.writable=none: the image is mounted read-write"
	vm_expect $n 'NETINIT-TEST root=/dev/loop[0-9]+ / ext4 rw' "the booted root is a read-write ext mount"
	vm_expect $n 'NETINIT-TEST root-writable=yes' "and it can be written"
fi
if want gz-ext3-tftp; then
	n=ram-gz-ext3-tftp
	case_vm $n 300 "root=tftp://10.0.2.2/rootfs.gz $base" ",tftp=$www"
	vm_expect $n 'gzip ext4 image: 25165824 bytes decompressed' "a gzip'd ext3 image over TFTP"
	vm_expect $n 'NETINIT-TEST rootmark=ram-image' "boots"
fi
if want zst-ext4-http; then
	n=ram-zst-ext4-http
	case_vm $n 240 "root=$U/rootfs.ext4.zst $base"
	vm_expect $n 'zstd ext4 image: 25165824 bytes decompressed' "a zstd'd ext4 image over HTTP"
	vm_expect $n 'NETINIT-TEST rootmark=ram-image' "boots"
fi
if want xz-ext4-http; then
	n=ram-xz-ext4-http
	case_vm $n 240 "root=$U/rootfs.ext4.xz $base"
	vm_expect $n 'netinit fetch: .*rootfs.ext4.xz: [0-9]+ bytes in .*xz ext4 image: 25165824 bytes decompressed into RAM' "an xz'd ext4 image over HTTP is decompressed into RAM while downloading"
	vm_expect $n 'NETINIT-TEST rootmark=ram-image' "boots"
	vm_expect $n 'NETINIT-TEST root=overlay / overlay' "with the volatile layer on top"
fi
if want live-boot; then
	n=ram-live-boot
	case_vm $n 240 "boot=live fetch=$U/live/filesystem.squashfs ip=dhcp panic=1"
	vm_expect $n 'netinit fetch: .*live/filesystem.squashfs: [0-9]+ bytes in' "live-boot's fetch= is downloaded into RAM"
	vm_expect $n 'NETINIT-TEST rootmark=live-image' "a live-boot line boots unchanged"
	vm_expect $n 'NETINIT-TEST root=overlay / overlay' "with a tmpfs overlay, as live-boot does"
fi
echo "note: test-ram took $(($(date +%s) - T0)) s" >&2
vm_result
