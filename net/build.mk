# net/: sources linked into build/init (owner: the net module)
INIT_SRCS += net/netutil.c net/dhcp_opt.c net/dhcp_pkt.c net/dhcp_client.c net/rtnl.c \
             net/net.c net/lease.c net/dns.c net/dhcp_main.c net/renew.c

# `netinit-dhcp IFACE...`: the `init dhcp` subcommand as a host tool, for the
# integration tests and bench/net.sh (dynamically linked, no init needed).
$(BUILD)/netinit-dhcp: net/dhcp_tool.c $(BUILD)/libnetinit.a
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libnetinit.a
HOST_TOOLS += $(BUILD)/netinit-dhcp
