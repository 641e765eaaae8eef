// SPDX-License-Identifier: MIT
/*
 * Host names in root URLs: IP literals here, names through the resolver of
 * the network stage (net_resolve(): the lease's DNS servers, or
 * /etc/resolv.conf when run on a host).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "netinit_config.h"
#include "log.h"
#include "net.h"
#include "transport.h"

int fetch_resolve(const struct net_lease *dns, const char *host, uint16_t port,
		  struct sockaddr_storage *ss, socklen_t *sslen)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		*sslen = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		*sslen = sizeof(*a6);
		return 0;
	}
	if (!CFG_DNS) {
		nl_err("fetch", "%s: host names need the DNS resolver (CONFIG_DNS), which is not "
		       "built in; use an IP address in the URL", host);
		return -EHOSTUNREACH;
	}
	int r = net_resolve(dns, host, &a4->sin_addr);
	if (r < 0) {
		nl_warn("fetch", "cannot resolve %s: %s", host, strerror(-r));
		/* a name that does not exist will not appear on a retry; a
		 * server that did not answer may */
		return r == -ENOENT || r == -ENXIO ? -EHOSTUNREACH : -EAGAIN;
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons(port);
	*sslen = sizeof(*a4);
	return 0;
}
