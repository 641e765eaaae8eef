#!/bin/bash
# Build the tiny busybox root used by the VM tests.
#   test-vm/mkroot.sh DIR            a root tree in DIR
#   test-vm/mkroot.sh --ext4 IMG     an ext4 disk image (label netroot) of that tree
# Its /sbin/init prints NETINIT-TEST marker lines that the tests assert, then
# powers off (QEMU then exits).
set -euo pipefail
mode=dir
if [ "${1:-}" = --ext4 ]; then mode=ext4; shift; fi
out=${1:?usage: mkroot.sh [--ext4] OUT}
busybox=$(command -v busybox)
file -b "$(readlink -f "$busybox")" | grep -q 'statically linked' || { echo "mkroot: need busybox-static" >&2; exit 1; }

if [ $mode = ext4 ]; then tree=$(mktemp -d); else tree=$out; rm -rf "$tree"; mkdir -p "$tree"; fi
mkdir -p "$tree"/{bin,sbin,etc,proc,sys,dev,run,tmp,var,root,usr/bin,usr/sbin}
cp "$(readlink -f "$busybox")" "$tree/bin/busybox"
for a in sh ls cat echo mount grep sed awk sleep poweroff reboot dmesg cut sort tr head wc \
	 mountpoint hostname ip uname id stat df free ps test [ readlink basename syslogd logger; do
	ln -s busybox "$tree/bin/$a"
done
echo "netinit-test-root" > "$tree/etc/netinit-test-root"
# What the example hooks look for: an NTP client (chrony, timesyncd), distcc.
mkdir -p "$tree/etc/chrony" "$tree/lib/systemd" "$tree/etc/default"
: > "$tree/lib/systemd/systemd-timesyncd"
printf 'STARTDISTCC="false"\nALLOWEDNETS="127.0.0.1"\n' > "$tree/etc/default/distcc"
cat > "$tree/sbin/init" <<'INIT'
#!/bin/sh
# netinit VM test root: report what the test asserts, then power off.
export PATH=/bin:/sbin
m() { echo "NETINIT-TEST $*"; }
m "pid=$$"
# Every fd PID 1 holds: the kernel's console (0-2) and what this script opened
# (busybox sh keeps the script itself open); anything else leaked from netinit.
# Listed by a child into a file: a $(...) or a redirection here would add
# PID 1's own pipe or saved fds.
sh -c 'ls -l /proc/1/fd > /run/pid1-fds 2>&1'
m "pid1-fds=$(sed -n 's/.* \([0-9]*\) -> \(.*\)/\1:\2/p' /run/pid1-fds | tr ' ' _ | tr '\n' ' ')"
m "strays=$(ps | grep -c '[s]leep 99[0-9]')"
[ -f /run/netinit/timings ] && m "timings=$(tr '\n' ' ' < /run/netinit/timings)"
[ -f /run/netinit/boot-summary ] && m "summary=$(tr '\n' ' ' < /run/netinit/boot-summary)"
for d in /proc /sys /dev /run; do
	if grep -q "^[^ ]* $d " /proc/mounts; then m "mounted $d ($(grep "^[^ ]* $d " /proc/mounts | cut -d' ' -f3))"; else m "NOT-mounted $d"; fi
done
m "args=$*"
m "modules=$(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
m "root=$(grep ' / ' /proc/mounts | head -n1)"
m "hostname=$(hostname)"
m "memfree=$(grep MemFree /proc/meminfo | tr -s ' ')"
[ -f /etc/netinit-test-root ] && m "rootmark=$(cat /etc/netinit-test-root)"
[ -d /run/netinit ] && m "run-netinit=$(ls /run/netinit | tr '\n' ' ')"
for f in /run/netinit/lease-*.conf; do
	[ -f "$f" ] && grep -E "^(SOURCE|IFNAME|ADDR|PREFIX|ROUTER|DNS|HOSTNAME|LEASE_TIME|OBTAINED_UPTIME)=" "$f" | sed "s|^|NETINIT-TEST lease $(basename "$f") |"
done
[ -f /run/netinit/resolv.conf ] && m "run-resolv=$(grep nameserver /run/netinit/resolv.conf | tr '\n' ' ')"
[ -f /etc/hostname ] && m "etc-hostname=$(cat /etc/hostname)"
[ -d /run/systemd/network ] && m "networkd=$(cat /run/systemd/network/*.network 2>/dev/null | grep -E '^(Name|KeepConfiguration)=' | tr '\n' ' ')"
m "addr=$(ip -4 -o addr show 2>/dev/null | grep -v ' lo ' | awk '{print $2, $4}' | tr '\n' ' ')"
# What the example hooks (hooks/examples/) configured; a busybox syslogd set
# up by 20-remote-syslog forwards a test message to the log server.
if [ -f /etc/default/busybox-syslogd ]; then
	. /etc/default/busybox-syslogd
	syslogd $SYSLOG_OPTS && sleep 1 && logger -t site-test "hello from the booted root $(hostname)" && sleep 1
fi
for f in /etc/default/busybox-syslogd /etc/rsyslog.d/90-netinit-remote.conf /etc/chrony/sources.d/netinit.sources \
	 /etc/systemd/timesyncd.conf.d/50-netinit.conf /etc/default/distcc /root/.ssh/authorized_keys /etc/hosts; do
	[ -f "$f" ] && sed "s|^|NETINIT-TEST file $f: |" "$f"
done
dmesg | grep 'netinit' | sed 's/^/NETINIT-KMSG /' | tail -n 60
dmesg | grep 'netinit [a-z-]*: hook ' | sed 's/^/NETINIT-KMSG-HOOK /'
# test.hang=N: stay up N s without feeding anything (the watchdog test)
for w in $(cat /proc/cmdline); do
	case $w in test.hang=*) m "hanging ${w#test.hang=} s"; sleep "${w#test.hang=}"; m "hang over" ;; esac
done
m "done"
poweroff -f
INIT
chmod 755 "$tree/sbin/init"
# A hook shipped inside the root (run only when the root is trusted: doc/hooks.md).
mkdir -p "$tree/etc/netinit/hooks/post-mount"
cat > "$tree/etc/netinit/hooks/post-mount/50-from-root" <<'HOOK'
#!/bin/sh
echo "ROOT-HOOK ran from the root image, NEWROOT=$NETINIT_NEWROOT kind=$NETINIT_ROOT_KIND"
HOOK
chmod 755 "$tree/etc/netinit/hooks/post-mount/50-from-root"
if [ $mode = ext4 ]; then
	rm -f "$out"
	mkfs.ext4 -q -F -L netroot -d "$tree" "$out" 32M
	rm -rf "$tree"
fi
