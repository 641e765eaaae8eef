#!/bin/bash
# Network roots side by side: netinit, dracut (nfs + livenet in one image),
# initramfs-tools (BOOT=nfs, klibc) and live-boot (initramfs-tools + live-boot,
# fetch=), each booting the tiny busybox root and the Debian bookworm root
# (test-vm/debroot.sh) over NFSv3, NFSv4 and HTTP, plus the kernel-only floor
# and the time to multi-user.target of the Debian root under netinit and dracut.
#
# One network namespace made for the run holds rpcbind + nfs-ganesha (both
# roots exported read-only), nginx (both roots as squashfs) and every QEMU
# (user networking: the guest's 10.0.2.2 is the namespace's loopback).
#
# Figures (guest /proc/uptime, i.e. seconds from kernel start):
#   tiny root     its /sbin/init reads /proc/uptime first thing (shell builtins)
#   Debian root   init=/usr/local/sbin/debtest-init (the root's own, see
#                 test-vm/debroot.sh) writes "DEBTEST init-uptime" on ttyS1 and
#                 execs systemd; the multi-user figure is debtest-report's
#                 "up-uptime" after `systemctl is-system-running --wait`.
# Median of BENCH_RUNS (3), runs interleaved over the tools.  A cell that could
# not be measured says "failed: why".  stdout: a markdown section (also
# build/bench/roots.md); exit 1 when a cell failed.
#
#   BENCH_ROOTS="tiny debian"   roots to boot      BENCH_MU=0  skip multi-user
#   BENCH_MU_RUNS (BENCH_RUNS)  multi-user boots per tool
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. bench/lib.sh
RUNS=${BENCH_RUNS:-3}
MU_RUNS=${BENCH_MU_RUNS:-$RUNS}
ROOTS=${BENCH_ROOTS:-tiny debian}
say() { echo "bench/roots: $*" >&2; }
for r in $ROOTS; do
	case $r in tiny|debian) ;; *) say "BENCH_ROOTS: unknown root '$r' (tiny, debian)"; exit 2 ;; esac
done

if [ "${1:-}" != --inner ]; then
	[ "$(id -u)" = 0 ] || { say "needs root (network namespace, ganesha)"; exit 1; }
	for t in ganesha.nfsd rpcbind nginx mksquashfs qemu-system-x86_64 unshare; do
		command -v $t >/dev/null || { say "$t missing"; exit 1; }
	done
	bench_in_netns benchroots "$0"
	exit
fi

# ---- inside the namespace, private mounts ----
tmp=$2
qpid=
trap '[ -n "$qpid" ] && kill "$qpid" 2>/dev/null; [ -f $tmp/ganesha.pid ] && kill $(cat $tmp/ganesha.pid) 2>/dev/null; [ -f $tmp/nginx.pid ] && kill $(cat $tmp/nginx.pid) 2>/dev/null' EXIT
ip link set lo up
mount -t tmpfs tmpfs /run && mkdir -p /run/rpcbind

# ---- initramfs images ----
cp "$VM_INITRD" "$BDIR/roots-netinit.img" || { say "$VM_INITRD missing (make initramfs)"; exit 1; }
itools_nfs() { bench_itools "$1" "$BDIR/initramfs-tools-nfs.conf" nfs netboot virtio_pci virtio_net nfsv3 nfsv4; }
declare -A IMG WHY
IMG[netinit]=$BDIR/roots-netinit.img
IMG[dracut]=$BDIR/dracut-net-$KVER.img
IMG[itools]=$BDIR/initramfs-tools-nfs-$KVER.img
IMG[liveboot]=$BDIR/live-boot-$KVER.img
IMG[floor]=$BDIR/floor.img
command -v dracut >/dev/null && bench_cached "dracut (nfs, livenet)" "${IMG[dracut]}" bench_dracut_net ||
	WHY[dracut]="dracut could not be built (dracut-core, dracut-network, dracut-live; see ${IMG[dracut]}.log)"
command -v mkinitramfs >/dev/null && bench_cached "initramfs-tools (BOOT=nfs)" "${IMG[itools]}" itools_nfs ||
	WHY[itools]="initramfs-tools could not be built (see ${IMG[itools]}.log)"
command -v mkinitramfs >/dev/null && bench_cached "live-boot" "${IMG[liveboot]}" bench_liveboot ||
	WHY[liveboot]="live-boot could not be built (see ${IMG[liveboot]}.log)"
bench_floor "${IMG[floor]}" || WHY[floor]="the floor initramfs could not be built"

ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
declare -A LABEL=(
	[netinit]="netinit"
	[dracut]="dracut $(ver dracut-core) (nfs + livenet)"
	[itools]="initramfs-tools $(ver initramfs-tools-core) (BOOT=nfs, klibc)"
	[liveboot]="live-boot $(ls "$BENCH_PKGS"/live-boot/*.deb 2>/dev/null | sed 's/.*_1%3a\([^_]*\)_.*/\1/' | head -n1) (initramfs-tools, fetch=)"
	[floor]="floor: kernel only (a trivial initramfs, /init reports at once)"
)

# ---- the roots ----
declare -A TREE SQFS
tiny=$tmp/tiny
bash test-vm/mkroot.sh "$tiny" >/dev/null || { say "mkroot failed"; exit 1; }
bench_uptime_init "$tiny/sbin/init"
printf 'NAME="netinit bench root"\nID=netinit-bench\n' > "$tiny/etc/os-release"
mkdir -p "$tmp/www"
mksquashfs "$tiny" "$tmp/www/tiny.squashfs" -comp zstd -noappend -quiet >/dev/null || { say "mksquashfs failed"; exit 1; }
TREE[tiny]=$tiny; SQFS[tiny]=tiny.squashfs
if [[ " $ROOTS " == *" debian "* ]]; then
	deb=$(readlink -f "$BUILD/debian" 2>/dev/null)
	if [ -f "$deb/stamp" ] && [ -x "$deb/root/usr/local/sbin/debtest-init" ] && [ -s "$deb/root.squashfs" ]; then
		TREE[debian]=$deb/root; SQFS[debian]=debian.squashfs
		ln -s "$deb/root.squashfs" "$tmp/www/debian.squashfs"
	else
		WHY[debian]="no Debian root cache in $BUILD/debian (bash test-vm/debroot.sh)"
	fi
fi

# ---- servers ----
mkdir -p "$tmp/recovery"
{
	echo 'NFS_CORE_PARAM { Protocols = 3, 4; NFS_Port = 2049; MNT_Port = 20048; }'
	echo "NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = \"$tmp/recovery\"; }"
	id=1
	for r in "${!TREE[@]}"; do
		echo "EXPORT { Export_Id = $id; Path = \"${TREE[$r]}\"; Pseudo = \"${TREE[$r]}\"; Access_Type = RO;"
		echo "  Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys; FSAL { Name = VFS; } }"
		id=$((id + 1))
	done
} > "$tmp/ganesha.conf"
rpcbind -w || { say "rpcbind did not start"; exit 1; }
ganesha.nfsd -f "$tmp/ganesha.conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || { say "ganesha did not start"; exit 1; }
for _ in $(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done
cat > "$tmp/nginx.conf" <<EOC
daemon on; pid $tmp/nginx.pid; error_log $tmp/nginx-error.log; worker_processes 1;
events { worker_connections 64; }
http { access_log off; sendfile on; server { listen 127.0.0.1:8080; root $tmp/www; } }
EOC
nginx -c "$tmp/nginx.conf" -p "$tmp" || { say "nginx did not start"; exit 1; }

# ---- kernel arguments per tool, transport and root ----
S=10.0.2.2
args() { # TOOL TRANSPORT ROOT -> kernel args, or "failed: why" / "n/a: why"
	local tool=$1 tr=$2 path=${TREE[$3]:-} url=http://$S:8080/${SQFS[$3]:-}
	case $tool/$tr in
	netinit/nfs3)  echo "root=/dev/nfs nfsroot=$S:$path,tcp,v3,nolock,port=2049 ip=dhcp" ;;
	itools/nfs3)   echo "root=/dev/nfs nfsroot=$S:$path,tcp,v3,nolock,port=2049 ip=dhcp" ;;
	dracut/nfs3)   echo "root=nfs:$S:$path:vers=3,nolock,proto=tcp,port=2049,mountport=20048,mountproto=tcp ip=dhcp rd.neednet=1" ;;
	netinit/nfs4)  echo "root=nfs4:$S:$path ip=dhcp" ;;
	dracut/nfs4)   echo "root=nfs4:$S:$path ip=dhcp rd.neednet=1" ;;
	itools/nfs4)   echo "n/a: klibc's nfsmount speaks only NFSv2/v3" ;;
	netinit/http)  echo "root=$url ip=dhcp" ;;
	dracut/http)   echo "root=live:$url rd.live.image rd.live.overlay.overlayfs=1 ip=dhcp rd.neednet=1" ;;
	liveboot/http) echo "boot=live fetch=$url ip=dhcp" ;;
	itools/http)   echo "n/a: no HTTP root (live-boot is its HTTP form)" ;;
	liveboot/nfs*) echo "n/a: live-boot's netboot=nfs mounts a squashfs from a share, not a root tree" ;;
	esac
}

# boot NAME TIMEOUT MEM REGEX REPORTLOG "ARGS": QEMU in the background until
# the report log matches REGEX (then it is stopped) or it exits or times out.
# Prints the first match's last field.  On a loaded host TCG sometimes loses
# the kernel's timer check ("IO-APIC + timer doesn't work", a panic before any
# init code): panic=1 ends such a boot (-no-reboot) and it is booted again, up
# to twice; that is the emulator, not the tool under test.
boot() {
	local try v
	for try in 1 2 3; do
		v=$(boot_once "$@")
		[ -n "$v" ] && break
		grep -aq 'Kernel panic - not syncing: IO-APIC + timer' "$(vm_log "$1")" || break
		say "$1: TCG lost the kernel's timer check (kernel panic before init), booting again"
	done
	echo "$v"
}
boot_once() {
	local name=$1 to=$2 mem=$3 re=$4 rep=$5 append=$6 log i v=
	log=$(vm_log "$name"); : > "$log"; : > "$rep"
	timeout -k 5 "$to" qemu-system-x86_64 -accel tcg -m "$mem" -smp 1 -nographic -no-reboot -nodefaults \
		-display none -serial "file:$log" -serial "file:$rep" -kernel "$VM_KERNEL" -initrd "$IMG_NOW" \
		-append "console=ttyS0 $append panic=1 quiet" -netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
		< /dev/null > "$VM_DIR/$name.qemu.out" 2>&1 &
	qpid=$!
	for ((i = 0; i < to * 5; i++)); do
		v=$(grep -a -m1 -oE "$re" "$rep" "$log" 2>/dev/null | head -n1 | awk '{print $NF}' | tr -d '\r')
		[ -n "$v" ] && break
		kill -0 "$qpid" 2>/dev/null || { v=$(grep -a -m1 -oE "$re" "$rep" "$log" | head -n1 | awk '{print $NF}' | tr -d '\r'); break; }
		sleep 0.2
	done
	kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; qpid=
	echo "$v"
}

declare -A VALS CELL
tools=(netinit dracut itools liveboot)
transports=(nfs3 nfs4 http)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 1; i <= RUNS; i++)); do
	for root in $ROOTS; do
		[ -n "${TREE[$root]:-}" ] || continue
		for tr in "${transports[@]}"; do
			for tool in "${tools[@]}"; do
				a=$(args $tool $tr $root)
				[ -z "$a" ] || [[ $a == n/a:* ]] && continue
				[ -n "${WHY[$tool]:-}" ] && continue
				IMG_NOW=${IMG[$tool]}
				name=bench-roots-$root-$tr-$tool-$i
				if [ $root = tiny ]; then
					v=$(boot "$name" 300 1024 'BENCH-UPTIME [0-9.]+' "$VM_DIR/$name-report.log" "$a")
				else
					v=$(boot "$name" 600 2048 'DEBTEST init-uptime: [0-9.]+' "$VM_DIR/$name-report.log" \
						"$a init=/usr/local/sbin/debtest-init")
				fi
				if [ -n "$v" ]; then VALS[$root/$tr/$tool]="${VALS[$root/$tr/$tool]:-} $v"; say "$root $tr ${LABEL[$tool]}: run $i/$RUNS: $v s"
				else say "$root $tr ${LABEL[$tool]}: run $i/$RUNS: the root's init never reported (console $(vm_log "$name"))"; fi
			done
		done
	done
	if [ -z "${WHY[floor]:-}" ]; then
		IMG_NOW=${IMG[floor]}
		v=$(boot bench-roots-floor-$i 120 1024 'BENCH-UPTIME [0-9.]+' "$VM_DIR/bench-roots-floor-$i-report.log" "")
		[ -n "$v" ] && VALS[floor]="${VALS[floor]:-} $v"
		say "floor: run $i/$RUNS: ${v:-never reported}"
	fi
done

# ---- time to multi-user.target, Debian root over HTTP (both into RAM, overlay on top) ----
declare -A MU MUSTATE
if [ "${BENCH_MU:-1}" = 1 ] && [ -n "${TREE[debian]:-}" ]; then
	for ((i = 1; i <= MU_RUNS; i++)); do
		for tool in netinit dracut; do
			[ -n "${WHY[$tool]:-}" ] && continue
			IMG_NOW=${IMG[$tool]}
			name=bench-roots-mu-$tool-$i
			rep=$VM_DIR/$name-report.log
			v=$(boot "$name" 600 2048 'DEBTEST up-uptime: [0-9.]+' "$rep" \
				"$(args $tool http debian) init=/usr/local/sbin/debtest-init debtest.net=networkd")
			st=$(sed -n 's/^DEBTEST state: //p' "$rep" | tr -d '\r' | head -n1)
			nf=$(sed -n 's/^DEBTEST failed: //p' "$rep" | tr -d '\r' | cut -d' ' -f1 | tr '\n' ' ')
			if [ -n "$v" ]; then
				MU[$tool]="${MU[$tool]:-} $v"; MUSTATE[$tool]="${MUSTATE[$tool]:-}${MUSTATE[$tool]:+; }run $i: ${st:-?}${nf:+ (failed: $nf)}"
				say "multi-user ${LABEL[$tool]}: run $i/$MU_RUNS: $v s ($st${nf:+; failed units: $nf})"
			else say "multi-user ${LABEL[$tool]}: run $i/$MU_RUNS: never reported (console $(vm_log "$name"), report $rep)"; fi
		done
	done
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the tables ----
rc=0
fig() { # KEY -> median, or "failed: ..."
	local s; s=$(stats ${VALS[$1]:-})
	if [ -n "$s" ]; then echo "$s" | awk '{print $2}'; else echo "failed: never reached the root's init in $RUNS runs"; fi
}
size_of() { if [ -s "${IMG[$1]}" ]; then stat -c %s "${IMG[$1]}"; else echo "failed: ${WHY[$1]:-not built}"; fi; }
spread() { local s; s=$(stats ${VALS[$1]:-}); [ -n "$s" ] && echo "$s" | awk '{printf "%s-%s", $1, $3}'; }
declare -A MED
for root in $ROOTS; do for tr in "${transports[@]}"; do for tool in "${tools[@]}"; do
	MED[$root/$tr/$tool]=$(fig $root/$tr/$tool)
done; done; done
MED[floor]=$(fig floor)

{
echo "## Network roots: netinit, dracut, initramfs-tools, live-boot (kernel start to the root's init)"
echo
echo "Kernel $KVER, QEMU $(qemu-system-x86_64 --version | head -n1 | awk '{print $4}') -accel tcg -smp 1 (1 GiB for the tiny root, 2 GiB for Debian),"
echo "virtio-net on QEMU user networking; nfs-ganesha $(ver nfs-ganesha) and nginx in a namespace made for the run."
echo "Median of $RUNS boots, interleaved; in parentheses min-max. Ratios are tool / netinit on the same root and transport,"
echo "in the same run (lower is better for netinit when the ratio is above 1). Host load average $LOAD_BEFORE before, $LOAD_AFTER after."
echo "Tiny root: the busybox test root (test-vm/mkroot.sh) whose /sbin/init reads /proc/uptime first thing."
echo "Debian root: test-vm/debroot.sh (bookworm, systemd), its \`init=/usr/local/sbin/debtest-init\` reporting on ttyS1 before it execs systemd."
echo
echo "| tool | initramfs bytes | size vs netinit | root | transport | seconds to the root's init | time vs netinit |"
echo "|---|---:|---:|---|---|---:|---:|"
for root in $ROOTS; do
	for tr in "${transports[@]}"; do
		for tool in "${tools[@]}"; do
			a=$(args $tool $tr $root)
			[ -n "$a" ] || continue
			sz=$(size_of $tool)
			if [ -n "${WHY[$root]:-}" ]; then t="failed: ${WHY[$root]}"; r=$t; rc=1
			elif [[ $a == n/a:* ]]; then t=$a; r="-"
			elif [ -n "${WHY[$tool]:-}" ]; then t="failed: ${WHY[$tool]}"; r=$t; rc=1
			else
				t=${MED[$root/$tr/$tool]}; sp=$(spread $root/$tr/$tool)
				[[ $t == failed:* ]] && rc=1
				r=$(ratio "$t" "${MED[$root/$tr/netinit]}")
				[ -n "$sp" ] && t="$t ($sp)"
			fi
			echo "| ${LABEL[$tool]} | $sz | $(ratio "$sz" "$(size_of netinit)") | $root | $tr | $t | $r |"
		done
	done
done
sz=$(size_of floor); t=${MED[floor]}; sp=$(spread floor); [ -n "$sp" ] && t="$t ($sp)"
echo "| ${LABEL[floor]} | $sz | $(ratio "$sz" "$(size_of netinit)") | - | - | $t | - |"
echo
echo "Kernel arguments (plus \`console=ttyS0 panic=1 quiet\`; PATH is the root's export path or squashfs):"
echo
for tool in "${tools[@]}"; do for tr in "${transports[@]}"; do
	a=$(args $tool $tr tiny); [ -n "$a" ] && [[ $a != n/a:* ]] && echo "- ${LABEL[$tool]}, $tr: \`${a//$tiny/PATH}\`"
done; done
echo
echo "### Debian root: kernel start to multi-user.target (HTTP squashfs into RAM, overlay)"
echo
echo "debtest-report's uptime after \`systemctl is-system-running --wait\` returned; median of $MU_RUNS (min-max);"
echo "the state it returned and the failed units per run. \`debtest.net=networkd\` (catch-all DHCP .network, as stock images)."
echo
echo "| tool | seconds to multi-user | time vs netinit | state per run |"
echo "|---|---:|---:|---|"
mum=
for tool in netinit dracut; do
	s=$(stats ${MU[$tool]:-})
	if [ "${BENCH_MU:-1}" != 1 ]; then t="failed: not run (BENCH_MU=0)"
	elif [ -n "${WHY[debian]:-}" ]; then t="failed: ${WHY[debian]}"
	elif [ -n "${WHY[$tool]:-}" ]; then t="failed: ${WHY[$tool]}"
	elif [ -n "$s" ]; then t=$(echo "$s" | awk '{print $2}')
	else t="failed: never reached multi-user.target in $MU_RUNS runs"; fi
	[[ $t == failed:* ]] && rc=1
	[ $tool = netinit ] && mum=$t
	r=$(ratio "$t" "$mum"); [ -n "$s" ] && t="$t ($(echo "$s" | awk '{printf "%s-%s", $1, $3}'))"
	echo "| ${LABEL[$tool]} | $t | $r | ${MUSTATE[$tool]:--} |"
done
echo
echo "### Goals (issues 10 and 14)"
echo
echo "| goal | figure | met? |"
echo "|---|---|---|"
goal() { # WHAT VALUE LIMIT OP(le) UNIT
	local what=$1 v=$2 lim=$3
	if isnum "$v"; then
		if awk -v v="$v" -v l="$lim" 'BEGIN {exit !(v <= l)}'; then echo "| $what | $v (at most $lim) | yes |"
		else echo "| $what | $v (at most $lim) | **no** |"; fi
	else echo "| $what | $v | failed: no figure |"; fi
}
for root in $ROOTS; do
	goal "NFSv3 time to root, $root root: netinit / initramfs-tools" "$(ratio "${MED[$root/nfs3/netinit]}" "${MED[$root/nfs3/itools]}")" 0.15
	goal "HTTP time to root, $root root: netinit / live-boot" "$(ratio "${MED[$root/http/netinit]}" "${MED[$root/http/liveboot]}")" 0.35
done
for tr in "${transports[@]}"; do
	m=${MED[tiny/$tr/netinit]:-}; f=${MED[floor]}
	if isnum "$m" && isnum "$f"; then d=$(awk -v a="$m" -v b="$f" 'BEGIN {printf "%.2f", a - b}')
	else d="failed: ${m:-no netinit figure} / floor ${f}"; fi
	goal "tiny root, $tr: netinit's seconds above the kernel-only floor" "$d" 0.6
done
echo
echo "(The NFS/HTTP ratio goals are netinit's time divided by the competitor's: 0.15 means netinit takes at most 15 % of"
echo "initramfs-tools' time. \"Above the floor\" is netinit's median minus the floor's median in this run.)"
exit $rc
} | tee "$BDIR/roots.md"
exit "${PIPESTATUS[0]}"
