/* coop-test-util.h — what every test program may share; GLib, SQLite and libpq only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  coop_test_remove_tree          (const char *path);
char *coop_test_new_server_database (const char *prefix);
void  coop_test_zero_root_page       (const char *path,
                                      const char *table);
long  coop_test_status_kb            (const char *key);

G_END_DECLS
