#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A loopback TCP port whose accept queue is full: SYNs to it are dropped,
so a client's connect() hangs until its own timeout.  Prints the port.
(Linux drops SYNs once the accept queue of a listen(0) socket is full.)"""
import socket
import sys
import time

s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(0)
fill = []
for _ in range(4):  # fill the accept queue (backlog 0 still holds one)
    c = socket.socket()
    c.setblocking(False)
    try:
        c.connect(s.getsockname())
    except BlockingIOError:
        pass
    fill.append(c)
time.sleep(0.2)
print(s.getsockname()[1], flush=True)
time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 120)
