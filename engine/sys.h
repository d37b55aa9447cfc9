/*
 * sys.h - small system pieces shared by every module: allocation that
 * aborts on exhaustion, BUG() for impossible states, bounded number
 * parsing, whole-or-nothing file writes, and the fault-injection points
 * used by the crash tests.
 */
#ifndef MAJLIS_SYS_H
#define MAJLIS_SYS_H

#include <stddef.h>
#include <stdint.h>

/* Allocation that never returns NULL: running out of memory aborts. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Grows *arr (of *cap elements of size elsize) to hold at least need. */
void xgrow(void *arrp, size_t *cap, size_t need, size_t elsize);

/* Stops the program with file and line: for states that cannot happen. */
#define BUG(...) sys_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void sys_bug(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Parses a decimal integer that must be entirely s and lie in [min, max].
 * Returns 0 and sets *out, or -1.
 */
int parse_int(const char *s, long long min, long long max, long long *out);

/* True when s starts with prefix. */
int starts_with(const char *s, const char *prefix);
/* Case-sensitive string equality that accepts NULL on either side. */
int str_eq(const char *a, const char *b);

/*
 * Writes data to path whole or not at all: a temporary file in the same
 * directory, fsync, rename, then fsync of the directory. Returns 0, or -1
 * with errno set (the temporary file is removed).
 */
int file_write_atomic(const char *path, const void *data, size_t len);
/* Reads a whole file up to max bytes. Returns 0, or -1 with errno set
 * (EFBIG when the file is larger than max). */
struct buf;
int file_read(const char *path, size_t max, struct buf *out);
/*
 * The names of the entries of dir that do not start with a dot and that
 * keep accepts (all if keep is NULL), sorted bytewise, in *names: the
 * caller frees them with names_free(). Returns 0, or -1 with errno set
 * when dir cannot be read (*names is then NULL and *n 0).
 */
int dir_names(const char *dir, int (*keep)(const char *name, void *ctx),
	      void *ctx, char ***names, size_t *n);
void names_free(char **names, size_t n);
/* True when s ends with suffix (and has something before it). */
int has_suffix(const char *s, const char *suffix);

/* mkdir -p with the given mode. Returns 0 or -1 with errno set. */
int mkdir_p(const char *path, unsigned mode);

/*
 * Fault injection for tests. sys_fault_set("job-commit:3") arms the point
 * named job-commit so that its third visit kills the process with SIGKILL,
 * as a power cut or kill -9 would. Unarmed points cost one comparison.
 * Returns -1 if spec is malformed.
 */
int sys_fault_set(const char *spec);
void sys_fault_point(const char *name);

#endif
