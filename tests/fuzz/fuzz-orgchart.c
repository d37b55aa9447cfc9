/*
 * fuzz-orgchart.c - feeds bytes to orgchart_import() (engine/
 * orgchart.h), the import of the organigramme CSV: every cell checked,
 * the rows against each other and against the store, then written in a
 * transaction that a dry run rolls back.
 *
 * The store is an in-memory SQLite database opened once, with the
 * shipped structure (structure/casablanca.ini, read from the current
 * folder: run from the top of the tree) so that organization codes
 * resolve; if that file cannot be read, a small built-in structure with
 * the same codes stands in. Every import is a dry run, so the store is
 * the same before each input. The store and the clock are freed at exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"
#include "fuzz.h"
#include "orgchart.h"
#include "store.h"
#include "structure.h"

#define STRUCTURE_FILE "structure/casablanca.ini"

/* Stands in for STRUCTURE_FILE: the codes examples/organigramme.csv uses. */
static const char fallback_structure[] =
	"[structure]\nformat = 1\n"
	"[body CASA]\nkind = commune\nfr = Commune de Casablanca\n"
	"ar = جماعة الدار البيضاء\n"
	"[organization CC]\nbody = CASA\nkind = council\n"
	"fr = Conseil de la Commune\nar = مجلس الجماعة\n"
	"[organization CC-BUREAU]\nbody = CASA\nkind = bureau\nparent = CC\n"
	"fr = Bureau du Conseil\nar = مكتب المجلس\n"
	"[organization CC-COM-SOCIAL]\nbody = CASA\nkind = commission\n"
	"parent = CC\nfr = Commission sociale\nar = اللجنة الاجتماعية\n"
	"[organization CASA-DGS]\nbody = CASA\nkind = administration\n"
	"fr = Direction générale des services\n"
	"ar = المديرية العامة للمصالح\n"
	"[body ANFA]\nkind = arrondissement\nparent = CASA\n"
	"fr = Arrondissement d'Anfa\nar = مقاطعة أنفا\n"
	"[organization CA-ANFA]\nbody = ANFA\nkind = council\n"
	"fr = Conseil d'Anfa\nar = مجلس مقاطعة أنفا\n"
	"[organization CA-ANFA-BUREAU]\nbody = ANFA\nkind = bureau\n"
	"parent = CA-ANFA\nfr = Bureau d'Anfa\nar = مكتب مقاطعة أنفا\n"
	"[body MAARIF]\nkind = arrondissement\nparent = CASA\n"
	"fr = Arrondissement du Maârif\nar = مقاطعة المعاريف\n"
	"[organization CA-MAARIF]\nbody = MAARIF\nkind = council\n"
	"fr = Conseil du Maârif\nar = مجلس مقاطعة المعاريف\n";

static struct engine eng;

static void
teardown(void)
{
	store_close(eng.store);
	clock_free(eng.clock);
	memset(&eng, 0, sizeof(eng));
}

static void
setup(void)
{
	struct buf err = BUF_INIT;
	struct structure *s = NULL;

	if (store_open(":memory:", STORE_CREATE, &eng.store, &err) !=
		    MAJLIS_OK ||
	    clock_new("Africa/Casablanca", 1800000000, &eng.clock, &err) !=
		    MAJLIS_OK) {
		fprintf(stderr, "fuzz-orgchart: %s\n", err.data);
		abort();
	}
	if (structure_parse_file(STRUCTURE_FILE, &s, &err) != MAJLIS_OK) {
		fprintf(stderr,
			"fuzz-orgchart: %s\nfuzz-orgchart: using a built-in "
			"structure instead (run from the top of the tree)\n",
			err.data);
		buf_reset(&err);
		if (structure_parse("built-in", fallback_structure,
				    sizeof(fallback_structure) - 1, &s,
				    &err) != MAJLIS_OK) {
			fprintf(stderr, "fuzz-orgchart: %s\n", err.data);
			abort();
		}
	}
	if (structure_store(&eng, s, &err) != MAJLIS_OK) {
		fprintf(stderr, "fuzz-orgchart: %s\n", err.data);
		abort();
	}
	structure_free(s);
	buf_release(&err);
	atexit(teardown);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy;
	struct buf err = BUF_INIT;
	struct orgchart_counts counts;
	enum majlis_status rc;

	if (!eng.store)
		setup();
	copy = fuzz_copy(data, size);
	rc = orgchart_import(&eng, "fuzz.csv", copy, size, "fuzz", 1, &counts,
			     &err);
	if (rc == MAJLIS_OK) {
		if (err.len || counts.rows < 0 ||
		    counts.memberships_new + counts.memberships_same !=
			    counts.rows)
			abort();
	} else if (!err.len) {
		abort();
	}
	/* a dry run leaves no transaction open */
	if (store_in_transaction(eng.store))
		abort();
	buf_release(&err);
	free(copy);
	return 0;
}
