#!/bin/bash
# VM test: netinit.mount= on the real Debian root (systemd).  The Debian
# bookworm root of test-vm/debroot.sh boots from NFS (nfs-ganesha in a
# network namespace, as test-debian.sh) with two extra mounts:
#   netinit.mount=10.0.2.2:<share>:/srv/share:nfs:ro,vers=3,...   a shared read-only export
#   netinit.mount=tmpfs:/scratch:tmpfs:size=64m                    a sized tmpfs
# and asserts in the booted system: both in /proc/self/mountinfo with the
# options asked, no failed unit and state "running", the .mount units systemd
# made for them active, and `systemctl poweroff` ends QEMU within a bound
# with no "nfs: server not responding".  Two boots, the two ways
# doc/boot.md ("What /etc/fstab should say") allows:
#   deb-mnt-nofstab   the image's fstab does not list them
#   deb-mnt-fstab     it lists them as mounted, with nofail (and _netdev)
# The root is a hard-linked copy of build/debian/root (cp -al: only /etc/fstab
# and the test's own report unit are new files; the cache is not changed).
#   DEBMNT_CASES="deb-mnt-fstab"  run only these boots
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
T0=$(date +%s)

cannot() { echo "FAIL: debian-mounts: cannot run: $*"; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
for t in debootstrap mksquashfs ganesha.nfsd rpcbind ip unshare qemu-system-x86_64 bc; do
	command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
done
[ -r "$VM_INITRD" ] || cannot "$VM_INITRD not built (make initramfs)"
bash test-vm/debroot.sh || cannot "test-vm/debroot.sh failed"

tmp=$(mktemp -d /tmp/netinit-vmdebmnt.XXXXXX)
chmod 755 "$tmp"
ns=netinit-vmdebmnt-$$
cleanup() {
	[ -f "$tmp/ganesha.pid" ] && kill "$(cat "$tmp/ganesha.pid")" 2>/dev/null
	sleep 0.5
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

pass() { echo "PASS: $1: $2"; }
fail() { echo "FAIL: $1: $2"; vm_failures=$((vm_failures + 1)); }

# ---- the roots: hard-linked copies with the test's report unit ----
share=$tmp/share
mkdir -p "$share" "$tmp/recovery"
echo "shared-over-nfs" > "$share/marker"
nfsopt="vers=3,port=2049,mountport=20048,mountproto=tcp"
# mkroot DIR FSTAB-LINES: the cached tree, hard-linked, with new files only
mkroot() {
	local r=$1
	cp -al "$PWD/$BUILD/debian/root" "$r" || cannot "cp -al of the Debian root failed"
	rm -f "$r/etc/fstab"
	{ echo "# netinit test root (test-vm/test-debian-mounts.sh)"; printf '%s\n' "$2"; } > "$r/etc/fstab"
	cat > "$r/usr/local/sbin/debmnt-report" <<'EOC'
#!/bin/sh
# After the boot finished: what systemd made of netinit.mount=, then poweroff.
exec > /dev/ttyS1 2>&1
m() { sed "s/^/DEBMNT $1: /"; }
echo "DEBMNT state: $(timeout 300 systemctl is-system-running --wait)"
systemctl --failed --no-legend --plain | m failed
echo "DEBMNT failed-count: $(systemctl --failed --no-legend --plain | wc -l)"
for u in $(systemctl --failed --no-legend --plain | cut -d' ' -f1); do journalctl -b -u "$u" --no-pager | tail -n 10 | m "failed-log $u"; done
awk '$5 == "/srv/share" || $5 == "/scratch" { print $5, $9, $10, $6, $NF }' /proc/self/mountinfo | m mountinfo
for u in srv-share.mount scratch.mount; do
	echo "$u $(systemctl is-active $u) $(systemctl show -p SourcePath --value $u)" | m unit
done
echo "marker $(cat /srv/share/marker)" | m share
journalctl -b --no-pager | grep -aE 'srv-share|scratch' | tail -n 10 | m journal
echo "DEBMNT poweroff: at $(cut -d' ' -f1 /proc/uptime)"
systemctl poweroff
EOC
	chmod 755 "$r/usr/local/sbin/debmnt-report"
	cat > "$r/etc/systemd/system/debmnt-report.service" <<'EOC'
[Unit]
Description=netinit test: report the extra mounts on ttyS1, then power off
After=multi-user.target

[Service]
Type=simple
ExecStart=/usr/local/sbin/debmnt-report
EOC
	mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
	ln -sf /etc/systemd/system/debmnt-report.service "$r/etc/systemd/system/multi-user.target.wants/"
}

# The fstab of doc/boot.md: the same source, type and options as mounted, nofail, _netdev for NFS.
fstab_lines="10.0.2.2:$share /srv/share nfs ro,$nfsopt,nolock,_netdev,nofail 0 0
tmpfs /scratch tmpfs size=64m,nofail 0 0"
mkroot "$tmp/root-nofstab" ""
mkroot "$tmp/root-fstab" "$fstab_lines"

vm_ganesha_conf "$tmp/ganesha.conf" "$tmp/recovery" "$tmp/root-nofstab" "$tmp/root-fstab" "$share"
vm_ns_servers_script "$tmp/servers.sh" "$tmp/ganesha.conf" "$tmp"
ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up

rep() { sed -n "s/^DEBMNT $2: //p" "$VM_DIR/$1-report.log" | tr -d '\r'; }

check() { # NAME FSTAB(yes|no)
	local n=$1 fst=$2 r=$1-report mi t1 t2 bound=120
	vm_expect "$n" "netinit mount: mounted tmpfs on /scratch \\(tmpfs, size=64m\\)" "netinit mounted the tmpfs"
	vm_expect "$n" "netinit nfs: mounted 10.0.2.2:$share with NFSv3 on /newroot/srv/share" "netinit mounted the share (NFSv3)"
	vm_expect "$r" '^DEBMNT state: running' "systemctl is-system-running: running"
	vm_expect "$r" '^DEBMNT failed-count: 0' "systemctl --failed lists no unit"
	mi=$(rep "$n" mountinfo)
	if echo "$mi" | grep -qE "^/srv/share nfs 10\.0\.2\.2:$share ro,.*vers=3.*timeo=50.*retrans=2"; then
		pass "$n" "/srv/share is in /proc/self/mountinfo: nfs, read-only, vers=3, timeo=50,retrans=2"
	else fail "$n" "/srv/share not in mountinfo as asked (got: ${mi:-nothing})"; fi
	if echo "$mi" | grep -qE '^/scratch tmpfs tmpfs [a-z,]*rw.*size=65536k'; then
		pass "$n" "/scratch is in /proc/self/mountinfo: tmpfs, size=64m (65536k)"
	else fail "$n" "/scratch not in mountinfo as asked (got: ${mi:-nothing})"; fi
	vm_expect "$r" '^DEBMNT share: marker shared-over-nfs' "the share's file is readable in the booted system"
	if [ "$fst" = yes ]; then
		vm_expect "$r" '^DEBMNT unit: srv-share.mount active /etc/fstab' "srv-share.mount (from /etc/fstab) is active, not mounted twice or failed"
		vm_expect "$r" '^DEBMNT unit: scratch.mount active /etc/fstab' "scratch.mount (from /etc/fstab) is active"
	else
		vm_expect "$r" '^DEBMNT unit: srv-share.mount active *$' "srv-share.mount (adopted from mountinfo) is active"
		vm_expect "$r" '^DEBMNT unit: scratch.mount active *$' "scratch.mount (adopted from mountinfo) is active"
	fi
	vm_expect "$n" 'reboot: Power down' "systemctl poweroff completes (the kernel's last message)"
	if [ "$BOOT_RC" = 0 ]; then pass "$n" "QEMU exited by itself after systemctl poweroff"
	else fail "$n" "QEMU did not exit after systemctl poweroff (rc $BOOT_RC)"; fi
	vm_reject "$n" 'nfs: server .* not responding' "no 'nfs: server not responding' on the console"
	vm_reject "$n" 'Failed to unmount|Failed unmounting' "systemd unmounted everything at shutdown"
	t1=$(rep "$n" poweroff | sed -n 's/^at \([0-9.]*\)$/\1/p' | head -n1)
	t2=$(vm_text "$n" | sed -n 's/^\[ *\([0-9.]*\)\] reboot: Power down.*/\1/p' | head -n1)
	if [ -n "$t1" ] && [ -n "$t2" ] && [ "$(echo "$t2 - $t1 < $bound" | bc)" = 1 ]; then
		pass "$n" "systemctl poweroff took $(echo "$t2 - $t1" | bc) s (bound $bound s)"
	else fail "$n" "systemctl poweroff: no end within $bound s (start ${t1:-?}, kernel's last line ${t2:-?})"; fi
}

want() { [ -z "${DEBMNT_CASES:-}" ] || [[ " $DEBMNT_CASES " == *" $1 "* ]]; }
common="ip=dhcp panic=1 rd.timeout=60 init=/usr/local/sbin/debtest-init debtest.net=networkd"
mounts="netinit.mount=10.0.2.2:$share:/srv/share:nfs:ro,$nfsopt netinit.mount=tmpfs:/scratch:tmpfs:size=64m"
for c in nofstab fstab; do
	n=deb-mnt-$c
	want $n || continue
	t=$(date +%s)
	nfs3="root=/dev/nfs nfsroot=10.0.2.2:$tmp/root-$c,$nfsopt"
	vm_ns_boot "$ns" "$tmp/servers.sh" "$n" 900 1024 "$nfs3 $mounts $common"
	echo "note: $n: QEMU ran $(($(date +%s) - t)) s (rc $BOOT_RC)"
	check "$n" "$([ $c = fstab ] && echo yes || echo no)"
done
echo "note: test-debian-mounts took $(($(date +%s) - T0)) s" >&2
vm_result
