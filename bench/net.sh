#!/bin/bash
# Time from "link up" to "address configured", netinit's DHCP client against
# busybox udhcpc and klibc ipconfig, all against the same dnsmasq in a
# network namespace (veth pair; namespaces created here and removed on exit).
#
#   bench/net.sh [RUNS]            (default 20; prints a markdown table)
#
# Each run: flush the client's address, set the link up, start the clock,
# run the client until it exits with the address configured, stop the clock.
# Every client runs the same way: `ip netns exec` + a private mount namespace
# with a tmpfs /run (ipconfig and the udhcpc script write there), so the
# wrapper's cost is the same for all.  udhcpc configures the address through
# its event script (that is how udhcpc works: fork + exec of a script);
# ipconfig and netinit configure it themselves.  Median of RUNS, and the
# ratio to netinit's median (>1 = slower than netinit).
#
# Second table: DHCP over 4 links (3 whose peer has no server, 1 with the
# server) against the same single link: the parallel client should not pay
# for the dead links.
set -u
cd "$(dirname "$0")/.." || exit 1
runs=${1:-20}
top=$PWD

if [ -x build/init ] && build/init dhcp --help >/dev/null 2>&1; then
	ours=("$top/build/init" dhcp)
elif [ -x build/netinit-dhcp ]; then
	ours=("$top/build/netinit-dhcp")
else
	echo "bench/net.sh: build build/init or build/netinit-dhcp first (make)" >&2
	exit 1
fi
ipconfig=/usr/lib/klibc/bin/ipconfig
for t in dnsmasq busybox ip unshare; do
	command -v "$t" >/dev/null || { echo "bench/net.sh: $t not installed" >&2; exit 1; }
done
[ -x "$ipconfig" ] || { echo "bench/net.sh: $ipconfig not installed (klibc-utils)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench/net.sh: needs root (network namespaces)" >&2; exit 1; }

tag=nb$(($$ % 100000))
srv=$tag-srv cli=$tag-cli par=$tag-par
work=$(mktemp -d /tmp/bench-net.XXXXXX)
namespaces=()
dpid=

cleanup() {
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	for n in "${namespaces[@]}"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ns_add() { ip netns add "$1" && namespaces+=("$1") && ip -n "$1" link set lo up; }

# server namespace with a bridge: the single-link client and the 4-link
# client's live link both plug into it.
ns_add "$srv" && ns_add "$cli" && ns_add "$par" || exit 1
ip -n "$srv" link add br0 type bridge && ip -n "$srv" link set br0 type bridge forward_delay 0
ip -n "$srv" addr add 10.79.0.1/24 dev br0 && ip -n "$srv" link set br0 up
ip link add "${tag}a" netns "$srv" type veth peer name c0 address 52:54:00:bb:00:01 netns "$cli"
ip link add "${tag}b" netns "$srv" type veth peer name live0 address 52:54:00:bb:00:02 netns "$par"
for p in a b; do ip -n "$srv" link set "$tag$p" master br0 up; done
for i in 0 1 2; do
	ns_add "$tag-dead$i" || exit 1
	ip link add "d$i" netns "$par" type veth peer name x netns "$tag-dead$i"
	ip -n "$tag-dead$i" link set x up
done

ip netns exec "$srv" dnsmasq --no-daemon --conf-file=/dev/null --port=0 --interface=br0 \
	--bind-interfaces --no-ping --dhcp-leasefile="$work/leases" \
	--dhcp-range=10.79.0.100,10.79.0.200,255.255.255.0,1h --dhcp-option=3,10.79.0.1 \
	--dhcp-option=6,10.79.0.1 --dhcp-option=17,10.79.0.1:/srv/root >"$work/dnsmasq.log" 2>&1 &
dpid=$!
sleep 0.5
kill -0 "$dpid" 2>/dev/null || { echo "dnsmasq failed: $(cat "$work/dnsmasq.log")" >&2; exit 1; }

cat >"$work/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc event script: apply the lease (address, default route).
case "$1" in
bound|renew)
	ip addr add "$ip/$mask" ${broadcast:+broadcast $broadcast} dev "$interface"
	[ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
	;;
esac
exit 0
EOF
chmod +x "$work/udhcpc.script"

# run NS CMD...: inside the namespace, with a private tmpfs /run.
run() {
	local ns=$1
	shift
	ip netns exec "$ns" unshare -m --propagation private \
		sh -c 'mount -t tmpfs none /run && exec "$@"' sh "$@" >/dev/null 2>&1
}

reset_links() { # ns links...
	local ns=$1 l
	shift
	for l in "$@"; do
		ip -n "$ns" addr flush dev "$l"
		ip -n "$ns" route flush dev "$l" 2>/dev/null
		ip -n "$ns" link set "$l" down
	done
}

# measure NAME NS "links" CMD...: RUNS (or $n) times; prints the median in ms.
# A run counts when the address is configured when the client exits
# (ipconfig exits non-zero when some of its links got no answer).
measure() {
	local name=$1 ns=$2 links=$3 i t0 t1 ok=0 n=${n:-$runs}
	shift 3
	: >"$work/$name.times"
	for ((i = 0; i < n; i++)); do
		reset_links "$ns" $links
		for l in $links; do ip -n "$ns" link set "$l" up; done
		t0=$(date +%s%N)
		run "$ns" "$@"
		t1=$(date +%s%N)
		ip -n "$ns" -4 addr show | grep -q "inet 10.79.0." && ok=$((ok + 1))
		echo $(((t1 - t0) / 1000)) >>"$work/$name.times"
	done
	reset_links "$ns" $links
	if [ "$ok" -ne "$n" ]; then
		echo "failed: only $ok of $n runs configured an address"
		echo "bench/net.sh: $name: only $ok of $n runs configured an address" >&2
		echo 1 > "$work/failed"
		return
	fi
	sort -n "$work/$name.times" | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'
}

ratio() { # value base
	case "$1" in failed:*) echo "$1"; return ;; esac
	case "$2" in failed:*) echo "failed: no netinit figure to compare with"; return ;; esac
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'
}

echo "Measuring ($runs runs each)..." >&2
m_ours=$(measure ours "$cli" c0 "${ours[@]}" -q --apply --arp-ms 0 c0)
m_ours_arp=$(measure ours_arp "$cli" c0 "${ours[@]}" -q --apply c0)
m_udhcpc=$(measure udhcpc "$cli" c0 busybox udhcpc -i c0 -f -q -n -s "$work/udhcpc.script")
# The same safety as our default: udhcpc's own ARP check of the offered address, 200 ms.
m_udhcpc_arp=$(measure udhcpc_arp "$cli" c0 busybox udhcpc -i c0 -f -q -n -a200 -s "$work/udhcpc.script")
m_ipconfig=$(measure ipconfig "$cli" c0 "$ipconfig" -t 10 -c dhcp -d c0)

echo "## DHCP: netinit, udhcpc, klibc ipconfig against one dnsmasq (bench/net.sh)"
echo
echo "### DHCP: link up to configured address (median of $runs, ms)"
echo
echo "| client | median ms | ratio to netinit |"
echo "|---|---:|---:|"
echo "| netinit \`init dhcp --apply --arp-ms 0\` | $m_ours | 1.00 |"
echo "| netinit \`init dhcp --apply\` (default: 200 ms ARP probe) | $m_ours_arp | $(ratio "$m_ours_arp" "$m_ours") |"
echo "| busybox udhcpc (+ event script) | $m_udhcpc | $(ratio "$m_udhcpc" "$m_ours") |"
echo "| busybox udhcpc -a200 (ARP check like ours) | $m_udhcpc_arp | $(ratio "$m_udhcpc_arp" "$m_ours") |"
echo "| klibc ipconfig (no ARP check) | $m_ipconfig | $(ratio "$m_ipconfig" "$m_ours") |"

echo "Measuring parallel links..." >&2
p_one=$(measure par1 "$par" live0 "${ours[@]}" -q --apply --arp-ms 0 live0)
p_four=$(measure par4 "$par" "d0 d1 d2 live0" "${ours[@]}" -q --apply --arp-ms 0 d0 d1 d2 live0)
ipc_runs=3  # ipconfig waits for every link: ~15 s a run
p_ipc=$(n=$ipc_runs measure ipc4 "$par" "d0 d1 d2 live0" "$ipconfig" -t 10 -c dhcp -d d0 -d d1 -d d2 -d live0)

echo
echo "### Parallel DHCP: 4 links (3 without a server) vs the live link alone (median of $runs, ms)"
echo
echo "| client | links | median ms | ratio to 1 link |"
echo "|---|---|---:|---:|"
echo "| netinit | live0 | $p_one | 1.00 |"
echo "| netinit | d0 d1 d2 live0 | $p_four | $(ratio "$p_four" "$p_one") |"
echo "| klibc ipconfig (-t 10, median of $ipc_runs) | d0 d1 d2 live0 | $p_ipc | $(ratio "$p_ipc" "$p_one") |"
echo
echo "(udhcpc handles one interface per process; a 4-link boot with it is a loop"
echo " of udhcpc runs, each dead link costing its full -t/-T timeout.)"
# a failed measurement makes the script fail too (bench/run.sh notes it)
[ ! -e "$work/failed" ]
