/*
 * structure.h - the bodies (the commune, its arrondissements) and their
 * organizations (councils, bureaus, commissions, administration), read
 * from a definition file (structure/casablanca.ini) and written to the
 * store by `majlis init`. Re-loading updates names and keeps ids.
 */
#ifndef MAJLIS_STRUCTURE_H
#define MAJLIS_STRUCTURE_H

#include <stddef.h>

#include "buf.h"
#include "engine.h"
#include "status.h"

struct structure;

/* Parses and checks a structure file of len bytes named name. */
enum majlis_status structure_parse(const char *name, const char *data,
				   size_t len, struct structure **out,
				   struct buf *err);
enum majlis_status structure_parse_file(const char *path,
					struct structure **out,
					struct buf *err);
void structure_free(struct structure *s);
size_t structure_bodies(const struct structure *s);
size_t structure_organizations(const struct structure *s);
/* Writes it to the store, in one transaction with its audit entry. */
enum majlis_status structure_store(struct engine *e,
				   const struct structure *s,
				   struct buf *err);

#endif
