/* coop-lock.c — one writing Coopdesk per database file
 *
 * SQLite only locks a file for the length of a transaction, so two Coopdesk
 * windows on one file would each overwrite what the other shows.  A writer
 * therefore holds "FILE.lock" next to the database, naming the user, the
 * computer, the process and the time.  The file is created complete under a
 * temporary name and linked into place, so that nobody ever reads half of
 * one.  A lock whose process is gone from this computer was left by a crash
 * and is cleared; a lock from another computer cannot be checked and is
 * reported.  Within one process the lock is shared and counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "coop-error.h"
#include "coop-lock.h"

struct _CoopLock
{
  char *lock_path;
  guint count;
};

G_LOCK_DEFINE_STATIC (held);
static GHashTable *held_locks;  /* canonical lock path → CoopLock */

/* ------------------------------------------------------------------ helpers */

static char *
describe_self (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *since = g_date_time_format (now, "%Y-%m-%d %H:%M");

  return g_strdup_printf ("coopdesk-lock 1\nuser=%s\nhost=%s\npid=%ld\nsince=%s\n",
                          g_get_user_name (), g_get_host_name (), (long) getpid (), since);
}

static CoopLockHolder *
parse_holder (const char *text)
{
  g_autoptr(CoopLockHolder) holder = g_new0 (CoopLockHolder, 1);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (lines[0] == NULL || g_strcmp0 (lines[0], "coopdesk-lock 1") != 0)
    return NULL;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "user="))
        {
          g_free (holder->user);
          holder->user = g_strdup (lines[i] + 5);
        }
      else if (g_str_has_prefix (lines[i], "host="))
        {
          g_free (holder->host);
          holder->host = g_strdup (lines[i] + 5);
        }
      else if (g_str_has_prefix (lines[i], "pid="))
        holder->pid = g_ascii_strtoll (lines[i] + 4, NULL, 10);
      else if (g_str_has_prefix (lines[i], "since="))
        {
          g_free (holder->since);
          holder->since = g_strdup (lines[i] + 6);
        }
    }

  if (holder->user == NULL || holder->host == NULL || holder->pid <= 0 || holder->since == NULL)
    return NULL;

  return g_steal_pointer (&holder);
}

static CoopLockHolder *
read_holder (const char *lock_path)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (lock_path, &text, &length, NULL) || length > 4096)
    return NULL;

  return parse_holder (text);
}

/* Only a process on this computer can be checked; EPERM means it exists but
 * belongs to someone else. */
static gboolean
holder_is_gone (const CoopLockHolder *holder)
{
  if (g_strcmp0 (holder->host, g_get_host_name ()) != 0)
    return FALSE;
  if (holder->pid == (gint64) getpid ())
    return TRUE;
  return kill ((pid_t) holder->pid, 0) != 0 && errno == ESRCH;
}

/* Writes the lock under a temporary name and links it into place: link()
 * fails when the lock exists, so taking it is one atomic step. */
static int
try_create (const char  *lock_path,
            GError     **error)
{
  g_autofree char *tmp_path = g_strdup_printf ("%s.%ld.tmp", lock_path, (long) getpid ());
  g_autofree char *contents = describe_self ();
  gsize length = strlen (contents);
  int fd;
  int saved_errno = 0;
  int result;

  fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      goto failed;
    }
  if (write (fd, contents, length) != (gssize) length || fsync (fd) != 0)
    {
      saved_errno = errno != 0 ? errno : ENOSPC;
      close (fd);
      g_unlink (tmp_path);
      goto failed;
    }
  close (fd);

  result = link (tmp_path, lock_path);
  saved_errno = errno;
  g_unlink (tmp_path);
  if (result == 0)
    return 1;
  if (saved_errno == EEXIST)
    return 0;

failed:
  g_set_error (error, COOP_ERROR,
               saved_errno == EACCES || saved_errno == EROFS || saved_errno == EPERM
                 ? COOP_ERROR_READ_ONLY : COOP_ERROR_IO,
               _("Could not mark the database as in use next to it (“%s”): %s."),
               lock_path, g_strerror (saved_errno));
  return -1;
}

/* ------------------------------------------------------------------ public */

void
coop_lock_holder_free (CoopLockHolder *holder)
{
  if (holder == NULL)
    return;

  g_free (holder->user);
  g_free (holder->host);
  g_free (holder->since);
  g_free (holder);
}

/**
 * coop_lock_get_path:
 * @database: a database file
 *
 * Returns: (transfer full): the lock file of @database
 */
char *
coop_lock_get_path (const char *database)
{
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (database != NULL, NULL);

  canonical = g_canonicalize_filename (database, NULL);
  return g_strconcat (canonical, ".lock", NULL);
}

/**
 * coop_lock_query_holder:
 * @database: a database file
 *
 * Returns: (transfer full) (nullable): who holds @database, or %NULL when
 *   nobody does (or the lock file cannot be read)
 */
CoopLockHolder *
coop_lock_query_holder (const char *database)
{
  g_autofree char *lock_path = coop_lock_get_path (database);

  return read_holder (lock_path);
}

/**
 * coop_lock_acquire:
 * @database: a database file
 * @error: return location for a #CoopError
 *
 * Marks @database as open for writing by this process.  A lock left by a
 * process that no longer runs on this computer is cleared.
 *
 * Returns: (transfer full) (nullable): the lock, to be given back with
 *   coop_lock_release(); %NULL with %COOP_ERROR_LOCKED when another
 *   Coopdesk holds the file (the message names who and since when),
 *   %COOP_ERROR_READ_ONLY when the folder cannot be written, or
 *   %COOP_ERROR_IO
 */
CoopLock *
coop_lock_acquire (const char  *database,
                   GError     **error)
{
  g_autofree char *lock_path = NULL;
  CoopLock *lock;

  g_return_val_if_fail (database != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lock_path = coop_lock_get_path (database);

  G_LOCK (held);
  if (held_locks == NULL)
    held_locks = g_hash_table_new (g_str_hash, g_str_equal);
  lock = g_hash_table_lookup (held_locks, lock_path);
  if (lock != NULL)
    {
      lock->count++;
      G_UNLOCK (held);
      return lock;
    }

  /* A cleared stale lock may be retaken by another process in between;
   * a few rounds settle who wins. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autoptr(CoopLockHolder) holder = NULL;
      int created = try_create (lock_path, error);

      if (created < 0)
        break;
      if (created > 0)
        {
          lock = g_new0 (CoopLock, 1);
          lock->lock_path = g_steal_pointer (&lock_path);
          lock->count = 1;
          g_hash_table_insert (held_locks, lock->lock_path, lock);
          G_UNLOCK (held);
          return lock;
        }

      holder = read_holder (lock_path);
      if (holder == NULL && !g_file_test (lock_path, G_FILE_TEST_EXISTS))
        continue;   /* released in between */
      /* Lock files are linked into place complete, so one that cannot be
       * read was not left by a crash: who holds the file is not known. */
      if (holder == NULL)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_LOCKED,
                       _("The lock file “%s” next to the database cannot be read, so it is not "
                         "known who has the database open. It can be opened read-only; if "
                         "nobody else is using it, delete that file and open it again."),
                       lock_path);
          break;
        }
      if (holder_is_gone (holder))
        {
          g_debug ("Clearing a lock left by a process that has ended");
          if (g_unlink (lock_path) != 0 && errno != ENOENT)
            {
              int saved_errno = errno;
              g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                           _("Could not clear the old lock “%s”: %s."),
                           lock_path, g_strerror (saved_errno));
              break;
            }
          continue;
        }

      g_set_error (error, COOP_ERROR, COOP_ERROR_LOCKED,
                   _("The database is open in Coopdesk by %s on %s since %s. "
                     "It can be opened read-only until they close it."),
                   holder->user, holder->host, holder->since);
      break;
    }

  G_UNLOCK (held);
  if (error != NULL && *error == NULL)
    g_set_error (error, COOP_ERROR, COOP_ERROR_LOCKED,
                 _("The database is being opened by another Coopdesk; try again."));
  return NULL;
}

/**
 * coop_lock_release:
 * @lock: (transfer full): a lock from coop_lock_acquire()
 *
 * Gives the lock back; the lock file goes with the last user in this
 * process.
 */
void
coop_lock_release (CoopLock *lock)
{
  g_autoptr(CoopLockHolder) holder = NULL;

  if (lock == NULL)
    return;

  G_LOCK (held);
  if (--lock->count > 0)
    {
      G_UNLOCK (held);
      return;
    }
  g_hash_table_remove (held_locks, lock->lock_path);
  G_UNLOCK (held);

  /* Never remove a lock someone else took after ours was cleared. */
  holder = read_holder (lock->lock_path);
  if (holder != NULL && holder->pid == (gint64) getpid () &&
      g_strcmp0 (holder->host, g_get_host_name ()) == 0)
    g_unlink (lock->lock_path);

  g_free (lock->lock_path);
  g_free (lock);
}
