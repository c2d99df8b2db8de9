/* fuzz-encoding.c — libFuzzer harness: detecting and decoding the encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-csv.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

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

  /* The first byte picks an encoding the user might force. */
  if (size > 0)
    {
      g_autofree char *other = coop_csv_decode ((const char *) data + 1, size - 1,
                                                forced[data[0] % G_N_ELEMENTS (forced)],
                                                &length, NULL);

      if (other != NULL)
        g_assert (g_utf8_validate_len (other, length, NULL));
    }
  return 0;
}
