/* SPDX-License-Identifier: MIT */
/*
 * `init dhcp [options] IFACE...`: the DHCP client alone, on a host or in a
 * network namespace.  Prints the lease in the lease-file format.
 * Exit codes: 0 lease, 1 no lease / error, 2 usage.
 */
#include "net.h"
#include "net_internal.h"
#include "dhcp_client.h"
#include "netutil.h"
#include "rtnl.h"
#include "log.h"
#include "cmdline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static void dhcp_usage(FILE *f)
{
	fprintf(f,
		"usage: init dhcp [options] IFACE...\n"
		"Run the DHCPv4 client on the interfaces (in parallel) and print the lease.\n"
		"  --apply             configure address, routes, MTU on the winning link\n"
		"  --handover DIR      write the hand-over files under DIR/run (and DIR/root/etc)\n"
		"  --sethostname       also set the host name (use in a UTS namespace)\n"
		"  --timeout S         seconds per DHCP cycle (default %d)\n"
		"  --retry N           cycles (default %d)\n"
		"  --carrier-timeout S seconds to wait for carrier (default %d)\n"
		"  --iflink-timeout S  seconds to wait for the interfaces to appear (default 0)\n"
		"  --arp-ms MS         ARP probe time, 0 = no probe (default %d)\n"
		"  --select-ms MS      wait for an offer with boot info (default %d)\n"
		"  --request ADDR      start in INIT-REBOOT asking for ADDR\n"
		"  --hostname NAME     send option 12\n"
		"  --vendor-class S    option 60 (default \"netinit\")\n"
		"  --resolve NAME      after the lease, resolve NAME with its DNS servers\n"
		"  --cmdline LINE      instead: run net_up() as at boot with this kernel command\n"
		"                      line (ip=, BOOTIF=, ifname=, rd.route=, nameserver=...)\n"
		"  -q, --quiet         only errors on stderr\n"
		"  -v, --verbose       debug messages\n",
		DHCP_DEFAULT_TIMEOUT, DHCP_DEFAULT_CYCLES, DHCP_DEFAULT_CARRIER,
		DHCP_ARP_PROBE_MS, DHCP_SELECT_WINDOW_MS);
}

/* validate.h's strict decimal, as an errno result for the option loop. */
static int parse_int(const char *s, int min, int max, int *out)
{
	return valid_int(s, min, max, out) ? 0 : -EINVAL;
}

static void on_cmdline_report(void *ctx, enum cmdline_severity sev, const char *param,
			      const char *msg)
{
	nlog(sev == CMDLINE_ERROR ? NL_ERR : NL_WARN, "cmdline", "%s: %s", param, msg);
}

/* net_up() as at boot, on a command line given by hand. */
static int run_cmdline(const char *line, struct net_lease *lease)
{
	static struct cmdline cl;
	int r;

	cmdline_parse(line, &cl, on_cmdline_report, NULL);
	r = net_up(&cl, lease);
	if (r < 0)
		nl_err(DHCP_STAGE, "net_up: %s", strerror(-r));
	return r;
}

/* The DHCP client alone on the named interfaces. */
static int run_ifaces(int argc, char **argv, const struct dhcp_config *cfg, bool apply,
		      int iflink, struct net_lease *lease)
{
	static struct dhcp_ifspec ifs[DHCP_MAX_LINKS];
	struct net_want want;
	struct rtnl nl;
	int i, n, r;

	net_want_init(&want);
	for (i = 0; i < argc; i++) {
		if (strlen(argv[i]) >= IF_NAMESIZE) {
			fprintf(stderr, "init dhcp: %s: interface name too long\n", argv[i]);
			return -EINVAL;
		}
		net_want_name(&want, argv[i]);
	}
	r = rtnl_open(&nl);
	if (r < 0) {
		nl_err(DHCP_STAGE, "cannot open rtnetlink: %s", strerror(-r));
		return -EIO;
	}
	n = net_find_links(&nl, &want, iflink, ifs, DHCP_MAX_LINKS);
	if (n < (int)want.nnames) {
		nl_err(DHCP_STAGE, "interface(s) not found: %s", n < 0 ? strerror(-n) : "some are missing");
		rtnl_close(&nl);
		return -EIO;
	}
	for (i = 0; i < n; i++) {
		r = rtnl_link_up(&nl, ifs[i].index);
		if (r < 0)
			nl_warn(DHCP_STAGE, "%s: cannot bring the link up: %s", ifs[i].name, strerror(-r));
	}
	r = dhcp_run(ifs, (size_t)n, cfg, lease);
	if (r < 0) {
		nl_err(DHCP_STAGE, "no lease: %s", strerror(-r));
		rtnl_close(&nl);
		return -EIO;
	}
	if (apply && (r = net_apply(&nl, lease)) < 0) {
		rtnl_close(&nl);
		return -EIO;
	}
	rtnl_close(&nl);
	return 0;
}

/* Print the lease, hand it over under DIR (--handover), resolve a name with
 * its DNS servers (--resolve).  The exit status of dhcp_main(). */
static int dhcp_report(const struct net_lease *l, const char *handover, bool sethost,
		       const char *resolve)
{
	static char text[8192];
	int n = net_lease_format(l, text, sizeof(text)), r;

	if (n > 0)
		fwrite(text, 1, (size_t)n, stdout);
	fflush(stdout);
	if (handover) {
		char run[512], root[512];
		struct net_handover_opts o = { run, root, sethost };

		snprintf(run, sizeof(run), "%s/run", handover);
		snprintf(root, sizeof(root), "%s/root", handover);
		mkdir(handover, 0755);
		mkdir(run, 0755);
		if (access(root, F_OK) < 0)
			o.newroot = NULL;
		if (net_handover_opts(l, &o) < 0)
			return 1;
	}
	if (resolve) {
		struct in_addr a;
		char s[INET_ADDRSTRLEN];

		r = net_resolve(l, resolve, &a);
		if (r < 0) {
			nl_err(DHCP_STAGE, "resolving %s: %s", resolve, strerror(-r));
			return 1;
		}
		printf("RESOLVED='%s %s'\n", resolve, net_ntoa(a, s));
	}
	return 0;
}

int dhcp_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "apply", no_argument, NULL, 'a' },
		{ "handover", required_argument, NULL, 'H' },
		{ "sethostname", no_argument, NULL, 'S' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retry", required_argument, NULL, 'r' },
		{ "carrier-timeout", required_argument, NULL, 'c' },
		{ "iflink-timeout", required_argument, NULL, 'i' },
		{ "arp-ms", required_argument, NULL, 'A' },
		{ "select-ms", required_argument, NULL, 's' },
		{ "request", required_argument, NULL, 'R' },
		{ "hostname", required_argument, NULL, 'n' },
		{ "vendor-class", required_argument, NULL, 'V' },
		{ "resolve", required_argument, NULL, 'D' },
		{ "cmdline", required_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct net_lease lease;
	struct dhcp_config cfg;
	const char *handover = NULL, *resolve = NULL, *cmdline = NULL;
	bool apply = false, sethost = false;
	int iflink = 0, c, r;

	dhcp_config_default(&cfg);
	optind = 1;
	while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': apply = true; break;
		case 'H': handover = optarg; break;
		case 'S': sethost = true; break;
		case 't': r = parse_int(optarg, 1, 86400, &cfg.timeout); goto checked;
		case 'r': r = parse_int(optarg, 1, 1000, &cfg.cycles); goto checked;
		case 'c': r = parse_int(optarg, 0, 3600, &cfg.carrier_timeout); goto checked;
		case 'i': r = parse_int(optarg, 0, 3600, &iflink); goto checked;
		case 'A': r = parse_int(optarg, 0, 10000, &cfg.arp_probe_ms); goto checked;
		case 's': r = parse_int(optarg, 0, 10000, &cfg.select_window_ms); goto checked;
		case 'R':
			r = inet_pton(AF_INET, optarg, &cfg.request) == 1 ? 0 : -EINVAL;
			goto checked;
		case 'n':
			if (!net_domain_valid(optarg)) {
				fprintf(stderr, "init dhcp: --hostname %s: not a valid host name\n", optarg);
				return 2;
			}
			cfg.hostname = optarg;
			break;
		case 'V': cfg.vendor_class = optarg; break;
		case 'D': resolve = optarg; break;
		case 'C': cmdline = optarg; break;
		case 'q': log_set_level(NL_ERR); break;
		case 'v': log_set_level(NL_DEBUG); break;
		case 'h': dhcp_usage(stdout); return 0;
		default: dhcp_usage(stderr); return 2;
		}
		continue;
checked:
		if (r < 0) {
			fprintf(stderr, "init dhcp: bad option value: %s\n", optarg);
			return 2;
		}
	}
	if (cmdline) {
		if (run_cmdline(cmdline, &lease) < 0)
			return 1;
	} else {
		if (optind >= argc) {
			dhcp_usage(stderr);
			return 2;
		}
		if (run_ifaces(argc - optind, argv + optind, &cfg, apply, iflink, &lease) < 0)
			return 1;
	}
	return dhcp_report(&lease, handover, sethost, resolve);
}
