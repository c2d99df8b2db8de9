/* bench-import.c — importing a 100,000-row CSV against the sqlite3 shell
 *
 * Usage: bench-import [--no-preview] [--server] [ROWS…]
 *
 * For each number of ROWS (default 100,000), writes a CSV of that many
 * students into a temporary folder, in UTF-8 and in GB18030, and times the
 * sqlite3 shell's `.import` of it into a bare table (the floor), and into a
 * table with the keys a ledger's students have.  Then it
 * imports the file into new Coopdesk databases, each import in a process
 * of its own so that its peak resident memory is its own: as the command
 * line does it (rows read a chunk at a time, checked and stored one at a
 * time), from the UTF-8 and the GB18030 file, and, unless --no-preview, as
 * the dialog does it (every row previewed, then committed).
 *
 * With --server, under pg_virtualenv (which sets PGHOST, PGPORT and PGUSER),
 * it also times psql's \copy of the UTF-8 file into a bare table of the
 * same columns on the server (the server's floor), then into one with the
 * keys a ledger's students have (an identity, a unique number, a
 * department that must exist, all checked by the server for every row),
 * and the command line's import into a new Coopdesk database there.
 *
 * With several sizes, the command line's peak memory shows what grows with
 * the file: SQLite's page cache (up to the store's 32 MB cache_size, then
 * spilled to the database file) and the student numbers already seen, for
 * duplicates; not the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "coop-test-util.h"
#include "coop-import.h"
#include "coop-store.h"

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static double
file_mb (const char *path)
{
  GStatBuf info;

  return g_stat (path, &info) == 0 ? info.st_size / (1024.0 * 1024.0) : 0;
}

/* Writes the rows a megabyte at a time, in UTF-8 and in GB18030. */
static void
write_csv (const char *path,
           const char *gb_path,
           guint       rows)
{
  g_autoptr(GString) text = g_string_new ("学号,姓名,性别,院系,专业,班级,届,手机,邮箱\n");
  g_autoptr(GError) error = NULL;
  GIConv cd = g_iconv_open ("GB18030", "UTF-8");
  FILE *out = g_fopen (path, "wb");
  FILE *gb_out = g_fopen (gb_path, "wb");

  g_assert_nonnull (out);
  g_assert_nonnull (gb_out);
  g_assert_true (cd != (GIConv) -1);
  for (guint i = 0; i <= rows; i++)
    {
      if (i < rows)
        g_string_append_printf (text, "%08u,学生%u,%s,学院%u,专业%u,班%u,%u,138%08u,"
                                "s%u@example.com\n", i, i, i % 2 ? "男" : "女", i % 20, i % 50,
                                i % 300, 2020 + i % 8, i, i);
      if (text->len >= 1024 * 1024 || i == rows)
        {
          gsize written = 0;
          g_autofree char *gb = g_convert_with_iconv (text->str, (gssize) text->len, cd, NULL,
                                                      &written, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (fwrite (text->str, 1, text->len, out), ==, text->len);
          g_assert_cmpuint (fwrite (gb, 1, written, gb_out), ==, written);
          g_string_truncate (text, 0);
        }
    }
  g_iconv_close (cd);
  g_assert_cmpint (fclose (out), ==, 0);
  g_assert_cmpint (fclose (gb_out), ==, 0);
}

/* ------------------------------------------------------------------ one import a process */

/* Prints "seconds peak-RSS RSS-at-start SQLite-high-water" for the parent. */
static int
run_command_line (const char *csv,
                  const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  int columns[COOP_IMPORT_N_FIELDS];
  double before = peak_rss_mb (), total;
  gint64 start;

  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  table = coop_import_table_open (csv, NULL, NULL, &error);
  g_assert_no_error (error);
  existing = coop_import_existing_new (store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);
  if (!coop_import_run (table, columns, existing, store, &options, NULL, NULL, &result, &error))
    g_error ("%s", error->message);
  total = seconds_since (start);
  g_print ("%.6f %.1f %.1f %.1f %u\n", total, peak_rss_mb (), before,
           sqlite3_memory_highwater (0) / (1024.0 * 1024.0), result.added);
  return 0;
}

static int
run_dialog (const char *csv,
            const char *database,
            double      floor_time)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopImportPlan) plan = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  int columns[COOP_IMPORT_N_FIELDS];
  double read_time, plan_time, commit_time, total;
  gint64 start;

  g_assert_no_error (error);
  g_print ("dialog import (preview, then commit):\n");
  start = g_get_monotonic_time ();
  table = coop_import_table_read (csv, NULL, NULL, &error);
  g_assert_no_error (error);
  read_time = seconds_since (start);
  g_print ("  read and split the file                  %.3f s, peak RSS %.0f MB\n",
           read_time, peak_rss_mb ());

  start = g_get_monotonic_time ();
  existing = coop_import_existing_new (store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);
  plan = coop_import_plan_new (table, columns, existing, NULL, &error);
  g_assert_no_error (error);
  plan_time = seconds_since (start);
  g_print ("  validate (plan, %u errors)                %.3f s, peak RSS %.0f MB\n",
           plan->n_error, plan_time, peak_rss_mb ());

  start = g_get_monotonic_time ();
  if (!coop_import_plan_commit (plan, store, &options, &result, &error))
    g_error ("%s", error->message);
  commit_time = seconds_since (start);
  g_print ("  commit (%u added)                    %.3f s, peak RSS %.0f MB\n",
           result.added, commit_time, peak_rss_mb ());

  total = read_time + plan_time + commit_time;
  g_print ("  validated import with preview            %.3f s", total);
  if (floor_time > 0)
    g_print (" = %.2fx the floor", total / floor_time);
  g_print ("\n");
  return 0;
}

/* sqlite3's .import of @csv into a table with the keys a ledger's students
 * have: a unique number, and a department (here by its name, as the file
 * gives it) that must exist, with foreign keys on as the store has them;
 * returns the seconds of the import alone. */
static double
import_keyed (const char *sqlite3,
              const char *csv,
              const char *database)
{
  g_autoptr(GString) schema = g_string_new ("CREATE TABLE d (name TEXT PRIMARY KEY);");
  g_autofree char *import = g_strdup_printf (".import --skip 1 %s t", csv);
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start;

  for (guint i = 0; i < 20; i++)
    g_string_append_printf (schema, "INSERT INTO d VALUES ('学院%u');", i);
  g_string_append (schema, "CREATE TABLE t (number TEXT NOT NULL UNIQUE, name TEXT, gender TEXT,"
                           " department TEXT REFERENCES d (name), major TEXT, class_name TEXT,"
                           " graduation_year INTEGER, phone TEXT, email TEXT);");
  {
    const char *args[] = { sqlite3, database, schema->str, NULL };

    g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                  &error);
    g_assert_no_error (error);
  }
  {
    const char *args[] = { sqlite3, "-cmd", "PRAGMA synchronous=FULL", "-cmd",
                           "PRAGMA foreign_keys=ON", "-cmd", ".mode csv", database, import, NULL };

    start = g_get_monotonic_time ();
    g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                  &error);
    g_assert_no_error (error);
  }
  return seconds_since (start);
}

/* Runs this program again with @args; returns what it printed. */
static char *
run_child (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) g_get_prgname ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

/* Returns the import's seconds. */
static double
bench_command_line (const char *label,
                    const char *csv,
                    const char *database,
                    double      floor_time)
{
  const char *args[] = { "--command-line", csv, database, NULL };
  g_autofree char *out = run_child (args);
  double total, peak, before, sqlite_peak;
  guint added;

  if (sscanf (out, "%lf %lf %lf %lf %u", &total, &peak, &before, &sqlite_peak, &added) != 5)
    g_error ("unexpected output: %s", out);
  g_print ("command line import, %-8s (%u added) %.3f s", label, added, total);
  if (floor_time > 0)
    g_print (" = %.2fx the floor", total / floor_time);
  g_print (", peak RSS %.0f MB (%.0f MB at start; SQLite's heap at most %.0f MB)\n",
           peak, before, sqlite_peak);
  return total;
}

/* Runs psql with @sql, or with -f for a file of it; returns the seconds. */
static double
run_psql (const char *database,
          const char *sql)
{
  const char *args[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql,
                         NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return seconds_since (start);
}

/* The server's floors, psql's \copy into a bare table and into one with
 * the keys a ledger's students have, against the import. */
static void
bench_server (const char *csv,
              guint       rows)
{
  g_autofree char *floor_db = g_strdup_printf ("bench_floor_%d", (int) getpid ());
  g_autofree char *import_db = g_strdup_printf ("bench_import_%d", (int) getpid ());
  g_autofree char *create_floor = g_strdup_printf ("CREATE DATABASE %s", floor_db);
  g_autofree char *create_import = g_strdup_printf ("CREATE DATABASE %s", import_db);
  g_autofree char *drop_floor = g_strdup_printf ("DROP DATABASE %s", floor_db);
  g_autofree char *drop_import = g_strdup_printf ("DROP DATABASE %s", import_db);
  g_autofree char *copy = g_strdup_printf ("\\copy t FROM '%s' WITH (FORMAT csv, HEADER)", csv);
  g_autofree char *uri = g_strdup_printf ("postgresql:///%s", import_db);
  g_autofree char *keyed_copy = g_strdup_printf ("\\copy k (number, name, gender, department, major,"
                                                 " class_name, graduation_year, phone, email)"
                                                 " FROM '%s' WITH (FORMAT csv, HEADER)", csv);
  double floor_time, keyed_time, total;

  run_psql ("postgres", create_floor);
  run_psql ("postgres", create_import);
  run_psql (floor_db, "CREATE TABLE t (number text, name text, gender text, department text, "
                      "major text, class_name text, graduation_year integer, phone text, "
                      "email text)");
  floor_time = run_psql (floor_db, copy);
  g_print ("server floor: psql \\copy of %u rows into a bare table  %.3f s\n", rows, floor_time);

  /* A ledger's students keep an id, a unique number and a department that
   * exists, which the server checks for every row whoever writes it: the
   * same \copy into a table with those keys (the department by its name,
   * as the file gives it) is what no import can go below. */
  run_psql (floor_db, "CREATE TABLE d (name text PRIMARY KEY);"
                      "INSERT INTO d SELECT DISTINCT department FROM t WHERE department <> '';"
                      "CREATE TABLE k (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                      " number text NOT NULL UNIQUE, name text, gender text,"
                      " department text REFERENCES d (name), major text, class_name text,"
                      " graduation_year integer, phone text, email text)");
  keyed_time = run_psql (floor_db, keyed_copy);
  g_print ("server floor with the ledger's keys (id, unique number, department): %.3f s\n",
           keyed_time);
  total = bench_command_line ("server", csv, uri, floor_time);
  g_print ("  = %.2fx the floor with the same keys\n", total / keyed_time);
  run_psql ("postgres", drop_floor);
  run_psql ("postgres", drop_import);
}

static void
bench_rows (guint    rows,
            gboolean preview,
            gboolean server)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-bench-import-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "students.csv", NULL);
  g_autofree char *gb_csv = g_build_filename (dir, "students-gb18030.csv", NULL);
  g_autofree char *floor_db = g_build_filename (dir, "floor.db", NULL);
  g_autofree char *cli_db = g_build_filename (dir, "cli.db", NULL);
  g_autofree char *gb_db = g_build_filename (dir, "gb18030.db", NULL);
  g_autofree char *dialog_db = g_build_filename (dir, "dialog.db", NULL);
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  g_autofree char *keyed_db = g_build_filename (dir, "keyed.db", NULL);
  g_autoptr(GError) error = NULL;
  double floor_time = 0, keyed_time = 0, total;

  g_assert_nonnull (dir);
  write_csv (csv, gb_csv, rows);
  g_print ("%u rows, CSV of %.1f MB (%.1f MB in GB18030) in %s\n",
           rows, file_mb (csv), file_mb (gb_csv), dir);

  if (sqlite3 != NULL)
    {
      g_autofree char *import = g_strdup_printf (".import %s t", csv);
      const char *args[] = { sqlite3, "-cmd", "PRAGMA synchronous=FULL", "-cmd", ".mode csv",
                             floor_db, import, NULL };
      int status = 0;
      gint64 start = g_get_monotonic_time ();

      g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                    &status, &error);
      floor_time = seconds_since (start);
      g_assert_no_error (error);
      g_print ("floor: sqlite3 .import into a bare table      %.3f s\n", floor_time);
      keyed_time = import_keyed (sqlite3, csv, keyed_db);
      g_print ("floor: the same into a table with the ledger's keys (unique number, department)"
               " %.3f s\n", keyed_time);
    }
  else
    g_print ("floor: sqlite3 not found\n");

  total = bench_command_line ("UTF-8", csv, cli_db, floor_time);
  if (keyed_time > 0)
    g_print ("  = %.2fx the floor with the same keys\n", total / keyed_time);
  bench_command_line ("GB18030", gb_csv, gb_db, 0);
  if (server)
    bench_server (csv, rows);

  if (preview)
    {
      g_autofree char *floor_arg = g_strdup_printf ("%f", floor_time);
      const char *args[] = { "--dialog", csv, dialog_db, floor_arg, NULL };
      g_autofree char *out = run_child (args);

      g_print ("%s", out);
    }

  coop_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  gboolean preview = TRUE;
  gboolean server = FALSE;
  gboolean any = FALSE;

  g_set_prgname (argv[0]);
  if (argc == 4 && g_str_equal (argv[1], "--command-line"))
    return run_command_line (argv[2], argv[3]);
  if (argc == 5 && g_str_equal (argv[1], "--dialog"))
    return run_dialog (argv[2], argv[3], g_ascii_strtod (argv[4], NULL));

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--no-preview"))
      preview = FALSE;
    else if (g_str_equal (argv[i], "--server"))
      server = TRUE;
  for (int i = 1; i < argc; i++)
    if (g_ascii_isdigit (argv[i][0]))
      {
        bench_rows ((guint) g_ascii_strtoull (argv[i], NULL, 10), preview, server);
        any = TRUE;
      }
  if (!any)
    bench_rows (100000, preview, server);
  return 0;
}
