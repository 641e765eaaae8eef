#!/bin/bash
# The README's "Set up a site", run as written, then booted.
#
# The commands are the marked code blocks of README.md ("<!-- walkthrough:
# NAME -->" before a ```sh block): "site" goes from an empty /etc/netinit to
# rendered files; "dnsmasq", "dhcpd", "kea" and "nginx" start the servers.
# They run verbatim, as root, in a network namespace (the boot server
# 10.0.0.1 on a bridge) and a private mount namespace whose /etc, /srv, /run,
# /root and /var/lib are throw-away copies: the host's files are never
# touched.  A "systemctl restart X" line starts X the way its Debian unit or
# init script does (the table below), nothing added but a log file.
# Then a QEMU node PXE-boots from each DHCP server in turn (dnsmasq with its
# own TFTP; ISC dhcpd and Kea with tftpd-hpa) and the booted node reports
# the address, gateway, DNS servers, domain, NTP and log servers and host
# name it was given.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
DOC=${WALKTHROUGH_DOC:-README.md}
NS=netinit-walk-$$

fail() { echo "FAIL: walkthrough: $*"; }

# The code block after "<!-- walkthrough: NAME -->" in FILE.
block() { # FILE NAME
	awk -v want="<!-- walkthrough: $2 -->" '
		$0 == want { found = 1; next }
		found == 1 && /^```/ { found = 2; next }
		found == 2 && /^```/ { exit }
		found == 2 { print }' "$1"
}

if [ "${1:-}" != --inner ]; then
	[ "$(id -u)" = 0 ] || { fail "cannot run: needs root (namespaces)"; exit 1; }
	for b in site dnsmasq dhcpd kea nginx; do
		[ -n "$(block "$DOC" $b)" ] || { fail "cannot run: $DOC has no \"<!-- walkthrough: $b -->\" code block"; exit 1; }
	done
	if [ "$DOC" = README.md ]; then
		if [ "$(block README.md site)" = "$(block doc/server.md site)" ]; then
			echo "PASS: walkthrough: README.md and doc/server.md show the same commands"
		else
			fail "README.md and doc/server.md show different walkthrough commands"
		fi
	fi
	for f in "$BUILD/netinit-export" "$BUILD/init.stripped"; do
		[ -x "$f" ] || { fail "cannot run: $f not built"; exit 1; }
	done
	for t in dnsmasq dhcpd kea-dhcp4 in.tftpd nginx mksquashfs qemu-system-x86_64 /usr/lib/PXELINUX/pxelinux.0; do
		[ -e "$t" ] || command -v "$t" >/dev/null || { fail "cannot run: $t missing (.ci/packages.txt)"; exit 1; }
	done
	ip netns add "$NS" || { fail "cannot run: ip netns add"; exit 1; }
	ip netns exec "$NS" unshare --mount --propagation private bash "$0" --inner
	rc=$?
	ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
	sleep 0.3
	ip netns del "$NS" 2>/dev/null
	exit $rc
fi

# ---- inside the namespaces ----
W=$(mktemp -d /tmp/netinit-walk.XXXXXX)
OUT=$PWD/$BUILD/walkthrough
rm -rf "$OUT"; mkdir -p "$OUT"
failures=0
pass() { echo "PASS: walkthrough: $*"; }
failw() { echo "FAIL: walkthrough: $*"; failures=$((failures + 1)); }

# Throw-away copies of what the walkthrough writes to.  Any failure here
# stops the test before a single walkthrough command runs.
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || { failw "not in a private mount namespace"; exit 1; }
mount -t tmpfs tmpfs "$W" || exit 1
for d in /etc /var/lib /var/log; do
	mkdir -p "$W/up$d" "$W/work$d"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$W/up$d,workdir=$W/work$d" "$d" || { failw "cannot overlay $d"; exit 1; }
done
PRIVATE="/srv /run /root"
for d in $PRIVATE; do
	[ -d "$d" ] || { failw "cannot run: $d missing"; exit 1; }
	mount -t tmpfs tmpfs "$d" || { failw "cannot mount a tmpfs on $d"; exit 1; }
done
for d in /etc /var/lib /var/log $PRIVATE; do
	case $(findmnt -n -o FSTYPE --mountpoint "$d") in
	overlay|tmpfs) ;;
	*) failw "$d is not a private copy: refusing to run the walkthrough"; exit 1 ;;
	esac
done
rm -rf /etc/netinit /etc/dnsmasq.d/netinit.conf /etc/dhcp/netinit-hosts.conf
mkdir -p /run/dnsmasq /run/kea /run/lock /var/lib/kea /var/lib/dhcp
: > /var/lib/dhcp/dhcpd.leases
# netinit installed as "make install" does (under /usr/local; its /etc files,
# the kernel hooks, stay in the staging directory).
make -s install DESTDIR="$W/dest" BUILD="$BUILD" > "$OUT/install.log" 2>&1 ||
	{ failw "make install failed: $(tail -n 3 "$OUT/install.log")"; exit 1; }
mount --bind "$W/dest/usr/local" /usr/local || { failw "cannot bind /usr/local"; exit 1; }
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin

# The network: the boot server's bridge; nodes attach with a tap device.
ip link set lo up
ip link add br0 type bridge
ip addr add 10.0.0.1/24 dev br0
ip link set br0 up
# A port with carrier, as a server's cabled NIC has: Kea opens no socket on
# an interface that is not running.
ip link add wk0 type veth peer name wk1
ip link set wk0 master br0 up
ip link set wk1 up

# The one thing the walkthrough assumes: a root tree at /srv/rootfs (a site
# makes it with debootstrap; here the busybox test root, which reports what
# the node was given, lease file and routes included).
bash test-vm/mkroot.sh /srv/rootfs >/dev/null || { failw "cannot build the test root"; exit 1; }
cat > "$W/report" <<'EOR'
for f in /run/netinit/lease-*.conf; do [ -f "$f" ] && sed 's/^/NETINIT-TEST leasefile /' "$f"; done
m "route=$(ip route show default)"
m "resolv=$(grep -E '^(nameserver|search)' /etc/resolv.conf 2>/dev/null | tr '\n' ' ')"
EOR
awk -v f="$W/report" '/^m "done"$/ { while ((getline l < f) > 0) print l } { print }' /srv/rootfs/sbin/init > "$W/init" &&
	cat "$W/init" > /srv/rootfs/sbin/init
grep -q 'route=' /srv/rootfs/sbin/init || { failw "cannot extend the test root's report"; exit 1; }

run_block() { # NAME: run the block; systemctl lines start the daemon as Debian does
	local name=$1 log=$OUT/block-$1.log line
	block "$DOC" "$name" > "$W/$name.sh"
	echo "---- walkthrough block \"$name\" ----" >> "$OUT/commands.txt"
	cat "$W/$name.sh" >> "$OUT/commands.txt"
	# systemctl lines: the daemons, as their units / init scripts start them
	sed -i -E 's/^systemctl (restart|start|reload) (.*)$/start_units \2/' "$W/$name.sh"
	if (set -e; . "$W/$name.sh") > "$log" 2>&1; then
		pass "block \"$name\" ran as written ($(grep -cvE '^\s*(#|$)' "$W/$name.sh") commands)"
	else
		failw "block \"$name\" failed: $(tail -n 8 "$log")"
		return 1
	fi
}

# The DHCP and TFTP servers this test started, by their pids.
stop_dhcp() {
	local p f pids=() i
	for f in /run/dnsmasq/dnsmasq.pid /run/tftpd.pid; do
		[ -f "$f" ] && pids+=("$(cat "$f")") && rm -f "$f"
	done
	if [ -f "$W/pids" ]; then
		while read -r p; do pids+=("$p"); done < "$W/pids"
		rm -f "$W/pids"
	fi
	# (a pid that leads a process group, the TFTP watcher, takes its group)
	for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null; kill "$p" 2>/dev/null; done
	# Wait until they are gone: the next server binds the same ports (67, 69),
	# and on a loaded machine one second was not always enough.
	for p in "${pids[@]}"; do
		for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 -- "-$p" "$p" 2>/dev/null
	done
	# ...and until nothing holds the DHCP and TFTP ports any more (a child
	# of a killed server can keep a socket open after its parent is gone).
	for ((i = 0; i < 100; i++)); do
		ss -Hlun '( sport = :67 or sport = :69 )' 2>/dev/null | grep -q . || return 0
		sleep 0.1
	done
	echo "walkthrough test: UDP 67/69 still bound after stopping the servers: $(ss -Hlunp '( sport = :67 or sport = :69 )' | tr '\n' ' ')" >&2
}

# in.tftpd with tftpd-hpa's init script options (/etc/default/tftpd-hpa:
# --listen --user tftp --address :69 --secure /srv/tftp).  It is kept in the
# foreground (-L) under a watcher that records how and when it exits, and
# under strace when there is one: in.tftpd reports a failed start only to
# syslog (none here), and a make check on a clean clone once saw it gone by
# the time the dhcpd node booted.  It is up only when in.tftpd itself holds
# UDP port 69.
start_tftpd() {
	local i tr=()
	command -v strace > /dev/null && tr=(strace -A -f -tt -o "$OUT/tftpd.strace")
	setsid bash -c '"$@"; echo "in.tftpd exited with status $? at $(date +%T.%N)" >> "'"$OUT"'/tftpd.exit"' tftpd \
		"${tr[@]}" in.tftpd -L --listen --user tftp --address :69 --secure -v /srv/tftp < /dev/null > /dev/null 2>&1 &
	echo $! >> "$W/pids"
	for ((i = 0; i < 100; i++)); do
		ss -Hlunp 'sport = :69' 2>/dev/null | grep -q '"in.tftpd"' && return 0
		sleep 0.1
	done
	echo "walkthrough test: in.tftpd does not hold UDP port 69 after 10 s: $(ss -Hlunp 'sport = :69' | tr '\n' ' ')" >&2
	return 1
}

# What "systemctl restart" runs, from Debian's units and init scripts
# (/etc/init.d/dnsmasq, /etc/init.d/isc-dhcp-server, kea-dhcp4-server.service,
# /etc/default/tftpd-hpa, nginx.service); only a log destination is added.
# Its status is the block's: run_block's `if (set -e; ...)` ignores set -e,
# so a server that does not start must fail here, not only in the log.
start_units() {
	local u rc=0
	for u in "$@"; do
		case $u in
		dnsmasq)
			stop_dhcp
			dnsmasq -x /run/dnsmasq/dnsmasq.pid -u dnsmasq -7 /etc/dnsmasq.d,.dpkg-dist,.dpkg-old,.dpkg-new \
				--local-service --log-dhcp --log-facility="$OUT/dnsmasq.log" || rc=1 ;;
		isc-dhcp-server)
			stop_dhcp
			: > "$OUT/dhcpd.log"
			dhcpd -4 -d -cf /etc/dhcp/dhcpd.conf -pf /run/dhcpd.pid >> "$OUT/dhcpd.log" 2>&1 &
			echo $! >> "$W/pids" ;;
		kea-dhcp4-server)
			stop_dhcp
			kea-dhcp4 -c /etc/kea/kea-dhcp4.conf > "$OUT/kea.log" 2>&1 &
			echo $! >> "$W/pids" ;;
		tftpd-hpa)
			start_tftpd || rc=1 ;;
		nginx)
			nginx -g 'daemon on; master_process on;' || rc=1 ;;
		*) echo "walkthrough test: no way to start unit $u" >&2; return 1 ;;
		esac
	done
	sleep 1
	return $rc
}

boot_node() { # NAME MAC: PXE-boot a node on br0; console in $OUT/NAME.log
	local name=$1 mac=$2 tap=tap$RANDOM t0=$SECONDS
	ip tuntap add "$tap" mode tap
	ip link set "$tap" master br0 up
	# The bound is generous: a PXE boot takes ~35 s on an idle machine and
	# over 140 s on a loaded one (TFTP under TCG is slow).
	timeout -k 5 600 qemu-system-x86_64 -accel tcg -m 1024 -smp 1 -nographic -no-reboot -nodefaults \
		-display none -serial "file:$OUT/$name.log" -boot n \
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" -device "e1000,netdev=n0,mac=$mac,bootindex=1" \
		< /dev/null > "$OUT/$name.qemu.out" 2>&1
	ip link del "$tap" 2>/dev/null
	BOOT_SECONDS=$((SECONDS - t0))
}

expect() { # NAME REGEX WHAT
	if sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r$//' "$OUT/$1.log" | grep -aE -- "$2" > /dev/null; then
		pass "$1: $3"
	else
		failw "$1: $3 (no console line matching /$2/; console: $OUT/$1.log)"
		node_failed=1
	fi
}

# After a node's checks failed: what it and the servers last said, so that a
# CI log alone tells where the boot stopped.
show_failure() { # NAME SERVER-LOG
	local f
	echo "---- walkthrough: last 30 console lines of $1 (booted $BOOT_SECONDS s) ----"
	sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r$//' "$OUT/$1.log" | tr -d '\000' | grep -av '^\s*$' | tail -n 30 | cut -c1-200
	for f in "$2" "$OUT/$1.qemu.out"; do
		[ -s "$f" ] && { echo "---- last 10 lines of $f ----"; tail -n 10 "$f" | cut -c1-200; }
	done
	echo "---- UDP sockets in the boot server's namespace ----"
	ss -Hlunp 2>/dev/null | cut -c1-200
	echo "----"
}

# What the booted node reports, asserted against what the walkthrough asked for.
check_node() { # NAME HOST IP SERVER-LOG
	local n=$1 host=$2 ip=$3 node_failed=0
	expect "$n" "NETINIT-TEST leasefile ADDR='$ip'\$" "the node got its address $ip"
	expect "$n" "NETINIT-TEST leasefile ROUTER='10\.0\.0\.254'\$" "the node got the gateway 10.0.0.254"
	expect "$n" 'NETINIT-TEST route=default via 10\.0\.0\.254' "its default route is via 10.0.0.254"
	expect "$n" "NETINIT-TEST leasefile DNS='10\.0\.0\.1'\$" "the node got the DNS server 10.0.0.1"
	expect "$n" 'NETINIT-TEST resolv=(.* )?nameserver 10\.0\.0\.1 ' "its resolv.conf names the DNS server 10.0.0.1"
	expect "$n" 'NETINIT-TEST resolv=(.* )?search cluster ' "and searches cluster"
	expect "$n" "NETINIT-TEST leasefile DOMAIN='cluster'\$" "the node got the domain cluster"
	expect "$n" "NETINIT-TEST leasefile SEARCH='cluster'\$" "the node got the search list cluster"
	expect "$n" "NETINIT-TEST leasefile NTP='10\.0\.0\.1'\$" "the node got the NTP server 10.0.0.1"
	expect "$n" "NETINIT-TEST leasefile LOG_SERVERS='10\.0\.0\.1'\$" "the node got the log server 10.0.0.1"
	expect "$n" "NETINIT-TEST leasefile HOSTNAME='$host'\$" "the node got its host name $host in option 12"
	expect "$n" "NETINIT-TEST hostname=$host\$" "the booted node's host name is $host"
	expect "$n" 'NETINIT-TEST rootmark=' "the node booted the signed squashfs image"
	sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r$//' "$OUT/$n.log" |
		grep -aE 'NETINIT-TEST leasefile (ADDR|PREFIX|ROUTER|DNS|NTP|LOG_SERVERS|HOSTNAME|DOMAIN|SEARCH|LEASE_TIME)=' |
		sed 's/^.*leasefile //' | tr '\n' ' ' | sed "s/^/$n: /; s/ \$/\n/" >> "$OUT/handed.txt"
	[ "$node_failed" = 0 ] || show_failure "$n" "$4"
}

# 1. The site, from an empty /etc/netinit: the commands as written.
[ ! -e /etc/netinit ] && pass "/etc/netinit is empty before the walkthrough" || failw "/etc/netinit exists before the walkthrough"
: > "$OUT/commands.txt"; : > "$OUT/handed.txt"
run_block site || { echo "the site block failed: nothing to boot" >&2; exit 1; }
for f in /etc/dnsmasq.d/netinit.conf /etc/dhcp/netinit-hosts.conf /etc/kea/kea-dhcp4.conf /srv/tftp/pxelinux.0 \
	 /srv/tftp/ldlinux.c32 /srv/tftp/vmlinuz /srv/tftp/initramfs.img /srv/netinit/images/compute/root.squashfs.manifest; do
	[ -s "$f" ] && pass "render wrote $f" || failw "render did not write $f"
done
cp -a /etc/dnsmasq.d/netinit.conf /etc/dhcp/netinit-hosts.conf /etc/kea/kea-dhcp4.conf "$OUT/" 2>/dev/null
run_block nginx || exit 1

# 2. dnsmasq: DHCP and TFTP from the rendered file alone.
if run_block dnsmasq; then
	boot_node dnsmasq-s0 52:54:00:00:00:10
	check_node dnsmasq-s0 s0 10.0.0.10 "$OUT/dnsmasq.log"
	grep -q 'DHCPACK(br0) 10.0.0.10 52:54:00:00:00:10 s0' "$OUT/dnsmasq.log" &&
		pass "dnsmasq acked s0 ($BOOT_SECONDS s to boot)" || failw "dnsmasq's log shows no DHCPACK for s0"
	grep -q 'sent /srv/tftp/pxelinux.0' "$OUT/dnsmasq.log" && pass "dnsmasq's own TFTP served pxelinux.0" ||
		failw "dnsmasq's TFTP did not serve pxelinux.0"
fi

# 3. ISC dhcpd (with tftpd-hpa): the include line the walkthrough adds.
# The TFTP server the dhcpd and Kea nodes need, still there when they boot.
tftpd_up() { # NAME
	if ss -Hlunp 'sport = :69' 2>/dev/null | grep -q '"in.tftpd"'; then
		pass "$1: in.tftpd holds UDP port 69 as the node boots"
	else
		failw "$1: in.tftpd does not hold UDP port 69 as the node boots (port 69: $(ss -Hlunp 'sport = :69' | tr '\n' ' ')); in.tftpd processes: $(pgrep -a in.tftpd | tr '\n' ' ')"
		echo "---- $OUT/tftpd.exit ----"; cat "$OUT/tftpd.exit" 2>/dev/null
		echo "---- last 25 lines of $OUT/tftpd.strace ----"; tail -n 25 "$OUT/tftpd.strace" 2>/dev/null | cut -c1-220
		echo "---- the block's output ----"; cut -c1-200 "$OUT/block-${1%%-*}.log"
		echo "----"
	fi
}
if run_block dhcpd; then
	tftpd_up dhcpd-s1
	boot_node dhcpd-s1 52:54:00:00:00:11
	check_node dhcpd-s1 s1 10.0.0.11 "$OUT/dhcpd.log"
	grep -q 'DHCPACK on 10.0.0.11 to 52:54:00:00:00:11' "$OUT/dhcpd.log" &&
		pass "dhcpd acked s1 ($BOOT_SECONDS s to boot)" || failw "dhcpd's log shows no DHCPACK for s1: $(tail -n 5 "$OUT/dhcpd.log")"
fi

# 4. Kea: the kea-dhcp4.conf render wrote (kea = full), nothing else.
if run_block kea; then
	tftpd_up kea-s2
	boot_node kea-s2 52:54:00:00:00:12
	check_node kea-s2 s2 10.0.0.12 "$OUT/kea.log"
	grep -qE 'DHCP4_LEASE_ALLOC .*hwtype=1 52:54:00:00:00:12.* lease 10\.0\.0\.12' "$OUT/kea.log" &&
		pass "Kea allocated 10.0.0.12 to s2 ($BOOT_SECONDS s to boot)" || failw "Kea's log shows no lease for s2: $(tail -n 5 "$OUT/kea.log")"
fi
stop_dhcp
[ -f /run/nginx.pid ] && kill "$(cat /run/nginx.pid)" 2>/dev/null
echo "walkthrough: commands run: $OUT/commands.txt; what each server handed the node:"
sed 's/^/  /' "$OUT/handed.txt"
exit $((failures > 0))
