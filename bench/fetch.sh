#!/bin/bash
# Root image downloads between two network namespaces joined by a veth pair
# (created here, removed on exit; no other traffic):
#   1. HTTP GET of a 1 GiB file from nginx: netinit vs curl vs wget (to /dev/null);
#   2. fetch + zstd + unpack of a root archive into a tmpfs: netinit (one
#      process, one pass) vs `curl | zstd -d | tar -x`; peak RSS of each;
#   3. TFTP of a 256 MiB file: netinit vs tftp-hpa's client vs busybox tftp
#      against tftpd-hpa (which has no windowsize), and netinit with
#      windowsize against atftpd (RFC 7440) when it is available.
# Median of BENCH_RUNS (default 3) runs; ratio = time / netinit's time
# (>1: slower than netinit).  Prints markdown on stdout, progress on stderr.
#
#   bench/fetch.sh                 BENCH_RUNS=5 bench/fetch.sh
#   BENCH_FETCH_RUNS               runs of each figure (default BENCH_RUNS)
#   BENCH_FETCH_MB=1024            size of the HTTP file in MiB
#   BENCH_ATFTPD=/path/to/atftpd   the atftpd binary (default: Debian's atftpd
#                                  extracted under build/bench/pkgs with
#                                  `apt-get download` + `dpkg -x`, never
#                                  installed: the package conflicts with
#                                  tftpd-hpa, which the VM tests need)
# A measurement that failed prints "failed: why" in its cell, never a number.
set -u
cd "$(dirname "$0")/.." || exit 1
top=$PWD
. bench/lib.sh
runs=${BENCH_FETCH_RUNS:-${BENCH_RUNS:-3}}
mb=${BENCH_FETCH_MB:-1024}
tftp_mb=${BENCH_TFTP_MB:-256}
say() { echo "bench/fetch: $*" >&2; }

if [ -x build/init ] && build/init fetch --help >/dev/null 2>&1; then
	ours=("$top/build/init" fetch)
elif [ -x build/netinit-fetch ]; then
	ours=("$top/build/netinit-fetch")
else
	say "build build/init or build/netinit-fetch first (make)"; exit 1
fi
for t in nginx curl wget zstd tar tftp busybox ip /usr/sbin/in.tftpd /usr/bin/time; do
	command -v "$t" >/dev/null || { say "$t not installed"; exit 1; }
done
[ "$(id -u)" = 0 ] || { say "needs root (network namespaces, tmpfs)"; exit 1; }
atftpd=${BENCH_ATFTPD:-}
atftpd_why=
if [ -z "$atftpd" ]; then
	if d=$(bench_extract atftpd); then atftpd=$d/usr/sbin/atftpd
	else atftpd_why="atftpd could not be extracted (apt-get download atftpd)"; fi
fi
atftpd_ver=$(ls "$BENCH_PKGS"/atftpd/*.deb 2>/dev/null | sed -n 's/.*atftpd_\([^_]*\)_.*/\1/p')

tag=fb$(($$ % 100000))
srv=$tag-s cli=$tag-c
work=$(mktemp -d /tmp/bench-fetch.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	ip netns del "$srv" 2>/dev/null
	ip netns del "$cli" 2>/dev/null
	mountpoint -q "$work/t" && umount -l "$work/t"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$srv" && ip netns add "$cli" || exit 1
ip -n "$srv" link set lo up; ip -n "$cli" link set lo up
ip link add "$tag-a" netns "$srv" type veth peer name "$tag-b" netns "$cli" || exit 1
ip -n "$srv" addr add 10.201.0.1/24 dev "$tag-a"; ip -n "$srv" link set "$tag-a" up
ip -n "$cli" addr add 10.201.0.2/24 dev "$tag-b"; ip -n "$cli" link set "$tag-b" up
S=10.201.0.1
inc() { ip netns exec "$cli" "$@"; }

say "making the files ($mb MiB, a root archive, $tftp_mb MiB for TFTP)"
www=$work/www
mkdir -p "$www" "$work/t"
head -c $((mb * 1024 * 1024)) /dev/urandom > "$www/big.bin"
head -c $((tftp_mb * 1024 * 1024)) /dev/urandom > "$www/tftp.bin"
# a root-like tree: many small files, some large ones, links
tar -C / --exclude="*/__pycache__" -cf - ${BENCH_ARCHIVE_DIRS:-usr/share usr/lib/x86_64-linux-gnu/perl-base} 2>/dev/null |
	zstd -q -T0 -3 -o "$www/root.tar.zst"
arch_mb=$(( $(stat -c %s "$www/root.tar.zst") / 1048576 ))
unpacked_mb=$(( $(zstd -dc "$www/root.tar.zst" | wc -c) / 1048576 ))
mount -t tmpfs -o size=$((unpacked_mb * 2 + 512))m tmpfs "$work/t" || exit 1

cat > "$work/nginx.conf" <<CONF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
worker_processes 2;
events { worker_connections 256; }
http { access_log off; sendfile on; tcp_nopush on;
  server { listen $S:8080; root $www; } }
CONF
ip netns exec "$srv" nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
ip netns exec "$srv" /usr/sbin/in.tftpd -L -a "$S:69" -s "$www" -B 65464 &
pids+=($!)
if [ -n "$atftpd" ]; then
	ip netns exec "$srv" "$atftpd" --daemon --no-fork --port 6969 --bind-address "$S" \
		--user root --group root --logfile /dev/null "$www" &
	pids+=($!)
fi
sleep 1
if [ -n "$atftpd" ] && ! kill -0 "${pids[-1]}" 2>/dev/null; then
	atftpd_why="atftpd ($atftpd) did not start"; atftpd=
fi

# median seconds of `runs` runs of "$@" (after $pre if set); the runs'
# seconds go to $work/last.runs.  A failed run makes the figure
# "failed: CMD exited N (its last message)".
median() {
	local i t0 t1 ts=() rc
	: > "$work/last.runs"
	for i in $(seq "$runs"); do
		[ -n "${pre:-}" ] && eval "$pre"
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>"$work/last.err"
		rc=$?
		t1=$(date +%s.%N)
		if [ $rc = 0 ] && [ -n "${post:-}" ] && ! eval "$post"; then
			rc=check; echo "the result is not what the server has (${post_what:-check failed})" >> "$work/last.err"
		fi
		if [ $rc != 0 ]; then
			say "failed: $* (exit $rc): $(tail -n1 "$work/last.err")"
			echo "failed: ${*##*/} exited $rc ($(tail -n1 "$work/last.err" | tr '|' '/' | cut -c1-80))"
			return 1
		fi
		ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')")
	done
	printf '%s\n' "${ts[@]}" > "$work/last.runs"
	printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
secs() { isnum "$1" && printf '%.2f' "$1" || echo "$1"; }
rate() { isnum "$2" && printf '%.0f' "$(echo "$1 / $2" | bc -l)" || echo "-"; }
row() { # name secs base_secs MiB
	printf '| %s | %s | %s | %s |\n' "$1" "$(secs "$2")" "$(rate "$4" "$2")" "$(ratio "$2" "$3")"
}
spread() { stats $(cat "$1") | awk '{printf "%.2f / %.2f / %.2f", $1, $2, $3}'; }

say "HTTP: $mb MiB, $runs runs each"
pre=""
t_ours=$(median inc "${ours[@]}" "http://$S:8080/big.bin" -)
t_curl=$(median inc curl -sf -o /dev/null "http://$S:8080/big.bin")
t_wget=$(median inc wget -q -O /dev/null "http://$S:8080/big.bin")
t_ours_file=$(pre="rm -f $work/t/o.bin" median inc "${ours[@]}" "http://$S:8080/big.bin" "$work/t/o.bin")
t_curl_file=$(pre="rm -f $work/t/o.bin" median inc curl -sf -o "$work/t/o.bin" "http://$S:8080/big.bin")
rm -f "$work/t/o.bin"

say "archive: $arch_mb MiB zstd -> $unpacked_mb MiB"
pre="rm -rf $work/t/u; mkdir $work/t/u"
post="[ \$(du -sm $work/t/u | cut -f1) -ge $((unpacked_mb * 9 / 10)) ]" post_what="less unpacked than the archive holds"
t_unp=$(median inc /usr/bin/time -f "%M %U %S" -o "$work/rss-ours" "${ours[@]}" "http://$S:8080/root.tar.zst" - --unpack "$work/t/u/root")
cp "$work/last.runs" "$work/unp.runs"
t_pipe=$(median inc bash -c "set -o pipefail; /usr/bin/time -f '%M %U %S' -o $work/rss-curl curl -sf http://$S:8080/root.tar.zst | /usr/bin/time -f '%M %U %S' -o $work/rss-zstd zstd -dc | /usr/bin/time -f '%M %U %S' -o $work/rss-tar tar -C $work/t/u -xf -")
cp "$work/last.runs" "$work/pipe.runs"
rm -rf "$work/t/u"
post=
# peak RSS (KiB) and CPU seconds (user + system) of the last run, summed over the files given
rss_cpu() { local f; for f in "$@"; do tail -n 1 "$work/$f" 2>/dev/null; done | awk '{r += $1; c += $2 + $3} END {printf "%d %.2f\n", r, c}'; }
read -r rss_ours cpu_ours < <(rss_cpu rss-ours)
read -r rss_pipe cpu_pipe < <(rss_cpu rss-curl rss-zstd rss-tar)
isnum "$t_unp" || rss_ours="failed" cpu_ours="failed"
isnum "$t_pipe" || rss_pipe="failed" cpu_pipe="failed"

say "TFTP: $tftp_mb MiB"
pre="rm -f $work/t/o.bin"
# tftp clients may exit 0 after a failed transfer: the size decides.
post="[ \"\$(stat -c %s $work/t/o.bin 2>/dev/null)\" = $((tftp_mb * 1048576)) ]" post_what="not $tftp_mb MiB received"
t_tf_ours=$(median inc "${ours[@]}" "tftp://$S/tftp.bin" "$work/t/o.bin")
t_tf_hpa=$(median inc tftp -m binary "$S" -c get tftp.bin "$work/t/o.bin")
t_tf_bb=$(median inc busybox tftp -b 1468 -g -r tftp.bin -l "$work/t/o.bin" "$S")
t_tf_bb512=$(median inc busybox tftp -g -r tftp.bin -l "$work/t/o.bin" "$S")
if [ -n "$atftpd" ]; then
	t_tf_w1=$(median inc "${ours[@]}" "tftp://$S:6969/tftp.bin" "$work/t/o.bin" --windowsize 1)
	t_tf_w16=$(median inc "${ours[@]}" "tftp://$S:6969/tftp.bin" "$work/t/o.bin" --windowsize 16)
	t_tf_w64=$(median inc "${ours[@]}" "tftp://$S:6969/tftp.bin" "$work/t/o.bin" --windowsize 64)
	t_tf_hpa_a=$(median inc tftp -m binary "$S" 6969 -c get tftp.bin "$work/t/o.bin")
else
	t_tf_w1="failed: $atftpd_why" t_tf_w16=$t_tf_w1 t_tf_w64=$t_tf_w1 t_tf_hpa_a=$t_tf_w1
fi
post=

cat <<EOF2
## bench/fetch.sh: root image downloads (HTTP, archive unpack, TFTP)

Two network namespaces joined by a veth pair (MTU 1500), servers in one, clients in
the other; median of $runs runs; ratio = time / netinit's time (>1: slower than netinit).
Kernel $(uname -r), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end.

### HTTP GET, $mb MiB from nginx

| client | seconds | MiB/s | ratio |
|---|---|---|---|
$(row "netinit \`fetch URL -\` (discard)" "$t_ours" "$t_ours" "$mb")
$(row "curl -o /dev/null" "$t_curl" "$t_ours" "$mb")
$(row "wget -O /dev/null" "$t_wget" "$t_ours" "$mb")
$(row "netinit \`fetch URL FILE\` (tmpfs)" "$t_ours_file" "$t_ours_file" "$mb")
$(row "curl -o FILE (tmpfs)" "$t_curl_file" "$t_ours_file" "$mb")

### Fetch + zstd + unpack of a root archive ($arch_mb MiB .tar.zst, $unpacked_mb MiB unpacked) into a tmpfs

| pipeline | seconds (median) | min / median / max of $runs | MiB/s (compressed) | ratio | CPU seconds (user+sys, last run) | peak RSS |
|---|---|---|---|---|---|---|
| netinit \`fetch URL - --unpack DIR\` (one process) | $(secs "$t_unp") | $(isnum "$t_unp" && spread "$work/unp.runs" || echo -) | $(rate "$arch_mb" "$t_unp") | $(ratio "$t_unp" "$t_unp") | $cpu_ours | $rss_ours KiB |
| \`curl \\| zstd -d \\| tar -x\` | $(secs "$t_pipe") | $(isnum "$t_pipe" && spread "$work/pipe.runs" || echo -) | $(rate "$arch_mb" "$t_pipe") | $(ratio "$t_pipe" "$t_unp") | $cpu_pipe (sum of 3) | $rss_pipe KiB (sum of 3) |

The one-process path does the whole job in one thread and never sleeps (the socket always has data):
it uses less CPU than the pipeline (no pipe copies) but only one of the $(nproc) cores, while the pipeline
overlaps zstd with tar's file writes on the other core; on a loaded host the scheduler also gives the
three often-sleeping processes three shares. See doc/bench.md ("fetch + unpack") for the profile.

### TFTP, $tftp_mb MiB

| client | server | blksize / window | seconds | MiB/s | ratio |
|---|---|---|---|---|---|
| netinit | tftpd-hpa | 1468 / 1 (no RFC 7440 in tftpd-hpa) | $(secs "$t_tf_ours") | $(rate "$tftp_mb" "$t_tf_ours") | $(ratio "$t_tf_ours" "$t_tf_ours") |
| tftp-hpa client | tftpd-hpa | 512 / 1 | $(secs "$t_tf_hpa") | $(rate "$tftp_mb" "$t_tf_hpa") | $(ratio "$t_tf_hpa" "$t_tf_ours") |
| busybox tftp -b 1468 | tftpd-hpa | 1468 / 1 | $(secs "$t_tf_bb") | $(rate "$tftp_mb" "$t_tf_bb") | $(ratio "$t_tf_bb" "$t_tf_ours") |
| busybox tftp | tftpd-hpa | 512 / 1 | $(secs "$t_tf_bb512") | $(rate "$tftp_mb" "$t_tf_bb512") | $(ratio "$t_tf_bb512" "$t_tf_ours") |
| netinit | atftpd $atftpd_ver | 1468 / 1 | $(secs "$t_tf_w1") | $(rate "$tftp_mb" "$t_tf_w1") | $(ratio "$t_tf_w1" "$t_tf_ours") |
| netinit | atftpd | 1468 / 16 | $(secs "$t_tf_w16") | $(rate "$tftp_mb" "$t_tf_w16") | $(ratio "$t_tf_w16" "$t_tf_ours") |
| netinit | atftpd | 1468 / 64 | $(secs "$t_tf_w64") | $(rate "$tftp_mb" "$t_tf_w64") | $(ratio "$t_tf_w64" "$t_tf_ours") |
| tftp-hpa client | atftpd | 512 / 1 | $(secs "$t_tf_hpa_a") | $(rate "$tftp_mb" "$t_tf_hpa_a") | $(ratio "$t_tf_hpa_a" "$t_tf_ours") |

atftpd: Debian's package extracted with \`apt-get download\` + \`dpkg -x\` and run from there (installing it would
remove tftpd-hpa). netinit peak RSS while unpacking: $rss_ours KiB (bounded buffers: 256 KiB receive,
128 KiB zstd output, zstd window <= 128 MiB).
EOF2
failed=0
for v in "$t_ours" "$t_curl" "$t_wget" "$t_ours_file" "$t_curl_file" "$t_unp" "$t_pipe" "$t_tf_ours" "$t_tf_hpa" \
	"$t_tf_bb" "$t_tf_bb512" "$t_tf_w1" "$t_tf_w16" "$t_tf_w64" "$t_tf_hpa_a"; do
	isnum "$v" || failed=1
done
exit $failed
