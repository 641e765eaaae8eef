#!/bin/bash
# Build (and cache) the Debian bookworm root the real-distribution VM tests
# boot: debootstrap --variant=minbase from Debian's archive plus systemd,
# udev, networkd/ifupdown, distcc, rsyslog and openssh-server, with a few
# small test units (see doc/debian-root.md), and a squashfs of it.
#
#   test-vm/debroot.sh [--force]
#   test-vm/debroot.sh --chrony     also debian/root-chrony/ (below)
#
# Output (under $BUILD, default build/):
#   debian/root/           the root tree (served read-only over NFS)
#   debian/root.squashfs   the same tree as a squashfs (served over HTTP)
#   debian/stamp           the cache key: sha256 of this script
#   debian/root-chrony/    with --chrony: a copy of root/ with chrony instead
#                          of systemd-timesyncd (they exclude each other),
#                          installed by the tree's own apt from Debian's
#                          archive; cached by debian/chrony-stamp
# The tree is rebuilt only when this script (its package list, its test
# units) changes, or with --force.  Progress goes to stdout, the full
# debootstrap output to debian/debootstrap.log.  Exit 0 on success, 1 on
# failure (with the reason on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
OUT=$BUILD/debian
SUITE=bookworm
# What the tests and examples need on top of minbase.  isc-dhcp-client is
# ifupdown's `inet dhcp` method; gcc is what distccd compiles with;
# systemd-timesyncd (its own package since bookworm) is the NTP client the
# hooks' 30-ntp example configures (test-debian-hooks.sh).
PACKAGES=systemd-sysv,udev,dbus,iproute2,ifupdown,isc-dhcp-client,distcc,gcc,rsyslog,openssh-server,procps,systemd-timesyncd

die() { echo "debroot: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || die "debootstrap missing (apt-get install debootstrap; .ci/packages.txt)"
command -v mksquashfs >/dev/null || die "mksquashfs missing (apt-get install squashfs-tools)"

# Debian's archive as apt on this machine is configured to use it.
mirror() {
	local m
	m=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -E '/debian/?$' | head -n1)
	[ -n "$m" ] || m=$(grep -hE '^deb [^ ]+/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | head -n1)
	echo "${m:-http://deb.debian.org/debian}"
}

# Progress: the first package of each stage and every 25th, with seconds.
progress() {
	local line st t0=$1
	local -A n=()
	while IFS= read -r line; do
		case $line in
		"I: Retrieving "*|"I: Validating "*|"I: Extracting "*|"I: Unpacking "*|"I: Configuring "*)
			st=${line#I: }; st=${st%% *}
			n[$st]=$((${n[$st]:-0} + 1))
			if [ "${n[$st]}" = 1 ] || [ $((n[$st] % 25)) = 0 ]; then
				echo "debroot: [$(($(date +%s) - t0))s] $st: ${n[$st]} packages (${line#I: $st })"
			fi ;;
		"I: "*) echo "debroot: [$(($(date +%s) - t0))s] ${line#I: }" ;;
		"E: "*|"W: "*) echo "debroot: $line" ;;
		esac
	done
}

bootstrap() { # DIR
	local m; m=$(mirror)
	echo "debroot: debootstrap $SUITE from $m into $1 (minbase + $PACKAGES); a first run takes a few minutes"
	debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$1" "$m" 2>&1 |
		tee "$OUT/debootstrap.log" | progress "$t0"
	[ "${PIPESTATUS[0]}" = 0 ] || die "debootstrap failed (see $OUT/debootstrap.log)"
	[ -x "$1/lib/systemd/systemd" ] || die "debootstrap left no systemd in $1 (see $OUT/debootstrap.log)"
	echo "debroot: [$(elapsed)] debootstrap done"
}

# The test configuration on top of the packages (idempotent).  Every file
# says why it is there; doc/debian-root.md describes the whole.
configure() { # DIR
	local r=$1
	echo debian-image > "$r/etc/hostname"  # the DHCP name must replace it
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$r/etc/hosts"
	# One image, many nodes: each generates its machine-id at boot (machine-id(5)).
	: > "$r/etc/machine-id"
	rm -f "$r/var/lib/dbus/machine-id"
	chroot "$r" passwd -dq root >/dev/null  # a root login on the console, for debugging a test
	mkdir -p "$r/etc/systemd/network" "$r/etc/network" "$r/usr/local/sbin" "$r/etc/systemd/system-generators"
	cat > "$r/etc/systemd/network/99-catchall.network" <<'EOC'
# How stock images are often configured: DHCP on every Ethernet link.
# netinit's /run/systemd/network/10-netinit-<if>.network sorts first and
# wins for the boot link (systemd.network(5): the first file that matches).
[Match]
Type=ether

[Network]
DHCP=yes
EOC
	cat > "$r/etc/network/interfaces" <<'EOC'
# What the Debian installer writes for the first NIC (interfaces(5)), with
# `auto` too: both ifup -a (networking.service) and the hotplug path
# (ifup@eth0.service) take the boot link.  netinit's systemd drop-ins keep
# them from taking it down at shutdown (doc/network.md, "ifupdown").
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

allow-hotplug eth0
auto eth0
iface eth0 inet dhcp
EOC
	# dhclient renews with the client identifier netinit sent (type 1 + MAC),
	# so the server sees the same client and keeps the address.
	grep -q '^send dhcp-client-identifier = hardware;' "$r/etc/dhcp/dhclient.conf" ||
		echo 'send dhcp-client-identifier = hardware;' >> "$r/etc/dhcp/dhclient.conf"
	cat > "$r/etc/systemd/system-generators/debtest-net" <<'EOC'
#!/bin/sh
# netinit test root: debtest.net=networkd|ifupdown (default ifupdown) on the
# kernel command line picks who takes the boot link over from netinit.
# systemd.generator(7): $1 is the normal, $2 the early (masking) directory.
net=ifupdown
for a in $(cat /proc/cmdline); do case $a in debtest.net=*) net=${a#debtest.net=} ;; esac; done
case $net in
networkd)
	mkdir -p "$1/multi-user.target.wants" "$1/sockets.target.wants"
	ln -sf /lib/systemd/system/systemd-networkd.service "$1/multi-user.target.wants/"
	ln -sf /lib/systemd/system/systemd-networkd.socket "$1/sockets.target.wants/"
	for u in networking.service ifup@.service; do ln -sf /dev/null "$2/$u"; done ;;
*)
	for u in systemd-networkd.service systemd-networkd.socket; do ln -sf /dev/null "$2/$u"; done ;;
esac
EOC
	chmod 755 "$r/etc/systemd/system-generators/debtest-net"
	cat > "$r/usr/local/sbin/debtest-init" <<'EOC'
#!/bin/sh
# netinit test root: init=/usr/local/sbin/debtest-init.  This is PID 1 as
# netinit exec'd it: list the fds it holds on the report port (ttyS1), then
# become systemd.  The listing runs in a subshell so that PID 1 itself opens
# nothing (dash's own script fd, close-on-exec, points to this file).
(
	exec > /dev/ttyS1 2>&1
	echo "DEBTEST init-uptime: $(cut -d' ' -f1 /proc/uptime)"
	ls -l /proc/1/fd | sed -n 's/^.* \([0-9][0-9]*\) -> /DEBTEST init-fd: \1 -> /p'
)
exec /lib/systemd/systemd "$@"
EOC
	cat > "$r/usr/local/sbin/debtest-report" <<'EOC'
#!/bin/sh
# netinit test root: report the booted state on the second serial port
# (ttyS1: agetty's vhangup() on the console port would cut the report),
# one "DEBTEST <what>: " prefix per line.
#   debtest-report boot       after multi-user.target: the state, then
#                             debtest.then=reboot|poweroff from the cmdline
#   debtest-report shutdown   at shutdown, after the network managers stopped
exec > /dev/ttyS1 2>&1
m() { sed "s/^/DEBTEST $1: /"; }
up() { cut -d' ' -f1 /proc/uptime; }
if [ "$1" = shutdown ]; then
	echo "DEBTEST shutdown-uptime: $(up)"
	ip -4 -o addr show | m shutdown-addr
	m shutdown-ipmon < /run/debtest-ipmon.log
	exit 0
fi
echo "DEBTEST state: $(timeout 300 systemctl is-system-running --wait)"
echo "DEBTEST up-uptime: $(up)"
echo "DEBTEST pid1: $(cat /proc/1/comm)"
systemctl --failed --no-legend --plain | m failed
echo "DEBTEST failed-count: $(systemctl --failed --no-legend --plain | wc -l)"
for u in $(systemctl --failed --no-legend --plain | cut -d' ' -f1); do journalctl -b -u "$u" --no-pager | tail -n 15 | m "failed-log $u"; done
systemd-analyze | m analyze
ls -l /proc/1/fd | sed -n 's/^.* \([0-9][0-9]*\) -> /\1 -> /p' | m pid1-fd
journalctl -b -o short-monotonic --no-pager | grep -a 'netinit' | m journal
echo "DEBTEST hostname: $(hostname)"
ip -4 -o addr show | m addr
cat /run/netinit/lease-*.conf 2>/dev/null | m lease
findmnt -n -o SOURCE,FSTYPE,OPTIONS / | m rootmnt
findmnt -n -t nfs,nfs4,squashfs -o TARGET,SOURCE,FSTYPE | m lowermnt
systemctl is-active systemd-networkd.service networking.service ifup@eth0.service 2>&1 | tr '\n' ' ' | m active
echo
if systemctl -q is-active systemd-networkd.service; then
	# networkd takes the link over in its own time, after the boot finished:
	# wait until it has (or gives up), else the checks below mean nothing.
	timeout 90 /lib/systemd/systemd-networkd-wait-online -i eth0 --timeout=80
	echo "DEBTEST networkd-online: $? at $(up)"
	networkctl --no-pager status eth0 2>&1 | m networkctl
	journalctl -b -u systemd-networkd --no-pager | tail -n 20 | m networkd-log
	journalctl -b -u systemd-udevd --no-pager | grep -a eth0 | tail -n 5 | m udev-log
fi
m ipmon < /run/debtest-ipmon.log
ps -eo comm= | grep -E '^(dhclient|systemd-network|rsyslogd|sshd|distccd)' | sort -u | m proc
if grep -qw 'debtest.role=distcc' /proc/cmdline; then
	# A compile-farm node: serve until the host says the build is over
	# (its HTTP server has /farm-done), then report distccd's jobs.
	systemctl is-active debtest-distccd.service | m distccd-active
	echo "DEBTEST farm-ready: $(up)"
	bash -c 'for i in $(seq 900); do
		exec 3<>/dev/tcp/10.0.2.2/8080 && printf "GET /farm-done HTTP/1.0\r\n\r\n" >&3 &&
			read -r s <&3 && exec 3<&- && case $s in *" 200 "*) exit 0 ;; esac
		sleep 1
	done; exit 1'
	echo "DEBTEST farm-done: $? at $(up)"
	journalctl -b -u debtest-distccd --no-pager | grep -a 'COMPILE_OK' | m distccd-job
	echo "DEBTEST distccd-jobs: $(journalctl -b -u debtest-distccd --no-pager | grep -ac 'COMPILE_OK')"
fi
then=
for a in $(cat /proc/cmdline); do case $a in debtest.then=*) then=${a#debtest.then=} ;; esac; done
echo "DEBTEST then: $then at $(up)"
case $then in reboot|poweroff) systemctl "$then" ;; esac
EOC
	chmod 755 "$r/usr/local/sbin/debtest-init" "$r/usr/local/sbin/debtest-report"
	cat > "$r/etc/systemd/system/debtest-ipwatch.service" <<'EOC'
[Unit]
Description=netinit test: record address changes of the boot link
# From early boot until after every network manager has stopped: on stop,
# units are stopped in the reverse order, so Before= keeps this one running
# until networkd/ifupdown are gone, then it reports (debtest-report shutdown).
DefaultDependencies=no
Before=network-pre.target systemd-networkd.service networking.service ifup@eth0.service shutdown.target
Conflicts=shutdown.target

[Service]
ExecStart=/bin/sh -c 'exec ip -o -4 monitor address > /run/debtest-ipmon.log 2>&1'
ExecStopPost=/usr/local/sbin/debtest-report shutdown

[Install]
WantedBy=sysinit.target
EOC
	cat > "$r/etc/systemd/system/debtest-distccd.service" <<'EOC'
[Unit]
Description=netinit test: distccd for the cluster network (debtest.role=distcc)
ConditionKernelCommandLine=debtest.role=distcc
After=network.target

[Service]
User=distccd
# QEMU user networking: the host's connections come from 10.0.2.2.
ExecStart=/usr/bin/distccd --daemon --no-detach --allow 10.0.2.2 --listen 0.0.0.0 --jobs 2 --log-stderr --log-level info

[Install]
WantedBy=multi-user.target
EOC
	cat > "$r/etc/systemd/system/debtest-report.service" <<'EOC'
[Unit]
Description=netinit test: report the booted state on ttyS1
After=multi-user.target

[Service]
# simple, not oneshot: the start job ends at once, so the boot can finish
# while the script waits for it (systemctl is-system-running --wait).
Type=simple
ExecStart=/usr/local/sbin/debtest-report boot

[Install]
WantedBy=multi-user.target
EOC
	chroot "$r" systemctl -q disable systemd-networkd.service systemd-networkd.socket systemd-networkd-wait-online.service 2>/dev/null || true
	chroot "$r" systemctl -q enable debtest-ipwatch.service debtest-report.service debtest-distccd.service
	chroot "$r" systemctl -q set-default multi-user.target  # a compute node: no graphical.target
}

# The chrony variant (test-vm/test-debian-hooks.sh): the cached root, then
# apt-get install chrony in a copy of it.  Services are not started in the
# chroot (policy-rc.d, invoke-rc.d(8)); the package lists are dropped again.
chrony_variant() {
	local v=$OUT/root-chrony vkey
	vkey="$(cat "$OUT/stamp") chrony"
	if [ -f "$OUT/chrony-stamp" ] && [ "$(cat "$OUT/chrony-stamp")" = "$vkey" ] && [ -x "$v/usr/sbin/chronyd" ]; then
		echo "debroot: cached $v"
		return 0
	fi
	echo "debroot: $v: the root with chrony instead of systemd-timesyncd (apt-get in a chroot)"
	rm -rf "$v" "$OUT/chrony-stamp"
	cp -a "$OUT/root" "$v" || die "cannot copy the root to $v"
	cp /etc/resolv.conf "$v/etc/resolv.conf.debroot"
	printf '#!/bin/sh\nexit 101\n' > "$v/usr/sbin/policy-rc.d"; chmod 755 "$v/usr/sbin/policy-rc.d"
	mount -t proc proc "$v/proc" || die "cannot mount /proc in $v"
	local rc=0
	chroot "$v" sh -c 'cp /etc/resolv.conf /etc/resolv.conf.keep; cp /etc/resolv.conf.debroot /etc/resolv.conf
		apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends install chrony
		r=$?; mv /etc/resolv.conf.keep /etc/resolv.conf; exit $r' > "$OUT/chrony.log" 2>&1 || rc=$?
	umount "$v/proc"
	rm -f "$v/usr/sbin/policy-rc.d" "$v/etc/resolv.conf.debroot" "$v"/var/cache/apt/*.bin "$v"/var/cache/apt/archives/*.deb \
		"$v"/var/lib/apt/lists/*_Packages
	[ $rc = 0 ] && [ -x "$v/usr/sbin/chronyd" ] || die "apt-get install chrony failed (see $OUT/chrony.log)"
	echo "$vkey" > "$OUT/chrony-stamp"
	echo "debroot: $v done ($(du -sm "$v" | cut -f1) MiB)"
}
if [ "${1:-}" = --chrony ]; then
	bash "$0" || exit 1
	chrony_variant
	exit 0
fi

key=$(sha256sum "$0" | cut -d' ' -f1)
base_key=$(echo "$SUITE $PACKAGES" | sha256sum | cut -d' ' -f1)
root=$OUT/root
if [ "${1:-}" != --force ] && [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$key" ] &&
   [ -x "$root/lib/systemd/systemd" ] && [ -s "$OUT/root.squashfs" ]; then
	echo "debroot: cached $root and $OUT/root.squashfs (key ${key:0:12}, $(du -sm "$root" | cut -f1) MiB tree, $(($(stat -c %s "$OUT/root.squashfs") / 1048576)) MiB squashfs)"
	exit 0
fi

t0=$(date +%s)
elapsed() { echo "$(($(date +%s) - t0))s"; }
rm -f "$OUT/stamp"
mkdir -p "$OUT"
# The package set decides the debootstrap; the rest of this script only the
# configuration on top, which is idempotent: re-run it on the cached tree.
if [ "${1:-}" = --force ] || [ ! -f "$OUT/base-stamp" ] || [ "$(cat "$OUT/base-stamp")" != "$base_key" ] ||
   [ ! -x "$root/lib/systemd/systemd" ]; then
	rm -f "$OUT/base-stamp"
	rm -rf "$root"
	bootstrap "$root"
	echo "$base_key" > "$OUT/base-stamp"
else
	echo "debroot: debootstrap of this package set is cached; re-applying the configuration"
fi
configure "$root" || die "configuring the root failed"
echo "debroot: [$(elapsed)] configured"

# Smaller image: no documentation, no package caches.
rm -rf "$root"/usr/share/{doc,man,info}/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
	"$root"/var/lib/apt/lists/*_Packages
echo "debroot: [$(elapsed)] mksquashfs ($(du -sm "$root" | cut -f1) MiB tree)"
# squashfs stores no POSIX ACLs (system.* xattrs): its warning about them is dropped.
mksquashfs "$root" "$OUT/root.squashfs" -comp zstd -noappend -quiet -no-progress 2>&1 >/dev/null |
	{ grep -v '^Unrecognised xattr prefix system\.' >&2 || true; }
[ "${PIPESTATUS[0]}" = 0 ] || die "mksquashfs failed"
echo "$key" > "$OUT/stamp"
echo "debroot: [$(elapsed)] done: $root ($(du -sm "$root" | cut -f1) MiB), $OUT/root.squashfs ($(($(stat -c %s "$OUT/root.squashfs") / 1048576)) MiB)"
