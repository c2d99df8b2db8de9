/* coop-backup.c — verified copies of a database, rotation and restore
 *
 * A backup is taken with SQLite's online backup API from its own read-only
 * connection, so it is one consistent moment even while the window writes.
 * It is written under a temporary name, checked with quick_check, synced
 * and only then renamed into place; an older backup is deleted only after
 * a newer one has passed that check.  Automatic backups live in "backups"
 * next to the database and are named "DATABASE.YYYYMMDD-HHMMSS-µs.backup",
 * so that their names sort by age.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "coop-backup.h"
#include "coop-error.h"
#include "coop-file.h"
#include "coop-lock.h"
#include "coop-sqlite-private.h"

#define BACKUP_SUFFIX ".backup"
#define BUSY_TIMEOUT_MS 5000

static const char * const side_files[] = { "-wal", "-shm", "-journal" };

/* ------------------------------------------------------------------ helpers */

static char *
stamp_now (gboolean with_micro)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, with_micro ? "%Y%m%d-%H%M%S-%f" : "%Y%m%d-%H%M%S");
}

static void
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *doing)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("%s: the disk is full."), doing);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO, "%s: %s.", doing, g_strerror (saved_errno));
}

static sqlite3 *
open_file (const char  *path,
           gboolean     read_only,
           GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db,
                        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *doing = g_strdup_printf (_("Could not open “%s”"), path);
      coop_store_set_sqlite_error (error, db, rc, doing);
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  return db;
}

static gboolean
check_connection (sqlite3     *db,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *doing = g_strdup_printf (_("Could not check “%s”"), path);
  int rc;
  int application_id;

  rc = sqlite3_prepare_v2 (db, "PRAGMA application_id", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, db, rc, doing);
      return FALSE;
    }
  application_id = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (application_id != COOP_APPLICATION_ID)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK,
                   _("“%s” is not a Coopdesk database."), path);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, db, rc, doing);
      return FALSE;
    }
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("“%s” is damaged: the database check found errors."), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;
      g_autofree char *doing = g_strdup_printf (_("Could not write “%s”"), path);

      if (fd >= 0)
        close (fd);
      set_errno_error (error, saved_errno, doing);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* The rename is only durable once the folder is synced too; failing that
 * costs durability, not the copy, so it is not an error. */
static void
sync_folder (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Copies every page of @src into @dst in one step, retrying while a writer
 * briefly holds the source. */
static gboolean
copy_pages (sqlite3     *src,
            sqlite3     *dst,
            const char  *output,
            GError     **error)
{
  sqlite3_backup *backup;
  int rc;

  backup = sqlite3_backup_init (dst, "main", src, "main");
  if (backup == NULL)
    {
      g_autofree char *doing = g_strdup_printf (_("Could not write “%s”"), output);
      coop_store_set_sqlite_error (error, dst, sqlite3_errcode (dst), doing);
      return FALSE;
    }

  for (guint tries = 0; ; tries++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 50)
        {
          sqlite3_sleep (100);
          continue;
        }
      break;
    }
  sqlite3_backup_finish (backup);

  if (rc != SQLITE_DONE)
    {
      g_autofree char *doing = g_strdup_printf (_("Could not write “%s”"), output);
      coop_store_set_sqlite_error (error, NULL, rc, doing);
      return FALSE;
    }
  return TRUE;
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf buf_a, buf_b;

  return g_stat (a, &buf_a) == 0 && g_stat (b, &buf_b) == 0 &&
         buf_a.st_dev == buf_b.st_dev && buf_a.st_ino == buf_b.st_ino;
}

static char *
backup_prefix (const char *database)
{
  g_autofree char *base = g_path_get_basename (database);

  return g_strconcat (base, ".", NULL);
}

static GDateTime *
parse_stamp (const char *stamp)
{
  int y, mo, d, h, mi, s, us;
  char tail;

  if (sscanf (stamp, "%4d%2d%2d-%2d%2d%2d-%6d%c", &y, &mo, &d, &h, &mi, &s, &us, &tail) != 7)
    return NULL;
  return g_date_time_new_local (y, mo, d, h, mi, s + us / 1e6);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const CoopBackupInfo *info_a = *(CoopBackupInfo * const *) a;
  const CoopBackupInfo *info_b = *(CoopBackupInfo * const *) b;

  return strcmp (info_b->path, info_a->path);
}

static gboolean
newer_than (const char *path,
            GStatBuf   *reference)
{
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return FALSE;
  return buf.st_mtim.tv_sec > reference->st_mtim.tv_sec ||
         (buf.st_mtim.tv_sec == reference->st_mtim.tv_sec &&
          buf.st_mtim.tv_nsec > reference->st_mtim.tv_nsec);
}

/* ------------------------------------------------------------------ public */

void
coop_backup_info_free (CoopBackupInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_clear_pointer (&info->taken, g_date_time_unref);
  g_free (info);
}

/**
 * coop_backup_verify:
 * @file: a database file
 * @error: return location for a #CoopError
 *
 * Opens @file read-only and checks that it is a sound Coopdesk database
 * (application id and quick_check).
 *
 * Returns: whether it is; %COOP_ERROR_CORRUPT, %COOP_ERROR_NOT_COOPDESK or
 *   %COOP_ERROR_IO otherwise
 */
gboolean
coop_backup_verify (const char  *file,
                    GError     **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (file != NULL, FALSE);

  if (!coop_file_check_kind (file, error))
    return FALSE;
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND, _("“%s” does not exist."), file);
      return FALSE;
    }

  db = open_file (file, TRUE, error);
  if (db == NULL)
    return FALSE;
  ok = check_connection (db, file, error);
  sqlite3_close (db);
  return ok;
}

/**
 * coop_backup_write:
 * @database: the database to copy
 * @output: the backup file to write (mode 0600); replaced only once the new
 *   copy has been checked
 * @error: return location for a #CoopError
 *
 * Copies @database with the SQLite backup API and checks the copy.
 *
 * Returns: whether a verified copy is now at @output
 */
gboolean
coop_backup_write (const char  *database,
                   const char  *output,
                   GError     **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *doing = NULL;
  sqlite3 *src = NULL;
  sqlite3 *dst = NULL;
  gboolean ok = FALSE;
  int fd;

  g_return_val_if_fail (database != NULL, FALSE);
  g_return_val_if_fail (output != NULL, FALSE);

  if (!coop_file_check_kind (database, error) || !coop_file_check_kind (output, error))
    return FALSE;

  tmp_path = g_strconcat (output, ".partial", NULL);
  doing = g_strdup_printf (_("Could not write the backup “%s”"), output);

  /* Renamed over the database itself, the copy would cut off everyone who
   * has it open. */
  if (same_file (database, output))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("%s: that is the database itself; choose another file."), doing);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (side_files); i++)
    {
      g_autofree char *side = g_strconcat (tmp_path, side_files[i], NULL);
      g_unlink (side);
    }
  g_unlink (tmp_path);

  fd = g_open (tmp_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, doing);
      return FALSE;
    }
  close (fd);

  src = open_file (database, TRUE, error);
  if (src == NULL)
    goto out;
  dst = open_file (tmp_path, FALSE, error);
  if (dst == NULL)
    goto out;
  if (!copy_pages (src, dst, output, error))
    goto out;

  /* The copy of a WAL database is marked WAL too; a backup must stand alone
   * as one file. */
  if (sqlite3_exec (dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, dst, sqlite3_errcode (dst), doing);
      goto out;
    }
  sqlite3_close (dst);
  dst = NULL;

  if (!coop_backup_verify (tmp_path, error) || !sync_file (tmp_path, error))
    goto out;

  if (g_rename (tmp_path, output) != 0)
    {
      set_errno_error (error, errno, doing);
      goto out;
    }
  sync_folder (output);
  ok = TRUE;

out:
  sqlite3_close (src);
  sqlite3_close (dst);
  if (!ok)
    g_unlink (tmp_path);
  return ok;
}

/**
 * coop_backup_get_folder:
 * @database: a database file
 *
 * Returns: (transfer full): where the automatic backups of @database go:
 *   "backups" in its folder
 */
char *
coop_backup_get_folder (const char *database)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (database != NULL, NULL);

  dir = g_path_get_dirname (database);
  return g_build_filename (dir, "backups", NULL);
}

/**
 * coop_backup_list:
 * @database: a database file
 * @folder: (nullable): the backup folder, %NULL for the usual one
 *
 * Returns: (transfer full) (element-type CoopBackupInfo): the automatic
 *   backups of @database, newest first; empty when there are none
 */
GPtrArray *
coop_backup_list (const char *database,
                  const char *folder)
{
  g_autofree char *default_folder = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (database != NULL, NULL);

  backups = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_backup_info_free);
  if (folder == NULL)
    folder = default_folder = coop_backup_get_folder (database);

  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return g_steal_pointer (&backups);

  prefix = backup_prefix (database);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stamp = NULL;
      GDateTime *taken;
      CoopBackupInfo *info;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, BACKUP_SUFFIX))
        continue;
      stamp = g_strndup (name + strlen (prefix),
                         strlen (name) - strlen (prefix) - strlen (BACKUP_SUFFIX));
      taken = parse_stamp (stamp);
      if (taken == NULL)
        continue;

      info = g_new0 (CoopBackupInfo, 1);
      info->path = g_build_filename (folder, name, NULL);
      info->taken = taken;
      g_ptr_array_add (backups, info);
    }

  g_ptr_array_sort (backups, compare_newest_first);
  return g_steal_pointer (&backups);
}

/**
 * coop_backup_find_newest_verified:
 * @database: a database file
 * @folder: (nullable): the backup folder, %NULL for the usual one
 *
 * Returns: (transfer full) (nullable): the newest automatic backup of
 *   @database that passes coop_backup_verify(), or %NULL
 */
char *
coop_backup_find_newest_verified (const char *database,
                                  const char *folder)
{
  g_autoptr(GPtrArray) backups = coop_backup_list (database, folder);

  for (guint i = 0; i < backups->len; i++)
    {
      CoopBackupInfo *info = g_ptr_array_index (backups, i);

      if (coop_backup_verify (info->path, NULL))
        return g_strdup (info->path);
    }
  return NULL;
}

/**
 * coop_backup_rotate:
 * @database: the database to back up
 * @folder: (nullable): the backup folder (created mode 0700), %NULL for the
 *   usual one
 * @keep: how many backups to keep, at least 1
 * @error: return location for a #CoopError
 *
 * Takes a verified automatic backup, then deletes the oldest ones beyond
 * @keep.  Nothing is deleted when the new backup fails.
 *
 * Returns: (transfer full) (nullable): the new backup, or %NULL on error
 */
char *
coop_backup_rotate (const char  *database,
                    const char  *folder,
                    guint        keep,
                    GError     **error)
{
  g_autofree char *default_folder = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GPtrArray) backups = NULL;

  g_return_val_if_fail (database != NULL, NULL);

  if (folder == NULL)
    folder = default_folder = coop_backup_get_folder (database);
  keep = MAX (keep, 1);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *doing = g_strdup_printf (_("Could not create the backup folder “%s”"),
                                                folder);
      set_errno_error (error, saved_errno, doing);
      return NULL;
    }

  prefix = backup_prefix (database);
  stamp = stamp_now (TRUE);
  name = g_strconcat (prefix, stamp, BACKUP_SUFFIX, NULL);
  output = g_build_filename (folder, name, NULL);
  if (!coop_backup_write (database, output, error))
    return NULL;

  backups = coop_backup_list (database, folder);
  for (guint i = keep; i < backups->len; i++)
    {
      CoopBackupInfo *info = g_ptr_array_index (backups, i);

      if (g_strcmp0 (info->path, output) != 0)
        g_unlink (info->path);
    }

  return g_steal_pointer (&output);
}

/**
 * coop_backup_is_due:
 * @database: a database file
 * @folder: (nullable): the backup folder, %NULL for the usual one
 * @closing: %FALSE when the database is being opened, %TRUE when closed
 *
 * On opening a backup is due when the newest is older than a day; on
 * closing, when the database changed after the newest backup.
 *
 * Returns: whether coop_backup_rotate() should run now
 */
gboolean
coop_backup_is_due (const char *database,
                    const char *folder,
                    gboolean    closing)
{
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *wal = NULL;
  CoopBackupInfo *newest;
  GStatBuf newest_stat;

  g_return_val_if_fail (database != NULL, FALSE);

  backups = coop_backup_list (database, folder);
  if (backups->len == 0)
    return TRUE;
  newest = g_ptr_array_index (backups, 0);

  if (!closing)
    {
      now = g_date_time_new_now_local ();
      return g_date_time_difference (now, newest->taken) >= G_TIME_SPAN_DAY;
    }

  if (g_stat (newest->path, &newest_stat) != 0)
    return TRUE;
  wal = g_strconcat (database, "-wal", NULL);
  return newer_than (database, &newest_stat) || newer_than (wal, &newest_stat);
}

/**
 * coop_backup_move_aside:
 * @database: a database file, not open
 * @why: a word for the new name: "damaged", "before-restore"
 * @error: return location for a #CoopError
 *
 * Renames @database, with its -wal, -shm and -journal files, to
 * "DATABASE.WHY-YYYYMMDD-HHMMSS" in the same folder.  Nothing is deleted.
 *
 * Returns: (transfer full) (nullable): the new name of the database
 */
char *
coop_backup_move_aside (const char  *database,
                        const char  *why,
                        GError     **error)
{
  g_autofree char *stamp = stamp_now (FALSE);
  g_autofree char *aside = NULL;

  g_return_val_if_fail (database != NULL, NULL);
  g_return_val_if_fail (why != NULL, NULL);

  aside = g_strdup_printf ("%s.%s-%s", database, why, stamp);
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.%s-%s-%u", database, why, stamp, n);
    }

  if (g_rename (database, aside) != 0)
    {
      int saved_errno = errno;
      g_autofree char *doing = g_strdup_printf (_("Could not move “%s” aside"), database);
      set_errno_error (error, saved_errno, doing);
      return NULL;
    }

  /* The side files belong to the moved file; left behind, SQLite would
   * apply them to whatever is created under the old name. */
  for (guint i = 0; i < G_N_ELEMENTS (side_files); i++)
    {
      g_autofree char *from = g_strconcat (database, side_files[i], NULL);
      g_autofree char *to = g_strconcat (aside, side_files[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&aside);
}

/**
 * coop_backup_restore:
 * @database: the database to replace; may be open in this process
 * @from: a backup (any sound Coopdesk database)
 * @kept_aside: (out) (optional) (transfer full) (nullable): where the
 *   previous contents were kept, or %NULL when @database did not exist
 * @error: return location for a #CoopError
 *
 * Replaces the contents of @database with those of @from after checking
 * @from.  The previous contents are first copied to
 * "DATABASE.before-restore-YYYYMMDD-HHMMSS" (or moved there when damaged).
 * The pages are copied in place in one transaction, so a store open in this
 * process stays valid, but must reload its lists.  Fails with
 * %COOP_ERROR_LOCKED while another Coopdesk has @database open.
 *
 * Returns: whether @database now holds the backup
 */
gboolean
coop_backup_restore (const char  *database,
                     const char  *from,
                     char       **kept_aside,
                     GError     **error)
{
  g_autoptr(CoopLock) lock = NULL;
  g_autofree char *aside = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3 *src = NULL;
  sqlite3 *dst = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (database != NULL, FALSE);
  g_return_val_if_fail (from != NULL, FALSE);

  if (kept_aside != NULL)
    *kept_aside = NULL;

  if (!coop_file_check_kind (database, error))
    return FALSE;
  if (same_file (database, from))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("“%s” is the database itself, not a backup of it."), from);
      return FALSE;
    }

  if (!coop_backup_verify (from, error))
    return FALSE;

  lock = coop_lock_acquire (database, error);
  if (lock == NULL)
    return FALSE;

  if (!g_file_test (database, G_FILE_TEST_EXISTS))
    {
      if (!coop_backup_write (from, database, error))
        return FALSE;
      return TRUE;
    }

  {
    g_autofree char *stamp = stamp_now (FALSE);
    aside = g_strdup_printf ("%s.before-restore-%s", database, stamp);
  }
  if (!coop_backup_write (database, aside, &local_error))
    {
      /* A damaged file cannot be copied with a check; keep it whole. */
      if (!g_error_matches (local_error, COOP_ERROR, COOP_ERROR_CORRUPT) &&
          !g_error_matches (local_error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_pointer (&aside, g_free);
      aside = coop_backup_move_aside (database, "before-restore", error);
      if (aside == NULL)
        return FALSE;
      if (!coop_backup_write (from, database, error))
        return FALSE;
      if (kept_aside != NULL)
        *kept_aside = g_steal_pointer (&aside);
      return TRUE;
    }

  src = open_file (from, TRUE, error);
  if (src == NULL)
    goto out;
  dst = open_file (database, FALSE, error);
  if (dst == NULL)
    goto out;
  if (!copy_pages (src, dst, database, error))
    goto out;
  if (!check_connection (dst, database, error))
    goto out;
  ok = TRUE;

out:
  sqlite3_close (src);
  sqlite3_close (dst);
  if (kept_aside != NULL)
    *kept_aside = g_steal_pointer (&aside);
  return ok;
}
