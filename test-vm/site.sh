#!/bin/bash
# A whole boot site in a network namespace, for `make demo` and the PXE VM test.
#
#   netinit-export renders, from drop-ins in $SITE/etc: the dnsmasq config
#   (the cluster's dhcp-range, host entries, PXE boot, TFTP), pxelinux.cfg
#   per MAC, the TFTP tree (pxelinux.0, ldlinux.c32, kernel, initramfs), the
#   nginx snippet and the signed image manifest.  dnsmasq runs from the
#   rendered file alone (only log, pid and lease file paths on its command
#   line); dnsmasq (DHCP + TFTP) and nginx
#   (HTTP) run in the namespace on a bridge, 10.77.0.1/24; QEMU nodes attach
#   to the bridge with a tap device (an e1000 NIC: its iPXE option ROM is the
#   one that runs under SeaBIOS here), PXE-boot through pxelinux and boot with
#   netinit from the signed squashfs image.  Nothing leaves the namespace.
#
# Source it, then: site_build; site_up; site_boot NAME MAC TIMEOUT; site_down
# (site_dnsmasq_stop / site_dnsmasq_start: restart dnsmasq after a re-render)
# (SITE_EXTRA_DROPIN: drop-in text added as etc/conf.d/50-test.conf)
: "${BUILD:=build}"
SITE=$PWD/$BUILD/site
SITE_NS=netinit-site-$$
SITE_IP=10.77.0.1

site_die() { echo "FAIL: site: cannot run: $*"; return 1; }

# The site's files: image, key, drop-ins, rendered configs, TFTP tree.
site_build() {
	local kver=${KVER:-$(ls -1 /lib/modules | sort -V | tail -n 1)}
	[ -x /usr/lib/PXELINUX/pxelinux.0 ] || [ -f /usr/lib/PXELINUX/pxelinux.0 ] || { site_die "pxelinux missing"; return 1; }
	rm -rf "$SITE"; mkdir -p "$SITE"/{etc/nodes.d,images/demo,tftp/netinit,nodes,keys,log}
	# The image: the busybox test root as a squashfs.
	bash test-vm/mkroot.sh "$SITE/tree" >/dev/null || return 1
	echo "booted-from-signed-squashfs" > "$SITE/tree/etc/netinit-test-root"
	mksquashfs "$SITE/tree" "$SITE/images/demo/root.squashfs" -comp zstd -noappend -quiet >/dev/null || { site_die "mksquashfs failed"; return 1; }
	cat > "$SITE/etc/netinit.conf" <<EOC
# The demo site: one boot server ($SITE_IP), one signed squashfs image.
[site]
server = $SITE_IP
network = 10.77.0.0/24
tftp-root = $SITE/tftp
images-dir = $SITE/images
nodes-dir = $SITE/nodes
kernel = netinit/vmlinuz
initrd = netinit/initramfs.img
kernel-source = /boot/vmlinuz-$kver
initrd-source = $SITE/initramfs.img
dnsmasq-tftp = yes
cmdline = console=ttyS0 panic=5
pxe-default-image = demo
public-key = $SITE/keys/site.pub
secret-key = $SITE/keys/site.key
outputs = dnsmasq pxelinux nginx manifests tftp

[output]
dnsmasq = $SITE/out/dnsmasq.conf
nginx = $SITE/out/nginx-images.conf

[image demo]
root = http
file = demo/root.squashfs
version = 1
writable = volatile
EOC
	cat > "$SITE/etc/nodes.d/10-demo.conf" <<'EOC'
# Two demo nodes: one short group, as a rack would be.
[group demo]
name = node%d
count = 2
ip = 10.77.0.11-10.77.0.12
mac-start = 52:54:00:77:00:01
image = demo
EOC
	# A test's own settings on top (e.g. test-ipxe.sh: bootfile = ipxe/boot.ipxe).
	if [ -n "${SITE_EXTRA_DROPIN:-}" ]; then
		mkdir -p "$SITE/etc/conf.d"
		printf '%s\n' "$SITE_EXTRA_DROPIN" > "$SITE/etc/conf.d/50-test.conf"
	fi
	build/netinit-export -q -c "$SITE/etc" keygen > "$SITE/log/keygen.log" 2>&1 || { site_die "netinit-export keygen: $(tail -n 3 "$SITE/log/keygen.log")"; return 1; }
	# Our initramfs, trusting the site key; render puts it (and the kernel,
	# pxelinux.0, ldlinux.c32) into the TFTP tree.
	bash mkinitramfs/netinit-mkinitramfs --kver "$kver" --init build/init.stripped \
		--key "$SITE/keys/site.pub" --output "$SITE/initramfs.img" 2>"$SITE/log/mkinitramfs.log" \
		|| { site_die "netinit-mkinitramfs: $(tail -n 3 "$SITE/log/mkinitramfs.log")"; return 1; }
	build/netinit-export -c "$SITE/etc" check > "$SITE/log/check.log" 2>&1 || { site_die "netinit-export check: $(tail -n 5 "$SITE/log/check.log")"; return 1; }
	build/netinit-export -v -c "$SITE/etc" render > "$SITE/log/render.log" 2>&1 || { site_die "netinit-export render: $(tail -n 5 "$SITE/log/render.log")"; return 1; }
}

site_up() {
	ip netns add "$SITE_NS" || { site_die "ip netns add"; return 1; }
	ip -n "$SITE_NS" link set lo up
	ip -n "$SITE_NS" link add br0 type bridge
	ip -n "$SITE_NS" addr add "$SITE_IP/24" dev br0
	ip -n "$SITE_NS" link set br0 up
	cat > "$SITE/nginx.conf" <<EOC
daemon on;
pid $SITE/log/nginx.pid;
error_log $SITE/log/nginx-error.log;
events { worker_connections 64; }
http {
	access_log $SITE/log/nginx-access.log;
	client_body_temp_path $SITE/log; proxy_temp_path $SITE/log; fastcgi_temp_path $SITE/log;
	uwsgi_temp_path $SITE/log; scgi_temp_path $SITE/log;
	server {
		listen $SITE_IP:80;
		include $SITE/out/nginx-images.conf;
	}
}
EOC
	ip netns exec "$SITE_NS" nginx -c "$SITE/nginx.conf" || { site_die "nginx did not start"; return 1; }
	site_dnsmasq_start
}

# dnsmasq: the rendered file alone (dhcp-range, hosts, PXE, TFTP); only
# where it logs and keeps its pid and leases is said here.  Stopped and
# started again by a test that re-renders the site or starts it late.
site_dnsmasq_start() {
	ip netns exec "$SITE_NS" dnsmasq --conf-file="$SITE/out/dnsmasq.conf" \
		--log-dhcp --log-facility="$SITE/log/dnsmasq.log" --pid-file="$SITE/log/dnsmasq.pid" \
		--dhcp-leasefile="$SITE/log/dnsmasq.leases" || { site_die "dnsmasq did not start"; return 1; }
}
site_dnsmasq_stop() {
	local pid i
	pid=$(cat "$SITE/log/dnsmasq.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$SITE/log/dnsmasq.pid"
}

# site_boot NAME MAC TIMEOUT [APPEND]: PXE-boot one node on the bridge; console in
# build/vm/NAME.log.  With APPEND, the kernel and initramfs of the TFTP tree are
# given to QEMU with that command line instead (the firmware's part left out).
site_boot() {
	local name=$1 mac=$2 to=$3 tap=tap$RANDOM boot=(-boot n)
	[ -n "${4:-}" ] && boot=(-kernel "$SITE/tftp/netinit/vmlinuz" -initrd "$SITE/tftp/netinit/initramfs.img" -append "$4")
	ip -n "$SITE_NS" tuntap add "$tap" mode tap
	ip -n "$SITE_NS" link set "$tap" master br0 up
	local log=$BUILD/vm/$name.log
	mkdir -p "$BUILD/vm"; : > "$log"
	local t0=$SECONDS
	timeout -k 5 "$to" ip netns exec "$SITE_NS" qemu-system-x86_64 -accel tcg -m 1024 -smp 1 \
		-nographic -no-reboot -nodefaults -display none -serial "file:$log" "${boot[@]}" \
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" \
		-device "e1000,netdev=n0,mac=$mac,bootindex=1" \
		< /dev/null > "$BUILD/vm/$name.qemu.out" 2>&1
	local rc=$?
	SITE_ELAPSED=$((SECONDS - t0))
	ip -n "$SITE_NS" link del "$tap" 2>/dev/null
	return $rc
}

site_down() {
	for p in "$SITE/log/dnsmasq.pid" "$SITE/log/nginx.pid"; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	sleep 0.3
	ip netns pids "$SITE_NS" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$SITE_NS" 2>/dev/null
	return 0
}
