#ifndef NEWSCLUSTER_CZSTD_SHIM_H
#define NEWSCLUSTER_CZSTD_SHIM_H
// Debian's libzstd-dev puts zstd.h under the include path that pkg-config reports.
#include <zstd.h>
#endif
