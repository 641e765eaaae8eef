#!/bin/bash
# Integration tests of the DHCP client against a real server: dnsmasq in
# network namespaces joined by veth pairs (and a bridge), all created here
# and removed on exit.  No traffic leaves these namespaces.
#
#   tests/integration/net-dhcp.sh [DHCP-CLIENT]
#
# DHCP-CLIENT defaults to "build/init dhcp" when build/init knows the
# subcommand, else build/netinit-dhcp.  Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD

if [ $# -gt 0 ]; then
	client=("$@")
elif [ -x build/init ] && build/init dhcp --help >/dev/null 2>&1; then
	client=("$top/build/init" dhcp)
else
	client=("$top/build/netinit-dhcp")
fi

id=$$
tag=nid$((id % 100000))
work=$(mktemp -d /tmp/net-dhcp.XXXXXX)
fails=0
pids=()
namespaces=()

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; fails=$((fails + 1)); }

cleanup() {
	local p n
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	for n in "${namespaces[@]}"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

need() {
	local what
	for what in ip dnsmasq unshare timeout; do
		command -v "$what" >/dev/null 2>&1 || { echo "FAIL: net-dhcp: cannot run: $what not installed"; exit 1; }
	done
	[ -x "${client[0]}" ] || { echo "FAIL: net-dhcp: cannot run: ${client[0]} not built (make build/netinit-dhcp)"; exit 1; }
	[ "$(id -u)" = 0 ] || { echo "FAIL: net-dhcp: cannot run: needs root for network namespaces"; exit 1; }
}

ns_add() { ip netns add "$1" && namespaces+=("$1") && ip -n "$1" link set lo up; }

# A switch namespace with a bridge; hosts plug into it with plug NS IF [MAC].
setup_switch() {
	sw=$tag-sw
	ns_add "$sw" || return 1
	ip -n "$sw" link add br0 type bridge || return 1
	ip -n "$sw" link set br0 type bridge forward_delay 0 stp_state 0 2>/dev/null
	ip -n "$sw" link set br0 up
}
plug_n=0
plug() { # namespace ifname [mac]
	local p=p$plug_n
	plug_n=$((plug_n + 1))
	ip link add "$tag$p" netns "$sw" type veth peer name "$2" ${3:+address $3} netns "$1" || return 1
	ip -n "$sw" link set "$tag$p" master br0 up
	ip -n "$sw" link set "$tag$p" name "$p" 2>/dev/null
}

# start_dnsmasq NS IFACE NAME [dnsmasq options...]: DHCP on IFACE; DNS on
# port 53 only when --port is given.
start_dnsmasq() {
	local ns=$1 ifc=$2 name=$3
	shift 3
	local port=--port=0
	case " $* " in *" --port="*) port= ;; esac
	ip netns exec "$ns" dnsmasq --no-daemon --conf-file=/dev/null $port \
		--interface="$ifc" --bind-interfaces --no-ping --log-dhcp \
		--dhcp-leasefile="$work/$name.leases" "$@" >"$work/$name.log" 2>&1 &
	pids+=($!)
	sleep 0.3
	kill -0 $! 2>/dev/null || { echo "dnsmasq $name died: $(cat "$work/$name.log")" >&2; return 1; }
}

# run_client NS OUTFILE [client options...]: in its own UTS namespace.
run_client() {
	local ns=$1 out=$2
	shift 2
	timeout 90 ip netns exec "$ns" unshare -u "${client[@]}" "$@" >"$out" 2>"$out.err"
}

val() { sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$2"; }

need

# One server namespace, one client namespace, on the switch.
setup_switch || { echo "FAIL: net-dhcp: cannot run: bridge setup failed"; exit 1; }
srv=$tag-srv cli=$tag-cli
ns_add "$srv" && ns_add "$cli" || { echo "FAIL: net-dhcp: cannot run: ip netns add failed"; exit 1; }
plug "$srv" s0 && plug "$cli" c0 52:54:00:aa:00:01 || { echo "FAIL: net-dhcp: cannot run: veth setup failed"; exit 1; }
ip -n "$srv" addr add 10.77.0.1/24 dev s0
ip -n "$srv" link set s0 up

# ---- 1. a full lease, applied, handed over ----
# ---- 9. net_up() from a kernel command line (--cmdline) ----
case_static() {
	local o=$work/static.out
	if run_client "$cli" "$o" --cmdline "ip=10.78.0.5:10.78.0.1:10.78.0.1:255.255.255.0:node5:c0:off:10.78.0.53 nameserver=10.78.0.54 rd.route=192.168.9.0/24:10.78.0.2"; then
		[ "$(val SOURCE "$o")" = static ] && [ "$(val ADDR "$o")" = 10.78.0.5 ] && [ "$(val HOSTNAME "$o")" = node5 ] \
			&& [ "$(val NEXT_SERVER "$o")" = 10.78.0.1 ] && pass "static ip=: lease fields" || fail "static ip=" "$(cat "$o")"
		ip -n "$cli" -4 addr show c0 | grep -q "inet 10.78.0.5/24 brd 10.78.0.255 scope global c0" &&
			ip -n "$cli" -4 addr show c0 | grep -q "valid_lft forever" \
			&& pass "static ip=: address applied, no lifetime" || fail "static ip=: address" "$(ip -n "$cli" -4 addr show c0)"
		ip -n "$cli" route | grep -q "^default via 10.78.0.1 dev c0" && ip -n "$cli" route | grep -q "^192.168.9.0/24 via 10.78.0.2 dev c0" \
			&& pass "static ip=: gateway and rd.route=" || fail "static ip=: routes" "$(ip -n "$cli" route)"
		[ "$(val DNS "$o")" = "10.78.0.54 10.78.0.53" ] && pass "nameserver= before ip= DNS" || fail "nameserver=" "$(val DNS "$o")"
	else
		fail "static ip=" "$(tail -3 "$o.err")"
	fi
	ip -n "$cli" addr flush dev c0
	ip -n "$cli" route flush dev c0 2>/dev/null
}

case_off() {
	local o=$work/off.out
	if run_client "$cli" "$o" --cmdline "ip=off rd.neednet" && [ "$(val SOURCE "$o")" = none ] &&
		! ip -n "$cli" -4 addr show c0 | grep -q inet; then
		pass "ip=off: no network"
	else
		fail "ip=off" "$(cat "$o" "$o.err" | tail -3)"
	fi
}

case_select() {
	local o c2=$tag-cli2
	ns_add "$c2" && plug "$c2" c1 52:54:00:aa:00:02 && plug "$c2" c2 52:54:00:aa:00:03 \
		|| { fail "link selection" "cannot run: setup failed"; return; }
	start_dnsmasq "$srv" s0 sel --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h || { fail select dnsmasq; return; }
	o=$work/bootif.out
	run_client "$c2" "$o" --cmdline "ip=dhcp BOOTIF=01-52-54-00-aa-00-03" && [ "$(val IFNAME "$o")" = c2 ] \
		&& ip -n "$c2" link show c1 | grep -vq "UP" \
		&& pass "BOOTIF= picks the link by MAC" || fail "BOOTIF=" "IFNAME=$(val IFNAME "$o"): $(tail -2 "$o.err")"
	ip -n "$c2" addr flush dev c2
	o=$work/ifname.out
	run_client "$c2" "$o" --cmdline "ifname=boot0:52:54:00:aa:00:02 ip=boot0:dhcp" && [ "$(val IFNAME "$o")" = boot0 ] \
		&& [ "$(val MAC "$o")" = 52:54:00:aa:00:02 ] \
		&& pass "ifname= renames, ip=<dev>:dhcp uses it" || fail "ifname=" "IFNAME=$(val IFNAME "$o"): $(tail -2 "$o.err")"
	ip -n "$c2" addr flush dev boot0
	o=$work/mtu.out
	run_client "$c2" "$o" --cmdline "ip=boot0:dhcp:1300" && ip -n "$c2" link show boot0 | grep -q "mtu 1300" \
		&& pass "ip=<dev>:dhcp:<mtu> sets the MTU" || fail "ip=<dev>:dhcp:<mtu>" "$(ip -n "$c2" link show boot0 | head -1)"
	ip -n "$c2" addr flush dev boot0
	o=$work/mac.out
	ip -n "$c2" link set c2 down
	run_client "$c2" "$o" --cmdline "ip=c2:dhcp::52:54:00:aa:00:33 ip=boot0:off" && [ "$(val IFNAME "$o")" = c2 ] \
		&& [ "$(val MAC "$o")" = 52:54:00:aa:00:33 ] && ip -n "$c2" link show c2 | grep -q "52:54:00:aa:00:33" \
		&& pass "ip=<dev>:dhcp::<mac> sets the MAC" || fail "ip=<dev>:dhcp::<mac>" "MAC=$(val MAC "$o"): $(grep -i mac "$o.err")"
	ip -n "$c2" addr flush dev c2
	o=$work/bootdev.out
	run_client "$c2" "$o" --cmdline "ip=dhcp bootdev=c2" && [ "$(val IFNAME "$o")" = c2 ] \
		&& pass "bootdev= picks the link" || fail "bootdev=" "IFNAME=$(val IFNAME "$o"): $(tail -3 "$o.err")"
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
}

case_full() {
	local o=$work/full.out h=$work/ho
	mkdir -p "$h/root/etc"
	start_dnsmasq "$srv" s0 full --port=53 --no-resolv --no-hosts \
		--dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h \
		--dhcp-host=52:54:00:aa:00:01,node1 \
		--dhcp-option=3,10.77.0.1 --dhcp-option=6,10.77.0.1 \
		--dhcp-option=15,example.org --dhcp-option=119,example.org,lab.example.org \
		--dhcp-option=17,10.77.0.1:/srv/nfs/root --dhcp-option=26,1400 \
		--dhcp-option=42,10.77.0.1 --dhcp-option=7,10.77.0.1 \
		--dhcp-option=121,192.168.50.0/24,10.77.0.254,0.0.0.0/0,10.77.0.1 \
		--dhcp-boot=pxelinux.0,bootsrv,10.77.0.2 \
		--address=/boot.example.org/10.77.0.9 || { fail full-lease "dnsmasq did not start"; return; }
	if ! run_client "$cli" "$o" --apply --timeout 20 --handover "$h" --sethostname \
		--resolve boot c0; then
		fail full-lease "client failed: $(tail -3 "$o.err")"
		kill "${pids[-1]}"; return
	fi
	local addr; addr=$(val ADDR "$o")
	[[ $addr == 10.77.0.1[0-5][0-9] ]] && pass "lease obtained ($addr)" || fail "lease obtained" "ADDR=$addr"
	ip -n "$cli" -4 addr show c0 | grep -q "inet $addr/24 .*dynamic" \
		&& pass "address applied with the lease lifetime" || fail "address applied" "$(ip -n "$cli" -4 addr show c0)"
	ip -n "$cli" -4 addr show c0 | grep -Eq "valid_lft (3[0-9]{3})sec" \
		&& pass "valid_lft is the lease time" || fail "valid_lft" "$(ip -n "$cli" -4 addr show c0 | grep valid)"
	ip -n "$cli" link show c0 | grep -q "mtu 1400" && pass "MTU applied (option 26)" || fail "MTU applied" "$(ip -n "$cli" link show c0)"
	ip -n "$cli" route | grep -q "^192.168.50.0/24 via 10.77.0.254 dev c0 proto dhcp" \
		&& pass "classless route applied (option 121)" || fail "classless route" "$(ip -n "$cli" route)"
	ip -n "$cli" route | grep -q "^default via 10.77.0.1 dev c0 proto dhcp" \
		&& pass "default route from option 121" || fail "default route" "$(ip -n "$cli" route)"
	[ "$(val HOSTNAME "$o")" = node1 ] && pass "host name received (option 12)" || fail "host name" "$(val HOSTNAME "$o")"
	[ "$(val ROOT_PATH "$o")" = 10.77.0.1:/srv/nfs/root ] && pass "root-path received (option 17)" || fail "root-path" "$(val ROOT_PATH "$o")"
	[ "$(val BOOTFILE "$o")" = pxelinux.0 ] && [ "$(val NEXT_SERVER "$o")" = 10.77.0.2 ] \
		&& pass "bootfile and next-server" || fail "bootfile/next-server" "$(val BOOTFILE "$o") $(val NEXT_SERVER "$o")"
	[ "$(val SEARCH "$o")" = "example.org lab.example.org" ] && pass "search list (option 119)" || fail "search list" "$(val SEARCH "$o")"
	[ "$(val DNS "$o")" = 10.77.0.1 ] && [ "$(val NTP "$o")" = 10.77.0.1 ] && [ "$(val LOG_SERVERS "$o")" = 10.77.0.1 ] \
		&& pass "DNS, NTP, log servers" || fail "DNS/NTP/log" "$(grep -E 'DNS|NTP|LOG' "$o")"
	grep -q "^RESOLVED='boot 10.77.0.9'" "$o" && pass "DNS resolver with search domain" || fail "DNS resolver" "$(tail -2 "$o.err")"
	grep -q "^nameserver 10.77.0.1" "$h/run/netinit/resolv.conf" 2>/dev/null && grep -q "^search example.org lab.example.org" "$h/run/netinit/resolv.conf" \
		&& pass "hand-over: resolv.conf" || fail "hand-over: resolv.conf" "$(cat "$h/run/netinit/resolv.conf" 2>&1)"
	cmp -s "$h/run/netinit/lease-c0.conf" <(grep -v '^RESOLVED=' "$o") \
		&& pass "hand-over: lease file" || fail "hand-over: lease file" "differs from the printed lease"
	grep -q "^MACAddress=52:54:00:aa:00:01" "$h/run/systemd/network/10-netinit-c0.network" 2>/dev/null &&
		grep -q "^KeepConfiguration=yes" "$h/run/systemd/network/10-netinit-c0.network" \
		&& pass "hand-over: networkd drop-in" || fail "hand-over: networkd drop-in" "missing or incomplete"
	[ "$(cat "$h/root/etc/hostname" 2>/dev/null)" = node1 ] && [ "$(cat "$h/run/netinit/hostname" 2>/dev/null)" = node1 ] \
		&& pass "hand-over: host name files" || fail "hand-over: host name files" "missing"
	grep -q "^IPV4ADDR='$addr'" "$h/run/net-c0.conf" 2>/dev/null && pass "hand-over: /run/net-c0.conf" || fail "hand-over: /run/net-c0.conf" "missing"
	grep -q "DHCPREQUEST(s0) $addr 52:54:00:aa:00:01" "$work/full.log" && grep -q 'vendor class: netinit' "$work/full.log" \
		&& grep -q ' 01:52:54:00:aa:00:01$' "$work/full.leases" \
		&& pass "server saw REQUEST with vendor class and client id" || fail "server log" "$(grep -c DHCP "$work/full.log") DHCP lines"
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
	ip -n "$cli" addr flush dev c0; ip -n "$cli" link set c0 mtu 1500
}

# ---- 2. hostile strings from the server never reach the lease ----
case_hostile() {
	local o=$work/hostile.out
	start_dnsmasq "$srv" s0 hostile --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h \
		'--dhcp-option-force=12,"a;reboot"' '--dhcp-option-force=17,"/srv/$(id)/root"' \
		'--dhcp-option-force=67,"../../etc/shadow"' '--dhcp-option-force=15,"ex ample.org"' \
		|| { fail hostile "dnsmasq did not start"; return; }
	if run_client "$cli" "$o" --timeout 20 --arp-ms 0 c0; then
		if grep -Eq "^(HOSTNAME|ROOT_PATH|BOOTFILE|DOMAIN)=" "$o"; then
			fail "hostile strings rejected" "$(grep -E '^(HOSTNAME|ROOT_PATH|BOOTFILE|DOMAIN)=' "$o")"
		elif [ "$(grep -c 'ignoring option' "$o.err")" -ge 4 ]; then
			pass "hostile host name, root-path, bootfile, domain rejected and logged"
		else
			fail "hostile strings rejected" "not logged: $(cat "$o.err")"
		fi
	else
		fail "hostile strings rejected" "no lease: $(tail -2 "$o.err")"
	fi
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
}

# ---- 3. NAK: INIT-REBOOT with a foreign address is NAKed, then INIT ----
case_nak() {
	local o=$work/nak.out
	start_dnsmasq "$srv" s0 nak --dhcp-authoritative \
		--dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h || { fail nak "dnsmasq did not start"; return; }
	if run_client "$cli" "$o" -v --timeout 20 --arp-ms 0 --request 10.99.0.5 c0 &&
		grep -q "DHCPNAK" "$o.err" && [[ $(val ADDR "$o") == 10.77.0.1* ]] && grep -q "DHCPNAK(s0) 10.99.0.5" "$work/nak.log"; then
		pass "NAK restarts from INIT and gets a lease"
	else
		fail "NAK restarts from INIT" "$(grep -E 'NAK|lease' "$o.err" | tail -3)"
	fi
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
}

# ---- 4. a server that starts 10 s late: retransmission (RFC 2131 §4.1) ----
case_late() {
	local o=$work/late.out start end cpid
	start=$(date +%s)
	run_client "$cli" "$o" -v --timeout 40 --arp-ms 0 c0 &
	cpid=$!
	sleep 10
	start_dnsmasq "$srv" s0 late --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h || { fail late "dnsmasq did not start"; kill $cpid; return; }
	if wait $cpid && [[ $(val ADDR "$o") == 10.77.0.1* ]]; then
		end=$(date +%s)
		local n; n=$(grep -c DHCPDISCOVER "$o.err")
		if [ "$n" -ge 3 ] && [ $((end - start)) -le 16 ]; then
			pass "server 10 s late: lease after $((end - start)) s, $n DISCOVERs"
		else
			fail "server 10 s late" "$((end - start)) s, $n DISCOVERs"
		fi
	else
		fail "server 10 s late" "no lease: $(tail -2 "$o.err")"
	fi
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
}

# ---- 5. two servers: the offer with boot info wins ----
case_two() {
	local o=$work/two.out srv2=$tag-srv2
	ns_add "$srv2" && plug "$srv2" s1 && ip -n "$srv2" addr add 10.77.0.2/24 dev s1 && ip -n "$srv2" link set s1 up \
		|| { fail "two servers" "cannot run: setup failed"; return; }
	start_dnsmasq "$srv" s0 plain --dhcp-range=10.77.0.100,10.77.0.149,255.255.255.0,1h || { fail two "dnsmasq 1"; return; }
	start_dnsmasq "$srv2" s1 boot --dhcp-range=10.77.0.150,10.77.0.199,255.255.255.0,1h \
		--dhcp-option=17,10.77.0.2:/srv/root || { fail two "dnsmasq 2"; return; }
	if run_client "$cli" "$o" -v --timeout 20 --arp-ms 0 c0 && [ "$(val SERVER_ID "$o")" = 10.77.0.2 ] &&
		[ "$(val ROOT_PATH "$o")" = 10.77.0.2:/srv/root ]; then
		pass "two servers: the offer with root-path is chosen"
	else
		fail "two servers" "SERVER_ID=$(val SERVER_ID "$o"): $(grep offer "$o.err")"
	fi
	kill "${pids[-1]}" "${pids[-2]}"; wait "${pids[-1]}" "${pids[-2]}" 2>/dev/null
	ip netns del "$srv2"
}

# ---- 6. ARP conflict: DECLINE, then another address ----
case_arp() {
	local o=$work/arp.out squat=$tag-squat
	ns_add "$squat" && plug "$squat" q0 && ip -n "$squat" addr add 10.77.0.120/24 dev q0 && ip -n "$squat" link set q0 up \
		|| { fail "ARP conflict" "cannot run: setup failed"; return; }
	start_dnsmasq "$srv" s0 arp --dhcp-range=10.77.0.120,10.77.0.121,255.255.255.0,1h \
		--dhcp-host=52:54:00:aa:00:01,10.77.0.120 --dhcp-range=10.77.0.122,10.77.0.122,255.255.255.0 \
		|| { fail "ARP conflict" "dnsmasq"; return; }
	if run_client "$cli" "$o" -v --timeout 40 --arp-ms 500 c0 && grep -q "already in use" "$o.err" &&
		grep -q "DHCPDECLINE(s0) 10.77.0.120" "$work/arp.log" && [ "$(val ADDR "$o")" != 10.77.0.120 ] &&
		[ -n "$(val ADDR "$o")" ]; then
		pass "ARP conflict: DECLINE sent, got $(val ADDR "$o")"
	else
		fail "ARP conflict" "$(grep -E 'in use|lease' "$o.err"; grep -E 'DECLINE|ACK' "$work/arp.log")"
	fi
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
	ip netns del "$squat"
}

# ---- 7. parallel links: 4 NICs, one server; no 4 timeouts ----
case_parallel() {
	local o=$work/par.out pc=$tag-pcli i start end
	ns_add "$pc" || { fail parallel "cannot run"; return; }
	for i in 0 1 2; do   # three dead links: peer in an empty namespace
		ns_add "$tag-dead$i" && ip link add "d$i" netns "$pc" type veth peer name x netns "$tag-dead$i" &&
			ip -n "$tag-dead$i" link set x up
	done
	plug "$pc" live0 52:54:00:aa:00:09
	start_dnsmasq "$srv" s0 par --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h \
		--dhcp-option=17,10.77.0.1:/r || { fail parallel "dnsmasq"; return; }
	start=$(date +%s%N)
	if run_client "$pc" "$o" -v --timeout 20 --arp-ms 0 d0 d1 live0 d2 && [ "$(val IFNAME "$o")" = live0 ]; then
		end=$(date +%s%N)
		pass "4 links in parallel: lease on live0 after $(( (end - start) / 1000000 )) ms"
	else
		fail "4 links in parallel" "$(tail -3 "$o.err")"
	fi
	[ "$(grep -c 'DHCPDISCOVER' "$o.err")" -ge 4 ] && pass "DISCOVER sent on every link" || fail "DISCOVER on every link" "$(grep -c DHCPDISCOVER "$o.err")"
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
}

# ---- 7b. a NIC that appears after DHCP started (slow driver) is used ----
case_late_link() {
	local o=$work/latelink.out lc=$tag-lcli cpid
	ns_add "$lc" && ns_add "$tag-ldead" && ip link add e0 netns "$lc" type veth peer name x netns "$tag-ldead" &&
		ip -n "$tag-ldead" link set x up || { fail "late link" "cannot run: setup failed"; return; }
	start_dnsmasq "$srv" s0 latelink --dhcp-range=10.77.0.100,10.77.0.150,255.255.255.0,1h || { fail "late link" dnsmasq; return; }
	run_client "$lc" "$o" --cmdline "ip=dhcp rd.net.timeout.dhcp=20" &
	cpid=$!
	sleep 1.5
	plug "$lc" e1 52:54:00:aa:00:0e
	if wait $cpid && [ "$(val IFNAME "$o")" = e1 ] && grep -q "e1: appeared" "$o.err"; then
		pass "a link that appears during DHCP is added and used"
	else
		fail "late link" "IFNAME=$(val IFNAME "$o"): $(tail -2 "$o.err")"
	fi
	kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null
	ip netns del "$lc"   # its address must not collide with later cases
}

# ---- 8. no server at all: bounded, clear failure ----
case_timeout() {
	local o=$work/to.out start end
	start=$(date +%s)
	if run_client "$cli" "$o" --timeout 3 --retry 2 c0; then
		fail "no server: bounded failure" "got a lease?"
	else
		end=$(date +%s)
		if [ $((end - start)) -ge 5 ] && [ $((end - start)) -le 9 ] && grep -q "no lease" "$o.err"; then
			pass "no server: fails after 2 cycles of 3 s"
		else
			fail "no server: bounded failure" "$((end - start)) s: $(tail -1 "$o.err")"
		fi
	fi
}

case_full
case_hostile
case_nak
case_late
case_two
case_arp
case_parallel
case_late_link
case_timeout
case_static
case_off
case_select

[ "$fails" -eq 0 ]
