#!/bin/bash
# netinit-export's promises over time, on one staging root:
#   render twice changes nothing; --dry-run and diff change nothing and say
#   what would change; a node's existing directory is never overwritten or
#   deleted; files of a removed node are removed from pxelinux.cfg/ and
#   ipxe/ (generated ones only: a hand-written file there stays); an error
#   in a drop-in leaves every output as it was.
set -u
cd "$(dirname "$0")/../.."
BIN=$PWD/${NETINIT_EXPORT:-build/netinit-export}
fail=0
pass() { echo "PASS: $1"; }
failc() { echo "FAIL: $1: $2"; fail=1; }
[ -x "$BIN" ] || { echo "FAIL: server-render: cannot run: $BIN not built"; exit 1; }
tmp=$(mktemp -d /tmp/netinit-render.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cfg=$tmp/etc root=$tmp/root
mkdir -p "$cfg/nodes.d" "$root/srv/netinit/images/img/etc"
echo image > "$root/srv/netinit/images/img/etc/motd"
cat > "$cfg/netinit.conf" <<'EOC'
[site]
server = 10.0.0.1
network = 10.0.0.0/24
writable = persistent
outputs = dnsmasq dhcpd pxelinux ipxe exports nodedirs
[image img]
EOC
cat > "$cfg/nodes.d/10-n.conf" <<'EOC'
[group n]
name = n%d
count = 3
ip = 10.0.0.11
mac-start = 52:54:00:00:00:01
EOC
ex() { "$BIN" -c "$cfg" -r "$root" "$@"; }
snap() { (cd "$root" && find . -printf '%p %T@ %s %m\n' | LC_ALL=C sort | md5sum); }

# dry run on an empty root: says what it would do, creates nothing
out=$(ex -n render 2>&1)
if [ ! -e "$root/etc" ] && [ ! -e "$root/srv/netinit/nodes" ] && grep -q "would write $root/etc/dnsmasq.d/netinit.conf" <<<"$out" \
	&& grep -q "would create $root/srv/netinit/nodes/n1" <<<"$out"; then
	pass "render --dry-run writes nothing and says what"
else
	failc "render --dry-run writes nothing and says what" "$out"
fi
ex diff > "$tmp/diff.out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "^create $root/etc/dhcp/netinit-hosts.conf" "$tmp/diff.out" \
	&& pass "diff before render: exit 1, lists files" || failc "diff before render" "rc=$rc $(head -3 "$tmp/diff.out")"

ex -q render || failc "render" "exit $?"
[ -f "$root/srv/netinit/nodes/n2/etc/motd" ] && pass "new node directory seeded" || failc "new node directory seeded" "no n2/etc/motd"
s1=$(snap)
ex -q render; s2=$(snap)
[ "$s1" = "$s2" ] && pass "second render changes nothing" || failc "second render changes nothing" "tree changed"
ex diff > "$tmp/diff.out" 2>&1; rc=$?
[ $rc = 0 ] && [ ! -s "$tmp/diff.out" ] && pass "diff after render: exit 0, silent" || failc "diff after render" "rc=$rc $(cat "$tmp/diff.out")"

# the node's own data survives everything
echo "node data" > "$root/srv/netinit/nodes/n2/etc/motd"
echo "# hand-written" > "$root/srv/tftp/pxelinux.cfg/default"
sed -i 's/count = 3/count = 2/' "$cfg/nodes.d/10-n.conf"
ex diff -u > "$tmp/diff.out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "^remove $root/srv/tftp/pxelinux.cfg/01-52-54-00-00-00-03" "$tmp/diff.out" && grep -q '^-dhcp-host=52:54:00:00:00:03' "$tmp/diff.out" \
	&& pass "diff -u shows the removed node" || failc "diff -u shows the removed node" "rc=$rc $(head -20 "$tmp/diff.out")"
ex -q render
[ ! -e "$root/srv/tftp/pxelinux.cfg/01-52-54-00-00-00-03" ] && [ ! -e "$root/srv/tftp/ipxe/52-54-00-00-00-03.ipxe" ] \
	&& pass "removed node's boot files removed" || failc "removed node's boot files removed" "still there"
[ -f "$root/srv/tftp/pxelinux.cfg/default" ] && pass "hand-written pxelinux file kept" || failc "hand-written pxelinux file kept" "removed"
[ -d "$root/srv/netinit/nodes/n3" ] && pass "removed node's directory kept" || failc "removed node's directory kept" "deleted"
[ "$(cat "$root/srv/netinit/nodes/n2/etc/motd")" = "node data" ] && pass "existing node directory not overwritten" \
	|| failc "existing node directory not overwritten" "motd replaced"
grep -q 'n3' "$root/etc/exports.d/netinit.exports" && failc "removed node not exported" "n3 still exported" || pass "removed node not exported"

# a broken drop-in: error with file and line, nothing touched
s1=$(snap)
printf '[node bad]\nmac = 52:54:00:00:00:01\nip = 10.0.0.50\n' > "$cfg/nodes.d/20-bad.conf"
out=$(ex render 2>&1); rc=$?
s2=$(snap)
[ $rc = 1 ] && [ "$s1" = "$s2" ] && grep -q "20-bad.conf:2: node bad: MAC 52:54:00:00:00:01 is already used by node n1 at $cfg/nodes.d/10-n.conf:5" <<<"$out" \
	&& pass "bad drop-in: error names both places, nothing written" || failc "bad drop-in" "rc=$rc $out"
rm "$cfg/nodes.d/20-bad.conf"

# list
out=$(ex list)
grep -q '^n2 .*52:54:00:00:00:02 .*10.0.0.12 .*img .*persistent' <<<"$out" && pass "list" || failc "list" "$out"
exit $fail
