/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point, a copy
 * of the input in a heap block of its exact size, and the splitting of
 * one input into several files for the targets whose parser is fed more
 * than one file in a row (mailflows, calendars).
 *
 * Every target is built twice: as a libFuzzer binary (tests/fuzz/fuzz.mk)
 * and as a replay driver linked with replay.c (make check). Both hand the
 * target a buffer that may be longer than the input or end with a NUL;
 * the copy makes a read one byte past the end an ASan report in both.
 */
#ifndef MAJLIS_FUZZ_H
#define MAJLIS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The line that separates files inside one input: "\n%%\n". */
#define FUZZ_SEP "\n%%\n"
#define FUZZ_SEP_LEN 4

/* A heap copy of exactly size bytes (no NUL after them); free() it. */
static inline char *
fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = xmalloc(size);

	if (size)
		memcpy(p, data, size);
	return p;
}

/*
 * The next file of an input made of files separated by FUZZ_SEP: sets
 * *part and *len to the file that starts at data + *pos, and moves *pos
 * past it and its separator. Returns 0, or -1 when nothing is left. An
 * input without separator is one file; an empty input, one empty file.
 */
static inline int
fuzz_next_part(const uint8_t *data, size_t size, size_t *pos,
	       const uint8_t **part, size_t *len)
{
	size_t i;

	if (*pos > size)
		return -1;
	for (i = *pos; i + FUZZ_SEP_LEN <= size; i++)
		if (!memcmp(data + i, FUZZ_SEP, FUZZ_SEP_LEN))
			break;
	if (i + FUZZ_SEP_LEN > size)
		i = size;
	*part = data + *pos;
	*len = i - *pos;
	/* past the end when there was no separator: that was the last */
	*pos = i == size ? size + 1 : i + FUZZ_SEP_LEN;
	return 0;
}

#endif
