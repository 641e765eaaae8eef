# hooks/: the hook runner (site scripts live in the initramfs under /etc/netinit/hooks/<stage>/)
INIT_SRCS += hooks/hooks.c hooks/hookenv.c hooks/stage.c
