/* SPDX-License-Identifier: MIT */
/*
 * HTTP: the nginx snippet that serves the image tree (images and their
 * .manifest files) at the path of http-url.
 */
#include "export.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* "/netinit/images" from "http://10.0.0.1:8080/netinit/images/". */
static void url_path(const char *url, char *out, size_t len)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? strchr(p + 3, '/') : NULL;
	snprintf(out, len, "%s", p ? p : "/");
	n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
}

int render_nginx(const struct model *m, struct outset *os)
{
	struct output *o = out_new(os, OUT_NGINX, m->site.out_path[OUT_NGINX], 0644, CHECK_NONE);
	char loc[1100];
	struct buf *b;
	const char *p;

	if (!o)
		return -ENOMEM;
	b = &o->data;
	url_path(m->site.http_url, loc, sizeof(loc));
	/* Both come from the URL/path charsets: no ';', '{', '}', quotes or spaces. */
	for (p = loc; *p; p++)
		if (*p == ';' || *p == '{' || *p == '}' || *p == '"' || *p == ' ')
			return -EINVAL;
	buf_printf(b, "# netinit: " EXPORT_MARK "; do not edit\n"
		      "# Serves %s from %s.\n"
		      "# Include it inside a server { } block:  include %s;\n"
		      "location %s%s {\n"
		      "\talias %s/;\n"
		      "\tautoindex off;\n"
		      "\tsendfile on;\n"
		      "\ttcp_nopush on;\n"
		      "\t# Images are opaque bytes; init checks them against the signed manifest.\n"
		      "\tdefault_type application/octet-stream;\n"
		      "\tlocation ~ \\.manifest$ {\n"
		      "\t\tdefault_type text/plain;\n"
		      "\t\tadd_header Cache-Control \"no-cache\";\n"
		      "\t}\n"
		      "}\n",
		   m->site.http_url, m->site.images_dir, m->site.out_path[OUT_NGINX],
		   loc, strcmp(loc, "/") ? "/" : "", m->site.images_dir);
	return b->oom ? -ENOMEM : 0;
}

int render_kind(const struct model *m, struct outset *os, enum out_kind k)
{
	os->kinds |= 1u << k;
	switch (k) {
	case OUT_DHCPD: return render_dhcpd(m, os);
	case OUT_DNSMASQ: return render_dnsmasq(m, os);
	case OUT_KEA: return render_kea(m, os);
	case OUT_PXELINUX: return render_pxelinux(m, os);
	case OUT_IPXE: return render_ipxe(m, os);
	case OUT_EXPORTS: return render_exports(m, os);
	case OUT_GANESHA: return render_ganesha(m, os);
	case OUT_NGINX: return render_nginx(m, os);
	case OUT_MANIFESTS: return render_manifests(m, os);
	case OUT_TFTP: return render_tftp(m, os);
	case OUT_NODEDIRS: return 0; /* not a file: nodedirs_apply() */
	default: return -EINVAL;
	}
}
