#!/bin/bash
# Creates a network namespace: run it under the shared lock,
#   flock /tmp/netinit-test.lock bash test-vm/test-debian-hooks.sh
# VM test: the hook examples (hooks/examples/post-mount/) on the real Debian
# bookworm root of test-vm/debroot.sh, against the real daemons.  One node
# boots the root over NFSv4 (nfs-ganesha, volatile overlay) on a namespace
# network whose DHCP server (busybox udhcpd, test-vm/hooklib.sh) gives a log
# server (option 7) and an NTP server (option 42), both 10.79.0.1.  The
# initramfs is made with `netinit-mkinitramfs --hooks` (every example, and
# i6300esb in the module list: QEMU's watchdog is armed during the boot).
# A second node boots the chrony variant of the root (debroot.sh --chrony).
# Asserted:
#   - rsyslog on the node forwards to the option-7 server, where a real
#     rsyslogd (the server config of doc/hooks.md) writes one file per node,
#     holding netinit's stage messages and a `logger` line;
#   - systemd-timesyncd uses the option-42 server (timedatectl) and
#     synchronizes with it (a chronyd on the boot server); on the second
#     node chrony does (chronyc sources);
#   - distccd runs for the cluster network on the node's address: the host
#     compiles a file on it from 10.79.0.1 (distcc protocol, an ELF object
#     comes back), and a connection from 10.80.0.1 (outside) is refused;
#   - sshd runs and root logs in with the key 50-ssh-keys installed;
#   - /etc/hosts from 60-hosts (the node's FQDN, the site's list);
#   - the hooks' output is in the booted system's journal with their names;
#   - the watchdog: left armed by netinit, fed by systemd (70-systemd-watchdog:
#     RuntimeWatchdogSec=), so a boot of minutes is never reset.
# The node reports on its third serial port (build/vm/deb-hooks-report.log).
set -uo pipefail
cd "$(dirname "$0")/.."
. test-vm/lib.sh
. test-vm/hooklib.sh
T0=$(date +%s)
n=deb-hooks

cannot() { echo "FAIL: $n: cannot run: $*"; echo "note: test-debian-hooks took $(($(date +%s) - T0)) s" >&2; exit 1; }
[ "$(id -u)" = 0 ] || cannot "needs root (debootstrap, network namespace, ganesha)"
for t in debootstrap mksquashfs ganesha.nfsd rpcbind busybox python3 ssh ssh-keygen ip unshare qemu-system-x86_64; do
	command -v $t >/dev/null || cannot "$t missing (.ci/packages.txt)"
done
[ -x "$BUILD/init.stripped" ] || cannot "$BUILD/init.stripped not built (make)"
bash test-vm/debroot.sh --chrony || cannot "test-vm/debroot.sh --chrony failed"
tree=$PWD/$BUILD/debian/root ctree=$PWD/$BUILD/debian/root-chrony
# The boot server's rsyslogd: the root's own build (the same Debian release
# as this machine), run from the tree with its libraries and modules.
rsyslogd() {
	LD_LIBRARY_PATH=$tree/usr/lib/x86_64-linux-gnu:$tree/lib/x86_64-linux-gnu \
		"$tree/usr/sbin/rsyslogd" -M "$tree/usr/lib/x86_64-linux-gnu/rsyslog" "$@"
}
rsyslogd -v >/dev/null 2>&1 || cannot "the root's rsyslogd does not run on this machine"
# The boot server's NTP server: chronyd of the chrony variant, the same way.
chronyd() {
	LD_LIBRARY_PATH=$ctree/usr/lib/x86_64-linux-gnu:$ctree/lib/x86_64-linux-gnu "$ctree/usr/sbin/chronyd" "$@"
}
chronyd -v >/dev/null 2>&1 || cannot "the chrony root's chronyd does not run on this machine"

out=$PWD/$VM_DIR/deb-hooks; rm -rf "$out"; mkdir -p "$out/www" "$out/nodes" "$out/recovery" "$out/site/etc/netinit/site"

# ---- the initramfs: every example, a test hook that installs the report unit ----
hooks=$out/hooks
mkdir -p "$hooks/post-mount"
cp hooks/examples/post-mount/* "$hooks/post-mount/"
cat > "$hooks/post-mount/90-test-report" <<'H'
#!/bin/sh
# test only: a unit in the booted system that reports on ttyS2 (the script
# is written by the test into the initramfs, /etc/netinit/site/report).
R=$NETINIT_NEWROOT
cp /etc/netinit/site/report "$R/usr/local/sbin/hooktest-report" && chmod 755 "$R/usr/local/sbin/hooktest-report" || exit 1
printf '[Unit]\nAfter=multi-user.target\n[Service]\nType=simple\nExecStart=/usr/local/sbin/hooktest-report\n[Install]\nWantedBy=multi-user.target\n' \
	> "$R/etc/systemd/system/hooktest-report.service"
ln -sf /etc/systemd/system/hooktest-report.service "$R/etc/systemd/system/multi-user.target.wants/"
echo "report unit installed"
H
chmod 755 "$hooks/post-mount/90-test-report"
ssh-keygen -q -t ed25519 -N '' -C hooktest -f "$out/id" || cannot "ssh-keygen failed"
cp "$out/id.pub" "$out/site/etc/netinit/site/authorized_keys"
printf '# the site list\n10.79.0.1\tmaster.cluster.test master\n' > "$out/site/etc/netinit/site/hosts"
cat > "$out/site/etc/netinit/site/report" <<'R'
#!/bin/bash
# After multi-user.target: the state the test asserts, one "HOOKTEST key: "
# prefix a line on ttyS2; waits until the host has done its checks, then
# powers off.
exec > /dev/ttyS2 2>&1
m() { sed "s/^/HOOKTEST $1: /"; }
echo "HOOKTEST state: $(timeout 300 systemctl is-system-running --wait)"
systemctl --failed --no-legend --plain | m failed
logger -t hooktest "HOOKTEST-LOGGER from $(hostname)"
for u in rsyslog systemd-timesyncd distcc ssh; do echo "HOOKTEST active-$u: $(systemctl is-active $u)"; done
if systemctl -q is-active systemd-timesyncd; then
	for _ in $(seq 60); do
		s=$(timedatectl show-timesync --property=ServerName --value 2>/dev/null)
		[ -n "$s" ] && break
		sleep 1
	done
	echo "HOOKTEST timesync-server: $s"
	for _ in $(seq 60); do [ "$(timedatectl show -p NTPSynchronized --value)" = yes ] && break; sleep 1; done
	echo "HOOKTEST ntp-synchronized: $(timedatectl show -p NTPSynchronized --value)"
fi
if command -v chronyc >/dev/null; then
	echo "HOOKTEST active-chrony: $(systemctl is-active chrony)"
	for _ in $(seq 60); do chronyc -n sources 2>/dev/null | grep -q '^\^\*' && break; sleep 1; done
	chronyc -n sources 2>&1 | m chrony-sources
	m chrony-conf < /etc/chrony/sources.d/netinit.sources
fi
timedatectl show-timesync --property=SystemNTPServers | m timesync
timedatectl timesync-status 2>&1 | m timesync-status
journalctl -b -u systemd-timesyncd --no-pager | tail -n 5 | m timesyncd-log
ss -Hltn 'sport = :3632' | m distcc-listen
grep -E '^(STARTDISTCC|ALLOWEDNETS|LISTENER)=' /etc/default/distcc | m distcc-conf
ps -o user=,args= -C distccd | m distccd-proc
stat -c '%a %U' /root/.ssh/authorized_keys | m ssh-keys-mode
m ssh-keys < /root/.ssh/authorized_keys
m hosts < /etc/hosts
echo "HOOKTEST getent-master: $(getent hosts master)"
echo "HOOKTEST getent-self: $(getent hosts "$(hostname)")"
m rsyslog-conf < /etc/rsyslog.d/90-netinit-remote.conf
journalctl -b --no-pager | grep -a 'netinit post-mount: hook ' | m journal
systemctl show -p RuntimeWatchdogUSec | m watchdog
journalctl -b --no-pager | grep -ai 'watchdog' | m watchdog-log
echo "HOOKTEST ip: $(ip -4 -o addr show eth0 | awk '{print $4}' | head -n1)"
echo "HOOKTEST ready: $(cut -d' ' -f1 /proc/uptime)"
for _ in $(seq 600); do
	exec 3<>/dev/tcp/10.79.0.1/8080 && printf 'GET /host-done HTTP/1.0\r\n\r\n' >&3 &&
		read -r st <&3 && exec 3<&- && case $st in *" 200 "*) break ;; esac
	sleep 1
done
echo "HOOKTEST host-done: $st"
grep -a . /var/log/distccd.log | tail -n 10 | m distccd-log
echo "HOOKTEST end: $(cut -d' ' -f1 /proc/uptime)"
systemctl poweroff
R
initrd=$out/initramfs.img
bash mkinitramfs/netinit-mkinitramfs --kver "$KVER" --init "$BUILD/init.stripped" --modules i6300esb --module-compress none \
	--hooks "$hooks" --output "$out/initramfs-hooks.img" 2> "$out/mkinitramfs.log" || cannot "netinit-mkinitramfs failed: $(tail -n 2 "$out/mkinitramfs.log")"
hooks_initrd "$out/site" "$initrd" "$out/initramfs-hooks.img" || cannot "appending the site files failed"

# ---- the boot server: udhcpd (options 7, 42, host name, domain), ganesha, rsyslogd ----
trap site_net_down EXIT
SN_SYSLOG_PORT=5514 site_net_up "$out" "opt hostname $n" "opt domain cluster.test" "opt lease 3600" ||
	cannot "the namespace network could not be set up"
# A second address on the bridge, outside the cluster network: distccd must refuse it.
ip -n "$SN_NS" addr add 10.80.0.1/24 dev br0 || cannot "ip addr add 10.80.0.1 failed"
vm_ganesha_conf "$out/ganesha.conf" "$out/recovery" "$tree" "$ctree"
vm_ns_servers_script "$out/ns-servers.sh" "$out/ganesha.conf" "$out"
# The NTP server (option 42): the boot server's own clock, stratum 8, never
# setting this machine's clock (-x).
cat > "$out/chronyd.conf" <<EOC
bindaddress 10.79.0.1
allow 10.79.0.0/24
local stratum 8
cmdport 0
pidfile $out/chronyd.pid
driftfile $out/chronyd.drift
EOC
# The log server: doc/hooks.md's server config (one file per node, by the
# host name in each message), with this test's address and directories.
cat > "$out/rsyslog.conf" <<EOC
global(workDirectory="$out")
module(load="imudp")
template(name="PerNode" type="string" string="$out/nodes/%HOSTNAME%.log")
ruleset(name="nodes") { action(type="omfile" dynaFile="PerNode") stop }
input(type="imudp" address="10.79.0.1" port="514" ruleset="nodes")
EOC
rsyslogd -N1 -f "$out/rsyslog.conf" > "$out/rsyslog-check.log" 2>&1 || cannot "rsyslogd -N1 rejects the server config: $(tail -n 3 "$out/rsyslog-check.log")"

# The host's side of the checks, run in the namespace while the node is up.
distcc_probe() { # SRC IP: compile int f(void){return 42;} on IP from SRC (distcc protocol 1)
	python3 - "$1" "$2" <<'P'
import socket, sys
src, ip = sys.argv[1], sys.argv[2]
def tok(t, v): return t.encode() + b"%08x" % v
def s(t, b): return tok(t, len(b)) + b
args = [b"gcc", b"-c", b"t.c", b"-o", b"t.o"]
src_i = b"int f(void) { return 42; }\n"
req = tok("DIST", 1) + tok("ARGC", len(args)) + b"".join(s("ARGV", a) for a in args) + s("DOTI", src_i)
c = socket.socket(); c.settimeout(120); c.bind((src, 0)); c.connect((ip, 3632))
try:
    c.sendall(req)
except OSError as e:
    print("refused: %s" % e); sys.exit(0)
data = b""
try:
    while True:
        b = c.recv(65536)
        if not b: break
        data += b
except OSError as e:
    print("refused: %s" % e); sys.exit(0)
if not data: print("refused: closed without an answer"); sys.exit(0)
i = data.find(b"DOTO")
obj = data[i + 12:] if i >= 0 else b""
stat = data[data.find(b"STAT") + 4:][:8] if b"STAT" in data else b"?"
print("answered: STAT %s, object %d bytes%s" % (stat.decode(), len(obj), ", ELF" if obj[:4] == b"\x7fELF" else ""))
P
}
# server.sh NAME ROOT MAC: the servers, the host's checks, one node's boot.
cat > "$out/server.sh" <<EOC
set -u
. test-vm/lib.sh
$(declare -f rsyslogd chronyd distcc_probe)
tree=$tree ctree=$ctree out=$out name=\$1 root=\$2 mac=\$3
. "\$out/ns-servers.sh"  # a private /run, rpcbind, ganesha (lib.sh)
mkdir -p /run/chrony
rsyslogd -n -f "\$out/rsyslog.conf" -i "\$out/rsyslogd.pid" > "\$out/rsyslogd-\$name.log" 2>&1 &
rs=\$!
chronyd -d -x -u root -f "\$out/chronyd.conf" > "\$out/chronyd-\$name.log" 2>&1 &
cs=\$!
# A report of an earlier run must not pass for this one's.
rm -f "\$out/www/host-done" "$VM_DIR/\$name-report.log" "$VM_DIR/\$name-debtest.log"
(
	rep=$VM_DIR/\$name-report.log
	for i in \$(seq 1200); do grep -aq '^HOOKTEST ready' "\$rep" 2>/dev/null && break; sleep 1; done
	ip=\$(sed -n 's/^HOOKTEST ip: \([0-9.]*\)\/.*/\1/p' "\$rep" | tr -d '\r' | head -n1)
	echo "node-ip: \$ip"
	if [ -n "\$ip" ]; then
		echo "distcc-inside: \$(distcc_probe 10.79.0.1 "\$ip" 2>&1)"
		echo "distcc-outside: \$(distcc_probe 10.80.0.1 "\$ip" 2>&1)"
		echo "ssh: \$(timeout 60 ssh -i "\$out/id" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \\
			-o ConnectTimeout=30 root@"\$ip" 'echo "\$(id -un)@\$(hostname)"' 2>"\$out/ssh-\$name.err")"
	fi
	sleep 3  # the logger line is one UDP datagram on its way
	touch "\$out/www/host-done"
) > "\$out/host-checks-\$name.txt" 2>&1 &
hc=\$!
args="root=nfs4:10.79.0.1:\$root ip=dhcp rd.neednet=1 panic=1 rd.timeout=60 init=/usr/local/sbin/debtest-init debtest.net=ifupdown"
VM_INITRD=$initrd VM_NET=none VM_MEM=1024 vm_run \$name 1200 "\$args" \\
	-netdev "tap,id=n0,ifname=$SN_TAP,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=\$mac" \\
	-serial file:$VM_DIR/\$name-debtest.log -serial file:$VM_DIR/\$name-report.log -device i6300esb
rc=\$?
touch "\$out/www/host-done"
kill \$hc \$rs \$cs \$(cat "\$out/ganesha.pid") 2>/dev/null
wait
exit \$rc
EOC
boot() { # NAME ROOT MAC
	local tb; tb=$(date +%s)
	ip netns exec "$SN_NS" unshare -m --propagation private bash "$out/server.sh" "$@"
	rc=$?
	echo "note: $1: QEMU ran $(($(date +%s) - tb)) s (rc $rc)"
}
boot $n "$tree" 52:54:00:79:00:41
cp -a "$out/nodes" "$out/nodes-$n"  # the log server's files after this node
nc=deb-chrony
boot $nc "$ctree" 52:54:00:79:00:42
site_net_down; trap - EXIT

# ---- the checks ----
r=$n-report
host() { sed -n "s/^$1: //p" "$out/host-checks-$n.txt"; }
pass() { echo "PASS: $n: $1"; }
fail() { echo "FAIL: $n: $1"; vm_failures=$((vm_failures + 1)); }
check() { if eval "$1"; then pass "$2"; else fail "$2 ($3)"; fi; }

for h in 20-remote-syslog 30-ntp 40-distccd 50-ssh-keys 60-hosts 70-systemd-watchdog; do
	vm_expect $n "netinit post-mount: hook $h: " "the example $h ran at post-mount and its output was logged with its name"
	vm_expect "$r" "^HOOKTEST journal: .*netinit post-mount: hook $h: " "journalctl -b in the booted system shows $h's output with its name"
done
vm_reject $n 'netinit post-mount: hook [^ ]+ failed|netinit post-mount: hook [^ ]+: .*(read-only|not a host|refused|no valid)' "no example failed"
vm_expect "$r" '^HOOKTEST state: running' "systemd reached multi-user.target with no failed unit"

# rsyslog: forwarded to the option-7 server, one file per node there.
vm_expect "$r" '^HOOKTEST rsyslog-conf: \*\.\* @10\.79\.0\.1:514' "20-remote-syslog: rsyslog forwards to the DHCP log server (option 7)"
vm_expect "$r" '^HOOKTEST active-rsyslog: active' "rsyslog runs on the node"
nf=$out/nodes-$n/$n.log
check '[ -s "$nf" ] && [ "$(ls "$out/nodes-$n" | wc -l)" = 1 ]' "the server's rsyslogd wrote one file for the node, named by its host name ($nf)" \
	"files: $(ls "$out/nodes-$n" | tr '\n' ' ')"
check 'grep -aq "hooktest: HOOKTEST-LOGGER from $n" "$nf"' "a logger line on the node arrived in its file on the log server" "$(tail -n 3 "$nf" 2>/dev/null)"
check 'grep -aqE "netinit (dhcp|mount): " "$nf"' "netinit's stage messages (the kernel log: rsyslog's imklog) arrived in the node's file" "no 'netinit dhcp:'/'netinit mount:' line"
check 'grep -aq "netinit post-mount: hook 40-distccd: " "$nf"' "the hooks' output arrived in the node's file" "no hook line"

# systemd-timesyncd: the option-42 server.
vm_expect $n 'netinit post-mount: hook 30-ntp: systemd-timesyncd: NTP=10\.79\.0\.1' "30-ntp configured timesyncd with the option-42 server"
vm_expect "$r" '^HOOKTEST active-systemd-timesyncd: active' "systemd-timesyncd runs"
vm_expect "$r" '^HOOKTEST timesync: SystemNTPServers=10\.79\.0\.1[[:space:]]*$' "timedatectl: timesyncd's configured NTP server is the option-42 server"
vm_expect "$r" '^HOOKTEST timesync-server: 10\.79\.0\.1[[:space:]]*$' "timedatectl show-timesync: ServerName=10.79.0.1 (timesyncd is trying it)"
vm_expect "$r" '^HOOKTEST ntp-synchronized: yes' "timesyncd synchronized with the boot server's NTP server (chronyd, timedatectl: NTPSynchronized=yes)"

# distccd: for the cluster network, on the node's address.
ip=$(host node-ip)
vm_expect "$r" '^HOOKTEST distcc-conf: ALLOWEDNETS="10\.79\.0\.0/24"' "40-distccd: the allowed list is the cluster network"
vm_expect "$r" '^HOOKTEST active-distcc: active' "distcc.service (Debian's init script) is active"
vm_expect "$r" "^HOOKTEST distcc-listen: LISTEN .* ${ip:-none}:3632 " "distccd listens on the node's address ${ip:-?} port 3632"
vm_expect "$r" '^HOOKTEST distccd-proc: distccd .*--allow 10\.79\.0\.0/24' "distccd runs as user distccd with --allow 10.79.0.0/24"
check '[[ "$(host distcc-inside)" == "answered: STAT 00000000, object "*", ELF" ]]' "from 10.79.0.1 (inside) the node's distccd compiled a file and sent back an ELF object" "$(host distcc-inside)"
check '[[ "$(host distcc-outside)" == refused:* ]]' "from 10.80.0.1 (outside the cluster network) distccd refused" "$(host distcc-outside)"
vm_expect "$r" '^HOOKTEST distccd-log: .*client: 10\.79\.0\.1:[0-9]+ COMPILE_OK .* gcc t\.c' "distccd's log: the compile from 10.79.0.1 (COMPILE_OK)"
vm_expect "$r" "^HOOKTEST distccd-log: .*connection from client '10\.80\.0\.1:[0-9]+' denied by access list" "distccd's log: 10.80.0.1 denied by its access list"

# SSH keys and hosts.
vm_expect "$r" '^HOOKTEST active-ssh: active' "sshd runs"
vm_expect "$r" '^HOOKTEST ssh-keys-mode: 600 root' "authorized_keys is in place, mode 600, owned by root"
vm_expect "$r" "^HOOKTEST ssh-keys: $(cut -d' ' -f1-2 "$out/id.pub" | sed 's/[+/]/./g')" "authorized_keys holds the site's key"
check '[ "$(host ssh)" = "root@$n" ]' "root logs in over SSH with that key (ssh root@${ip:-?})" "$(host ssh) $(tail -n 2 "$out/ssh-$n.err" 2>/dev/null)"
vm_expect "$r" "^HOOKTEST hosts: ${ip:-none}	$n\.cluster\.test $n[[:space:]]*\$" "60-hosts: /etc/hosts has the node's address, FQDN and name"
vm_expect "$r" '^HOOKTEST getent-master: 10\.79\.0\.1 +master\.cluster\.test master' "and the site's list (getent hosts master)"

# The watchdog: armed in the initramfs, left armed, fed by systemd.
vm_expect $n 'netinit watchdog: /dev/watchdog \(i6300ESB timer\) armed' "netinit armed QEMU's i6300esb (in the initramfs's module list)"
vm_expect $n 'netinit watchdog: left armed for the real init' "and left it armed at switch_root"
vm_expect "$r" '^HOOKTEST watchdog: RuntimeWatchdogUSec=30s' "70-systemd-watchdog: systemd's RuntimeWatchdogSec=30s"
vm_expect "$r" '^HOOKTEST watchdog-log: .*(Using hardware watchdog|Watchdog running with a (hardware )?timeout)' "systemd took the watchdog over"
vm_expect "$r" '^HOOKTEST end: ' "the node stayed up (never reset by the watchdog) until the host's checks were done"
vm_expect $n 'reboot: Power down' "and then powered off"
check '[ "$rc" = 0 ] && vm_text $n | grep -aq "reboot: Power down"' "QEMU exited by itself (poweroff)" "rc $rc"

# The chrony variant: 30-ntp's chrony branch against the boot server's chronyd.
r=$nc-report
vm_expect $nc 'netinit post-mount: hook 30-ntp: chrony: 10\.79\.0\.1' "30-ntp configured chrony with the option-42 server"
vm_expect "$r" '^HOOKTEST chrony-conf: server 10\.79\.0\.1 iburst' "/etc/chrony/sources.d/netinit.sources names it"
vm_expect "$r" '^HOOKTEST active-chrony: active' "chronyd runs on the node"
vm_expect "$r" '^HOOKTEST chrony-sources: \^. 10\.79\.0\.1 ' "chronyc sources lists the option-42 server"
vm_expect "$r" '^HOOKTEST chrony-sources: \^\* 10\.79\.0\.1 ' "and chrony synchronized to it (^*: the boot server's chronyd answers)"
vm_expect "$r" '^HOOKTEST state: running' "systemd reached multi-user.target with no failed unit"
vm_expect $nc 'reboot: Power down' "the chrony node powered off"

echo "note: test-debian-hooks took $(($(date +%s) - T0)) s" >&2
vm_result
