#!/bin/bash
# Boot over HTTP: the same squashfs root fetched by netinit (root=http://...)
# and by dracut's livenet (root=live:http://... rd.live.image), time from
# kernel start to the root's first process, median of BENCH_RUNS.  nginx
# serves the image inside a network namespace made for the bench; QEMU runs
# in it too (user networking: the guest's 10.0.2.2 is that namespace's
# loopback).  The dracut image is built once into build/bench/.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-300}
BDIR=$BUILD/bench
mkdir -p "$BDIR"
say() { echo "bench/boot-http: $*" >&2; }
[ "$(id -u)" = 0 ] || { say "needs root (network namespace)"; exit 1; }
for t in nginx mksquashfs qemu-system-x86_64; do command -v $t >/dev/null || { say "$t missing"; exit 1; }; done
[ -r "$BUILD/initramfs.img" ] || { say "$BUILD/initramfs.img missing (make initramfs)"; exit 1; }
cp "$BUILD/initramfs.img" "$BDIR/netinit-http.img"

tmp=$(mktemp -d /tmp/netinit-bench-http.XXXXXX); chmod 755 "$tmp"
ns=netinit-bench-http-$$
cleanup() { [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null; sleep 0.3; ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# The root: the test tree whose /sbin/init reports its uptime first thing.
bash test-vm/mkroot.sh "$tmp/tree" >/dev/null || exit 1
cat > "$tmp/tree/sbin/init" <<'INIT'
#!/bin/sh
[ -r /proc/uptime ] || /bin/busybox mount -t proc proc /proc
read up idle < /proc/uptime; echo "BENCH-UPTIME $up"
/bin/busybox poweroff -f
INIT
chmod 755 "$tmp/tree/sbin/init"
printf 'NAME="netinit bench root"\nID=netinit-bench\n' > "$tmp/tree/etc/os-release"
mkdir -p "$tmp/www"
mksquashfs "$tmp/tree" "$tmp/www/root.squashfs" -noappend -quiet >/dev/null || exit 1
size=$(stat -c %s "$tmp/www/root.squashfs")

DRACUT_IMG=$BDIR/dracut-livenet-$KVER.img
if [ ! -s "$DRACUT_IMG" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
	if command -v dracut >/dev/null; then
		say "building dracut with livenet for $KVER (once)"
		mkdir -p "$BDIR/dracut.confdir"
		# network-legacy must be named: with systemd present dracut 059 picks networkd
		# and then never fetches the live image (competitors.md).
		dracut --no-hostonly --conf /dev/null --confdir "$BDIR/dracut.confdir" --force \
			--add "livenet dmsquash-live network-legacy" --kver "$KVER" "$DRACUT_IMG.tmp" \
			> "$BDIR/dracut-livenet.log" 2>&1 && mv "$DRACUT_IMG.tmp" "$DRACUT_IMG" ||
			say "dracut livenet build failed: see $BDIR/dracut-livenet.log"
	else
		say "dracut missing (bench/run.sh installs dracut-core, dracut-network, dracut-live)"
	fi
fi

cat > "$tmp/nginx.conf" <<EOC
daemon on; pid $tmp/nginx.pid; error_log $tmp/nginx-error.log; worker_processes 1;
events { worker_connections 64; }
http { access_log off; server { listen 127.0.0.1:8080; root $tmp/www; } }
EOC
ip netns add "$ns" && ip -n "$ns" link set lo up && ip netns exec "$ns" nginx -c "$tmp/nginx.conf" -p "$tmp" || { say "nginx did not start"; exit 1; }

U=http://10.0.2.2:8080/root.squashfs
tools=(
	"netinit|netinit|$BDIR/netinit-http.img|root=$U ip=dhcp"
	"dracut|dracut $(dpkg-query -W -f='${Version}' dracut-core 2>/dev/null) livenet|$DRACUT_IMG|root=live:$U rd.live.image rd.live.overlay.overlayfs=1 ip=dhcp rd.neednet=1"
)
declare -A VALS SIZE
median() { LC_ALL=C sort -g | awk '{v[NR]=$1} END {if (NR == 0) exit 1; if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }
for ((i = 1; i <= RUNS; i++)); do
	for t in "${tools[@]}"; do
		IFS='|' read -r id label img args <<<"$t"
		[ -s "$img" ] || continue
		SIZE[$id]=$(stat -c %s "$img")
		name=bench-http-$id-$i
		ip netns exec "$ns" env VM_INITRD="$img" bash -c "source test-vm/lib.sh; vm_run '$name' '$TIMEOUT' '$args quiet'"
		v=$(grep -a -m1 -oE 'BENCH-UPTIME [0-9]+\.[0-9]+' "$(vm_log "$name")" | cut -d' ' -f2)
		if [ -n "$v" ]; then VALS[$id]="${VALS[$id]:-} $v"; say "$label: run $i: $v s"
		else say "$label: run $i: the root never reported; see $(vm_log "$name")"; fi
	done
done

echo "## Boot over HTTP: a ${size}-byte squashfs root, kernel start to the root's first process"
echo
echo "Kernel $KVER, QEMU -accel tcg -m $VM_MEM, nginx in a namespace, median of $RUNS. Ratio: tool / netinit."
echo
echo "| tool | initramfs bytes | median seconds | ratio time vs ours | runs (s) | kernel args |"
echo "|---|---:|---:|---:|---|---|"
ours=$(echo "${VALS[netinit]:-}" | tr ' ' '\n' | grep . | median)
rc=0
for t in "${tools[@]}"; do
	IFS='|' read -r id label img args <<<"$t"
	m=$(echo "${VALS[$id]:-}" | tr ' ' '\n' | grep . | median) || { echo "| $label | ${SIZE[$id]:-not built} | - | - | - | \`$args\` |"; rc=1; continue; }
	r=$( [ -n "$ours" ] && echo "scale=2; $m / $ours" | bc -l || echo -)
	echo "| $label | ${SIZE[$id]} | $m | $r | ${VALS[$id]} | \`$args\` |"
done
exit $rc
