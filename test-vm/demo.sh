#!/bin/bash
# `make demo`: a diskless node booted end to end on one machine.
#
#  1. netinit-export renders the site's servers' configuration from drop-ins
#     (build/site/etc): dnsmasq host entries + PXE, pxelinux.cfg per MAC, the
#     nginx snippet, and a signed manifest for the squashfs image;
#  2. dnsmasq (DHCP + TFTP) and nginx (HTTP) start in a network namespace;
#  3. a QEMU node PXE-boots: iPXE -> pxelinux -> kernel + netinit initramfs,
#     DHCP, signed image over HTTP, verified, loop-mounted with an overlay,
#     switch_root into the image's init;
#  4. the boot log, what the node saw, and the timings are shown.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/site.sh
[ "$(id -u)" = 0 ] || { echo "demo: needs root (network namespace, tap device)"; exit 1; }
trap site_down EXIT
echo "demo: rendering the site with netinit-export and building the image..."
site_build || exit 1
echo "---- drop-ins (build/site/etc) ----"
sed 's/^/  /' "$SITE/etc/nodes.d/10-demo.conf"
echo "---- rendered by netinit-export ----"
grep -v '^#' "$SITE/out/dnsmasq.conf" | sed 's/^/  dnsmasq: /'
grep APPEND "$SITE/tftp/pxelinux.cfg/01-52-54-00-77-00-01" | sed 's/^ */  pxelinux.cfg\/01-52-54-00-77-00-01: /'
sed 's/^/  manifest: /' "$SITE/images/demo/root.squashfs.manifest"
echo "  initramfs: $(stat -c %s "$SITE/tftp/netinit/initramfs.img") bytes; init $(stat -c %s build/init.stripped) bytes (static)"
site_up || exit 1
echo "demo: dnsmasq and nginx are up on 10.77.0.1 (namespace $SITE_NS); PXE-booting node1 in QEMU (TCG, about a minute)..."
site_boot demo 52:54:00:77:00:01 300
log=$BUILD/vm/demo.log
echo "==== node1's console: firmware, then netinit ===="
grep -aE 'PXELINUX|Loading netinit|netinit [a-z_-]+:' "$log" | grep -av NETINIT-KMSG | sed 's/\r$//; s/\x1b\[[0-9;]*[A-Za-z]//g'
echo "==== what the booted root saw ===="
grep -a 'NETINIT-TEST' "$log" | sed 's/\r$//'
echo "==== the servers saw ===="
grep -E 'DHCPACK|sent .*pxelinux|sent .*initramfs' "$SITE/log/dnsmasq.log" | sed 's/^.*dnsmasq/  dnsmasq/' | head -n 8
sed 's/^/  nginx: /' "$SITE/log/nginx-access.log"
if grep -aq 'NETINIT-TEST done' "$log"; then
	handover=$(grep -aE 'netinit switch_root: freed' "$log" | grep -oE '^\[ *[0-9]+\.[0-9]+' | tr -d '[ ')
	echo "demo: OK: node1 booted diskless from a signed image; real init started ${handover:-?} s after the kernel (QEMU wall time incl. firmware and PXE: ${SITE_ELAPSED}s)"
	echo "demo: full console log: $log; server logs: $SITE/log/"
else
	echo "demo: FAILED: see $log"; vm_log_tail demo; exit 1
fi
