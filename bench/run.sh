#!/bin/bash
# `make bench`: install what the benchmarks need, then run bench/boot.sh and
# every other bench/*.sh, collecting their markdown output in
# build/bench/results.md (also printed).  Progress goes to stderr.
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
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
			--no-install-recommends "${missing[@]}" >&2
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

# ---- the scripts: boot first, then the others in name order ----
scripts=(bench/boot.sh)
for s in bench/*.sh; do
	case $s in bench/run.sh|bench/boot.sh) continue ;; esac
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

{
	echo "# netinit benchmarks"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)'), $(uname -n)."
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
done
say "results in $out"
[ ${#failed[@]} = 0 ] || { say "failed: ${failed[*]}"; exit 1; }
