/*
 * fuzz-structure.c - feeds bytes to structure_parse() (engine/
 * structure.h), the reader of structure/casablanca.ini: the bodies and
 * organizations `majlis init` writes to the store.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "structure.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	struct buf err = BUF_INIT;
	struct structure *s = NULL;
	enum majlis_status rc;

	rc = structure_parse("fuzz.ini", copy, size, &s, &err);
	if (rc == MAJLIS_OK) {
		/* exactly one commune, so at least one body */
		if (!s || structure_bodies(s) < 1 || err.len)
			abort();
	} else if (s || !err.len) {
		abort();
	}
	structure_free(s);
	buf_release(&err);
	free(copy);
	return 0;
}
