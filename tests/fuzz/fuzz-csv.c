/* fuzz-csv.c — libFuzzer harness: delimited text into a table and a plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>

#include "coop-csv.h"
#include "coop-import.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* The splitter of a stream, given the bytes in small chunks, splits the
 * same rows on the same lines as the splitter of the whole text. */
static void
check_streamed (const char *text,
                gsize       size,
                GPtrArray  *rows,
                GArray     *lines)
{
  g_autoptr(CoopCsvStream) stream = NULL;
  CoopCsvRow row;
  char **cells;
  guint line, n = 0;
  gboolean started;
  /* Tiny chunks cut everything, but make a long row quadratic. */
  gsize chunk = size <= 4096 ? 1 + size % 7 : 4096;
  gsize skip = size >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;

  coop_csv_set_chunk_size (chunk);
  stream = coop_csv_stream_new_for_data (text, size);
  coop_csv_set_chunk_size (0);

  /* Taken for UTF-8 that was checked: the bytes go through as they are,
   * past a byte-order mark. */
  started = coop_csv_stream_start (stream, "UTF-8", TRUE, '\0', NULL);
  g_assert (started);
  g_assert (coop_csv_stream_get_separator (stream) ==
            coop_csv_detect_separator (text + skip, size - skip));
  coop_csv_row_init (&row);
  while ((cells = coop_csv_stream_split (stream, &row, &line, NULL)) != NULL)
    {
      char **expected;

      g_assert (n < rows->len);
      expected = g_ptr_array_index (rows, n);
      g_assert (line == g_array_index (lines, guint, n));
      g_assert (g_strv_equal ((const char * const *) cells, (const char * const *) expected));
      n++;
    }
  g_assert (n == rows->len);
  coop_csv_row_clear (&row);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) body = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) body_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopImportPlan) plan = NULL;
  const char *text = (const char *) data;
  gsize skip = size >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  char separator;
  guint n_columns;
  int columns[COOP_IMPORT_N_FIELDS];

  /* The splitter takes any bytes, not only UTF-8. */
  separator = coop_csv_detect_separator (text, size);
  rows = coop_csv_parse (text, size, separator, lines);
  g_assert (rows->len == lines->len);

  separator = coop_csv_detect_separator (text + skip, size - skip);
  body = coop_csv_parse (text + skip, size - skip, separator, body_lines);
  check_streamed (text, size, body, body_lines);

  /* The whole path a text file takes through an import, but the store. */
  table = coop_import_table_read_data (text, size, "UTF-8", NULL, NULL);
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
