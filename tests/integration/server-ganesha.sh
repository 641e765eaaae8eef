#!/bin/bash
# nfs-ganesha really starts with the EXPORT blocks netinit-export renders,
# inside a network namespace of our own (its own loopback, its own /run for
# rpcbind's socket), and serves them:
#   - showmount -e 127.0.0.1 lists the image and node n1's directory (n1 is
#     127.0.0.1), and not n2's: ganesha lists to a client only the exports it
#     may mount, and n2's directory is read-write to 127.0.0.2 only.
# Mounting is left to the VM tests: this machine's kernel has no NFS client.
# No network =: the image export lists its clients ("Clients = a, b;").
set -u
cd "$(dirname "$0")/../.."
BIN=${NETINIT_EXPORT:-${BUILD:-build}/netinit-export}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
fail=0
pass() { echo "PASS: $1"; }
failc() { echo "FAIL: $1: $2"; fail=1; }
cannot() { echo "FAIL: ganesha: cannot run: $1"; exit 1; }

[ -x "$BIN" ] || cannot "$BIN not built"
[ "$(id -u)" = 0 ] || cannot "needs root (network namespace, mount)"
for t in ganesha.nfsd rpcbind showmount ip unshare; do
	command -v "$t" >/dev/null || cannot "$t not installed (nfs-ganesha nfs-ganesha-vfs rpcbind nfs-common iproute2)"
done

tmp=$(mktemp -d /tmp/netinit-ganesha.XXXXXX)
ns=netinit-ganesha-$$
cleanup() {
	if [ -f "$tmp/ganesha.pid" ]; then
		pid=$(cat "$tmp/ganesha.pid")
		kill "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null
	fi
	if [ -f "$tmp/rpcbind.pid" ]; then kill "$(cat "$tmp/rpcbind.pid")" 2>/dev/null; fi
	ip netns del "$ns" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

# ---- the configuration: one NFS image, two persistent nodes ----
mkdir -p "$tmp/etc/nodes.d" "$tmp/images/bookworm/etc" "$tmp/out"
echo "bookworm" > "$tmp/images/bookworm/etc/hostname"
cat > "$tmp/etc/netinit.conf" <<EOC
[site]
server = 127.0.0.254
images-dir = $tmp/images
nodes-dir = $tmp/nodes
outputs = ganesha nodedirs
[output]
ganesha = $tmp/out/netinit-exports.conf
[image bookworm]
writable = persistent
EOC
cat > "$tmp/etc/nodes.d/10-nodes.conf" <<'EOC'
[group n]
name = n%d
count = 2
ip = 127.0.0.1
mac-start = 52:54:00:12:34:01
EOC
if "$BIN" -q -c "$tmp/etc" render > "$tmp/render.log" 2>&1 && [ -d "$tmp/nodes/n1/etc" ]; then
	pass "ganesha render"
else
	failc "ganesha render" "$(tail -n 3 "$tmp/render.log")"
	exit 1
fi

# ---- ganesha's own config around the rendered blocks ----
mkdir -p "$tmp/recovery" "$tmp/run"
cat > "$tmp/ganesha.conf" <<EOC
# No Bind_addr: the namespace has only lo, and ganesha's getaddrinfo()
# (AI_ADDRCONFIG) finds no address for 127.0.0.1 there.
NFSV4 {
	Graceless = true;
	RecoveryBackend = fs;
	RecoveryRoot = "$tmp/recovery";
}
%include "$tmp/out/netinit-exports.conf"
EOC

ip netns add "$ns" || cannot "ip netns add failed"
ip -n "$ns" link set lo up

# Everything else runs inside the namespace with a private /run (rpcbind's
# socket and lock) so nothing on the host is touched.
cat > "$tmp/inner.sh" <<EOC
set -u
mount -t tmpfs tmpfs /run
mkdir -p /run/rpcbind
rpcbind -w || { echo "rpcbind failed"; exit 10; }
pgrep -n -x rpcbind > "$tmp/rpcbind.pid"
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || { echo "ganesha failed to start"; exit 11; }
ok=0
for i in \$(seq 100); do
	if showmount -e 127.0.0.1 > "$tmp/showmount.txt" 2>&1 && grep -q "$tmp/nodes/n1" "$tmp/showmount.txt"; then ok=1; break; fi
	sleep 0.2
done
[ \$ok = 1 ] || { echo "showmount never listed the exports"; cat "$tmp/showmount.txt"; exit 12; }
pid=\$(cat "$tmp/ganesha.pid")
kill \$pid
for i in \$(seq 50); do kill -0 \$pid 2>/dev/null || break; sleep 0.1; done
kill \$(cat "$tmp/rpcbind.pid") 2>/dev/null
rm -f "$tmp/ganesha.pid" "$tmp/rpcbind.pid"
exit 0
EOC
timeout 120 ip netns exec "$ns" unshare -m --propagation private bash "$tmp/inner.sh" > "$tmp/inner.log" 2>&1
rc=$?
if [ $rc != 0 ]; then
	failc "ganesha start" "exit $rc: $(tail -n 5 "$tmp/inner.log") ; ganesha log: $(grep -E 'CRIT|MAJ|FATAL' "$tmp/ganesha.log" 2>/dev/null | tail -n 3)"
	exit 1
fi
pass "ganesha starts with the rendered EXPORT blocks"
for p in "$tmp/images/bookworm" "$tmp/nodes/n1"; do
	if grep -q "^$p " "$tmp/showmount.txt"; then pass "showmount -e 127.0.0.1 lists ${p#$tmp/}"; else failc "showmount -e 127.0.0.1 lists ${p#$tmp/}" "$(cat "$tmp/showmount.txt")"; fi
done
if grep -q "nodes/n2" "$tmp/showmount.txt"; then failc "n2's directory hidden from 127.0.0.1" "$(cat "$tmp/showmount.txt")"; else pass "n2's directory hidden from 127.0.0.1"; fi
n=$(grep -c '^EXPORT {' "$tmp/out/netinit-exports.conf")
[ "$n" = 3 ] && pass "three EXPORT blocks rendered (image, n1, n2)" || failc "three EXPORT blocks rendered" "found $n"
exit $fail
