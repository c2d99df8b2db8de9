/* replay.c — runs a fuzz harness over every file of its seed corpus
 *
 * Built with the project's compiler so that the test suite (and its
 * sanitizer build) checks the corpus without libFuzzer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
main (int    argc,
      char **argv)
{
  guint n_inputs = 0;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (argv[i], 0, NULL);
      const char *name;

      if (dir == NULL)
        {
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_get_contents (argv[i], &contents, &length, NULL))
            {
              g_printerr ("replay: cannot read %s\n", argv[i]);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
          n_inputs++;
          continue;
        }

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            continue;
          if (!g_file_get_contents (path, &contents, &length, NULL))
            {
              g_printerr ("replay: cannot read %s\n", path);
              return 1;
            }
          LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
          n_inputs++;
        }
    }

  g_print ("replayed %u inputs\n", n_inputs);
  return n_inputs > 0 ? 0 : 1;
}
