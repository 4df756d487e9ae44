#ifndef NEWSCLUSTER_CZLIB_SHIM_H
#define NEWSCLUSTER_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 and deflateInit2 are macros, which Swift does not import: these wrap them.
// 15 + 16: a 32 KiB window and the gzip header and trailer (not raw deflate, not zlib).
static inline int newscluster_inflate_init_gzip(z_streamp stream) {
    return inflateInit2(stream, 15 + 16);
}

static inline int newscluster_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
#endif
