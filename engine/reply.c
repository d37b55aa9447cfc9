/*
 * reply.c - reading what a person wrote in a reply (see reply.h).
 *
 * Layout: lines and their clean form; the marks of a quote (attribution
 * lines, separators, header blocks, signatures) as the common clients
 * write them in French, Arabic and English; cutting the quote; HTML to
 * text (libxml2's HTML parser, quoted elements left out); the words of
 * each decision, matched on folded words (fold.h); reading a decision.
 *
 * Known limits: an attribution line wrapped over more than two lines is
 * not recognised (the quote below it still is, by its ">" marks); text
 * written inside the quote (inline replies) counts as written, which is
 * what the person meant.
 */
#include "reply.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fold.h"
#include "sys.h"

/* A line with bidi marks, no-break spaces and surrounding blanks
 * removed, for recognising marks. */
static void
clean_line(const char *s, size_t len, struct buf *out)
{
	size_t i = 0;

	buf_reset(out);
	while (i < len) {
		uint32_t c = utf8_next(s, len, &i);

		if (c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff || c == '\r')
			continue;
		if (c == 0x00a0 || c == 0x202f || c == '\t')
			c = ' ';
		utf8_put(out, c);
	}
	while (out->len && out->data[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
	{
		size_t lead = strspn(out->data, " ");

		memmove(out->data, out->data + lead, out->len - lead + 1);
		out->len -= lead;
	}
}

static int
starts_ci(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

static int
ends_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcasecmp(s + n - m, suffix);
}

/* "Le 3 déc. 2026 à 10:00, Conseil <...> a écrit :", "On ... wrote:",
 * "في ... كتب:", Outlook's "... a écrit :" with a no-break space. */
static int
is_attribution(const char *s)
{
	static const char *const ends[] = {
		"wrote:", "a écrit :", "a écrit:", "a ecrit :", "a ecrit:",
		"كتب:", "كتب :", "كتبت:", "كتبت :", "schrieb:",
	};
	static const char *const starts[] = {
		"on ", "le ", "في ", "am ", "el ",
	};
	int end = 0, start = 0;

	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends) && !end; i++)
		end = ends_ci(s, ends[i]);
	if (!end)
		return 0;
	for (size_t i = 0; i < sizeof(starts) / sizeof(*starts) && !start; i++)
		start = starts_ci(s, starts[i]);
	return start || (strchr(s, '@') != NULL);
}

/* "-----Original Message-----", "-------- Message d'origine --------",
 * "-------- الرسالة الأصلية --------", forwarded messages, Outlook
 * web's line of underscores. */
static int
is_separator(const char *s)
{
	static const char *const words[] = {
		"original message", "message d'origine", "message d’origine",
		"forwarded message", "message transféré", "message transfere",
		"الرسالة الأصلية", "رسالة معاد توجيهها", "الرسالة المعاد توجيهها",
		"begin forwarded message", "début du message réexpédié",
		"ursprüngliche nachricht",
	};
	size_t dashes = strspn(s, "-"), unders = strspn(s, "_");

	if (unders >= 16)
		return 1;
	if (dashes < 2 && !starts_ci(s, "begin forwarded") &&
	    !starts_ci(s, "début du message"))
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		const char *w = words[i];

		for (const char *p = s; *p; p++)
			if (!strncasecmp(p, w, strlen(w)))
				return 1;
	}
	return 0;
}

/* The field names of an original's header block, as Outlook, Outlook
 * web and phones write it in each language. */
static int
header_field(const char *s, int which)
{
	static const char *const from[] = { "from:", "de :", "de:", "من:",
					    "من :", "von:", NULL };
	static const char *const sent[] = { "sent:", "envoyé :", "envoyé:",
					    "envoye :", "date:", "date :",
					    "تم الإرسال:", "التاريخ:",
					    "أرسل:", "gesendet:", NULL };
	static const char *const subj[] = { "subject:", "objet :", "objet:",
					    "الموضوع:", "الموضوع :",
					    "betreff:", NULL };
	const char *const *list = which == 0 ? from : which == 1 ? sent : subj;

	for (; *list; list++)
		if (starts_ci(s, *list))
			return 1;
	return 0;
}

static int
is_signature(const char *raw, const char *s)
{
	static const char *const starts[] = {
		"envoyé de mon", "envoyé depuis mon", "envoye de mon",
		"sent from my", "sent from outlook", "get outlook for",
		"obtenir outlook pour", "télécharger outlook",
		"أرسلت من", "أُرسلت من", "مرسلة من", "مرسل من",
		"تم الإرسال من", "تم إرساله من",
	};

	if (!strcmp(raw, "-- ") || !strcmp(raw, "--") || !strcmp(raw, "-- \r"))
		return 1;
	for (size_t i = 0; i < sizeof(starts) / sizeof(*starts); i++)
		if (starts_ci(s, starts[i]))
			return 1;
	return 0;
}

struct lines {
	char **raw;		/* as written */
	char **clean;		/* for recognising marks */
	size_t n;
};

static void
lines_split(const char *text, struct lines *l)
{
	const char *p = text;
	struct buf c = BUF_INIT;

	memset(l, 0, sizeof(*l));
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct buf r = BUF_INIT;

		buf_add(&r, p, len);
		if (r.len && r.data[r.len - 1] == '\r')
			buf_truncate(&r, r.len - 1);
		clean_line(r.data, r.len, &c);
		l->raw = xrealloc(l->raw, (l->n + 1) * sizeof(*l->raw));
		l->clean = xrealloc(l->clean, (l->n + 1) * sizeof(*l->clean));
		l->raw[l->n] = buf_detach(&r, NULL);
		l->clean[l->n] = xstrdup(c.data);
		l->n++;
		p = e ? e + 1 : p + len;
	}
	buf_release(&c);
}

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->raw[i]);
		free(l->clean[i]);
	}
	free(l->raw);
	free(l->clean);
}

/* How many lines an attribution at line i takes (1 or 2, when a client
 * wrapped it), or 0. */
static int
attribution_at(const struct lines *l, size_t i)
{
	struct buf j = BUF_INIT;
	int r = 0;

	if (is_attribution(l->clean[i]))
		return 1;
	if (i + 1 < l->n && l->clean[i][0] && l->clean[i + 1][0] &&
	    l->clean[i + 1][0] != '>') {
		buf_addf(&j, "%s %s", l->clean[i], l->clean[i + 1]);
		if ((starts_ci(l->clean[i], "on ") ||
		     starts_ci(l->clean[i], "le ") ||
		     starts_ci(l->clean[i], "في ")) &&
		    is_attribution(j.data))
			r = 2;
	}
	buf_release(&j);
	return r;
}

/* An original's header block starting at line i: a From line with a
 * Sent (Date) or Subject line in the five after it. */
static int
header_block_at(const struct lines *l, size_t i)
{
	int sent = 0, subj = 0;

	if (!header_field(l->clean[i], 0))
		return 0;
	for (size_t k = i + 1; k < l->n && k <= i + 5; k++) {
		sent |= header_field(l->clean[k], 1);
		subj |= header_field(l->clean[k], 2);
	}
	return sent || subj;
}

enum cut_state { OWN, AFTER_ATTRIBUTION, IN_QUOTE, SIGNATURE };

void
reply_own_text(const char *text, struct buf *out)
{
	struct lines l;
	enum cut_state st = OWN;
	size_t first = out->len;
	int quoted_since = 0;

	lines_split(text, &l);
	for (size_t i = 0; i < l.n; i++) {
		const char *c = l.clean[i];
		int a;

		if (is_separator(c) || header_block_at(&l, i))
			break;
		if ((a = attribution_at(&l, i))) {
			st = AFTER_ATTRIBUTION;
			quoted_since = 0;
			i += (size_t)a - 1;
			continue;
		}
		if (c[0] == '>') {
			if (st == OWN || st == AFTER_ATTRIBUTION)
				st = IN_QUOTE;
			quoted_since = 1;
			continue;
		}
		if (st == AFTER_ATTRIBUTION || st == IN_QUOTE) {
			if (!c[0])
				continue;
			/* After an attribution with no ">" lines, what
			 * follows is the original, unmarked. */
			if (!quoted_since)
				break;
			st = OWN;
		}
		if (st == OWN && is_signature(l.raw[i], c)) {
			st = SIGNATURE;
			continue;
		}
		if (st == SIGNATURE)
			continue;
		buf_addstr(out, l.raw[i]);
		buf_addch(out, '\n');
	}
	lines_free(&l);
	/* Surrounding blank lines. */
	while (out->len > first &&
	       (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
		buf_truncate(out, out->len - 1);
	{
		size_t lead = first;

		while (lead < out->len &&
		       (out->data[lead] == '\n' || out->data[lead] == ' '))
			lead++;
		memmove(out->data + first, out->data + lead,
			out->len - lead + 1);
		out->len -= lead - first;
	}
}

/* HTML. */

static int
has_class(xmlNode *n, const char *cls)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
	int r = v && strstr((const char *)v, cls) != NULL;

	xmlFree(v);
	return r;
}

static int
has_id(xmlNode *n, const char *id)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)"id");
	int r = v && !strcmp((const char *)v, id);

	xmlFree(v);
	return r;
}

static int
is_block(const char *name)
{
	static const char *const blocks[] = {
		"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4",
		"h5", "h6", "table", "ul", "ol", "hr", "pre",
	};

	for (size_t i = 0; i < sizeof(blocks) / sizeof(*blocks); i++)
		if (!strcasecmp(name, blocks[i]))
			return 1;
	return 0;
}

/* Returns 1 when the rest of the document is the original (Outlook's
 * reply header), to stop. */
static int
html_walk(xmlNode *n, struct buf *out, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				buf_addstr(out, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || !n->name)
			continue;
		{
			const char *name = (const char *)n->name;

			if (has_id(n, "appendonsend") ||
			    has_id(n, "divRplyFwdMsg") ||
			    has_class(n, "OutlookMessageHeader"))
				return 1;
			if (!strcasecmp(name, "blockquote") ||
			    !strcasecmp(name, "script") ||
			    !strcasecmp(name, "style") ||
			    !strcasecmp(name, "head") ||
			    has_class(n, "gmail_quote") ||
			    has_class(n, "gmail_signature") ||
			    has_class(n, "moz-cite-prefix") ||
			    has_class(n, "moz-signature") ||
			    has_class(n, "yahoo_quoted") ||
			    has_class(n, "AppleOriginalContents"))
				continue;
			if (is_block(name))
				buf_addch(out, '\n');
			/* Nesting past this depth is not text anyone wrote. */
			if (depth < 64 && html_walk(n->children, out, depth + 1))
				return 1;
			if (is_block(name) && strcasecmp(name, "br"))
				buf_addch(out, '\n');
		}
	}
	return 0;
}

void
reply_html_text(const char *html, size_t len, struct buf *out)
{
	htmlDocPtr doc;

	if (len > 0x7fffffff)
		return;
	doc = htmlReadMemory(html, (int)len, NULL, "utf-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	if (!doc)
		return;
	html_walk(xmlDocGetRootElement(doc), out, 0);
	xmlFreeDoc(doc);
}

/* The words of the decisions. Each entry is a phrase of one word or
 * more, compared on folded words (accents, case, Arabic letter variants
 * do not matter). */
struct phrase {
	enum reply_decision d;
	const char *words;
};

static const struct phrase invitation_words[] = {
	{ REPLY_ACCEPT, "oui" }, { REPLY_ACCEPT, "j'accepte" },
	{ REPLY_ACCEPT, "accepte" }, { REPLY_ACCEPT, "accepter" },
	{ REPLY_ACCEPT, "present" }, { REPLY_ACCEPT, "presente" },
	{ REPLY_ACCEPT, "je confirme ma presence" },
	{ REPLY_ACCEPT, "je confirme ma participation" },
	{ REPLY_ACCEPT, "confirme ma presence" },
	{ REPLY_ACCEPT, "je serai la" }, { REPLY_ACCEPT, "d'accord" },
	{ REPLY_ACCEPT, "yes" }, { REPLY_ACCEPT, "accept" },
	{ REPLY_ACCEPT, "accepted" }, { REPLY_ACCEPT, "i will attend" },
	{ REPLY_ACCEPT, "i'll attend" }, { REPLY_ACCEPT, "attending" },
	{ REPLY_ACCEPT, "نعم" }, { REPLY_ACCEPT, "أقبل" },
	{ REPLY_ACCEPT, "موافق" }, { REPLY_ACCEPT, "سأحضر" },
	{ REPLY_ACCEPT, "حاضر" }, { REPLY_ACCEPT, "أؤكد" },
	{ REPLY_ACCEPT, "أؤكد حضوري" }, { REPLY_ACCEPT, "قبول" },
	{ REPLY_DECLINE, "non" }, { REPLY_DECLINE, "decline" },
	{ REPLY_DECLINE, "je decline" }, { REPLY_DECLINE, "absent" },
	{ REPLY_DECLINE, "absente" }, { REPLY_DECLINE, "excuse" },
	{ REPLY_DECLINE, "excusee" }, { REPLY_DECLINE, "empeche" },
	{ REPLY_DECLINE, "empechee" }, { REPLY_DECLINE, "ne pourrai pas" },
	{ REPLY_DECLINE, "ne serai pas" }, { REPLY_DECLINE, "ne pourrais pas" },
	{ REPLY_DECLINE, "no" }, { REPLY_DECLINE, "declined" },
	{ REPLY_DECLINE, "cannot attend" }, { REPLY_DECLINE, "can't attend" },
	{ REPLY_DECLINE, "unable to attend" }, { REPLY_DECLINE, "لا" },
	{ REPLY_DECLINE, "أعتذر" }, { REPLY_DECLINE, "اعتذار" },
	{ REPLY_DECLINE, "لن أحضر" }, { REPLY_DECLINE, "غائب" },
	{ REPLY_DECLINE, "غائبة" }, { REPLY_DECLINE, "لن أتمكن" },
	{ REPLY_TENTATIVE, "peut-etre" }, { REPLY_TENTATIVE, "peut etre" },
	{ REPLY_TENTATIVE, "incertain" }, { REPLY_TENTATIVE, "incertaine" },
	{ REPLY_TENTATIVE, "maybe" }, { REPLY_TENTATIVE, "tentative" },
	{ REPLY_TENTATIVE, "perhaps" }, { REPLY_TENTATIVE, "ربما" },
	{ REPLY_TENTATIVE, "قد أحضر" }, { REPLY_TENTATIVE, "غير مؤكد" },
	{ REPLY_NONE, NULL },
};

static const struct phrase dossier_words[] = {
	{ REPLY_APPROVE, "approuver" }, { REPLY_APPROVE, "approuve" },
	{ REPLY_APPROVE, "j'approuve" }, { REPLY_APPROVE, "approbation" },
	{ REPLY_APPROVE, "valide" }, { REPLY_APPROVE, "valider" },
	{ REPLY_APPROVE, "oui" }, { REPLY_APPROVE, "d'accord" },
	{ REPLY_APPROVE, "favorable" }, { REPLY_APPROVE, "avis favorable" },
	{ REPLY_APPROVE, "approve" }, { REPLY_APPROVE, "approved" },
	{ REPLY_APPROVE, "yes" }, { REPLY_APPROVE, "موافقة" },
	{ REPLY_APPROVE, "أوافق" }, { REPLY_APPROVE, "موافق" },
	{ REPLY_APPROVE, "نعم" }, { REPLY_APPROVE, "مصادقة" },
	{ REPLY_APPROVE, "أصادق" },
	{ REPLY_REJECT, "rejeter" }, { REPLY_REJECT, "rejette" },
	{ REPLY_REJECT, "rejet" }, { REPLY_REJECT, "refuser" },
	{ REPLY_REJECT, "refuse" }, { REPLY_REJECT, "refus" },
	{ REPLY_REJECT, "non" }, { REPLY_REJECT, "defavorable" },
	{ REPLY_REJECT, "avis defavorable" }, { REPLY_REJECT, "reject" },
	{ REPLY_REJECT, "rejected" }, { REPLY_REJECT, "no" },
	{ REPLY_REJECT, "رفض" }, { REPLY_REJECT, "أرفض" },
	{ REPLY_REJECT, "مرفوض" }, { REPLY_REJECT, "لا" },
	{ REPLY_RETURN, "renvoyer" }, { REPLY_RETURN, "renvoi" },
	{ REPLY_RETURN, "renvoye" }, { REPLY_RETURN, "retourner" },
	{ REPLY_RETURN, "a revoir" }, { REPLY_RETURN, "a modifier" },
	{ REPLY_RETURN, "a completer" }, { REPLY_RETURN, "return" },
	{ REPLY_RETURN, "returned" }, { REPLY_RETURN, "changes" },
	{ REPLY_RETURN, "إعادة" }, { REPLY_RETURN, "أعيدوا" },
	{ REPLY_RETURN, "تعديل" }, { REPLY_RETURN, "للتعديل" },
	{ REPLY_RETURN, "يعاد" },
	{ REPLY_NONE, NULL },
};

/* Words that turn a decision word round when they come just before it. */
static const char *const negations[] = {
	"ne", "n", "pas", "jamais", "not", "dont", "don", "cannot", "cant",
	"never", "won", "wont", "لن", "لم", "ليس", "غير", "لا", NULL,
};

struct words {
	char **w;
	size_t *start;		/* where each word starts in the text */
	size_t *end;
	size_t n;
};

/* The folded words of s, with where each came from. */
static void
words_of(const char *s, size_t len, struct words *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		size_t at = i;
		uint32_t c = utf8_next(s, len, &i);
		struct buf key = BUF_INIT;

		if (!is_word_char(c))
			continue;
		fold_key_add(&key, c);
		while (i < len) {
			size_t k = i;
			uint32_t d = utf8_next(s, len, &k);

			/* "peut-être" and "d'accord" hold together as
			 * the phrases are written; split below. */
			if (!is_word_char(d))
				break;
			fold_key_add(&key, d);
			i = k;
		}
		out->w = xrealloc(out->w, (out->n + 1) * sizeof(*out->w));
		out->start = xrealloc(out->start,
				      (out->n + 1) * sizeof(*out->start));
		out->end = xrealloc(out->end, (out->n + 1) * sizeof(*out->end));
		out->w[out->n] = buf_detach(&key, NULL);
		out->start[out->n] = at;
		out->end[out->n] = i;
		out->n++;
	}
}

static void
words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->w[i]);
	free(w->w);
	free(w->start);
	free(w->end);
}

/* Whether word w (folded) is p, or p with one attached Arabic
 * conjunction or preposition (و ف ب ل) before it. */
static int
word_is(const char *w, const char *p)
{
	static const char *const particles[] = { "و", "ف", "ب", "ل" };

	if (!strcmp(w, p))
		return 1;
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(particles[i]);

		if (!strncmp(w, particles[i], n) && !strcmp(w + n, p) &&
		    utf8_count(p, strlen(p)) >= 2)
			return 1;
	}
	return 0;
}

struct match {
	enum reply_decision d;
	size_t at, len;		/* in words */
	int negated;
};

/* A table's phrases as folded words, made once for a reading. */
struct table_words {
	const struct phrase *p;
	struct words *w;
	size_t n;
};

static void
table_words_init(struct table_words *t, const struct phrase *table)
{
	t->p = table;
	t->n = 0;
	while (table[t->n].words)
		t->n++;
	t->w = xcalloc(t->n, sizeof(*t->w));
	for (size_t i = 0; i < t->n; i++)
		words_of(table[i].words, strlen(table[i].words), &t->w[i]);
}

/* The folded words of each vocabulary, made on first use and kept for
 * the process: every reply is read with them. */
static const struct table_words *
vocabulary(enum reply_vocabulary v)
{
	static struct table_words cache[2];
	static int made[2];
	int i = v == REPLY_DOSSIER;

	if (!made[i]) {
		table_words_init(&cache[i], i ? dossier_words
					      : invitation_words);
		made[i] = 1;
	}
	return &cache[i];
}

/* The phrases found in words, the longest at each place. */
static size_t
find_phrases(const struct words *w, const struct table_words *t,
	     struct match *m, size_t cap)
{
	size_t n = 0;
	/* Words that are a decision on their own ("non", "لا"): they do
	 * not negate what follows them ("لا، أعتذر" declines twice). */
	unsigned char *single = xcalloc(w->n ? w->n : 1, 1);

	for (size_t i = 0; i < w->n && n < cap; i++) {
		size_t best = 0;
		enum reply_decision bd = REPLY_NONE;

		for (size_t j = 0; j < t->n; j++) {
			const struct words *pw = &t->w[j];
			size_t k;

			for (k = 0; k < pw->n && i + k < w->n; k++)
				if (!word_is(w->w[i + k], pw->w[k]))
					break;
			if (k == pw->n && pw->n > best) {
				best = pw->n;
				bd = t->p[j].d;
			}
		}
		if (!best)
			continue;
		m[n].d = bd;
		m[n].at = i;
		m[n].len = best;
		m[n].negated = 0;
		for (size_t b = i >= 3 ? i - 3 : 0; b < i; b++)
			for (const char *const *ng = negations; *ng; ng++)
				if (!single[b] && !strcmp(w->w[b], *ng))
					m[n].negated = 1;
		if (best == 1)
			single[i] = 1;
		n++;
		i += best - 1;
	}
	free(single);
	return n;
}

enum { MAX_MATCHES = 64 };

/*
 * The decision of text: 1 with *d when one, 0 when none, -1 when words
 * of two decisions, or only negated ones. *lead_end gets where the
 * decision's words end when the text starts with them, else 0.
 */
static int
decide(const char *text, const struct table_words *t,
       enum reply_decision *d, size_t *lead_end)
{
	struct words w;
	struct match m[MAX_MATCHES];
	size_t n;
	enum reply_decision got = REPLY_NONE;
	int negated = 0, r = 1;

	words_of(text, strlen(text), &w);
	n = find_phrases(&w, t, m, MAX_MATCHES);
	*lead_end = 0;
	for (size_t i = 0; i < n && r > 0; i++) {
		if (m[i].negated)
			negated = 1;
		else if (got != REPLY_NONE && got != m[i].d)
			r = -1;
		else
			got = m[i].d;
	}
	if (r > 0 && got == REPLY_NONE)
		r = negated ? -1 : 0;
	/* A negated word of the decision found contradicts it; one of
	 * another agrees ("je ne serai pas présent": decline). */
	for (size_t i = 0; i < n && r > 0; i++)
		if (m[i].negated && m[i].d == got)
			r = -1;
	if (r > 0) {
		if (m[0].at == 0 && !m[0].negated)
			*lead_end = w.end[m[0].len - 1];
		*d = got;
	}
	words_free(&w);
	return r;
}

/* Past the punctuation and spaces at the start of s. */
static const char *
skip_punct(const char *s)
{
	size_t len = strlen(s), i = 0, at = 0;

	while (i < len) {
		uint32_t c = utf8_next(s, len, &i);

		if (!(c == ' ' || c == '\n' || c == ',' || c == '.' ||
		      c == ';' || c == ':' || c == '!' || c == '-' ||
		      c == 0x060c || c == 0x061b || c == 0x2013 ||
		      c == 0x2014))
			break;
		at = i;
	}
	return s + at;
}

void
reply_read(const char *text, enum reply_vocabulary v, struct reply_reading *r)
{
	const struct table_words *t = vocabulary(v);
	enum reply_decision d = REPLY_NONE, qd = REPLY_NONE;
	size_t lead = 0, qlead;
	int got;

	memset(r, 0, sizeof(*r));
	buf_init(&r->comment);
	buf_init(&r->written);
	reply_own_text(text, &r->written);
	got = decide(r->written.data, t, &d, &lead);
	if (got > 0) {
		/* The comment: what follows the word, or all of it. */
		buf_addstr(&r->comment, skip_punct(r->written.data + lead));
		r->outcome = REPLY_DECIDED;
		r->decision = d;
	} else if (got < 0) {
		r->outcome = REPLY_AMBIGUOUS;
	} else {
		/* Nothing written decides: is it in the quote? */
		r->outcome = decide(text, t, &qd, &qlead) != 0
				     ? REPLY_ONLY_IN_QUOTE
				     : REPLY_NO_DECISION;
	}
}

void
reply_release(struct reply_reading *r)
{
	buf_release(&r->comment);
	buf_release(&r->written);
}

const char *
reply_decision_name(enum reply_decision d)
{
	switch (d) {
	case REPLY_ACCEPT: return "accept";
	case REPLY_DECLINE: return "decline";
	case REPLY_TENTATIVE: return "tentative";
	case REPLY_APPROVE: return "approve";
	case REPLY_REJECT: return "reject";
	case REPLY_RETURN: return "return";
	default: return "none";
	}
}
