/*
 * store-priv.h - shared between store.c and store-schema.c only.
 */
#ifndef MAJLIS_STORE_PRIV_H
#define MAJLIS_STORE_PRIV_H

extern const char *const store_migrations[];
extern const int store_migration_count;

#endif
