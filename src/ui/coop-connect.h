/* coop-connect.h — "Connect to Shared Database…"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *coop_connect_dialog_new (GtkWindow  *parent,
                                           const char *current,
                                           const char *problem);
char             *coop_connect_build_uri  (const char *host,
                                           const char *port,
                                           const char *database,
                                           const char *user);

G_END_DECLS
