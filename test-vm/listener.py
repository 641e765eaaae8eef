#!/usr/bin/env python3
"""Test listeners for the boot report (test-vm/test-policy.sh): a syslog
receiver on UDP and an HTTP server taking POSTs (appended to a file) and serving GETs from OUTDIR/www.  Usage: listener.py ADDR UDP_PORT HTTP_PORT OUTDIR"""
import http.server, os, socket, sys, threading, time

addr, udp_port, http_port, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def syslog():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, udp_port))
    while True:
        data, peer = s.recvfrom(65535)
        with open(os.path.join(out, "syslog.txt"), "ab") as f:
            f.write(data.rstrip(b"\n") + b"\n")

class Post(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        with open(os.path.join(out, "http.txt"), "ab") as f:
            f.write(b"POST " + self.path.encode() + b" " + self.headers.get("Content-Type", "").encode() + b"\n" + body)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_GET(self):
        # /slow/NAME: NAME sent in 4 KiB pieces spread over SLOW_SECONDS
        slow = self.path.startswith("/slow/")
        path = os.path.join(out, "www", os.path.basename(self.path))
        try:
            body = open(path, "rb").read()
        except OSError:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not slow:
            self.wfile.write(body)
            return
        pieces = max(1, len(body) // 4096)
        pause = float(os.environ.get("SLOW_SECONDS", "50")) / pieces
        for i in range(0, len(body), 4096):
            self.wfile.write(body[i:i + 4096])
            self.wfile.flush()
            time.sleep(pause)
    def log_message(self, *a):
        pass

threading.Thread(target=syslog, daemon=True).start()
http.server.ThreadingHTTPServer((addr, http_port), Post).serve_forever()
