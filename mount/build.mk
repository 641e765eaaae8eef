# mount/: local block roots (lead); loop + overlay are listed by fetch/build.mk.
INIT_SRCS += mount/localroot.c mount/nfsroot.c
