# Shared by tests/integration/fetch-*.sh and bench/fetch.sh: fixtures,
# loopback servers, PASS/FAIL helpers.  Source after cd to the top dir.
# shellcheck shell=bash

fails=0
pids=()
work=$(mktemp -d /tmp/netinit-fetch.XXXXXX)
chmod 755 "$work"

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; fails=$((fails + 1)); }

fetch_cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	grep -q " $work/" /proc/mounts && awk -v w="$work/" 'index($2, w) == 1 {print $2}' /proc/mounts |
		sort -r | xargs -r -n1 umount -l 2>/dev/null
	rm -rf "$work"
}

# The fetch command: build/init fetch when it knows it, else build/netinit-fetch.
pick_fetch() {
	if [ -x build/init ] && build/init fetch --help >/dev/null 2>&1; then
		FETCH=("$PWD/build/init" fetch)
	else
		FETCH=("$PWD/build/netinit-fetch")
	fi
	SIGN=$PWD/build/netinit-sign
}

# A free TCP/UDP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, getattr(socket, sys.argv[1])); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "${1:-SOCK_STREAM}"
}

wait_port() { # port
	local i
	for i in $(seq 50); do
		(exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

start_nginx() { # docroot -> NGINX_PORT
	NGINX_PORT=$(free_port)
	mkdir -p "$work/nginx"
	cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  types { application/octet-stream img; }
  server { listen 127.0.0.1:$NGINX_PORT; root $1; }
}
CONF
	nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/start.log" &
	pids+=($!)
	wait_port "$NGINX_PORT"
}

start_proxy() { # -> PROXY_PORT, in front of nginx
	PROXY_PORT=$(free_port)
	python3 tests/fetch/faultproxy.py "$PROXY_PORT" "$NGINX_PORT" 2>"$work/proxy.log" &
	pids+=($!)
	wait_port "$PROXY_PORT"
}

# A small root tree with the things a root has: setuid, symlinks, hard
# links, device nodes, a long name, an empty dir.
make_tree() { # dir
	local d=$1
	mkdir -p "$d"/{bin,etc,dev,usr/lib/deep/er/and/deeper,tmp,empty}
	cp /bin/busybox "$d/bin/busybox"
	chmod 4755 "$d/bin/busybox"
	ln -sf busybox "$d/bin/sh"
	ln "$d/bin/busybox" "$d/bin/hardlinked"
	echo node > "$d/etc/hostname"
	chmod 1777 "$d/tmp"
	mknod "$d/dev/null" c 1 3 2>/dev/null
	mknod "$d/dev/console" c 5 1 2>/dev/null
	head -c 300000 /dev/urandom > "$d/usr/lib/deep/er/and/deeper/$(printf 'x%.0s' $(seq 150))"
}
