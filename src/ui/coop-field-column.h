/* coop-field-column.h — a column view column showing one field of its records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkColumnViewColumn *coop_field_column_new (GType       record_type,
                                            const char *property,
                                            gboolean    expand);

G_END_DECLS
