#!/bin/bash
# netinit-export import: host lists in the formats sites have (a "name ip
# mac" list, /etc/ethers + /etc/hosts, dhcpd.conf host declarations,
# dnsmasq dhcp-host= lines) become one nodes.d drop-in.  Checked: the drop-in
# byte for byte, the report of every line not taken (with its line number),
# the exit code (4: written, some lines not taken), that the drop-in passes
# "check", and the round trip: render -> import -> render gives the same files.
set -u
cd "$(dirname "$0")/../.."
BIN=${NETINIT_EXPORT:-${BUILD:-build}/netinit-export}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
fail=0
pass() { echo "PASS: import: $1"; }
failc() { echo "FAIL: import: $1: $2"; fail=1; }
[ -x "$BIN" ] || { echo "FAIL: import: cannot run: $BIN not built"; exit 1; }
tmp=$(mktemp -d /tmp/netinit-import.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
D=tests/server/import

# A site the imported nodes can be checked in.
site() { # DIR
	mkdir -p "$1/nodes.d"
	cat > "$1/netinit.conf" <<EOC
[site]
server = 10.0.0.1
network = 10.0.0.0/24
gateway = 10.0.0.254
dns = 10.0.0.1
[image compute]
path = /srv/nfs/compute
EOC
}

for f in nodes.hosts:hosts dhcpd.conf:dhcpd dnsmasq.conf:dnsmasq ethers:ethers; do
	file=${f%%:*} fmt=${f##*:} extra=()
	[ "$fmt" = ethers ] && extra=(--hosts ethers.hosts)
	(cd "$D" && "$BIN" import --from "$fmt" "${extra[@]}" "$file") > "$tmp/$file.out" 2> "$tmp/$file.err"
	rc=$?
	[ "$rc" = 4 ] && pass "$fmt: exit code 4 (written, some lines not taken)" || failc "$fmt exit code" "got $rc, want 4"
	if cmp -s "$tmp/$file.out" "$D/$file.expected"; then
		pass "$fmt: the drop-in is $D/$file.expected"
	else
		failc "$fmt drop-in" "$(diff -u "$D/$file.expected" "$tmp/$file.out" | head -n 20)"
	fi
	sed 's/^netinit-export: //' "$tmp/$file.err" | grep -v ' hosts as ' > "$tmp/$file.err2"
	if cmp -s "$tmp/$file.err2" "$D/$file.stderr"; then
		pass "$fmt: every line not taken is reported with its line number ($(wc -l < "$D/$file.stderr") lines)"
	else
		failc "$fmt report" "$(diff -u "$D/$file.stderr" "$tmp/$file.err2" | head -n 20)"
	fi
	site "$tmp/site-$fmt"
	cp "$tmp/$file.out" "$tmp/site-$fmt/nodes.d/10-imported.conf"
	if "$BIN" -q -c "$tmp/site-$fmt" -r "$tmp/root-$fmt" check > "$tmp/$file.check" 2>&1; then
		pass "$fmt: the imported drop-in passes check"
	else
		failc "$fmt check" "$(tail -n 5 "$tmp/$file.check")"
	fi
done

# -o FILE writes the file (atomically) instead of stdout; a missing input writes nothing.
(cd "$D" && "$BIN" import --from hosts nodes.hosts -o "$tmp/o.conf") > "$tmp/o.out" 2>&1
if cmp -s "$tmp/o.conf" "$D/nodes.hosts.expected" && ! grep -q '^\[group' "$tmp/o.out"; then
	pass "-o FILE writes the drop-in there, nothing on stdout"
else
	failc "-o FILE" "$(head -n 5 "$tmp/o.out")"
fi
"$BIN" import --from hosts /nonexistent/list -o "$tmp/none.conf" > "$tmp/none.out" 2>&1
rc=$?
if [ "$rc" = 1 ] && [ ! -e "$tmp/none.conf" ] && grep -q '^netinit-export: error: /nonexistent/list: cannot read' "$tmp/none.out"; then
	pass "an unreadable input: exit 1, an error naming it, nothing written"
else
	failc "unreadable input" "rc=$rc $(head -n 3 "$tmp/none.out")"
fi
printf 's1 10.0.0.11 00:1e:67:00:00:11\ns2 10.0.0.11 00:1e:67:00:00:12\n' > "$tmp/dup.hosts"
"$BIN" import --from hosts "$tmp/dup.hosts" -o "$tmp/dup.conf" > "$tmp/dup.out" 2>&1
rc=$?
if [ "$rc" = 1 ] && [ ! -e "$tmp/dup.conf" ] && grep -q 'dup.hosts:2: s2: the same address as s1 on line 1' "$tmp/dup.out"; then
	pass "duplicate addresses: exit 1, both lines named, nothing written"
else
	failc "duplicates" "rc=$rc $(head -n 3 "$tmp/dup.out")"
fi
"$BIN" import --from csv x > /dev/null 2>&1
[ $? = 2 ] && pass "an unknown format is a usage error (exit 2)" || failc "unknown format" "exit code not 2"

# Round trip: render the site, import what dhcpd and dnsmasq were given,
# render again from the imported nodes only: the same files, byte for byte.
site "$tmp/rt"
cat >> "$tmp/rt/netinit.conf" <<'EOC'
[output]
dhcpd = /out/dhcpd.conf
dnsmasq = /out/dnsmasq.conf
kea = /out/kea.json
EOC
cat > "$tmp/rt/nodes.d/10-nodes.conf" <<'EOC'
[group rack1]
name = blade%02d
start = 1
count = 12
ip = 10.0.0.101-10.0.0.112
mac-start = 52:54:00:00:01:01
[node login1]
mac = 52:54:00:aa:00:01
ip = 10.0.0.10
[group gpu]
name = gpu%d
count = 3
ip = 10.0.0.201
mac = 52:54:00:00:02:09, 52:54:00:00:02:03, 52:54:00:00:02:05
EOC
kinds="dhcpd dnsmasq kea pxelinux ipxe"
"$BIN" -q --no-server-check -c "$tmp/rt" -r "$tmp/rt1" render $kinds > "$tmp/rt1.log" 2>&1 || failc "round trip render" "$(tail -n 3 "$tmp/rt1.log")"
for fmt in dhcpd dnsmasq; do
	rm -rf "$tmp/rt-$fmt"; cp -a "$tmp/rt" "$tmp/rt-$fmt"; rm "$tmp/rt-$fmt/nodes.d/10-nodes.conf"
	"$BIN" import --from $fmt "$tmp/rt1/out/$fmt.conf" -o "$tmp/rt-$fmt/nodes.d/10-imported.conf" 2> "$tmp/rt-$fmt.err"
	"$BIN" -q --no-server-check -c "$tmp/rt-$fmt" -r "$tmp/rt2-$fmt" render $kinds > "$tmp/rt2-$fmt.log" 2>&1
	if [ -s "$tmp/rt-$fmt/nodes.d/10-imported.conf" ] && diff -r "$tmp/rt1" "$tmp/rt2-$fmt" > "$tmp/rt-$fmt.diff"; then
		pass "round trip from $fmt: render -> import -> render gives the same $(find "$tmp/rt1" -type f | wc -l) files ($(grep -c '^\[' "$tmp/rt-$fmt/nodes.d/10-imported.conf") sections)"
	else
		failc "round trip from $fmt" "$(head -n 20 "$tmp/rt-$fmt.diff") $(tail -n 3 "$tmp/rt2-$fmt.log")"
	fi
done
exit $fail
