/*
 * defs.c - the definition-file reader (see defs.h for the syntax).
 */
#include "defs.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sys.h"

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned cp, min;

		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if ((size_t)(end - p) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

int
split_words(char *s, char **words, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n == max)
			return -1;
		words[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
}

enum majlis_status
defs_error(struct buf *err, const struct defs_item *it, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return MAJLIS_ERR_DATA;
	if (err->len)
		buf_addch(err, '\n');
	buf_addf(err, "%s:%d: ", it->file, it->line);
	va_start(ap, fmt);
	buf_vaddf(err, fmt, ap);
	va_end(ap);
	return MAJLIS_ERR_DATA;
}

static char *
trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r'))
		end--;
	*end = '\0';
	return s;
}

static int
valid_word(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.'))
			return 0;
	return 1;
}

enum majlis_status
defs_parse(const char *name, const char *data, size_t len, defs_cb cb,
	   void *ctx, struct buf *err)
{
	struct buf line = BUF_INIT, kind = BUF_INIT, sname = BUF_INIT;
	struct defs_item it = { name, 0, "", "", NULL, NULL };
	enum majlis_status rc = MAJLIS_OK;
	size_t pos = 0;

	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		pos = 3;
	while (pos < len && rc == MAJLIS_OK) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) : len - pos;
		char *p, *end;

		it.line++;
		it.key = it.value = NULL;
		if (n > DEFS_MAX_LINE) {
			rc = defs_error(err, &it, "line longer than %d bytes",
					DEFS_MAX_LINE);
			break;
		}
		if (memchr(data + pos, '\0', n)) {
			rc = defs_error(err, &it, "NUL byte in the line");
			break;
		}
		if (!utf8_valid(data + pos, n)) {
			rc = defs_error(err, &it,
					"not UTF-8 text (save the file as "
					"UTF-8)");
			break;
		}
		buf_reset(&line);
		buf_add(&line, data + pos, n);
		pos += n + (nl != NULL);
		p = trim(line.data, line.data + line.len);
		if (!*p || *p == ';' || *p == '#')
			continue;
		if (*p == '[') {
			char *close = strchr(p, ']'), *words[3];
			int nw;

			if (!close || close[1]) {
				rc = defs_error(err, &it,
						"a section header must end "
						"with ']'");
				break;
			}
			*close = '\0';
			nw = split_words(p + 1, words, 2);
			if (nw < 1 || !valid_word(words[0]) ||
			    (nw == 2 && !valid_word(words[1]))) {
				rc = defs_error(err, &it,
						"bad section header: expected "
						"[kind] or [kind name] made of "
						"letters, digits, '-', '_', "
						"'.'");
				break;
			}
			buf_reset(&kind);
			buf_addstr(&kind, words[0]);
			buf_reset(&sname);
			if (nw == 2)
				buf_addstr(&sname, words[1]);
			it.kind = kind.data;
			it.name = sname.data;
			rc = cb(ctx, &it, err);
			continue;
		}
		end = strchr(p, '=');
		if (!end) {
			rc = defs_error(err, &it, "expected 'key = value'");
			break;
		}
		*end = '\0';
		it.key = trim(p, end);
		it.value = trim(end + 1, end + 1 + strlen(end + 1));
		if (!valid_word(it.key)) {
			rc = defs_error(err, &it, "bad key '%s'", it.key);
			break;
		}
		rc = cb(ctx, &it, err);
	}
	buf_release(&line);
	buf_release(&kind);
	buf_release(&sname);
	return rc;
}

enum majlis_status
defs_parse_file(const char *path, defs_cb cb, void *ctx, struct buf *err)
{
	struct buf data = BUF_INIT;
	enum majlis_status rc;

	if (file_read(path, DEFS_MAX_FILE, &data) < 0) {
		rc = error(err, MAJLIS_ERR_NOINPUT, "cannot read '%s': %s",
			   path,
			   errno == EFBIG ? "file too large" : strerror(errno));
		buf_release(&data);
		return rc;
	}
	rc = defs_parse(path, data.data, data.len, cb, ctx, err);
	buf_release(&data);
	return rc;
}
