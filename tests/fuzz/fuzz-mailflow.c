/*
 * fuzz-mailflow.c - feeds bytes to the mailflow loader and checker
 * (engine/flow.h): flowset_new(), flowset_add() for each file, then
 * flowset_check() over the set, a read of every loaded flow, and
 * flowset_free().
 *
 * One input may hold several .flow files, separated by a line "%%" (see
 * fuzz.h): a seed made of the shipped flows passes flowset_check(),
 * whose cross-flow checks (cascades) then get fuzzed as well.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "fuzz.h"

#define MAX_FILES 8

static int
on_rec(void *ctx, const struct rec *r)
{
	size_t *n = ctx;

	if (!rec_text(r, "file") || !rec_text(r, "initial"))
		abort();
	(*n)++;
	return 0;
}

/* Reads what a loaded flow offers, as the CLI and the tick do. */
static void
read_flow(const struct flow *f)
{
	struct buf events = BUF_INIT;
	const char *initial = flow_initial(f);

	if (!initial || !flow_state_label(f, initial, "fr") ||
	    !flow_state_label(f, initial, "ar"))
		abort();
	if (flow_state_label(f, "no state has this name!", "fr"))
		abort();
	flow_list_events(f, &events);
	buf_release(&events);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flowset *fs;
	struct buf err = BUF_INIT, name = BUF_INIT;
	const uint8_t *part;
	size_t pos = 0, len, recs = 0;

	if (flowset_new(&fs) != MAJLIS_OK)
		abort();
	for (int i = 0;
	     i < MAX_FILES && !fuzz_next_part(data, size, &pos, &part, &len);
	     i++) {
		char *copy = fuzz_copy(part, len);

		buf_setf(&name, "fuzz-%d.flow", i);
		if (flowset_add(fs, name.data, copy, len, &err) != MAJLIS_OK &&
		    !err.len)
			abort();
		free(copy);
		buf_reset(&err);
	}
	if (flowset_check(fs, &err) != MAJLIS_OK && !err.len)
		abort();
	for (int k = 0; k < OBJ__COUNT; k++) {
		const struct flow *f = flowset_flow(fs, (enum object_kind)k);

		if (f)
			read_flow(f);
	}
	flowset_describe(fs, on_rec, &recs);
	flowset_free(fs);
	buf_release(&err);
	buf_release(&name);
	return 0;
}
