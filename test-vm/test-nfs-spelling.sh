#!/bin/bash
# VM tests: NFS spellings as dracut, initramfs-tools and the kernel write
# them, on the command line and as a DHCP root-path (option 17) from
# dnsmasq, against nfs-ganesha.  Each boot checks the server, path, version
# and options of the root the booted system sees in /proc/mounts
# (netinit.writable=none: the NFS mount itself is the root).  The silent
# cases point the root at 10.78.0.2, where a listener accepts TCP on the
# rpcbind, NFS and MOUNT ports and never answers: one mount try must end
# within netinit's bound (timeo=50,retrans=2: 5 + 10 = 15 s, doc/nfs.md "Timeouts")
# and the failure policy must reboot (QEMU exits under -no-reboot).  Everything runs
# in a network namespace made for the test, on a bridge 10.78.0.1/24 with
# the guest on a tap device; nothing leaves it.
#   NFS_SPELLING_CASES="name ..."  run only these cases
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
T0=$(date +%s)

cannot() { echo "FAIL: nfs-spelling: cannot run: $*"; exit 1; }
SRV=10.78.0.1
SILENT=10.78.0.2

if [ -z "${NFS_SPELLING_IN_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
	for t in ganesha.nfsd rpcbind dnsmasq ip unshare; do command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"; done
	ns=netinit-nfsspell-$$
	tmp=$(mktemp -d /tmp/netinit-nfsspell.XXXXXX)
	chmod 755 "$tmp"
	quiet=$ns-silent
	trap 'for n in "$ns" "$quiet"; do ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null; done; sleep 0.3
		ip netns del "$ns" 2>/dev/null; ip netns del "$quiet" 2>/dev/null; rm -rf "$tmp"' EXIT
	bash test-vm/mkroot.sh "$tmp/export/root" || cannot "mkroot failed"
	echo "served-over-nfs" > "$tmp/export/root/etc/netinit-test-root"
	ip netns add "$ns" || cannot "ip netns add failed"
	ip -n "$ns" link set lo up
	ip -n "$ns" link add br0 type bridge
	ip -n "$ns" addr add "$SRV/24" dev br0
	ip -n "$ns" link set br0 up
	# The silent server: a namespace of its own on the bridge (rpcbind and
	# ganesha hold ports 111 and 2049 on every address of $ns), where a
	# listener accepts TCP on 111, 2049 and 20048 and never answers.
	ip netns add "$quiet" || cannot "ip netns add failed"
	ip -n "$ns" link add vq0 type veth peer name vq1 netns "$quiet"
	ip -n "$ns" link set vq0 master br0 up
	ip -n "$quiet" addr add "$SILENT/24" dev vq1
	ip -n "$quiet" link set vq1 up
	ip -n "$quiet" link set lo up
	ip netns exec "$quiet" python3 -c '
import socket, select
ls = []
for port in (111, 2049, 20048):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("'$SILENT'", port)); s.listen(64); ls.append(s)
print("listening", flush=True)
conns = []
while True:
    r, _, _ = select.select(ls + conns, [], [])
    for s in r:
        if s in ls: conns.append(s.accept()[0])
        elif not s.recv(65536): conns.remove(s); s.close()
' > "$tmp/silent.log" 2>&1 &
	for i in $(seq 25); do grep -q listening "$tmp/silent.log" && break; sleep 0.2; done
	grep -q listening "$tmp/silent.log" || cannot "the silent listener did not start: $(cat "$tmp/silent.log")"
	# the servers and QEMU share the namespace and a private /run (rpcbind)
	ip netns exec "$ns" unshare -m --propagation private \
		env NFS_SPELLING_IN_NS=1 NFS_TMP="$tmp" NFS_NS="$ns" bash "$0"
	exit $?
fi

tmp=$NFS_TMP
tree=$tmp/export/root
mount -t tmpfs tmpfs /run && mkdir -p /run/rpcbind || cannot "private /run"
mkdir -p "$tmp/recovery"
cat > "$tmp/ganesha.conf" <<EOC
NFS_CORE_PARAM { Protocols = 3, 4; NFS_Port = 2049; MNT_Port = 20048; }
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "$tmp/recovery"; }
EXPORT {
	Export_Id = 1; Path = "$tree"; Pseudo = "$tree";
	Access_Type = RO; Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys;
	FSAL { Name = VFS; }
}
EOC
rpcbind -w || cannot "rpcbind did not start"
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || cannot "ganesha did not start"
for i in $(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done

# boot NAME ROOT_PATH APPEND: dnsmasq with that root-path ("" = none), one guest on a tap
boot() {
	local name=$1 rp=$2 append=$3 tap=tap$RANDOM opt=()
	[ -n "$rp" ] && opt=(--dhcp-option="option:root-path,$rp")
	dnsmasq --interface=br0 --bind-interfaces --port=0 --dhcp-range=10.78.0.100,10.78.0.150,255.255.255.0,1h \
		--dhcp-authoritative --pid-file="$tmp/dnsmasq.pid" --dhcp-leasefile="$tmp/dnsmasq.leases" \
		--log-facility="$tmp/dnsmasq.log" "${opt[@]}" || { echo "FAIL: $name: dnsmasq did not start"; vm_failures=$((vm_failures + 1)); return; }
	ip tuntap add "$tap" mode tap && ip link set "$tap" master br0 up
	VM_NET=none vm_run "$name" "${BOOT_TIMEOUT:-120}" "$append ip=dhcp panic=1 rd.timeout=20 netinit.writable=none" \
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" -device virtio-net-pci,netdev=n0
	local rc=$?
	ip link del "$tap" 2>/dev/null
	kill "$(cat "$tmp/dnsmasq.pid")" 2>/dev/null
	sleep 0.2
	return $rc
}

# check NAME "mount source" VERSION "options that must be in /proc/mounts"
check() {
	local n=$1 src=$2 vers=$3 opts=$4 o
	vm_expect "$n" "NETINIT-TEST rootmark=served-over-nfs" "boots from the export"
	vm_expect "$n" "NETINIT-TEST root=$src / nfs4? ro,.*vers=$vers" "the root is $src, NFS version $vers"
	for o in $opts; do
		vm_expect "$n" "NETINIT-TEST root=$src / .*[ ,]$o[ ,]" "mounted with $o"
	done
}

want() { [ -z "${NFS_SPELLING_CASES:-}" ] || [[ " $NFS_SPELLING_CASES " == *" $1 "* ]]; }
T=$tree

# ---- the command line ----
if want itools; then
	n=nfs-itools
	boot $n "" "root=/dev/nfs nfsroot=$SRV:$T,tcp,v3,nolock,port=2049"
	check $n "$SRV:$T" 3 "proto=tcp nolock port=2049 timeo=50 retrans=2"
	vm_expect $n "netinit nfs: mounting $SRV:$T \\(NFSv3, ro\\)" "logs NFSv3 before the mount"
	vm_expect $n "netinit nfs: mounted $SRV:$T with NFSv3" "logs NFSv3 once mounted"
	vm_reject $n "NETINIT-TEST modules=.*nfsv4" "no nfsv4 module is loaded"
fi
if want dracut-colon; then
	n=nfs-dracut-colon
	boot $n "" "root=nfs:$SRV:$T:wsize=4096,vers=3"
	check $n "$SRV:$T" 3 "wsize=4096"
fi
if want user-timeo; then
	n=nfs-user-timeo
	boot $n "" "root=nfs:$SRV:$T:vers=3,timeo=70,retrans=3"
	check $n "$SRV:$T" 3 "timeo=70 retrans=3"
fi
if want dracut-nfs4; then
	n=nfs-dracut-nfs4
	boot $n "" "root=nfs4:$SRV:$T:v4.1,rsize=8192"
	check $n "$SRV:$T" 4.1 "rsize=8192"
	vm_reject $n "NETINIT-TEST modules=.*nfsv3" "no nfsv3 module is loaded"
fi
if want dracut-legacy; then
	n=nfs-dracut-legacy
	boot $n "" "root=$SRV:$T"
	check $n "$SRV:$T" "4.[0-2]" ""
fi
# ---- the DHCP root-path ----
if want rp-nfs-colon; then
	n=nfs-rp-nfs-colon
	boot $n "nfs:$SRV:$T:wsize=4096" "root=dhcp"
	check $n "$SRV:$T" "4.[0-2]" "wsize=4096"
	vm_expect $n "netinit nfs: root from DHCP root-path: nfs:$SRV:$T:wsize=4096" "the root-path came from dnsmasq"
fi
if want rp-nfs4-comma; then
	n=nfs-rp-nfs4-comma
	boot $n "nfs4:$SRV:$T,wsize=4096" "root=dhcp"
	check $n "$SRV:$T" "4.[0-2]" "wsize=4096"
fi
if want rp-plain-v3; then
	n=nfs-rp-plain-v3
	boot $n "$SRV:$T,v3,tcp" "root=/dev/nfs"
	check $n "$SRV:$T" 3 "proto=tcp"
fi
# ---- a server that never answers ----
# silent NAME APPEND: the mount try ends within the bound, the policy reboots.
silent() {
	local n=$1 append=$2 rc t0 t1 t2 took
	BOOT_TIMEOUT=240 boot $n "" "$append netinit.retries=0"
	rc=$?
	if [ "$rc" = 0 ]; then pass_ "$n" "QEMU exited by itself: the failure policy rebooted (-no-reboot)"
	else fail_ "$n" "QEMU did not exit within 240 s (the mount or the policy hung)"; fi
	vm_expect $n "netinit nfs: mounting $SILENT:/srv/root" "the mount of the silent server started"
	vm_expect $n "netinit nfs: ERROR: mounting $SILENT:/srv/root failed after [0-9]+ tries in 20 s: (Connection timed out|Input/output error)" \
		"the mount tries failed with a timeout and the stage gave up (rd.timeout=20)"
	vm_expect $n "netinit rescue: ERROR: boot failed in stage mount; will reboot" "the failure policy reboots"
	vm_expect $n "reboot: Restarting system" "the kernel restarts"
	# one try: from "mounting" to the first "failed" (the warning before a
	# retry, or the final error); the stage: to the final error
	t0=$(vm_text $n | sed -n "s/^\[ *\([0-9.]*\)\] netinit nfs: mounting $SILENT.*/\1/p" | head -n1)
	t1=$(vm_text $n | sed -n "s/^\[ *\([0-9.]*\)\] netinit nfs: .*mount\(ing\)\? $SILENT:\/srv\/root failed.*/\1/p" | head -n1)
	t2=$(vm_text $n | sed -n "s/^\[ *\([0-9.]*\)\] netinit nfs: ERROR: mounting $SILENT.* failed after.*/\1/p" | head -n1)
	if [ -n "$t0" ] && [ -n "$t1" ] && [ -n "$t2" ]; then
		took=$(echo "$t1 - $t0" | bc)
		# 15 s is the RPC bound (the kernel's defaults: 180 s); the slack is
		# for TCG and the stage's own steps
		if [ "$(echo "$took < 25" | bc)" = 1 ]; then pass_ "$n" "one mount try ended after $took s (bound 15 s)"
		else fail_ "$n" "one mount try took $took s (bound 15 s)"; fi
		took=$(echo "$t2 - $t0" | bc)
		if [ "$(echo "$took < 45" | bc)" = 1 ]; then pass_ "$n" "the stage gave up after $took s (rd.timeout=20 + one try)"
		else fail_ "$n" "the stage took $took s (bound rd.timeout=20 + 15 s)"; fi
	else fail_ "$n" "no start/end time of the mount in the console log"; fi
}
pass_() { echo "PASS: $1: $2"; }
fail_() { echo "FAIL: $1: $2"; vm_failures=$((vm_failures + 1)); }
if want silent-v4 || want silent-v3; then
	want silent-v4 && silent nfs-silent-v4 "root=nfs:$SILENT:/srv/root"
	want silent-v3 && silent nfs-silent-v3 "root=/dev/nfs nfsroot=$SILENT:/srv/root,tcp,v3"
fi
kill "$(cat "$tmp/ganesha.pid")" 2>/dev/null
echo "note: test-nfs-spelling took $(($(date +%s) - T0)) s" >&2
vm_result
