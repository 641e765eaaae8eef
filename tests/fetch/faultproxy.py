#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fault-injecting HTTP proxy for the fetch tests (loopback only).

    faultproxy.py LISTEN_PORT UPSTREAM_PORT [--listen ADDR] [--upstream ADDR]
                  [--mode MODE] [--log FILE]

A request for /<mode>/<path> is forwarded to http://127.0.0.1:UPSTREAM/<path>
and the answer is damaged as <mode> says.  Most modes act on the first
request of a path only (counted per /<mode>/<path>), so a retry shows
whether the client recovers.  With --mode, every path is forwarded as it
is and damaged as MODE says (a proxy in front of a site's nginx, whose
URLs must not change: test-vm/test-faults.sh); --listen and --upstream
replace 127.0.0.1; --log appends each request line and each cut to FILE.

  pass                 forward unchanged
  drop=N[,K]           first K answers (default 1): headers + N body bytes, then close
  trickle              first answer: headers, then 1 byte per second
  503=K,S              first K answers: 503 with Retry-After: S
  drop-range200=N      drop=N, then a Range request gets the whole 200
  drop-badrange=N      drop=N, then a 206 with a wrong Content-Range
  wronglen=D           Content-Length off by D bytes (D may be negative)
  corrupt=N            flip the bits of body byte N (every answer)
  redirect=N           N redirects (302, relative Location) before the file
  redirect-loop        302 to itself, forever
  redirect-https       302 to https://... (a scheme change)
  chunked              forward the body with chunked transfer coding
GET /_log returns the requests seen (for assertions), /_reset clears.
"""
import socket
import socketserver
import sys
import threading
import time

counts = {}
log = []
lock = threading.Lock()
UP = 0
UP_ADDR = "127.0.0.1"
MODE = None
LOGFILE = None


def note(line):
    with lock:
        log.append(line)
        if LOGFILE:
            with open(LOGFILE, "a") as f:
                f.write(line + "\n")


def bump(key):
    with lock:
        counts[key] = counts.get(key, 0) + 1
        return counts[key]


def read_head(rf):
    lines = []
    while True:
        line = rf.readline(65537)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            return lines
        lines.append(line.decode("latin-1").rstrip("\r\n"))


def parse_headers(lines):
    h = {}
    for l in lines:
        k, _, v = l.partition(":")
        h[k.strip().lower()] = v.strip()
    return h


def upstream(path, headers):
    s = socket.create_connection((UP_ADDR, UP), timeout=30)
    req = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" % path
    for k in ("range", "if-range"):
        if k in headers:
            req += "%s: %s\r\n" % (k, headers[k])
    s.sendall((req + "\r\n").encode())
    rf = s.makefile("rb")
    status = rf.readline().decode("latin-1").rstrip("\r\n")
    hl = read_head(rf) or []
    return s, rf, status, hl


class Handler(socketserver.StreamRequestHandler):
    def send(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def handle(self):
        head = read_head(self.rfile)
        if not head:
            return
        method, target, _ = head[0].split(" ", 2)
        headers = parse_headers(head[1:])
        note("%s %s range=%s" % (method, target, headers.get("range", "-")))
        if target == "/_log":
            body = ("\n".join(log) + "\n").encode()
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            return
        if target == "/_reset":
            with lock:
                counts.clear()
                log.clear()
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            return
        parts = target.split("/", 2)
        if MODE:
            mode, path = MODE, target
        elif len(parts) < 3:
            self.send(b"HTTP/1.1 400 Bad\r\nContent-Length: 0\r\n\r\n")
            return
        else:
            mode, path = parts[1], "/" + parts[2]
        self.path = path
        self.path_is_manifest = path.endswith(".manifest")
        name, _, arg = mode.partition("=")
        n = bump(target)

        if name == "503" and n <= int(arg.split(",")[0]):
            self.send(b"HTTP/1.1 503 Busy\r\nRetry-After: %s\r\nContent-Length: 0\r\n\r\n"
                      % arg.split(",")[1].encode())
            return
        if name == "redirect-loop":
            self.send(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n"
                      % target.encode())
            return
        if name == "redirect-https":
            self.send(b"HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1%s\r\n"
                      b"Content-Length: 0\r\n\r\n" % path.encode())
            return
        if name == "redirect":
            hops = int(arg)
            if hops > 0:
                nxt = "/redirect=%d%s" % (hops - 1, path) if hops > 1 else "/pass" + path
                # a relative reference, resolved by the client (RFC 3986 5.2)
                self.send(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n"
                          % nxt.encode())
                return
        if name == "drop-range200" and "range" in headers:
            del headers["range"]
            headers.pop("if-range", None)
        s, rf, status, hl = upstream(path, headers)
        h = parse_headers(hl)
        try:
            self.relay(name, arg, n, headers, s, rf, status, hl, h)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            s.close()

    def relay(self, name, arg, n, headers, s, rf, status, hl, h):
        length = int(h.get("content-length", "-1"))
        out_hl = [l for l in hl if not l.lower().startswith(("connection", "keep-alive"))]
        if name == "wronglen" and length >= 0 and not self.path_is_manifest:
            out_hl = [l for l in out_hl if not l.lower().startswith("content-length")]
            out_hl.append("Content-Length: %d" % (length + int(arg)))
        if name == "drop-badrange" and n > 1 and status.split()[1] == "206":
            # claim the bytes start 10 earlier than asked: a broken server
            cr = h["content-range"]
            a, _, rest = cr[6:].partition("-")
            b, _, total = rest.partition("/")
            out_hl = [l for l in out_hl if not l.lower().startswith("content-range")]
            out_hl.append("Content-Range: bytes %d-%s/%s" % (max(0, int(a) - 10), b, total))
        if name == "chunked":
            out_hl = [l for l in out_hl if not l.lower().startswith("content-length")]
            out_hl.append("Transfer-Encoding: chunked")
        self.send((status + "\r\n" + "".join(l + "\r\n" for l in out_hl) +
                   "Connection: close\r\n\r\n").encode("latin-1"))
        limit = None
        if name in ("drop", "drop-range200", "drop-badrange"):
            cut, _, times = arg.partition(",")
            if n <= int(times or "1"):
                limit = int(cut)
        sent = 0
        while True:
            if name == "trickle" and n == 1:
                chunk = rf.read(1)
                time.sleep(1)
            else:
                chunk = rf.read1(65536) if hasattr(rf, "read1") else rf.read(65536)
            if not chunk:
                break
            if limit is not None and sent + len(chunk) > limit:
                chunk = chunk[:limit - sent]
            if name == "corrupt":
                pos = int(arg)
                if sent <= pos < sent + len(chunk):
                    b = bytearray(chunk)
                    b[pos - sent] ^= 0xff
                    chunk = bytes(b)
            if name == "chunked":
                self.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            else:
                self.send(chunk)
            sent += len(chunk)
            if limit is not None and sent >= limit:
                # drop the connection hard, as a dying server would
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           b"\x01\x00\x00\x00\x00\x00\x00\x00")
                note("cut %s after %d body bytes (answer %d)" % (self.path, sent, n))
                return
        if name == "chunked":
            self.send(b"0\r\n\r\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    args, opts, it = [], {}, iter(sys.argv[1:])
    for a in it:
        if a.startswith("--"):
            opts[a] = next(it)
        else:
            args.append(a)
    UP = int(args[1])
    listen = opts.get("--listen", "127.0.0.1")
    UP_ADDR = opts.get("--upstream", UP_ADDR)
    MODE = opts.get("--mode")
    LOGFILE = opts.get("--log")
    srv = Server((listen, int(args[0])), Handler)
    srv.serve_forever()
