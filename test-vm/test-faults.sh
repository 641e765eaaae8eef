#!/bin/bash
# VM test: the fault suite, in the site (test-vm/site.sh: netinit-export's
# rendered dnsmasq, nginx and nfs-ganesha in a network namespace; nodes
# PXE-boot on its bridge).  Each fault ends as the design promises:
#   1. the HTTP server drops the image transfer mid-way (twice): the node
#      resumes with Range and boots the signed image (doc/fetch.md);
#   2. dnsmasq starts 20 s after the node: its DHCP keeps trying within
#      its bounds and the node boots (doc/network.md);
#   3. nfs-ganesha restarts while the node boots (right after the root is
#      mounted) and again while it runs: the node carries on, reads a file
#      created after the restart and writes to its persistent /etc;
#   4. an image tampered with on the server after signing: refused, the
#      console and the report (HTTP POST and syslog) name the hash mismatch
#      and the URL, nothing boots, the failure policy reboots (QEMU exits);
#   5. a node's DHCP host name changed to a name another node holds: the
#      site description refuses it (netinit-export check names both
#      places, also for the same first label written as an FQDN); when the
#      DHCP server hands the name to another machine anyway, that machine
#      gets a volatile boot with a loud warning naming both MACs, or fails
#      with netinit.writable.collision=fail, and the owner's data is left.
# Faults are made for real: tests/fetch/faultproxy.py between the nodes
# and nginx cuts the connection, the daemons are killed and started again.
# Needs root; run under flock /tmp/netinit-test.lock (a namespace, ganesha).
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/site.sh
SITE=$PWD/$BUILD/site-faults # not test-site.sh's tree
t_all=$SECONDS
cannot() { echo "FAIL: faults: cannot run: $*"; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, ganesha)"
for t in ganesha.nfsd rpcbind dnsmasq nginx mksquashfs python3 nsenter unshare qemu-system-x86_64; do
	command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
done
check() { # what cmd...: PASS when the command succeeds
	local what=$1; shift
	if "$@"; then echo "PASS: faults: $what"; else echo "FAIL: faults: $what"; vm_failures=$((vm_failures + 1)); fi
}
S=$SITE_IP
mac1=52:54:00:77:00:01 mac2=52:54:00:77:00:02 mac3=52:54:00:77:00:03 mac4=52:54:00:77:00:04
declare -a bg=()
cleanup() {
	ganesha_stop
	for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "${RPC_PID:-}" ] && kill "$RPC_PID" 2>/dev/null
	site_down
}
trap cleanup EXIT

# ---- the site: test-vm/site.sh's, plus this test's drop-in ----
site_build || exit 1
shared=$SITE/images/shared
# The NFS nodes' init: report, write into the persistent /etc; when the
# server has /faults-wait, wait for the test's go (it restarts the NFS
# server meanwhile), then read a file made after the restart and write.
{ bash test-vm/mkroot.sh "$shared" && echo "shared-nfs-root" > "$shared/etc/netinit-test-root"; } >/dev/null || cannot "mkroot failed"
cat > "$shared/sbin/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin; h=$(hostname)
m() { echo "NETINIT-TEST $*"; }
m "hostname=$h"
m "root=$(grep ' / ' /proc/mounts | head -n1)"
m "mnt-etc=$(awk '$2 == "/etc" { print $1, $3 }' /proc/mounts | tail -n1)"
m "seen-etc=$(ls -a /etc | grep '^pt-' | tr '\n' ' ')."
echo "$h" > "/etc/pt-$h" || m "write-failed"
m "rootmark=$(cat /etc/netinit-test-root)"
if [ -e /faults-wait ]; then
	m "ready"
	i=0
	until busybox wget -q -O /dev/null http://10.77.0.1/netinit/images/go 2>/dev/null; do
		i=$((i + 1)); [ $i -ge 300 ] && break; sleep 1
	done
	m "after-restart=$(cat /after-restart 2>/dev/null || echo unreadable)"
	echo "$h" > /etc/written-after-restart && sync && m "wrote-after-restart"
fi
sync
m "done"
poweroff -f
INIT
chmod 755 "$shared/sbin/init"
# The demo image, with 3 MiB that do not compress: a transfer worth cutting.
head -c 3145728 /dev/urandom > "$SITE/tree/var/filler"
mksquashfs "$SITE/tree" "$SITE/images/demo/root.squashfs" -comp zstd -noappend -quiet >/dev/null || cannot "mksquashfs"
mkdir -p "$SITE/images/bad"
cp "$SITE/images/demo/root.squashfs" "$SITE/images/bad/root.squashfs"
mkdir -p "$SITE/etc/conf.d" "$SITE/recovery"
cat > "$SITE/etc/conf.d/60-faults.conf" <<EOC
# The fault suite's additions: images through the fault proxy (:8081),
# the NFS root and per-node directories, syslog to the boot server.
[site]
http-url = http://$S:8081/netinit/images
log-server = $S
outputs = dnsmasq pxelinux nginx manifests tftp ganesha nodedirs
[output]
ganesha = $SITE/out/ganesha-exports.conf

[image bad]
file = bad/root.squashfs
version = 1

[image shared]
root = nfs
path = $shared
writable = persistent

[override node2]
image = bad
cmdline = netinit.report=http://$S:8082/netinit/report
EOC
cat > "$SITE/etc/nodes.d/20-nfs.conf" <<EOC
# Two nodes on the shared NFS root with their own /etc, /var, /tmp.
[node node3]
mac = $mac3
ip = 10.77.0.13
image = shared

[node node4]
mac = $mac4
ip = 10.77.0.14
image = shared
EOC
render() { build/netinit-export -c "$SITE/etc" render "$@" > "$SITE/log/render.log" 2>&1; }
render || cannot "netinit-export render: $(tail -n 5 "$SITE/log/render.log")"
# Tampered with on the server after signing: one byte flipped.
printf '\x5a' | dd of="$SITE/images/bad/root.squashfs" bs=1 seek=1000000 conv=notrunc status=none
append_of() { sed -n 's/^ *APPEND //p' "$SITE/tftp/pxelinux.cfg/01-${1//:/-}"; }

# ---- the servers ----
site_up || exit 1
chmod 755 "$SITE" # nginx's workers read the images
ip netns exec "$SITE_NS" python3 tests/fetch/faultproxy.py 8081 80 --listen "$S" --upstream "$S" \
	--mode drop=300000,2 --log "$SITE/log/proxy.log" & bg+=($!)
mkdir -p "$SITE/report"
ip netns exec "$SITE_NS" python3 test-vm/listener.py "$S" 514 8082 "$SITE/report" & bg+=($!)
cat > "$SITE/ganesha.conf" <<EOC
NFS_CORE_PARAM { Protocols = 3, 4; }
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "$SITE/recovery"; }
%include "$SITE/out/ganesha-exports.conf"
EOC
# rpcbind wants /run/rpcbind: it and ganesha run in a mount namespace of
# their own (a private /run) inside the site's network namespace.
ip netns exec "$SITE_NS" unshare -m --propagation private bash -c \
	'mount -t tmpfs tmpfs /run && mkdir -p /run/rpcbind && { rpcbind -f -w & echo $! > "$1"; }' _ "$SITE/log/rpcbind.pid" \
	|| cannot "rpcbind"
sleep 0.5
RPC_PID=$(cat "$SITE/log/rpcbind.pid")
kill -0 "$RPC_PID" 2>/dev/null || cannot "rpcbind did not start"
ganesha_n=0
ganesha_start() {
	ganesha_n=$((ganesha_n + 1))
	local log=$SITE/log/ganesha-$ganesha_n.log
	nsenter -t "$RPC_PID" -m -n ganesha.nfsd -f "$SITE/ganesha.conf" -L "$log" -p "$SITE/log/ganesha.pid" -N NIV_EVENT || return 1
	for _ in $(seq 150); do grep -q 'NFS SERVER INITIALIZED' "$log" 2>/dev/null && return 0; sleep 0.2; done
	return 1
}
ganesha_stop() {
	local pid
	pid=$(cat "$SITE/log/ganesha.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
	rm -f "$SITE/log/ganesha.pid"
}
ganesha_start || cannot "ganesha did not start: $(grep -E 'CRIT|MAJ|FATAL' "$SITE"/log/ganesha-*.log | tail -n 3)"
t_case=$SECONDS
took() { echo "note: faults: case $1 took $((SECONDS - t_case)) s" >&2; t_case=$SECONDS; }
echo "note: faults: site up after $((SECONDS - t_all)) s" >&2

# ---- 4. the tampered image (PXE boot, dnsmasq up) ----
n=f-tampered
site_boot $n $mac2 300
rc=$?
vm_expect $n "netinit verify: ERROR: http://$S:8081/netinit/images/bad/root.squashfs: sha256 mismatch: expected [0-9a-f]{64}, got [0-9a-f]{64}" "the console names the hash mismatch and the URL"
vm_reject $n 'NETINIT-TEST' "the tampered image is not booted"
vm_expect $n 'will reboot in 5 s' "the failure policy (panic=5 of the site's cmdline) acts"
check "$n: the node rebooted (QEMU exited under -no-reboot, rc $rc)" test $rc = 0
for f in "$SITE/report/http.txt" "$SITE/report/syslog.txt"; do
	check "$n: the report ($(basename "$f" .txt)) says the boot failed" grep -aq 'result=failed' "$f"
	check "$n: the report ($(basename "$f" .txt)) names the hash mismatch and the URL" \
		grep -aqE "log=.*http://$S:8081/netinit/images/bad/root.squashfs: sha256 mismatch" "$f"
	check "$n: the report ($(basename "$f" .txt)) names the node" grep -aq "mac=$mac2" "$f"
	check "$n: the report's error ($(basename "$f" .txt)) says the image did not verify" \
		grep -aqE "error=could not mount the root filesystem: the root image did not verify" "$f"
done

took "4 (tampered image)"
# ---- 1 + 2. dnsmasq 20 s late, the image transfer cut twice ----
# The firmware's PXE cannot wait for a DHCP server that is not there, so
# the node's kernel and initramfs are given to QEMU with exactly the line
# netinit-export rendered for it: netinit's own DHCP meets the late server,
# started 20 s after netinit's first line.
n=f-late-drop
site_dnsmasq_stop
: > "$SITE/log/proxy.log"; : > "$(vm_log $n)"
dhcp_t0=$(wc -l < "$SITE/log/dnsmasq.log")
site_boot $n $mac1 300 "$(append_of $mac1)" & q=$!
vm_wait_for $n 'netinit early: netinit starting' 200 "node1's netinit starts (dnsmasq is down)" && sleep 20
site_dnsmasq_start || cannot "dnsmasq did not start again"
wait $q
vm_expect $n 'netinit dhcp: eth0: lease 10\.77\.0\.11/24 from 10\.77\.0\.1' "DHCP kept trying until dnsmasq came up 20 s later"
vm_reject $n 'no DHCP lease|no lease after' "within its bounds: no DHCP cycle ran out"
t_start=$(vm_text $n | tr -d '\r' | sed -n 's/^\[ *\([0-9.]*\)\] netinit early: netinit starting.*/\1/p' | head -n1)
t_lease=$(vm_text $n | tr -d '\r' | sed -n 's/^\[ *\([0-9.]*\)\] netinit dhcp: eth0: lease .*/\1/p' | head -n1)
waited=$(echo "${t_lease:-0} - ${t_start:-0}" | bc)
check "$n: the lease came ${waited} s after netinit started (dnsmasq was down for 20 s of it)" \
	test "$(echo "$waited >= 15" | bc)" = 1
check "$n: dnsmasq acked node1 after its late start" grep -q "DHCPACK(br0) 10.77.0.11 $mac1 node1" <(tail -n +"$((dhcp_t0 + 1))" "$SITE/log/dnsmasq.log")
url="http://$S:8081/netinit/images/demo/root.squashfs"
pl=$SITE/log/proxy.log
resumes=$(vm_text $n | tr -d '\r' | sed -n "s|^\[ *[0-9.]*\] netinit fetch: warning: $url: .*; try [0-9]/5 in [0-9.]* s, resuming at byte \([0-9]*\)\$|\1|p" | tr '\n' ' ')
check "$n: the node logged two interrupted transfers, each resumed (at bytes: ${resumes:-none})" test "$(wc -w <<< "$resumes")" = 2
check "$n: the proxy cut the image connection twice, mid-transfer" test "$(grep -c '^cut /netinit/images/demo/root.squashfs after 300000 body bytes' "$pl")" = 2
for b in $resumes; do
	check "$n: the proxy got the resume as a Range request (bytes=$b-) after a cut" \
		grep -qx "GET /netinit/images/demo/root.squashfs range=bytes=$b-" <(grep -A1 '^cut /netinit/images/demo/root.squashfs ' "$pl")
done
vm_expect $n 'sha256 [0-9a-f]{64} verified \(signed manifest\)' "the resumed image's hash is the signed one"
vm_expect $n 'NETINIT-TEST rootmark=booted-from-signed-squashfs' "the node boots the signed image"
vm_expect $n 'NETINIT-TEST done' "the boot completed"

took "1+2 (late DHCP server, cut transfers)"
# ---- 3. nfs-ganesha restarts while node3 boots and while it runs ----
n=f-nfs-restart
: > "$shared/faults-wait"
rm -f "$shared/after-restart" "$SITE/images/go"
: > "$(vm_log $n)"
site_boot $n $mac3 420 & q=$!
if vm_wait_for $n 'netinit nfs: mounted ' 240 "node3 mounts the shared root"; then
	ganesha_stop; down_at=$(grep -ac . "$(vm_log $n)")
	sleep 8
	check "ganesha restarted (during node3's boot)" ganesha_start
	check "$n: the server went down before node3's init ran" \
		test -z "$(head -n "$down_at" "$(vm_log $n)" | grep -a 'NETINIT-TEST')"
fi
if vm_wait_for $n 'NETINIT-TEST ready' 240 "node3 carries on into its init"; then
	ganesha_stop
	sleep 8
	echo "written-after-the-restart" > "$shared/after-restart"
	check "ganesha restarted (while node3 runs)" ganesha_start
	: > "$SITE/images/go"
fi
wait $q
vm_expect $n "netinit writable: persistent: $S:$SITE/nodes/node3 bound over /etc /var /tmp" "node3's own directories are bound over /etc /var /tmp"
vm_expect $n 'NETINIT-TEST rootmark=shared-nfs-root' "node3 runs the shared NFS root"
vm_expect $n 'NETINIT-TEST after-restart=written-after-the-restart' "after the restart node3 reads a file created on the server meanwhile"
vm_expect $n 'NETINIT-TEST wrote-after-restart' "and writes into its persistent /etc"
check "$n: what node3 wrote after the restart is on the server" grep -qx node3 "$SITE/nodes/node3/etc/written-after-restart"
vm_expect $n 'NETINIT-TEST done' "no lost root: node3's init ran to its end"
rm -f "$shared/faults-wait" "$SITE/images/go"

took "3 (NFS server restarts)"
# ---- 5. node4's DHCP host name changed to node3's ----
n=f-collision
dropin=$SITE/etc/nodes.d/20-nfs.conf
cp "$dropin" "$SITE/dropin.orig"
before=$(md5sum "$SITE/out/dnsmasq.conf" "$SITE"/tftp/pxelinux.cfg/01-* | md5sum)
for name in node3 node3.rack2; do
	sed -i "s/^\[node node4\]/[node $name]/" "$dropin"
	build/netinit-export -c "$SITE/etc" check > "$SITE/log/check-$name.log" 2>&1; rc=$?
	check "renaming node4 to $name: netinit-export check refuses it, naming both places" \
		grep -qE "nodes.d/20-nfs.conf:7: node $name.*nodes.d/20-nfs.conf:2" "$SITE/log/check-$name.log"
	check "... and exits non-zero (rc $rc)" test $rc != 0
	render; check "... render writes nothing" test "$before" = "$(md5sum "$SITE/out/dnsmasq.conf" "$SITE"/tftp/pxelinux.cfg/01-* | md5sum)"
	cp "$SITE/dropin.orig" "$dropin"
done
# The DHCP server hands node3's name and address to node4's machine anyway:
# the machines' MACs are swapped in the drop-in and only the DHCP side is
# rendered (dnsmasq, pxelinux) and restarted; node3's directory still
# records node3's MAC (nodedirs was not run), so the records and DHCP disagree.
sed -i "s/^mac = $mac3/mac = SWAP/; s/^mac = $mac4/mac = $mac3/; s/^mac = SWAP/mac = $mac4/" "$dropin"
render dnsmasq pxelinux || cannot "netinit-export render dnsmasq pxelinux: $(tail -n 3 "$SITE/log/render.log")"
# The swapped machines' old leases go too (dnsmasq would not give one's
# address to the other while it is leased).
site_dnsmasq_stop
sed -i "/ $mac3 /d; / $mac4 /d" "$SITE/log/dnsmasq.leases"
site_dnsmasq_start || cannot "dnsmasq did not start again"
snap() { find "$SITE/nodes/node3" -printf '%p %s %T@\n' | sort | md5sum; }
before=$(snap)
site_boot $n $mac4 300
vm_expect $n 'netinit dhcp: eth0: lease 10\.77\.0\.13/24 from 10\.77\.0\.1' "node4's machine gets node3's address from the restarted dnsmasq"
vm_expect $n "host name collision: $SITE/nodes/node3 belongs to $mac3 \(\.netinit-owner\), this machine is $mac4" "node3's directory is refused; the warning names both MACs"
vm_expect $n 'VOLATILE BOOT' "a loud volatile boot"
vm_expect $n 'NETINIT-TEST root=overlay / overlay' "it boots with a volatile layer"
vm_expect $n 'NETINIT-TEST seen-etc=\.[[:space:]]*$' "it sees none of node3's files"
check "$n: node3's directory on the server is unchanged" test "$before" = "$(snap)"
# ... and with netinit.writable.collision=fail the boot stops.
n=f-collision-fail
printf '\n[override node3]\ncmdline = netinit.writable.collision=fail\n' >> "$dropin"
render pxelinux || cannot "netinit-export render pxelinux: $(tail -n 3 "$SITE/log/render.log")"
site_boot $n $mac4 300 "$(append_of $mac4)" # the line just rendered, without the firmware's minute
rc=$?
vm_expect $n "host name collision: .*node3 belongs to $mac3" "collision=fail: the collision is named"
vm_expect $n 'collision=fail: the boot stops here' "netinit.writable.collision=fail makes it a boot failure"
vm_expect $n "could not mount the root filesystem: the node's directory belongs to another machine" "the failure names the collision"
vm_reject $n 'NETINIT-TEST' "nothing booted"
check "$n: the failure policy rebooted the node (QEMU exited, rc $rc)" test $rc = 0
check "$n: node3's directory on the server is still unchanged" test "$before" = "$(snap)"

took "5 (host name collision)"
echo "note: test-faults.sh took $((SECONDS - t_all)) s" >&2
vm_result
