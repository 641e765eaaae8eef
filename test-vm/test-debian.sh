#!/bin/bash
# VM tests: a real distribution.  The Debian bookworm root of
# test-vm/debroot.sh (systemd, udev, networkd and ifupdown, rsyslog, sshd,
# distcc) boots with netinit from NFS (nfs-ganesha) and from a signed
# squashfs over HTTP (nginx).  All servers and QEMU run in a network
# namespace made for the test: the guest's 10.0.2.2 (QEMU user networking)
# is that namespace's loopback, and nothing leaves it.  The NFSv3 boots use
# the per-host persistent layer (netinit.writable=persistent: the node's own
# etc, var, tmp on the server, its directory made by netinit-export
# nodedirs) and boot twice; the others the volatile overlay.  The compile
# farm (two nodes, distcc) is test-demo.sh's: `make demo` boots it.
#
# The image reports on its second serial port (ttyS1, build/vm/NAME-report.log):
# debtest-init (PID 1 as netinit exec'd it) lists its fds, debtest-report
# (after multi-user.target) the system state, debtest-ipwatch every address
# change from early boot to after the network managers stopped.  See
# doc/debian-root.md.  Run it under flock /tmp/netinit-test.lock.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
T0=$(date +%s)

cannot() { echo "FAIL: debian: cannot run: $*"; exit 1; }
pass() { echo "PASS: $1: $2"; }
fail() { echo "FAIL: $1: $2"; vm_failures=$((vm_failures + 1)); }
[ "$(id -u)" = 0 ] || cannot "needs root (debootstrap, network namespace, ganesha)"
for t in debootstrap mksquashfs ganesha.nfsd rpcbind nginx ip unshare qemu-system-x86_64 journalctl; do
	command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
done
[ -x "$BUILD/netinit-sign" ] || cannot "$BUILD/netinit-sign not built (make)"
[ -r "$VM_INITRD" ] || cannot "$VM_INITRD not built (make initramfs)"

tb=$(date +%s)
bash test-vm/debroot.sh || cannot "test-vm/debroot.sh failed"
echo "note: debian: root image ready in $(($(date +%s) - tb)) s"
tree=$(readlink -f "$BUILD/debian/root")  # the real path: ganesha exports it, not a symlink to it

tmp=$(mktemp -d /tmp/netinit-vmdeb.XXXXXX)
chmod 755 "$tmp"
ns=netinit-vmdeb-$$
PHOST=deb-nfs-pers  # the persistent node's DHCP host name: its directory's key
trap 'vm_ns_cleanup "$tmp" "$ns"' EXIT

# ---- the servers ----
mkdir -p "$tmp/www" "$tmp/recovery"
ln -s "$PWD/$BUILD/debian/root.squashfs" "$tmp/www/root.squashfs"
"$BUILD/netinit-sign" keygen "$tmp/site" >/dev/null || cannot "netinit-sign keygen failed"
"$BUILD/netinit-sign" sign "$tmp/www/root.squashfs" --key "$tmp/site.sec" --name debian --output "$tmp/www/root.squashfs.manifest" >/dev/null ||
	cannot "netinit-sign sign failed"
key=$(cut -d' ' -f2 "$tmp/site.pub")
cat > "$tmp/ganesha.conf" <<EOC
NFS_CORE_PARAM { Protocols = 3, 4; NFS_Port = 2049; MNT_Port = 20048; }
# Only_Numeric_Owners: owners as "0", not "root@domain": the node has no
# idmapper (nfsidmap), and a name it cannot map becomes nobody -- setuid
# root programs (mount) would then run as nobody.
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "$tmp/recovery"; Only_Numeric_Owners = true; }
EXPORT {
	Export_Id = 1; Path = "$tree"; Pseudo = "$tree";
	Access_Type = RO; Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys;
	FSAL { Name = VFS; }
}
# The node's own directory, read-write (QEMU user networking: every guest
# connection comes from the namespace's 127.0.0.1).
EXPORT {
	Export_Id = 2; Path = "$tmp/nodes/$PHOST"; Pseudo = "$tmp/nodes/$PHOST";
	Access_Type = RW; Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys;
	FSAL { Name = VFS; }
}
EOC
cat > "$tmp/nginx.conf" <<EOC
daemon on;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http { access_log off; sendfile on; server { listen 127.0.0.1:8080; root $tmp/www; } }
EOC
# The persistent node's directory (ganesha exports it): as a site makes it,
# with netinit-export nodedirs, seeded from the image's etc and var, the
# owner record the node's MAC (QEMU's default 52:54:00:12:34:56).
mkdir -p "$tmp/export/nodes.d"
cat > "$tmp/export/netinit.conf" <<EOC
[site]
server = 10.0.2.2
network = 10.0.2.0/24
nodes-dir = $tmp/nodes
outputs = nodedirs
[image debian]
path = $tree
writable = persistent
[node $PHOST]
mac = 52:54:00:12:34:56
ip = 10.0.2.15
EOC
if "$BUILD/netinit-export" -q -c "$tmp/export" render nodedirs > "$tmp/nodedirs.log" 2>&1 && [ -d "$tmp/nodes/$PHOST/etc" ] && [ -d "$tmp/nodes/$PHOST/var" ]; then
	pass deb-nfs-pers "netinit-export nodedirs seeded $tmp/nodes/$PHOST from the image (etc, var, tmp)"
else fail deb-nfs-pers "netinit-export nodedirs: $(tail -n 3 "$tmp/nodedirs.log")"; fi
ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up
ip netns exec "$ns" nginx -c "$tmp/nginx.conf" -p "$tmp" || cannot "nginx did not start"
# rpcbind wants /run/rpcbind: a private /run for the namespace's processes;
# QEMU must share it with ganesha, so one shell starts both (as test-nfs.sh).
cat > "$tmp/servers.sh" <<EOC
mount -t tmpfs tmpfs /run; mkdir -p /run/rpcbind
# rpcbind in the foreground, its pid kept: each boot stops the rpcbind it
# started (an older one still holding port 111 would answer the node's
# lookups with the registrations of a ganesha that is gone).
rpcbind -f -w & echo \$! > "$tmp/rpcbind.pid"
for i in \$(seq 50); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done
[ -S /run/rpcbind.sock ] || exit 10
: > "$tmp/ganesha.log"  # this boot's: the wait below must not see the last one's line
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || exit 11
for i in \$(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done
grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" || { echo "FAIL: debian: ganesha did not start: \$(tail -n 3 "$tmp/ganesha.log")"; exit 12; }
EOC

# boot NAME TIMEOUT MEM "KERNEL ARGS" [HOST]: QEMU in the namespace, host name
# HOST (default NAME) from QEMU's DHCP server, the image's report on ttyS1.
boot() {
	local name=$1 to=$2 mem=$3 append=$4 host=${5:-$1} t
	t=$(date +%s)
	ip netns exec "$ns" unshare -m --propagation private bash -c "bash $tmp/servers.sh || exit \$?
		source test-vm/lib.sh
		VM_MEM=$mem VM_NETDEV_EXTRA=,hostname=$host vm_run $name $to '$append' -serial file:$VM_DIR/$name-report.log
		rc=\$?
		# ganesha first, and gone (it unregisters from rpcbind, and holds
		# the ports the next boot's ganesha binds), then rpcbind.
		for p in ganesha rpcbind; do
			pid=\$(cat $tmp/\$p.pid 2>/dev/null); [ -n \"\$pid\" ] || continue
			kill \$pid 2>/dev/null
			for i in \$(seq 150); do kill -0 \$pid 2>/dev/null || break; sleep 0.2; done
			rm -f $tmp/\$p.pid
		done
		exit \$rc"
	BOOT_RC=$?
	echo "note: $name: QEMU ran $(($(date +%s) - t)) s (rc $BOOT_RC)"
}

rep() { vm_report "$1" "$2"; }

check_boot() { # NAME NETWORK-MANAGER THEN ROOT-REGEX [HOST]
	local n=$1 net=$2 then=$3 rootre=$4 host=${5:-$1} r=$1-report
	vm_expect "$n" 'netinit (mount|nfs): .*mounted|netinit mount: ' "netinit mounted the root"
	vm_expect "$r" '^DEBTEST pid1: systemd' "systemd is PID 1"
	vm_expect "$r" '^DEBTEST state: running' "the system reaches multi-user.target, state 'running' (no failed unit)"
	vm_expect "$r" '^DEBTEST failed-count: 0' "systemctl --failed lists no unit"
	vm_expect "$r" "^DEBTEST rootmnt: $rootre" "the root is $rootre"
	vm_expect "$r" '^DEBTEST analyze: .*multi-user.target reached after' "systemd-analyze: multi-user.target reached"
	# PID 1 as netinit exec'd it: fds 0-2 (the console) and the shell's own
	# script fd; anything else was leaked by netinit.
	local fds leaked
	fds=$(sed -n 's/^DEBTEST init-fd: //p' "$VM_DIR/$r.log" | tr -d '\r')
	leaked=$(echo "$fds" | grep -vE '^[012] -> /dev/console( \(deleted\))?$|^[0-9]+ -> /usr/local/sbin/debtest-init$')
	if ! echo "$fds" | grep -q '^0 -> '; then fail "$n" "the new root's PID 1 fd list was not reported"
	elif [ -n "$leaked" ]; then fail "$n" "the new root's PID 1 inherited fds from netinit: $(echo "$leaked" | tr '\n' ' ')"
	else pass "$n" "the new root's PID 1 inherits no fd from netinit (only 0-2 -> /dev/console)"; fi
	vm_expect "$r" '^DEBTEST journal: .*netinit net: ' "journalctl -b shows netinit's net stage messages"
	vm_expect "$r" '^DEBTEST journal: .*netinit dhcp: ' "journalctl -b shows netinit's dhcp stage messages"
	vm_expect "$r" '^DEBTEST journal: .*netinit (mount|nfs): ' "journalctl -b shows netinit's mount stage messages"
	vm_expect "$r" "^DEBTEST hostname: $host[[:space:]]*\$" "the host name is the DHCP one ($host), not the image's"
	# The address: the lease's, kept from the initramfs to after the network
	# managers stopped at shutdown, never deleted in between.
	local addr
	addr=$(tr -d "\r'" < "$VM_DIR/$r.log" | sed -n 's/^DEBTEST lease: ADDR=\([0-9.]*\)$/\1/p' | head -n1)
	if [ -z "$addr" ]; then fail "$n" "no lease address reported (/run/netinit/lease-*.conf)"
	else
		vm_expect "$r" "^DEBTEST addr: [0-9]+: eth0 +inet $addr/" "after multi-user.target eth0 still has the lease's address $addr"
		vm_expect "$r" "^DEBTEST shutdown-addr: [0-9]+: eth0 +inet $addr/" "after $net stopped at shutdown, eth0 still has $addr"
		vm_reject "$r" "^DEBTEST (shutdown-)?ipmon: Deleted .*inet $addr/" "$net never deleted $addr (ip monitor, from early boot to shutdown)"
	fi
	case $net in
	networkd)
		vm_expect "$r" '^DEBTEST active: active ' "systemd-networkd is running (catch-all DHCP .network in /etc)"
		vm_expect "$r" '^DEBTEST networkd-online: 0 ' "networkd configured eth0 (systemd-networkd-wait-online -i eth0)"
		vm_expect "$r" '^DEBTEST networkctl: .*Network File: /run/systemd/network/10-netinit-eth0.network' "networkd manages eth0 with netinit's hand-over unit, not the catch-all" ;;
	ifupdown)
		vm_expect "$r" '^DEBTEST active: [a-z]+ active active' "networking.service (ifup -a) and ifup@eth0.service (allow-hotplug) ran"
		vm_expect "$r" '^DEBTEST proc: dhclient' "ifupdown's dhclient runs on the boot link (it renews the lease)" ;;
	esac
	local up sd
	up=$(rep "$n" init-uptime)
	sd=$(rep "$n" analyze)
	echo "note: $n: root's init at ${up:-?} s uptime; $sd"
	# Shutdown: the kernel's last line, within a bound, with no NFS hang.
	local want=Restarting bound=120 t1 t2
	[ "$then" = poweroff ] && want='Power down'
	vm_expect "$n" "reboot: $want" "systemctl $then completes (the kernel's last message)"
	if [ "$BOOT_RC" = 0 ]; then pass "$n" "QEMU exited by itself after systemctl $then (-no-reboot)"
	else fail "$n" "QEMU did not exit after systemctl $then (rc $BOOT_RC)"; fi
	vm_reject "$n" 'nfs: server .* not responding' "no 'nfs: server not responding' on the console"
	t1=$(rep "$n" then | sed -n 's/.* at \([0-9.]*\)$/\1/p')
	t2=$(vm_text "$n" | sed -n "s/^\[ *\([0-9.]*\)\] reboot: $want.*/\1/p" | head -n1)
	if [ -n "$t1" ] && [ -n "$t2" ] && [ "$(echo "$t2 - $t1 < $bound" | bc)" = 1 ]; then
		pass "$n" "systemctl $then took $(echo "$t2 - $t1" | bc) s (bound $bound s)"
	else fail "$n" "systemctl $then: no end within $bound s (start ${t1:-?}, kernel's last line ${t2:-?})"; fi
}

common="ip=dhcp panic=1 rd.timeout=60 init=/usr/local/sbin/debtest-init"
nfs3="root=/dev/nfs nfsroot=10.0.2.2:$tree,vers=3,proto=tcp,port=2049,mountport=20048,mountproto=tcp"

# DEBIAN_CASES="deb-http ..." runs only those boots (for debugging one).
want() { [ -z "${DEBIAN_CASES:-}" ] || [[ " $DEBIAN_CASES " == *" $1 "* ]]; }

# ---- NFSv3 with the persistent per-host layer, booted twice ----
# The node's directory as a site has it: rendered by netinit-export nodedirs
# (seeded from the image's etc and var, owner record = the node's MAC,
# QEMU's default 52:54:00:12:34:56).  The mount of the node's directory
# borrows the root's version (3) and finds mountd through rpcbind.
persistent() {
	local pers="$nfs3 netinit.writable=persistent netinit.writable.base=10.0.2.2:$tmp/nodes" d=$tmp/nodes/$PHOST m1 m2 boots
	[ -d "$d/etc" ] || return
	boot deb-nfs-pers-a 900 1024 "$pers $common debtest.net=networkd debtest.then=reboot" "$PHOST"
	check_boot deb-nfs-pers-a networkd reboot '10\.0\.2\.2:[^ ]+ +nfs +ro' "$PHOST"
	vm_expect deb-nfs-pers-a "netinit writable: persistent: 10\.0\.2\.2:$d bound over /etc /var /tmp" "the node's own etc, var, tmp are bound over the shared root's"
	vm_expect deb-nfs-pers-a 'Initializing machine ID from' "first boot: systemd makes the machine-id"
	m1=$(tr -d '\n' < "$d/etc/machine-id" 2>/dev/null)
	if [[ $m1 =~ ^[0-9a-f]{32}$ ]]; then pass deb-nfs-pers-a "systemd wrote /etc/machine-id ($m1) into the node's directory on the server"
	else fail deb-nfs-pers-a "/etc/machine-id on the server after the first boot is '$m1'"; fi
	boot deb-nfs-pers-b 900 1024 "$pers $common debtest.net=networkd debtest.then=poweroff" "$PHOST"
	check_boot deb-nfs-pers-b networkd poweroff '10\.0\.2\.2:[^ ]+ +nfs +ro' "$PHOST"
	vm_reject deb-nfs-pers-b 'Initializing machine ID from' "after the reboot systemd finds its machine-id (kept in the node's /etc)"
	m2=$(tr -d '\n' < "$d/etc/machine-id" 2>/dev/null)
	if [ -n "$m1" ] && [ "$m1" = "$m2" ]; then pass deb-nfs-pers-b "/etc/machine-id is the same after the reboot ($m2)"
	else fail deb-nfs-pers-b "/etc/machine-id changed across the reboot ('$m1' -> '$m2')"; fi
	# The journal both boots wrote, in the node's /var on the server.
	boots=$(journalctl -D "$d/var/log/journal" --list-boots --no-pager 2>/dev/null | grep -c '^ *-\?[0-9]')
	if [ "$boots" -ge 2 ]; then pass deb-nfs-pers-b "the node's persistent journal (/var/log/journal on the server) holds both boots"
	else fail deb-nfs-pers-b "the journal in $d/var/log/journal lists $boots boots, not 2"; fi
}
want deb-nfs-pers && persistent

want deb-nfs-ifupdown && boot deb-nfs-ifupdown 600 1024 "root=nfs4:10.0.2.2:$tree $common debtest.net=ifupdown debtest.then=poweroff"
want deb-nfs-ifupdown && check_boot deb-nfs-ifupdown ifupdown poweroff 'overlay overlay'

if want deb-http; then
	boot deb-http 600 2048 "root=http://10.0.2.2:8080/root.squashfs netinit.key=$key $common debtest.net=networkd debtest.then=poweroff"
	vm_expect deb-http 'netinit verify: .*good signature' "the signed manifest is checked against netinit.key="
	check_boot deb-http networkd poweroff 'overlay overlay'
fi


echo "note: debian: total $(($(date +%s) - T0)) s"
vm_result
