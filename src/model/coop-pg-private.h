/* coop-pg-private.h — what the PostgreSQL parts of the model share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libpq-fe.h>

#include "coop-store-private.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* The key of the advisory lock held while the schema is migrated ("Coop"). */
#define COOP_PG_MIGRATION_LOCK 0x436f6f70

const char *coop_pg_schema_step              (int step);
gboolean    coop_pg_schema_step_fills_pinyin (int step);

G_END_DECLS
