/* fuzz-encoding.c — libFuzzer harness: detecting and decoding the encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-csv.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A stream reading @data in small chunks detects the same encoding, fails
 * with the same error (at the same byte), or splits the same rows as the
 * whole text decoded at once. */
static void
check_streamed (const char *data,
                gsize       size,
                const char *forced)
{
  g_autoptr(CoopCsvStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) stream_error = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize length = 0;
  gboolean valid = FALSE;
  CoopCsvRow row;
  char **cells;
  guint line, n = 0;
  gboolean started;

  coop_csv_set_chunk_size (size <= 4096 ? 1 + size % 7 : 4096);
  stream = coop_csv_stream_new_for_data (data, size);
  coop_csv_set_chunk_size (0);

  if (forced == NULL)
    {
      g_autofree char *whole = coop_csv_detect_encoding (data, size);

      encoding = coop_csv_stream_detect_encoding (stream, &valid, NULL);
      g_assert (g_strcmp0 (encoding, whole) == 0);
    }
  else
    encoding = g_strdup (forced);

  text = coop_csv_decode (data, size, encoding, &length, &error);
  if (!valid && !coop_csv_stream_check (stream, encoding, &stream_error))
    {
      g_assert (text == NULL);
      g_assert (stream_error->code == error->code);
      g_assert (g_str_equal (stream_error->message, error->message));
      return;
    }
  g_assert (text != NULL);

  started = coop_csv_stream_start (stream, encoding, TRUE, '\0', NULL);
  g_assert (started);
  g_assert (coop_csv_stream_get_separator (stream) == coop_csv_detect_separator (text, length));
  rows = coop_csv_parse (text, length, coop_csv_stream_get_separator (stream), lines);
  coop_csv_row_init (&row);
  while ((cells = coop_csv_stream_split (stream, &row, &line, NULL)) != NULL)
    {
      g_assert (n < rows->len);
      g_assert (line == g_array_index (lines, guint, n));
      g_assert (g_strv_equal ((const char * const *) cells,
                              (const char * const *) g_ptr_array_index (rows, n)));
      n++;
    }
  g_assert (n == rows->len);
  coop_csv_row_clear (&row);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const forced[] = { "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE", "BIG5" };
  g_autofree char *encoding = coop_csv_detect_encoding ((const char *) data, size);
  g_autofree char *text = NULL;
  gsize length = 0;

  text = coop_csv_decode ((const char *) data, size, encoding, &length, NULL);
  if (text != NULL)
    g_assert (g_utf8_validate_len (text, length, NULL));
  check_streamed ((const char *) data, size, NULL);

  /* The first byte picks an encoding the user might force. */
  if (size > 0)
    {
      const char *other_encoding = forced[data[0] % G_N_ELEMENTS (forced)];
      g_autofree char *other = coop_csv_decode ((const char *) data + 1, size - 1,
                                                other_encoding, &length, NULL);

      if (other != NULL)
        g_assert (g_utf8_validate_len (other, length, NULL));
      check_streamed ((const char *) data + 1, size - 1, other_encoding);
    }
  return 0;
}
