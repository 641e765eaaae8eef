#!/bin/bash
# Boot benchmark: the same tiny root disk booted with netinit's initramfs,
# with Debian's dracut and with Debian's initramfs-tools (both built for the
# same kernel into build/bench/, never into /boot), plus the floor (a trivial
# initramfs whose own /init reports, i.e. the kernel alone).
#
# Measured per boot: the guest's /proc/uptime as read by the new root's first
# process (first thing it does), i.e. seconds from kernel start to the real
# init.  Median of BENCH_RUNS (default 3) boots per tool.
#
# stdout: a markdown section (also saved to build/bench/boot.md); progress and
# failures go to stderr.  Exit status 1 when a tool could not be built or did
# not reach the root in any run (its row then says so).
#
# Environment: KVER (default: newest in /lib/modules), BENCH_RUNS (3),
# BENCH_TIMEOUT (seconds per boot, 240), BENCH_APPEND (extra kernel arguments
# for every tool, default "quiet" as on a stock Debian install),
# BENCH_REBUILD=1 (rebuild the cached dracut / initramfs-tools images),
# BENCH_QEMU_ARGS (extra QEMU arguments, e.g. "-icount shift=auto").
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh          # sets BUILD, KVER, VM_KERNEL, vm_run
. bench/lib.sh           # median, ratio, bench_floor

RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-240}
APPEND=${BENCH_APPEND-quiet}
BDIR=$BUILD/bench
OURS=$BUILD/initramfs.img
mkdir -p "$BDIR"
say() { echo "bench/boot: $*" >&2; }
failed=0

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { say "BENCH_RUNS must be a positive integer (got '$RUNS')"; exit 2; }
[ -r "$VM_KERNEL" ] || { say "kernel $VM_KERNEL not found (apt-get install linux-image-amd64)"; exit 1; }
[ -r "$OURS" ] || { say "$OURS missing: run 'make initramfs' (or 'make bench')"; exit 1; }
# A snapshot: build/initramfs.img may be rebuilt by other work while we boot.
cp "$OURS" "$BDIR/netinit.img" || exit 1
OURS=$BDIR/netinit.img
command -v qemu-system-x86_64 >/dev/null || { say "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"; exit 1; }

# ---- the bench root: the test root, whose /sbin/init reports its uptime first ----
# Rebuilt every time (a second), so it always matches test-vm/mkroot.sh.
build_root() {
	local tree=$BDIR/root.tree img=$BDIR/root.ext4
	bash test-vm/mkroot.sh "$tree" >&2 || return 1
	mv "$tree/sbin/init" "$tree/sbin/init.test"
	bench_uptime_init "$tree/sbin/init" 'export PATH=/bin:/sbin' \
		'echo "BENCH-ROOT pid=$$ root=$(grep '"' / '"' /proc/mounts | head -n1)"'
	# systemd (dracut's default) refuses to switch into a root without it.
	cat > "$tree/etc/os-release" <<'EOF'
NAME="netinit bench root"
ID=netinit-bench
PRETTY_NAME="netinit bench root (busybox)"
EOF
	rm -f "$img"
	mkfs.ext4 -q -F -L netroot -d "$tree" "$img" 32M > "$BDIR/mkfs.log" 2>&1 ||
		{ cat "$BDIR/mkfs.log" >&2; return 1; }
	rm -rf "$tree"
}

# ---- competitors (cached per kernel version) ----
build_dracut() {
	local out=$1 confdir=$BDIR/dracut.confdir
	mkdir -p "$confdir"
	# No host config at all (--conf /dev/null, an empty confdir): Debian's
	# defaults from /usr/lib/dracut/dracut.conf.d and dracut's default module
	# set, generic (not host-only) image.
	dracut --no-hostonly --conf /dev/null --confdir "$confdir" --force \
		--kver "$KVER" "$out.tmp" > "$out.log" 2>&1 &&
		mv "$out.tmp" "$out"
}
build_itools() {
	# A copy of the host's configuration (never modified), forced to Debian's
	# defaults for a disk root: MODULES=most, BOOT=local.
	bench_itools "$1" "$BDIR/initramfs-tools.conf" local most
}
compression() {   # the compression of an initramfs (after an early-microcode cpio, if any)
	local kind
	kind=$(file -b "$1" 2>/dev/null)
	case $kind in
	*ASCII\ cpio*)
		if [ -x /usr/lib/dracut/skipcpio ]; then
			echo "early cpio + $(/usr/lib/dracut/skipcpio "$1" 2>/dev/null | file -b - | cut -d' ' -f1)"
		else echo "early cpio + ?"; fi ;;
	*) echo "$kind" | cut -d' ' -f1 ;;
	esac
}

# ---- run ----
build_root || { say "cannot build the bench root disk"; exit 1; }
bench_floor "$BDIR/floor.img" || say "cannot build the floor initramfs (its row says failed)"
DRACUT_IMG=$BDIR/dracut-$KVER.img
ITOOLS_IMG=$BDIR/initramfs-tools-$KVER.img
command -v dracut >/dev/null || say "dracut missing (bench/run.sh installs dracut-core)"
command -v mkinitramfs >/dev/null || say "mkinitramfs missing (bench/run.sh installs initramfs-tools)"
command -v dracut >/dev/null && bench_cached dracut "$DRACUT_IMG" build_dracut
command -v mkinitramfs >/dev/null && bench_cached initramfs-tools "$ITOOLS_IMG" build_itools

ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
drive=(-drive "file=$BDIR/root.ext4,if=virtio,format=raw,snapshot=on")
read -r -a qemu_extra <<<"${BENCH_QEMU_ARGS:-}"

# id|label|initrd|kernel args
tools=(
	"netinit|netinit|$OURS|root=LABEL=netroot rd.timeout=30"
	"dracut|dracut $(ver dracut-core)|$DRACUT_IMG|root=LABEL=netroot rd.timeout=30 rd.hostonly=0"
	"itools|initramfs-tools $(ver initramfs-tools-core)|$ITOOLS_IMG|root=LABEL=netroot"
	"floor|floor: trivial initramfs, /init reports at once|$BDIR/floor.img|"
)

declare -A SIZE MEDIAN RUNLIST NOTE

# Runs are interleaved (run 1 of every tool, then run 2, ...) so that load
# from other work on the machine spreads over all tools alike.
declare -A VALS
for t in "${tools[@]}"; do
	IFS='|' read -r id label img args <<<"$t"
	if [ -s "$img" ]; then SIZE[$id]=$(stat -c %s "$img"); VALS[$id]=""
	else NOTE[$id]="not built (see $BDIR/*-$KVER.log)"; failed=1; fi
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 1; i <= RUNS; i++)); do
	for t in "${tools[@]}"; do
		IFS='|' read -r id label img args <<<"$t"
		[ -n "${SIZE[$id]:-}" ] || continue
		name=bench-$id-$i
		VM_INITRD=$img vm_run "$name" "$TIMEOUT" "$args $APPEND" "${drive[@]}" "${qemu_extra[@]}"
		rc=$?
		v=$(grep -a -m1 -oE 'BENCH-UPTIME [0-9]+\.[0-9]+' "$(vm_log "$name")" | cut -d' ' -f2)
		if [ -n "$v" ]; then
			VALS[$id]="${VALS[$id]} $v"
			say "$label: run $i/$RUNS: first process at $v s (QEMU wall ${VM_ELAPSED%.*} s)"
		else
			say "$label: run $i/$RUNS: the root's init never reported (rc $rc); console log $(vm_log "$name"):"
			vm_log_tail "$name" >&2
		fi
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
for t in "${tools[@]}"; do
	IFS='|' read -r id label img args <<<"$t"
	[ -n "${SIZE[$id]:-}" ] || continue
	read -r -a vals <<<"${VALS[$id]}"
	if [ ${#vals[@]} -gt 0 ]; then
		MEDIAN[$id]=$(printf '%s\n' "${vals[@]}" | median)
		RUNLIST[$id]=${vals[*]}
		[ ${#vals[@]} -lt "$RUNS" ] && NOTE[$id]="$((RUNS - ${#vals[@]})) of $RUNS runs failed"
	else
		NOTE[$id]="never reached the root"; failed=1
	fi
done

{
	echo "## Boot: local virtio ext4 root, kernel start to the root's first process"
	echo
	echo "Kernel $KVER, QEMU $(qemu-system-x86_64 --version | head -n1 | awk '{print $4}') -accel tcg -m $VM_MEM -smp 1${BENCH_QEMU_ARGS:+ $BENCH_QEMU_ARGS}," \
	     "median of $RUNS boots (interleaved); kernel args \`console=ttyS0 <tool args> $APPEND\`." \
	     "Host: $(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after." \
	     "Ratios are tool / netinit (lower is better)."
	echo
	echo "| tool | initramfs bytes | ratio size vs ours | median seconds | ratio time vs ours | runs (s) | compression | kernel args |"
	echo "|---|---:|---:|---:|---:|---|---|---|"
	for t in "${tools[@]}"; do
		IFS='|' read -r id label img args <<<"$t"
		if [ -n "${SIZE[$id]:-}" ]; then comp=$(compression "$img"); else comp="-"; fi
		med=${MEDIAN[$id]:-"failed: ${NOTE[$id]:-no figure}"}
		size=${SIZE[$id]:-"failed: ${NOTE[$id]:-no image}"}
		runs=${RUNLIST[$id]:-}
		[ -n "${NOTE[$id]:-}" ] && runs="${runs:+$runs; }${NOTE[$id]}"
		echo "| $label | $size | $(ratio "$size" "${SIZE[netinit]:-}") | $med |" \
		     "$(ratio "$med" "${MEDIAN[netinit]:-}") | ${runs:--} | $comp | \`${args:-(none)}\` |"
	done
	echo
} | tee "$BDIR/boot.md"
exit $failed
