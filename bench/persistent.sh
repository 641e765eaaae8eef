#!/bin/bash
# Benchmark: the cost of netinit.writable=persistent over a volatile layer, on
# the same NFS root from nfs-ganesha (rpcbind + ganesha + QEMU user
# networking, all in a network namespace made for it: 10.0.2.2 is its
# loopback).  Measured per boot: /proc/uptime as read by the new root's first
# process (kernel start -> real init).  Median of BENCH_RUNS (default 3)
# boots per mode.  stdout: a markdown section (also build/bench/persistent.md).
# Needs root; starts servers on fixed ports: run it under
# flock /tmp/netinit-test.lock when other tests may run.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
RUNS=${BENCH_RUNS:-3}
BDIR=$BUILD/bench
say() { echo "bench/persistent: $*" >&2; }
mkdir -p "$BDIR"

if [ "${1:-}" != --inner ]; then
	[ "$(id -u)" = 0 ] || { say "needs root (network namespace, ganesha)"; exit 1; }
	for t in ganesha.nfsd rpcbind qemu-system-x86_64 ip unshare; do
		command -v $t >/dev/null || { say "$t missing"; exit 1; }
	done
	[ -r "$VM_INITRD" ] || { say "$VM_INITRD missing: make initramfs"; exit 1; }
	tmp=$(mktemp -d /tmp/netinit-benchpers.XXXXXX)
	ns=netinit-benchpers-$$
	ip netns add "$ns" || exit 1
	ip netns exec "$ns" unshare -m --propagation private bash "$0" --inner "$tmp"
	rc=$?
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	sleep 0.3
	ip netns del "$ns"
	rm -rf "$tmp"
	exit $rc
fi

tmp=$2
trap '[ -f $tmp/ganesha.pid ] && kill $(cat $tmp/ganesha.pid) 2>/dev/null' EXIT
tree=$tmp/root
bash test-vm/mkroot.sh "$tree" >/dev/null || exit 1
cat > "$tree/sbin/init" <<'INIT'
#!/bin/sh
[ -r /proc/uptime ] || /bin/busybox mount -t proc proc /proc
read up idle < /proc/uptime; echo "BENCH-UPTIME $up"
export PATH=/bin:/sbin
echo "BENCH-ROOT etc=$(grep ' /etc ' /proc/mounts | cut -d' ' -f3) root=$(grep ' / ' /proc/mounts | head -n1)"
poweroff -f
INIT
chmod 755 "$tree/sbin/init"
mkdir -p "$tmp/nodes/benchnode" "$tmp/recovery"
cp -a "$tree/etc" "$tree/var" "$tmp/nodes/benchnode/"
mkdir -m 1777 "$tmp/nodes/benchnode/tmp"
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
rpcbind -w || exit 1
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || exit 1
for _ in $(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done

base="root=/dev/nfs nfsroot=10.0.2.2:$tree,vers=3,proto=tcp,port=2049,mountport=20048,mountproto=tcp ip=dhcp panic=1 quiet"
declare -A med
fail=0
for mode in volatile persistent; do
	extra="netinit.writable=volatile"
	[ $mode = persistent ] && extra="netinit.writable=persistent netinit.writable.base=10.0.2.2:$tmp/nodes"
	vals=()
	for i in $(seq "$RUNS"); do
		VM_NETDEV_EXTRA=",hostname=benchnode" vm_run bench-pers-$mode-$i 180 "$base $extra"
		up=$(grep -aoE 'BENCH-UPTIME [0-9.]+' "$(vm_log bench-pers-$mode-$i)" | awk '{print $2}')
		want='BENCH-ROOT etc= root=overlay'; [ $mode = persistent ] && want='BENCH-ROOT etc=nfs '
		if [ -n "$up" ] && grep -aq "$want" "$(vm_log bench-pers-$mode-$i)"; then
			vals+=("$up"); say "$mode run $i: $up s"
		else
			say "$mode run $i: did not reach the root as "$want" (see $(vm_log bench-pers-$mode-$i))"; fail=1
		fi
	done
	[ ${#vals[@]} -gt 0 ] && med[$mode]=$(printf '%s\n' "${vals[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
done
{
	echo "## NFS root: persistent per-host directories vs volatile overlay"
	echo
	echo "Same NFS root (nfs-ganesha, NFSv3, QEMU TCG, user networking), time from kernel start to the"
	echo "new root's init (/proc/uptime), median of $RUNS boots."
	echo
	echo "| netinit.writable= | to the real init (s) | difference |"
	echo "|---|---|---|"
	echo "| volatile | ${med[volatile]:-n/a} | |"
	if [ -n "${med[persistent]:-}" ] && [ -n "${med[volatile]:-}" ]; then
		echo "| persistent | ${med[persistent]} | $(echo "${med[persistent]} - ${med[volatile]}" | bc) s |"
	else
		echo "| persistent | ${med[persistent]:-n/a} | |"
	fi
} | tee "$BDIR/persistent.md"
exit $fail
