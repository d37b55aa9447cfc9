/*
 * fuzz-report.c - feeds bytes to the report definitions' reader
 * (reportset_add(), engine/report.h) as a .report file, or as a
 * .dashboard when the input starts with "[dashboard]", then checks what
 * it accepted against an empty store of the current schema
 * (reportset_check(): every query prepared under the read-only
 * authorizer, never run). Every message must be "file:line: reason".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "report.h"
#include "store.h"

static struct store *empty;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_copy(data, size);
	const char *name = size >= 11 && !memcmp(data, "[dashboard]", 11)
				   ? "fuzz.dashboard"
				   : "fuzz.report";
	struct buf err = BUF_INIT;
	struct reportset *set;
	enum majlis_status rc;

	if (!empty && store_open(":memory:", STORE_CREATE, &empty, &err) !=
			      MAJLIS_OK)
		abort();
	reportset_new(&set);
	rc = reportset_add(set, name, copy, size, &err);
	if (rc != MAJLIS_OK && strncmp(err.data, name, strlen(name)))
		abort();
	if (rc == MAJLIS_OK) {
		rc = reportset_check(set, empty, &err);
		if (rc != MAJLIS_OK && strncmp(err.data, name, strlen(name)))
			abort();
	}
	reportset_free(set);
	buf_release(&err);
	free(copy);
	return 0;
}
