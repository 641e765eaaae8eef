# server/: netinit-export, the host tool (a normal dynamic binary).
# It links init's command line parser and helpers and fetch's manifest code,
# compiled again without -static into $(BUILD)/hostobj/, so `check` lints
# each node's command line with the very parser init boots with.
EXPORT_SRCS := server/main.c server/conf.c server/model.c server/validate.c server/nodes.c server/lint.c server/output.c \
               server/render_dhcp.c server/render_pxe.c server/render_nfs.c \
               server/render_http.c server/manifests.c server/nodedir.c server/hostlog.c \
               server/netopts.c server/render_tftp.c server/prereq.c server/import.c server/import_parse.c
# init/log.c is the boot console's log (uptime stamps, /dev/kmsg): the host
# tool has its own, server/hostlog.c, behind the same log.h.
EXPORT_SHARED_SRCS := $(filter-out init/log.c,$(HOST_SHARED_SRCS))
EXPORT_OBJS := $(patsubst %.c,$(BUILD)/hostobj/%.o,$(EXPORT_SRCS) $(EXPORT_SHARED_SRCS))
HOST_TOOLS += $(BUILD)/netinit-export

$(BUILD)/hostobj/%.o: %.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Iserver $(CFLAGS) -O2 -MMD -MP -c -o $@ $<

$(BUILD)/netinit-export: $(EXPORT_OBJS)
	$(CC) -o $@ $^ -lsodium

-include $(wildcard $(BUILD)/hostobj/*/*.d)
