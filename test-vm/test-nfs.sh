#!/bin/bash
# VM tests: NFS roots served by nfs-ganesha.  ganesha, rpcbind and QEMU all
# run inside a network namespace made for the test, so the guest's 10.0.2.2
# (QEMU user networking) is that namespace's loopback; nothing leaves it.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh

cannot() { echo "FAIL: nfs: cannot run: $*"; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
for t in ganesha.nfsd rpcbind ip unshare; do command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"; done

tmp=$(mktemp -d /tmp/netinit-vmnfs.XXXXXX)
ns=netinit-vmnfs-$$
tree=$tmp/export/root
cleanup() {
	[ -f "$tmp/ganesha.pid" ] && kill "$(cat "$tmp/ganesha.pid")" 2>/dev/null
	sleep 0.5
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
bash test-vm/mkroot.sh "$tree" || cannot "mkroot failed"
echo "served-over-nfs" > "$tree/etc/netinit-test-root"
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
ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up
# rpcbind wants /run/rpcbind: a private /run for the namespace's processes.
in_ns() { ip netns exec "$ns" unshare -m --propagation private bash -c 'mount -t tmpfs tmpfs /run; mkdir -p /run/rpcbind; '"$1"; }
cat > "$tmp/servers.sh" <<EOC
rpcbind -w || exit 10
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || exit 11
for i in \$(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done
EOC

run_case() { # name timeout append
	local name=$1 to=$2 append=$3
	# QEMU must share the namespace (and /run) with the servers: one shell for both.
	in_ns "bash $tmp/servers.sh || exit \$?; source test-vm/lib.sh; vm_run $name $to '$append'; kill \$(cat $tmp/ganesha.pid) 2>/dev/null; rm -f $tmp/ganesha.pid; sleep 0.3"
}

run_case nfs-v3 150 "root=/dev/nfs nfsroot=10.0.2.2:$tree,vers=3,proto=tcp,port=2049,mountport=20048,mountproto=tcp ip=dhcp panic=1 rd.timeout=30"
n=nfs-v3
vm_expect $n 'netinit nfs: mounted 10.0.2.2:.* with NFSv3' "kernel-style nfsroot= mounts with NFSv3"
vm_expect $n 'NETINIT-TEST rootmark=served-over-nfs' "the root is the NFS export"
vm_expect $n 'NETINIT-TEST root=overlay / overlay' "a volatile overlay (tmpfs upper) makes the NFS root writable"
vm_expect $n 'NETINIT-TEST pid=1\b' "the real init runs as PID 1"

run_case nfs-v4 150 "root=nfs4:10.0.2.2:$tree ip=dhcp panic=1 rd.timeout=30 netinit.writable=none"
n=nfs-v4
vm_expect $n 'netinit nfs: mounted 10.0.2.2:.* with NFSv4' "dracut-style root=nfs4: mounts with NFSv4"
vm_expect $n 'NETINIT-TEST root=10.0.2.2:.* / nfs4 ro' "netinit.writable=none leaves the NFS root itself, read-only"
vm_expect $n 'NETINIT-TEST rootmark=served-over-nfs' "the root is the NFS export"

run_case nfs-missing 120 "root=nfs:10.0.2.2:/no/such/export:vers=4 ip=dhcp panic=1 rd.timeout=6"
n=nfs-missing
vm_expect $n 'netinit nfs: ERROR: .*(mounting 10.0.2.2:/no/such/export failed|refused 10.0.2.2:/no/such/export)' "a missing export is reported with the server and path"
vm_expect $n 'will reboot in 1 s' "then the failure policy"
vm_reject $n 'NETINIT-TEST' "nothing booted"
vm_result
