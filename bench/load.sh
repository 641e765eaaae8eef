#!/bin/bash
# Load test: N clients (default 64) fetch the same root image at once from one
# nginx.  64 QEMU nodes do not fit on this 2-core machine, so each client is
# the host build of netinit's fetch code (build/netinit-fetch, the same
# sources as `init fetch` in the initramfs) in its own network namespace,
# plugged into one bridge by a veth pair, as nodes on one switch are.  Every
# client pins the image's sha256 (--sha256), so a short or corrupted
# download counts as a failure.  Namespaces, links and nginx are made here
# and removed on exit; nothing leaves them.
#
#   BENCH_LOAD_CLIENTS (64)  BENCH_LOAD_IMAGE (build/debian/root.squashfs, else
#   a 128 MiB random file)   BENCH_LOAD_ROUNDS (BENCH_RUNS, 3)
# stdout: a markdown section; exit 1 when a client failed or nothing was measured.
set -u
cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
N=${BENCH_LOAD_CLIENTS:-64}
ROUNDS=${BENCH_LOAD_ROUNDS:-${BENCH_RUNS:-3}}
say() { echo "bench/load: $*" >&2; }
[ "$(id -u)" = 0 ] || { say "needs root (network namespaces)"; exit 1; }
FETCH=$PWD/$BUILD/netinit-fetch
[ -x "$FETCH" ] || { say "$FETCH missing (make)"; exit 1; }
command -v nginx >/dev/null || { say "nginx missing"; exit 1; }

tag=lb$(($$ % 100000))
work=$(mktemp -d /tmp/bench-load.XXXXXX); chmod 755 "$work"
srv=$tag-s
made=()
cleanup() {
	[ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
	local n; for n in "${made[@]}"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$work/www"
img=${BENCH_LOAD_IMAGE:-$BUILD/debian/root.squashfs}
if [ -s "$img" ]; then ln -s "$(readlink -f "$img")" "$work/www/image"; what="$(basename "$img") ($img)"
else head -c $((128 << 20)) /dev/urandom > "$work/www/image"; what="128 MiB of random bytes (no $img)"; fi
bytes=$(stat -L -c %s "$work/www/image")
sum=$(sha256sum < "$work/www/image" | cut -d' ' -f1)

say "$N namespaces on one bridge"
ip netns add "$srv" && made+=("$srv") || exit 1
ip -n "$srv" link set lo up
ip -n "$srv" link add br0 type bridge && ip -n "$srv" link set br0 type bridge forward_delay 0 &&
	ip -n "$srv" addr add 10.203.0.1/16 dev br0 && ip -n "$srv" link set br0 up || exit 1
# the server's own port on the bridge
for ((i = 1; i <= N; i++)); do
	c=$tag-c$i
	ip netns add "$c" && made+=("$c") || exit 1
	ip link add "$tag-$i" netns "$srv" type veth peer name eth0 netns "$c" || exit 1
	ip -n "$srv" link set "$tag-$i" master br0 up
	ip -n "$c" link set lo up
	ip -n "$c" addr add "10.203.$((i / 250 + 1)).$((i % 250 + 1))/16" dev eth0 && ip -n "$c" link set eth0 up || exit 1
done
cat > "$work/nginx.conf" <<EOC
daemon on; pid $work/nginx.pid; error_log $work/nginx-error.log; worker_processes 2;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; server { listen 10.203.0.1:8080; root $work/www; } }
EOC
ip netns exec "$srv" nginx -c "$work/nginx.conf" -p "$work" || { say "nginx did not start"; exit 1; }
sleep 0.5
URL=http://10.203.0.1:8080/image
# the bridge forwards once every port is up: one fetch warms it (not counted)
ip netns exec "$tag-c1" "$FETCH" "$URL" - --sha256 "$sum" >/dev/null 2>"$work/warm.err" ||
	{ say "a single client failed: $(tail -n1 "$work/warm.err")"; echo "## Load: $N clients at once"; echo; echo "failed: a single client could not fetch the image ($(tail -n1 "$work/warm.err"))"; exit 1; }

# one round: every client waits on a fifo, then all start together.
round() {
	local r=$1 i
	rm -f "$work/go"; mkfifo "$work/go"
	for ((i = 1; i <= N; i++)); do
		ip netns exec "$tag-c$i" bash -c '
			read -r _ < "$1"
			t0=$(date +%s.%N)
			"$2" "$3" - --sha256 "$4" > /dev/null 2> "$5.err"
			rc=$?
			echo "$rc $t0 $(date +%s.%N)" > "$5.res"' _ "$work/go" "$FETCH" "$URL" "$sum" "$work/r$r-$i" &
	done
	sleep 2   # every client is blocked in open() of the fifo
	echo go > "$work/go"
	wait
}

rows=()
fail=0
for ((r = 1; r <= ROUNDS; r++)); do
	say "round $r/$ROUNDS: $N clients"
	round "$r"
	res=$(cat "$work"/r$r-*.res 2>/dev/null)
	got=$(echo "$res" | grep -c .)
	bad=$(echo "$res" | awk '$1 != 0' | grep -c .)
	bad=$((bad + N - got))
	why=$(for f in "$work"/r$r-*.res; do read -r rc _ < "$f"; [ "$rc" = 0 ] || tail -n1 "${f%.res}.err"; done | sort | uniq -c | sort -rn | head -n1 | sed 's/^ *//')
	line=$(echo "$res" | awk -v b="$bytes" '$1 == 0 {d = $3 - $2; if (!n || d < mn) mn = d; if (d > mx) mx = d; n++; s += b}
		{if (!t0 || $2 < t0) t0 = $2; if ($3 > t1) t1 = $3}
		END {if (n) printf "%d %.2f %.2f %.2f %.0f\n", n, mn, mx, t1 - t0, s / (t1 - t0) / 1048576}')
	if [ -z "$line" ]; then
		rows+=("| $r | $bad of $N${why:+ ($why)} | failed: no client finished | - | - | - |"); fail=1; continue
	fi
	read -r ok fast slow wall mibs <<<"$line"
	[ "$bad" = 0 ] || fail=1
	rows+=("| $r | $bad of $N${why:+ (most common error: $why)} | $wall | $mibs | $fast | $slow |")
	say "round $r: $bad failed, ${wall} s, $mibs MiB/s, fastest $fast s, slowest $slow s"
done

echo "## Load: $N clients fetching the image at once from one nginx"
echo
echo "$N processes of build/netinit-fetch (the host build of netinit's fetch code; $N QEMU VMs do not fit on"
echo "$(nproc) cores), each in its own network namespace on a veth pair into one bridge; nginx $(nginx -v 2>&1 | sed 's/.*\///')"
echo "(2 workers, sendfile) in another namespace on the same bridge. The image: $what, $bytes bytes; every"
echo "client pins its sha256 (\`--sha256\`), so a short or corrupted download is a failure. Clients, server and"
echo "hashing share the same $(nproc) cores. Load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| round | failed clients | wall seconds (first start to last end) | total MiB/s | fastest client (s) | slowest client (s) |"
echo "|---|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
exit $fail
