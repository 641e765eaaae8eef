# init/: PID 1, logging, command line, modules, switch_root, failure policy.
# Helpers with no I/O policy of their own, shared with every host tool.
HELPER_SRCS := init/codec.c init/util.c
# The command line parser, also linked by netinit-export (its `check` lints
# node command lines with the very parser init boots with).
CMDLINE_SRCS := init/cmdline.c init/cmdline_token.c init/cmdline_keys.c init/cmdline_ip.c \
                init/cmdline_netinit.c init/validate.c init/plan.c
INIT_SRCS += init/main.c init/log.c $(CMDLINE_SRCS) $(HELPER_SRCS) init/rescue.c init/modules.c \
             init/switchroot.c init/boot.c init/report.c init/report_send.c init/watchdog.c \
             init/hostname.c init/writable.c
# What the host tools link from init/ (server/build.mk adds fetch's manifest code).
HOST_SHARED_SRCS := $(CMDLINE_SRCS) init/log.c $(HELPER_SRCS)
