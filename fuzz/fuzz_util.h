/* Shared by the fuzz targets: each loader takes a path, so the input goes
 * to a per-process temp file first. */
#ifndef DEEPCHEAP_FUZZ_UTIL_H
#define DEEPCHEAP_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Writes data to this process's temp file and returns its path. */
const char *fuzz_file(const uint8_t *data, size_t n);

#endif
