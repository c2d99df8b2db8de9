/* bench-load.c — opening a database and loading every list
 *
 * Usage: bench-load DATABASE   (a file, or postgresql://… for a server)
 * First the floor: the sqlite3 shell, or psql for a server, reading every
 * row of every table to /dev/null.  Then opens the file as the window does, with the quick check
 * beside the load, and prints the time to open it (what the window waits
 * for), to fill every list model (on worker threads), until the check is
 * done, until both are, against the floor, the peak resident memory and
 * the private memory once loaded;
 * then the time the Year page takes to count a year once the lists are
 * loaded (the median of five, with the fastest and slowest).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "coop-candidate.h"
#include "coop-report.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-test-util.h"

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
  gint64 *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_store_load_all_finish (COOP_STORE (source), result, &error))
    g_error ("%s", error->message);
  *done = g_get_monotonic_time ();
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gint64 *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_store_wait_checked_finish (COOP_STORE (source), result, &error))
    g_error ("%s", error->message);
  *done = g_get_monotonic_time ();
}

/* Runs a shell, or fails the benchmark; @output gets what it prints, or
 * it goes to /dev/null. */
static void
run_shell (const char * const *args,
           char              **output)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) args, NULL,
                     G_SPAWN_SEARCH_PATH | (output == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                     NULL, NULL, output, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", args[0], error->message);
}

/* The database's shell printing every row of every table to /dev/null:
 * sqlite3 for a file, psql for a server. */
static double
measure_floor (const char *database)
{
  gboolean server = g_str_has_prefix (database, "postgresql:");
  const char *sqlite_list[] = { "sqlite3", "-readonly", database, ".tables", NULL };
  const char *psql_list[] = { "psql", "-X", "-At", "-d", database, "-c",
                              "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
                              NULL };
  g_autofree char *tables = NULL;
  g_autoptr(GString) select = g_string_new (NULL);
  g_auto(GStrv) names = NULL;
  gint64 begun;

  run_shell (server ? psql_list : sqlite_list, &tables);
  names = g_regex_split_simple ("\\s+", g_strstrip (tables), 0, 0);
  for (guint i = 0; names[i] != NULL; i++)
    g_string_append_printf (select, "SELECT * FROM \"%s\";", names[i]);

  {
    const char *sqlite_args[] = { "sqlite3", "-readonly", database, select->str, NULL };
    const char *psql_args[] = { "psql", "-X", "-q", "-At", "-d", database, "-c", select->str,
                                NULL };

    begun = g_get_monotonic_time ();
    run_shell (server ? psql_args : sqlite_args, NULL);
  }
  return (g_get_monotonic_time () - begun) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  gint64 start, opened, loaded = 0, checked = 0, ready;
  gint64 report_times[5];
  double floor_time;

  if (argc != 2)
    {
      g_printerr ("usage: %s DATABASE\n", argv[0]);
      return 2;
    }

  floor_time = measure_floor (argv[1]);

  start = g_get_monotonic_time ();
  store = coop_store_open (argv[1], COOP_STORE_OPEN_CHECK_BESIDE, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  opened = g_get_monotonic_time ();

  coop_store_load_all_async (store, NULL, on_loaded_cb, &loaded);
  coop_store_wait_checked_async (store, NULL, on_checked_cb, &checked);
  while (loaded == 0 || checked == 0)
    g_main_context_iteration (NULL, TRUE);
  ready = MAX (loaded, checked);

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

  g_print ("floor:       %.3f s (%s reading every table)\n", floor_time,
           g_str_has_prefix (argv[1], "postgresql:") ? "psql" : "sqlite3");
  g_print ("open:        %.3f s\n", (opened - start) / 1e6);
  g_print ("load lists:  %.3f s\n", (loaded - opened) / 1e6);
  g_print ("checked:     %.3f s after opening\n", (checked - opened) / 1e6);
  g_print ("total:       %.3f s = %.2fx the floor\n", (ready - start) / 1e6,
           (ready - start) / 1e6 / floor_time);
  g_print ("students:    %u\n",
           g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_STUDENT)));
  g_print ("candidates:  %u\n",
           g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_CANDIDATE)));
  /* The peak counts the pages of the file mapped while it was read. */
  g_print ("peak RSS:    %.1f MB (file pages mapped while reading included)\n",
           usage.ru_maxrss / 1024.0);
  g_print ("private:     %.1f MB once loaded\n", coop_test_status_kb ("RssAnon:") / 1024.0);
  g_print ("year report: %.3f s (%.3f to %.3f)\n", report_times[2] / 1e6, report_times[0] / 1e6,
           report_times[4] / 1e6);

  return 0;
}
