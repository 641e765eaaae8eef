#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small fault-injecting TFTP server for the fetch tests (loopback only).

    tftpd.py PORT ROOT LOGFILE

Read requests only; blksize (RFC 2348), tsize (RFC 2349) and windowsize
(RFC 7440).  The first path component may pick a fault:

  drop=N/<file>     block N is not sent the first time (a lost packet)
  foreign=N/<file>  at block N, a DATA packet also comes from another port;
                    an ERROR 5 received there is logged as "foreign-error5"
  badoack/<file>    the OACK offers a larger blksize than asked
  badopt/<file>     the OACK carries an option that was not asked for
  nooack/<file>     options ignored: DATA 1 with 512-byte blocks
  err8/<file>       a request with options gets ERROR 8
  wrap1/<file>      block numbers wrap from 65535 to 1 (not 0)
  nowindow/<file>   windowsize is not acknowledged
"""
import os
import socket
import struct
import sys
import threading

ROOT = ""
LOG = None
lock = threading.Lock()


def log(msg):
    with lock:
        LOG.write(msg + "\n")
        LOG.flush()


def parse_rrq(pkt):
    parts = pkt[2:].split(b"\0")
    name, mode = parts[0].decode(), parts[1].decode().lower()
    opts = {}
    for i in range(2, len(parts) - 1, 2):
        if parts[i]:
            opts[parts[i].decode().lower()] = parts[i + 1].decode()
    return name, mode, opts


def error(sock, addr, code, msg):
    sock.sendto(struct.pack("!HH", 5, code) + msg.encode() + b"\0", addr)


def serve(addr, pkt):
    name, mode, opts = parse_rrq(pkt)
    fault, arg, path = "", 0, name
    first = name.split("/", 1)
    if len(first) == 2 and first[0].split("=")[0] in (
            "drop", "foreign", "badoack", "badopt", "nooack", "err8", "wrap1", "nowindow"):
        fault, _, a = first[0].partition("=")
        arg = int(a) if a else 0
        path = first[1]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.5)
    full = os.path.normpath(os.path.join(ROOT, path))
    if not full.startswith(ROOT) or not os.path.isfile(full):
        error(s, addr, 1, "File not found")
        return
    if fault == "err8" and opts:
        error(s, addr, 8, "options refused")
        log("err8 sent")
        return
    data = open(full, "rb").read()
    blksize, window = 512, 1
    oack = {}
    if opts and fault != "nooack":
        if "blksize" in opts:
            blksize = min(int(opts["blksize"]), 65464)
            oack["blksize"] = blksize
        if "tsize" in opts:
            oack["tsize"] = len(data)
        if "windowsize" in opts and fault != "nowindow":
            window = int(opts["windowsize"])
            oack["windowsize"] = window
        if fault == "badoack":
            oack["blksize"] = blksize + 100
        if fault == "badopt":
            oack["multicast"] = "1"
    log("rrq %s opts=%s fault=%s blksize=%d window=%d" % (name, opts, fault, blksize, window))
    nblocks = len(data) // blksize + 1

    def wire(n):  # 16-bit block number of block n (1-based)
        if fault == "wrap1" and n > 65535:
            return (n - 65536) % 65535 + 1
        return n & 0xFFFF

    def send_block(n, sock=s):
        chunk = data[(n - 1) * blksize:n * blksize]
        sock.sendto(struct.pack("!HH", 3, wire(n)) + chunk, addr)

    if oack:
        body = b"".join(k.encode() + b"\0" + str(v).encode() + b"\0" for k, v in oack.items())
        for _ in range(5):
            s.sendto(struct.pack("!H", 6) + body, addr)
            try:
                r, a = s.recvfrom(65536)
            except socket.timeout:
                continue
            op, = struct.unpack("!H", r[:2])
            if op == 5:
                log("client error %d %s" % (struct.unpack("!H", r[2:4])[0], r[4:-1].decode()))
                return
            if op == 4 and struct.unpack("!H", r[2:4])[0] == 0:
                break
        else:
            return
    base, dropped, foreign_done, timeouts = 1, False, False, 0
    while base <= nblocks:
        for n in range(base, min(base + window, nblocks + 1)):
            if fault == "drop" and n == arg and not dropped:
                dropped = True
                log("dropped block %d" % n)
                continue
            send_block(n)
            if fault == "foreign" and n == arg and not foreign_done:
                foreign_done = True
                f = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                f.bind(("127.0.0.1", 0))
                f.settimeout(1)
                send_block(n, f)
                try:
                    r, _ = f.recvfrom(1024)
                    if r[:4] == struct.pack("!HH", 5, 5):
                        log("foreign-error5")
                except socket.timeout:
                    log("foreign: no answer")
                f.close()
        # wait for an ACK that moves the window
        try:
            r, a = s.recvfrom(65536)
        except socket.timeout:
            timeouts += 1
            if timeouts > 10:
                log("gave up")
                return
            continue
        timeouts = 0
        op, blk = struct.unpack("!HH", r[:4])
        if op == 5:
            log("client error %d" % blk)
            return
        if op != 4:
            continue
        # map the 16-bit ACK to the block in (base-1 .. base+window-1)
        for n in range(base - 1, base + window):
            if n >= 0 and wire(n) == blk and n >= base - 1:
                base = n + 1
                break
    log("done %s" % name)


def main():
    global ROOT, LOG
    port, ROOT, logfile = int(sys.argv[1]), os.path.realpath(sys.argv[2]), sys.argv[3]
    LOG = open(logfile, "a")
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", port))
    while True:
        pkt, addr = srv.recvfrom(65536)
        if pkt[:2] == b"\0\1":
            threading.Thread(target=serve, args=(addr, pkt), daemon=True).start()


if __name__ == "__main__":
    main()
