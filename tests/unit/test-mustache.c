/*
 * test-mustache.c - the template language: every test of the official
 * Mustache specification's required modules (comments, delimiters,
 * interpolation, inverted, partials, sections; read from
 * ../shared/spec/mustache/specs, or $MUSTACHE_SPEC), then strict mode,
 * where a name or partial that resolves nowhere is an error naming the
 * template and line, and the limits a hostile template runs into.
 */
#include "testlib.h"


#include "mustache.h"

static const char *
spec_dir(void)
{
	const char *d = getenv("MUSTACHE_SPEC");

	return d && *d ? d : "../shared/spec/mustache/specs";
}

static const char *
find_partial(void *ctx, const char *name, size_t *len)
{
	json_t *v = json_object_get((json_t *)ctx, name);

	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

static void
run_spec(const char *module)
{
	char path[4096];
	json_error_t jerr;
	json_t *spec, *tests, *t;
	size_t i;
	int failed = 0;

	snprintf(path, sizeof(path), "%s/%s.json", spec_dir(), module);
	spec = json_load_file(path, 0, &jerr);
	if (!spec)
		fail_msg("cannot read the Mustache specification '%s': %s "
			 "(set MUSTACHE_SPEC)",
			 path, jerr.text);
	tests = json_object_get(spec, "tests");
	assert_true(json_array_size(tests) > 0);
	json_array_foreach(tests, i, t) {
		const char *tmpl = json_string_value(json_object_get(t, "template"));
		const char *want = json_string_value(json_object_get(t, "expected"));
		json_t *partials = json_object_get(t, "partials");
		struct mustache *m = NULL;
		struct buf out = BUF_INIT, err = BUF_INIT;

		if (mustache_parse("spec", tmpl, strlen(tmpl), &m, &err) ||
		    mustache_render(m, json_object_get(t, "data"), 0,
				    find_partial, partials, &out, &err)) {
			print_error("%s: %s: error %s\n", module,
				    json_string_value(json_object_get(t, "name")),
				    err.data);
			failed++;
		} else if (strcmp(out.data, want)) {
			print_error("%s: %s:\n  got      [%s]\n  expected [%s]\n",
				    module,
				    json_string_value(json_object_get(t, "name")),
				    out.data, want);
			failed++;
		}
		mustache_free(m);
		buf_release(&out);
		buf_release(&err);
	}
	json_decref(spec);
	assert_int_equal(failed, 0);
}

static void test_comments(void **s) { (void)s; run_spec("comments"); }
static void test_delimiters(void **s) { (void)s; run_spec("delimiters"); }
static void test_interpolation(void **s) { (void)s; run_spec("interpolation"); }
static void test_inverted(void **s) { (void)s; run_spec("inverted"); }
static void test_partials(void **s) { (void)s; run_spec("partials"); }
static void test_sections(void **s) { (void)s; run_spec("sections"); }

static enum majlis_status
strict(const char *tmpl, const char *data, struct buf *out, struct buf *err)
{
	struct mustache *m = NULL;
	json_t *d = json_loads(data, 0, NULL);
	enum majlis_status rc;

	assert_non_null(d);
	rc = mustache_parse("t.xml", tmpl, strlen(tmpl), &m, err);
	if (rc == MAJLIS_OK)
		rc = mustache_render(m, d, MUSTACHE_STRICT, NULL, NULL, out,
				     err);
	mustache_free(m);
	json_decref(d);
	return rc;
}

static void
test_strict(void **state)
{
	struct buf out = BUF_INIT, err = BUF_INIT;

	(void)state;
	assert_int_equal(strict("<p>{{a}} {{b.c}}</p>",
				"{\"a\": \"x & y\", \"b\": {\"c\": 3}}", &out,
				&err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "<p>x &amp; y 3</p>");
	buf_reset(&out);
	assert_int_equal(strict("line 1\n\n<p>{{titel_fr}}</p>",
				"{\"title_fr\": \"x\"}", &out, &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t.xml:3: unknown field 'titel_fr'");
	buf_reset(&err);
	buf_reset(&out);
	/* A known field that is null is empty text, and falsey. */
	assert_int_equal(strict("[{{a}}]{{#a}}no{{/a}}{{^a}}yes{{/a}}",
				"{\"a\": null}", &out, &err),
			 MAJLIS_OK);
	assert_string_equal(out.data, "[]yes");
	buf_reset(&out);
	assert_int_equal(strict("{{#items}}{{n}}{{/items}}",
				"{\"items\": [{\"n\": 1}, {\"m\": 2}]}", &out,
				&err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "t.xml:1: unknown field 'n'"));
	buf_reset(&err);
	assert_int_equal(strict("{{>header}}", "{}", &out, &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t.xml:1: unknown partial 'header'");
	buf_release(&out);
	buf_release(&err);
}

static void
test_syntax_errors(void **state)
{
	struct mustache *m;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(mustache_parse("t.xml", "a\n{{#s}}\nb", 10, &m, &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t.xml:2: section 's' is never closed");
	buf_reset(&err);
	assert_int_equal(mustache_parse("t.xml", "{{#a}}{{/b}}", 12, &m, &err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "'/b' closes section 'a'"));
	buf_reset(&err);
	assert_int_equal(mustache_parse("t.xml", "x\n{{y", 5, &m, &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t.xml:2: a tag is never closed");
	buf_reset(&err);
	assert_int_equal(mustache_parse("t.xml", "{{=a=}}", 7, &m, &err),
			 MAJLIS_ERR_DATA);
	buf_reset(&err);
	assert_int_equal(mustache_parse("t.xml", "{{ }}", 5, &m, &err),
			 MAJLIS_ERR_DATA);
	buf_reset(&err);
	/* Found by fuzzing: a NUL in a delimiter made it empty, and the
	 * search for it read past the template. */
	assert_int_equal(mustache_parse("t.xml", "{{=\0\0 |=}}x", 11, &m,
					&err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t.xml:1: bad delimiter tag: expected "
				      "{{=OPEN CLOSE=}}");
	buf_reset(&err);
	assert_int_equal(mustache_parse("t.xml", "{{=| \0=}}x", 10, &m, &err),
			 MAJLIS_ERR_DATA);
	buf_release(&err);
}

static const char *
self(void *ctx, const char *name, size_t *len)
{
	(void)name;
	*len = strlen(ctx);
	return ctx;
}

static void
test_limits(void **state)
{
	struct mustache *m;
	struct buf out = BUF_INIT, err = BUF_INIT;
	json_t *d = json_object();
	const char *loop = "x{{>loop}}";

	(void)state;
	/* A partial including itself forever stops. */
	assert_int_equal(mustache_parse("t", loop, strlen(loop), &m, &err), 0);
	assert_int_equal(mustache_render(m, d, 0, self, (void *)loop, &out,
					 &err),
			 MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, "nested deeper than"));
	mustache_free(m);
	json_decref(d);
	buf_release(&out);
	buf_release(&err);
}

/* n copies of s. */
static void
repeat(struct buf *b, const char *s, size_t n)
{
	while (n--)
		buf_addstr(b, s);
}

/* Renders tmpl over data (JSON) with the partials of the JSON object
 * partials (may be NULL); returns the status, the output in out. */
static enum majlis_status
render_with(const char *tmpl, const char *data, const char *partials,
	    struct buf *out, struct buf *err)
{
	struct mustache *m = NULL;
	json_t *d = json_loads(data, 0, NULL), *p = NULL;
	enum majlis_status rc;

	assert_non_null(d);
	if (partials) {
		p = json_loads(partials, 0, NULL);
		assert_non_null(p);
	}
	rc = mustache_parse("t", tmpl, strlen(tmpl), &m, err);
	if (rc == MAJLIS_OK)
		rc = mustache_render(m, d, 0, find_partial, p, out, err);
	mustache_free(m);
	json_decref(d);
	json_decref(p);
	return rc;
}

/* Found by fuzzing: work without output, and output past the limit. */
static void
test_work_limits(void **state)
{
	struct buf tmpl = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	const char *eight = "{\"s\": [1, 1, 1, 1, 1, 1, 1, 1]}";

	(void)state;
	/* Sections nested over arrays multiply (8^10 here) and wrote
	 * nothing, so the output limit never stopped them. */
	repeat(&tmpl, "{{#s}}", 10);
	repeat(&tmpl, "{{/s}}", 10);
	assert_int_equal(render_with(tmpl.data, eight, NULL, &out, &err),
			 MAJLIS_ERR_DATA);
	assert_true(starts_with(err.data, "t:1: rendering stopped after"));
	assert_int_equal(out.len, 0);
	buf_reset(&tmpl);
	buf_reset(&err);
	/* Partials that include others many times: counted too. */
	assert_int_equal(
		render_with("{{>a}}", "{}",
			    "{\"a\": \"{{>b}}{{>b}}{{>b}}{{>b}}{{>b}}{{>b}}\","
			    " \"b\": \"{{>c}}{{>c}}{{>c}}{{>c}}{{>c}}{{>c}}\","
			    " \"c\": \"{{>d}}{{>d}}{{>d}}{{>d}}{{>d}}{{>d}}\","
			    " \"d\": \"{{>e}}{{>e}}{{>e}}{{>e}}{{>e}}{{>e}}\","
			    " \"e\": \"{{>f}}{{>f}}{{>f}}{{>f}}{{>f}}{{>f}}\","
			    " \"f\": \"{{>g}}{{>g}}{{>g}}{{>g}}{{>g}}{{>g}}\","
			    " \"g\": \"{{>h}}{{>h}}{{>h}}{{>h}}{{>h}}{{>h}}\","
			    " \"h\": \"{{>i}}{{>i}}{{>i}}{{>i}}{{>i}}{{>i}}\","
			    " \"i\": \"{{>j}}{{>j}}{{>j}}{{>j}}{{>j}}{{>j}}\","
			    " \"j\": \"\"}",
			    &out, &err),
		MAJLIS_ERR_DATA);
	assert_non_null(strstr(err.data, ": rendering stopped after"));
	buf_reset(&err);
	/* The output stops at the limit exactly, even after an error,
	 * and the message says where: it went one tag past it. */
	buf_addstr(&out, "before");
	repeat(&tmpl, "{{#s}}", 9);
	repeat(&tmpl, "0123456789", 10);
	repeat(&tmpl, "{{/s}}", 9);
	assert_int_equal(render_with(tmpl.data, eight, NULL, &out, &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t:1: output larger than 67108864 bytes");
	assert_int_equal(out.len, strlen("before") + MUSTACHE_MAX_OUTPUT);
	assert_true(starts_with(out.data, "before0123"));
	buf_release(&tmpl);
	buf_release(&out);
	buf_release(&err);
}

/* Found by fuzzing: deep sections, names over lines, slow parsing. */
static void
test_parse_limits(void **state)
{
	struct buf tmpl = BUF_INIT, err = BUF_INIT, out = BUF_INIT;
	struct mustache *m = NULL;

	(void)state;
	/* Rendering recursed once a section, and 20,000 of them
	 * overflowed the stack. */
	repeat(&tmpl, "{{#a}}", MUSTACHE_MAX_DEPTH);
	repeat(&tmpl, "{{/a}}", MUSTACHE_MAX_DEPTH);
	assert_int_equal(render_with(tmpl.data, "{\"a\": {}}", NULL, &out,
				     &err),
			 MAJLIS_OK);
	buf_reset(&tmpl);
	repeat(&tmpl, "{{#a}}\n", 20000);
	repeat(&tmpl, "{{/a}}", 20000);
	assert_int_equal(mustache_parse("t", tmpl.data, tmpl.len, &m, &err),
			 MAJLIS_ERR_DATA);
	assert_null(m);
	assert_string_equal(err.data, "t:65: sections nested deeper than 64");
	buf_reset(&err);
	/* A tag left open ate the lines up to a later close. */
	assert_int_equal(mustache_parse("t", "a\n{{{x}}\nb\n{{{y}}}", 18, &m,
					&err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t:2: a tag name spans lines");
	buf_reset(&err);
	/* Line numbers were counted from the start for every tag:
	 * minutes for a large template. */
	buf_reset(&tmpl);
	repeat(&tmpl, "<p>{{a}}</p>\n", 100000);
	buf_addstr(&tmpl, "{{/a}}");
	assert_int_equal(mustache_parse("t", tmpl.data, tmpl.len, &m, &err),
			 MAJLIS_ERR_DATA);
	assert_string_equal(err.data, "t:100001: '/a' closes no section");
	buf_release(&tmpl);
	buf_release(&out);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_interpolation),
		cmocka_unit_test(test_inverted),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_work_limits),
		cmocka_unit_test(test_parse_limits),
	};

	return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
