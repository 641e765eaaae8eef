/* SPDX-License-Identifier: MIT */
/*
 * Drop-in files: finding them and splitting them into sections of
 * "key = value" lines.  Meaning is given to keys later (model.c); this file
 * only knows the syntax, so it is the part fed to the fuzzer.
 *
 * Search and override rules follow systemd's (systemd.unit(5), sysctl.d(5)):
 * a list of directories, highest priority first; a drop-in file name found in
 * several of them is taken from the first one only, so /etc/netinit/x.conf
 * masks /usr/lib/netinit/x.conf, and a symlink to /dev/null (or an empty
 * file) masks it for good.  All drop-ins of a folder are read in lexical
 * order of their names; what a later file says wins.
 */
#include "export.h"
#include "util.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONF_LINE_MAX 65536
#define CONF_FILE_MAX (64u << 20)

const char *const conf_default_dirs[] = { "/etc/netinit", "/run/netinit", "/usr/lib/netinit", NULL };
const char *const conf_dropin_folders[] = { "conf.d", "images.d", "nodes.d", NULL };

static const char *const section_types[] = { "site", "output", "image", "node", "group", "override", NULL };

static bool section_needs_name(const char *type)
{
	return strcmp(type, "site") != 0 && strcmp(type, "output") != 0;
}

#define conf_err(c, fname, line, ...) \
	do { \
		(c)->errors++; \
		nl_err(EXPORT_STAGE, "%s:%u: %s", fname, line, conf_msg(__VA_ARGS__)); \
	} while (0)

static const char *conf_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *conf_msg(const char *fmt, ...)
{
	static char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return msg;
}

static bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

static bool key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
}

static int section_add(struct conf *c, char *type, char *name, struct loc loc)
{
	struct conf_section *s;

	if (c->nsec == c->seccap) {
		size_t cap = c->seccap ? c->seccap * 2 : 16;
		void *p = realloc(c->sec, cap * sizeof(*c->sec));

		if (!p)
			return -ENOMEM;
		c->sec = p;
		c->seccap = cap;
	}
	s = &c->sec[c->nsec++];
	memset(s, 0, sizeof(*s));
	s->type = type;
	s->name = name;
	s->loc = loc;
	return 0;
}

static int kv_add(struct conf_section *s, char *key, char *value, struct loc loc)
{
	if (s->nkv == s->kvcap) {
		size_t cap = s->kvcap ? s->kvcap * 2 : 8;
		void *p = realloc(s->kv, cap * sizeof(*s->kv));

		if (!p)
			return -ENOMEM;
		s->kv = p;
		s->kvcap = cap;
	}
	s->kv[s->nkv].key = key;
	s->kv[s->nkv].value = value;
	s->kv[s->nkv].loc = loc;
	s->nkv++;
	return 0;
}

/* "[type]" or "[type name]"; line is trimmed and starts with '['. */
static int parse_header(struct conf *c, const char *fname, unsigned lineno, char *line,
			bool *in_section)
{
	char *end = strchr(line, ']'), *type, *name = NULL, *sp;
	size_t i;
	int known = 0;

	*in_section = false;
	if (!end || end[1] != '\0') {
		conf_err(c, fname, lineno, "section header must be \"[type]\" or \"[type name]\" on its own line");
		return 0;
	}
	*end = '\0';
	type = line + 1;
	while (is_space(*type))
		type++;
	sp = type;
	while (*sp && !is_space(*sp))
		sp++;
	if (*sp) {
		*sp++ = '\0';
		while (is_space(*sp))
			sp++;
		name = sp;
		while (*sp && !is_space(*sp))
			sp++;
		if (*sp) {
			*sp++ = '\0';
			while (is_space(*sp))
				sp++;
			if (*sp) {
				conf_err(c, fname, lineno, "section name must be one word, found more after \"%s\"", name);
				return 0;
			}
		}
		if (!*name)
			name = NULL;
	}
	for (i = 0; section_types[i]; i++)
		known |= strcmp(section_types[i], type) == 0;
	if (!known) {
		conf_err(c, fname, lineno, "unknown section type \"%.64s\" (site, output, image, node, group, override)", type);
		return 0;
	}
	if (section_needs_name(type) && !name) {
		conf_err(c, fname, lineno, "[%s] needs a name: [%s NAME]", type, type);
		return 0;
	}
	if (!section_needs_name(type) && name) {
		conf_err(c, fname, lineno, "[%s] takes no name", type);
		return 0;
	}
	char *t = strdup(type), *n = name ? strdup(name) : NULL;
	if (!t || (name && !n)) {
		free(t);
		free(n);
		return -ENOMEM;
	}
	int r = section_add(c, t, n, (struct loc){ c->files[c->nfiles - 1], lineno });
	if (r < 0) {
		free(t);
		free(n);
		return r;
	}
	*in_section = true;
	return 0;
}

static int parse_kv(struct conf *c, const char *fname, unsigned lineno, char *line, bool in_section)
{
	char *eq = strchr(line, '='), *k, *v, *e;

	if (!eq) {
		conf_err(c, fname, lineno, "expected \"key = value\", a [section] or a # comment");
		return 0;
	}
	if (!in_section || c->nsec == 0) {
		conf_err(c, fname, lineno, "\"key = value\" before the first [section]");
		return 0;
	}
	e = eq;
	while (e > line && is_space(e[-1]))
		e--;
	*e = '\0';
	for (k = line; *k; k++) {
		if (!key_char(*k)) {
			conf_err(c, fname, lineno, "bad character in key \"%.64s\" (keys are a-z 0-9 - .)", line);
			return 0;
		}
	}
	if (!*line) {
		conf_err(c, fname, lineno, "empty key before '='");
		return 0;
	}
	v = eq + 1;
	while (is_space(*v))
		v++;
	k = strdup(line);
	v = strdup(v);
	if (!k || !v) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	int r = kv_add(&c->sec[c->nsec - 1], k, v, (struct loc){ c->files[c->nfiles - 1], lineno });
	if (r < 0) {
		free(k);
		free(v);
	}
	return r;
}

int conf_parse(struct conf *c, const char *fname, const char *data, size_t len)
{
	char **files, *name, *line;
	size_t pos = 0;
	unsigned lineno = 0;
	bool in_section = false;
	int r = 0;

	files = realloc(c->files, (c->nfiles + 1) * sizeof(*files));
	if (!files)
		return -ENOMEM;
	c->files = files;
	name = strdup(fname);
	if (!name)
		return -ENOMEM;
	c->files[c->nfiles++] = name;

	line = malloc(CONF_LINE_MAX + 1);
	if (!line)
		return -ENOMEM;
	while (pos < len && r >= 0) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		char *s, *e;

		lineno++;
		if (memchr(data + pos, '\0', n)) {
			conf_err(c, name, lineno, "NUL byte in line (is this a text file?)");
			break;
		}
		if (n > CONF_LINE_MAX) {
			conf_err(c, name, lineno, "line longer than %d bytes", CONF_LINE_MAX);
			pos += n + 1;
			continue;
		}
		memcpy(line, data + pos, n);
		line[n] = '\0';
		pos += n + 1;

		s = line;
		while (is_space(*s))
			s++;
		e = s + strlen(s);
		while (e > s && is_space(e[-1]))
			e--;
		*e = '\0';
		if (!*s || *s == '#' || *s == ';')
			continue;
		for (e = s; *e; e++) {
			if ((unsigned char)*e < 0x20 && *e != '\t') {
				conf_err(c, name, lineno, "control character 0x%02x in line", (unsigned char)*e);
				break;
			}
		}
		if (*e)
			continue;
		if (*s == '[')
			r = parse_header(c, name, lineno, s, &in_section);
		else
			r = parse_kv(c, name, lineno, s, in_section);
	}
	free(line);
	return r;
}

static int conf_read_file(const char *path, char **out, size_t *outlen)
{
	struct stat st;
	char *data;
	ssize_t n;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((size_t)st.st_size > CONF_FILE_MAX)
		return -EFBIG;
	/* One byte to spare: a file that grew meanwhile is -EFBIG, never half read. */
	data = malloc((size_t)st.st_size + 2);
	if (!data)
		return -ENOMEM;
	n = read_file_whole(path, data, (size_t)st.st_size + 2);
	if (n < 0) {
		free(data);
		return (int)n;
	}
	*out = data;
	*outlen = (size_t)n;
	return 0;
}

/* A drop-in masked with a symlink to /dev/null is not read (systemd's rule). */
static bool is_masked(const char *path)
{
	char target[16];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "/dev/null") == 0;
}

static int conf_parse_path(struct conf *c, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	int r;

	if (is_masked(path))
		return 0;
	r = conf_read_file(path, &data, &len);
	if (r < 0) {
		c->errors++;
		nl_err(EXPORT_STAGE, "%s: cannot read: %s", path, strerror(-r));
		return 0;
	}
	r = conf_parse(c, path, data, len);
	free(data);
	return r;
}

struct dropin {
	char *name, *path;
};

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

static bool conf_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".conf") == 0;
}

/* All "*.conf" in dirs[i]/folder, the first directory winning per name. */
static int collect_folder(const char *const *dirs, size_t ndirs, const char *folder,
			  struct dropin **out, size_t *nout)
{
	struct dropin *list = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < ndirs; i++) {
		char dpath[4096];
		DIR *d;
		struct dirent *de;

		snprintf(dpath, sizeof(dpath), "%s/%s", dirs[i], folder);
		d = opendir(dpath);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			bool seen = false;

			if (!conf_suffix(de->d_name))
				continue;
			for (j = 0; j < n && !seen; j++)
				seen = strcmp(list[j].name, de->d_name) == 0;
			if (seen)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				void *p = realloc(list, cap * sizeof(*list));
				if (!p) {
					closedir(d);
					goto oom;
				}
				list = p;
			}
			list[n].name = strdup(de->d_name);
			if (asprintf(&list[n].path, "%s/%s", dpath, de->d_name) < 0)
				list[n].path = NULL;
			if (!list[n].name || !list[n].path) {
				n++;
				closedir(d);
				goto oom;
			}
			n++;
		}
		closedir(d);
	}
	if (n)
		qsort(list, n, sizeof(*list), dropin_cmp);
	*out = list;
	*nout = n;
	return 0;
oom:
	for (j = 0; j < n; j++) {
		free(list[j].name);
		free(list[j].path);
	}
	free(list);
	return -ENOMEM;
}

int conf_load(struct conf *c, const char *const *dirs, size_t ndirs)
{
	size_t i, f;
	int r, found = 0;

	for (i = 0; i < ndirs; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", dirs[i], CONF_MAIN_FILE);
		if (access(path, F_OK) == 0 || is_masked(path)) {
			r = conf_parse_path(c, path);
			if (r < 0)
				return r;
			found++;
			break;
		}
	}
	for (f = 0; conf_dropin_folders[f]; f++) {
		struct dropin *list;
		size_t n;

		r = collect_folder(dirs, ndirs, conf_dropin_folders[f], &list, &n);
		if (r < 0)
			return r;
		for (i = 0; i < n; i++) {
			if (r >= 0)
				r = conf_parse_path(c, list[i].path);
			free(list[i].name);
			free(list[i].path);
		}
		free(list);
		if (r < 0)
			return r;
		found += (int)n;
	}
	if (!found) {
		c->errors++;
		nl_err(EXPORT_STAGE, "no configuration found: no %s and no %s/*.conf in %s%s",
		       CONF_MAIN_FILE, "nodes.d", dirs[0], ndirs > 1 ? " (or the other search dirs)" : "");
	}
	return 0;
}

void conf_free(struct conf *c)
{
	size_t i, j;

	for (i = 0; i < c->nsec; i++) {
		for (j = 0; j < c->sec[i].nkv; j++) {
			free(c->sec[i].kv[j].key);
			free(c->sec[i].kv[j].value);
		}
		free(c->sec[i].kv);
		free(c->sec[i].type);
		free(c->sec[i].name);
	}
	free(c->sec);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	memset(c, 0, sizeof(*c));
}

/* The last value of key in the section (later lines win). */
const char *conf_get(const struct conf_section *s, const char *key, struct loc *where)
{
	size_t i = s->nkv;

	while (i-- > 0) {
		if (strcmp(s->kv[i].key, key) == 0) {
			if (where)
				*where = s->kv[i].loc;
			return s->kv[i].value;
		}
	}
	return NULL;
}
