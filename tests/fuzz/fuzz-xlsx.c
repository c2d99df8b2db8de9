/* fuzz-xlsx.c — libFuzzer harness: a workbook's ZIP package and XML parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-xlsx.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) sheets = NULL;
  g_autofree char *sheet = NULL;

  rows = coop_xlsx_read ((const char *) data, size, NULL, &sheets, &sheet, numbers, NULL);
  if (rows != NULL)
    g_assert (rows->len == numbers->len);
  return 0;
}
