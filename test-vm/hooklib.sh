#!/bin/bash
# Helpers for the hook and failure-policy VM tests (source after lib.sh).
#
#   hooks_initrd TREE OUT   OUT = $BUILD/initramfs.img with TREE appended as a
#                           second cpio archive (the kernel unpacks
#                           concatenated archives in order, later files win:
#                           Documentation/driver-api/early-userspace/
#                           buffer-format.rst), so a test adds hooks without
#                           rebuilding the initramfs; TREE/etc/netinit/hooks/...
#   hook STAGE NAME TREE    write stdin to TREE/etc/netinit/hooks/STAGE/NAME, +x
hooks_initrd() {
	local tree=$1 out=$2
	if [ ! -r "$BUILD/initramfs.img" ]; then
		make -s initramfs >/dev/null 2>&1 || { echo "FAIL: hooks: cannot run: make initramfs failed"; return 1; }
	fi
	# Zero padding to 4 bytes between the two: the kernel skips zeros
	# between archives and needs the cpio header aligned.
	local size; size=$(stat -c %s "$BUILD/initramfs.img")
	{ cat "$BUILD/initramfs.img"; head -c $(( (4 - size % 4) % 4 )) /dev/zero; (cd "$tree" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0); } > "$out"
}
hook() {
	local stage=$1 name=$2 tree=$3
	mkdir -p "$tree/etc/netinit/hooks/$stage"
	cat > "$tree/etc/netinit/hooks/$stage/$name"
	chmod 755 "$tree/etc/netinit/hooks/$stage/$name"
}
