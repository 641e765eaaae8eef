#!/bin/bash
# Run cmocka unit-test binaries; print PASS:/FAIL: per test case.
set -uo pipefail
fail=0
for t in "$@"; do
	name=$(basename "$t")
	out=$("$t" 2>&1); rc=$?
	echo "$out" | sed -n 's/^\[       OK \] \(.*\)$/PASS: unit: '"$name"': \1/p'
	echo "$out" | sed -n 's/^\[  FAILED  \] \([^ ].*\)$/FAIL: unit: '"$name"': \1/p' | grep -v 'test(s), listed below' || true
	if [ $rc != 0 ]; then
		fail=1
		echo "FAIL: unit: $name exited with status $rc"
		echo "$out" | grep -vE '^\[ (RUN|      OK) ' | tail -n 30
	fi
done
exit $fail
