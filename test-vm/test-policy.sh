#!/bin/bash
# Creates a network namespace: run it under the shared lock,
#   flock /tmp/netinit-test.lock bash test-vm/test-policy.sh
# VM tests of the failure policy, the rescue shell and the report
# (doc/failure.md):
#   1. rd.break=pre-mount: the summary, a shell the test drives, the boot
#      continues; the timings line and /run/netinit/timings in the new root;
#   2. rd.shell with nobody at the console: the shell ends after
#      netinit.shell.timeout=, the policy reboots (QEMU exits);
#   3. on a namespace network (udhcpd with log server option 7): a failing
#      hook fails the boot, the report reaches a syslog listener (RFC 5424)
#      and an HTTP listener (netinit.report=), and the default policy reboots;
#   4. a 20 s lease survives a long download;
#   5. the watchdog armed and left armed for a real init that never feeds it;
#   6. the watchdog's stuck path: a hook beyond netinit.watchdog.stuck=.
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/hooklib.sh
disk=$VM_DIR/root-policy.ext4
bash test-vm/mkroot.sh --ext4 "$disk" >/dev/null || { echo "FAIL: policy: cannot build the root disk"; exit 1; }
drive=(-drive "file=$disk,if=virtio,format=raw,snapshot=on")
t_all=$(date +%s)

# 1. rd.break=pre-mount
n=policy-break
vm_start $n 120 "root=LABEL=netroot rd.timeout=30 rd.break=pre-mount" "${drive[@]}"
if vm_wait_for $n 'netinit:pre-mount# ' 60 "rd.break=pre-mount gives a shell prompt on the console"; then
	vm_expect $n '======== netinit rescue shell: pre-mount' "the shell is preceded by the summary"
	vm_expect $n '^root: +LABEL=netroot \(block\)' "the summary names the root source"
	vm_expect $n '^last log lines:' "and the last log lines"
	vm_send $n $'echo SHELL-SAYS $((6*7))\n'
	vm_wait_for $n '^SHELL-SAYS 42' 30 "a command typed in the shell runs and its output comes back"
	vm_send $n $'exit\n'
	vm_wait_for $n 'NETINIT-TEST done' 60 "the boot continues after exit"
	vm_expect $n 'netinit switch_root: timings: cmdline=[0-9.]+ pre-udev=[0-9.]+ pre-mount=[0-9.]+ mount=[0-9.]+ post-mount=[0-9.]+ pre-pivot=[0-9.]+ kernel=[0-9.]+ total=[0-9.]+' "one timings line at switch_root, every stage"
	vm_expect $n 'NETINIT-TEST timings=cmdline=[0-9.]+ .*total=' "/run/netinit/timings (key=value) in the booted system"
	vm_expect $n 'NETINIT-TEST summary=result=ok ' "/run/netinit/boot-summary in the booted system"
fi
vm_wait $n

# 2. rd.shell and nobody at the console: bounded, then the policy.
n=policy-noinput
t0=$(date +%s)
vm_run $n 120 "root=LABEL=missing rd.timeout=2 rd.shell netinit.shell.timeout=5 netinit.retries=0 panic=1" "${drive[@]}"
rc=$?
vm_expect $n 'netinit:mount# ' "rd.shell started a shell for the failed mount"
vm_expect $n '^failure: +could not mount the root filesystem' "its summary names the failure"
vm_expect $n '^\[[0-9.]+\] mount: ERROR: root device LABEL=missing did not appear' "and its last log lines say why"
vm_expect $n 'no one at the console \(no input for 5 s, or EOF\): shell ended' "with no input the shell ends after netinit.shell.timeout=5"
vm_expect $n 'will reboot in 1 s' "then the failure policy acts"
if [ $rc = 0 ]; then echo "PASS: $n: the node rebooted by itself ($(( $(date +%s) - t0 )) s)"
else echo "FAIL: $n: QEMU did not exit (rc $rc): the headless node was stuck"; vm_failures=$((vm_failures + 1)); fi

# 5. The watchdog (QEMU's i6300esb; its driver loaded by a pre-udev hook):
#    armed during the boot, left armed at switch_root; the test root's init
#    never feeds it, so the machine resets (QEMU exits) while it hangs.
n=watchdog
wtree=$VM_DIR/watchdog-tree; rm -rf "$wtree"; mkdir -p "$wtree/lib/wd"
wd=/lib/modules/$KVER/kernel/drivers/watchdog
cp "$wd/watchdog.ko" "$wd/i6300esb.ko" "$wtree/lib/wd/" 2>/dev/null
hook pre-udev 10-watchdog "$wtree" <<'H'
#!/bin/sh
insmod /lib/wd/watchdog.ko && insmod /lib/wd/i6300esb.ko && echo "i6300esb loaded"
H
if [ -f "$wtree/lib/wd/i6300esb.ko" ] && hooks_initrd "$wtree" "$VM_DIR/initramfs-watchdog.img"; then
	t0=$(date +%s)
	VM_INITRD=$VM_DIR/initramfs-watchdog.img vm_run $n 150 "root=LABEL=netroot rd.timeout=30 panic=1 test.hang=140" \
		-device i6300esb "${drive[@]}"
	rc=$? took=$(( $(date +%s) - t0 ))
	vm_expect $n 'netinit watchdog: /dev/watchdog \(i6300ESB timer\) armed, timeout [0-9]+ s' "the watchdog is opened once its driver is there"
	vm_expect $n 'netinit watchdog: left armed for the real init' "it is left armed at switch_root"
	vm_expect $n 'NETINIT-TEST hanging 140 s' "the real init runs (and never feeds it)"
	vm_reject $n 'NETINIT-TEST hang over' "the machine was reset before the hang ended"
	if [ $rc = 0 ]; then echo "PASS: $n: the watchdog reset the machine (QEMU exited after $took s)"
	else echo "FAIL: $n: no reset by the watchdog (rc $rc)"; vm_failures=$((vm_failures + 1)); fi
else
	echo "FAIL: $n: cannot run: no i6300esb.ko for $KVER or no initramfs"; vm_failures=$((vm_failures + 1))
fi

# 6. The watchdog's stuck path: i6300esb in the initramfs's module list
#    (netinit-mkinitramfs --modules), loaded by coldplug; a pre-mount hook
#    that sleeps 300 s, below its own timeout (400 s) but beyond
#    netinit.watchdog.stuck=15: netinit stops feeding, the watchdog resets the
#    machine (QEMU exits under -no-reboot) long before the hook would end.
n=watchdog-stuck
stree=$VM_DIR/watchdog-stuck-hooks; rm -rf "$stree"; mkdir -p "$stree/pre-mount"
cat > "$stree/pre-mount/50-stuck" <<'H'
#!/bin/sh
# netinit-timeout: 400
echo "stuck: sleeping 300 s"
sleep 300
echo "stuck: woke up"
H
chmod 755 "$stree/pre-mount/50-stuck"
sinitrd=$VM_DIR/initramfs-watchdog-stuck.img
if bash mkinitramfs/netinit-mkinitramfs --kver "$KVER" --init "$BUILD/init.stripped" --modules i6300esb --module-compress none \
	--hooks "$stree" --output "$sinitrd" 2> "$VM_DIR/$n-mkinitramfs.log"; then
	t0=$(date +%s)
	VM_INITRD=$sinitrd vm_run $n 240 "root=LABEL=netroot rd.timeout=30 panic=1 netinit.watchdog.stuck=15" \
		-device i6300esb "${drive[@]}"
	rc=$? took=$(( $(date +%s) - t0 ))
	vm_expect $n 'netinit watchdog: /dev/watchdog \(i6300ESB timer\) armed, timeout [0-9]+ s; .*\(stuck after 15 s\)' "coldplug loaded i6300esb from the module list; netinit armed it with netinit.watchdog.stuck=15"
	vm_expect $n 'netinit pre-mount: hook 50-stuck: stuck: sleeping 300 s' "the stuck hook runs (timeout 400 s)"
	vm_expect $n 'netinit watchdog: ERROR: no progress for 15 s \(netinit.watchdog.stuck=\): no longer feeding /dev/watchdog' "after 15 s without progress netinit says so and stops feeding"
	vm_reject $n 'stuck: woke up|still running after 400 s|netinit switch_root' "the boot never got past the stuck hook"
	vm_reject $n 'Kernel panic|reboot: |will reboot' "no panic, no reboot by netinit or the kernel: the reset is the watchdog's"
	if [ $rc = 0 ] && [ $took -lt 200 ]; then echo "PASS: $n: the watchdog reset the stuck node (QEMU exited after $took s, the hook alone would take 300 s)"
	else echo "FAIL: $n: no reset by the watchdog (rc $rc after $took s)"; vm_failures=$((vm_failures + 1)); fi
else
	echo "FAIL: $n: cannot run: netinit-mkinitramfs --modules i6300esb failed ($(tail -n 2 "$VM_DIR/$n-mkinitramfs.log"))"; vm_failures=$((vm_failures + 1))
fi

# 3. The report on a namespace network (run the script under the shared lock: flock /tmp/netinit-test.lock).
n=policy-report
out=$VM_DIR/report; rm -rf "$out"; mkdir -p "$out"
trap site_net_down EXIT
ok=1
site_net_up "$out" "opt hostname node37" "opt lease 600" || ok=0
tree=$VM_DIR/policy-tree; rm -rf "$tree"
hook pre-mount 50-broken "$tree" <<'H'
#!/bin/sh
echo "checking the site's storage... not there"
exit 4
H
initrd=$VM_DIR/initramfs-policy.img
hooks_initrd "$tree" "$initrd" || ok=0
if [ $ok = 1 ]; then
	t0=$(date +%s)
	VM_INITRD=$initrd site_net_boot $n 150 \
		'root=LABEL=netroot rd.timeout=30 ip=dhcp rd.neednet=1 netinit.retries=0 netinit.report=http://10.79.0.1:8080/netinit/report' \
		52:54:00:79:00:37 "${drive[@]}"
	rc=$?
	echo "note: $n: $(( $(date +%s) - t0 )) s"
	vm_expect $n 'netinit pre-mount: hook 50-broken: checking the site' "the failing hook's output is logged"
	vm_expect $n 'hook 50-broken failed: exit status 4' "its exit status is named"
	vm_expect $n 'netinit report: sent [0-9]+ syslog lines to 10.79.0.1:514 \(DHCP log server\)' "the report went to the DHCP log server (option 7)"
	vm_expect $n 'report sent to http://10.79.0.1:8080/netinit/report \(HTTP 200\)' "and to netinit.report= by HTTP POST"
	vm_expect $n 'will reboot in 10 s' "the default policy: reboot after 10 s"
	if [ $rc = 0 ] && vm_text $n | grep -aq 'will reboot'; then echo "PASS: $n: the node rebooted (QEMU exited under -no-reboot)"
	else echo "FAIL: $n: the node did not reboot (rc $rc)"; vm_failures=$((vm_failures + 1)); fi
	sl=$out/syslog.txt
	if grep -aqE '^<27>1 [0-9TZ:.-]+ node37 netinit 1 boot-report - result=failed$' "$sl" 2>/dev/null; then
		echo "PASS: $n: the syslog listener got an RFC 5424 message (PRI 27 = daemon.err, version 1, host node37)"
	else echo "FAIL: $n: no RFC 5424 'result=failed' line at the syslog listener ($(head -c 300 "$sl" 2>/dev/null))"; vm_failures=$((vm_failures + 1)); fi
	for kv in 'stage=pre-mount' 'error=pre-mount hooks failed' 'hostname=node37' 'mac=52:54:00:79:00:37' 'ip=10.79.0.5[0-9]/24' 'timings=cmdline=' 'log=.*hook 50-broken: checking'; do
		if grep -aqE " boot-(report|log) - $kv" "$sl" 2>/dev/null; then echo "PASS: $n: syslog report has $kv"
		else echo "FAIL: $n: syslog report lacks $kv"; vm_failures=$((vm_failures + 1)); fi
		if grep -aqE "^$kv" "$out/http.txt" 2>/dev/null; then echo "PASS: $n: HTTP report has $kv"
		else echo "FAIL: $n: HTTP report lacks $kv"; vm_failures=$((vm_failures + 1)); fi
	done
	grep -aq '^POST /netinit/report text/plain' "$out/http.txt" 2>/dev/null && echo "PASS: $n: the HTTP report is a text/plain POST to the URL's path" ||
		{ echo "FAIL: $n: no POST to /netinit/report"; vm_failures=$((vm_failures + 1)); }
else
	echo "FAIL: $n: cannot run: the namespace network or the initramfs could not be set up"; vm_failures=$((vm_failures + 1))
fi
site_net_down; trap - EXIT

# 4. A 20 s lease and a download that takes ~50 s: renewed at T1, the address
#    stays, the renewed lease is handed over (RFC 2131 section 4.4.5).
n=lease-renew
out=$VM_DIR/renew; rm -rf "$out"; mkdir -p "$out/www"
trap site_net_down EXIT
ok=1
bash test-vm/mkroot.sh "$out/tree" >/dev/null && (cd "$out/tree" && find . | cpio --quiet -o -H newc -R 0:0) | gzip -1 > "$out/www/root.cpio.gz" || ok=0
SLOW_SECONDS=50 site_net_up "$out" "opt lease 20" || ok=0
if [ $ok = 1 ]; then
	t0=$(date +%s)
	site_net_boot $n 240 'root=http://10.79.0.1:8080/slow/root.cpio.gz ip=dhcp panic=1' 52:54:00:79:00:38
	echo "note: $n: $(( $(date +%s) - t0 )) s"
	vm_expect $n 'netinit dhcp: eth0: lease 10.79.0.5[0-9]/24 from 10.79.0.1, 20 s' "a 20 s lease"
	vm_expect $n 'netinit dhcp: eth0: renewing the lease of 10.79.0.5[0-9] \(1[0-9] s of 20 gone\)' "renewal starts at T1 (10 s) during the download"
	vm_expect $n 'netinit dhcp: eth0: lease of 10.79.0.5[0-9] renewed: 20 s' "the server's DHCPACK renews it"
	vm_reject $n 'netinit dhcp: eth0: rebinding' "no need to rebind: every renewal answered in time"
	vm_expect $n 'NETINIT-TEST rootmark=netinit-test-root' "the slow download completed and booted"
	vm_expect $n 'NETINIT-TEST addr=eth0 10.79.0.5[0-9]/24' "the address is still there in the booted system"
	ob=$(vm_text $n | grep -aoE "lease-eth0.conf OBTAINED_UPTIME='[0-9]+" | sed 's/.*=.//' | head -n1)
	if [ -n "$ob" ] && [ "$ob" -ge 30 ]; then echo "PASS: $n: the handed-over lease is the renewed one (obtained at ${ob} s)"
	else echo "FAIL: $n: the handed-over lease is not the renewed one (OBTAINED_UPTIME=${ob:-none})"; vm_failures=$((vm_failures + 1)); fi
else
	echo "FAIL: $n: cannot run: the namespace network or the image could not be set up"; vm_failures=$((vm_failures + 1))
fi
site_net_down; trap - EXIT
echo "note: policy tests: $(( $(date +%s) - t_all )) s"
vm_result
