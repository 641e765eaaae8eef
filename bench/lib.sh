#!/bin/bash
# Helpers shared by the bench scripts (source it after test-vm/lib.sh, which
# sets BUILD and KVER).
#
#   stats V...          "min median max" of the numbers given (nothing if none)
#   median              the median of the numbers on stdin, one a line (exit 1 if none)
#   ratio A B           A / B with two decimals, or "failed: REASON" when either is
#                       missing or is itself a failure: a failed measurement is never
#                       printed as a number (bench/README.md)
#   cell V              V, or "failed: no figure" when V is empty
#   bench_uptime_init FILE [LINE...]   write a /sbin/init (or /init) whose first
#                       command reads /proc/uptime with shell builtins (no fork) and
#                       prints "BENCH-UPTIME <s>", then runs LINE... and powers off
#   bench_in_netns NAME SCRIPT ARGS...  run "bash SCRIPT --inner TMP ARGS" in a new
#                       network namespace (per-PID name) with private mounts, then
#                       kill what is left in it and remove it and TMP
#   bench_floor OUT     a trivial initramfs whose own /init reports its uptime (the
#                       kernel-only floor)
#   bench_itools OUT CONF BOOT MODULES [EXTRA-MODULE...]   mkinitramfs with a copy of
#                       the host's /etc/initramfs-tools (never modified)
#   bench_liveboot OUT  initramfs-tools + live-boot, extracted with dpkg -x, not installed
#   bench_extract PKG   `apt-get download` + `dpkg -x` PKG under $BENCH_PKGS; prints the
#                       directory (a server that conflicts with what the tests need is
#                       run from there, never installed)
#   bench_cached NAME OUT FN   build OUT with FN OUT unless present (BENCH_REBUILD=1)
: "${BUILD:=build}"
: "${BDIR:=$BUILD/bench}"
: "${BENCH_PKGS:=$BDIR/pkgs}"
mkdir -p "$BDIR"

stats() {
	[ $# -gt 0 ] || return 0
	printf '%s\n' "$@" | LC_ALL=C sort -g | awk '{v[NR]=$1} END {
		m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2
		printf "%s %s %s\n", v[1], m, v[NR]}'
}
median() { LC_ALL=C sort -g | awk '{v[NR]=$1} END {if (NR == 0) exit 1; if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
isnum() { [[ $1 =~ ^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$ ]]; }
ratio() {
	if ! isnum "${1:-}"; then echo "failed: ${1:-no figure}" | sed 's/^failed: failed: /failed: /'; return; fi
	if ! isnum "${2:-}"; then echo "failed: no netinit figure to compare with"; return; fi
	awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f\n", a / b; else print "failed: netinit figure is 0"}'
}
cell() { if [ -n "${1:-}" ]; then echo "$1"; else echo "failed: no figure"; fi; }

bench_uptime_init() {
	local f=$1
	shift
	# The figure is when the real init started, not when a helper ran.
	{
		echo '#!/bin/sh'
		echo '[ -r /proc/uptime ] || /bin/busybox mount -t proc proc /proc'
		echo 'read up idle < /proc/uptime; echo "BENCH-UPTIME $up"'
		[ $# -gt 0 ] && printf '%s\n' "$@"
		echo '/bin/busybox poweroff -f'
	} > "$f" && chmod 755 "$f"
}

bench_in_netns() {
	local name=$1 script=$2 tmp ns rc
	shift 2
	tmp=$(mktemp -d "/tmp/netinit-$name.XXXXXX") && chmod 755 "$tmp" || return 1
	ns=netinit-$name-$$
	ip netns add "$ns" || { rm -rf "$tmp"; return 1; }
	ip netns exec "$ns" unshare -m --propagation private bash "$script" --inner "$tmp" "$@"
	rc=$?
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	sleep 0.3
	ip netns del "$ns"
	rm -rf "$tmp"
	return $rc
}

bench_floor() {
	local out=$1 tree=$BDIR/floor.tree bb rc
	bb=$(readlink -f "$(command -v busybox)")
	rm -rf "$tree"; mkdir -p "$tree"/{bin,dev,proc}
	cp "$bb" "$tree/bin/busybox"
	ln -s busybox "$tree/bin/sh"
	mknod "$tree/dev/console" c 5 1 2>/dev/null || true
	bench_uptime_init "$tree/init"
	(cd "$tree" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | zstd -q -19 -c) > "$out.tmp" &&
		mv "$out.tmp" "$out"
	rc=$?
	rm -rf "$tree"
	return $rc
}

# bench_itools OUT CONFDIR BOOT MODULES [module...]: a copy of the host's
# configuration with BOOT= and MODULES= forced and the modules listed added.
bench_itools_conf() {
	local conf=$1 boot=$2 modules=$3
	shift 3
	rm -rf "$conf"
	if [ -d /etc/initramfs-tools ]; then cp -a /etc/initramfs-tools "$conf"
	else mkdir -p "$conf"/{conf.d,hooks,scripts}; cp /usr/share/initramfs-tools/initramfs.conf "$conf/"; touch "$conf/modules"; fi
	sed -i -e '/^MODULES=/d' -e '/^BOOT=/d' "$conf/initramfs.conf"
	printf 'MODULES=%s\nBOOT=%s\n' "$modules" "$boot" >> "$conf/initramfs.conf"
	[ $# -gt 0 ] && printf '%s\n' "$@" >> "$conf/modules"
	return 0
}
bench_itools() {
	local out=$1 conf=$2
	shift 2
	bench_itools_conf "$conf" "$@" || return 1
	mkinitramfs -d "$conf" -o "$out.tmp" "$KVER" > "$out.log" 2>&1 && mv "$out.tmp" "$out"
}

bench_extract() {
	local pkg=$1 dir deb
	dir=$(realpath -m "$BENCH_PKGS/$1")
	if [ ! -d "$dir/root" ]; then
		mkdir -p "$dir"
		(cd "$dir" && apt-get download "$pkg" >/dev/null 2>"$dir/download.log") ||
			{ echo "bench: apt-get download $pkg failed: $(tail -n1 "$dir/download.log")" >&2; return 1; }
		for deb in "$dir"/*.deb; do dpkg -x "$deb" "$dir/root.tmp" || return 1; done
		mv "$dir/root.tmp" "$dir/root"
	fi
	echo "$dir/root"
}

# live-boot (Debian live, built on initramfs-tools): its hook copies
# /bin/live-boot and /lib/live/boot from the host; the extracted copy's hook
# is pointed at the extracted tree instead, so nothing is installed.
bench_liveboot() {
	local out=$1 conf=$BDIR/live-boot.conf lb lbi
	lb=$(bench_extract live-boot) && lbi=$(bench_extract live-boot-initramfs-tools) || return 1
	bench_itools_conf "$conf" local netboot virtio_pci virtio_net squashfs overlay loop || return 1
	sed -e "s|/bin/live-boot|$lb/bin/live-boot|g" -e "s|/lib/live/boot|$lb/lib/live/boot|g" \
		"$lbi/usr/share/initramfs-tools/hooks/live" > "$conf/hooks/live"
	chmod 755 "$conf/hooks/live"
	mkdir -p "$conf/scripts"
	cp "$lbi/usr/share/initramfs-tools/scripts/live" "$conf/scripts/live"
	mkinitramfs -d "$conf" -o "$out.tmp" "$KVER" > "$out.log" 2>&1 && mv "$out.tmp" "$out"
}

# dracut for network roots: NFS (nfs) and live images over HTTP (livenet,
# dmsquash-live) in one image.  network-legacy must be named: with systemd
# present dracut 059 picks networkd and then never mounts the root
# (/work/shared/competitors.md).
bench_dracut_net() {
	local out=$1 confdir=$BDIR/dracut.confdir
	mkdir -p "$confdir"
	dracut --no-hostonly --conf /dev/null --confdir "$confdir" --force \
		--add "nfs livenet dmsquash-live network-legacy" --kver "$KVER" "$out.tmp" > "$out.log" 2>&1 &&
		mv "$out.tmp" "$out"
}

bench_cached() {
	local name=$1 out=$2 fn=$3 t0=$SECONDS
	if [ -s "$out" ] && [ "${BENCH_REBUILD:-0}" != 1 ]; then return 0; fi
	echo "bench: building $name for $KVER -> $out (once; BENCH_REBUILD=1 to redo)" >&2
	if ! $fn "$out"; then
		echo "bench: building $name failed; see $out.log" >&2; rm -f "$out.tmp"; return 1
	fi
	echo "bench: built $name in $((SECONDS - t0)) s" >&2
}
