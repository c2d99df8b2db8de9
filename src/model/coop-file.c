/* coop-file.c — what a path names, before it is opened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "coop-file.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "coop-error.h"

/**
 * coop_file_check_kind:
 * @path: a database, a file to import or a backup, as the user named it
 * @error: return location for a %COOP_ERROR_IO
 *
 * Refuses a path that names a named pipe, a socket or a device: opening one
 * to read waits for a writer that may never come, and reading a device
 * reads what is not a file.  Nothing is opened to find out.  A path that
 * does not exist passes, and so does a folder: each caller says what a
 * folder is not.
 *
 * Returns: %TRUE when @path may be opened as a file
 */
gboolean
coop_file_check_kind (const char  *path,
                      GError     **error)
{
  GStatBuf info;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &info) != 0)
    return TRUE;

  if (S_ISFIFO (info.st_mode))
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                 _("“%s” is a named pipe (FIFO), not a file; it was not opened."), path);
  else if (S_ISSOCK (info.st_mode))
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                 _("“%s” is a socket, not a file; it was not opened."), path);
  else if (S_ISCHR (info.st_mode) || S_ISBLK (info.st_mode))
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                 _("“%s” is a device, not a file; it was not opened."), path);
  else
    return TRUE;
  return FALSE;
}
