#!/bin/bash
# The compile farm's job: build a real C project -- netinit itself, ~50 C
# files -- with distcc across the farm's nodes only, then run the result.
#
#   tests/distcc/build.sh OUTDIR HOST:PORT...
#
# DISTCC_HOSTS names the nodes (no localhost) and DISTCC_FALLBACK=0 forbids
# compiling locally when a node fails, so every -c compile ran on a node.
# Prints PASS:/FAIL: lines; exit 0 when the build succeeded and runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: build.sh OUTDIR HOST:PORT...}
shift
mkdir -p "$out/distcc-dir"  # distcc does not create DISTCC_DIR itself
hosts=""
for h in "$@"; do hosts+="$h/2 "; done
export DISTCC_HOSTS=$hosts DISTCC_FALLBACK=0 DISTCC_DIR=$out/distcc-dir DISTCC_LOG=$out/distcc.log DISTCC_VERBOSE=1
t=$(date +%s)
echo "distcc: building netinit in $out/build with DISTCC_HOSTS='$DISTCC_HOSTS'"
# A copy of the committed sources: distcc writes the -MMD dependency files of
# remote compiles into the current directory, which must not be the worktree.
mkdir -p "$out/src"
git archive HEAD | tar -x -C "$out/src" || { echo "FAIL: distcc: cannot copy the sources (git archive)"; exit 1; }
cp .config "$out/src/" 2>/dev/null
# The shared static deps are built already: never let the copy's (newer)
# build script make them stale.
touch -d @0 "$out/src/deps/build-static-deps.sh"
deps=$PWD/build
if make -C "$out/src" -j4 CC="distcc gcc" BUILD="$out/build" DEPS_DIR="$deps" all > "$out/make.log" 2>&1; then
	echo "PASS: distcc: make all with CC='distcc gcc' across $# nodes ($(find "$out/build" -name '*.o' | wc -l) objects, $(($(date +%s) - t)) s)"
else
	echo "FAIL: distcc: make all with distcc failed: $(tail -n 5 "$out/make.log" | tr '\n' ' ')"
	exit 1
fi
# The result runs: sign and verify an image with the tool just built.
head -c 100000 /dev/urandom > "$out/img"
if "$out/build/netinit-sign" keygen "$out/k" >/dev/null && "$out/build/netinit-sign" sign "$out/img" --key "$out/k.sec" >/dev/null &&
   "$out/build/netinit-sign" verify "$out/img" --key "$out/k.pub" >/dev/null &&
   file -b "$out/build/init" | grep -q 'statically linked'; then
	echo "PASS: distcc: the built netinit-sign signs and verifies an image, build/init is a static executable"
else
	echo "FAIL: distcc: the distcc-built tools do not run"
	exit 1
fi
for h in "$@"; do
	n=$(grep -c "exec on $h/" "$out/distcc.log" 2>/dev/null || true)
	echo "note: distcc: client log: $n compiles sent to $h"
done
