#!/bin/bash
# Build the static libraries Debian does not ship (libkmod, libmount, libblkid)
# from Debian's own source packages, into a cache under build/deps.
#
#   deps/build-static-deps.sh BUILD_DIR
#
# Result: BUILD_DIR/deps/prefix/{include,lib} with libkmod.a, libmount.a,
# libblkid.a.  The cache is keyed by the source package versions: a second run
# with the same versions does nothing.  Needs deb-src entries (added here
# when missing, as a copy of the distribution's own deb entries) and the
# build tools installed by .ci/install-deps.
set -euo pipefail

build=${1:?usage: build-static-deps.sh BUILD_DIR}
mkdir -p "$build/deps"
deps=$(cd "$build/deps" && pwd)
prefix=$deps/prefix
src=$deps/src
log=$deps/build.log
jobs=$(nproc 2>/dev/null || echo 2)

say() { printf 'deps: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; [ -f "$log" ] && { say "last lines of $log:"; tail -n 30 "$log" >&2; }; exit 1; }

ensure_deb_src() {
	if apt-cache showsrc kmod 2>/dev/null | grep -q '^Package: kmod'; then
		return 0
	fi
	[ "$(id -u)" = 0 ] || die "no deb-src entries and not root: add deb-src lines for Debian, then 'apt-get update'"
	local f=/etc/apt/sources.list.d/debian.sources
	[ -f "$f" ] || die "$f not found: add deb-src entries for Debian by hand"
	say "adding deb-src entries (a copy of $f with Types: deb-src)"
	sed 's/^Types: deb$/Types: deb-src/' "$f" > /etc/apt/sources.list.d/netinit-deb-src.sources
	apt-get update >> "$log" 2>&1 || say "warning: apt-get update reported errors (see $log)"
	apt-cache showsrc kmod 2>/dev/null | grep -q '^Package: kmod' || die "apt-get source still cannot find kmod"
}

# Debian version of the installed runtime library: build the same source.
pkgver() { dpkg-query -W -f='${source:Version}' "$1" 2>/dev/null; }

kmod_ver=$(pkgver libkmod2)
ul_ver=$(pkgver libmount1)
[ -n "$kmod_ver" ] && [ -n "$ul_ver" ] || die "libkmod2/libmount1 are not installed (run .ci/install-deps)"
stamp="$prefix/.stamp-kmod-$kmod_ver-util-linux-$ul_ver"
if [ -f "$stamp" ]; then
	say "static libkmod $kmod_ver, libmount/libblkid $ul_ver: cached in $prefix"
	exit 0
fi
: > "$log"
ensure_deb_src
mkdir -p "$src" "$prefix"

fetch_src() { # package version
	say "apt-get source $1=$2"
	(cd "$src" && apt-get source --only-source "$1=$2" >> "$log" 2>&1) || die "apt-get source $1=$2 failed"
}

# util-linux: only the two libraries, static, no NLS, no udev/systemd.
ul_stamp=$prefix/.util-linux-$ul_ver
if [ ! -f "$ul_stamp" ]; then
rm -rf "$src"/util-linux-*
fetch_src util-linux "$ul_ver"
ul_dir=$(find "$src" -maxdepth 1 -type d -name 'util-linux-*' | head -n 1)
[ -n "$ul_dir" ] || die "util-linux source directory not found"
say "building libblkid + libmount (static) in $ul_dir"
bash -euc '
	cd "$1"; prefix=$2; jobs=$3
	[ -x configure ] || ./autogen.sh
	CFLAGS="-Os -g -ffunction-sections -fdata-sections" ./configure --prefix="$prefix" --disable-all-programs --enable-libblkid --enable-libmount \
		--enable-static --disable-shared --disable-nls --without-udev --without-systemd \
		--without-python --without-readline --without-selinux --without-audit \
		--without-cryptsetup --without-btrfs --disable-bash-completion --disable-asciidoc \
		--disable-makeinstall-chown --disable-makeinstall-setuid --without-econf
	make -j"$jobs"
	make install
' _ "$ul_dir" "$prefix" "$jobs" >> "$log" 2>&1 || die "util-linux build failed"
touch "$ul_stamp"
fi

# kmod: libkmod only, with the decompressors Debian's kernels use.  kmod's
# configure refuses --enable-static, so build the (PIC) objects of libkmod
# and its internal helper library and archive them ourselves.
rm -rf "$src"/kmod-*
fetch_src kmod "$kmod_ver"
kmod_dir=$(find "$src" -maxdepth 1 -type d -name 'kmod-*' | head -n 1)
[ -n "$kmod_dir" ] || die "kmod source directory not found"
say "building libkmod (static) in $kmod_dir"
bash -euc '
	cd "$1"; prefix=$2; jobs=$3
	if [ ! -x configure ]; then
		# upstream autogen.sh falls back to an empty gtk-doc.make without gtk-doc
		mkdir -p libkmod/docs; [ -f libkmod/docs/gtk-doc.make ] || : > libkmod/docs/gtk-doc.make
		autoreconf -fi
	fi
	CFLAGS="-Os -g -ffunction-sections -fdata-sections" ./configure --prefix="$prefix" --disable-manpages \
		--disable-test-modules --disable-python --disable-gtk-doc \
		--with-zstd --with-xz --with-zlib --without-openssl
	make -j"$jobs" libkmod/libkmod.la
	mkdir -p "$prefix/lib" "$prefix/include"
	objs=$(find libkmod shared -name "*.o" -path "*/.libs/*" | sort)
	[ -n "$objs" ] || { echo "no libkmod objects found"; exit 1; }
	rm -f "$prefix/lib/libkmod.a"
	ar rcs "$prefix/lib/libkmod.a" $objs
	cp libkmod/libkmod.h "$prefix/include/"
' _ "$kmod_dir" "$prefix" "$jobs" >> "$log" 2>&1 || die "kmod build failed"

for l in libkmod.a libmount.a libblkid.a; do
	[ -f "$prefix/lib/$l" ] || die "$l was not produced"
done

# Each library carries private helpers with generic global names (mkdir_p,
# hash_add, array_init...) that would collide with ours and with each
# other.  Link each archive into one relocatable object and keep only its
# public API global.  Sections stay separate, so --gc-sections still drops
# what init does not use.
localize() { # lib prefix...
	local lib=$1 o; shift
	o=$deps/${lib%.a}-all.o
	ld -r --whole-archive "$prefix/lib/$lib" -o "$o" || die "ld -r $lib failed"
	local keep=()
	for p in "$@"; do keep+=(--keep-global-symbol="$p"); done
	objcopy --wildcard "${keep[@]}" "$o" || die "objcopy $lib failed"
	rm -f "$prefix/lib/$lib"
	ar rcs "$prefix/lib/$lib" "$o"
	rm -f "$o"
}
localize libkmod.a 'kmod_*'
localize libmount.a 'mnt_*' 'libmount_*'
localize libblkid.a 'blkid_*' 'libblkid_*'

touch "$stamp"
say "done: $(cd "$prefix/lib" && ls -1 ./*.a | tr '\n' ' ')"
