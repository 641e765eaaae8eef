#!/bin/bash
# Where NFS module-load time goes: the same init and modules, stored three
# ways in the initramfs: every module zstd-compressed (libkmod decompresses
# in user space before init_module(2)), every module plain, and netinit's
# default (the root's few modules plain, the rest zstd).  The guest boots an
# NFS line with no server behind it (QEMU user networking, nothing leaves
# the host), so only the module loads and the kernel's unpacking of the
# initramfs are measured:
#   unpack   the kernel's unpacking of the initramfs ("Trying to unpack rootfs" to
#            "Freeing initrd memory")
#   v3, v4   the "loaded nfs nfsv3 / nfs nfsv4 (X s)" lines: libkmod + init_module
# Median of BENCH_RUNS (3).  stdout: a markdown section.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. bench/lib.sh
RUNS=${BENCH_RUNS:-3}
BDIR=$BUILD/bench
mkdir -p "$BDIR"
say() { echo "bench/nfs-modules: $*" >&2; }
[ -x "$BUILD/init.stripped" ] || { say "$BUILD/init.stripped missing (make)"; exit 1; }

rc=0
# med WHAT V...: the median of the numeric V, or "failed: no WHAT in N boots"
med() { local what=$1; shift; printf '%s\n' "$@" | grep -E '^[0-9]+(\.[0-9]+)?$' | median || echo "failed: no $what in $RUNS boots"; }
build() { # NAME ARGS...
	local name=$1; shift
	bash mkinitramfs/netinit-mkinitramfs --kver "$KVER" --init "$BUILD/init.stripped" \
		--output "$BDIR/mods-$name.img" "$@" >/dev/null 2>"$BDIR/mods-$name.log" ||
		{ say "mkinitramfs $name failed: $(tail -n 2 "$BDIR/mods-$name.log")"; return 1; }
}
# one VERSION IMG RUN -> "unpack load" seconds
one() {
	local v=$1 img=$2 run=$3 name=mods-$1-$(basename "$2" .img)-$3 log
	VM_INITRD=$img vm_run "$name" 120 "root=/dev/nfs nfsroot=10.0.2.2:/no/server,v$v ip=dhcp rd.timeout=1 panic=1 netinit.onfail=poweroff"
	log=$(vm_log "$name")
	local unpack load
	unpack=$(grep -a -E 'Trying to unpack rootfs|Freeing initrd memory' "$log" |
		sed 's/^\[ *\([0-9.]*\)\].*/\1/' | awk 'NR == 1 {a = $1} NR == 2 {printf "%.3f", $1 - a}')
	load=$(grep -a -m1 "netinit modules: loaded nfs" "$log" | sed 's/.*(\([0-9.]*\) s).*/\1/')
	echo "${unpack:--} ${load:--}"
}

say "building the three initramfs variants"
build zstd --module-compress zstd --plain-modules none || exit 1
build plain --module-compress none || exit 1
build default || exit 1
{
	echo "## NFS module loading: where the time goes"
	echo
	echo "QEMU TCG, kernel $KVER, median of $RUNS boots. unpack: the kernel unpacking the archive (its own log lines);"
	echo "v3/v4: netinit's \"loaded nfs nfsv3\" / \"nfs nfsv4\" line (libkmod: read, decompress, init_module)."
	echo
	echo "| modules in the initramfs | size | unpacked | unpack (s) | nfs+nfsv3 (s) | nfs+nfsv4 (s) |"
	echo "|---|---|---|---|---|---|"
	for variant in zstd plain default; do
		img=$BDIR/mods-$variant.img
		u3=() l3=() l4=()
		for r in $(seq "$RUNS"); do
			read -r u l < <(one 3 "$img" "$r"); u3+=("$u"); l3+=("$l")
			read -r _ l < <(one 4 "$img" "$r"); l4+=("$l")
		done
		size=$(stat -c %s "$img")
		unp=$(zstd -dc "$img" 2>/dev/null | wc -c)
		label=$variant
		case $variant in zstd) label="all zstd (before)" ;; plain) label="all plain" ;;
		default) label="root's modules plain, rest zstd (now)" ;; esac
		cells="$(med "unpack lines" "${u3[@]}") | $(med "'loaded nfs nfsv3' line" "${l3[@]}") | $(med "'loaded nfs nfsv4' line" "${l4[@]}")"
		[[ $cells == *failed:* ]] && rc=1
		echo "| $label | $((size / 1024)) KiB | $((unp / 1024)) KiB | $cells |"
	done
	exit $rc
} | tee "$BDIR/nfs-modules.md"
exit "${PIPESTATUS[0]}"
