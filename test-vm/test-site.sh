#!/bin/bash
# VM test: the whole site, as an admin runs it.  netinit-export renders
# dnsmasq + pxelinux.cfg + nginx + a signed manifest from drop-ins; a node
# PXE-boots (iPXE -> pxelinux over dnsmasq's TFTP), netinit takes its lease
# from dnsmasq, fetches and verifies the squashfs from nginx, and boots it.
# A tampered image must not boot.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/site.sh
[ "$(id -u)" = 0 ] || { echo "FAIL: site: cannot run: needs root (network namespace)"; exit 1; }
trap site_down EXIT
site_build || exit 1
site_up || exit 1

site_boot site-node1 52:54:00:77:00:01 300
n=site-node1
vm_expect $n 'PXELINUX [0-9.]+ PXE' "pxelinux runs on the node"
vm_expect $n 'tftp://10\.77\.0\.1/pxelinux\.0\.\.\. ok' "iPXE got pxelinux.0 from dnsmasq's TFTP"
vm_expect $n 'Loading netinit/vmlinuz\.\.\. ok' "pxelinux loaded the kernel named in pxelinux.cfg"
if grep -q 'sent .*/pxelinux.cfg/01-52-54-00-77-00-01 to 10.77.0.11' "$SITE/log/dnsmasq.log"; then
	echo "PASS: $n: dnsmasq served pxelinux.cfg/01-52-54-00-77-00-01 (the file netinit-export rendered)"
else
	echo "FAIL: $n: dnsmasq never served pxelinux.cfg/01-52-54-00-77-00-01"; vm_failures=$((vm_failures + 1))
fi
vm_expect $n 'Command line: .*root=http://10.77.0.1/netinit/images/demo/root.squashfs .*BOOTIF=01-52-54-00-77-00-01' "pxelinux.cfg/01-<mac> rendered by netinit-export carries the command line"
vm_expect $n 'netinit modules: coldplug: .*e1000' "the e1000 NIC driver was loaded by coldplug"
vm_expect $n 'netinit dhcp: eth0: lease 10.77.0.11/24 from 10.77.0.1' "netinit got the rendered reservation from dnsmasq"
vm_expect $n 'netinit verify: manifest of demo 1: .* good signature' "the signed manifest checks against the key in the initramfs"
vm_expect $n 'sha256 [0-9a-f]{64} verified \(signed manifest\)' "the image's hash matches the manifest"
vm_expect $n 'NETINIT-TEST rootmark=booted-from-signed-squashfs' "the node runs the squashfs image"
vm_expect $n 'NETINIT-TEST root=overlay / overlay' "with a volatile overlay on top"
vm_expect $n 'NETINIT-TEST hostname=node1' "the host name from DHCP was set"
if grep -q 'DHCPACK(br0) 10.77.0.11 52:54:00:77:00:01 node1' "$SITE/log/dnsmasq.log" && grep -q 'GET /netinit/images/demo/root.squashfs HTTP/1.1" 200' "$SITE/log/nginx-access.log"; then
	echo "PASS: $n: dnsmasq acked node1 and nginx served the image"
else
	echo "FAIL: $n: dnsmasq/nginx logs do not show the boot"; vm_failures=$((vm_failures + 1))
fi

# Tamper with the image after signing: the same node must refuse to boot it.
printf 'X' | dd of="$SITE/images/demo/root.squashfs" bs=1 seek=4000 conv=notrunc status=none
site_boot site-tampered 52:54:00:77:00:02 300
n=site-tampered
vm_expect $n 'netinit (verify|fetch): .*(sha256|hash).*(mismatch|expected)' "a tampered image is detected with expected and actual hashes"
vm_reject $n 'NETINIT-TEST' "and it does not boot"
vm_expect $n 'will reboot in 5 s' "the failure policy follows (panic=5 from the site's cmdline)"
vm_result
