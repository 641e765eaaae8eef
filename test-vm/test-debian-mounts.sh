#!/bin/bash
# VM test: netinit.mount= on the real Debian root (systemd).  The Debian
# bookworm root of test-vm/debroot.sh boots from NFS (nfs-ganesha in a
# network namespace, as test-debian.sh) with two extra mounts:
#   netinit.mount=10.0.2.2:<share>:/srv/share:nfs:ro,vers=3,...   a shared read-only export
#   netinit.mount=tmpfs:/scratch:tmpfs:size=64m                    a sized tmpfs
# and asserts in the booted system: both in /proc/self/mountinfo with the
# options asked, no failed unit and state "running", the .mount units systemd
# made for them active, and `systemctl poweroff` ends QEMU within a bound
# with no "nfs: server not responding".  Two NFS-root boots, the two ways
# doc/boot.md ("What /etc/fstab should say") allows:
#   deb-mnt-nofstab   the image's fstab does not list them
#   deb-mnt-fstab     it lists them as mounted, with nofail (and _netdev)
# and the classic CentOS diskless shape on the same root:
#   deb-mnt-ramusr    the root without /usr as a squashfs in RAM (nginx),
#                     /usr read-only from NFS (netinit.mount=), the tmpfs
# The roots are hard-linked copies of build/debian/root (cp -al: only
# /etc/fstab and the test's own report unit are new files; the cache is not
# changed).
# By default deb-mnt-fstab and deb-mnt-ramusr run (~8 min under TCG);
# deb-mnt-nofstab repeats ramusr's "adopted from mountinfo" on an NFS root.
#   DEBMNT_CASES="deb-mnt-nofstab ..."  run these boots; DEBMNT_CASES=all: all three
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
T0=$(date +%s)

cannot() { echo "FAIL: debian-mounts: cannot run: $*"; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
for t in debootstrap mksquashfs ganesha.nfsd rpcbind nginx ip unshare qemu-system-x86_64 bc; do
	command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
done
[ -r "$VM_INITRD" ] || cannot "$VM_INITRD not built (make initramfs)"
bash test-vm/debroot.sh || cannot "test-vm/debroot.sh failed"

tmp=$(mktemp -d /tmp/netinit-vmdebmnt.XXXXXX)
chmod 755 "$tmp"
ns=netinit-vmdebmnt-$$
trap 'vm_ns_cleanup "$tmp" "$ns"' EXIT

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
awk '$5 == "/srv/share" || $5 == "/scratch" || $5 == "/usr" || $5 == "/" { print $5, $9, $10, $6, $NF }' /proc/self/mountinfo | m mountinfo
for u in srv-share.mount scratch.mount usr.mount; do
	echo "$u $(systemctl is-active $u) $(systemctl show -p SourcePath --value $u)" | m unit
done
echo "marker $(cat /srv/share/marker 2>&1)" | m share
journalctl -b --no-pager | grep -aE '(srv-share|scratch|usr)\.mount' | tail -n 10 | m journal
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
want() {
	case ${DEBMNT_CASES:-} in
	all) return 0 ;;
	"") [ "$1" != deb-mnt-nofstab ] ;;
	*) [[ " $DEBMNT_CASES " == *" $1 "* ]] ;;
	esac
}
# The RAM root of deb-mnt-ramusr: the tree without /usr's contents (its
# mount point stays), as a squashfs served by nginx; /usr is the cached tree's.
mkdir -p "$tmp/www"
if want deb-mnt-ramusr; then
	mksquashfs "$tmp/root-nofstab" "$tmp/www/nousr.squashfs" -comp zstd -noappend -quiet -no-progress \
		-wildcards -e 'usr/*' 2>&1 >/dev/null | { grep -v '^Unrecognised xattr prefix system\.' >&2 || true; }
	[ -s "$tmp/www/nousr.squashfs" ] || cannot "mksquashfs of the root without /usr failed"
	echo "note: deb-mnt-ramusr: RAM image without /usr: $(($(stat -c %s "$tmp/www/nousr.squashfs") / 1048576)) MiB"
fi
vm_nginx_conf "$tmp/nginx.conf" "$tmp" "$tmp/www"

vm_ganesha_conf "$tmp/ganesha.conf" "$tmp/recovery" "$tmp/root-nofstab" "$tmp/root-fstab" "$share" "$tmp/root-nofstab/usr"
vm_ns_servers_script "$tmp/servers.sh" "$tmp/ganesha.conf" "$tmp"
ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up
ip netns exec "$ns" nginx -c "$tmp/nginx.conf" -p "$tmp" || cannot "nginx did not start"

rep() { sed -n "s/^DEBMNT $2: //p" "$VM_DIR/$1-report.log" | tr -d '\r'; }

check() { # NAME FSTAB(yes|no) NFS-MOUNTPOINT NFS-EXPORT
	local n=$1 fst=$2 at=$3 export=$4 r=$1-report mi t1 bound=120 unit
	unit=$(echo "${at#/}" | tr / -).mount
	vm_expect "$n" "netinit mount: mounted tmpfs on /scratch \\(tmpfs, size=64m\\)" "netinit mounted the tmpfs"
	vm_expect "$n" "netinit nfs: mounted 10.0.2.2:$export with NFSv3 on /newroot$at" "netinit mounted $export on $at (NFSv3)"
	vm_expect "$r" '^DEBMNT state: running' "systemctl is-system-running: running"
	vm_expect "$r" '^DEBMNT failed-count: 0' "systemctl --failed lists no unit"
	mi=$(rep "$n" mountinfo)
	if echo "$mi" | grep -qE "^$at nfs 10\.0\.2\.2:$export ro,.*vers=3.*timeo=50.*retrans=2"; then
		pass "$n" "$at is in /proc/self/mountinfo: nfs, read-only, vers=3, timeo=50,retrans=2"
	else fail "$n" "$at not in mountinfo as asked (got: ${mi:-nothing})"; fi
	if [ "$(echo "$mi" | grep -c "^$at ")" = 1 ] && [ "$(echo "$mi" | grep -c '^/scratch ')" = 1 ]; then
		pass "$n" "$at and /scratch are each mounted once (systemd mounted nothing over them)"
	else fail "$n" "$at or /scratch is mounted more than once: $mi"; fi
	if echo "$mi" | grep -qE '^/scratch tmpfs tmpfs [a-z,]*rw.*size=65536k'; then
		pass "$n" "/scratch is in /proc/self/mountinfo: tmpfs, size=64m (65536k)"
	else fail "$n" "/scratch not in mountinfo as asked (got: ${mi:-nothing})"; fi
	[ "$at" = /srv/share ] && vm_expect "$r" '^DEBMNT share: marker shared-over-nfs' "the share's file is readable in the booted system"
	if [ "$fst" = yes ]; then
		vm_expect "$r" "^DEBMNT unit: $unit active /etc/fstab" "$unit (from /etc/fstab) is active, not mounted twice or failed"
		vm_expect "$r" '^DEBMNT unit: scratch.mount active /etc/fstab' "scratch.mount (from /etc/fstab) is active"
	else
		vm_expect "$r" "^DEBMNT unit: $unit active /proc/self/mountinfo" "$unit (adopted from /proc/self/mountinfo) is active"
		vm_expect "$r" '^DEBMNT unit: scratch.mount active /proc/self/mountinfo' "scratch.mount (adopted from /proc/self/mountinfo) is active"
	fi
	vm_expect "$n" 'reboot: Power down' "systemctl poweroff completes (the kernel's last message)"
	if [ "$BOOT_RC" = 0 ]; then pass "$n" "QEMU exited by itself after systemctl poweroff"
	else fail "$n" "QEMU did not exit after systemctl poweroff (rc $BOOT_RC)"; fi
	vm_reject "$n" 'nfs: server .* not responding' "no 'nfs: server not responding' on the console"
	vm_reject "$n" "Failed unmounting .* - ($at|/scratch)\\." "systemd unmounted $at and /scratch at shutdown"
	vm_reject "$n" "Failed unmounting .*/run/netinit" "no failed unmount of netinit's mounts at shutdown (an image's tmpfs is detached)"
	t1=$(rep "$n" poweroff | sed -n 's/^at \([0-9.]*\)$/\1/p' | head -n1)
	vm_shutdown_bound "$n" "$t1" "Power down" $bound
}

common="ip=dhcp panic=1 rd.timeout=60 init=/usr/local/sbin/debtest-init debtest.net=networkd"
mounts="netinit.mount=10.0.2.2:$share:/srv/share:nfs:ro,$nfsopt netinit.mount=tmpfs:/scratch:tmpfs:size=64m"
for c in nofstab fstab; do
	n=deb-mnt-$c
	want $n || continue
	t=$(date +%s)
	nfs3="root=/dev/nfs nfsroot=10.0.2.2:$tmp/root-$c,$nfsopt"
	vm_ns_boot "$ns" "$tmp/servers.sh" "$n" 900 1024 "$nfs3 $mounts $common"
	echo "note: $n: QEMU ran $(($(date +%s) - t)) s (rc $BOOT_RC)"
	check "$n" "$([ $c = fstab ] && echo yes || echo no)" /srv/share "$share"
done
if want deb-mnt-ramusr; then
	n=deb-mnt-ramusr
	t=$(date +%s)
	usr="netinit.mount=10.0.2.2:$tmp/root-nofstab/usr:/usr:nfs:ro,$nfsopt netinit.mount=tmpfs:/scratch:tmpfs:size=64m"
	vm_ns_boot "$ns" "$tmp/servers.sh" "$n" 900 1536 "root=http://10.0.2.2:8080/nousr.squashfs $usr $common"
	echo "note: $n: QEMU ran $(($(date +%s) - t)) s (rc $BOOT_RC)"
	vm_expect "$n" 'netinit mount: .*squashfs.* on /dev/loop[0-9]+' "the root without /usr is a squashfs in RAM"
	vm_expect "$n-report" '^DEBMNT mountinfo: / overlay overlay ' "the booted root is the overlay on that image"
	check "$n" no /usr "$tmp/root-nofstab/usr"
fi
echo "note: test-debian-mounts took $(($(date +%s) - T0)) s" >&2
vm_result
