#!/bin/bash
# VM test: a real iPXE runs the iPXE scripts netinit-export rendered.  The
# site (test-vm/site.sh) gets "bootfile = ipxe/boot.ipxe": dnsmasq hands the
# node that file name, the e1000 NIC's option ROM (Debian's ipxe-qemu, iPXE)
# fetches boot.ipxe over TFTP, chains the node's own <mac>.ipxe, loads the
# kernel and initramfs it names, and netinit boots the signed image with
# the command line of that script.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
SITE_EXTRA_DROPIN='[site]
bootfile = ipxe/boot.ipxe
outputs = dnsmasq ipxe nginx manifests tftp'
. test-vm/site.sh
SITE=$PWD/$BUILD/site-ipxe
[ "$(id -u)" = 0 ] || { echo "FAIL: ipxe: cannot run: needs root (network namespace)"; exit 1; }
trap site_down EXIT
site_build || exit 1
site_up || exit 1
if grep -q '^dhcp-boot=tag:netinit-boot0,ipxe/boot.ipxe,,10.77.0.1$' "$SITE/out/dnsmasq.conf"; then
	echo "PASS: ipxe: dnsmasq hands out the rendered ipxe/boot.ipxe"
else
	echo "FAIL: ipxe: the rendered dnsmasq.conf has no dhcp-boot for ipxe/boot.ipxe"; vm_failures=$((vm_failures + 1))
fi
for f in ipxe/boot.ipxe ipxe/52-54-00-77-00-01.ipxe netinit/vmlinuz netinit/initramfs.img; do
	[ -s "$SITE/tftp/$f" ] && echo "PASS: ipxe: render wrote tftp/$f" ||
		{ echo "FAIL: ipxe: render did not write tftp/$f"; vm_failures=$((vm_failures + 1)); }
done
[ ! -e "$SITE/tftp/pxelinux.0" ] && echo "PASS: ipxe: no pxelinux.0 in the TFTP tree (no node boots it)" ||
	{ echo "FAIL: ipxe: render tftp placed pxelinux.0 though no node boots it"; vm_failures=$((vm_failures + 1)); }
site_boot ipxe-node1 52:54:00:77:00:01 300
n=ipxe-node1
vm_expect $n 'iPXE' "the NIC's option ROM is iPXE"
vm_expect $n 'tftp://10\.77\.0\.1/ipxe/boot\.ipxe\.\.\. ok' "iPXE fetched the rendered boot.ipxe"
vm_expect $n '^52-54-00-77-00-01\.ipxe\.\.\. ok' "boot.ipxe chained the node's own script (\${mac:hexhyp}.ipxe)"
if grep -q "sent $SITE/tftp/ipxe/52-54-00-77-00-01.ipxe to 10.77.0.11" "$SITE/log/dnsmasq.log"; then
	echo "PASS: $n: dnsmasq's TFTP served ipxe/52-54-00-77-00-01.ipxe (the node's rendered script)"
else
	echo "FAIL: $n: dnsmasq never served ipxe/52-54-00-77-00-01.ipxe"; vm_failures=$((vm_failures + 1))
fi
vm_expect $n 'tftp://10\.77\.0\.1/netinit/vmlinuz\.\.\. .*ok' "the node's script loaded the kernel"
vm_expect $n 'tftp://10\.77\.0\.1/netinit/initramfs\.img\.\.\. .*ok' "and the initramfs"
vm_reject $n 'PXELINUX' "pxelinux is not involved"
vm_expect $n 'Command line: .*root=http://10\.77\.0\.1/netinit/images/demo/root\.squashfs .*BOOTIF=01-52-54-00-77-00-01' "the kernel runs with the script's command line (BOOTIF included)"
vm_expect $n 'netinit dhcp: eth0: lease 10\.77\.0\.11/24 from 10\.77\.0\.1' "netinit got node1's reservation"
vm_expect $n 'NETINIT-TEST rootmark=booted-from-signed-squashfs' "the node booted the signed image"
vm_expect $n 'NETINIT-TEST hostname=node1' "as node1"
vm_result
