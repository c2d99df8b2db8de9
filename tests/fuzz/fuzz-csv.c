/* fuzz-csv.c — libFuzzer harness: delimited text into a table and a plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-csv.h"
#include "coop-import.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopImportPlan) plan = NULL;
  char separator;
  guint n_columns;
  int columns[COOP_IMPORT_N_FIELDS];

  /* The splitter takes any bytes, not only UTF-8. */
  separator = coop_csv_detect_separator ((const char *) data, size);
  rows = coop_csv_parse ((const char *) data, size, separator, lines);
  g_assert (rows->len == lines->len);

  /* The whole path a text file takes through an import, but the store. */
  table = coop_import_table_read_data ((const char *) data, size, "UTF-8", NULL, NULL);
  if (table == NULL)
    return 0;
  existing = coop_import_existing_new (NULL, NULL);
  coop_import_guess_mapping (table, NULL, columns);
  n_columns = g_strv_length (table->header);
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    if (columns[f] < 0 && f < n_columns)
      columns[f] = (int) f;
  plan = coop_import_plan_new (table, columns, existing, NULL, NULL);
  return 0;
}
