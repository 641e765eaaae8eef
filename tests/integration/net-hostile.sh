#!/bin/bash
# A hostile DHCP server on the wire: a small raw-socket responder (python3)
# in a network namespace answers each DISCOVER with a burst of malformed
# OFFERs for 10.66.0.99 (bad IP/UDP checksums and lengths, an option past
# the end, a trailing tag, nested overload, a 3-byte server id, wrong xid,
# wrong chaddr, bad cookie, a fragment, yiaddr 0), then one valid OFFER for
# 10.66.0.50 whose host name is "x;reboot".  The client must ignore every
# malformed frame, request .50, drop the host name and keep the root-path.
# Namespaces are created here and removed on exit.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD

if [ $# -gt 0 ]; then
	client=("$@")
elif [ -x build/init ] && build/init dhcp --help >/dev/null 2>&1; then
	client=("$top/build/init" dhcp)
else
	client=("$top/build/netinit-dhcp")
fi
name=net-hostile
for t in ip python3 unshare timeout; do
	command -v "$t" >/dev/null || { echo "FAIL: $name: cannot run: $t not installed"; exit 1; }
done
[ -x "${client[0]}" ] || { echo "FAIL: $name: cannot run: ${client[0]} not built"; exit 1; }
[ "$(id -u)" = 0 ] || { echo "FAIL: $name: cannot run: needs root"; exit 1; }

tag=nh$(($$ % 100000))
srv=$tag-srv cli=$tag-cli
work=$(mktemp -d /tmp/net-hostile.XXXXXX)
spid=
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	ip netns del "$srv" 2>/dev/null
	ip netns del "$cli" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$srv" && ip netns add "$cli" &&
	ip link add s0 netns "$srv" type veth peer name c0 address 52:54:00:66:00:01 netns "$cli" &&
	ip -n "$srv" addr add 10.66.0.1/24 dev s0 && ip -n "$srv" link set s0 up ||
	{ echo "FAIL: $name: cannot run: namespace setup failed"; exit 1; }

cat >"$work/server.py" <<'EOF'
import socket, struct, sys, time

IFACE, LOG = sys.argv[1], open(sys.argv[2], "w", buffering=1)
SRV = bytes([10, 66, 0, 1])

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def opt(code, val):
    return bytes([code, len(val)]) + val

def msg(mtype, xid, chaddr, yiaddr, extra=b"", end=True, cookie=b"\x63\x82\x53\x63",
        sname=b"", file=b""):
    m = bytearray(240)
    m[0:4] = b"\x02\x01\x06\x00"
    m[4:8] = xid
    m[16:20] = yiaddr
    m[20:24] = SRV
    m[28:34] = chaddr
    m[44:44 + len(sname)] = sname
    m[108:108 + len(file)] = file
    m[236:240] = cookie
    o = opt(53, bytes([mtype])) + opt(54, SRV) + opt(51, b"\x00\x00\x0e\x10") + \
        opt(1, b"\xff\xff\xff\x00") + opt(3, SRV) + extra
    return bytes(m) + o + (b"\xff" if end else b"")

def frame(payload, bad_ip=False, bad_udp=False, ihl=5, tot_extra=0, frag=0, ulen_extra=0):
    src, dst = SRV, b"\xff\xff\xff\xff"
    ulen = 8 + len(payload) + ulen_extra
    udp = struct.pack("!HHHH", 67, 68, ulen, 0) + payload
    c = csum(src + dst + struct.pack("!BBH", 0, 17, 8 + len(payload)) + udp)
    if bad_udp:
        c ^= 0x5555
    udp = udp[:6] + struct.pack("!H", c or 0xffff) + udp[8:]
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(udp) + tot_extra,
                                0, frag, 64, 17, 0, src, dst))
    c = csum(bytes(hdr))
    if bad_ip:
        c ^= 0x1111
    hdr[10:12] = struct.pack("!H", c)
    return bytes(hdr) + udp

s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
s.bind((IFACE, 0x0800))
dest = (IFACE, 0x0800, 0, 0, b"\xff" * 6)
BAD, GOOD = bytes([10, 66, 0, 99]), bytes([10, 66, 0, 50])
good_opts = opt(12, b"x;reboot") + opt(17, b"10.66.0.1:/srv/ok")

while True:
    pkt = s.recv(2048)
    if len(pkt) < 28 + 240 or pkt[9] != 17:
        continue
    ihl = (pkt[0] & 15) * 4
    if struct.unpack("!H", pkt[ihl + 2:ihl + 4])[0] != 67:
        continue
    d = pkt[ihl + 8:]
    xid, chaddr = d[4:8], d[28:34]
    # the message type from a simple walk (our own client's packets)
    i, mtype, req = 240, 0, b""
    while i + 1 < len(d) and d[i] != 255:
        if d[i] == 0:
            i += 1
            continue
        if d[i] == 53:
            mtype = d[i + 2]
        if d[i] == 50:
            req = d[i + 2:i + 6]
        i += 2 + d[i + 1]
    if mtype == 1:
        LOG.write("DISCOVER\n")
        bad = [
            frame(msg(2, xid, chaddr, BAD), bad_ip=True),
            frame(msg(2, xid, chaddr, BAD), bad_udp=True),
            frame(msg(2, xid, chaddr, BAD), ihl=15),
            frame(msg(2, xid, chaddr, BAD), tot_extra=400),
            frame(msg(2, xid, chaddr, BAD), ulen_extra=300),
            frame(msg(2, xid, chaddr, BAD), frag=0x2000),
            frame(msg(2, xid, chaddr, BAD, extra=b"\x0c\x40abc", end=False)),  # past the end
            frame(msg(2, xid, chaddr, BAD, extra=b"\x0c", end=False)),         # trailing tag
            frame(msg(2, xid, chaddr, BAD, extra=opt(52, b"\x01"),
                      file=opt(52, b"\x02") + b"\xff")),                      # nested overload
            frame(msg(2, xid, chaddr, BAD).replace(opt(54, SRV), b"\x36\x03\x0a\x42\x00\x00", 1)),
            frame(msg(2, bytes(4), chaddr, BAD)),                              # wrong xid
            frame(msg(2, xid, b"\x02" * 6, BAD)),                              # wrong chaddr
            frame(msg(2, xid, chaddr, BAD, cookie=b"\x63\x82\x53\x64")),
            frame(msg(2, xid, chaddr, bytes(4))),                              # yiaddr 0
            frame(msg(2, xid, chaddr, BAD, extra=opt(51, b"\x00"))[:250]),     # truncated
        ]
        for f in bad:
            s.sendto(f, dest)
        time.sleep(0.05)
        s.sendto(frame(msg(2, xid, chaddr, GOOD, extra=good_opts)), dest)
    elif mtype == 3:
        LOG.write("REQUEST %s\n" % ".".join(map(str, req)))
        if req == GOOD:
            s.sendto(frame(msg(5, xid, chaddr, GOOD, extra=good_opts)), dest)
EOF

ip netns exec "$srv" python3 "$work/server.py" s0 "$work/server.log" 2>"$work/server.err" &
spid=$!
sleep 0.5
kill -0 "$spid" 2>/dev/null || { echo "FAIL: $name: cannot run: responder died: $(cat "$work/server.err")"; exit 1; }

out=$work/client.out
fails=0
if timeout 60 ip netns exec "$cli" unshare -u "${client[@]}" -v --timeout 20 --arp-ms 0 c0 >"$out" 2>"$out.err"; then
	addr=$(sed -n "s/^ADDR='\(.*\)'$/\1/p" "$out")
	if [ "$addr" = 10.66.0.50 ] && ! grep -q "REQUEST 10.66.0.99" "$work/server.log"; then
		echo "PASS: $name: 15 malformed OFFERs ignored, the valid one taken"
	else
		echo "FAIL: $name: malformed OFFER accepted: ADDR=$addr; $(tr '\n' ' ' <"$work/server.log")"
		fails=1
	fi
	if ! grep -q "^HOSTNAME=" "$out" && grep -q "ignoring option 12" "$out.err" &&
		grep -q "^ROOT_PATH='10.66.0.1:/srv/ok'" "$out"; then
		echo "PASS: $name: host name \"x;reboot\" dropped and logged, root-path kept"
	else
		echo "FAIL: $name: host name handling: $(grep -E 'HOSTNAME|ROOT_PATH' "$out")"
		fails=1
	fi
else
	echo "FAIL: $name: no lease: $(tail -3 "$out.err")"
	fails=1
fi
exit $fails
