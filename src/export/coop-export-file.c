/* coop-export-file.c — writing a file so that it is whole or not there
 *
 * An export is written under a temporary name in the folder of the target,
 * readable by the owner only, and renamed over the target once it is
 * complete and on disk.  A failure or a cancel removes the temporary file, so
 * no half-written workbook is ever left where the user looks for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "coop-error.h"
#include "coop-export-private.h"

/* Less free space than this after a failed write: the disk was full. */
#define NEARLY_FULL_BYTES (1024 * 1024)

/* Room left in a file name for the temporary prefix and suffix. */
#define MAX_TMP_STEM 200

/* ------------------------------------------------------------------ helpers */

static void
sync_folder (const char *folder)
{
  int fd = open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* The rename is on disk once the folder is; a failure here loses nothing
   * that a crash would not. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* ------------------------------------------------------------------ public */

/**
 * coop_export_set_io_error:
 * @saved_errno: what the system said
 * @path: the file or folder concerned
 *
 * Sets %COOP_ERROR_IO with a sentence a secretary can act on.
 */
void
coop_export_set_io_error (GError     **error,
                          int          saved_errno,
                          const char  *path)
{
  g_autofree char *name = g_filename_display_name (path);

  switch (saved_errno)
    {
    case EACCES:
    case EPERM:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("You may not write to the folder “%s”. Choose another folder."), name);
      break;

    case ENOENT:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("The folder “%s” does not exist. Choose another folder."), name);
      break;

    case ENOTDIR:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("“%s” is not a folder. Choose another folder."), name);
      break;

    case EISDIR:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("“%s” is a folder. Give the file a name."), name);
      break;

    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("The disk is full: “%s” could not be written. Free some space or choose "
                     "another folder."), name);
      break;

    case EROFS:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("“%s” is on a disk that cannot be written to. Choose another folder."),
                   name);
      break;

    case ENAMETOOLONG:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("The file name “%s” is too long. Choose a shorter name."), name);
      break;

    default:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not write “%s”: %s."),
                   name, g_strerror (saved_errno));
      break;
    }
}

/**
 * coop_export_set_write_error:
 *
 * For a write that failed without an errno (inside libxlsxwriter): tells a
 * full disk from a folder that cannot be written.
 */
void
coop_export_set_write_error (GError     **error,
                             const char  *folder,
                             const char  *path)
{
  struct statvfs info;

  if (statvfs (folder, &info) == 0 &&
      (guint64) info.f_bavail * (guint64) info.f_frsize < NEARLY_FULL_BYTES)
    coop_export_set_io_error (error, ENOSPC, path);
  else if (access (folder, W_OK) != 0)
    coop_export_set_io_error (error, errno, folder);
  else
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("Could not write “%s”. The disk may be full or the file too large; "
                     "free some space or choose another folder."), name);
    }
}

/**
 * coop_export_target_open:
 * @target: an uninitialised #CoopExportTarget
 * @path: where the export is to go
 * @error: %COOP_ERROR_IO when the folder cannot be written
 *
 * Creates the temporary file, mode 0600, next to @path.  On success call
 * coop_export_target_commit() or coop_export_target_discard().
 */
gboolean
coop_export_target_open (CoopExportTarget  *target,
                         const char        *path,
                         GError           **error)
{
  g_autofree char *base = NULL;
  g_autofree char *template = NULL;
  int saved_errno;

  memset (target, 0, sizeof *target);
  target->fd = -1;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, COOP_ERROR, COOP_ERROR_IO, _("Give the export a file name."));
      return FALSE;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      coop_export_set_io_error (error, EISDIR, path);
      return FALSE;
    }

  target->path = g_strdup (path);
  target->folder = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  if (strlen (base) > MAX_TMP_STEM)
    base[MAX_TMP_STEM] = '\0';

  template = g_strdup_printf (".%s.XXXXXX.part", base);
  target->tmp_path = g_build_filename (target->folder, template, NULL);
  target->fd = g_mkstemp_full (target->tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (target->fd < 0)
    {
      saved_errno = errno;
      /* Most failures are the folder's; these are the file's. */
      coop_export_set_io_error (error, saved_errno,
                                saved_errno == EFBIG || saved_errno == ENOSPC ||
                                saved_errno == ENAMETOOLONG ? path : target->folder);
      g_clear_pointer (&target->tmp_path, g_free);
      coop_export_target_discard (target);
      return FALSE;
    }

  return TRUE;
}

/**
 * coop_export_target_commit:
 *
 * Puts the complete temporary file on disk and renames it over the target.
 * On failure the temporary file is removed.
 */
gboolean
coop_export_target_commit (CoopExportTarget  *target,
                           GError           **error)
{
  int saved_errno;

  g_return_val_if_fail (target->fd >= 0, FALSE);

  if (fsync (target->fd) != 0 || close (target->fd) != 0)
    {
      saved_errno = errno;
      target->fd = -1;
      coop_export_set_io_error (error, saved_errno, target->path);
      coop_export_target_discard (target);
      return FALSE;
    }
  target->fd = -1;

  if (g_rename (target->tmp_path, target->path) != 0)
    {
      saved_errno = errno;
      coop_export_set_io_error (error, saved_errno, saved_errno == EISDIR ? target->path
                                                                           : target->folder);
      coop_export_target_discard (target);
      return FALSE;
    }
  g_clear_pointer (&target->tmp_path, g_free);

  sync_folder (target->folder);
  coop_export_target_discard (target);
  return TRUE;
}

/**
 * coop_export_target_discard:
 *
 * Removes the temporary file, if it is still there, and frees @target.
 */
void
coop_export_target_discard (CoopExportTarget *target)
{
  if (target->fd >= 0)
    close (target->fd);
  target->fd = -1;

  if (target->tmp_path != NULL)
    g_unlink (target->tmp_path);

  g_clear_pointer (&target->tmp_path, g_free);
  g_clear_pointer (&target->path, g_free);
  g_clear_pointer (&target->folder, g_free);
}
