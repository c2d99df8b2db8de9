/* test-safety.c — the lock, damaged files, backups, restore, read-only,
 * a full disk and personal data in logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-safety"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coop-test-util.h"
#include "coop-backup.h"
#include "coop-error.h"
#include "coop-lock.h"
#include "coop-partner.h"
#include "coop-sample.h"
#include "coop-store.h"
#include "coop-student.h"

/* ------------------------------------------------------------------ a disk that fills up */

/* A VFS that passes everything to the default one but fails writes with
 * SQLITE_FULL once write_budget bytes have been written.  A negative budget
 * means no limit. */
typedef struct {
  sqlite3_file  base;
  sqlite3_file *real;
} ShimFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs  shim_vfs;
static gint64       write_budget = -1;

#define REAL(f) (((ShimFile *) (f))->real)

static int
shim_close (sqlite3_file *f)
{
  return REAL (f)->pMethods->xClose (REAL (f));
}

static int
shim_read (sqlite3_file *f, void *buffer, int n, sqlite3_int64 offset)
{
  return REAL (f)->pMethods->xRead (REAL (f), buffer, n, offset);
}

static int
shim_write (sqlite3_file *f, const void *buffer, int n, sqlite3_int64 offset)
{
  if (write_budget >= 0)
    {
      if (write_budget < n)
        return SQLITE_FULL;
      write_budget -= n;
    }
  return REAL (f)->pMethods->xWrite (REAL (f), buffer, n, offset);
}

static int
shim_truncate (sqlite3_file *f, sqlite3_int64 size)
{
  return REAL (f)->pMethods->xTruncate (REAL (f), size);
}

static int
shim_sync (sqlite3_file *f, int flags)
{
  return REAL (f)->pMethods->xSync (REAL (f), flags);
}

static int
shim_file_size (sqlite3_file *f, sqlite3_int64 *size)
{
  return REAL (f)->pMethods->xFileSize (REAL (f), size);
}

static int
shim_lock (sqlite3_file *f, int level)
{
  return REAL (f)->pMethods->xLock (REAL (f), level);
}

static int
shim_unlock (sqlite3_file *f, int level)
{
  return REAL (f)->pMethods->xUnlock (REAL (f), level);
}

static int
shim_check_reserved (sqlite3_file *f, int *reserved)
{
  return REAL (f)->pMethods->xCheckReservedLock (REAL (f), reserved);
}

static int
shim_file_control (sqlite3_file *f, int op, void *arg)
{
  return REAL (f)->pMethods->xFileControl (REAL (f), op, arg);
}

static int
shim_sector_size (sqlite3_file *f)
{
  return REAL (f)->pMethods->xSectorSize (REAL (f));
}

static int
shim_device_characteristics (sqlite3_file *f)
{
  return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f));
}

static int
shim_shm_map (sqlite3_file *f, int region, int size, int extend, void volatile **pages)
{
  return REAL (f)->pMethods->xShmMap (REAL (f), region, size, extend, pages);
}

static int
shim_shm_lock (sqlite3_file *f, int offset, int n, int flags)
{
  return REAL (f)->pMethods->xShmLock (REAL (f), offset, n, flags);
}

static void
shim_shm_barrier (sqlite3_file *f)
{
  REAL (f)->pMethods->xShmBarrier (REAL (f));
}

static int
shim_shm_unmap (sqlite3_file *f, int delete_flag)
{
  return REAL (f)->pMethods->xShmUnmap (REAL (f), delete_flag);
}

static int
shim_fetch (sqlite3_file *f, sqlite3_int64 offset, int n, void **pages)
{
  return REAL (f)->pMethods->xFetch (REAL (f), offset, n, pages);
}

static int
shim_unfetch (sqlite3_file *f, sqlite3_int64 offset, void *page)
{
  return REAL (f)->pMethods->xUnfetch (REAL (f), offset, page);
}

static const sqlite3_io_methods shim_methods = {
  .iVersion = 3,
  .xClose = shim_close, .xRead = shim_read, .xWrite = shim_write, .xTruncate = shim_truncate,
  .xSync = shim_sync, .xFileSize = shim_file_size, .xLock = shim_lock, .xUnlock = shim_unlock,
  .xCheckReservedLock = shim_check_reserved, .xFileControl = shim_file_control,
  .xSectorSize = shim_sector_size, .xDeviceCharacteristics = shim_device_characteristics,
  .xShmMap = shim_shm_map, .xShmLock = shim_shm_lock, .xShmBarrier = shim_shm_barrier,
  .xShmUnmap = shim_shm_unmap, .xFetch = shim_fetch, .xUnfetch = shim_unfetch,
};

static int
shim_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
  ShimFile *shim = (ShimFile *) file;
  int rc;

  shim->real = (sqlite3_file *) (shim + 1);
  rc = real_vfs->xOpen (real_vfs, name, shim->real, flags, out_flags);
  shim->base.pMethods = shim->real->pMethods != NULL ? &shim_methods : NULL;
  return rc;
}

static void
install_full_disk_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  shim_vfs = *real_vfs;
  shim_vfs.zName = "coop-test-full";
  shim_vfs.szOsFile = (int) sizeof (ShimFile) + real_vfs->szOsFile;
  shim_vfs.xOpen = shim_open;
  shim_vfs.pNext = NULL;
  g_assert_cmpint (sqlite3_vfs_register (&shim_vfs, 1), ==, SQLITE_OK);
}

/* ------------------------------------------------------------------ fixtures */

typedef struct {
  char *dir;
  char *database;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("coop-safety-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->database = g_build_filename (fixture->dir, "coopdesk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  chmod (fixture->dir, 0700);
  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->database);
}

static void
make_demo (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  coop_sample_fill (store, COOP_SAMPLE_DEMO, &error);
  g_assert_no_error (error);
}

static gint64
count_partners (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (path, COOP_STORE_OPEN_READ_ONLY, &error);
  CoopStoreCounts counts;

  g_assert_no_error (error);
  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_no_error (error);
  return counts.partners;
}

static void
add_partner (CoopStore  *store,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();

  coop_partner_set_name (partner, name);
  g_assert_true (coop_store_save (store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Forks a process that holds @path open for writing until killed. */
static GPid
hold_in_child (const char *path)
{
  int ready[2];
  char byte = 0;
  pid_t pid;

  g_assert_cmpint (pipe (ready), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      CoopStore *store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, NULL);

      byte = store != NULL ? 1 : 2;
      if (write (ready[1], &byte, 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  close (ready[0]);
  g_assert_cmpint (byte, ==, 1);
  return pid;
}

static void
kill_child (GPid pid)
{
  int status;

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
}

/* ------------------------------------------------------------------ lock */

static void
test_lock_second_process (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopLockHolder) holder = NULL;
  g_autofree char *output = g_build_filename (fixture->dir, "restored.db", NULL);
  GPid pid;

  make_demo (fixture->database);
  g_assert_true (coop_backup_write (fixture->database, output, &error));
  g_assert_no_error (error);

  pid = hold_in_child (fixture->database);

  holder = coop_lock_query_holder (fixture->database);
  g_assert_nonnull (holder);
  g_assert_cmpint (holder->pid, ==, pid);
  g_assert_cmpstr (holder->host, ==, g_get_host_name ());
  g_assert_cmpstr (holder->user, ==, g_get_user_name ());
  g_assert_cmpint (strlen (holder->since), ==, strlen ("2026-01-01 00:00"));

  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_LOCKED);
  g_assert_null (store);
  g_clear_error (&error);

  /* Restoring under a running Coopdesk is refused too. */
  g_assert_false (coop_backup_restore (fixture->database, output, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_LOCKED);
  g_clear_error (&error);

  /* The user may still read. */
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_get_read_only (store));
  g_assert_cmpint (coop_store_get_read_only_reason (store), ==, COOP_READ_ONLY_REQUESTED);
  g_clear_object (&store);

  /* The holder crashes: its lock is cleared without asking. */
  kill_child (pid);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (coop_store_get_read_only (store));
  g_clear_pointer (&holder, coop_lock_holder_free);
  holder = coop_lock_query_holder (fixture->database);
  g_assert_cmpint (holder->pid, ==, getpid ());

  /* Closing gives the lock back. */
  g_clear_object (&store);
  g_assert_null (coop_lock_query_holder (fixture->database));
}

static void
test_lock_stale_and_foreign (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopStore) again = NULL;
  g_autofree char *lock_path = coop_lock_get_path (fixture->database);
  g_autofree char *stale = NULL;
  g_autofree char *foreign = NULL;
  pid_t dead;
  int status;

  make_demo (fixture->database);

  dead = fork ();
  if (dead == 0)
    _exit (0);
  g_assert_cmpint (waitpid (dead, &status, 0), ==, dead);

  stale = g_strdup_printf ("coopdesk-lock 1\nuser=someone\nhost=%s\npid=%d\n"
                           "since=2026-01-01 08:00\n", g_get_host_name (), (int) dead);
  g_assert_true (g_file_set_contents (lock_path, stale, -1, NULL));
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  /* A second store in the same process shares the lock. */
  again = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&again);
  {
    g_autoptr(CoopLockHolder) holder = coop_lock_query_holder (fixture->database);
    g_assert_nonnull (holder);
  }
  g_clear_object (&store);
  g_assert_false (g_file_test (lock_path, G_FILE_TEST_EXISTS));

  /* A process on another computer cannot be checked, so it is respected. */
  foreign = g_strdup ("coopdesk-lock 1\nuser=someone\nhost=another-computer.invalid\n"
                      "pid=1\nsince=2026-01-01 08:00\n");
  g_assert_true (g_file_set_contents (lock_path, foreign, -1, NULL));
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_LOCKED);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, "another-computer.invalid"));
  g_clear_error (&error);

  /* A garbled lock file says nothing of who holds the file: the user is
   * told, may open it read-only, and the lock is left for them to judge. */
  g_assert_true (g_file_set_contents (lock_path, "\x01\x02garbage", -1, NULL));
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_LOCKED);
  g_assert_null (store);
  g_assert_nonnull (strstr (error->message, lock_path));
  g_assert_nonnull (strstr (error->message, "cannot be read"));
  g_clear_error (&error);
  g_assert_true (g_file_test (lock_path, G_FILE_TEST_EXISTS));
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_get_read_only (store));
  g_clear_object (&store);

  /* Once the user has deleted it, the file opens for writing. */
  g_assert_cmpint (g_unlink (lock_path), ==, 0);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (coop_store_get_read_only (store));
}

/* ------------------------------------------------------------------ damaged files */

typedef enum {
  DAMAGE_TRUNCATE_HALF,
  DAMAGE_TRUNCATE_SHORT,
  DAMAGE_ZERO_HEADER,
  DAMAGE_ZERO_PAGE,
  DAMAGE_ZERO_RECORDS_PAGE,
  DAMAGE_RANDOM_BYTES,
  DAMAGE_FOREIGN_WAL,
  DAMAGE_GARBAGE_WAL,
  DAMAGE_MISSING_WAL,
  DAMAGE_NOT_COOPDESK,
} Damage;

/* A WAL of another database may or may not fit this one's pages. */
#define ANY_OUTCOME (-2)

typedef struct {
  const char *path;
  Damage      damage;
  int         code;     /* the expected error, -1 for a file that opens soundly */
} DamageCase;

static const DamageCase damage_cases[] = {
  { "/safety/damaged/truncated-half", DAMAGE_TRUNCATE_HALF, COOP_ERROR_CORRUPT },
  { "/safety/damaged/truncated-short", DAMAGE_TRUNCATE_SHORT, COOP_ERROR_CORRUPT },
  { "/safety/damaged/zeroed-header", DAMAGE_ZERO_HEADER, COOP_ERROR_CORRUPT },
  { "/safety/damaged/zeroed-page", DAMAGE_ZERO_PAGE, COOP_ERROR_CORRUPT },
  { "/safety/damaged/zeroed-records-page", DAMAGE_ZERO_RECORDS_PAGE, COOP_ERROR_CORRUPT },
  { "/safety/damaged/random-bytes", DAMAGE_RANDOM_BYTES, COOP_ERROR_CORRUPT },
  { "/safety/damaged/foreign-wal", DAMAGE_FOREIGN_WAL, ANY_OUTCOME },
  { "/safety/damaged/garbage-wal", DAMAGE_GARBAGE_WAL, -1 },
  { "/safety/damaged/missing-wal", DAMAGE_MISSING_WAL, -1 },
  { "/safety/damaged/other-program", DAMAGE_NOT_COOPDESK, COOP_ERROR_NOT_COOPDESK },
};

static void
overwrite (const char *path,
           goffset     offset,
           const void *bytes,
           gsize       length)
{
  int fd = g_open (path, O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, bytes, length, offset), ==, (gssize) length);
  close (fd);
}

static goffset
file_size (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_size;
}

/* Leaves a -wal file with committed frames behind, as a crashed writer
 * does, by copying the database and its WAL while a connection holds them. */
static void
make_wal_copy (const char *source,
               const char *copy)
{
  g_autofree char *wal = g_strconcat (source, "-wal", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (source, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
                                 "UPDATE partner SET notes = 'in the wal'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (wal, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 0);
  g_assert_true (g_file_set_contents (copy_wal, contents, (gssize) length, NULL));
  sqlite3_close (db);
}

static void
damage_file (Fixture *fixture,
             Damage   damage)
{
  const char *path = fixture->database;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  switch (damage)
    {
    case DAMAGE_TRUNCATE_HALF:
      g_assert_cmpint (truncate (path, file_size (path) / 2 / 4096 * 4096 + 1000), ==, 0);
      break;

    case DAMAGE_TRUNCATE_SHORT:
      g_assert_cmpint (truncate (path, 60), ==, 0);
      break;

    case DAMAGE_ZERO_HEADER:
      {
        char zeros[100] = { 0 };
        overwrite (path, 0, zeros, sizeof zeros);
      }
      break;

    case DAMAGE_ZERO_PAGE:
      {
        char zeros[4096] = { 0 };
        overwrite (path, 4096 * 3, zeros, sizeof zeros);
      }
      break;

    case DAMAGE_ZERO_RECORDS_PAGE:
      coop_test_zero_root_page (path, "candidate");
      break;

    case DAMAGE_RANDOM_BYTES:
      {
        g_autofree guint32 *noise = g_new (guint32, 8192);

        for (guint i = 0; i < 8192; i++)
          noise[i] = g_test_rand_int ();
        g_assert_true (g_file_set_contents (path, (char *) noise, 8192 * 4, NULL));
      }
      break;

    case DAMAGE_FOREIGN_WAL:
      {
        g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
        g_autofree char *other_copy = g_build_filename (fixture->dir, "other-copy.db", NULL);
        g_autofree char *other_wal = g_strconcat (other_copy, "-wal", NULL);
        g_autofree char *contents = NULL;
        gsize length;

        make_demo (other);
        make_wal_copy (other, other_copy);
        g_assert_true (g_file_get_contents (other_wal, &contents, &length, NULL));
        g_assert_true (g_file_set_contents (wal, contents, (gssize) length, NULL));
      }
      break;

    case DAMAGE_GARBAGE_WAL:
      {
        g_autofree guint32 *noise = g_new (guint32, 4096);

        for (guint i = 0; i < 4096; i++)
          noise[i] = g_test_rand_int ();
        g_assert_true (g_file_set_contents (wal, (char *) noise, 4096 * 4, NULL));
      }
      break;

    case DAMAGE_MISSING_WAL:
      {
        g_autofree char *copy = g_build_filename (fixture->dir, "copy.db", NULL);
        g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);

        make_wal_copy (path, copy);
        g_unlink (copy_wal);
        g_assert_cmpint (g_rename (copy, path), ==, 0);
      }
      break;

    case DAMAGE_NOT_COOPDESK:
      g_unlink (path);
      exec_sql (path, "CREATE TABLE things (a, b); INSERT INTO things VALUES (1, 2)");
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_checked_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  if (coop_store_wait_checked_finish (COOP_STORE (source), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "sound");
}

/* Waits for the check beside the load, as the window does. */
static gboolean
wait_checked (CoopStore  *store,
              GError    **error)
{
  GError *outcome = NULL;

  coop_store_wait_checked_async (store, NULL, on_checked_cb, &outcome);
  while (outcome == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (outcome, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_error_free (outcome);
      return TRUE;
    }
  g_propagate_error (error, outcome);
  return FALSE;
}

/* Opened with the check beside the load, a damaged file either fails at
 * once or opens; then its first write fails with the check's error, the
 * check says it is damaged, and the file is as it was. */
static gboolean
found_beside (Fixture *fixture,
              int      code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;

  g_assert_true (g_file_get_contents (fixture->database, &before, &before_length, NULL));
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_CHECK_BESIDE, &error);
  if (store == NULL)
    {
      g_assert_error (error, COOP_ERROR, code);
      return FALSE;
    }
  g_assert_no_error (error);

  coop_partner_set_name (partner, "Written to a damaged file");
  g_assert_false (coop_store_save (store, COOP_RECORD (partner), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (wait_checked (store, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==,
                   "The database file is damaged: the database check found errors.");
  g_clear_object (&store);

  g_assert_true (g_file_get_contents (fixture->database, &after, &after_length, NULL));
  g_assert_cmpmem (before, before_length, after, after_length);
  return TRUE;
}

static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  const DamageCase *test = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *offered = NULL;
  g_autofree char *report = NULL;
  gint64 partners;

  make_demo (fixture->database);
  partners = count_partners (fixture->database);
  backup = coop_backup_rotate (fixture->database, NULL, 10, &error);
  g_assert_no_error (error);

  damage_file (fixture, test->damage);

  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  if (test->code == ANY_OUTCOME && store == NULL)
    g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  else if (test->code == ANY_OUTCOME || test->code == -1)
    {
      g_assert_no_error (error);
      g_assert_true (coop_store_check_integrity (store, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (report, ==, "ok");
      return;
    }
  else
    {
      g_assert_error (error, COOP_ERROR, test->code);
      g_assert_null (store);
      /* A page of records, not of the schema, is found only by the check. */
      g_assert_true (found_beside (fixture, test->code) ||
                     test->damage != DAMAGE_ZERO_RECORDS_PAGE);
    }
  g_clear_error (&error);

  /* The read-only path must not crash either. */
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* What the window does next: move it aside, offer the newest good backup. */
  aside = coop_backup_move_aside (fixture->database, "damaged", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (aside, fixture->database));
  g_assert_nonnull (strstr (aside, ".damaged-"));
  g_assert_true (g_file_test (aside, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (fixture->database, G_FILE_TEST_EXISTS));

  offered = coop_backup_find_newest_verified (fixture->database, NULL);
  g_assert_cmpstr (offered, ==, backup);
  g_assert_true (coop_backup_restore (fixture->database, offered, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_partners (fixture->database), ==, partners);
}

/* A sound file opened with the check beside the load takes writes, before
 * the check is done and after; one whose schema must be brought up to
 * date is checked first, since that writes. */
static void
test_check_beside (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *older = NULL;

  make_demo (fixture->database);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_CHECK_BESIDE, &error);
  g_assert_no_error (error);
  add_partner (store, "Saved while the check runs");
  g_assert_true (wait_checked (store, &error));
  g_assert_no_error (error);
  g_assert_true (wait_checked (store, &error));
  add_partner (store, "Saved after it");
  g_clear_object (&store);
  g_assert_cmpint (count_partners (fixture->database), ==, 6 + 2);

  /* Damaged, and at an older schema version. */
  coop_test_zero_root_page (fixture->database, "candidate");
  older = g_strdup_printf ("PRAGMA user_version = %d",
                           coop_store_get_latest_schema_version () - 1);
  exec_sql (fixture->database, older);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_CHECK_BESIDE, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_assert_null (store);
}

/* Many more damaged files: cut at every few kilobytes, and bytes flipped at
 * random places.  Each must open soundly (and load) or fail with a damage
 * error; none may crash. */
static void
test_damaged_many (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *pristine = g_build_filename (fixture->dir, "pristine.db", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  guint n_tried = 0;
  guint n_refused = 0;

  make_demo (pristine);
  g_assert_true (g_file_get_contents (pristine, &contents, &length, NULL));

  for (guint variant = 0; variant < 120; variant++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoopStore) store = NULL;
      g_autofree char *wal = g_strconcat (fixture->database, "-wal", NULL);
      g_autofree char *shm = g_strconcat (fixture->database, "-shm", NULL);
      gsize cut = length;

      g_unlink (wal);
      g_unlink (shm);
      if (variant < 40)
        cut = MAX (1, length * variant / 40);
      g_assert_true (g_file_set_contents (fixture->database, contents, (gssize) cut, NULL));
      if (variant >= 40)
        for (guint flips = 0; flips < 1 + variant % 8; flips++)
          {
            guchar byte = (guchar) g_test_rand_int_range (0, 256);
            overwrite (fixture->database, g_test_rand_int_range (0, (gint32) length), &byte, 1);
          }
      n_tried++;

      store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
      if (store == NULL)
        {
          if (!g_error_matches (error, COOP_ERROR, COOP_ERROR_CORRUPT))
            g_test_message ("variant %u: %s (%d)", variant, error->message, error->code);
          g_assert_true (g_error_matches (error, COOP_ERROR, COOP_ERROR_CORRUPT) ||
                         g_error_matches (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK) ||
                         g_error_matches (error, COOP_ERROR, COOP_ERROR_SCHEMA_TOO_NEW));
          n_refused++;
          continue;
        }
      /* What quick_check lets through must still load without crashing. */
      coop_store_load_all (store, NULL, &error);
    }

  g_test_message ("%u damaged files tried, %u refused", n_tried, n_refused);
  g_assert_cmpuint (n_refused, >, 0);
}

/* ------------------------------------------------------------------ backups */

static void
test_backup_rotation (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *folder = coop_backup_get_folder (fixture->database);
  GStatBuf buf;

  make_demo (fixture->database);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  g_assert_true (coop_backup_is_due (fixture->database, NULL, FALSE));
  g_assert_true (coop_backup_is_due (fixture->database, NULL, TRUE));

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Rotation %u", i);
      char *path;

      add_partner (store, name);
      path = coop_backup_rotate (fixture->database, NULL, 3, &error);
      g_assert_no_error (error);
      g_assert_nonnull (path);
      g_ptr_array_add (made, path);
    }

  backups = coop_backup_list (fixture->database, NULL);
  g_assert_cmpuint (backups->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      CoopBackupInfo *info = g_ptr_array_index (backups, i);

      g_assert_cmpstr (info->path, ==, g_ptr_array_index (made, 4 - i));
      g_assert_true (coop_backup_verify (info->path, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (info->path, &buf), ==, 0);
      g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
    }
  g_assert_cmpint (g_stat (folder, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);
  g_assert_cmpint (count_partners (g_ptr_array_index (made, 4)),
                   ==, count_partners (fixture->database));

  /* Just taken: not due on opening, nor on closing until something changes. */
  g_assert_false (coop_backup_is_due (fixture->database, NULL, FALSE));
  g_assert_false (coop_backup_is_due (fixture->database, NULL, TRUE));
  g_usleep (20000);
  add_partner (store, "After the backup");
  g_assert_true (coop_backup_is_due (fixture->database, NULL, TRUE));

  /* A damaged newest backup is passed over. */
  {
    char zeros[100] = { 0 };
    overwrite (g_ptr_array_index (made, 4), 0, zeros, sizeof zeros);
  }
  g_assert_false (coop_backup_verify (g_ptr_array_index (made, 4), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_clear_error (&error);
  {
    g_autofree char *newest = coop_backup_find_newest_verified (fixture->database, NULL);
    g_assert_cmpstr (newest, ==, g_ptr_array_index (made, 3));
  }
}

static void
test_backup_refuses_bad_source (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *first = NULL;
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  g_autofree char *output = g_build_filename (fixture->dir, "out.db", NULL);
  g_autofree char *partial = g_strconcat (output, ".partial", NULL);
  char zeros[4096] = { 0 };

  make_demo (fixture->database);
  first = coop_backup_rotate (fixture->database, NULL, 1, &error);
  g_assert_no_error (error);

  /* A damaged database makes no backup and costs no older one. */
  overwrite (fixture->database, 4096 * 3, zeros, sizeof zeros);
  g_assert_null (coop_backup_rotate (fixture->database, NULL, 1, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_clear_error (&error);
  backups = coop_backup_list (fixture->database, NULL);
  g_assert_cmpuint (backups->len, ==, 1);
  g_assert_cmpstr (((CoopBackupInfo *) g_ptr_array_index (backups, 0))->path, ==, first);

  g_assert_false (coop_backup_write (fixture->database, output, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* Neither the backup nor the restore may land on the database itself. */
  g_assert_false (coop_backup_write (first, first, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_false (coop_backup_restore (first, first, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_true (coop_backup_verify (first, &error));
  g_assert_no_error (error);

  exec_sql (other, "CREATE TABLE things (a)");
  g_assert_false (coop_backup_verify (other, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK);
  g_clear_error (&error);
}

/* ------------------------------------------------------------------ restore */

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "saved.db", NULL);
  g_autofree char *kept = NULL;
  gint64 before;

  make_demo (fixture->database);
  before = count_partners (fixture->database);
  g_assert_true (coop_backup_write (fixture->database, backup, &error));
  g_assert_no_error (error);

  /* Restored while this process has the database open, as the window does. */
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  add_partner (store, "Added after the backup");
  g_assert_cmpint (count_partners (fixture->database), ==, before + 1);

  g_assert_true (coop_backup_restore (fixture->database, backup, &kept, &error));
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_nonnull (strstr (kept, ".before-restore-"));
  g_assert_cmpint (count_partners (fixture->database), ==, before);
  g_assert_cmpint (count_partners (kept), ==, before + 1);
  g_clear_object (&store);

  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  add_partner (store, "Added after the restore");
  g_clear_object (&store);
  g_assert_cmpint (count_partners (fixture->database), ==, before + 1);

  /* A damaged backup is refused and the database left alone. */
  {
    char zeros[100] = { 0 };
    overwrite (backup, 0, zeros, sizeof zeros);
  }
  g_assert_false (coop_backup_restore (fixture->database, backup, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_assert_cmpint (count_partners (fixture->database), ==, before + 1);
}

/* ------------------------------------------------------------------ read-only */

static void
test_read_only_requested (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();

  make_demo (fixture->database);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_null (coop_lock_query_holder (fixture->database));

  coop_partner_set_name (partner, "Not written");
  g_assert_false (coop_store_save (store, COOP_RECORD (partner), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY);
}

static void
test_read_only_newer_schema (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          coop_store_get_latest_schema_version () + 1);

  make_demo (fixture->database);
  exec_sql (fixture->database, sql);

  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_SCHEMA_TOO_NEW);
  g_assert_null (store);
  g_clear_error (&error);
  g_assert_null (coop_lock_query_holder (fixture->database));

  store = coop_store_open (fixture->database, COOP_STORE_OPEN_FALL_BACK_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_get_read_only (store));
  g_assert_cmpint (coop_store_get_read_only_reason (store), ==, COOP_READ_ONLY_NEWER_SCHEMA);
  g_assert_cmpint (coop_store_get_schema_version (store),
                   ==, coop_store_get_latest_schema_version () + 1);
  g_assert_null (coop_lock_query_holder (fixture->database));
  g_clear_object (&store);

  store = coop_store_open (fixture->database, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_read_only_reason (store), ==, COOP_READ_ONLY_NEWER_SCHEMA);
}

/* Root may write anything, so the check runs as "nobody" in a child. */
static void
test_read_only_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  pid_t pid;
  int status;

  make_demo (fixture->database);
  g_assert_cmpint (chmod (fixture->database, 0644), ==, 0);
  g_assert_cmpint (chmod (fixture->dir, 0755), ==, 0);

  if (geteuid () != 0 && access (fixture->dir, W_OK) == 0)
    {
      g_assert_cmpint (chmod (fixture->dir, 0555), ==, 0);
      g_assert_cmpint (chmod (fixture->database, 0444), ==, 0);
    }

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GError) error = NULL;
      CoopStore *store;

      if (geteuid () == 0 && setuid (65534) != 0)
        _exit (10);
      store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
      if (store != NULL || !g_error_matches (error, COOP_ERROR, COOP_ERROR_READ_ONLY))
        _exit (11);
      g_clear_error (&error);
      store = coop_store_open (fixture->database, COOP_STORE_OPEN_FALL_BACK_READ_ONLY, &error);
      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          _exit (12);
        }
      if (coop_store_get_read_only_reason (store) != COOP_READ_ONLY_NOT_WRITABLE)
        _exit (13);
      g_object_unref (store);
      _exit (0);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* ------------------------------------------------------------------ full disk */

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autofree char *report = NULL;
  GListModel *partners;
  guint n_partners;
  guint n_students;
  gint64 before;
  static const struct { gint64 budget; guint n_students; } import_budgets[] = {
    { 0, 20 },            /* nothing can be written */
    { 4096, 20 },         /* fits the page cache: fails at the commit */
    { 64 * 1024, 2000 },  /* spills while saving */
  };

  make_demo (fixture->database);
  before = count_partners (fixture->database);
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_load_all (store, NULL, &error));
  g_assert_no_error (error);
  partners = coop_store_get_list (store, COOP_TYPE_PARTNER);
  n_partners = g_list_model_get_n_items (partners);
  n_students = g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_STUDENT));

  /* An edit. */
  write_budget = 0;
  coop_partner_set_name (partner, "Never stored");
  g_assert_false (coop_store_save (store, COOP_RECORD (partner), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (partners), ==, n_partners);

  /* Imports that run out of space at their commit or half way through. */
  for (guint b = 0; b < G_N_ELEMENTS (import_budgets); b++)
    {
      write_budget = import_budgets[b].budget;
      g_assert_true (coop_store_begin (store, &error));
      for (guint i = 0; i < import_budgets[b].n_students && error == NULL; i++)
        {
          g_autoptr(CoopStudent) student = coop_student_new ();
          g_autofree char *number = g_strdup_printf ("77%06u", i);

          coop_student_set_number (student, number);
          coop_student_set_name (student, "Disk Full");
          coop_store_save (store, COOP_RECORD (student), &error);
        }
      if (error == NULL)
        coop_store_commit (store, &error);
      else
        coop_store_rollback (store);
      g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
      g_clear_error (&error);
      write_budget = -1;
      g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (store, COOP_TYPE_STUDENT)),
                        ==, n_students);
    }

  g_assert_true (coop_store_check_integrity (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  g_clear_object (&store);
  g_assert_cmpint (count_partners (fixture->database), ==, before);
  {
    g_autoptr(CoopStore) again = coop_store_open (fixture->database, COOP_STORE_OPEN_READ_ONLY,
                                                  &error);
    CoopStoreCounts counts;

    g_assert_no_error (error);
    g_assert_true (coop_store_count (again, &counts, &error));
    g_assert_cmpint (counts.students, <, 2000);
  }

  /* Space again: the same edit goes through. */
  store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_save (store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (count_partners (fixture->database), ==, before + 1);
}

/* ------------------------------------------------------------------ personal data in logs */

#define CANARY_NAME   "金丝雀甲乙"
#define CANARY_PHONE  "13987654321"
#define CANARY_NUMBER "2099887766"
#define CANARY_EMAIL  "canary.bird@example.org"

static void
make_noise (const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStudent) student = coop_student_new ();
  g_autoptr(CoopStudent) twin = coop_student_new ();
  g_autoptr(CoopStore) reader = NULL;
  g_autofree char *backup = NULL;

  g_assert_no_error (error);
  coop_student_set_number (student, CANARY_NUMBER);
  coop_student_set_name (student, CANARY_NAME);
  coop_student_set_phone (student, CANARY_PHONE);
  coop_student_set_email (student, CANARY_EMAIL);
  coop_store_save (store, COOP_RECORD (student), &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_load_all (store, NULL, &error));

  /* Errors: a duplicate, a read-only store, a full disk, a locked file. */
  coop_student_set_number (twin, CANARY_NUMBER);
  coop_student_set_name (twin, CANARY_NAME);
  coop_student_set_phone (twin, CANARY_PHONE);
  g_assert_false (coop_store_save (store, COOP_RECORD (twin), &error));
  g_clear_error (&error);

  reader = coop_store_open (database, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (coop_store_save (reader, COOP_RECORD (twin), &error));
  g_clear_error (&error);

  write_budget = 0;
  coop_student_set_phone (student, CANARY_PHONE "0");
  g_assert_false (coop_store_save (store, COOP_RECORD (student), &error));
  g_clear_error (&error);
  write_budget = -1;

  g_clear_object (&store);
  backup = coop_backup_rotate (database, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);
}

static void
test_logs_no_personal_data (Fixture       *fixture,
                            gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      const char *database = g_getenv ("COOP_SAFETY_LOG_DATABASE");

      g_log_set_debug_enabled (TRUE);
      g_debug ("canary run starts");
      make_noise (database);
      return;
    }

  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("COOP_SAFETY_LOG_DATABASE", fixture->database, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("COOP_SAFETY_LOG_DATABASE");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*canary run starts*");
  g_test_trap_assert_stdout_unmatched ("*" CANARY_NAME "*");
  g_test_trap_assert_stderr_unmatched ("*" CANARY_NAME "*");
  g_test_trap_assert_stdout_unmatched ("*" CANARY_PHONE "*");
  g_test_trap_assert_stderr_unmatched ("*" CANARY_PHONE "*");
  g_test_trap_assert_stdout_unmatched ("*" CANARY_NUMBER "*");
  g_test_trap_assert_stderr_unmatched ("*" CANARY_NUMBER "*");
  g_test_trap_assert_stdout_unmatched ("*" CANARY_EMAIL "*");
  g_test_trap_assert_stderr_unmatched ("*" CANARY_EMAIL "*");
}

/* ------------------------------------------------------------------ command line */

static int
run_coopdesk (const char * const *args,
              char              **out,
              char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (g_getenv ("COOPDESK"));
  g_ptr_array_add (argv, (char *) g_getenv ("COOPDESK"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *output = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autofree char *database_arg = g_strconcat ("--database=", fixture->database, NULL);
  g_autofree char *output_arg = g_strconcat ("--output=", output, NULL);
  g_autofree char *from_arg = g_strconcat ("--from=", output, NULL);
  g_autofree char *missing_arg = g_strconcat ("--database=", fixture->dir, "/missing.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  gint64 before;

  make_demo (fixture->database);
  before = count_partners (fixture->database);

  {
    const char *args[] = { "backup", database_arg, output_arg, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_coopdesk (args, &out, &err), ==, 0);
    g_assert_true (coop_backup_verify (output, &error));
    g_assert_no_error (error);
  }
  {
    const char *args[] = { "backup", database_arg, "--keep=2", NULL };

    for (guint i = 0; i < 3; i++)
      g_assert_cmpint (run_coopdesk (args, NULL, NULL), ==, 0);
    backups = coop_backup_list (fixture->database, NULL);
    g_assert_cmpuint (backups->len, ==, 2);
  }
  {
    g_autoptr(CoopStore) store = coop_store_open (fixture->database, COOP_STORE_OPEN_DEFAULT,
                                                  &error);
    g_assert_no_error (error);
    add_partner (store, "Added before the restore");
  }
  {
    const char *args[] = { "restore", database_arg, from_arg, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_coopdesk (args, &out, &err), ==, 0);
    g_assert_cmpint (count_partners (fixture->database), ==, before);
  }
  {
    const char *args[] = { "backup", missing_arg, output_arg, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_coopdesk (args, &out, &err), ==, 1);
  }
  {
    const char *args[] = { "restore", database_arg, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_coopdesk (args, &out, &err), ==, 2);
  }
  {
    char zeros[100] = { 0 };
    const char *args[] = { "restore", database_arg, from_arg, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    overwrite (output, 0, zeros, sizeof zeros);
    g_assert_cmpint (run_coopdesk (args, &out, &err), ==, 1);
    g_assert_cmpint (count_partners (fixture->database), ==, before);
  }
}

/* ------------------------------------------------------------------ main */

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  install_full_disk_vfs ();

  ADD ("/safety/lock/second-process", test_lock_second_process);
  ADD ("/safety/lock/stale-and-foreign", test_lock_stale_and_foreign);
  for (guint i = 0; i < G_N_ELEMENTS (damage_cases); i++)
    g_test_add (damage_cases[i].path, Fixture, &damage_cases[i], fixture_set_up, test_damaged,
                fixture_tear_down);
  ADD ("/safety/damaged/many", test_damaged_many);
  ADD ("/safety/check-beside", test_check_beside);
  ADD ("/safety/backup/rotation", test_backup_rotation);
  ADD ("/safety/backup/refuses-bad-source", test_backup_refuses_bad_source);
  ADD ("/safety/restore", test_restore);
  ADD ("/safety/cli", test_cli);
  ADD ("/safety/read-only/requested", test_read_only_requested);
  ADD ("/safety/read-only/newer-schema", test_read_only_newer_schema);
  ADD ("/safety/read-only/folder", test_read_only_folder);
  ADD ("/safety/disk-full", test_disk_full);
  ADD ("/safety/logs/no-personal-data", test_logs_no_personal_data);

  return g_test_run ();
}
