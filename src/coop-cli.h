/* coop-cli.h — the commands that work without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int       coop_cli_run                (int         argc,
                                       char      **argv);
char     *coop_cli_default_database   (void);

G_END_DECLS
