#!/bin/bash
# The boot stage of a URL root (fetch_root(), via `fetch --root`) in a
# private mount namespace: squashfs/erofs/ext4 images loop-mounted
# read-only under a volatile overlay, archives unpacked into a tmpfs, and
# with verification: nothing mounted when the hash or signature is wrong.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/fetch/lib.sh
trap fetch_cleanup EXIT
trap 'exit 1' INT TERM
pick_fetch

for what in nginx mksquashfs mkfs.erofs mke2fs unshare findmnt zstd cpio; do
	command -v "$what" >/dev/null || { echo "FAIL: fetch-root: cannot run: $what not installed"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "FAIL: fetch-root: cannot run: needs root (mounts, loop devices)"; exit 1; }
[ -e /dev/loop-control ] || { echo "FAIL: fetch-root: cannot run: no /dev/loop-control"; exit 1; }

www=$work/www
mkdir -p "$www" "$work/tree"
make_tree "$work/tree"
mksquashfs "$work/tree" "$www/root.squashfs" -quiet -noappend >/dev/null
mkfs.erofs "$www/root.erofs" "$work/tree" >/dev/null 2>&1
mke2fs -q -t ext4 -d "$work/tree" "$www/root.ext4" 16M
(cd "$work/tree" && find . | cpio -o -H newc 2>/dev/null) | zstd -q -o "$www/root.cpio.zst"
"$SIGN" keygen "$work/key" >/dev/null
mkdir -p "$work/keys"
cp "$work/key.pub" "$work/keys/site.pub"
for f in root.squashfs root.cpio.zst; do "$SIGN" sign "$www/$f" --key "$work/key.sec" >/dev/null; done
# same size, one byte changed, the good image's signed manifest
cp "$www/root.squashfs" "$www/evil.squashfs"
printf '\x5a' | dd of="$www/evil.squashfs" bs=1 seek=3000 conv=notrunc 2>/dev/null
cp "$www/root.squashfs.manifest" "$www/evil.squashfs.manifest"
start_nginx "$www" || { echo "FAIL: fetch-root: cannot run: nginx did not start"; exit 1; }
N=http://127.0.0.1:$NGINX_PORT

# Runs the boot stage and inspects the result inside one mount namespace.
boot() { # name url [fetch args...] -> $work/<name>.log, mounts in $work/<name>.mounts
	local name=$1 url=$2; shift 2
	mkdir -p "$work/$name/newroot" "$work/$name/run"
	unshare -m --propagation private bash -c '
		f=("${@:4}")
		"${f[@]}" "$1" - --root "$2/newroot" --run-dir "$2/run" --backoff-ms 100 --tries 2 --rounds 1 || exit 1
		findmnt -rn -o TARGET,FSTYPE,OPTIONS | grep "^$2/" > "$3"
		cmp -s "$2/newroot/etc/hostname" - <<< node || exit 3
		[ "$(stat -c %a "$2/newroot/bin/busybox")" = 4755 ] || exit 4
		echo written > "$2/newroot/etc/new" || exit 5
		echo "after: $(losetup -a | grep -c "$2/run")" >> "$3"
	' _ "$url" "$work/$name" "$work/$name.mounts" "${FETCH[@]}" "$@" > "$work/$name.log" 2>&1
}

for fs in squashfs erofs ext4; do
	if boot "$fs" "$N/root.$fs"; then
		if grep -q "newroot overlay " "$work/$fs.mounts" && grep -q "run/lower $fs ro," "$work/$fs.mounts"; then
			pass "fetch-root: $fs image: detected by magic, loop-mounted read-only, volatile overlay writable"
		else
			fail "fetch-root: $fs" "mounts: $(tr '\n' ' ' < "$work/$fs.mounts")"
		fi
	else
		fail "fetch-root: $fs" "exit $?: $(grep -a ERROR "$work/$fs.log" | head -n 2 | tr '\n' ' ')"
	fi
done
if boot cpio "$N/root.cpio.zst" && grep -q "newroot tmpfs " "$work/cpio.mounts"; then
	pass "fetch-root: cpio.zst archive: unpacked into a tmpfs root while downloading"
else
	fail "fetch-root: cpio.zst" "$(grep -a ERROR "$work/cpio.log" | head -n 2 | tr '\n' ' ')"
fi
if boot signed "$N/root.squashfs" --key-dir "$work/keys" && grep -aq "verified (signed manifest)" "$work/signed.log"; then
	pass "fetch-root: signed squashfs: verified before the mount"
else
	fail "fetch-root: signed squashfs" "$(grep -a ERROR "$work/signed.log" | head -n 2 | tr '\n' ' ')"
fi
boot evil "$N/evil.squashfs" --key-dir "$work/keys"
rc=$?
if [ "$rc" = 1 ] && ! grep -aq "netinit mount:" "$work/evil.log" && [ ! -s "$work/evil.mounts" ] &&
   grep -aq "sha256 mismatch: expected" "$work/evil.log"; then
	pass "fetch-root: image not matching its signed manifest: never mounted, boot fails with both hashes"
else
	fail "fetch-root: evil image" "rc=$rc $(grep -a 'mount:' "$work/evil.log" | head -n 1)"
fi
boot evil-archive "$N/root.cpio.zst" --sha256 "$(printf '%064d' 0)"
rc=$?
if [ "$rc" = 1 ] && ! grep -aq "netinit mount:" "$work/evil-archive.log"; then
	pass "fetch-root: archive with a wrong pin: unpacked tmpfs thrown away, nothing at newroot"
else
	fail "fetch-root: archive with wrong pin" "rc=$rc"
fi
if boot nokey "$N/root.squashfs" --key-dir "$work/keys" --verify-off &&
   grep -aq "NOT verified" "$work/nokey.log"; then
	pass "fetch-root: netinit.verify=off with keys built in: boots, loudly logged"
else
	fail "fetch-root: verify=off" "$(grep -a ERROR "$work/nokey.log" | head -n 1)"
fi

[ "$fails" = 0 ]
