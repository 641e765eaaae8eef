#!/bin/bash
# `make check`: install what is missing, build, then every test tier:
#   build (default and allnoconfig), unit (cmocka), fuzz (bounded libFuzzer
#   runs), integration (real servers on loopback / in namespaces), pkg (make
#   install, the Debian package in a debootstrapped root), vm (QEMU).
# Each tier prints PASS:/FAIL: lines; a tier that cannot run fails loudly.
# The last line is the total: "check: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
log=$BUILD/check
mkdir -p "$log"
tiers_failed=()

tier() { # name command...
	local name=$1; shift
	echo "==== tier $name: $* ===="
	local t0=$SECONDS
	"$@" 2>&1 | tee "$log/$name.log"
	local rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ]; then
		tiers_failed+=("$name")
		grep -q '^FAIL: ' "$log/$name.log" || echo "FAIL: tier $name: exited with status $rc" | tee -a "$log/$name.log"
	fi
	echo "==== tier $name: $([ "$rc" = 0 ] && echo ok || echo FAILED) ($((SECONDS - t0)) s) ===="
}

build_tier() {
	make -j"$(nproc)" all || { echo "FAIL: build: make all"; return 1; }
	echo "PASS: build: make all"
	if file build/init | grep -q 'statically linked'; then echo "PASS: build: build/init is statically linked"
	else echo "FAIL: build: build/init is not statically linked: $(file -b build/init)"; return 1; fi
	# Every feature off must still compile (CFG_* constants, not #ifdef forests).
	if make -j"$(nproc)" BUILD=build/allno KCONFIG_CONFIG=build/allno/.config allnoconfig >/dev/null &&
	   make -j"$(nproc)" BUILD=build/allno KCONFIG_CONFIG=build/allno/.config build/allno/init >/dev/null; then
		echo "PASS: build: allnoconfig build/allno/init"
	else echo "FAIL: build: allnoconfig does not compile"; return 1; fi
	make initramfs || { echo "FAIL: build: make initramfs"; return 1; }
	echo "PASS: build: make initramfs ($(stat -c %s build/initramfs.img) bytes)"
}

integration_tier() {
	local rc=0 n=0
	for t in tests/integration/*.sh; do
		[ -x "$t" ] || continue
		n=$((n + 1))
		echo "-- $t"
		timeout -k 10 900 "$t" || { rc=1; echo "FAIL: integration: $t exited non-zero"; }
	done
	[ $n -gt 0 ] || echo "note: no integration tests yet"
	return $rc
}

tier deps bash .ci/install-deps
tier build build_tier
tier unit make -j"$(nproc)" unit
tier fuzz make -j"$(nproc)" fuzz-smoke
tier integration integration_tier
tier pkg bash tests/pkg/run.sh
tier vm bash test-vm/run-tests.sh

passed=$(cat "$log"/*.log | grep -c '^PASS: ')
failed=$(cat "$log"/*.log | grep -c '^FAIL: ')
echo
if [ ${#tiers_failed[@]} -gt 0 ]; then echo "tiers failed: ${tiers_failed[*]}"; fi
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ ${#tiers_failed[@]} = 0 ]
