# mount/: every mount of the boot: local block roots, NFS roots, image roots
# (loop + overlay), tmpfs, move, bind (see mount/mount.h).
INIT_SRCS += mount/mount.c mount/localroot.c mount/nfsroot.c mount/loop.c mount/overlay.c \
             mount/imageroot.c mount/extra.c
