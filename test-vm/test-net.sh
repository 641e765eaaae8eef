#!/bin/bash
# VM tests of the network stage: the node gets its lease from QEMU's DHCP
# server (with hostname=) or from a static ip=, and the new root sees the
# host name, the resolv.conf, the lease file and the networkd hand-over.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
disk=$VM_DIR/root-net.ext4
bash test-vm/mkroot.sh --ext4 "$disk" >/dev/null || { echo "FAIL: net-vm: cannot build the root disk"; exit 1; }
drive=(-drive "file=$disk,if=virtio,format=raw,snapshot=on")

n=net-dhcp
VM_NETDEV_EXTRA=",hostname=rack1-node7,dnssearch=cluster.example" vm_run $n 120 \
	"root=LABEL=netroot rw rd.timeout=30 ip=dhcp rd.neednet=1 panic=1" "${drive[@]}"
vm_expect $n 'netinit dhcp: eth0: lease 10.0.2.15/24 from 10.0.2.2' "a DHCP lease from QEMU's server"
vm_expect $n 'NETINIT-TEST hostname=rack1-node7' "the host name from DHCP option 12 is set"
vm_reject $n 'NETINIT-TEST etc-hostname=rack1-node7' "but not written into a local disk root's /etc/hostname (DHCP data stays in /run/netinit/)"
vm_expect $n "NETINIT-TEST lease lease-eth0.conf ADDR='10.0.2.15'" "the lease file under /run/netinit has the address"
vm_expect $n "NETINIT-TEST lease lease-eth0.conf ROUTER='10.0.2.2'" "and the router"
vm_expect $n 'NETINIT-TEST run-resolv=nameserver 10.0.2.3' "resolv.conf for the new root names QEMU's DNS server"
vm_expect $n 'NETINIT-TEST networkd=.*KeepConfiguration=yes' "a networkd drop-in keeps the address under the booted system"
vm_expect $n 'NETINIT-TEST addr=eth0 10.0.2.15/24' "the address is still configured in the booted system"

n=net-static
vm_run $n 120 "root=LABEL=netroot rd.timeout=30 ip=10.0.2.77::10.0.2.2:255.255.255.0:static-node:eth0:off:10.0.2.3 panic=1" "${drive[@]}"
vm_expect $n 'NETINIT-TEST hostname=static-node' "the host name from ip= field 5 is set"
vm_expect $n "NETINIT-TEST lease lease-eth0.conf SOURCE='static'" "the lease file says static"
vm_expect $n 'NETINIT-TEST addr=eth0 10.0.2.77/24' "the static address from ip= is configured"
vm_reject $n 'netinit dhcp: eth0: lease' "no DHCP with a static ip="

n=net-none
VM_NET=none vm_run $n 120 "root=http://10.0.2.2:9/root.cpio ip=dhcp rd.net.timeout.iflink=3 panic=1" "${drive[@]}"
vm_expect $n 'netinit (net|dhcp): ERROR: .*(no .*link|interface)' "no NIC at all: a clear error after rd.net.timeout.iflink"
vm_expect $n 'will reboot in 1 s' "then the failure policy"
vm_result
