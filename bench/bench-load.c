/* bench-load.c — opening a database and loading every list
 *
 * Usage: bench-load DATABASE
 * Prints the time to open the file, to fill every list model (on a worker
 * thread, as the window does) and the peak resident memory; then the time
 * the Year page takes to count a year once the lists are loaded (the
 * median of five, with the fastest and slowest).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "coop-candidate.h"
#include "coop-report.h"
#include "coop-store.h"
#include "coop-student.h"

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

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
  gint64 report_times[5];
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

  for (guint i = 0; i < G_N_ELEMENTS (report_times); i++)
    {
      gint64 begun = g_get_monotonic_time ();
      g_autoptr(CoopYearReport) report = coop_year_report_new (store, COOP_YEAR_CALENDAR, 2024,
                                                               NULL, &error);

      if (report == NULL)
        g_error ("%s", error->message);
      report_times[i] = g_get_monotonic_time () - begun;
    }
  qsort (report_times, G_N_ELEMENTS (report_times), sizeof report_times[0], compare_times);

  g_print ("open:        %.3f s\n", (opened - start) / 1e6);
  g_print ("load lists:  %.3f s\n", (loaded - opened) / 1e6);
  g_print ("total:       %.3f s\n", (loaded - start) / 1e6);
  g_print ("students:    %u\n",
           g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_STUDENT)));
  g_print ("candidates:  %u\n",
           g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_CANDIDATE)));
  g_print ("peak RSS:    %.1f MB\n", usage.ru_maxrss / 1024.0);
  g_print ("year report: %.3f s (%.3f–%.3f)\n", report_times[2] / 1e6, report_times[0] / 1e6,
           report_times[4] / 1e6);

  return 0;
}
