# fetch/: sources linked into build/init (owner: the fetch module)
INIT_SRCS +=
