#!/bin/bash
# netinit-export at scale: 1k, 10k, 50k nodes, every output (dhcpd, dnsmasq,
# Kea, pxelinux, iPXE, exports, ganesha, nginx, node directories).  Prints a
# markdown table.  Goal: 10k nodes rendered in under 1 s, time linear in nodes.
#   bench/export.sh [N...]        (default: 1000 10000 50000)
#   BENCH_TMP=/dev/shm bench/export.sh   outputs on tmpfs (takes the disk's
#                                        inode creation cost out)
# Times are wall clock, with the CPU time (user+sys) in parentheses: on a
# busy machine the wall clock says more about the neighbours.
# Columns: check = parse + validate + lint every command line; render =
# first render into an empty root (files and node directories created;
# --no-server-check: the servers' own checkers are timed apart); again = a
# second render (nothing changes); server checks = dhcpd -t + dnsmasq --test
# + kea-dhcp4 -t on the rendered files.
set -eu
cd "$(dirname "$0")/.."
BIN=${NETINIT_EXPORT:-${BUILD:-build}/netinit-export}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || make -s build/netinit-export
sizes=${*:-1000 10000 50000}
tmp=$(mktemp -d "${BENCH_TMP:-/tmp}/netinit-bench-export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# run CMD...: wall and cpu seconds of one command into $wall and $cpu
run() {
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" > /dev/null 2>"$tmp/err" || {
		echo "bench/export: failed: $*: $(tail -n1 "$tmp/err")" >&2
		echo "| $n | failed: ${1##*/} exited non-zero ($(tail -n1 "$tmp/err" | tr '|' '/' | cut -c1-100)) |"
		exit 1
	}
	read -r wall u s < "$tmp/time"
	cpu=$(echo "$u + $s" | bc -l | xargs printf '%.2f')
}

gen() { # N DIR: N nodes as explicit [node] stanzas (the slow path; groups are cheaper)
	local n=$1 d=$2
	mkdir -p "$d/nodes.d"
	cat > "$d/netinit.conf" <<EOC
[site]
server = 10.0.0.1
network = 10.0.0.0/16
writable = persistent
node-export-id-base = 1
cmdline = console=ttyS0,115200 quiet
[output]
dhcpd = /etc/dhcp/netinit-hosts.conf
[image img]
path = /srv/netinit/images/img
EOC
	awk -v n="$n" -v d="$d" 'BEGIN {
		for (i = 0; i < n; i++) {
			h = i + 10
			if (i % 1000 == 0) { f = sprintf("%s/nodes.d/%03d.conf", d, i / 1000) }
			printf "[node n%05d]\nmac = 52:54:%02x:%02x:%02x:%02x\nip = 10.0.%d.%d\n\n", i,
				int(i / 16777216) % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256,
				int(h / 256), h % 256 > f
		}
	}'
}

echo "## netinit-export at scale (bench/export.sh)"
echo
printf '| nodes | check | render (first) | render (again) | server checks | first render per 1k nodes | ratio to %s |\n' "${sizes%% *}"
printf '|------:|------:|------:|------:|------:|------:|------:|\n'
base=""
for n in $sizes; do
	d=$tmp/conf-$n root=$tmp/root-$n
	gen "$n" "$d"
	mkdir -p "$root/srv/netinit/images/img/etc"
	run "$BIN" -q -c "$d" check --no-server-check; c_w=$wall c_c=$cpu
	run "$BIN" -q -c "$d" -r "$root" --no-server-check render; r1_w=$wall r1_c=$cpu
	run "$BIN" -q -c "$d" -r "$root" --no-server-check render; r2_w=$wall r2_c=$cpu
	# kea = subnet (the default with a network): the file is the subnet4 entry
	# itself, included as doc/server.md says.
	printf '{ "Dhcp4": { "interfaces-config": { "interfaces": [] }, "subnet4": [ <?include "%s"?> ] } }\n' \
		"$root/etc/kea/netinit-subnet4.json" > "$tmp/kea.json"
	run dhcpd -t -q -cf "$root/etc/dhcp/netinit-hosts.conf"; s_w=$wall
	run dnsmasq --test --conf-file="$root/etc/dnsmasq.d/netinit.conf"; s_w=$(echo "$s_w + $wall" | bc -l)
	run kea-dhcp4 -t "$tmp/kea.json"; s_w=$(echo "$s_w + $wall" | bc -l | xargs printf '%.2f')
	files=$(find "$root" -type f | wc -l)
	per=$(echo "$r1_w * 1000 / $n" | bc -l | xargs printf '%.3f')
	[ -n "$base" ] || base=$per
	ratio=$(echo "$per / $base" | bc -l | xargs printf '%.2f')
	printf '| %s | %s s (%s) | %s s (%s), %s files | %s s (%s) | %s s | %s s | %sx |\n' "$n" "$c_w" "$c_c" \
		"$r1_w" "$r1_c" "$files" "$r2_w" "$r2_c" "$s_w" "$per" "$ratio"
	rm -rf "$root" "$d"
done
echo
echo "Outputs under ${BENCH_TMP:-/tmp} ($(df -T "${BENCH_TMP:-/tmp}" | awk 'NR==2 {print $2}')); $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(uname -r); $(date -u +%Y-%m-%d)."
