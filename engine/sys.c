/*
 * sys.c - allocation, bounded parsing, atomic file writes and fault points
 * (see sys.h). This is the only place that calls abort() and the only place
 * that kills the process on purpose.
 */
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

static _Noreturn void
die_nomem(size_t n)
{
	fprintf(stderr, "majlis: fatal: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_nomem(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die_nomem(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_nomem(n);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
xgrow(void *arrp, size_t *cap, size_t need, size_t elsize)
{
	void **arr = arrp;
	size_t c = *cap;

	if (need <= c)
		return;
	if (!c)
		c = 8;
	while (c < need)
		c *= 2;
	if (c > SIZE_MAX / elsize)
		BUG("array size overflow");
	*arr = xrealloc(*arr, c * elsize);
	*cap = c;
}

void
sys_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "majlis: BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

int
parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	if (*s != '-' && *s != '+' && (*s < '0' || *s > '9'))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
fsync_dir_of(const char *path)
{
	struct buf dir = BUF_INIT;
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	if (slash)
		buf_add(&dir, path, (size_t)(slash - path) + (slash == path));
	else
		buf_addch(&dir, '.');
	fd = open(dir.data, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) < 0)
		rc = -1;
	if (fd >= 0)
		close(fd);
	buf_release(&dir);
	return rc;
}

int
file_write_atomic(const char *path, const void *data, size_t len)
{
	struct buf tmp = BUF_INIT;
	const char *p = data;
	int fd = -1, saved;

	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.data, path) < 0)
		goto fail;
	buf_release(&tmp);
	return fsync_dir_of(path);
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp.data);
	buf_release(&tmp);
	errno = saved;
	return -1;
}

int
file_read(const char *path, size_t max, struct buf *out)
{
	char chunk[8192];
	int fd;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n > max) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
		buf_add(out, chunk, (size_t)n);
	}
	if (n < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
dir_names(const char *dir, int (*keep)(const char *name, void *ctx),
	  void *ctx, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (keep && !keep(de->d_name, ctx)))
			continue;
		xgrow(names, &cap, *n + 1, sizeof(**names));
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

void
names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

int
mkdir_p(const char *path, unsigned mode)
{
	struct buf b = BUF_INIT;
	size_t i;
	int rc = 0;

	buf_addstr(&b, path);
	for (i = 1; i <= b.len; i++) {
		if (b.data[i] != '/' && b.data[i] != '\0')
			continue;
		b.data[i] = '\0';
		if (mkdir(b.data, (mode_t)mode) < 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		if (i < b.len)
			b.data[i] = '/';
	}
	buf_release(&b);
	return rc;
}

/* The one armed fault point: its name and the visit that kills. */
static char fault_name[64];
static long long fault_at;
static long long fault_seen;

int
sys_fault_set(const char *spec)
{
	const char *colon = spec ? strrchr(spec, ':') : NULL;
	long long n;

	fault_name[0] = '\0';
	fault_seen = 0;
	if (!spec || !*spec)
		return 0;
	if (!colon || colon == spec ||
	    (size_t)(colon - spec) >= sizeof(fault_name) ||
	    parse_int(colon + 1, 1, LLONG_MAX, &n) < 0)
		return -1;
	memcpy(fault_name, spec, (size_t)(colon - spec));
	fault_name[colon - spec] = '\0';
	fault_at = n;
	return 0;
}

void
sys_fault_point(const char *name)
{
	if (!fault_name[0] || strcmp(name, fault_name) != 0)
		return;
	if (++fault_seen == fault_at)
		raise(SIGKILL);
}
