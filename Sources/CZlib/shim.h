#include <zlib.h>

/* inflateInit2 is a macro Swift cannot import. */
static inline int owatch_inflate_init(z_stream *s, int window_bits) { return inflateInit2(s, window_bits); }
