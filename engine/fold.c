/*
 * fold.c - reading UTF-8 and folding text for comparison (see fold.h):
 * the archive's search and the intake's reading of replies compare
 * words the same way.
 */
#include "fold.h"

#include <string.h>

#include "sys.h"

uint32_t
utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t n, k, left = len - *i;
	uint32_t c = p[0];

	if (c < 0x80) {
		(*i)++;
		return c;
	}
	if (c >= 0xc2 && c < 0xe0)
		n = 2, c &= 0x1f;
	else if (c >= 0xe0 && c < 0xf0)
		n = 3, c &= 0x0f;
	else if (c >= 0xf0 && c < 0xf5)
		n = 4, c &= 0x07;
	else
		n = 0;
	if (!n || left < n) {
		(*i)++;
		return 0xfffd;
	}
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			(*i)++;
			return 0xfffd;
		}
		c = c << 6 | (p[k] & 0x3f);
	}
	*i += n;
	return c;
}

void
utf8_put(struct buf *b, uint32_t c)
{
	if (c < 0x80) {
		buf_addch(b, (int)c);
	} else if (c < 0x800) {
		buf_addch(b, (int)(0xc0 | c >> 6));
		buf_addch(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addch(b, (int)(0xe0 | c >> 12));
		buf_addch(b, (int)(0x80 | (c >> 6 & 0x3f)));
		buf_addch(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_addch(b, (int)(0xf0 | c >> 18));
		buf_addch(b, (int)(0x80 | (c >> 12 & 0x3f)));
		buf_addch(b, (int)(0x80 | (c >> 6 & 0x3f)));
		buf_addch(b, (int)(0x80 | (c & 0x3f)));
	}
}

size_t
utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int
is_arabic_letter(uint32_t c)
{
	return (c >= 0x0621 && c <= 0x063a) || (c >= 0x0641 && c <= 0x064a) ||
	       (c >= 0x0671 && c <= 0x06d3) || c == 0x06d5 ||
	       (c >= 0x06fa && c <= 0x06fc) || c == 0x06ff ||
	       (c >= 0x0750 && c <= 0x077f);
}

/*
 * Whether c belongs to a word, roughly as unicode61 sees it: letters,
 * digits and the marks inside words, not punctuation, spaces or
 * symbols. It decides what a query word is and where a snippet's words
 * are; a disagreement with unicode61 costs a highlight, nothing more.
 */
int
is_word_char(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		       (c >= 'a' && c <= 'z');
	if (c < 0xc0 || c == 0xd7 || c == 0xf7)
		return 0;
	if (c >= 0x0600 && c <= 0x06ff)
		return !(c <= 0x060f || (c >= 0x061b && c <= 0x061f) ||
			 (c >= 0x066a && c <= 0x066d) || c == 0x06d4 ||
			 c == 0x06dd || c == 0x06de || c == 0x06e9);
	if (c >= 0x2000 && c <= 0x2bff)
		return 0;
	if ((c >= 0x3000 && c <= 0x303f) || (c >= 0xfe00 && c <= 0xfe6f))
		return 0;
	return c != 0xfeff && c != 0xfffd && c < 0x1f000;
}

/*
 * The base letters of an Arabic presentation form (U+FE80-U+FEFC), as
 * pdftotext and some keyboards leave them: how many forms each letter
 * has, for U+0621-U+063A then U+0641-U+064A, and the four lam-alef
 * ligatures at the end. Returns how many letters it put in out.
 */
static int
arabic_form_base(uint32_t c, uint32_t out[2])
{
	static const char forms[] = "12222424244444222244444444"
				    "4444444224";
	static const uint32_t alefs[] = { 0x0622, 0x0623, 0x0625, 0x0627 };
	uint32_t at = 0xfe80;
	size_t i;

	if (c >= 0xfef5) {
		out[0] = 0x0644;
		out[1] = alefs[(c - 0xfef5) / 2];
		return 2;
	}
	for (i = 0; forms[i]; i++) {
		at += (uint32_t)(forms[i] - '0');
		if (c < at) {
			out[0] = i < 26 ? 0x0621 + (uint32_t)i
					: 0x0641 + (uint32_t)(i - 26);
			return 1;
		}
	}
	BUG("no base letter for U+%04X", (unsigned)c);
}

/*
 * Appends the normalised form of c: Arabic vowel marks (tashkeel, U+064B
 * to U+0652, and the dagger alef U+0670) and tatweel dropped; alef with
 * hamza or madda and alef wasla read as alef, alef maqsura as yeh, teh
 * marbuta as heh; presentation forms as their letters; Arabic-Indic
 * digits as ASCII ones; the French ligatures œ and æ as two letters;
 * control characters as spaces. Case and Latin accents are left to
 * unicode61.
 */
static void
norm_add(struct buf *out, uint32_t c)
{
	uint32_t base[2];
	int i, n;

	if (c >= 0xfe80 && c <= 0xfefc) {
		n = arabic_form_base(c, base);
		for (i = 0; i < n; i++)
			norm_add(out, base[i]);
		return;
	}
	if ((c >= 0x064b && c <= 0x0652) || c == 0x0670 || c == 0x0640 ||
	    (c >= 0xfe70 && c <= 0xfe7f))
		return;
	switch (c) {
	case 0x0622:
	case 0x0623:
	case 0x0625:
	case 0x0671:
		c = 0x0627;
		break;
	case 0x0649:
		c = 0x064a;
		break;
	case 0x0629:
		c = 0x0647;
		break;
	case 0x0152:
	case 0x0153:
		buf_addstr(out, c == 0x0152 ? "OE" : "oe");
		return;
	case 0x00c6:
	case 0x00e6:
		buf_addstr(out, c == 0x00c6 ? "AE" : "ae");
		return;
	}
	if (c >= 0x0660 && c <= 0x0669)
		c = '0' + (c - 0x0660);
	else if (c >= 0x06f0 && c <= 0x06f9)
		c = '0' + (c - 0x06f0);
	else if (c < 0x20 || c == 0x7f)
		c = ' ';
	utf8_put(out, c);
}

void
fold_norm(const char *s, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len)
		norm_add(out, utf8_next(s, len, &i));
}

/* Folds ASCII case and the Latin-1 accents, for comparing words in C as
 * unicode61 compares them in the index. */
static uint32_t
latin_fold(uint32_t c)
{
	static const char latin1[] = "aaaaaa?ceeeeiiiidnooooo?ouuuuy??"
				     "aaaaaa?ceeeeiiiidnooooo?ouuuuy?y";

	if (c >= 'A' && c <= 'Z')
		return c + ('a' - 'A');
	if (c >= 0xc0 && c <= 0xff && latin1[c - 0xc0] != '?')
		return (uint32_t)latin1[c - 0xc0];
	if (c == 0x0178)
		return 'y';
	return c;
}


void
fold_key_add(struct buf *out, uint32_t c)
{
	norm_add(out, latin_fold(c));
}

void
fold_key(const char *s, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len)
		fold_key_add(out, utf8_next(s, len, &i));
}
