#!/bin/bash
# VM test of the hook runner (doc/hooks.md): a hook at every stage sees the
# documented environment; output reaches the console and the booted system's
# kernel log with the hook's name; a hanging hook is killed at its timeout
# with its children; processes a hook leaves are killed before switch_root;
# a hook inside the (local, trusted) root runs at post-mount; a hostile DHCP
# host name never reaches a hook; the new root's PID 1 inherits no stray fd.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/hooklib.sh
disk=$VM_DIR/root-hooks.ext4
bash test-vm/mkroot.sh --ext4 "$disk" >/dev/null || { echo "FAIL: hooks: cannot build the root disk"; exit 1; }
drive=(-drive "file=$disk,if=virtio,format=raw,snapshot=on")
tree=$VM_DIR/hooks-tree; rm -rf "$tree"

for st in cmdline pre-udev pre-net post-net pre-mount mount post-mount pre-pivot; do
	hook $st 50-env "$tree" <<'H'
#!/bin/sh
# Every NETINIT_* variable, one line each (busybox sh `set` quotes them).
set | grep '^NETINIT_' | sed "s/^/ENV[$NETINIT_STAGE] /"
H
done
hook post-net 60-hostile "$tree" <<'H'
#!/bin/sh
[ -e /tmp/pwned ] && echo "HOSTILE: PWNED" || echo "HOSTILE: clean, hostname=[$NETINIT_HOSTNAME]"
H
hook pre-mount 10-hang "$tree" <<'H'
#!/bin/sh
# netinit-timeout: 3
# netinit-onfail: skip
sleep 1000 &
echo "hanging now"
sleep 1000
H
hook pre-mount 20-after "$tree" <<'H'
#!/bin/sh
echo "SLEEPERS-LEFT=$(ps | grep -c '[s]leep 1000')"
H
hook post-mount 30-daemon "$tree" <<'H'
#!/bin/sh
# A "daemon" left running: it must not survive into the real init.
sleep 999 </dev/null >/dev/null 2>&1 &
echo "started a daemon"
H
initrd=$VM_DIR/initramfs-hooks.img
hooks_initrd "$tree" "$initrd" || exit 1

n=hooks-all
t0=$(date +%s)
VM_INITRD=$initrd VM_NETDEV_EXTRA=',hostname=x$(touch /tmp/pwned)' vm_run $n 150 \
	"root=LABEL=netroot rd.timeout=30 ip=dhcp rd.neednet=1 panic=1" "${drive[@]}"
echo "note: $n: $(( $(date +%s) - t0 )) s"
for st in cmdline pre-udev pre-net post-net pre-mount mount post-mount pre-pivot; do
	vm_expect $n "netinit $st: hook 50-env: ENV\[$st\] NETINIT_STAGE='$st'" "the $st hook ran with NETINIT_STAGE=$st"
done
vm_expect $n "hook 50-env: ENV\[cmdline\] NETINIT_ROOT='LABEL=netroot'" "NETINIT_ROOT names the root source"
vm_expect $n "hook 50-env: ENV\[pre-net\] NETINIT_ROOT_KIND='block'" "NETINIT_ROOT_KIND=block for a disk"
vm_reject $n "ENV\[pre-net\] NETINIT_IP=" "no network values before post-net"
vm_expect $n "ENV\[post-net\] NETINIT_IP='10.0.2.15'" "post-net: NETINIT_IP"
vm_expect $n "ENV\[post-net\] NETINIT_PREFIX='24'" "post-net: NETINIT_PREFIX"
vm_expect $n "ENV\[post-net\] NETINIT_GATEWAY='10.0.2.2'" "post-net: NETINIT_GATEWAY"
vm_expect $n "ENV\[post-net\] NETINIT_DNS='10.0.2.3'" "post-net: NETINIT_DNS"
vm_expect $n "ENV\[post-net\] NETINIT_MAC='52:54:00:12:34:56'" "post-net: NETINIT_MAC"
vm_expect $n "ENV\[post-net\] NETINIT_IFACE='eth0'" "post-net: NETINIT_IFACE"
vm_expect $n "ENV\[post-net\] NETINIT_BOOTSERVER='10.0.2.2'" "post-net: NETINIT_BOOTSERVER (DHCP server id)"
vm_expect $n "ENV\[post-net\] NETINIT_LEASE_FILE='/run/netinit/lease-eth0.conf'" "post-net: the lease file path"
vm_expect $n "ENV\[post-mount\] NETINIT_NEWROOT='/newroot'" "post-mount: NETINIT_NEWROOT"
vm_reject $n "ENV\[mount\] NETINIT_NEWROOT=" "no NETINIT_NEWROOT before post-mount"
vm_expect $n "HOSTILE: clean, hostname=\[\]" "a DHCP host name with shell syntax never reached a hook (left out, nothing ran)"
vm_expect $n "netinit pre-mount: hook 10-hang: hanging now" "a hook's output is logged with its stage and name"
vm_expect $n "hook 10-hang: still running after 3 s \(its timeout\): killing its process group" "the hanging hook is killed at its 3 s timeout"
vm_expect $n "hook 10-hang: failure ignored \(onfail=skip\)" "its onfail=skip lets the boot go on"
vm_expect $n "hook 20-after: SLEEPERS-LEFT=0" "its background child was killed with it (the process group)"
vm_expect $n "ROOT-HOOK ran from the root image, NEWROOT=/newroot kind=block" "a post-mount hook inside the (local) root ran"
vm_expect $n "killing pid [0-9]+ \(sleep\): left running by a hook" "the daemon a hook left is killed before switch_root"
vm_expect $n "NETINIT-TEST strays=0" "no hook process survived into the real init"
vm_expect $n "NETINIT-KMSG-HOOK .*netinit pre-mount: hook 10-hang: hanging now" "hook output is in the booted system's kernel log (journal) with its name"
vm_expect $n "NETINIT-TEST pid=1\b" "the real init ran"
fds=$(vm_text $n | grep -a -m1 'NETINIT-TEST pid1-fds=' | sed 's/.*pid1-fds=//; s/\r$//')
bad=$(for f in $fds; do case $f in [012]:/dev/console|[012]:/dev/console_(deleted)|[012]:/dev/ttyS0|*:/sbin/init) ;; *) echo "$f" ;; esac; done)
if [ -n "$fds" ] && [ -z "$bad" ]; then echo "PASS: $n: the new root's PID 1 holds only the console and its own script ($fds)"
else echo "FAIL: $n: the new root's PID 1 holds fds it did not open: ${bad:-no fd list on the console}"; vm_failures=$((vm_failures + 1)); fi
vm_result
