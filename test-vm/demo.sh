#!/bin/bash
# `make demo`: boot a node in QEMU with netinit and show what happened.
# Builds the test root, boots it, prints the console with netinit's stage
# messages and the timings.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
disk=$VM_DIR/demo-root.ext4
bash test-vm/mkroot.sh --ext4 "$disk" || exit 1
echo "demo: booting $VM_KERNEL with $VM_INITRD ($(stat -c %s "$VM_INITRD") bytes) under QEMU (TCG)..."
VM_NETDEV_EXTRA=",hostname=demo-node" vm_run demo 180 "root=LABEL=netroot rd.timeout=30 -- demo" \
	-drive "file=$disk,if=virtio,format=raw,snapshot=on"
log=$(vm_log demo)
echo "==== netinit's messages (console) ===="
grep -a 'netinit ' "$log" | grep -av NETINIT-KMSG | sed 's/\r$//'
echo "==== what the booted root saw ===="
grep -a 'NETINIT-TEST' "$log" | sed 's/\r$//'
if grep -aq 'NETINIT-TEST done' "$log"; then
	up=$(grep -aoE 'netinit switch_root: freed' "$log" >/dev/null && grep -aE '^\[ *[0-9]+\.[0-9]+\] netinit switch_root' "$log" | grep -oE '[0-9]+\.[0-9]+' | head -n1)
	echo "demo: OK — the node booted; netinit handed over at ${up:-?} s after kernel start (QEMU wall time ${VM_ELAPSED}s)"
	echo "demo: full console log: $log"
else
	echo "demo: FAILED — see $log"; vm_log_tail demo; exit 1
fi
