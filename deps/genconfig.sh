#!/bin/sh
# Turn .config into build/include/netinit_config.h: every symbol of Kconfig
# becomes a CFG_<NAME> constant, bools as 0/1 (absent = 0), ints as numbers,
# so that `if (CFG_X)` always compiles.
#   genconfig.sh KCONFIG DOTCONFIG OUT
set -eu
kconfig=$1 dotconfig=$2 out=$3
tmp=$out.tmp
awk -v dot="$dotconfig" '
BEGIN {
	while ((getline line < dot) > 0) {
		if (line ~ /^CONFIG_[A-Za-z0-9_]+=/) {
			k = line; sub(/=.*/, "", k); sub(/^CONFIG_/, "", k)
			v = line; sub(/^[^=]*=/, "", v)
			val[k] = v
		}
	}
	print "/* Generated from Kconfig and .config by deps/genconfig.sh: do not edit. */"
	print "#ifndef NETINIT_CONFIG_H"
	print "#define NETINIT_CONFIG_H"
}
/^config[ \t]+/ { name = $2; next }
/^[ \t]+(bool|int)/ && name != "" {
	type = $1
	if (type == "bool")
		printf "#define CFG_%s %d\n", name, (val[name] == "y") ? 1 : 0
	else
		printf "#define CFG_%s %s\n", name, (name in val) ? val[name] : 0
	name = ""
}
END { print "#endif" }
' "$kconfig" > "$tmp"
if [ -f "$out" ] && cmp -s "$tmp" "$out"; then rm -f "$tmp"; else mv "$tmp" "$out"; fi
