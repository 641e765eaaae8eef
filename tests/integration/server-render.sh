#!/bin/bash
# netinit-export's promises over time, on one staging root:
#   render twice changes nothing; --dry-run and diff change nothing and say
#   what would change; a node's existing directory is never overwritten or
#   deleted; files of a removed node are removed from pxelinux.cfg/ and
#   ipxe/ (generated ones only: a hand-written file there stays); an error
#   in a drop-in leaves every output as it was.
set -u
cd "$(dirname "$0")/../.."
BIN=${NETINIT_EXPORT:-${BUILD:-build}/netinit-export}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
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
image = img
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
ex -q render dnsmasq
[ -e "$root/srv/tftp/pxelinux.cfg/01-52-54-00-00-00-03" ] && [ -e "$root/srv/tftp/pxelinux.cfg/01-52-54-00-00-00-01" ] \
	&& pass "render of one kind leaves the other kinds' files alone" || failc "render of one kind" "pxelinux files removed by render dnsmasq"
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

# signed manifests: keygen, render, verified by openssl (an independent ed25519)
mkdir -p "$root/srv/netinit/images/live"
head -c 100000 /dev/urandom > "$root/srv/netinit/images/live/live.squashfs"
cat >> "$cfg/netinit.conf" <<'EOC'
[site]
public-key = keys/image.pub
secret-key = keys/image.key
[image live]
file = live/live.squashfs
version = 7
EOC
printf '[override n1]\nimage = live\n' > "$cfg/nodes.d/50-live.conf"
ex keygen > "$tmp/keygen.out" 2>&1 && [ "$(stat -c %a "$cfg/keys/image.key")" = 600 ] \
	&& pass "keygen: secret key mode 0600" || failc "keygen" "$(cat "$tmp/keygen.out")"
ex keygen > /dev/null 2>&1 && failc "keygen refuses to overwrite" "it overwrote" || pass "keygen refuses to overwrite"
ex -q render manifests || failc "render manifests" "exit $?"
mf=$root/srv/netinit/images/live/live.squashfs.manifest
verify() { # manifest pubkey-file image-file
	local sig b64pk
	head -n -1 "$1" > "$tmp/signed"
	sig=$(tail -n 1 "$1" | awk '{print $4}')
	echo "$sig" | base64 -d > "$tmp/sig"
	b64pk=$(awk '{print $2}' "$2")
	{ printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; echo "$b64pk" | base64 -d; } > "$tmp/pub.der"
	openssl pkeyutl -verify -pubin -inkey "$tmp/pub.der" -keyform DER -rawin -in "$tmp/signed" -sigfile "$tmp/sig" > /dev/null 2>&1 &&
		grep -qx "sha256 $(sha256sum "$3" | cut -d' ' -f1)" "$1" && grep -qx "size $(stat -c %s "$3")" "$1"
}
if ! command -v openssl > /dev/null; then
	failc "manifest signed and verifiable" "cannot run: openssl not installed"
elif [ -f "$mf" ] && head -n 1 "$mf" | grep -qx 'netinit-manifest 1' && grep -qx 'name live' "$mf" && grep -qx 'version 7' "$mf" \
	&& verify "$mf" "$cfg/keys/image.pub" "$root/srv/netinit/images/live/live.squashfs"; then
	pass "manifest signed, openssl verifies it, sha256 and size match"
else
	failc "manifest signed and verifiable" "$(cat "$mf" 2>&1)"
fi
if [ -x build/netinit-sign ]; then
	build/netinit-sign verify "$root/srv/netinit/images/live/live.squashfs" --key "$cfg/keys/image.pub" > "$tmp/v.out" 2>&1 \
		&& pass "netinit-sign verify accepts the manifest" || failc "netinit-sign verify accepts the manifest" "$(cat "$tmp/v.out")"
fi
grep -q 'root=http://10.0.0.1/netinit/images/live/live.squashfs' "$root/srv/tftp/pxelinux.cfg/01-52-54-00-00-00-01" 2>/dev/null \
	|| ex -q render pxelinux
grep -q 'root=http://10.0.0.1/netinit/images/live/live.squashfs' "$root/srv/tftp/pxelinux.cfg/01-52-54-00-00-00-01" \
	&& pass "node on the http image boots root=<url>" || failc "node on the http image boots root=<url>" "no root= URL"
m1=$(stat -c %Y.%i "$mf")
sleep 1.1; ex -q render manifests
[ -f "$mf" ] && [ "$(stat -c %Y.%i "$mf")" = "$m1" ] && pass "manifest not rewritten when the image is unchanged" || failc "manifest kept" "rewritten"
head -c 5000 /dev/urandom >> "$root/srv/netinit/images/live/live.squashfs"
ex -q render manifests
verify "$mf" "$cfg/keys/image.pub" "$root/srv/netinit/images/live/live.squashfs" \
	&& pass "changed image: manifest re-signed" || failc "changed image: manifest re-signed" "stale manifest"
sed -i 's/^version = 7/version = 8/' "$cfg/netinit.conf"
ex -q sign live && grep -qx 'version 8' "$mf" && verify "$mf" "$cfg/keys/image.pub" "$root/srv/netinit/images/live/live.squashfs" \
	&& pass "sign: new version re-signed" || failc "sign: new version" "$(cat "$mf")"

# list
out=$(ex list)
grep -q '^n2 .*52:54:00:00:00:02 .*10.0.0.12 .*img .*persistent' <<<"$out" && pass "list" || failc "list" "$out"

# A dotted host name: its directory and export are the first label, lower
# case, the key init mounts (init/hostname.h), never the whole name.
cat > "$cfg/nodes.d/20-fqdn.conf" <<'EOC'
[node Blade03.cluster.example]
ip = 10.0.0.40
mac = 52:54:00:00:00:40
image = img
EOC
ex -q render || failc "render with a dotted node name" "exit $?"
if [ -d "$root/srv/netinit/nodes/blade03/etc" ] && [ ! -e "$root/srv/netinit/nodes/Blade03.cluster.example" ] &&
   grep -q '^/srv/netinit/nodes/blade03 10.0.0.40(' "$root/etc/exports.d/netinit.exports"; then
	pass "a dotted host name: nodes/blade03 created and exported (the key init mounts)"
else
	failc "a dotted host name's directory" "$(ls "$root/srv/netinit/nodes"; grep 10.0.0.40 "$root/etc/exports.d/netinit.exports")"
fi
exit $fail
