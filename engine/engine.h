/*
 * engine.h - the pieces one instance runs with, assembled by the caller
 * (the CLI, a test) and handed to the modules that need more than one of
 * them. The engine owns none of them.
 */
#ifndef MAJLIS_ENGINE_H
#define MAJLIS_ENGINE_H

struct store;
struct clock;
struct calendar;
struct flowset;
struct documents;
struct mail_config;
struct notify_rules;
struct reportset;

struct engine {
	struct store *store;	  /* the instance's database */
	struct clock *clock;	  /* "now" and the time zone */
	struct calendar *cal;	  /* weekends, holidays, Hijri dates */
	struct flowset *flows;	  /* the loaded mailflows */
	struct documents *docs;	  /* templates, renderer, archive; or NULL */
	const struct mail_config *mail; /* outgoing mail (outbox.h), or NULL */
	struct notify_rules *notify; /* who is told how (notify.h), or NULL:
				 * the inbox only */
	struct reportset *reports; /* reports/ definitions (report.h), or NULL */
	const char *report_dir;	  /* where the daily dashboards go (the
				   * instance's out/), or NULL: none */
};

#endif
