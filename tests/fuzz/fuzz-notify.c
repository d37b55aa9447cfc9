/*
 * fuzz-notify.c - feeds bytes to the notification rules (engine/
 * notify.h): notify_rules_add() of each file of the input, in turn, as
 * the CLI adds the shipped rules and then the instance's notify.ini;
 * then notify_rules_check() without mailflows, notify_rules_match() for
 * a few people and messages, and notify_message_render() of every
 * message the rules hold the text of.
 *
 * One input may hold several files, separated by a line "%%" (see
 * fuzz.h). A refused file must say why and leave the rules as they were:
 * the choices made before and after it are compared.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "notify.h"

#define MAX_FILES 3

static const char *const messages[] = {
	"task-late", "task-assigned", "dossier-submitted", "meeting-convoked",
	"data-error-holiday", "escalation", "", "x*",
};

static const char *const renderable[] = {
	"data-error-holiday", "data-error-weekend", "data-error-quorum",
	"data-error-no-email", "data-error-no-phone", "escalation",
};

/* Every choice for every subject, as text: what the rules decide. */
static void
choices(const struct notify_rules *r, struct buf *out)
{
	static const char *const roles[] = { "president", "dgs" };
	static const char *const profiles[] = { "elu", "fonctionnaire" };

	buf_reset(out);
	for (size_t m = 0; m < sizeof(messages) / sizeof(*messages); m++) {
		for (int k = 0; k < 4; k++) {
			struct notify_subject s;
			struct notify_choice c;

			memset(&s, 0, sizeof(s));
			s.message = messages[m];
			s.profile = profiles[k & 1];
			s.roles = roles + (k & 1);
			s.nroles = k < 2 ? 1 : 0;
			s.dossier_kind = k == 3 ? "budget" : NULL;
			notify_rules_match(r, &s, &c);
			if (!c.rule || !c.colour || c.channels > 7)
				abort();
			buf_addf(out, "%s/%d/%u/%s/%d/%d;", c.rule, c.enabled,
				 c.channels, c.colour, c.ack,
				 c.ack ? c.ack_within.n : 0);
			if (c.ack && c.ack_within.n <= 0)
				abort();
		}
	}
}

static void
render_all(const struct notify_rules *r)
{
	struct rec v = REC_INIT;
	struct buf fr = BUF_INIT, ar = BUF_INIT, err = BUF_INIT;

	rec_add_text(&v, "title_fr", "T");
	rec_add_text(&v, "title_ar", "ج");
	rec_add_int(&v, "members", 5);
	for (size_t i = 0; i < sizeof(renderable) / sizeof(*renderable); i++) {
		buf_reset(&fr);
		buf_reset(&ar);
		if (notify_message_render(r, renderable[i], &v, &fr, &ar,
					  &err) != MAJLIS_OK &&
		    !err.len)
			abort();
		buf_reset(&err);
	}
	rec_release(&v);
	buf_release(&fr);
	buf_release(&ar);
	buf_release(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notify_rules *r;
	struct buf err = BUF_INIT, name = BUF_INIT;
	struct buf before = BUF_INIT, after = BUF_INIT;
	const uint8_t *part;
	size_t pos = 0, len;

	notify_rules_new(&r);
	for (int i = 0;
	     i < MAX_FILES && !fuzz_next_part(data, size, &pos, &part, &len);
	     i++) {
		char *copy = fuzz_copy(part, len);
		enum majlis_status rc;

		choices(r, &before);
		buf_setf(&name, "notify-%d.ini", i);
		rc = notify_rules_add(r, name.data, copy, len, &err);
		free(copy);
		if (rc != MAJLIS_OK) {
			if (!err.len)
				abort();
			buf_reset(&err);
			/* Nothing of a refused file is kept. */
			choices(r, &after);
			if (strcmp(before.data, after.data))
				abort();
			continue;
		}
		(void)notify_rules_count(r);
		if (notify_rules_check(r, NULL, &err) != MAJLIS_OK && !err.len)
			abort();
		buf_reset(&err);
		choices(r, &after);
		render_all(r);
	}
	notify_rules_free(r);
	buf_release(&err);
	buf_release(&name);
	buf_release(&before);
	buf_release(&after);
	return 0;
}
