#!/bin/bash
# The pkg tier (tests/check.sh): installing netinit the way an admin does.
#   1. make install DESTDIR=: the file list (tests/pkg/install-files.txt), the
#      paths written into the scripts, PREFIX=/usr/local, make uninstall;
#   2. dpkg-buildpackage -us -uc -b from a copy of the tree, the static
#      libkmod/libmount built inside it (PKG_DEPS_CACHE=1 reuses build/deps);
#   3. lintian: no errors (warnings are printed as notes);
#   4. a fresh Debian bookworm root (debootstrap from the apt mirror of
#      /etc/apt/sources.list.d/debian.sources, cached as build/pkgroot.tar),
#      apt-get install ./netinit_*.deb in a chroot, the README walkthrough
#      with the installed commands (netinit-export list/check/keygen/render,
#      netinit-sign, netinit-mkinitramfs);
#   5. two real kernel packages of the archive installed one after the other:
#      the hook's images in the TFTP tree, the previous one kept, /boot's
#      initrd files untouched (and the hook run with /boot read-only), the
#      postrm hook on removal;
#   6. man netinit / man -l of the package's man pages; the bash completion.
# Every check prints PASS: or FAIL:.  Needs root (chroot, mounts).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
BUILD=${BUILD:-build}
work=$repo/$BUILD/pkg
rootcache=$repo/$BUILD/pkgroot.tar
root=$work/root
log=$work/log
T=/srv/tftp/netinit
failed=0
t0=$SECONDS

pass() { echo "PASS: pkg: $*"; }
fail() { echo "FAIL: pkg: $*"; failed=1; }
# ok DESCRIPTION COMMAND...: PASS when the command succeeds (its output in $log/).
n=0
ok() {
	local desc=$1 f
	shift
	n=$((n + 1))
	f=$log/$(printf '%02d' $n).log
	"$@" > "$f" 2>&1
	local rc=$?
	if [ $rc = 0 ]; then pass "$desc"; return 0; fi
	fail "$desc (exit $rc; last lines of $f:)"
	tail -n 15 "$f" | sed 's/^/    /'
	return 1
}
# is DESCRIPTION EXPECTED ACTUAL
is() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected \"$2\", got \"$3\""; fi
}
step() { echo "-- $* ($((SECONDS - t0)) s)"; }

if [ "$(id -u)" != 0 ]; then
	fail "needs root (chroot, mounts)"
	exit 1
fi
missing=()
for c in dpkg-buildpackage dh lintian debootstrap chroot man; do
	command -v "$c" >/dev/null || missing+=("$c")
done
[ -r /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
if [ ${#missing[@]} -gt 0 ]; then
	fail "missing tools: ${missing[*]} (bash .ci/install-deps)"
	exit 1
fi
mkdir -p "$work"
rm -rf "$log"
mkdir -p "$log"

# ---------------------------------------------------------------- make install
step "make install"
dest=$work/destdir
rm -rf "$dest"
ok "make install DESTDIR=... PREFIX=/usr" make -s install DESTDIR="$dest" PREFIX=/usr
actual=$(cd "$dest" && find . ! -type d | sed 's|^\.||' | LC_ALL=C sort)
expected=$({ grep -v '^#' tests/pkg/install-files.txt
	    find hooks/examples -type f 2>/dev/null | sed 's|^hooks/examples/|/usr/share/doc/netinit/examples/hooks/|'
	  } | LC_ALL=C sort)
if [ "$actual" = "$expected" ]; then
	pass "make install: the $(echo "$actual" | wc -l) files of tests/pkg/install-files.txt"
else
	fail "make install: file list differs from tests/pkg/install-files.txt (- expected, + installed):"
	diff <(echo "$expected") <(echo "$actual") | grep '^[<>]' | sed 's/^</    -/; s/^>/    +/'
fi
left=$(grep -rlE '@(pkglibdir|sbindir|sysconfdir)@' "$dest" || true)
is "make install: no @path@ placeholder left in the installed files" "" "$left"
is "installed netinit-mkinitramfs has pkglibdir /usr/lib/netinit" "pkglibdir='/usr/lib/netinit'" \
	"$(grep -m1 '^pkglibdir=' "$dest/usr/sbin/netinit-mkinitramfs")"
is "installed kernel postinst.d hook runs /usr/lib/netinit/kernel-hook" "exec /usr/lib/netinit/kernel-hook install \"\$@\"" \
	"$(grep '^exec' "$dest/etc/kernel/postinst.d/netinit")"
is "installed kernel-hook reads /etc/default/netinit" "defaults=/etc/default/netinit" \
	"$(grep -m1 '^defaults=' "$dest/usr/lib/netinit/kernel-hook")"
# The admin's settings survive both install and uninstall.
echo 'NETINIT_TFTP_DIR=/srv/tftp/site' >> "$dest/etc/default/netinit"
make -s install DESTDIR="$dest" PREFIX=/usr > "$log/reinstall.log" 2>&1
if grep -q '^NETINIT_TFTP_DIR=/srv/tftp/site' "$dest/etc/default/netinit"; then
	pass "make install keeps a changed /etc/default/netinit"
else fail "make install overwrote a changed /etc/default/netinit"; fi
ok "make uninstall DESTDIR=... PREFIX=/usr" make -s uninstall DESTDIR="$dest" PREFIX=/usr
is "make uninstall leaves only the changed /etc/default/netinit" "./etc/default/netinit" \
	"$(cd "$dest" && find . ! -type d | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
dest2=$work/destdir-local
rm -rf "$dest2"
ok "make install DESTDIR=... (PREFIX=/usr/local)" make -s install DESTDIR="$dest2"
is "PREFIX=/usr/local: pkglibdir /usr/local/lib/netinit in netinit-mkinitramfs" "pkglibdir='/usr/local/lib/netinit'" \
	"$(grep -m1 '^pkglibdir=' "$dest2/usr/local/sbin/netinit-mkinitramfs" 2>/dev/null)"
is "PREFIX=/usr/local: kernel hooks still in /etc/kernel, calling /usr/local/lib/netinit" \
	"exec /usr/local/lib/netinit/kernel-hook remove \"\$@\"" "$(grep '^exec' "$dest2/etc/kernel/postrm.d/netinit" 2>/dev/null)"
rm -rf "$dest" "$dest2"

# ---------------------------------------------------------------- the package
step "dpkg-buildpackage"
ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
arch=$(dpkg --print-architecture)
srcdir=$work/src/netinit-$ver
rm -rf "$work/src"
mkdir -p "$srcdir"
git ls-files -z -co --exclude-standard | grep -zv "^$BUILD/" |
	tar --null --ignore-failed-read -cf - -T - 2>/dev/null | tar -xf - -C "$srcdir"
envs=()
if [ "${PKG_DEPS_CACHE:-0}" = 1 ] && [ -f "$repo/$BUILD/deps/.built" ]; then
	envs=(NETINIT_DEPS_DIR="$repo/$BUILD")
	echo "note: PKG_DEPS_CACHE=1: the package build reuses $repo/$BUILD/deps"
fi
tb=$SECONDS
if ok "dpkg-buildpackage -us -uc -b (static libkmod/libmount from apt-get source inside the build)" \
	env -C "$srcdir" "${envs[@]}" dpkg-buildpackage -us -uc -b; then
	echo "note: package build took $((SECONDS - tb)) s"
fi
deb=$work/src/netinit_${ver}_${arch}.deb
changes=$work/src/netinit_${ver}_${arch}.changes
if [ ! -f "$deb" ]; then
	fail "no $deb: stopping"
	exit 1
fi
field() { dpkg-deb -f "$deb" "$1"; }
for d in busybox-static kmod cpio zstd; do
	case ", $(field Depends), " in
	*", $d"[,\ ]*) pass "Depends names $d" ;;
	*) fail "Depends does not name $d: $(field Depends)" ;;
	esac
done
for s in squashfs-tools dnsmasq isc-dhcp-server kea-dhcp4-server; do
	case "$(field Suggests)" in
	*"$s"*) pass "Suggests names $s" ;;
	*) fail "Suggests does not name $s" ;;
	esac
done
case "$(field Built-Using)" in
*"kmod (= "*"util-linux (= "*) pass "Built-Using names kmod and util-linux: $(field Built-Using)" ;;
*) fail "Built-Using lacks kmod/util-linux: $(field Built-Using)" ;;
esac
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/lib/netinit/init ./usr/sbin/netinit-export ./usr/sbin/netinit-mkinitramfs ./usr/sbin/netinit-sign \
	 ./etc/kernel/postinst.d/netinit ./etc/kernel/postrm.d/netinit ./usr/share/man/man7/netinit.7.gz \
	 ./usr/share/bash-completion/completions/netinit-export ./usr/share/doc/netinit/examples/site/netinit.conf; do
	if grep -qxF "$f" <<< "$contents"; then pass "package contains ${f#.}"; else fail "package lacks ${f#.}"; fi
done

step "lintian"
lintian --tag-display-limit 0 --show-overrides "$changes" > "$log/lintian.log" 2>&1
errors=$(grep -c '^E: ' "$log/lintian.log")
warnings=$(grep -c '^W: ' "$log/lintian.log")
if [ "$errors" = 0 ] && grep -q '^O: .*statically-linked-binary' "$log/lintian.log"; then
	pass "lintian: 0 errors, $warnings warnings (the static init's tags overridden with the reason)"
elif [ "$errors" = 0 ]; then
	fail "lintian: 0 errors, but the statically-linked-binary override was not used: is lintian checking the package?"
else
	fail "lintian: $errors errors:"
	grep '^E: ' "$log/lintian.log" | sed 's/^/    /'
fi
grep '^W: ' "$log/lintian.log" | sed 's/^/note: lintian /'

# ---------------------------------------------------------------- a Debian root
cleanup() {
	local m
	for m in boot var/cache/apt/archives sys dev proc; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	return 0
}
# rm -rf of the root only when nothing is mounted below it (a bound /dev!).
remove_root() {
	if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		fail "something is still mounted under $root: not removing it"
		return 1
	fi
	rm -rf "$root"
}
trap cleanup EXIT
cleanup
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
if [ ! -f "$rootcache" ]; then
	step "debootstrap bookworm from $mirror (cached as $rootcache)"
	rm -rf "$work/root-new"
	if ok "debootstrap --variant=minbase bookworm" debootstrap --variant=minbase bookworm "$work/root-new" "$mirror"; then
		rm -f "$work/root-new"/var/cache/apt/archives/*.deb
		tar -C "$work/root-new" -cf "$rootcache.tmp" . && mv "$rootcache.tmp" "$rootcache"
	fi
	rm -rf "$work/root-new"
fi
if [ ! -f "$rootcache" ]; then
	fail "no Debian root: stopping"
	exit 1
fi
step "chroot"
remove_root || exit 1
mkdir -p "$root"
tar -C "$root" -xf "$rootcache"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount -t sysfs sysfs "$root/sys"
mkdir -p "$work/apt-archives/partial"
mount --bind "$work/apt-archives" "$root/var/cache/apt/archives"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
rm -f "$root/etc/apt/sources.list"
# The host's Debian archive entries (deb only): the one network this test uses.
awk 'BEGIN { RS = ""; ORS = "\n\n" } /Types: deb( |\n|$)/' /etc/apt/sources.list.d/debian.sources \
	> "$root/etc/apt/sources.list.d/debian.sources"
ch() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive "$@"; }
ch chown -R _apt:root /var/cache/apt/archives/partial
ok "apt-get update in the chroot" ch apt-get update -q
cp "$deb" "$root/tmp/"
ok "apt-get install ./$(basename "$deb") in a fresh bookworm root" \
	ch apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")"
ok "the dependencies came with it (busybox-static kmod cpio zstd file)" \
	ch dpkg-query -W busybox-static kmod cpio zstd file
ok "installed netinit-export runs" ch netinit-export --version

# ---------------------------------------------------------------- the walkthrough
step "README walkthrough in the chroot"
ok "squashfs-tools (Suggests) for the walkthrough's image" ch apt-get install -y -q --no-install-recommends squashfs-tools
walk() { ch bash -euc "$1"; }
ok "the example drop-ins copied to /etc/netinit" walk '
	mkdir -p /etc/netinit
	cp -r /usr/share/doc/netinit/examples/site/. /etc/netinit/
	find /etc/netinit -name "*.gz" -exec gunzip {} +
	mkdir -p /srv/netinit/images/bookworm/etc /srv/netinit/images/bookworm/var/lib /srv/netinit/images/gpu
	echo bookworm > /srv/netinit/images/bookworm/etc/hostname
	mksquashfs /usr/share/doc/netinit /srv/netinit/images/gpu/gpu-2026.11.squashfs -quiet -noappend'
is "netinit-export list: 10 nodes" 10 "$(ch netinit-export list 2>/dev/null | tail -n +2 | wc -l)"
out=$(ch netinit-export check 2>"$log/check.err")
case $out in
"ok: 10 nodes, 2 images,"*) pass "netinit-export check: $out" ;;
*) fail "netinit-export check: \"$out\"; $(tail -n 5 "$log/check.err")" ;;
esac
ok "netinit-export keygen" ch netinit-export keygen
ok "netinit-export render" ch netinit-export render
for f in /etc/dnsmasq.d/netinit.conf /srv/tftp/pxelinux.cfg/01-52-54-00-aa-00-01 /etc/exports.d/netinit.exports \
	 /srv/netinit/nodes/blade03/etc /srv/netinit/images/gpu/gpu-2026.11.squashfs.manifest \
	 /etc/nginx/snippets/netinit-images.conf; do
	if [ -e "$root$f" ]; then pass "render wrote $f"; else fail "render did not write $f"; fi
done
if grep -q 'INITRD netinit/initramfs.img' "$root/srv/tftp/pxelinux.cfg/01-52-54-00-aa-00-01" 2>/dev/null; then
	pass "pxelinux file names netinit/initramfs.img (what the kernel hook keeps up to date)"
else fail "pxelinux file does not name netinit/initramfs.img"; fi
ok "netinit-export diff after render: nothing to change (exit 0)" ch netinit-export diff
out=$(ch netinit-export render 2>&1)
if grep -q ' 0 files changed' <<< "$out"; then pass "a second render changes nothing"
else fail "a second render changed files"; fi
ok "netinit-sign verify accepts the rendered manifest" \
	ch netinit-sign verify /srv/netinit/images/gpu/gpu-2026.11.squashfs --key /etc/netinit/keys/image.pub

# ---------------------------------------------------------------- kernels
step "kernel packages"
# Two versions of the same kernel flavour in the archive: an old one and
# its update (bookworm and bookworm-security), installed with apt-get by
# name as an admin does; else two flavours of one version.
kpkg() { # meta-package version -> linux-image-ABI-FLAVOUR
	ch apt-cache show "$1=$2" 2>/dev/null | sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1
}
kversions() { ch apt-cache madison "$1" 2>/dev/null | awk '/ Packages$/ { print $3 }' | sort -uV; }
mapfile -t kvers < <(kversions linux-image-cloud-amd64)
kold="" knew=""
if [ ${#kvers[@]} -ge 2 ]; then
	kold=$(kpkg linux-image-cloud-amd64 "${kvers[0]}")
	knew=$(kpkg linux-image-cloud-amd64 "${kvers[${#kvers[@]} - 1]}")
fi
if [ -z "$kold" ] || [ -z "$knew" ] || [ "$kold" = "$knew" ]; then
	# One version only: the two flavours of it, in version order.
	v=$(kversions linux-image-amd64 | tail -n 1)
	kold=$(kpkg linux-image-amd64 "$v") knew=$(kpkg linux-image-cloud-amd64 "$v")
fi
vold=${kold#linux-image-} vnew=${knew#linux-image-}
if [ -z "$kold" ] || [ -z "$knew" ] || [ "$(printf '%s\n' "$vold" "$vnew" | sort -V | tail -n 1)" != "$vnew" ]; then
	fail "no two kernel packages in the archive ($kold, $knew): stopping"
	exit 1
fi
echo "note: kernels: $vold, then $vnew (the .debs are cached in $work/apt-archives)"
ok "install kernel package $kold (with initramfs-tools)" ch apt-get install -y -q --no-install-recommends "$kold"
img_old=$T/initramfs-netinit-$vold.img
if [ -f "$root$img_old" ]; then pass "kernel hook built $img_old"; else fail "kernel hook did not build $img_old"; fi
is "initramfs.img -> the new kernel's image" "initramfs-netinit-$vold.img" "$(readlink "$root$T/initramfs.img")"
is "vmlinuz -> the new kernel" "vmlinuz-$vold" "$(readlink "$root$T/vmlinuz")"
ok "the TFTP tree's vmlinuz-$vold is /boot's kernel" cmp "$root$T/vmlinuz-$vold" "$root/boot/vmlinuz-$vold"
listing=$(ch sh -c "zstd -dc $img_old | cpio -it --quiet" 2>/dev/null)
for f in init bin/busybox sbin/modprobe "lib/modules/$vold/modules.dep" etc/netinit/build-info; do
	if grep -qxF "$f" <<< "$listing"; then pass "the hook's initramfs has $f"; else fail "the hook's initramfs lacks $f"; fi
done
nmods=$(grep -c '\.ko' <<< "$listing")
[ "$nmods" -gt 10 ] && pass "the hook's initramfs has $nmods modules" || fail "the hook's initramfs has $nmods modules"
# netinit-mkinitramfs by hand, as in the README, with the site key.
ok "netinit-mkinitramfs --kver $vold --key image.pub --nic-modules virtio_net" \
	ch netinit-mkinitramfs --kver "$vold" --output /tmp/manual.img --key /etc/netinit/keys/image.pub --nic-modules virtio_net
listing=$(ch sh -c 'zstd -dc /tmp/manual.img | cpio -it --quiet' 2>/dev/null)
if grep -qx etc/netinit/keys/image.pub <<< "$listing"; then
	pass "the initramfs carries the site's public key"
else fail "the initramfs lacks etc/netinit/keys/image.pub"; fi

bootsums() { (cd "$root/boot" && find . -type f -name 'initrd.img-*' -exec sha256sum {} + | LC_ALL=C sort); }
boot1=$(bootsums)
old_sum=$(sha256sum < "$root$img_old")
[ -n "$boot1" ] && pass "initramfs-tools made /boot's initrd for $vold" || fail "no /boot/initrd.img-$vold (initramfs-tools)"
ok "install kernel package $knew (a kernel update)" ch apt-get install -y -q --no-install-recommends "$knew"
img_new=$T/initramfs-netinit-$vnew.img
if [ -f "$root$img_new" ]; then pass "kernel hook built $img_new"; else fail "kernel hook did not build $img_new"; fi
is "initramfs.img -> the update's image" "initramfs-netinit-$vnew.img" "$(readlink "$root$T/initramfs.img")"
is "initramfs.img.old -> the previous image" "initramfs-netinit-$vold.img" "$(readlink "$root$T/initramfs.img.old")"
is "vmlinuz -> $vnew, vmlinuz.old -> $vold" "vmlinuz-$vnew vmlinuz-$vold" \
	"$(readlink "$root$T/vmlinuz") $(readlink "$root$T/vmlinuz.old")"
is "the previous image is kept unchanged" "$old_sum" "$(sha256sum < "$root$img_old" 2>/dev/null)"
boot2=$(bootsums)
if [ "$(grep -v "initrd.img-$vnew\$" <<< "$boot2")" = "$boot1" ] && grep -q "initrd.img-$vnew\$" <<< "$boot2"; then
	pass "/boot: initrd.img-$vold unchanged, initrd.img-$vnew made by initramfs-tools only"
else fail "/boot's initrd files changed: before: $boot1; after: $boot2"; fi
# What the nodes now get: the TFTP tree's vmlinuz + initramfs.img (the
# links) boot the update in QEMU (TCG, no network) into the VM tests' root.
(
	export VM_KERNEL=$root$T/vmlinuz VM_INITRD=$root$T/initramfs.img VM_NET=none
	# shellcheck source=test-vm/lib.sh
	. test-vm/lib.sh
	if bash test-vm/mkroot.sh --ext4 "$VM_DIR/pkg-root.ext4" > "$log/mkroot.log" 2>&1; then
		vm_run pkg-hook-boot 180 "root=LABEL=netroot rd.timeout=60" \
			-drive "file=$VM_DIR/pkg-root.ext4,if=virtio,format=raw,snapshot=on"
		vm_expect pkg-hook-boot "Linux version ${vnew//./\\.} " "the TFTP tree's vmlinuz is kernel $vnew"
		vm_expect pkg-hook-boot 'NETINIT-TEST pid=1\b' "the hook's initramfs.img boots it: the real init runs as PID 1"
		vm_expect pkg-hook-boot 'NETINIT-TEST rootmark=netinit-test-root' "the hook's initramfs.img mounted the root disk"
		echo "note: boot of the hook's image: ${VM_ELAPSED} s"
		rm -f "$VM_DIR/pkg-root.ext4"
		vm_result
	else
		echo "FAIL: test-vm/mkroot.sh failed: $(tail -n 3 "$log/mkroot.log")"
		exit 1
	fi
) | sed 's/^\(PASS\|FAIL\): /\1: pkg: /'
[ "${PIPESTATUS[0]}" = 0 ] || failed=1
# The hook itself with /boot read-only: it must not need to write there.
mount --bind "$root/boot" "$root/boot" && mount -o remount,bind,ro "$root/boot"
before=$(cd "$root/boot" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
ok "kernel hook run by hand with /boot read-only" ch /etc/kernel/postinst.d/netinit "$vnew" "/boot/vmlinuz-$vnew"
is "/boot is byte for byte the same after the hook" "$before" "$(cd "$root/boot" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)"
umount "$root/boot"
if [ -f "$root$img_new.old" ]; then pass "a rebuild keeps the previous build as $img_new.old"; else fail "no $img_new.old after a rebuild"; fi
# The older kernel rebuilt (as when it is installed after the newer one): links stay.
ok "kernel hook for the older kernel $vold" ch /etc/kernel/postinst.d/netinit "$vold" "/boot/vmlinuz-$vold"
is "links stay at the newer kernel, .old at $vold" "initramfs-netinit-$vnew.img initramfs-netinit-$vold.img" \
	"$(readlink "$root$T/initramfs.img") $(readlink "$root$T/initramfs.img.old")"
cp "$root/etc/default/netinit" "$work/default.saved"
echo 'NETINIT_KERNEL_HOOK=no' >> "$root/etc/default/netinit"
sum=$(sha256sum < "$root$img_new")
ok "NETINIT_KERNEL_HOOK=no: the hook exits 0" ch /etc/kernel/postinst.d/netinit "$vnew"
is "NETINIT_KERNEL_HOOK=no: nothing rebuilt" "$sum" "$(sha256sum < "$root$img_new")"
cp "$work/default.saved" "$root/etc/default/netinit"
# A file of the admin's at the link's name is left alone.
mv "$root$T/initramfs.img" "$work/link.saved"
echo "admin's initramfs" > "$root$T/initramfs.img"
out=$(ch /etc/kernel/postinst.d/netinit "$vnew" 2>&1)
if [ "$(cat "$root$T/initramfs.img")" = "admin's initramfs" ] && grep -q 'is a file, not a link' <<< "$out"; then
	pass "an admin's file at initramfs.img is left alone, and the hook says so"
else fail "an admin's file at initramfs.img: $(head -c 80 "$root$T/initramfs.img"); $out"; fi
rm -f "$root$T/initramfs.img"
mv "$work/link.saved" "$root$T/initramfs.img"
echo 'NETINIT_TFTP_DIR=/boot/netinit' >> "$root/etc/default/netinit"
out=$(ch /etc/kernel/postinst.d/netinit "$vnew" 2>&1)
rc=$?
cp "$work/default.saved" "$root/etc/default/netinit"
if [ $rc = 1 ] && grep -q 'under /boot' <<< "$out" && [ ! -e "$root/boot/netinit" ]; then
	pass "NETINIT_TFTP_DIR under /boot is refused: $out"
else fail "NETINIT_TFTP_DIR=/boot/netinit: exit $rc, $out"; fi
ok "remove kernel package $kold" ch apt-get purge -y -q "$kold"
if [ ! -e "$root$img_old" ] && [ ! -e "$root$T/vmlinuz-$vold" ]; then
	pass "postrm hook removed $vold's files from the TFTP tree"
else fail "postrm hook left $vold's files in the TFTP tree"; fi
is "links still at $vnew, no .old left" "initramfs-netinit-$vnew.img -" \
	"$(readlink "$root$T/initramfs.img") $(readlink "$root$T/initramfs.img.old" || echo -)"

# ---------------------------------------------------------------- man and completion
step "man pages and completion"
ok "man-db in the chroot" ch apt-get install -y -q --no-install-recommends man-db
is "man -w netinit in the chroot" /usr/share/man/man7/netinit.7.gz "$(ch man -w netinit 2>&1)"
if ch man -P cat netinit 2>/dev/null | grep -q 'FAILURE POLICY'; then pass "man netinit shows netinit(7) in the chroot"
else fail "man netinit in the chroot does not show netinit(7)"; fi
for p in netinit-export netinit.conf netinit-mkinitramfs netinit-sign; do
	w=$(ch man -w "$p" 2>&1)
	case $w in /usr/share/man/man*/"$p".*.gz) pass "man -w $p in the chroot: $w" ;; *) fail "man -w $p: $w" ;; esac
done
x=$work/deb-x
rm -rf "$x"
dpkg-deb -x "$deb" "$x"
is "man netinit finds netinit(7) in the package" "$x/usr/share/man/man7/netinit.7.gz" \
	"$(MANPATH=$x/usr/share/man man -w netinit 2>/dev/null)"
for m in "$x"/usr/share/man/man*/*.gz; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >"$log/man-$(basename "$m").txt")
	lines=$(wc -l < "$log/man-$(basename "$m").txt")
	if [ -z "$w" ] && [ "$lines" -gt 20 ]; then pass "man -l $(basename "$m"): $lines lines, no warnings"
	else fail "man -l $(basename "$m"): $lines lines; $w"; fi
done
for s in STAGES "COMMAND LINE" "WRITABLE MODES" "FAILURE POLICY" FILES /run/netinit/lease-; do
	if grep -q "$s" "$log/man-netinit.7.gz.txt"; then pass "netinit(7) has $s"; else fail "netinit(7) lacks $s"; fi
done
# Completion: the package's file, the package's netinit-export, the
# walkthrough's drop-ins (copied out of the chroot).
cp -r "$root/etc/netinit" "$work/comp-etc"
comp() { # words... (the last one is completed) -> candidates, sorted
	bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
		_netinit_export
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " | sed "s/ $//"' \
		_ "$x/usr/share/bash-completion/completions/netinit-export" "$@"
}
export PATH="$x/usr/sbin:$PATH"
cmds=$(netinit-export --help | sed -n '/^commands:/,/^kinds:/p' | awk '/^  [a-z]/ { print $1 }' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
is "completion: the subcommands of --help" "$cmds" "$(comp netinit-export '')"
is "completion: 're' -> render" "render" "$(comp netinit-export re)"
kinds=$(netinit-export --help | sed -n 's/^kinds: //p' | tr ' ' '\n' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
is "completion: render's output kinds" "$kinds" "$(comp netinit-export render '')"
is "completion: diff -u dns -> dnsmasq" "dnsmasq" "$(comp netinit-export diff -u dns)"
is "completion: sign's images from the drop-ins" "bookworm gpu" "$(comp netinit-export -c "$work/comp-etc" sign '')"
case " $(comp netinit-export --) " in
*" --config-dir "*"--dry-run "*) pass "completion: long options" ;;
*) fail "completion: long options: $(comp netinit-export --)" ;;
esac
is "completion: -c completes directories" "$work/comp-etc/" "$(cd / && comp netinit-export -c "$work/comp-e")/"
# Node names: a command whose synopsis takes NODE (none does today, so a
# stand-in netinit-export with such a help text checks the parser) gets the
# names of `netinit-export list` on the given drop-ins; and options with
# alternatives or a file argument, as `import` has.
mkdir -p "$work/fakebin"
cat > "$work/fakebin/netinit-export" <<EOF
#!/bin/sh
case "\$*" in
--help) printf 'usage: netinit-export [options] COMMAND\ncommands:\n  show NODE...        one node\n  import --from hosts|ethers [-o OUT]\n                      read\nkinds: dhcpd\noptions:\n  -c, --config-dir DIR  dirs\n' ;;
*list) exec "$x/usr/sbin/netinit-export" "\$@" ;;
esac
EOF
chmod +x "$work/fakebin/netinit-export"
is "completion: node names for a NODE argument, from netinit-export list" \
	"blade01 blade02 blade03 blade04 blade05 blade06 blade07 blade08 gpu1 login1" \
	"$(PATH=$work/fakebin:$PATH comp netinit-export -c "$work/comp-etc" show '')"
is "completion: node names by prefix" "blade07" "$(PATH=$work/fakebin:$PATH comp netinit-export -c "$work/comp-etc" show blade07)"
is "completion: an option's alternatives in the synopsis (--from a|b)" "ethers hosts" \
	"$(PATH=$work/fakebin:$PATH comp netinit-export import --from '')"
is "completion: an option's upper-case argument is a file (-o OUT)" "$work/comp-etc/netinit.conf" \
	"$(PATH=$work/fakebin:$PATH comp netinit-export import --from hosts -o "$work/comp-etc/netinit.c")"
rm -rf "$work/comp-etc" "$work/fakebin" "$x"

cleanup
trap - EXIT
remove_root
echo "note: pkg tier took $((SECONDS - t0)) s"
exit $failed
