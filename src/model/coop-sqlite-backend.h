/* coop-sqlite-backend.h — a ledger in one local SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-backend.h"

G_BEGIN_DECLS

#define COOP_TYPE_SQLITE_BACKEND (coop_sqlite_backend_get_type ())

G_DECLARE_FINAL_TYPE (CoopSqliteBackend, coop_sqlite_backend, COOP, SQLITE_BACKEND, CoopBackend)

CoopBackend *coop_sqlite_backend_open (const char      *path,
                                       CoopStoreFlags   flags,
                                       GError         **error);

G_END_DECLS
