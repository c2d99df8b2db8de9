/* coop-cli.h — the commands that work without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "coop-store.h"

G_BEGIN_DECLS

int       coop_cli_run                (int         argc,
                                       char      **argv);
char     *coop_cli_default_database   (void);
int       coop_cli_usage_error        (GOptionContext *context,
                                       const char     *message);
CoopStore *coop_cli_open_store        (const char     *location,
                                       CoopStoreFlags  flags,
                                       GError        **error);

int       coop_cli_backup             (int         argc,
                                       char      **argv);
int       coop_cli_restore            (int         argc,
                                       char      **argv);

int       coop_cli_import_students    (int         argc,
                                       char      **argv);

int       coop_cli_export_summary     (int         argc,
                                       char      **argv);

int       coop_cli_due                (int         argc,
                                       char      **argv);
int       coop_cli_remind             (int         argc,
                                       char      **argv);

G_END_DECLS
