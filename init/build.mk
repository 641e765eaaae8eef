# init/: PID 1, logging, command line, modules, switch_root, failure policy.
INIT_SRCS += init/main.c init/log.c init/cmdline.c init/util.c init/rescue.c init/modules.c \
             init/switchroot.c init/boot.c
# What the host tools (netinit-export) link from init/.
HOST_SHARED_SRCS := init/cmdline.c init/log.c init/util.c
