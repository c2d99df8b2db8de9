/* coop-sqlite-private.h — what the SQLite parts of the model share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "coop-store-private.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The application id stamped into every Coopdesk database ("Coop"). */
#define COOP_APPLICATION_ID 0x436f6f70

gboolean coop_store_schema_migrate        (sqlite3   *db,
                                           gboolean   read_only,
                                           int       *version,
                                           GError   **error);
gboolean coop_store_schema_migrate_to     (sqlite3   *db,
                                           int        version,
                                           GError   **error);
void     coop_store_set_sqlite_error      (GError   **error,
                                           sqlite3   *db,
                                           int        rc,
                                           const char *doing);

G_END_DECLS
