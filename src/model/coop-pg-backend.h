/* coop-pg-backend.h — a ledger shared on a PostgreSQL server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-backend.h"

G_BEGIN_DECLS

#define COOP_TYPE_PG_BACKEND (coop_pg_backend_get_type ())

G_DECLARE_FINAL_TYPE (CoopPgBackend, coop_pg_backend, COOP, PG_BACKEND, CoopBackend)

gboolean     coop_pg_backend_is_uri  (const char      *location);
CoopBackend *coop_pg_backend_open    (const char      *uri,
                                      CoopStoreFlags   flags,
                                      GError         **error);
char        *coop_pg_backend_display (const char      *uri);

G_END_DECLS
