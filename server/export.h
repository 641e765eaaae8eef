/* SPDX-License-Identifier: MIT */
/*
 * netinit-export: one description of the cluster (drop-in files), rendered
 * into the native configuration of the servers a site already runs.
 *
 * Pipeline:  conf_load() / conf_parse()   files -> sections of key = value
 *            model_build()                sections -> validated site, images, nodes
 *            render_*()                   model -> outputs (path + bytes) in memory
 *            out_commit() / out_diff()    outputs -> atomic, checked writes
 *
 * Every function returns 0 or a negative errno and reports through
 * nl_err("export", ...) with "file:line: " in front of the message.
 */
#ifndef NETINIT_EXPORT_H
#define NETINIT_EXPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "codec.h" /* mac_parse(), mac_format(): init's, for every MAC here */

#define EXPORT_STAGE "export"

/* ---- growable buffer (out of memory is sticky and checked once) ---- */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);

/* ---- where a value came from ---- */
struct loc {
	const char *file; /* owned by struct conf */
	unsigned line;
};

/* ---- phase 1: raw drop-in contents ---- */
struct conf_kv {
	char *key, *value;
	struct loc loc;
};

struct conf_section {
	char *type;  /* "site", "image", "node", "group", "override", "output" */
	char *name;  /* NULL for [site], [output] */
	struct loc loc;
	struct conf_kv *kv;
	size_t nkv, kvcap;
};

struct conf {
	struct conf_section *sec;
	size_t nsec, seccap;
	char **files; /* every file name read, in order (loc.file points here) */
	size_t nfiles;
	int errors;
};

/* The search list when no --config-dir is given, highest priority first. */
extern const char *const conf_default_dirs[];
/* Drop-in folders inside each search dir, read in this order after the main file. */
extern const char *const conf_dropin_folders[];
#define CONF_MAIN_FILE "netinit.conf"

/* Parse one file's bytes; errors are counted in c->errors and logged. */
int conf_parse(struct conf *c, const char *fname, const char *data, size_t len);
/* Find and parse the main file and the drop-ins of dirs[0..ndirs) (priority order). */
int conf_load(struct conf *c, const char *const *dirs, size_t ndirs);
void conf_free(struct conf *c);
const char *conf_get(const struct conf_section *s, const char *key, struct loc *where);

/* ---- phase 2: the validated model ---- */
enum writable_mode { WR_UNSET = 0, WR_VOLATILE, WR_PERSISTENT, WR_NONE };
enum root_kind { RK_UNSET = 0, RK_NFS, RK_HTTP };

enum out_kind {
	OUT_DHCPD, OUT_DNSMASQ, OUT_KEA, OUT_PXELINUX, OUT_IPXE, OUT_EXPORTS,
	OUT_GANESHA, OUT_NGINX, OUT_NODEDIRS, OUT_MANIFESTS, OUT_TFTP, OUT__COUNT
};
extern const char *const out_kind_names[OUT__COUNT];
int out_kind_parse(const char *name);

/* Settings that a node inherits: node > override > group > image > site. */
struct settings {
	const char *kernel, *initrd, *bootfile;
	const char *kernel_src, *initrd_src; /* files "render tftp" copies to kernel, initrd */
	enum writable_mode writable;
};

/* DHCP options for the nodes (RFC 2132): [site], overridable per group/node. */
#define NETOPT_MAX 8
enum netopt_bit {
	NO_GATEWAY = 1, NO_DNS = 2, NO_DOMAIN = 4, NO_SEARCH = 8, NO_NTP = 16, NO_LOG = 32, NO_MTU = 64,
};
struct netopts {
	unsigned given;                   /* bits of enum netopt_bit */
	struct in_addr gateway;           /* option 3 */
	struct in_addr dns[NETOPT_MAX];   /* option 6 */
	struct in_addr ntp[NETOPT_MAX];   /* option 42 */
	struct in_addr logsrv[NETOPT_MAX];/* option 7 */
	unsigned ndns, nntp, nlog;
	const char *domain;               /* option 15 */
	const char *search[NETOPT_MAX];   /* option 119 (RFC 3397) */
	unsigned nsearch;
	unsigned mtu;                     /* option 26 */
};
enum kea_mode { KEA_RESERVATIONS = 0, KEA_SUBNET, KEA_FULL };

struct image {
	const char *name;
	struct loc loc;
	enum root_kind root;
	const char *path;    /* RK_NFS: the exported root directory */
	const char *nfs_options; /* RK_NFS: added to nfsroot= (",vers=3"), or NULL */
	const char *file;    /* RK_HTTP: the image file (absolute path) */
	const char *url;     /* RK_HTTP: its URL */
	const char *version;
	const char *seed;    /* directory the writable dirs are seeded from, or NULL */
	const char *cmdline; /* extra, appended after the site's */
	struct settings set;
	unsigned export_id;
};

struct node {
	char name[64];
	uint8_t mac[6];
	struct in_addr ip;
	struct image *image;
	struct settings set;
	const struct netopts *net; /* the site's, or its own when group/node/override set any */
	const char *extra;  /* node/group extra command line, or NULL */
	const char *extra2; /* [override] extra command line, or NULL */
	const char *cmdline;/* the full line, built by model_build() */
	struct loc loc, mac_loc, ip_loc;
	bool has_mac, has_ip;
};

struct site {
	struct in_addr server;
	bool has_server;
	struct in_addr net, mask; /* network=; mask 0 = not given */
	unsigned prefix;
	const char *tftp_root, *images_dir, *nodes_dir, *http_url, *boot_url;
	const char *cmdline, *writable_dirs;
	const char *pxe_default_image;
	struct node *pxe_default;    /* pseudo node booting pxe_default_image, or NULL */
	const char *pubkey, *seckey; /* manifest signing keys */
	unsigned node_export_base;
	bool dnsmasq_tftp;
	struct netopts opts;         /* the network options of every node */
	unsigned lease_time;         /* seconds, 0 = the server's default */
	struct in_addr dyn_first, dyn_last; /* dynamic-range =, 0 = none */
	enum kea_mode kea;
	const char *pxelinux_src, *ldlinux_src; /* what "render tftp" copies for pxelinux.0 */
	struct settings set;
	unsigned outputs;          /* bit per enum out_kind */
	const char *out_path[OUT__COUNT];
	struct loc loc;
};

struct pool_block;

/* The model points into struct conf (which must outlive it) and into its pool. */
struct model {
	struct site site;
	struct pool_block *pool;
	struct image *images;
	size_t nimages;
	struct node *nodes;
	size_t nnodes, nodecap;
	int errors;
	int warnings;
	bool lint_cmdline;  /* run cmdline_parse on every node (check, render) */
};

int model_build(struct model *m, const struct conf *c);
void model_free(struct model *m);
struct image *model_image(const struct model *m, const char *name);

/* Validators shared with the renderers (true = acceptable). */
bool ex_path_ok(const char *s);     /* absolute or relative file path, safe charset, no ".." */
bool ex_url_ok(const char *s);
bool ex_word_ok(const char *s);
bool ex_nfs_options_ok(const char *s);     /* image names, versions */
bool ex_cmdline_ok(const char *s, char *bad);
void ex_fmt_ip(struct in_addr a, char out[16]);

/* ---- phase 3: outputs ---- */
enum out_check { CHECK_NONE = 0, CHECK_DHCPD, CHECK_DNSMASQ, CHECK_KEA };

struct output {
	enum out_kind kind;
	char *path;          /* as configured (without --root) */
	struct buf data;
	unsigned mode;
	enum out_check check;
	bool is_dir_owned;   /* a file inside a directory we own (pxelinux.cfg, ipxe) */
	bool replaces_foreign; /* may replace a file we did not write (kept as PATH.netinit-orig) */
};

struct outset {
	struct output *o;
	size_t n, cap;
	const char *root;          /* --root prefix, "" for none */
	bool dry_run, no_server_check, verbose;
	const struct model *m;     /* for the checkers' wrapper configs */
	unsigned kinds;            /* bit per enum out_kind rendered into this set */
	unsigned changed, unchanged, created_dirs;
	unsigned failed;           /* outputs out_commit() could not write */
};

struct output *out_new(struct outset *os, enum out_kind kind, const char *path,
		       unsigned mode, enum out_check check);
void outset_free(struct outset *os);

int render_dhcpd(const struct model *m, struct outset *os);
int render_dnsmasq(const struct model *m, struct outset *os);
int render_kea(const struct model *m, struct outset *os);
int render_pxelinux(const struct model *m, struct outset *os);
int render_ipxe(const struct model *m, struct outset *os);
int render_exports(const struct model *m, struct outset *os);
int render_ganesha(const struct model *m, struct outset *os);
int render_nginx(const struct model *m, struct outset *os);
int render_manifests(const struct model *m, struct outset *os);
int render_tftp(const struct model *m, struct outset *os);
int render_kind(const struct model *m, struct outset *os, enum out_kind k);

/* What render needs besides the drop-ins (keys, kernel, images, pxelinux):
 * errors and warnings naming what to run; returns the number of errors
 * (a missing signing key is an error for render, a warning for check). */
int prereq_check(const struct model *m, unsigned kinds, const char *root, bool render, int *warnings);

/* import --from FORMAT FILE [-o OUT]: existing host lists to a nodes.d drop-in. */
int import_main(int argc, char **argv);

/* Read a whole file into b (render tftp's sources); 0 or -errno. */
int out_load_file(struct buf *b, const char *path);
bool out_file_exists(const char *path);
/* Write b to path through a temp file in its directory and a rename. */
int out_write_atomic(const char *path, const struct buf *b, unsigned mode);

/* true once umask(0) is set: files are created with their exact mode. */
extern bool out_exact_modes;
/* Write every output whose bytes differ (temp file, server check, rename). */
int out_commit(struct outset *os);
/* Print what out_commit() would change; returns the number of changed files. */
int out_diff(struct outset *os, bool unified);
/* Run the server's own checker on a file; 0 ok, -EINVAL rejected, -ENOENT no checker. */
int out_server_check(const struct outset *os, enum out_check chk, const char *file);

/* Manifests: "sign [IMAGE...]" and "keygen" (return 0 / negative errno; keygen an exit code). */
int manifest_sign_cmd(const struct model *m, struct outset *os, int argc, char **argv);
int manifest_keygen_cmd(const struct model *m, struct outset *os);

/* Per-node writable directories: create and seed the missing ones only. */
int nodedirs_apply(const struct model *m, struct outset *os);
/* The node's directory name under nodes-dir: its first label, lower case,
 * the key init derives from the same host name (init/hostname.h). */
const char *node_dir_key(const struct node *n, char out[64]);

/* Header written at the top of generated files (so stale ones can be found). */
#define EXPORT_MARK "generated by netinit-export"

int export_main(int argc, char **argv);

#endif
