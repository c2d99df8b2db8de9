/* coop-test-util.c — what every test program may share; GLib, SQLite and libpq only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coop-test-util.h"

/* Removes @path and, for a folder, everything in it, without following
 * links; a folder a test made unwritable is made writable first. */
void
coop_test_remove_tree (const char *path)
{
  GDir *dir;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_remove (path);
      return;
    }

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      coop_test_remove_tree (child);
    }
  g_clear_pointer (&dir, g_dir_close);
  g_rmdir (path);
}

/**
 * coop_test_new_server_database:
 * @prefix: what the test's databases are called, such as "store"
 *
 * Makes a new, empty database on the cluster the suite started (see
 * tests/meson.build: PGHOST and the rest are set), named after @prefix,
 * the process and a count.
 *
 * Returns: (transfer full): its URI
 */
char *
coop_test_new_server_database (const char *prefix)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("coop_%s_%u_%u", prefix, (guint) getpid (), ++n);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  PGconn *conn = PQconnectdb ("dbname=postgres");
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  PQfinish (conn);
  return g_strdup_printf ("postgresql:///%s", name);
}

/**
 * coop_test_zero_root_page:
 * @path: a closed database file
 * @table: one of its tables
 *
 * Damages the file where opening it does not look: zeroes the first page
 * of @table, which only the quick check, or reading @table, finds.
 */
void
coop_test_zero_root_page (const char *path,
                          const char *table)
{
  char zeros[4096] = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page;
  int fd;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, zeros, sizeof zeros, (page - 1) * (gint64) sizeof zeros), ==,
                   (gssize) sizeof zeros);
  close (fd);
}

/* A figure of this process's memory in kB, such as "VmHWM:" (the peak
 * resident set) or "RssAnon:" (the private pages), from /proc/self/status;
 * -1 where it says none. */
long
coop_test_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, key)) == NULL)
    return -1;
  return strtol (line + strlen (key), NULL, 10);
}
