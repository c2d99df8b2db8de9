/* test-crash.c — SIGKILL a writer at random moments, then check the file
 *
 * crash-child makes edits and imports and reports each one once it is
 * committed.  After every kill the database must open (the dead writer's
 * lock is cleared), pass integrity_check and foreign_key_check, hold every
 * reported transaction, and hold each import either whole or not at all.
 * COOP_CRASH_KILLS sets the number of kills (100 unless told).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-crash"

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coop-test-util.h"
#include "coop-error.h"
#include "coop-store.h"

#define BATCH 20
#define ROUND_SPAN G_GINT64_CONSTANT (1000000)

/* Rows without their change log line, and lines without their row. */
#define ORPHANS_SQL \
  "SELECT (SELECT count (*) FROM partner p WHERE NOT EXISTS (SELECT 1 FROM change_log c" \
  "         WHERE c.record_type = 'partner' AND c.record_id = p.id AND c.action = 'insert'))" \
  "     + (SELECT count (*) FROM student s WHERE NOT EXISTS (SELECT 1 FROM change_log c" \
  "         WHERE c.record_type = 'student' AND c.record_id = s.id AND c.action = 'insert'))" \
  "     + (SELECT count (*) FROM change_log c WHERE c.record_type = 'partner'" \
  "         AND NOT EXISTS (SELECT 1 FROM partner p WHERE p.id = c.record_id))" \
  "     + (SELECT count (*) FROM change_log c WHERE c.record_type = 'student'" \
  "         AND NOT EXISTS (SELECT 1 FROM student s WHERE s.id = c.record_id))"

typedef struct {
  GHashTable *partners;  /* reported sequence numbers, as gint64 keys */
  GHashTable *imports;
  guint       n_reported;
} Reported;

/* Reads what the child wrote into @text, until @until appears (when not
 * %NULL) or the pipe ends. */
static void
read_output (int         fd,
             GString    *text,
             const char *until)
{
  char buffer[4096];
  gssize n;

  while (until == NULL || strstr (text->str, until) == NULL)
    {
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        break;
      g_string_append_len (text, buffer, n);
    }
}

static void
parse_reports (const char *text,
               Reported   *reported)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 *seq;

      if (lines[i][0] == '\0' || g_str_equal (lines[i], "R"))
        continue;
      g_assert_true (lines[i][0] == 'P' || lines[i][0] == 'I');
      g_assert_cmpint (lines[i][1], ==, ' ');
      seq = g_new (gint64, 1);
      *seq = g_ascii_strtoll (lines[i] + 2, NULL, 10);
      g_hash_table_add (lines[i][0] == 'P' ? reported->partners : reported->imports, seq);
      reported->n_reported++;
    }
}

static void
verify (const char *database,
        Reported   *reported)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GHashTable) partners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) imports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  GHashTableIter iter;
  gpointer key;

  store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_check_integrity (store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM partner", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (partners, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  /* No import may be half there. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT substr (number, 1, length (number) - 2), count (*) "
                                       "FROM student GROUP BY 1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, BATCH);
      g_hash_table_add (imports, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);

  /* Every row came with its change log line, and no line outlived its row. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, ORPHANS_SQL, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_hash_table_iter_init (&iter, reported->partners);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *name = g_strdup_printf ("P%" G_GINT64_FORMAT, *(gint64 *) key);
      g_assert_true (g_hash_table_contains (partners, name));
    }
  g_hash_table_iter_init (&iter, reported->imports);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *) key);
      g_assert_true (g_hash_table_contains (imports, prefix));
    }
}

static void
test_crash_kills (void)
{
  const char *child = g_getenv ("COOP_CRASH_CHILD");
  const char *kills_text = g_getenv ("COOP_CRASH_KILLS");
  guint kills = kills_text != NULL ? (guint) g_ascii_strtoull (kills_text, NULL, 10) : 100;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  Reported reported = { 0 };
  guint killed = 0;
  gint64 started = g_get_monotonic_time ();

  g_assert_nonnull (child);
  dir = g_dir_make_tmp ("coop-crash-XXXXXX", NULL);
  g_assert_nonnull (dir);
  database = g_build_filename (dir, "crash.db", NULL);
  reported.partners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  reported.imports = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint round = 0; round < kills; round++)
    {
      g_autofree char *first = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (gint64) (round + 1) * ROUND_SPAN);
      g_autofree char *seed = g_strdup_printf ("%u", g_test_rand_int ());
      const char *argv[] = { child, database, first, seed, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      GPid pid;
      int out = -1;
      int status = 0;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                               &pid, NULL, &out, NULL, &error));
      g_assert_no_error (error);

      /* One kill in five lands while the child opens the file (the first
       * one in its migration); the others while it writes. */
      if (g_test_rand_int_range (0, 5) != 0)
        read_output (out, text, "R\n");
      g_usleep ((gulong) g_test_rand_int_range (0, 50) * 1000);
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);

      read_output (out, text, NULL);
      close (out);
      parse_reports (text->str, &reported);

      /* A child that stopped by itself met an error it should not have. */
      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      killed++;

      verify (database, &reported);
    }

  g_test_message ("%u kills survived, %u transactions reported, %.1f s",
                  killed, reported.n_reported,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_printerr ("# %u kills survived, %u committed transactions checked, %.1f s\n",
              killed, reported.n_reported,
              (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (killed, ==, kills);
  g_assert_cmpuint (reported.n_reported, >, 0);

  g_hash_table_unref (reported.partners);
  g_hash_table_unref (reported.imports);
  coop_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash/sigkill", test_crash_kills);

  return g_test_run ();
}
