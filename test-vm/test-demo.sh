#!/bin/bash
# VM test: `make demo` works (test-vm/demo.sh, non-interactive).
#
#  1. Ctrl-C: a demo interrupted (SIGINT) while its nodes PXE-boot stops
#     its QEMU, servers and namespace, and says so;
#  2. the whole demo: its table (both nodes, their MAC, IP, host name, root
#     source, writable mode, seconds to init and to multi-user), node1's
#     file surviving its reboot, node2 not seeing it, the distcc build on
#     both nodes, both powering off cleanly, and nothing left behind.
# The demo's two Debian boots (and node1's reboot) are also the VM tier's
# proof of the compile farm (test-debian.sh no longer boots its own).
# Run under flock /tmp/netinit-test.lock.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
T0=$SECONDS
S=$PWD/$BUILD/demo
[ "$(id -u)" = 0 ] || { echo "FAIL: demo: cannot run: needs root"; exit 1; }
pass() { echo "PASS: demo: $1"; }
fail() { echo "FAIL: demo: $1"; vm_failures=$((vm_failures + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null); [ -n "$s" ] && [ "${s#Z}" = "$s" ]; }
# left DEMO-PID: what a demo of that PID left running (namespace, QEMU, servers)
left() {
	local p=$1 what=
	ip netns list | grep -qw "netinit-demo-$p" && what+="namespace netinit-demo-$p; "
	pgrep -f "ifname=tap-node[12]-$p" >/dev/null && what+="QEMU $(pgrep -f "ifname=tap-node[12]-$p" | tr '\n' ' '); "
	for x in "${PIDS[@]}"; do alive "$x" && what+="pid $x ($(ps -o comm= -p "$x")); "; done
	echo "$what"
}

# ---- 1. Ctrl-C while the nodes boot ----
out=$VM_DIR/demo-interrupt.out
set -m  # job control: the demo gets SIGINT as from a terminal (not ignored as a background job's)
bash test-vm/demo.sh > "$out" 2>&1 &
dpid=$!
set +m
for _ in $(seq 900); do grep -q '^  consoles: ' "$out" && break; alive $dpid || break; sleep 1; done
sleep 5
PIDS=()
for f in "$S"/run/qemu-node1.pid "$S"/run/qemu-node2.pid "$S"/log/ganesha.pid "$S"/log/dnsmasq.pid "$S"/log/nginx.pid; do
	[ -s "$f" ] && PIDS+=("$(cat "$f")")
done
if ! grep -q '^  consoles: ' "$out"; then
	fail "Ctrl-C: cannot run: the demo never started its nodes: $(tail -n 5 "$out" | tr '\n' ' ')"
	kill -INT $dpid 2>/dev/null; wait $dpid
else
	check "Ctrl-C: the demo had started QEMU and the servers (${#PIDS[@]} processes recorded)" test "${#PIDS[@]}" = 5
	kill -INT $dpid
	for _ in $(seq 120); do alive $dpid || break; sleep 0.5; done
	if alive $dpid; then fail "Ctrl-C: the demo still runs 60 s after SIGINT"; kill -TERM $dpid; fi
	wait $dpid; rc=$?
	check "Ctrl-C: the demo exits with 130 (rc $rc)" test "$rc" = 130
	check "Ctrl-C: the demo says it was interrupted and cleaned up" grep -q '^demo: stopped (exit 130); servers, QEMU and namespace' "$out"
	l=$(left $dpid)
	check "Ctrl-C: no QEMU, server or namespace is left (${l:-none})" test -z "$l"
fi

# ---- 2. the whole demo ----
out=$VM_DIR/demo-run.out
t=$SECONDS
bash test-vm/demo.sh > "$out" 2>&1
rc=$?
echo "note: demo: the whole demo took $((SECONDS - t)) s (rc $rc; output $out)"
check "the demo ends with its OK line" grep -q '^demo: OK in [0-9]* s: two Debian nodes' "$out"
[ "$rc" = 0 ] || { fail "the demo exited $rc: $(grep -m1 '^demo: FAILED' "$out")"; tail -n 30 "$out"; }
num='[0-9]+\.[0-9]+'
# The table rows, twice (before and after node1's reboot).
r1="^node1 +52:54:00:80:00:01 +10\.80\.0\.11/24 +node1 +$num +$num +NFSv3 10\.80\.0\.1:/[^ ]*debian/root \| persistent \(/etc = 10\.80\.0\.1:$S/nodes/node1(/etc)?\)"
r2="^node2 +52:54:00:80:00:02 +10\.80\.0\.12/24 +node2 +$num +$num +http://10\.80\.0\.1/netinit/images/debian/root\.squashfs \(squashfs in RAM\), signature verified \| volatile \(tmpfs overlay\)"
check "table: node1's row (MAC, IP, DHCP host name, seconds to init and multi-user, NFSv3 root, persistent /etc on the server), before and after its reboot" \
	test "$(grep -cE "$r1" "$out")" = 2
check "table: node2's row (signed squashfs over HTTP in RAM, volatile), twice" test "$(grep -cE "$r2" "$out")" = 2
check "every boot (node1 twice, node2) reached multi-user.target, state 'running', no failed unit" \
	test "$(grep -cE "^  \[[0-9]+ s\] node[12] (booted|is back): systemd state 'running', 0 failed units" "$out")" = 3
check "node1's file in /etc survived its reboot" grep -q "^demo: survived: node1's /etc/demo-survives after the reboot: 'written on node1" "$out"
check "node1's machine-id survived its reboot" grep -q "^demo: survived: node1's /etc/machine-id is the same" "$out"
check "node1's file is on the server, in its node directory" grep -q "^  on the server: $S/nodes/node1/etc/demo-survives: written on node1" "$out"
check "node2 does not see node1's file" grep -q '^demo: not seen: node2 has no /etc/demo-survives' "$out"
check "the distcc build across both nodes passed, and its result runs" \
	test "$(grep -cE '^  PASS: distcc: (make all|the built netinit-sign)' "$out")" = 2
for n in 1 2; do
	c=$(sed -n "s/^demo: compiled on node$n: \([0-9]*\) objects.*/\1/p" "$out")
	check "node$n compiled ${c:-no} objects" test "${c:-0}" -gt 0
	check "node$n powered off with no 'nfs: server not responding'" grep -q "^demo: node$n powered off (0 'nfs: server not responding' lines)" "$out"
done
vm_reject demo-node1 'nfs: server .* not responding' "node1's console (both boots): no 'nfs: server not responding'"
vm_expect demo-node1 'netinit writable: persistent: 10\.80\.0\.1:.*/nodes/node1 bound over /etc /var /tmp' "node1's directories were bound over /etc /var /tmp by netinit"
vm_expect demo-node2 'netinit verify: .*good signature' "node2's image was verified against the site key"
vm_expect demo-node2 'hook 40-distccd: distccd enabled' "the example hook enabled distccd"
l=$(left "$(sed -n 's/.*namespace netinit-demo-\([0-9]*\):.*/\1/p' "$out" | head -n1)")
check "nothing is left running after the demo (${l:-none})" test -z "$l"
echo "note: test-demo.sh took $((SECONDS - T0)) s" >&2
vm_result
