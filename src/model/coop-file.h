/* coop-file.h — what a path names, before it is opened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean coop_file_check_kind (const char  *path,
                               GError     **error);

G_END_DECLS
