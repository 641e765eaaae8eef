# fetch/: root images over HTTP and TFTP (owner: the fetch module)
INIT_SRCS += fetch/url.c fetch/http_parse.c fetch/http.c fetch/tftp_parse.c fetch/tftp.c \
	fetch/archive_parse.c fetch/archive.c fetch/stream.c fetch/manifest.c fetch/verify.c \
	fetch/fetch.c fetch/fetch_main.c fetch/root.c fetch/resolve.c fetch/image_decomp.c

# Host tools: the signing tool (keygen, sign, verify) and `init fetch` as a
# standalone binary for tests and benchmarks.
HOST_TOOLS += $(BUILD)/netinit-sign $(BUILD)/netinit-fetch

# Manifest parsing/verification and signing/keys; netinit-export links both.
MANIFEST_SRCS := fetch/manifest.c fetch/manifest_sign.c
HOST_SHARED_SRCS += $(MANIFEST_SRCS)

# netinit-sign links no libnetinit: only the manifest code and init's helpers.
$(BUILD)/netinit-sign: fetch/sign.c $(MANIFEST_SRCS) $(HELPER_SRCS) fetch/manifest.h init/util.h init/codec.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ fetch/sign.c $(MANIFEST_SRCS) $(HELPER_SRCS) -lsodium

$(BUILD)/netinit-fetch: fetch/tool.c $(BUILD)/libnetinit.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libnetinit.a $(LIBS_INIT)
