#!/bin/bash
# VM tests: netinit.writable=persistent, host names, collisions, per-host files.
#
# A site rendered by netinit-export (dnsmasq host entries = DHCP host names,
# pxelinux lines, ganesha EXPORT blocks, node directories with their owner
# MACs, nginx snippet, signed manifests) is served from a network namespace:
# a bridge 10.78.0.1/24 with dnsmasq (DHCP), rpcbind + nfs-ganesha (the
# shared NFS root and one read-write export a node), nginx (a squashfs image
# root and per-host archives).  Nodes boot with QEMU on a tap device, with
# the kernel and initramfs given directly and -append set to exactly the
# APPEND line netinit-export wrote into the node's pxelinux.cfg file; one
# boot is a real PXE boot (site.sh's site_boot: iPXE ROM -> pxelinux.0 from
# dnsmasq's TFTP -> the rendered pxelinux.cfg/01-<mac> -> kernel and
# initramfs from the rendered TFTP tree).
# Nothing leaves the namespace.  Run under flock /tmp/netinit-test.lock.
# no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer
# check can fail and panic before netinit runs.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/site.sh # site_boot: a PXE boot on a bridge

cannot() { echo "FAIL: persistent: cannot run: $*"; exit 1; }
S=10.78.0.1

if [ "${1:-}" != --inner ]; then
	[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
	for t in ganesha.nfsd rpcbind dnsmasq nginx mksquashfs ip unshare qemu-system-x86_64; do
		command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
	done
	[ -r "$VM_INITRD" ] || cannot "$VM_INITRD missing (make initramfs)"
	[ -r /usr/lib/PXELINUX/pxelinux.0 ] || cannot "pxelinux missing (.ci/packages.txt)"
	tmp=$(mktemp -d /tmp/netinit-vmpers.XXXXXX)
	ns=netinit-pers-$$
	ip netns add "$ns" || cannot "ip netns add failed"
	t0=$SECONDS
	ip netns exec "$ns" unshare -m --propagation private bash "$0" --inner "$tmp" "$ns"
	rc=$?
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	sleep 0.3
	ip netns del "$ns" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
	echo "note: test-persistent.sh took $((SECONDS - t0)) s" >&2
	exit $rc
fi

tmp=$2 SITE_NS=$3
chmod 755 "$tmp" # nginx's workers read the images and archives
trap 'for p in $tmp/log/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null; done' EXIT
mkdir -p "$tmp"/{etc/nodes.d,images/sq,nodes,keys,log,out,tftp,hostfiles,hostfiles-bad,hostfiles-404,recovery}

# The initramfs every node boots (direct and PXE): ours plus a post-mount
# hook that shows the node directory hooks are given (NETINIT_NODE_DIR).
. test-vm/hooklib.sh
mkdir -p "$tmp/hooktree"
hook post-mount 50-nodedir "$tmp/hooktree" <<'HOOK'
#!/bin/sh
echo "NODE_DIR=[$NETINIT_NODE_DIR]"
HOOK
hooks_initrd "$tmp/hooktree" "$tmp/initramfs-hooks.img" "$VM_INITRD" || cannot "cannot add the hook to $VM_INITRD"
VM_INITRD=$tmp/initramfs-hooks.img

# ---- the shared root: busybox, and an init that reports and writes ----
tree=$tmp/images/shared
bash test-vm/mkroot.sh "$tree" >/dev/null || cannot "mkroot failed"
echo "shared-nfs-root" > "$tree/etc/netinit-test-root"
cat > "$tree/sbin/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin
m() { echo "NETINIT-TEST $*"; }
h=$(cat /proc/sys/kernel/hostname)
m "hostname=$h"
m "cmdline=$(cat /proc/cmdline)"
m "root=$(grep ' / ' /proc/mounts | head -n1)"
for d in etc var tmp; do
	m "mnt-$d=$(awk -v d=/$d '$2 == d { print $1, $3 }' /proc/mounts | tail -n1)"
	m "seen-$d=$(ls -a /$d | grep '^pt-' | tr '\n' ' ')."
	echo "$h" > /$d/pt-$h || m "write-failed-$d"
done
m "shared-new=$(cat /etc/shared-new 2>/dev/null || echo absent)"
m "admin-edit=$(cat /etc/admin-edit 2>/dev/null || echo absent)"
m "hostfile=$(cat /etc/hostfile-mark 2>/dev/null || echo absent)"
m "hosts=$(grep -v '^#' /etc/hosts 2>/dev/null | tr '\t\n' '  ')"
m "rootmark=$(cat /etc/netinit-test-root)"
dmesg | grep 'netinit' | sed 's/^/NETINIT-KMSG /' | tail -n 80
sync
m "done"
poweroff -f
INIT
chmod 755 "$tree/sbin/init"
# The image root: the same tree as a squashfs over HTTP.
cp -a "$tree" "$tmp/sqtree"
echo "squashfs-image-root" > "$tmp/sqtree/etc/netinit-test-root"
mksquashfs "$tmp/sqtree" "$tmp/images/sq/root.squashfs" -comp zstd -noappend -quiet >/dev/null || cannot "mksquashfs"

build/netinit-sign keygen "$tmp/keys/site" >/dev/null 2>&1 || cannot "netinit-sign keygen"
key=$(awk '{ print $2 }' "$tmp/keys/site.pub")

# ---- the site, rendered by netinit-export ----
cat > "$tmp/etc/netinit.conf" <<EOC
[site]
server = $S
network = 10.78.0.0/24
tftp-root = $tmp/tftp
images-dir = $tmp/images
nodes-dir = $tmp/nodes
kernel = netinit/vmlinuz
initrd = netinit/initramfs.img
kernel-source = $VM_KERNEL
initrd-source = $(readlink -f "$VM_INITRD")
dnsmasq-tftp = yes
cmdline = console=ttyS0 panic=1 no_timer_check netinit.key=$key
public-key = $tmp/keys/site.pub
secret-key = $tmp/keys/site.sec
outputs = dnsmasq pxelinux ganesha nodedirs nginx manifests tftp
[output]
dnsmasq = $tmp/out/dnsmasq.conf
ganesha = $tmp/out/exports.conf
nginx = $tmp/out/nginx-images.conf

[image shared]
writable = persistent

[image sq]
root = http
file = sq/root.squashfs
version = 1
seed = $tmp/sqtree
writable = persistent
EOC
cat > "$tmp/etc/nodes.d/10-nodes.conf" <<'EOC'
[group node]
name = node%d
count = 2
ip = 10.78.0.11-10.78.0.12
mac-start = 52:54:00:78:00:01
image = shared

[node node3]
mac = 52:54:00:78:00:03
ip = 10.78.0.13
image = sq
EOC
if build/netinit-export -c "$tmp/etc" render > "$tmp/log/render.log" 2>&1; then
	echo "PASS: persistent: netinit-export renders the site"
else
	cannot "netinit-export render: $(tail -n 5 "$tmp/log/render.log")"
fi
for n in 1 2 3; do
	if grep -qx 'mac=52:54:00:78:00:0'$n "$tmp/nodes/node$n/.netinit-owner" 2>/dev/null; then
		echo "PASS: persistent: nodedirs recorded node$n's MAC in its directory"
	else
		echo "FAIL: persistent: nodedirs recorded node$n's MAC ($(cat "$tmp/nodes/node$n/.netinit-owner" 2>&1))"; vm_failures=$((vm_failures + 1))
	fi
done
append_of() { sed -n 's/^ *APPEND //p' "$tmp/tftp/pxelinux.cfg/01-52-54-00-78-00-0$1"; }
line1=$(append_of 1) line2=$(append_of 2) line3=$(append_of 3)
case $line1 in
*"netinit.writable.base=$S:$tmp/nodes"*) echo "PASS: persistent: the rendered line carries netinit.writable.base=" ;;
*) echo "FAIL: persistent: the rendered line carries netinit.writable.base= ($line1)"; vm_failures=$((vm_failures + 1)) ;;
esac

# ---- the servers ----
ip link set lo up
ip link add br0 type bridge
ip addr add "$S/24" dev br0
ip link set br0 up
mount -t tmpfs tmpfs /run
mkdir -p /run/rpcbind /run/netns
# site_boot enters the namespace by name: the private /run hides its file
touch "/run/netns/$SITE_NS" && mount --bind /proc/self/ns/net "/run/netns/$SITE_NS" || cannot "netns bind"
cat > "$tmp/nginx.conf" <<EOC
daemon on;
pid $tmp/log/nginx.pid;
error_log $tmp/log/nginx-error.log;
events { worker_connections 64; }
http {
	access_log $tmp/log/nginx-access.log;
	client_body_temp_path $tmp/log; proxy_temp_path $tmp/log; fastcgi_temp_path $tmp/log;
	uwsgi_temp_path $tmp/log; scgi_temp_path $tmp/log;
	server {
		listen $S:80;
		include $tmp/out/nginx-images.conf;
		location /hostfiles/ { alias $tmp/hostfiles/; }
		location /hostfiles-bad/ { alias $tmp/hostfiles-bad/; }
		location /hostfiles-404/ { alias $tmp/hostfiles-404/; }
		location /hostfiles-403/ { return 403; }
	}
}
EOC
nginx -c "$tmp/nginx.conf" || cannot "nginx did not start"
dnsmasq --conf-file="$tmp/out/dnsmasq.conf" --interface=br0 --bind-interfaces --port=0 \
	--dhcp-range=10.78.0.100,10.78.0.150,255.255.255.0,1h --dhcp-authoritative \
	--log-facility="$tmp/log/dnsmasq.log" --pid-file="$tmp/log/dnsmasq.pid" \
	--dhcp-leasefile="$tmp/log/dnsmasq.leases" || cannot "dnsmasq did not start"
cat > "$tmp/ganesha.conf" <<EOC
NFS_CORE_PARAM { Protocols = 3, 4; }
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "$tmp/recovery"; }
%include "$tmp/out/exports.conf"
EOC
rpcbind -w || cannot "rpcbind"
pgrep -n -x rpcbind > "$tmp/log/rpcbind.pid"
ganesha_up() {
	ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/log/ganesha.log" -p "$tmp/log/ganesha.pid" -N NIV_EVENT || return 1
	for _ in $(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/log/ganesha.log" 2>/dev/null && return 0; sleep 0.2; done
	return 1
}

# boot NAME MAC TIMEOUT APPEND: one node on the bridge
boot() {
	local name=$1 mac=$2 to=$3 append=$4 tap=tp$RANDOM
	local log; log=$(vm_log "$name")
	ip tuntap add "$tap" mode tap
	ip link set "$tap" master br0 up
	: > "$log"
	timeout -k 5 "$to" qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot \
		-nodefaults -display none -serial "file:$log" -kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
		-append "$append" -netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
		-device "virtio-net-pci,netdev=n0,mac=$mac" < /dev/null > "$VM_DIR/$name.qemu.out" 2>&1
	ip link del "$tap" 2>/dev/null
}
check() { # what: PASS when the command succeeds
	local what=$1; shift
	if "$@"; then echo "PASS: persistent: $what"; else echo "FAIL: persistent: $what"; vm_failures=$((vm_failures + 1)); fi
}
mac1=52:54:00:78:00:01 mac2=52:54:00:78:00:02 mac3=52:54:00:78:00:03 macx=52:54:00:78:00:09

# 1. node1, first boot, while the NFS server is down: it comes once the
# node's mount has failed and at least 15 s after the node started (a slow
# TCG boot may take longer than 15 s to reach the mount).
: > "$(vm_log p-node1-a)"
t_node=$SECONDS
boot p-node1-a $mac1 240 "$line1" &
qpid=$!
vm_wait_for p-node1-a 'netinit nfs: warning: mount .* failed: .*retrying' 150 "the NFS server is not up yet: the mount fails and is retried"
[ $((SECONDS - t_node)) -ge 15 ] || sleep $((15 - (SECONDS - t_node)))
ganesha_up || cannot "ganesha did not start: $(grep -E 'CRIT|MAJ|FATAL' "$tmp/log/ganesha.log" | tail -n 3)"
wait $qpid
n=p-node1-a
check "$n: the kernel got exactly the pxelinux APPEND line" grep -qF "netinit cmdline: $line1" "$(vm_log $n)"
vm_expect $n 'netinit writable: host name node1 \(FQDN node1[^)]*\) from DHCP option 12' "the host name came from DHCP option 12 (dnsmasq's host entry)"
vm_expect $n "netinit writable: persistent: $S:$tmp/nodes/node1 bound over /etc /var /tmp" "node1's directories are bound over /etc /var /tmp"
vm_expect $n "NETINIT-TEST mnt-etc=$S:$tmp/nodes/node1/etc nfs" "/etc is node1's NFS directory"
vm_expect $n "hook 50-nodedir: NODE_DIR=\[$S:$tmp/nodes/node1\]" "post-mount hooks get NETINIT_NODE_DIR=$S:$tmp/nodes/node1"
vm_expect $n 'NETINIT-TEST seen-etc=\.[[:space:]]*$' "first boot: node1's /etc has no data of earlier boots"
vm_expect $n 'NETINIT-TEST rootmark=shared-nfs-root' "the root is the shared NFS root"
vm_expect $n 'NETINIT-TEST hosts=.*10\.78\.0\.11 +node1' "the node's line is in its /etc/hosts"
vm_expect $n 'NETINIT-TEST done' "the boot completed"

# 2. node2 without an owner record: it claims its directory.
rm -f "$tmp/nodes/node2/.netinit-owner"
boot p-node2-a $mac2 120 "$line2"
n=p-node2-a
vm_expect $n "had no owner record: claimed for $mac2" "no owner record: the directory is claimed"
check "the claim on the server holds the MAC, the boot id and the time" \
	grep -q "^mac=$mac2" "$tmp/nodes/node2/.netinit-claim"
check "... and the boot id" grep -qE '^boot_id=[0-9a-f-]{36}$' "$tmp/nodes/node2/.netinit-claim"
vm_expect $n 'NETINIT-TEST seen-etc=\.[[:space:]]*$' "node2 sees none of node1's files"

# Between boots: the admin edits node1's /etc on the server; the shared root gains a file in /etc.
echo "edited-on-server" > "$tmp/nodes/node1/etc/admin-edit"
echo "new-in-shared-root" > "$tree/etc/shared-new"

# 3. node1 again, PXE-booted for real: iPXE ROM -> pxelinux.0 -> the rendered
# pxelinux.cfg/01-<mac> -> kernel and initramfs from the rendered TFTP tree;
# its own data, and only its own.
site_boot p-node1-b $mac1 300
n=p-node1-b
pxe=$tmp/tftp/pxelinux.cfg/01-${mac1//:/-}
pxe_kernel=$(sed -n 's/^ *KERNEL //p' "$pxe") pxe_initrd=$(sed -n 's/^ *INITRD //p' "$pxe")
# what pxelinux makes of the file: BOOT_IMAGE=<KERNEL>, the APPEND line,
# initrd=<INITRD>, and BOOTIF=01-<mac> for IPAPPEND 2
want="BOOT_IMAGE=$pxe_kernel $line1 initrd=$pxe_initrd BOOTIF=01-${mac1//:/-}"
check "$n: PXE: pxelinux read the rendered $(basename "$pxe") (dnsmasq's TFTP log)" \
	grep -q "sent $pxe " "$tmp/log/dnsmasq.log"
check "$n: PXE: /proc/cmdline is the rendered APPEND line with what pxelinux adds" \
	grep -qxF "NETINIT-TEST cmdline=$want" <(vm_text $n | tr -d '\r')
vm_expect $n "is claimed|belongs to $mac1 \(.netinit-owner" "node1's MAC owns its directory"
vm_expect $n "NETINIT-TEST mnt-etc=$S:$tmp/nodes/node1/etc nfs" "PXE: /etc is node1's NFS directory"
for d in etc var tmp; do
	vm_expect $n "NETINIT-TEST seen-$d=pt-node1 \.[[:space:]]*$" "node1 finds in /$d what it wrote in the previous boot, and only that"
done
vm_expect $n 'NETINIT-TEST admin-edit=edited-on-server' "a file edited on the server in nodes/node1/etc is what the node reads"
vm_expect $n 'NETINIT-TEST shared-new=absent' "a file added to the shared root's /etc after seeding is not in the node's own /etc (documented)"
check "node1's files are on the server under nodes/node1" test -f "$tmp/nodes/node1/var/pt-node1"

# 4. node2 again: its claim is its own.
boot p-node2-b $mac2 120 "$line2"
n=p-node2-b
vm_expect $n "claimed by this MAC \($mac2\) before: claim refreshed" "the same MAC keeps the claimed directory"
vm_expect $n 'NETINIT-TEST seen-etc=pt-node2 \.[[:space:]]*$' "node2 sees its own data, and not node1's"

# 5. Another machine with node1's name and address: refused, loudly, boots volatile.
intr="console=ttyS0 panic=1 no_timer_check root=/dev/nfs nfsroot=$S:$tree ro ip=10.78.0.11::$S:255.255.255.0:node1::off netinit.writable=persistent netinit.writable.base=$S:$tmp/nodes"
snap() { find "$tmp/nodes/$1" -printf '%p %s %T@\n' | sort | md5sum; }
before=$(snap node1)
boot p-intruder $macx 120 "$intr"
n=p-intruder
vm_expect $n "host name collision: .*node1 belongs to $mac1 \(.netinit-owner\), this machine is $macx" "another MAC is refused node1's directory; the log names both MACs"
vm_expect $n 'VOLATILE BOOT' "a loud volatile-boot warning"
vm_expect $n 'NETINIT-TEST root=overlay / overlay' "it boots with a volatile layer"
vm_expect $n 'hook 50-nodedir: NODE_DIR=\[\]' "and its hooks get an empty NETINIT_NODE_DIR (not node1's directory)"
vm_expect $n 'NETINIT-TEST seen-etc=\.[[:space:]]*$' "it sees none of node1's files"
check "node1's directory on the server is unchanged by the intruder's boot (it wrote /etc/pt-node1 too)" \
	test "$before" = "$(snap node1)"

# 6. ... and with netinit.writable.collision=fail (node2's claim): the boot stops.
intr2=${intr//10.78.0.11/10.78.0.12}
boot p-intruder-fail $macx 90 "${intr2//:node1:/:node2:} netinit.writable.collision=fail"
n=p-intruder-fail
vm_expect $n "node2 belongs to $mac2 \(.netinit-claim\)" "a claim is honoured for another MAC"
vm_expect $n 'collision=fail: the boot stops here' "netinit.writable.collision=fail makes it a boot failure"
vm_reject $n 'NETINIT-TEST' "nothing booted"

# 7. Volatile: fresh at every boot (the intruder's volatile boot above wrote pt-node1).
vol=${line1/netinit.writable=persistent/netinit.writable=volatile}
boot p-vol $mac1 120 "$vol"
vm_expect p-vol 'NETINIT-TEST root=overlay / overlay' "netinit.writable=volatile: an overlay"
vm_expect p-vol 'NETINIT-TEST seen-etc=\.[[:space:]]*$' "volatile: a reboot starts fresh (nothing of the volatile boot before)"

# 8. The node directory's export is missing.
boot p-noexport $mac1 120 "${line1/netinit.writable.base=$S:$tmp\/nodes/netinit.writable.base=$S:/no/such} rd.timeout=6"
n=p-noexport
vm_expect $n "the node's directory $S:/no/such/node1 cannot be mounted" "a missing export is reported with its path"
vm_expect $n 'VOLATILE BOOT' "then a loud volatile boot (the default policy)"
vm_expect $n 'NETINIT-TEST done' "the boot completes"

# 9. Image root (HTTP squashfs) with a persistent layer.
boot p-node3-a $mac3 120 "$line3"
boot p-node3-b $mac3 120 "$line3"
n=p-node3-b
vm_expect $n 'NETINIT-TEST rootmark=squashfs-image-root' "the root is the squashfs image"
vm_expect $n "NETINIT-TEST mnt-etc=$S:$tmp/nodes/node3/etc nfs" "its /etc is node3's NFS directory"
vm_expect $n 'NETINIT-TEST seen-etc=pt-node3 \.[[:space:]]*$' "the image root keeps the node's data across boots"

# 10. Per-host files: present, 404, tampered (keys configured).
mkdir -p "$tmp/hf/etc"; echo "from-hostfiles" > "$tmp/hf/etc/hostfile-mark"
tar -C "$tmp/hf" -cf "$tmp/hostfiles/node1.tar" etc
build/netinit-sign sign "$tmp/hostfiles/node1.tar" --key "$tmp/keys/site.sec" --output "$tmp/hostfiles/node1.tar.manifest" >/dev/null 2>&1
cp "$tmp/hostfiles/node1.tar.manifest" "$tmp/hostfiles-bad/"
echo "tampered" > "$tmp/hf/etc/hostfile-mark"; tar -C "$tmp/hf" -cf "$tmp/hostfiles-bad/node1.tar" etc
# Two mirrors, repeated netinit.hostfiles= like netinit.mirror=: node1's MAC
# orders two mirrors 2,1 (fetch/url.c), so the second, which answers 403,
# is tried first and the files come from the first.
hf="netinit.hostfiles=http://$S/hostfiles/%h.tar"
boot p-hf $mac1 120 "$vol $hf netinit.hostfiles=http://$S/hostfiles-403/%h.tar"
vm_expect p-hf "netinit fetch: 2 mirrors, this host's order: 2,1" "per-host files: two mirrors, in this host's order"
vm_expect p-hf 'hostfiles-403/node1.tar.manifest: HTTP 403' "a mirror that fails (403, not 404) ..."
vm_expect p-hf 'mirror 2 failed .*trying the next one' "... is left for the next mirror"
vm_expect p-hf 'netinit verify: .*/hostfiles/node1.tar: sha256 [0-9a-f]+ verified \(signed manifest\)' "per-host files: verified by their signed manifest (from the other mirror)"
vm_expect p-hf 'NETINIT-TEST hostfile=from-hostfiles' "per-host files are unpacked over the volatile layer"
vol2=${line2/netinit.writable=persistent/netinit.writable=volatile}
boot p-hf-404 $mac2 120 "$vol2 $hf netinit.hostfiles=http://$S/hostfiles-404/%h.tar"
vm_expect p-hf-404 'hostfiles-404/node2.tar.manifest: HTTP 404' "404 on one mirror ..."
vm_expect p-hf-404 '/hostfiles/node2.tar.manifest: HTTP 404' "... and on the other"
vm_expect p-hf-404 'no per-host files for node2' "404 on every mirror: no per-host files, logged"
vm_expect p-hf-404 'NETINIT-TEST done' "404 on every mirror: the boot goes on"
boot p-hf-403-404 $mac2 90 "$vol2 $hf netinit.hostfiles=http://$S/hostfiles-403/%h.tar"
n=p-hf-403-404
vm_expect $n 'hostfiles-403/node2.tar.manifest: HTTP 403' "403 on one mirror ..."
vm_expect $n '/hostfiles/node2.tar.manifest: HTTP 404' "... 404 on the other"
vm_reject $n 'no per-host files' "a 403 and a 404 is not \"no per-host files\""
vm_expect $n 'boot failed in stage mount; will reboot' "403 on one mirror, 404 on the other: the failure policy (panic=1: reboot)"
vm_expect $n 'could not mount the root filesystem: the per-host files \(netinit.hostfiles=\): ' "the failure names the per-host files as the part that failed"
vm_reject $n 'NETINIT-TEST' "... nothing booted"
boot p-hf-bad $mac1 90 "$vol netinit.hostfiles=http://$S/hostfiles-bad/%h.tar"
vm_expect p-hf-bad 'sha256 mismatch' "a tampered archive fails verification"
vm_expect p-hf-bad 'could not mount the root filesystem: the per-host files \(netinit.hostfiles=\): did not verify' "the failure says the per-host files did not verify"
vm_expect p-hf-bad 'boot failed in stage mount; will reboot' "a tampered archive: the failure policy (panic=1: reboot)"
vm_reject p-hf-bad 'NETINIT-TEST' "a tampered archive: nothing booted"
vm_reject p-hf-bad 'Device or resource busy' "the retry of the stage mounts the NFS root again (the earlier try's lower is gone)"

# 11. Hostile host names from DHCP (QEMU's own DHCP server sends what it is
# given) never become a path; the next source is used.  A local disk root;
# the base has no server (10.0.2.2 is this namespace's loopback): volatile.
bash test-vm/mkroot.sh --ext4 "$tmp/local.ext4" >/dev/null || cannot "mkroot --ext4"
drive=(-drive "file=$tmp/local.ext4,if=virtio,format=raw,snapshot=on")
hp="root=LABEL=netroot panic=1 no_timer_check netinit.writable=persistent netinit.writable.base=10.0.2.2:/srv/nodes rd.timeout=3"
VM_NETDEV_EXTRA=",hostname=a/b" VM_NIC_EXTRA=",mac=52:54:00:78:00:20" vm_run p-hostile-slash 90 "$hp ip=dhcp" "${drive[@]}"
n=p-hostile-slash
vm_expect $n 'ignoring option 12 \(host name\) from the server: "a/b" is not valid' "DHCP host name a/b is refused"
vm_expect $n 'netinit writable: host name node-525400780020 \(FQDN node-525400780020\) from the MAC address' "the name derived from the MAC is used"
vm_expect $n '10\.0\.2\.2:/srv/nodes/node-525400780020 cannot be mounted' "the directory path is the MAC-derived name's"
vm_reject $n '/srv/nodes/a' "a/b never became a path"
vm_expect $n 'NETINIT-TEST pid=1' "the node boots"
VM_NETDEV_EXTRA=',hostname=$(reboot)' VM_NIC_EXTRA=",mac=52:54:00:78:00:21" vm_run p-hostile-shell 90 "$hp ip=::::fallback5::dhcp" "${drive[@]}"
n=p-hostile-shell
vm_expect $n 'ignoring option 12 \(host name\) from the server' "DHCP host name \$(reboot) is refused"
vm_expect $n 'netinit writable: host name fallback5 .* from ip= field 5' "ip= field 5 is the next source"
vm_reject $n '/srv/nodes/[^f ]' "the shell text never became a path"
vm_result
