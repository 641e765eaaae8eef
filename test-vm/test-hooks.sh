#!/bin/bash
# Creates a network namespace: run it under the shared lock,
#   flock /tmp/netinit-test.lock bash test-vm/test-hooks.sh
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
bad=$(for f in $fds; do case $f in [012]:/dev/console|[012]:"/dev/console_(deleted)"|[012]:/dev/ttyS0|*:/sbin/init) ;; *) echo "$f" ;; esac; done)
if [ -n "$fds" ] && [ -z "$bad" ]; then echo "PASS: $n: the new root's PID 1 holds only the console and its own script ($fds)"
else echo "FAIL: $n: the new root's PID 1 holds fds it did not open: ${bad:-no fd list on the console}"; vm_failures=$((vm_failures + 1)); fi

# 2. The example hooks' other branches, run on the host against scratch roots
#    (rsyslog root; timesyncd and chrony; refusal without a pin).
ex=hooks/examples/post-mount
scratch=$VM_DIR/examples-host; rm -rf "$scratch"; mkdir -p "$scratch/r/etc/rsyslog.d" "$scratch/r/root"
exenv=(env -i PATH=/usr/bin:/bin NETINIT_NEWROOT="$scratch/r" NETINIT_LOGSRV="10.9.9.9 10.9.9.8" NETINIT_NTP="10.9.9.7")
"${exenv[@]}" busybox sh $ex/20-remote-syslog >/dev/null
grep -qx '\*\.\* @10.9.9.9:514' "$scratch/r/etc/rsyslog.d/90-netinit-remote.conf" 2>/dev/null &&
	echo "PASS: examples-host: rsyslog root: forwards *.* to the first DHCP log server" ||
	{ echo "FAIL: examples-host: rsyslog root: no forwarding rule"; vm_failures=$((vm_failures + 1)); }
"${exenv[@]}" busybox sh $ex/30-ntp > "$scratch/ntp.out"
grep -q 'no timesyncd or chrony' "$scratch/ntp.out" && [ ! -e "$scratch/r/etc/chrony" ] &&
	echo "PASS: examples-host: a root without an NTP client is left alone (and told)" ||
	{ echo "FAIL: examples-host: 30-ntp on a root without an NTP client"; vm_failures=$((vm_failures + 1)); }

# 3. The examples in a VM on a namespace network (udhcpd: log server and NTP
#    server options 7 and 42, host name, domain): installed into the
#    initramfs, run against the busybox root; its busybox syslogd forwards to
#    the log server.  Run the script under the shared lock (flock /tmp/netinit-test.lock).
n=examples
out=$VM_DIR/examples; rm -rf "$out"; mkdir -p "$out/www"
trap site_net_down EXIT
tree=$VM_DIR/examples-tree; rm -rf "$tree"; mkdir -p "$tree/etc/netinit/hooks/post-mount" "$tree/etc/netinit/site"
cp -p hooks/examples/post-mount/* "$tree/etc/netinit/hooks/post-mount/"
printf '10.79.0.1\tmaster.cluster.example master\n10.79.0.2\tstorage\n' > "$tree/etc/netinit/site/hosts"
key='ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDNetinitTestKeyNotARealKeyAtAllxxxxxxxxxxxx admin@master'
printf '%s\nnot a key line\n' "$key" > "$out/www/authorized_keys"
pin=$(sha256sum "$out/www/authorized_keys" | cut -d' ' -f1)
initrd=$VM_DIR/initramfs-examples.img
if site_net_up "$out" "opt hostname node37" "opt domain cluster.example" "opt lease 600" && hooks_initrd "$tree" "$initrd"; then
	t0=$(date +%s)
	VM_INITRD=$initrd site_net_boot $n 150 "root=LABEL=netroot rw rd.timeout=30 ip=dhcp rd.neednet=1 panic=1 site.sshkeys=http://10.79.0.1:8080/authorized_keys site.sshkeys.sha256=$pin" \
		52:54:00:79:00:37 "${drive[@]}"
	echo "note: $n: $(( $(date +%s) - t0 )) s"
	vm_expect $n 'hook 20-remote-syslog: busybox syslogd: forwarding to 10.79.0.1:514' "20-remote-syslog: the DHCP log server (option 7) for busybox syslogd"
	vm_expect $n 'NETINIT-TEST file /etc/default/busybox-syslogd: SYSLOG_OPTS="-L -R 10.79.0.1:514"' "its config is in the booted root"
	if grep -aq 'site-test: hello from the booted root' "$out/syslog.txt" 2>/dev/null; then
		echo "PASS: $n: the booted root's busybox syslogd forwarded a message to the log server"
	else echo "FAIL: $n: no message from the booted root's syslogd at the log server ($(tail -c 300 "$out/syslog.txt" 2>/dev/null))"; vm_failures=$((vm_failures + 1)); fi
	vm_expect $n 'NETINIT-TEST file /etc/chrony/sources.d/netinit.sources: server 10.79.0.1 iburst' "30-ntp: chrony gets the option 42 server"
	vm_expect $n 'NETINIT-TEST file /etc/systemd/timesyncd.conf.d/50-netinit.conf: NTP=10.79.0.1' "30-ntp: timesyncd gets NTP= from option 42"
	vm_expect $n 'NETINIT-TEST file /etc/default/distcc: STARTDISTCC="true"' "40-distccd: distccd enabled"
	vm_expect $n 'NETINIT-TEST file /etc/default/distcc: ALLOWEDNETS="10.79.0.0/24"' "40-distccd: the cluster network is its allowed list"
	vm_expect $n 'NETINIT-TEST file /etc/default/distcc: LISTENER="10.79.0.5[0-9]"' "40-distccd: it listens on the node's address"
	vm_expect $n 'hook 50-ssh-keys: http://10.79.0.1:8080/authorized_keys: sha256 verified' "50-ssh-keys: keys from a URL, checked against the pin"
	vm_expect $n "NETINIT-TEST file /root/.ssh/authorized_keys: $key" "the key is in root's authorized_keys"
	vm_reject $n 'NETINIT-TEST file /root/.ssh/authorized_keys: not a key' "lines that are not keys are dropped"
	vm_expect $n 'NETINIT-TEST file /etc/hosts: 10.79.0.5[0-9].node37.cluster.example node37' "60-hosts: the node's own name and address"
	vm_expect $n 'NETINIT-TEST file /etc/hosts: 10.79.0.1.master.cluster.example master' "60-hosts: the site's list"
else
	echo "FAIL: $n: cannot run: the namespace network or the initramfs could not be set up"; vm_failures=$((vm_failures + 1))
fi
site_net_down; trap - EXIT
vm_result
