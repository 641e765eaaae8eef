#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write archives with each traversal trick into DIR (one file per trick).

    traversal.py DIR OUTSIDE
OUTSIDE is the absolute path that must stay untouched.
"""
import io
import os
import sys
import tarfile

out, outside = sys.argv[1], sys.argv[2]


def tar(name, members, fmt=tarfile.GNU_FORMAT):
    with tarfile.open(os.path.join(out, name + ".tar"), "w", format=fmt) as t:
        for m in members:
            info = tarfile.TarInfo(m[0])
            info.type = m[1]
            data = b""
            if m[1] == tarfile.REGTYPE:
                data = m[2].encode()
                info.size = len(data)
            else:
                info.linkname = m[2]
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data) if data else None)


def cpio(name, members):
    b = b""
    for ino, (path, mode, data) in enumerate(members + [("TRAILER!!!", 0, "")], 1):
        p = path.encode() + b"\0"
        d = data.encode()
        hdr = "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X" % (
            ino, mode, 0, 0, 1, 0, len(d), 0, 0, 0, 0, len(p), 0)
        b += hdr.encode() + p
        b += b"\0" * ((4 - len(b) % 4) % 4)
        b += d
        b += b"\0" * ((4 - len(b) % 4) % 4)
    open(os.path.join(out, name + ".cpio"), "wb").write(b)


R, S, H = tarfile.REGTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
tar("absolute", [(outside + "/abs", R, "x")])
tar("dotdot", [("../" + os.path.basename(outside) + "/dotdot", R, "x")])
tar("dotdot-deep", [("a/b/../../../" + os.path.basename(outside) + "/deep", R, "x")])
tar("symlink-dir", [("lnk", S, outside), ("lnk/through", R, "x")])
tar("symlink-file", [("f", S, outside + "/sf"), ("f", R, "x")])
tar("symlink-chain", [("a", S, "."), ("b", S, "a/../.."), ("b/chain", R, "x")])
tar("hardlink-out", [("h", H, "../" + os.path.basename(outside) + "/victim")])
tar("hardlink-abs", [("h", H, outside + "/victim")])
tar("hardlink-via-symlink", [("l", S, outside), ("h", H, "l/victim")])
tar("pax-dotdot", [("../" + os.path.basename(outside) + "/pax", R, "x")], tarfile.PAX_FORMAT)
cpio("cpio-dotdot", [("../" + os.path.basename(outside) + "/c", 0o100644, "x")])
cpio("cpio-symlink-dir", [("lnk", 0o120777, outside), ("lnk/c", 0o100644, "x")])
