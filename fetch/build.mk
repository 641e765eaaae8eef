# fetch/: root images over HTTP and TFTP (owner: the fetch module)
INIT_SRCS += fetch/url.c fetch/http_parse.c fetch/http.c fetch/tftp_parse.c fetch/tftp.c \
	fetch/archive_parse.c fetch/archive.c fetch/stream.c fetch/manifest.c fetch/verify.c \
	fetch/fetch.c fetch/fetch_main.c fetch/root.c fetch/resolve.c \
	mount/loop.c mount/overlay.c

# Host tools: the signing tool (keygen, sign, verify) and `init fetch` as a
# standalone binary for tests and benchmarks.
HOST_TOOLS += $(BUILD)/netinit-sign $(BUILD)/netinit-fetch

$(BUILD)/netinit-sign: fetch/sign.c fetch/manifest.c fetch/manifest.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ fetch/sign.c fetch/manifest.c -lsodium

$(BUILD)/netinit-fetch: fetch/tool.c $(BUILD)/libnetinit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libnetinit.a $(LIBS_INIT)
HOST_SHARED_SRCS += fetch/manifest.c
