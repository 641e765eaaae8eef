/* SPDX-License-Identifier: MIT */
/*
 * Inside model_build(): what its units share.
 *   model.c     sections -> site and images, merge rules, the string pool
 *   validate.c  value parsers and validators (also used by the renderers)
 *   nodes.c     [node], [group] expansion, [override], duplicate check
 *   lint.c      each node's command line, address checks, init's lint
 */
#ifndef NETINIT_EXPORT_MODEL_PRIV_H
#define NETINIT_EXPORT_MODEL_PRIV_H

#include "export.h"

/* String pool of the model: freed by model_free(). */
char *model_alloc(struct model *m, size_t n);
char *model_printf(struct model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Count an error and log it with "file:line: " in front. */
void model_err(struct model *m, const struct loc *l, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The last value of key over the sections of one type (and name). */
const char *model_get(const struct conf *c, const char *type, const char *name,
		      const char *key, struct loc *where);
/* kernel/initrd/bootfile/writable of one section (or of merged sections). */
void model_settings_read(struct model *m, const struct conf *c, const char *type,
			 const char *name, const struct conf_section *one, struct settings *set);
void model_settings_inherit(struct settings *dst, const struct settings *src);
void model_settings_override(struct settings *dst, const struct settings *src);
const char *model_cmdline(struct model *m, const struct conf_section *one, const struct conf *c,
			  const char *type, const char *name);
const char *model_dir(struct model *m, const char *v, const struct loc *l, const char *key,
		      const char *def);

/* An absolute path, or one relative to the directory of the file naming it. */
const char *model_file_path(struct model *m, const char *key, const char *v, const struct loc *l);

/* netopts.c: the [site] network keys, and a group's/node's own ones. */
void model_site_network(struct model *m, const struct conf *c);
/* Read the network keys of section s over base; NULL when s sets none. */
const struct netopts *model_netopts(struct model *m, const struct conf_section *s,
				    const struct netopts *base);
/* The network checks over every node (gateway, dynamic-range vs. nodes). */
void model_network_check(struct model *m);

/* validate.c */
bool ex_in_set(char ch, const char *extra);
bool ex_parse_ip(const char *s, struct in_addr *a);
bool ex_parse_uint(const char *s, unsigned long max, unsigned long *out);
bool ex_parse_bool(const char *s, bool *out);
int ex_parse_writable(const char *v, enum writable_mode *out);
const char *ex_writable_name(enum writable_mode w);

/* nodes.c */
struct image *model_node_image(struct model *m, const struct conf_section *s, const char *what);
void model_node_from_section(struct model *m, const struct conf *c, const struct conf_section *s);
void model_group_expand(struct model *m, const struct conf *c, const struct conf_section *s);
void model_check_duplicates(struct model *m);
void model_apply_overrides(struct model *m, const struct conf *c);

/* lint.c */
void model_nodes_finish(struct model *m);

#endif
