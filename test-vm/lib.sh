#!/bin/bash
# QEMU boot helpers for netinit's VM tests (source this file).
#
#   vm_run NAME TIMEOUT_S "KERNEL ARGS" [extra qemu args...]
#       Boots $VM_KERNEL with $VM_INITRD (default build/initramfs.img) under
#       TCG, serial console to build/vm/NAME.log, -no-reboot (a reboot or
#       power-off ends QEMU).  QEMU user networking is attached as a
#       virtio-net NIC unless VM_NET=none; VM_NETDEV_EXTRA adds options to
#       -netdev user (e.g. ",hostname=node1,tftp=DIR"); the guest reaches host
#       loopback services at 10.0.2.2.  Returns 0 when QEMU exited by itself,
#       124 on timeout.
#   vm_expect NAME REGEX "what"     PASS if the console log matches (grep -E)
#   vm_reject NAME REGEX "what"     PASS if it does not
#   vm_log_tail NAME                the last 40 console lines
#   vm_result                       exit status for the test script
#
# Every assertion prints "PASS: NAME: what" or "FAIL: NAME: what" and, on
# failure, what was waited for and the last 40 console lines.

: "${BUILD:=build}"
: "${KVER:=$(ls -1 /lib/modules 2>/dev/null | sort -V | tail -n 1)}"
: "${VM_KERNEL:=/boot/vmlinuz-$KVER}"
: "${VM_INITRD:=$BUILD/initramfs.img}"
: "${VM_MEM:=1024}"
VM_DIR=$BUILD/vm
mkdir -p "$VM_DIR"
vm_failures=0

vm_log() { echo "$VM_DIR/$1.log"; }

vm_run() {
	local name=$1 timeout_s=$2 append=$3
	shift 3
	local log; log=$(vm_log "$name")
	local net=()
	if [ "${VM_NET:-user}" != none ]; then
		net=(-netdev "user,id=n0${VM_NETDEV_EXTRA:-}" -device "virtio-net-pci,netdev=n0${VM_NIC_EXTRA:-}")
	fi
	[ -r "$VM_KERNEL" ] || { echo "FAIL: $name: cannot run: kernel $VM_KERNEL not found (apt-get install linux-image-amd64)"; vm_failures=$((vm_failures + 1)); return 2; }
	[ -r "$VM_INITRD" ] || { echo "FAIL: $name: cannot run: initramfs $VM_INITRD not found (make initramfs)"; vm_failures=$((vm_failures + 1)); return 2; }
	: > "$log"
	local t0; t0=$(date +%s.%N)
	timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 -accel tcg -m "$VM_MEM" -smp 1 \
		-nographic -no-reboot -nodefaults -serial "file:$log" -display none \
		-kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
		-append "console=ttyS0 $append" "${net[@]}" "$@" < /dev/null > "$VM_DIR/$name.qemu.out" 2>&1
	local rc=$?
	VM_ELAPSED=$(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo "?")
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		echo "note: $name: QEMU still running after ${timeout_s}s, killed" >&2
		return 124
	fi
	return 0
}

vm_log_tail() {
	echo "---- last 40 console lines of $1 ($(vm_log "$1")) ----"
	tail -n 40 "$(vm_log "$1")" | sed 's/\r$//'
	if [ -s "$VM_DIR/$1.qemu.out" ]; then echo "---- qemu said ----"; tail -n 5 "$VM_DIR/$1.qemu.out"; fi
	echo "----"
}

# The console with terminal escapes removed: firmware (SeaBIOS, iPXE) moves
# the cursor even in the middle of a word on the serial line.
vm_text() { sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' "$(vm_log "$1")"; }

vm_expect() {
	local name=$1 re=$2 what=$3
	if vm_text "$name" | grep -aE -- "$re" >/dev/null; then  # no -q: with pipefail, an early exit would fail sed
		echo "PASS: $name: $what"
	else
		echo "FAIL: $name: $what (waited for a console line matching /$re/)"
		vm_log_tail "$name"
		vm_failures=$((vm_failures + 1))
	fi
}

vm_reject() {
	local name=$1 re=$2 what=$3
	if vm_text "$name" | grep -aE -- "$re" >/dev/null; then  # no -q: with pipefail, an early exit would fail sed
		echo "FAIL: $name: $what (found a console line matching /$re/: $(grep -aE -m1 -- "$re" "$(vm_log "$name")"))"
		vm_log_tail "$name"
		vm_failures=$((vm_failures + 1))
	else
		echo "PASS: $name: $what"
	fi
}

vm_result() { [ "$vm_failures" = 0 ]; }

# Interactive boots (a shell on the serial console):
#   vm_start NAME TIMEOUT_S "KERNEL ARGS" [qemu args]   start in the background
#   vm_wait_for NAME REGEX SECONDS "what" [COUNT]       PASS/FAIL when REGEX shows up (COUNT times)
#   vm_send NAME "text"                                 type on the serial console
#   vm_wait NAME                                        wait for QEMU to end; 0 if it exited by itself
vm_start() {
	local name=$1 timeout_s=$2 append=$3
	shift 3
	local net=()
	[ "${VM_NET:-user}" != none ] && net=(-netdev "user,id=n0${VM_NETDEV_EXTRA:-}" -device "virtio-net-pci,netdev=n0${VM_NIC_EXTRA:-}")
	vm_start_qemu "$name" "$timeout_s" -m "$VM_MEM" -smp 1 -no-reboot -kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
		-append "console=ttyS0 $append" "${net[@]}" "$@"
}
# vm_start_qemu NAME TIMEOUT_S [qemu args]: the same, with the caller's
# machine (no -kernel: e.g. -boot n on a tap).  The console (ttyS0, the
# first -serial) is the pipe; more -serial args are ttyS1.... $VM_WRAP
# prefixes QEMU (e.g. "ip netns exec NS").  The console reader's pid is
# VM_CAT_<name>.
vm_start_qemu() {
	local name=$1 timeout_s=$2
	shift 2
	local log; log=$(vm_log "$name")
	local fifo=$VM_DIR/$name.serial
	rm -f "$fifo.in" "$fifo.out"; mkfifo "$fifo.in" "$fifo.out"
	: > "$log"
	# shellcheck disable=SC2086 # VM_WRAP is words
	timeout -k 5 "$timeout_s" ${VM_WRAP:-} qemu-system-x86_64 -accel tcg -nographic -nodefaults -display none \
		-serial "pipe:$fifo" "$@" < /dev/null > "$VM_DIR/$name.qemu.out" 2>&1 &
	eval "VM_PID_${name//-/_}=$!"
	cat "$fifo.out" >> "$log" &
	eval "VM_CAT_${name//-/_}=$!"
	exec {VM_IN_FD}> "$fifo.in"
	eval "VM_INFD_${name//-/_}=$VM_IN_FD"
}
vm_wait_for() { # NAME REGEX SECONDS WHAT [COUNT: wait for this many matching lines]
	local name=$1 re=$2 secs=$3 what=$4 count=${5:-1} i
	for ((i = 0; i < secs * 5; i++)); do
		if [ "$(grep -aEc -- "$re" "$(vm_log "$name")")" -ge "$count" ]; then echo "PASS: $name: $what"; return 0; fi
		sleep 0.2
	done
	echo "FAIL: $name: $what (waited ${secs}s for a console line matching /$re/)"
	vm_log_tail "$name"
	vm_failures=$((vm_failures + 1))
	return 1
}
vm_send() {
	local fdvar="VM_INFD_${1//-/_}"
	printf '%s' "$2" >&"${!fdvar}"
}
vm_wait() {
	local pidvar="VM_PID_${1//-/_}" fdvar="VM_INFD_${1//-/_}" rc
	wait "${!pidvar}"; rc=$?
	exec {fdvar}>&- 2>/dev/null || true
	return $rc
}

# ---- a site in a network namespace: nfs-ganesha (and rpcbind) for NFS roots ----
# The Debian-root tests share this set-up (test-vm/test-debian-mounts.sh).
#   vm_ganesha_conf FILE RECOVERY_DIR PATH...   a ganesha.conf exporting each
#       PATH read-only (NFSv3 and v4, TCP, no root squash; Pseudo = Path),
#       NFS on 2049, MOUNT on 20048, numeric owners (the node has no idmapper)
#   vm_ns_servers_script FILE CONF TMP          a script that, run inside the
#       namespace under a private mount namespace, gives rpcbind its /run,
#       starts rpcbind and ganesha (pid TMP/ganesha.pid, log TMP/ganesha.log)
#       and waits until ganesha is up
#   vm_ns_boot NS SCRIPT NAME TIMEOUT MEM "ARGS" [qemu args]
#       runs SCRIPT, then vm_run NAME in the same private mount namespace of
#       NS (QEMU's 10.0.2.2 is NS's loopback), host name NAME from QEMU's
#       DHCP, ttyS1 to build/vm/NAME-report.log; stops ganesha after.
#       BOOT_RC: vm_run's status.
#   vm_nginx_conf FILE TMP ROOT        an nginx.conf serving ROOT on
#       127.0.0.1:8080 (daemon; pid TMP/nginx.pid, errors TMP/nginx-error.log)
#   vm_shutdown_bound NAME T1 WANT BOUND   PASS if the console's kernel line
#       "reboot: WANT" came less than BOUND s after uptime T1 (the guest's
#       own clock: when systemctl reboot/poweroff was called)
vm_nginx_conf() {
	cat > "$1" <<EOC
daemon on;
pid $2/nginx.pid;
error_log $2/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http { access_log off; sendfile on; server { listen 127.0.0.1:8080; root $3; } }
EOC
}
vm_shutdown_bound() {
	local n=$1 t1=$2 want=$3 bound=$4 t2
	t2=$(vm_text "$n" | sed -n "s/^\[ *\([0-9.]*\)\] reboot: $want.*/\1/p" | head -n1)
	if [ -n "$t1" ] && [ -n "$t2" ] && [ "$(echo "$t2 - $t1 < $bound" | bc)" = 1 ]; then
		echo "PASS: $n: the shutdown took $(echo "$t2 - $t1" | bc) s (bound $bound s)"
	else
		echo "FAIL: $n: the shutdown did not end within $bound s (start ${t1:-?}, kernel's 'reboot: $want' ${t2:-?})"
		vm_failures=$((vm_failures + 1))
	fi
}
vm_ganesha_conf() {
	local f=$1 rec=$2 id=1 p
	shift 2
	cat > "$f" <<EOC
NFS_CORE_PARAM { Protocols = 3, 4; NFS_Port = 2049; MNT_Port = 20048; }
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "$rec"; Only_Numeric_Owners = true; }
EOC
	for p in "$@"; do
		cat >> "$f" <<EOC
EXPORT {
	Export_Id = $id; Path = "$p"; Pseudo = "$p";
	Access_Type = RO; Squash = No_Root_Squash; Protocols = 3, 4; Transports = TCP; SecType = sys;
	FSAL { Name = VFS; }
}
EOC
		id=$((id + 1))
	done
}
vm_ns_servers_script() {
	local f=$1 conf=$2 tmp=$3
	cat > "$f" <<EOC
mount -t tmpfs tmpfs /run; mkdir -p /run/rpcbind
rpcbind -w || exit 10
ganesha.nfsd -f "$conf" -L "$tmp/ganesha.log" -p "$tmp/ganesha.pid" -N NIV_EVENT || exit 11
for i in \$(seq 100); do grep -q 'NFS SERVER INITIALIZED' "$tmp/ganesha.log" 2>/dev/null && break; sleep 0.2; done
EOC
}
vm_ns_boot() {
	local ns=$1 script=$2 name=$3 to=$4 mem=$5 append=$6 tmp
	shift 6
	tmp=$(dirname "$script")
	ip netns exec "$ns" unshare -m --propagation private bash -c "bash $script || exit \$?
		source test-vm/lib.sh
		VM_MEM=$mem VM_NETDEV_EXTRA=,hostname=$name vm_run $name $to '$append' -serial file:$VM_DIR/$name-report.log $*
		rc=\$?
		kill \$(cat $tmp/ganesha.pid) 2>/dev/null; rm -f $tmp/ganesha.pid; sleep 0.3
		exit \$rc"
	BOOT_RC=$?
}

# ---- the Debian root's report port and its shell (test-debian.sh, demo.sh) ----
# vm_report NAME KEY: the first "DEBTEST KEY: value" of NAME-report.log (the
# image's debtest-report on ttyS1, doc/debian-root.md); vm_report_all: every one.
vm_report() { sed -n "s/^DEBTEST $2: //p" "$VM_DIR/$1-report.log" | tr -d '\r' | head -n1; }
vm_report_all() { sed -n "s/^DEBTEST $2: //p" "$VM_DIR/$1-report.log" | tr -d '\r'; }

# vm_login NAME USER HOST COUNT SECONDS: wait for the COUNTth "HOST login:"
# prompt of a getty on NAME's console (a reboot shows one more), log in (a
# user without a password, as the test root's root), wait for the prompt.
vm_login() {
	local name=$1 user=$2 host=$3 count=$4 secs=$5 n
	vm_wait_for "$name" "$host login: " "$secs" "a login prompt on $host's console (boot $count)" "$count" || return 1
	n=$(grep -ac "$user@$host:[^ ]*# " "$(vm_log "$name")")
	sleep 1
	vm_send "$name" "$user"$'\n'
	vm_wait_for "$name" "$user@$host:[^ ]*# " 60 "logged in as $user on $host's console (boot $count)" $((n + 1))
}

# vm_sh NAME SECONDS COMMAND: run COMMAND (one line) in the shell logged in on
# NAME's console; print its output (stdout and stderr), return its status
# (99: no end within SECONDS).  The tag (unique: the time in ns, as callers
# run this in $(...) subshells) is computed by the node's shell, so the
# echoed command line never matches it.
vm_sh() {
	local name=$1 secs=$2 cmd=$3 log i n t rc
	log=$(vm_log "$name")
	n=$(date +%s%N)
	t=V$n
	vm_send "$name" "vt=V\$(($n)); { $cmd; } 2>&1 | sed \"s/^/<\$vt> /\"; echo \"<\$vt-end \${PIPESTATUS[0]}>\""$'\n'
	for ((i = 0; i < secs * 5; i++)); do
		grep -aq "<$t-end [0-9]*>" "$log" && break
		sleep 0.2
	done
	tr -d '\r' < "$log" | sed -n "s/^.*<$t> //p"
	rc=$(tr -d '\r' < "$log" | sed -n "s/^.*<$t-end \([0-9]*\)>.*/\1/p" | head -n1)
	return "${rc:-99}"
}

# vm_ns_cleanup TMP NS: the end of a test that ran servers in namespace NS
# with their pid files in TMP (ganesha.pid, nginx.pid): stop them, anything
# else left in NS, delete NS and TMP.
vm_ns_cleanup() {
	local tmp=$1 ns=$2 p
	for p in ganesha nginx; do [ -f "$tmp/$p.pid" ] && kill "$(cat "$tmp/$p.pid")" 2>/dev/null; done
	sleep 0.5
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
