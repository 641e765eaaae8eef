#!/bin/bash
# VM tests: URL roots.  nginx serves signed images and archives inside a
# network namespace made for the test; QEMU runs in the same namespace, so
# the guest's 10.0.2.2 (QEMU user networking) is that namespace's loopback
# and nothing leaves it.  TFTP uses QEMU's built-in server (tftp=DIR).
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh

cannot() { echo "FAIL: fetch: cannot run: $*"; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace)"
for t in nginx mksquashfs zstd cpio ip; do command -v $t >/dev/null || cannot "$t missing"; done
[ -x "$BUILD/netinit-sign" ] || cannot "$BUILD/netinit-sign not built (make)"

tmp=$(mktemp -d /tmp/netinit-vmfetch.XXXXXX)
chmod 755 "$tmp"
ns=netinit-vmfetch-$$
www=$tmp/www
cleanup() {
	[ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
	sleep 0.3
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$www"
bash test-vm/mkroot.sh "$tmp/tree" || cannot "mkroot failed"
echo "served-over-http" > "$tmp/tree/etc/netinit-test-root"
mksquashfs "$tmp/tree" "$www/root.squashfs" -quiet -noappend >/dev/null || cannot "mksquashfs failed"
(cd "$tmp/tree" && find . | cpio -o -H newc 2>/dev/null) | zstd -q -o "$www/root.cpio.zst"
mkdir -p "$www/node7"
cp "$www/root.cpio.zst" "$www/node7/root.cpio.zst"
(cd "$tmp/tree" && tar -czf "$www/root.tar.gz" --owner=0 --group=0 .)
# An image larger than the guest's RAM (sparse: costs no disk here).
truncate -s 3G "$www/huge.squashfs"
"$BUILD/netinit-sign" keygen "$tmp/site" >/dev/null
# A second key the node does not trust: its signature must not be accepted.
"$BUILD/netinit-sign" keygen "$tmp/other" >/dev/null
cp "$www/root.squashfs" "$www/evil.squashfs"
"$BUILD/netinit-sign" sign "$www/evil.squashfs" --key "$tmp/other.sec" >/dev/null
for f in root.squashfs root.cpio.zst; do "$BUILD/netinit-sign" sign "$www/$f" --key "$tmp/site.sec" >/dev/null; done
key=$(cut -d' ' -f2 "$tmp/site.pub")
good=$(sha256sum < "$www/root.cpio.zst" | cut -d' ' -f1)
bad=$(printf '%064d' 0)

cat > "$tmp/nginx.conf" <<EOC
daemon on;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http { access_log off; server { listen 127.0.0.1:8080; root $www; } }
EOC
ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up
ip netns exec "$ns" nginx -c "$tmp/nginx.conf" -p "$tmp" || cannot "nginx did not start"

case_vm() { # name timeout append [extra netdev options]
	ip netns exec "$ns" env VM_NETDEV_EXTRA="${4:-}" bash -c \
		"source test-vm/lib.sh; vm_run '$1' '$2' '$3'"
}
U=http://10.0.2.2:8080
base="ip=dhcp panic=1 rd.timeout=60"

case_vm fetch-squashfs 240 "root=$U/root.squashfs netinit.key=$key $base"
n=fetch-squashfs
vm_expect $n 'netinit verify: .*good signature' "the signed manifest is checked against netinit.key="
vm_expect $n 'netinit verify: .*sha256 [0-9a-f]{64} verified' "the image hash is verified before the mount"
vm_expect $n 'netinit mount: .*\(squashfs\) on /dev/loop[0-9]+ mounted read-only' "squashfs detected by magic and loop-mounted"
vm_expect $n 'NETINIT-TEST rootmark=served-over-http' "the root is the downloaded image"
vm_expect $n 'NETINIT-TEST root=overlay / overlay' "a volatile overlay makes it writable"
vm_expect $n 'NETINIT-TEST pid=1\b' "the real init runs as PID 1"

case_vm fetch-live 240 "root=live:$U/%h/root.cpio.zst netinit.sha256=$good $base" ",hostname=node7"
n=fetch-live
vm_expect $n 'netinit fetch: .*node7/root.cpio.zst: downloading' "dracut's live: prefix, %h expanded from the DHCP host name"
vm_expect $n 'zstd archive: [0-9]+ entries' "the cpio.zst archive is unpacked while downloading"
vm_expect $n 'netinit.sha256 pin' "the sha256 pin is checked"
vm_expect $n 'NETINIT-TEST rootmark=served-over-http' "the root is the unpacked archive"
vm_expect $n 'NETINIT-TEST root=[^ ]+ / tmpfs' "an archive root is a tmpfs"

case_vm fetch-tftp 300 "root=tftp://10.0.2.2/root.cpio.zst $base" ",tftp=$www"
n=fetch-tftp
vm_expect $n 'netinit fetch: tftp://10.0.2.2/root.cpio.zst: [0-9]+ bytes in' "TFTP transfer from QEMU's TFTP server"
vm_expect $n 'NETINIT-TEST rootmark=served-over-http' "the root came over TFTP"

case_vm fetch-dhcp 300 "root=dhcp $base" ",tftp=$www,bootfile=root.cpio.zst"
n=fetch-dhcp
vm_expect $n 'netinit fetch: root from DHCP: tftp://10.0.2.2/root.cpio.zst' "root=dhcp: next-server + boot file name from the lease"
vm_expect $n 'NETINIT-TEST rootmark=served-over-http' "the root named by DHCP is booted"

case_vm fetch-mirror 240 "root=http://10.0.2.2:8081/root.squashfs netinit.mirror=$U/root.squashfs netinit.key=$key rd.retry=1 $base"
n=fetch-mirror
vm_expect $n 'NETINIT-TEST rootmark=served-over-http' "a dead first mirror: the next one serves the root"

case_vm fetch-badpin 180 "root=$U/root.cpio.zst netinit.sha256=$bad netinit.onfail=poweroff $base"
n=fetch-badpin
vm_expect $n "netinit verify: .*expected $bad, got $good" "a wrong pin fails with expected and actual hashes"
vm_reject $n 'NETINIT-TEST pid=1' "an unverified root is never booted"

case_vm fetch-badkey 180 "root=$U/root.squashfs netinit.key=AAAA netinit.onfail=poweroff $base"
n=fetch-badkey
vm_expect $n 'netinit verify: .*netinit.key=AAAA' "a malformed key refuses the boot"
vm_reject $n 'NETINIT-TEST pid=1' "a malformed key never means 'no check'"

case_vm fetch-targz 240 "root=$U/root.tar.gz $base"
n=fetch-targz
vm_expect $n 'netinit fetch: .*root.tar.gz: [0-9]+ bytes in .*gzip archive: [0-9]+ entries' "a tar.gz archive is unpacked into tmpfs while downloading"
vm_expect $n 'NETINIT-TEST root=[^ ]+ / tmpfs' "the root is the tmpfs it was unpacked into"
vm_expect $n 'NETINIT-TEST rootmark=served-over-http' "and it boots"

case_vm fetch-badsig 180 "root=$U/evil.squashfs netinit.key=$key netinit.onfail=poweroff $base"
n=fetch-badsig
vm_expect $n 'netinit verify: .*evil.squashfs.manifest: rejected: ' "a manifest signed by an untrusted key is rejected, with the reason"
vm_reject $n 'netinit mount: .*mounted read-only' "nothing is mounted"
vm_reject $n 'NETINIT-TEST pid=1' "and it does not boot"

case_vm fetch-toobig 180 "root=$U/huge.squashfs netinit.onfail=poweroff $base"
n=fetch-toobig
vm_expect $n 'netinit fetch: .*huge.squashfs: needs 3072 MiB but only [0-9]+ MiB are available: refused before the first byte' "an image larger than RAM is refused before the download, with numbers"
vm_reject $n 'NETINIT-TEST pid=1' "and nothing boots"

vm_result
