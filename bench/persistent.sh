#!/bin/bash
# Benchmark: the cost of netinit.writable=persistent over a volatile layer, on
# the same NFS root from nfs-ganesha (rpcbind + ganesha + QEMU user
# networking, all in a network namespace made for it: 10.0.2.2 is its
# loopback).  The node's directory is seeded as `netinit-export nodedirs`
# does (etc, var, tmp and the .netinit-owner record with the node's MAC).
# BENCH_RUNS (default 5) boots per mode, the modes alternating (volatile,
# persistent, volatile, ...) so that a change in the host's load hits both.
# Measured per boot, from the console:
#   to init   /proc/uptime as read by the new root's first process
#             (kernel start -> real init): the goal's figure;
#   netinit   netinit's own part of it (its "timings:" line, total - kernel);
#   mount     the first NFS mount's start -> exec of the real init (the
#             root, the writable layer, the hand-over), kernel timestamps;
#   RPCs      NFS calls the node's client made until the real init
#             (/proc/net/rpc/nfs "rpc" line): the same on a loaded host.
# Medians with min-max.  stdout: a markdown section (also
# build/bench/persistent.md).
# Needs root; starts servers on fixed ports: run it under
# flock /tmp/netinit-test.lock when other tests may run.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
RUNS=${BENCH_RUNS:-5}
BDIR=$BUILD/bench
say() { echo "bench/persistent: $*" >&2; }
mkdir -p "$BDIR"

if [ "${1:-}" != --inner ]; then
	[ "$(id -u)" = 0 ] || { say "needs root (network namespace, ganesha)"; exit 1; }
	for t in ganesha.nfsd rpcbind qemu-system-x86_64 ip unshare; do
		command -v $t >/dev/null || { say "$t missing"; exit 1; }
	done
	[ -r "$VM_INITRD" ] || { say "$VM_INITRD missing: make initramfs"; exit 1; }
	. bench/lib.sh
	bench_in_netns benchpers "$0"
	exit $?
fi

tmp=$2
trap '[ -f $tmp/ganesha.pid ] && kill $(cat $tmp/ganesha.pid) 2>/dev/null' EXIT
tree=$tmp/root
bash test-vm/mkroot.sh "$tree" >/dev/null || { echo "failed: mkroot.sh"; exit 1; }
cat > "$tree/sbin/init" <<'INIT'
#!/bin/sh
[ -r /proc/uptime ] || /bin/busybox mount -t proc proc /proc
read up idle < /proc/uptime; echo "BENCH-UPTIME $up"
export PATH=/bin:/sbin
echo "BENCH-ROOT etc=$(grep ' /etc ' /proc/mounts | cut -d' ' -f3) root=$(grep ' / ' /proc/mounts | head -n1)"
echo "BENCH-RPC $(awk '$1 == "rpc" { print $2 }' /proc/net/rpc/nfs)"
dmesg | grep 'netinit' | sed 's/^/BENCH-KMSG /'
poweroff -f
INIT
chmod 755 "$tree/sbin/init"
mac=52:54:00:12:34:56
mkdir -p "$tmp/nodes/benchnode" "$tmp/recovery"
cp -a "$tree/etc" "$tree/var" "$tmp/nodes/benchnode/"
mkdir -m 1777 "$tmp/nodes/benchnode/tmp"
printf '# written by netinit-export nodedirs\nmac=%s\n' "$mac" > "$tmp/nodes/benchnode/.netinit-owner"
cat > "$tmp/ganesha.conf" <<EOC
NFS_CORE_PARAM { Protocols = 3, 4; NFS_Port = 2049; MNT_Port = 20048; }
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "$tmp/recovery"; }
EXPORT { Export_Id = 1; Path = "$tree"; Pseudo = "$tree"; Access_Type = RO; Squash = No_Root_Squash;
	Protocols = 3, 4; Transports = TCP; SecType = sys; FSAL { Name = VFS; } }
EXPORT { Export_Id = 2; Path = "$tmp/nodes/benchnode"; Pseudo = "$tmp/nodes/benchnode"; Access_Type = RW;
	Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys; FSAL { Name = VFS; } }
EOC
ip link set lo up
mount -t tmpfs tmpfs /run
mkdir -p /run/rpcbind
rpcbind -w || { echo "failed: rpcbind did not start"; exit 1; }
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || { echo "failed: ganesha did not start"; exit 1; }
for _ in $(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done

base="root=/dev/nfs nfsroot=10.0.2.2:$tree,vers=3,proto=tcp,port=2049,mountport=20048,mountproto=tcp ip=dhcp panic=1 quiet"
# kmsg seconds of the first line matching $2 in log $1
kts() { grep -a "BENCH-KMSG" "$1" | grep -a -m1 -E "$2" | sed -E 's/^.*BENCH-KMSG \[ *([0-9.]+)\].*/\1/'; }
# one boot: "<to init> <netinit> <mount> <RPCs>" or nothing
measure() {
	local mode=$1 i=$2 log extra want up net t0 t1 rpc
	extra="netinit.writable=volatile" want='BENCH-ROOT etc= root=overlay'
	if [ "$mode" = persistent ]; then
		extra="netinit.writable=persistent netinit.writable.base=10.0.2.2:$tmp/nodes"
		want='BENCH-ROOT etc=nfs '
	fi
	log=$(vm_log "bench-pers-$mode-$i")
	VM_NETDEV_EXTRA=",hostname=benchnode" VM_NIC_EXTRA=",mac=$mac" vm_run "bench-pers-$mode-$i" 180 "$base $extra"
	grep -aq "$want" "$log" || { say "$mode run $i: did not reach the root as '$want' (see $log)"; return 1; }
	up=$(grep -aoE 'BENCH-UPTIME [0-9.]+' "$log" | awk '{print $2}')
	net=$(grep -a -m1 'netinit switch_root: timings:' "$log" | grep -oE 'kernel=[0-9.]+ total=[0-9.]+' |
		sed -E 's/kernel=([0-9.]+) total=([0-9.]+)/\2 \1/' | awk '{ printf "%.3f", $1 - $2 }')
	t0=$(kts "$log" 'netinit nfs: mounting ') t1=$(kts "$log" 'netinit switch_root: freed the initramfs')
	rpc=$(grep -aoE 'BENCH-RPC [0-9]+' "$log" | awk '{print $2}')
	[ -n "$up" ] && [ -n "$net" ] && [ -n "$t0" ] && [ -n "$t1" ] && [ -n "$rpc" ] ||
		{ say "$mode run $i: no timings in $log"; return 1; }
	echo "$up $net $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $rpc"
}
declare -A vals
fail=0
for i in $(seq "$RUNS"); do
	for mode in volatile persistent; do
		if m=$(measure $mode "$i"); then
			vals[$mode]+="$m"$'\n'; say "$mode run $i: to init, netinit, mount (s), NFS RPCs: $m"
		else
			fail=1
		fi
	done
done
# column $2 of mode $1: "median (min-max)" and the bare median in $med
stat() {
	printf '%s' "${vals[$1]:-}" | awk -v c="$2" 'NF { a[n++] = $c } END {
		if (!n) exit 1
		for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		printf "%.2f %.2f-%.2f\n", (n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2), a[0], a[n - 1] }'
}
row() { # metric column, label, unit
	local v p
	v=$(stat volatile "$1") && p=$(stat persistent "$1") || { echo "| $2 | failed: no successful boot in one of the modes | | |"; return; }
	set -- "$2" $v $p "$3"
	printf '| %s | %s (%s) | %s (%s) | %+.2f%s |\n' "$1" "$2" "$3" "$4" "$5" "$(awk -v a="$2" -v b="$4" 'BEGIN { print b - a }')" "$6"
}
{
	echo "## NFS root: persistent per-host directories vs volatile overlay"
	echo
	echo "Same NFS root (nfs-ganesha, NFSv3, QEMU TCG, user networking), $RUNS boots per mode, alternating;"
	echo "median (min-max). The node's directory as \`netinit-export nodedirs\` seeds it (owner record)."
	echo
	echo "| | volatile | persistent | difference (medians) |"
	echo "|---|---|---|---|"
	row 1 "kernel start → the new root's init (s)" " s"
	row 2 "netinit's part (its timings: total - kernel) (s)" " s"
	row 3 "first NFS mount → exec of the real init (s)" " s"
	row 4 "NFS RPCs of the client until the real init" ""
} | tee "$BDIR/persistent.md"
exit $fail
