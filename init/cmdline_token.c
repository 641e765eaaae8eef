/* SPDX-License-Identifier: MIT */
/* The tokenizer and the raw lookups of the command line parser. */
#include "cmdline_internal.h"

#include <string.h>

/* ---- tokenizer ---- */

void cmdline_defaults(struct cmdline *cl)
{
	memset(cl, 0, sizeof(*cl));
	cl->ro = -1;
	cl->panic = -1;
	cl->rootdelay = -1;
	cl->timeout_iflink = cl->timeout_carrier = cl->timeout_dhcp = -1;
	cl->dhcp_retry = -1;
	cl->retry = -1;
	cl->timeout = -1;
	cl->fetch_timeout = -1;
	cl->fetch_retries = -1;
	cl->hook_timeout = -1;
	cl->retries = -1;
	cl->shell_timeout = -1;
	cl->watchdog_stuck = -1;
	strcpy(cl->init, "/sbin/init");
	strcpy(cl->writable, "volatile");
}

static bool add_word(struct pstate *ps, char *word, bool init_arg)
{
	struct cmdline *cl = ps->cl;
	size_t n = cl->nwords + cl->ninit_args;
	char *eq;

	if (n >= MAX_WORDS) {
		ERR(ps, "cmdline", "more than %zu words; the rest is ignored", MAX_WORDS);
		return false;
	}
	cl->words[n].key = word;
	cl->words[n].value = NULL;
	if (init_arg) {
		cl->ninit_args++;
		return true;
	}
	eq = strchr(word, '=');
	if (eq) {
		*eq = '\0';
		cl->words[n].value = eq + 1;
	}
	cl->nwords++;
	return true;
}

/*
 * Split into words in cl->buf.  Quotes are removed wherever they are (the
 * kernel removes only a leading and a trailing one; the words that matter
 * are the same).  Output never exceeds input + 1 byte: every word's NUL takes
 * the place of the separator that ended it, the last one the extra byte.
 */
void cmdline_tokenize(struct pstate *ps, const char *line)
{
	struct cmdline *cl = ps->cl;
	size_t len = strnlen(line, CMDLINE_MAX + 1);
	const char *p = line, *end;
	char *o = cl->buf, *start;
	bool cut_word = false, in_quote, after_dashdash = false;

	if (len > CMDLINE_MAX) {
		cl->truncated = true;
		len = CMDLINE_MAX;
		cut_word = !ch_space(line[CMDLINE_MAX]);
		ERR(ps, "cmdline", "longer than %d bytes; cut after byte %d, a word cut in two "
		    "is dropped", CMDLINE_MAX, CMDLINE_MAX);
	}
	end = line + len;
	for (;;) {
		while (p < end && ch_space(*p))
			p++;
		if (p >= end)
			break;
		start = o;
		in_quote = false;
		while (p < end && (in_quote || !ch_space(*p))) {
			if (*p == '"')
				in_quote = !in_quote;
			else
				*o++ = *p;
			p++;
		}
		if (p >= end && cl->truncated && (cut_word || in_quote)) {
			o = start;
			break;
		}
		*o++ = '\0';
		if (in_quote)
			WARN(ps, "cmdline", "unterminated quote; it runs to the end of the line");
		if (!*start)
			continue; /* "" */
		if (!after_dashdash && !strcmp(start, "--")) {
			after_dashdash = true;
			continue;
		}
		if (!add_word(ps, start, after_dashdash))
			break;
	}
}

/* ---- lookups ---- */

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	size_t i = cl->nwords;

	while (i-- > 0)
		if (!strcmp(cl->words[i].key, key))
			return cl->words[i].value;
	return NULL;
}

bool cmdline_has(const struct cmdline *cl, const char *key)
{
	size_t i;

	for (i = 0; i < cl->nwords; i++)
		if (!strcmp(cl->words[i].key, key))
			return true;
	return false;
}

const char *cmdline_init_arg(const struct cmdline *cl, size_t i)
{
	if (i >= cl->ninit_args)
		return NULL;
	return cl->words[cl->nwords + i].key;
}

