# init/: PID 1, logging, command line, modules, switch_root, failure policy.
INIT_SRCS += init/main.c init/log.c init/cmdline.c init/util.c init/rescue.c init/modules.c \
             init/switchroot.c init/boot.c \
             init/report.c init/report_send.c init/watchdog.c
