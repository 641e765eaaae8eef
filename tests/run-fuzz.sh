#!/bin/bash
# Run each libFuzzer target for SECONDS over its seed corpus; a crash fails.
#   run-fuzz.sh SECONDS FUZZER...
set -uo pipefail
secs=$1; shift
fail=0
for f in "$@"; do
	name=$(basename "$f")
	corpus=fuzz/corpus/$name
	work=build/fuzz/work/$name
	mkdir -p "$work" "$corpus"
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/$name-" "$work" "$corpus" > "build/fuzz/$name.log" 2>&1; then
		runs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "build/fuzz/$name.log" | grep -oE '[0-9]+$')
		echo "PASS: fuzz: $name (${runs:-?} inputs in ${secs}s, no crash)"
	else
		fail=1
		echo "FAIL: fuzz: $name found a crash; the input is in build/fuzz/$name-*; add it to $corpus named after the bug"
		tail -n 30 "build/fuzz/$name.log"
	fi
done
exit $fail
