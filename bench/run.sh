#!/bin/bash
# `make bench`: install what the benchmarks need, then run bench/roots.sh,
# bench/boot.sh and every other bench/*.sh, collecting their markdown output
# in build/bench/results.md (also printed) under a header naming the machine,
# the kernel, the package versions, the date and the load.  A full run (no
# BENCH_ONLY) also writes it to bench/RESULTS.md.  Progress goes to stderr.
#
#   BENCH_ONLY="boot net"   run only these (names of bench/<name>.sh)
#   BENCH_SCRIPT_TIMEOUT    seconds per script (default 5400)
#   BENCH_NO_INSTALL=1      do not call apt-get
# Other knobs (BENCH_RUNS, KVER, ...): see bench/README.md.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
out=$BUILD/bench/results.md
mkdir -p "$BUILD/bench"
say() { echo "bench: $*" >&2; }

# ---- packages ----
pkgs=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' bench/packages.txt | grep -v '^$')
missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && [ "${BENCH_NO_INSTALL:-0}" != 1 ]; then
	say "installing ${missing[*]}"
	apt_install() {
		# --no-remove: abort rather than uninstall anything (a conflicting
		# package would take away what the tests need).
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
			--no-install-recommends --no-remove "${missing[@]}" >&2
	}
	if ! apt_install; then
		apt-get -o DPkg::Lock::Timeout=600 update -q >&2
		apt_install || { say "apt-get install ${missing[*]} failed"; exit 1; }
	fi
elif [ ${#missing[@]} -gt 0 ]; then
	say "missing packages (BENCH_NO_INSTALL=1): ${missing[*]}"
fi

# ---- our initramfs (make bench builds it; a direct call may not have) ----
if [ ! -s "$BUILD/initramfs.img" ]; then
	say "$BUILD/initramfs.img missing: make initramfs"
	make initramfs >&2 || { say "make initramfs failed"; exit 1; }
fi

# ---- the scripts: the network roots side by side first, then the host-only
# ones (fetch, load, DHCP, render: minutes), then the other VM benchmarks ----
scripts=(bench/roots.sh bench/fetch.sh bench/load.sh bench/net.sh bench/export.sh bench/boot.sh)
for s in bench/*.sh; do
	[[ " ${scripts[*]} bench/run.sh bench/lib.sh " == *" $s "* ]] && continue
	scripts+=("$s")
done
if [ -n "${BENCH_ONLY:-}" ]; then
	sel=()
	for s in "${scripts[@]}"; do
		n=$(basename "$s" .sh)
		[[ " $BENCH_ONLY " == *" $n "* ]] && sel+=("$s")
	done
	scripts=("${sel[@]}")
	[ ${#scripts[@]} -gt 0 ] || { say "BENCH_ONLY='$BENCH_ONLY' matches no bench/*.sh"; exit 2; }
fi

ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }
debver() { ls "$BUILD"/bench/pkgs/"$1"/*.deb 2>/dev/null | sed -n "s/.*\/$1_\(.*\)_[a-z0-9]*\.deb/\1/p" | sed 's/%3a/:/' | head -n1; }
T0=$SECONDS
{
	echo "# netinit benchmarks"
	echo
	echo "One run of \`make bench\` (BENCH_RUNS=${BENCH_RUNS:-3}${BENCH_ONLY:+, BENCH_ONLY=$BENCH_ONLY}), started $(date -u '+%Y-%m-%d %H:%M UTC'),"
	echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)'). How each figure is taken: bench/README.md."
	echo
	echo "- Machine: $(uname -n), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; $(. /etc/os-release; echo "$PRETTY_NAME")"
	echo "- Host kernel $(uname -r); guest kernel $(ls -1 /lib/modules | sort -V | tail -n1) (the same for every tool)"
	echo "- Load at the start: $(uptime | sed 's/^ *//'). The machine is shared with other VM runs: compare ratios within one table."
	echo "- Versions: QEMU $(ver qemu-system-x86), dracut-core $(ver dracut-core), initramfs-tools-core $(ver initramfs-tools-core)," \
	     "live-boot $(debver live-boot) (extracted, not installed), klibc-utils $(ver klibc-utils), busybox-static $(ver busybox-static)," \
	     "nginx-light $(ver nginx-light), nfs-ganesha $(ver nfs-ganesha), dnsmasq $(ver dnsmasq-base), tftpd-hpa $(ver tftpd-hpa)," \
	     "atftpd $(debver atftpd) (extracted, not installed), curl $(ver curl), wget $(ver wget), zstd $(ver zstd), systemd (Debian root) $(cat "$BUILD/debian/root/var/lib/dpkg/status" 2>/dev/null | awk '/^Package: systemd$/ {p=1} p && /^Version:/ {print $2; exit}')"
	echo
} > "$out"
failed=()
for s in "${scripts[@]}"; do
	say "running $s"
	t0=$SECONDS
	[ "$s" = "${scripts[0]}" ] || echo >> "$out"   # a blank line between sections
	timeout -k 30 "${BENCH_SCRIPT_TIMEOUT:-5400}" bash "$s" | tee -a "$out"
	rc=${PIPESTATUS[0]}
	say "$s finished in $((SECONDS - t0)) s (exit $rc)"
	if [ "$rc" != 0 ]; then
		failed+=("$s")
		printf '\n**%s exited with status %s** (see its messages on stderr); its figures above may be incomplete.\n\n' "$s" "$rc" | tee -a "$out"
	fi
	done_n=$((${done_n:-0} + 1))
	# A full run keeps bench/RESULTS.md current, so a run cut short still
	# leaves the sections it finished (marked as such).
	if [ -z "${BENCH_ONLY:-}" ]; then
		{ cat "$out"; printf '\n---\nRun in progress or cut short: %s of %s scripts done (%s), %s.\n' \
			"$done_n" "${#scripts[@]}" "$s" "$(date -u '+%H:%M UTC')"; } > bench/RESULTS.md
	fi
done
{
	echo
	echo "---"
	echo "Finished $(date -u '+%Y-%m-%d %H:%M UTC') after $(( (SECONDS - T0) / 60 )) min; load at the end: $(uptime | sed 's/^ *//')."
	[ ${#failed[@]} = 0 ] || echo "Scripts that exited non-zero: ${failed[*]} (their failed cells say why)."
} >> "$out"
if [ -z "${BENCH_ONLY:-}" ]; then cp "$out" bench/RESULTS.md; say "results in $out and bench/RESULTS.md"
else say "results in $out (BENCH_ONLY: bench/RESULTS.md is written by a full run only)"; fi
[ ${#failed[@]} = 0 ] || { say "failed: ${failed[*]}"; exit 1; }
