/*
 * fuzz-form.c - feeds bytes to form_read() (engine/form.h), the reader of
 * petitions and dossiers submitted by mail. Checks what form.h promises:
 * a form has a kind, both titles when it has one, a petition's type is
 * citizens or association once valid; what is not a form leaves nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "fuzz.h"
#include "sys.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	struct form f;
	int r;

	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	r = form_read(text, &f);
	if (!r && (f.kind != FORM_NONE || f.title_fr || f.errors))
		abort();
	if (r) {
		if (f.kind != FORM_PETITION && f.kind != FORM_DOSSIER)
			abort();
		if ((f.title_fr == NULL) != (f.title_ar == NULL))
			abort();
		for (size_t i = 0; i < f.nerrors; i++)
			if (!f.errors[i].field[0] || !f.errors[i].fr[0] ||
			    !f.errors[i].ar[0])
				abort();
		if (f.kind == FORM_PETITION && f.type && !f.nerrors &&
		    strcmp(f.type, "citizens") && strcmp(f.type, "association"))
			abort();
	}
	form_release(&f);
	free(text);
	return 0;
}
