/* bench-import.c — importing a 100,000-row CSV against the sqlite3 shell
 *
 * Usage: bench-import [ROWS]
 *
 * Writes a CSV of ROWS students (default 100,000) into a temporary folder,
 * times the sqlite3 shell's `.import` of it into a bare table (the floor),
 * then validated imports into new Coopdesk databases: first as the command
 * line does it (rows split, checked and stored one at a time), then as the
 * dialog does it (every row previewed, then committed), with the peak
 * resident memory after each step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/resource.h>

#include "coop-import.h"
#include "coop-store.h"

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

static void
write_csv (const char *path,
           guint       rows)
{
  g_autoptr(GString) text = g_string_new ("学号,姓名,性别,院系,专业,班级,届,手机,邮箱\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < rows; i++)
    g_string_append_printf (text, "%08u,学生%u,%s,学院%u,专业%u,班%u,%u,138%08u,s%u@example.com\n",
                            i, i, i % 2 ? "男" : "女", i % 20, i % 50, i % 300, 2020 + i % 8,
                            i, i);
  g_file_set_contents (path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_remove (file);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  guint rows = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("coop-bench-import-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "students.csv", NULL);
  g_autofree char *floor_db = g_build_filename (dir, "floor.db", NULL);
  g_autofree char *database = g_build_filename (dir, "coopdesk.db", NULL);
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopImportPlan) plan = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  int columns[COOP_IMPORT_N_FIELDS];
  double floor_time = 0, read_time, plan_time, commit_time, total;
  gint64 start;

  g_assert_nonnull (dir);
  write_csv (csv, rows);
  g_print ("%u rows, CSV of %s\n", rows, csv);

  if (sqlite3 != NULL)
    {
      g_autofree char *import = g_strdup_printf (".import %s t", csv);
      const char *args[] = { sqlite3, "-cmd", "PRAGMA synchronous=FULL", "-cmd", ".mode csv",
                             floor_db, import, NULL };
      int status = 0;

      start = g_get_monotonic_time ();
      g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                    &status, &error);
      floor_time = seconds_since (start);
      g_assert_no_error (error);
      g_print ("floor: sqlite3 .import into a bare table   %.3f s\n", floor_time);
    }
  else
    g_print ("floor: sqlite3 not found\n");

  {
    g_autofree char *cli_database = g_build_filename (dir, "cli.db", NULL);
    g_autoptr(CoopStore) cli_store = coop_store_open (cli_database, COOP_STORE_OPEN_DEFAULT,
                                                      &error);
    g_autoptr(CoopImportTable) stream = NULL;
    g_autoptr(CoopImportExisting) none = NULL;
    long before = peak_rss_mb ();

    g_assert_no_error (error);
    start = g_get_monotonic_time ();
    stream = coop_import_table_open (csv, NULL, NULL, &error);
    g_assert_no_error (error);
    none = coop_import_existing_new (cli_store, &error);
    g_assert_no_error (error);
    coop_import_guess_mapping (stream, NULL, columns);
    if (!coop_import_run (stream, columns, none, cli_store, &options, NULL, NULL, &result, &error))
      g_error ("%s", error->message);
    total = seconds_since (start);
    g_print ("command line import (%u added)         %.3f s", result.added, total);
    if (floor_time > 0)
      g_print (" = %.1fx the floor", total / floor_time);
    g_print (", peak RSS %ld MB (%ld MB before)\n", peak_rss_mb (), before);
  }

  g_print ("dialog import (preview, then commit):\n");
  store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  table = coop_import_table_read (csv, NULL, NULL, &error);
  g_assert_no_error (error);
  read_time = seconds_since (start);
  g_print ("read and split the file                    %.3f s, peak RSS %ld MB\n",
           read_time, peak_rss_mb ());

  start = g_get_monotonic_time ();
  existing = coop_import_existing_new (store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);
  plan = coop_import_plan_new (table, columns, existing, NULL, &error);
  g_assert_no_error (error);
  plan_time = seconds_since (start);
  g_print ("validate (plan, %u errors)                  %.3f s, peak RSS %ld MB\n",
           plan->n_error, plan_time, peak_rss_mb ());

  start = g_get_monotonic_time ();
  if (!coop_import_plan_commit (plan, store, &options, &result, &error))
    g_error ("%s", error->message);
  commit_time = seconds_since (start);
  g_print ("commit (%u added)                      %.3f s, peak RSS %ld MB\n",
           result.added, commit_time, peak_rss_mb ());

  total = read_time + plan_time + commit_time;
  g_print ("validated import with preview              %.3f s", total);
  if (floor_time > 0)
    g_print (" = %.1fx the floor", total / floor_time);
  g_print ("\n");

  g_clear_object (&store);
  remove_dir (dir);
  return 0;
}
