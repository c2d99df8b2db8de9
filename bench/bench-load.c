/* bench-load.c — opening a database and loading every list
 *
 * Usage: bench-load DATABASE
 * Prints the time to open the file, to fill every list model (on a worker
 * thread, as the window does) and the peak resident memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <sys/resource.h>

#include "coop-candidate.h"
#include "coop-store.h"
#include "coop-student.h"

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_store_load_all_finish (COOP_STORE (source), result, &error))
    g_error ("%s", error->message);
  *done = TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  gint64 start, opened, loaded;
  gboolean done = FALSE;

  if (argc != 2)
    {
      g_printerr ("usage: %s DATABASE\n", argv[0]);
      return 2;
    }

  start = g_get_monotonic_time ();
  store = coop_store_open (argv[1], COOP_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  opened = g_get_monotonic_time ();

  coop_store_load_all_async (store, NULL, on_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  loaded = g_get_monotonic_time ();

  getrusage (RUSAGE_SELF, &usage);
  g_print ("open:        %.3f s\n", (opened - start) / 1e6);
  g_print ("load lists:  %.3f s\n", (loaded - opened) / 1e6);
  g_print ("total:       %.3f s\n", (loaded - start) / 1e6);
  g_print ("students:    %u\n",
           g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_STUDENT)));
  g_print ("candidates:  %u\n",
           g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_CANDIDATE)));
  g_print ("peak RSS:    %.1f MB\n", usage.ru_maxrss / 1024.0);

  return 0;
}
