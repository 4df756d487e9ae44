#ifndef NEWSCLUSTER_COPENBLAS_SHIM_H
#define NEWSCLUSTER_COPENBLAS_SHIM_H
// Debian puts OpenBLAS's cblas.h (with openblas_get_corename and
// openblas_set_num_threads) under the include path that pkg-config reports.
#include <cblas.h>
#endif
