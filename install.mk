# install.mk: `make install` and `make uninstall` (included from the Makefile).
#
#   make install [PREFIX=/usr/local] [DESTDIR=] [sysconfdir=/etc] [...dir=]
#
# The directory variables follow the GNU coding standards' names.  sysconfdir
# defaults to /etc, not $(PREFIX)/etc: the kernel packages run hooks only from
# /etc/kernel, and netinit-export reads /etc/netinit.  Paths the installed
# scripts need (pkglibdir, sbindir, sysconfdir) are written into them here,
# so they never look for a source tree.  doc/install.md lists every file.

PREFIX      ?= /usr/local
prefix      ?= $(PREFIX)
exec_prefix ?= $(prefix)
sbindir     ?= $(exec_prefix)/sbin
libdir      ?= $(exec_prefix)/lib
pkglibdir   ?= $(libdir)/netinit
datarootdir ?= $(prefix)/share
mandir      ?= $(datarootdir)/man
docdir      ?= $(datarootdir)/doc/netinit
sysconfdir  ?= /etc
bashcompdir ?= $(datarootdir)/bash-completion/completions
INSTALL     ?= install

INSTALL_GEN := $(BUILD)/install
# Scripts that get the install paths.
INSTALL_SUBST = sed -e 's|@pkglibdir@|$(pkglibdir)|g' -e 's|@sbindir@|$(sbindir)|g' \
                    -e 's|@sysconfdir@|$(sysconfdir)|g'
INSTALL_SCRIPTS := mkinitramfs/netinit-mkinitramfs kernel/kernel-hook \
                   kernel/postinst.d/netinit kernel/postrm.d/netinit
INSTALL_LISTS   := mkinitramfs/modules.list mkinitramfs/nic-dirs.list mkinitramfs/busybox.list
INSTALL_MANS    := $(wildcard doc/man/*.[1-8] mkinitramfs/*.[1-8])
# Examples: the site drop-ins, and the hook examples when hooks/ has them.
INSTALL_EXAMPLE_FILES := $(shell find doc/examples hooks/examples -type f 2>/dev/null | LC_ALL=C sort)
# doc/examples/X -> examples/X, hooks/examples/X -> examples/hooks/X
INSTALL_DOC_EXAMPLES  := $(patsubst doc/examples/%,%,$(patsubst hooks/examples/%,hooks/%,$(INSTALL_EXAMPLE_FILES)))
INSTALL_DOC_DIRS      := $(shell printf '%s\n' $(patsubst %/,%,$(sort $(dir $(INSTALL_DOC_EXAMPLES:%=$(docdir)/examples/%)))) \
                           $(docdir)/examples $(docdir) | awk '{ print length, $$0 }' | sort -rn | cut -d' ' -f2-)

.PHONY: install install-files uninstall

# Generated on every install: the paths are make variables, not files.
$(INSTALL_GEN)/%: % FORCE
	@mkdir -p $(dir $@)
	$(INSTALL_SUBST) $< > $@.tmp && chmod --reference=$< $@.tmp && mv -f $@.tmp $@
FORCE:

install: all $(INSTALL_SCRIPTS:%=$(INSTALL_GEN)/%)
	$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(pkglibdir) \
		$(DESTDIR)$(sysconfdir)/kernel/postinst.d $(DESTDIR)$(sysconfdir)/kernel/postrm.d \
		$(DESTDIR)$(sysconfdir)/default $(DESTDIR)$(bashcompdir)
	$(INSTALL) -m 0755 $(BUILD)/netinit-export $(BUILD)/netinit-sign \
		$(INSTALL_GEN)/mkinitramfs/netinit-mkinitramfs $(DESTDIR)$(sbindir)/
	$(INSTALL) -m 0755 $(BUILD)/init.stripped $(DESTDIR)$(pkglibdir)/init
	$(INSTALL) -m 0755 $(INSTALL_GEN)/kernel/kernel-hook $(DESTDIR)$(pkglibdir)/kernel-hook
	$(INSTALL) -m 0644 $(INSTALL_LISTS) $(DESTDIR)$(pkglibdir)/
	$(INSTALL) -m 0755 $(INSTALL_GEN)/kernel/postinst.d/netinit $(DESTDIR)$(sysconfdir)/kernel/postinst.d/netinit
	$(INSTALL) -m 0755 $(INSTALL_GEN)/kernel/postrm.d/netinit $(DESTDIR)$(sysconfdir)/kernel/postrm.d/netinit
	@# An admin's settings are never overwritten.
	[ -e $(DESTDIR)$(sysconfdir)/default/netinit ] || \
		$(INSTALL) -m 0644 kernel/default $(DESTDIR)$(sysconfdir)/default/netinit
	$(INSTALL) -m 0644 completion/netinit-export $(DESTDIR)$(bashcompdir)/netinit-export
	for m in $(INSTALL_MANS); do \
		s=$${m##*.}; $(INSTALL) -d $(DESTDIR)$(mandir)/man$$s && \
		$(INSTALL) -m 0644 $$m $(DESTDIR)$(mandir)/man$$s/ || exit 1; \
	done
	$(INSTALL) -d $(DESTDIR)$(docdir)
	$(INSTALL) -m 0644 doc/install.md $(DESTDIR)$(docdir)/
	for f in $(INSTALL_EXAMPLE_FILES); do \
		case $$f in hooks/*) r=hooks/$${f#hooks/examples/};; *) r=$${f#doc/examples/};; esac; \
		d=$(DESTDIR)$(docdir)/examples/$$r; m=0644; [ -x $$f ] && m=0755; \
		$(INSTALL) -d $${d%/*} && $(INSTALL) -m $$m $$f $$d || exit 1; \
	done

# Removes what install put there; /etc/default/netinit only when unchanged.
uninstall:
	rm -f $(DESTDIR)$(sbindir)/netinit-export $(DESTDIR)$(sbindir)/netinit-sign \
		$(DESTDIR)$(sbindir)/netinit-mkinitramfs \
		$(DESTDIR)$(sysconfdir)/kernel/postinst.d/netinit $(DESTDIR)$(sysconfdir)/kernel/postrm.d/netinit \
		$(DESTDIR)$(bashcompdir)/netinit-export \
		$(addprefix $(DESTDIR)$(pkglibdir)/,init kernel-hook $(notdir $(INSTALL_LISTS)))
	for m in $(INSTALL_MANS); do rm -f $(DESTDIR)$(mandir)/man$${m##*.}/$${m##*/}; done
	rm -f $(DESTDIR)$(docdir)/install.md $(INSTALL_DOC_EXAMPLES:%=$(DESTDIR)$(docdir)/examples/%)
	@# Only the directories install made, deepest first, and only when empty.
	for d in $(INSTALL_DOC_DIRS) $(pkglibdir); do \
		[ -d $(DESTDIR)$$d ] && rmdir --ignore-fail-on-non-empty $(DESTDIR)$$d; done; true
	if cmp -s kernel/default $(DESTDIR)$(sysconfdir)/default/netinit; then \
		rm -f $(DESTDIR)$(sysconfdir)/default/netinit; \
	elif [ -e $(DESTDIR)$(sysconfdir)/default/netinit ]; then \
		echo "uninstall: $(DESTDIR)$(sysconfdir)/default/netinit was changed: kept"; fi
