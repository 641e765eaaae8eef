#!/bin/bash
# Helpers for the hook and failure-policy VM tests (source after lib.sh).
#
#   hooks_initrd TREE OUT [BASE]
#                           OUT = BASE (default $BUILD/initramfs.img) with TREE appended as a
#                           second cpio archive (the kernel unpacks
#                           concatenated archives in order, later files win:
#                           Documentation/driver-api/early-userspace/
#                           buffer-format.rst), so a test adds hooks without
#                           rebuilding the initramfs; TREE/etc/netinit/hooks/...
#   hook STAGE NAME TREE    write stdin to TREE/etc/netinit/hooks/STAGE/NAME, +x
hooks_initrd() {
	local tree=$1 out=$2 base=${3:-$BUILD/initramfs.img}
	if [ ! -r "$base" ]; then
		make -s initramfs >/dev/null 2>&1 || { echo "FAIL: hooks: cannot run: make initramfs failed"; return 1; }
	fi
	# Zero padding to 4 bytes between the two: the kernel skips zeros
	# between archives and needs the cpio header aligned.
	local size; size=$(stat -c %s "$base")
	{ cat "$base"; head -c $(( (4 - size % 4) % 4 )) /dev/zero; (cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0); } > "$out"
}
hook() {
	local stage=$1 name=$2 tree=$3
	mkdir -p "$tree/etc/netinit/hooks/$stage"
	cat > "$tree/etc/netinit/hooks/$stage/$name"
	chmod 755 "$tree/etc/netinit/hooks/$stage/$name"
}

# A namespace network for one VM (call under the shared lock):
#   site_net_up OUTDIR [udhcpd option lines...]
#       netns $SN_NS with bridge br0 10.79.0.1/24 and a tap $SN_TAP, busybox
#       udhcpd (range .50-.60, router, log server (option 7, given in hex:
#       udhcpd has no name for it) and NTP server 10.79.0.1, plus
#       the given "opt ..." lines) and test-vm/listener.py (syslog on UDP
#       $SN_SYSLOG_PORT, default 514, into OUTDIR/syslog.txt, HTTP on 8080:
#       POSTs into OUTDIR/http.txt, GETs from OUTDIR/www/).  Returns non-zero
#       when it cannot.
#   site_net_boot NAME TIMEOUT "ARGS" MAC [qemu args]   vm_run inside the namespace
#   site_net_down
site_net_up() {
	local out=$1; shift
	SN_NS=ni-hooks-$$ SN_TAP=tapn$$
	mkdir -p "$out/www"
	ip netns add "$SN_NS" && ip -n "$SN_NS" link set lo up && ip -n "$SN_NS" link add br0 type bridge &&
		ip -n "$SN_NS" addr add 10.79.0.1/24 dev br0 && ip -n "$SN_NS" link set br0 up &&
		ip -n "$SN_NS" tuntap add "$SN_TAP" mode tap && ip -n "$SN_NS" link set "$SN_TAP" master br0 up || return 1
	{
		printf '%s\n' "start 10.79.0.50" "end 10.79.0.60" "interface br0" "lease_file $out/udhcpd.leases" \
			"pidfile $out/udhcpd.pid" "opt subnet 255.255.255.0" "opt router 10.79.0.1" \
			"opt 0x07 0a4f0001" "opt ntpsrv 10.79.0.1"
		printf '%s\n' "$@"
	} > "$out/udhcpd.conf"
	: > "$out/udhcpd.leases"
	ip netns exec "$SN_NS" busybox udhcpd -f "$out/udhcpd.conf" > "$out/udhcpd.log" 2>&1 &
	ip netns exec "$SN_NS" env SLOW_SECONDS="${SLOW_SECONDS:-50}" python3 test-vm/listener.py 10.79.0.1 "${SN_SYSLOG_PORT:-514}" 8080 "$out" > "$out/listener.log" 2>&1 &
	sleep 1
}
site_net_boot() {
	local name=$1 to=$2 args=$3 mac=$4; shift 4
	ip netns exec "$SN_NS" bash -c '. test-vm/lib.sh; VM_NET=none vm_run "$@"' _ "$name" "$to" "$args" \
		-netdev "tap,id=n0,ifname=$SN_TAP,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$mac" "$@"
}
site_net_down() {
	[ -n "${SN_NS:-}" ] || return 0
	ip netns pids "$SN_NS" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$SN_NS" 2>/dev/null
	SN_NS=
}
