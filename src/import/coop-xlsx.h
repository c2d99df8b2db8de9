/* coop-xlsx.h — reading the cell values of an Office Open XML workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean   coop_xlsx_is_workbook (const char  *data,
                                  gsize        length);
GPtrArray *coop_xlsx_read        (const char  *data,
                                  gsize        length,
                                  const char  *sheet,
                                  char      ***sheet_names,
                                  char       **sheet_read,
                                  GArray      *row_numbers,
                                  GError     **error);

G_END_DECLS
