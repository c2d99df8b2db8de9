/* coop-autostart.h — `coopdesk remind` at login, when Coopdesk is closed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *coop_autostart_dup_path    (void);
char     *coop_autostart_dup_entry   (const char  *program,
                                      const char  *database);
gboolean  coop_autostart_get_enabled (void);
void      coop_autostart_set_async   (gboolean             enabled,
                                      const char          *database,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  coop_autostart_set_finish  (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
