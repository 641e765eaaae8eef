# net/: sources linked into build/init (owner: the net module)
INIT_SRCS +=
