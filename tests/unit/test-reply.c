/*
 * test-reply.c - what a person wrote in a reply and the decision it
 * gives (reply.h), on replies shaped as Gmail, Outlook desktop and web,
 * Apple Mail and iOS, Thunderbird and Android write them, in French,
 * Arabic and English, on top of the quote and below it; ambiguous
 * replies and those whose words are only in the quote; HTML bodies.
 */
#include "testlib.h"

#include "reply.h"

/* The mail majlis sent, as clients quote it: it names every word. */
#define ASKED "répondez à ce message par un mot : « oui », « non » ou " \
	      "« peut-être »"

static void
expect(const char *text, enum reply_vocabulary v, enum reply_outcome o,
       enum reply_decision d, const char *comment)
{
	struct reply_reading r;

	reply_read(text, v, &r);
	if (r.outcome != o || r.decision != d)
		fail_msg("outcome %d decision %s, wanted %d %s, for: %s (read: "
			 "%s)",
			 (int)r.outcome, reply_decision_name(r.decision), (int)o,
			 reply_decision_name(d), text, r.written.data);
	if (comment && strcmp(r.comment.data, comment))
		fail_msg("comment '%s', wanted '%s'", r.comment.data, comment);
	reply_release(&r);
}

static void
test_clients(void **state)
{
	(void)state;
	/* Gmail, French, on top. */
	expect("Oui, je serai présent.\n\n"
	       "Le jeu. 3 déc. 2026 à 10:25, Conseil de la Commune de "
	       "Casablanca <conseil+t.abcdefghijklmnopqrst@casablanca.ma> a "
	       "écrit :\n\n> Madame,\n> " ASKED "\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT,
	       "je serai présent.");
	/* Gmail, Arabic, with its bidi marks. */
	expect("نعم\n\n\xe2\x80\x8f"
	       "في الخميس، 3 ديسمبر 2026 في 10:25 ص، \xe2\x80\xaa"
	       "مجلس جماعة الدار البيضاء\xe2\x80\xac\xe2\x80\x8f "
	       "<conseil+t.abcdefghijklmnopqrst@casablanca.ma> كتب:\n\n"
	       "> للرد، أجيبوا بكلمة واحدة: «نعم» أو «لا» أو «ربما»\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT, "");
	/* Gmail, English, the attribution wrapped over two lines. */
	expect("No, sorry.\n\nOn Thu, Dec 3, 2026 at 10:25 AM Conseil de la "
	       "Commune <\nconseil+t.abcdefghijklmnopqrst@casablanca.ma> "
	       "wrote:\n\n> " ASKED "\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_DECLINE, "sorry.");
	/* Outlook desktop, French: the original's header block, no ">". */
	expect("Je ne pourrai pas être présent, je suis en mission.\n\n"
	       "________________________________\n"
	       "De : Conseil <conseil+t.abcdefghijklmnopqrst@casablanca.ma>\n"
	       "Envoyé : jeudi 3 décembre 2026 10:25\nÀ : Karim\n"
	       "Objet : Convocation\n\nMadame,\n" ASKED "\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_DECLINE, NULL);
	/* Outlook, Arabic. */
	expect("أعتذر عن الحضور بسبب مهمة\n\n"
	       "من: مجلس جماعة الدار البيضاء\n"
	       "تم الإرسال: الخميس، 3 ديسمبر 2026 10:25 ص\n"
	       "إلى: كريم\nالموضوع: استدعاء\n\nنعم أو لا أو ربما\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_DECLINE,
	       "عن الحضور بسبب مهمة");
	/* iOS: the signature, then the quote. */
	expect("Peut-être\n\nEnvoyé de mon iPhone\n\n"
	       "> Le 3 déc. 2026 à 10:25, Conseil <conseil@casablanca.ma> a "
	       "écrit :\n>\n> " ASKED "\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_TENTATIVE, "");
	/* Thunderbird, below the quote, with a signature. */
	expect("Le 03/12/2026 à 10:25, Conseil a écrit :\n> Madame,\n> " ASKED
	       "\n\nOui, bien reçu.\n-- \nKarim Bennani\nConseiller, non "
	       "inscrit\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT, "bien reçu.");
	/* Android's mail app. */
	expect("Oui\n\n-------- Message d'origine --------\n"
	       "De : Conseil <conseil@casablanca.ma>\nDate : 03/12/2026 10:25\n"
	       "Objet : Convocation\n\n" ASKED "\n",
	       REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT, "");
	/* In English, plainly. */
	expect("Accepted", REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT, "");
	expect("I will attend.", REPLY_INVITATION, REPLY_DECIDED,
	       REPLY_ACCEPT, NULL);
}

static void
test_for_review(void **state)
{
	(void)state;
	expect("Oui mais non", REPLY_INVITATION, REPLY_AMBIGUOUS, REPLY_NONE,
	       NULL);
	expect("Je ne peux pas accepter", REPLY_INVITATION, REPLY_AMBIGUOUS,
	       REPLY_NONE, NULL);
	expect("نعم، لكن ربما أتأخر", REPLY_INVITATION, REPLY_AMBIGUOUS,
	       REPLY_NONE, NULL);
	/* The answer only in the quote. */
	expect("Merci.\n\nLe 3 déc. 2026 à 10:25, Conseil "
	       "<conseil@casablanca.ma> a écrit :\n> " ASKED "\n",
	       REPLY_INVITATION, REPLY_ONLY_IN_QUOTE, REPLY_NONE, NULL);
	expect("Merci pour l'information", REPLY_INVITATION,
	       REPLY_NO_DECISION, REPLY_NONE, NULL);
	expect("", REPLY_INVITATION, REPLY_NO_DECISION, REPLY_NONE, NULL);
	/* "je ne serai pas présent": the negation agrees with declining. */
	expect("Non, je ne serai pas présent", REPLY_INVITATION,
	       REPLY_DECIDED, REPLY_DECLINE, NULL);
}

static void
test_dossiers(void **state)
{
	(void)state;
	expect("Approuvé. RAS", REPLY_DOSSIER, REPLY_DECIDED, REPLY_APPROVE,
	       "RAS");
	expect("renvoyer : il manque l'annexe 2", REPLY_DOSSIER,
	       REPLY_DECIDED, REPLY_RETURN, "il manque l'annexe 2");
	expect("À revoir, le budget ne tient pas", REPLY_DOSSIER,
	       REPLY_DECIDED, REPLY_RETURN, NULL);
	expect("موافق", REPLY_DOSSIER, REPLY_DECIDED, REPLY_APPROVE, "");
	expect("وأوافق على الملف", REPLY_DOSSIER, REPLY_DECIDED,
	       REPLY_APPROVE, NULL);
	expect("أرفض هذا الملف", REPLY_DOSSIER, REPLY_DECIDED, REPLY_REJECT,
	       "هذا الملف");
	expect("Avis défavorable", REPLY_DOSSIER, REPLY_DECIDED,
	       REPLY_REJECT, NULL);
	expect("APPROVE", REPLY_DOSSIER, REPLY_DECIDED, REPLY_APPROVE, "");
	/* An invitation's words are not a dossier's. */
	expect("peut-être", REPLY_DOSSIER, REPLY_NO_DECISION, REPLY_NONE,
	       NULL);
}

static void
test_html(void **state)
{
	static const char gmail[] =
		"<div dir=\"rtl\">نعم</div><br><div class=\"gmail_quote\">"
		"<div dir=\"ltr\" class=\"gmail_attr\">في الخميس كتب:</div>"
		"<blockquote class=\"gmail_quote\">" ASKED "</blockquote></div>";
	static const char outlook[] =
		"<html><head><style>p{}</style></head><body><div>Je valide"
		"&nbsp;!</div><div id=\"appendonsend\"></div><hr>"
		"<div id=\"divRplyFwdMsg\"><b>De :</b> Conseil</div>"
		"<div>" ASKED "</div></body></html>";
	static const char thunderbird[] =
		"<p>D'accord<br>Karim</p><div class=\"moz-cite-prefix\">Le "
		"03/12/2026 à 10:25, Conseil a écrit&nbsp;:<br></div>"
		"<blockquote type=\"cite\">" ASKED "</blockquote>";
	struct buf t = BUF_INIT;

	(void)state;
	reply_html_text(gmail, sizeof(gmail) - 1, &t);
	expect(t.data, REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT, "");
	buf_reset(&t);
	reply_html_text(outlook, sizeof(outlook) - 1, &t);
	assert_null(strstr(t.data, "Conseil"));
	assert_null(strstr(t.data, "p{}"));
	expect(t.data, REPLY_DOSSIER, REPLY_DECIDED, REPLY_APPROVE, NULL);
	buf_reset(&t);
	reply_html_text(thunderbird, sizeof(thunderbird) - 1, &t);
	expect(t.data, REPLY_INVITATION, REPLY_DECIDED, REPLY_ACCEPT,
	       "Karim");
	buf_reset(&t);
	/* Not HTML at all, or nothing: no text, no crash. */
	reply_html_text("", 0, &t);
	reply_html_text("<<<>>>\xff", 7, &t);
	buf_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clients),
		cmocka_unit_test(test_for_review),
		cmocka_unit_test(test_dossiers),
		cmocka_unit_test(test_html),
	};

	return cmocka_run_group_tests_name("reply", tests, NULL, NULL);
}
