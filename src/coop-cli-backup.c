/* coop-cli-backup.c — the backup and restore commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "coop-backup.h"
#include "coop-cli.h"
#include "coop-error.h"
#include "coop-file.h"
#include "coop-store.h"

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("coopdesk: %s\n\n%s", message, help);
  return 2;
}

static int
fail (const GError *error)
{
  g_printerr ("coopdesk: %s\n", error->message);
  return 1;
}

/* The scratch folder holds the copy and what SQLite and the lock put
 * beside it, nothing deeper. */
static void
remove_scratch (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_remove (path);
    }
  g_rmdir (folder);
}

/* A shared database is backed up into the same kind of file as a local
 * one: copied, from one moment of it, into a new file beside the output,
 * then written as a checked backup of that file. */
static gboolean
back_up_server (const char  *database,
                const char  *output,
                GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (output);
  g_autofree char *scratch = g_build_filename (folder, ".coopdesk-backup-XXXXXX", NULL);
  g_autofree char *copy = NULL;
  g_autoptr(CoopStore) source = NULL;
  g_autoptr(CoopStore) target = NULL;
  gboolean ok;

  if (g_mkdtemp_full (scratch, 0700) == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not write into “%s”: %s."),
                   folder, g_strerror (saved_errno));
      return FALSE;
    }
  copy = g_build_filename (scratch, "copy.db", NULL);

  source = coop_cli_open_store (database, COOP_STORE_OPEN_READ_ONLY, error);
  target = source != NULL ? coop_cli_open_store (copy, COOP_STORE_OPEN_DEFAULT, error) : NULL;
  ok = target != NULL && coop_store_copy (source, target, FALSE, error);
  g_clear_object (&target);
  ok = ok && coop_backup_write (copy, output, error);

  remove_scratch (scratch);
  return ok;
}

/* A backup file replaces what the server holds, in one transaction; what
 * it held is first backed up beside the backup file. */
static gboolean
restore_server (const char  *database,
                const char  *from,
                char       **kept,
                GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *before = g_strdup_printf ("%s.before-restore-%s", from, stamp);
  g_autoptr(CoopStore) source = NULL;
  g_autoptr(CoopStore) target = NULL;

  if (!coop_file_check_kind (from, error))
    return FALSE;
  if (!g_file_test (from, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND, _("The backup “%s” does not exist."),
                   from);
      return FALSE;
    }
  if (!back_up_server (database, before, error))
    return FALSE;

  source = coop_cli_open_store (from, COOP_STORE_OPEN_READ_ONLY, error);
  target = source != NULL ? coop_cli_open_store (database, COOP_STORE_OPEN_DEFAULT, error) : NULL;
  if (target == NULL || !coop_store_copy (source, target, TRUE, error))
    return FALSE;

  *kept = g_steal_pointer (&before);
  return TRUE;
}

/**
 * coop_cli_backup:
 * @argc: the arguments from the command name on
 * @argv: (array length=argc): the command and its options
 *
 * `coopdesk backup [--database=FILE] [--output=FILE] [--keep=N]`: writes a
 * verified copy to FILE, or without --output an automatic backup next to
 * the database, keeping the newest N.
 *
 * Returns: the exit status
 */
int
coop_cli_backup (int    argc,
                 char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *output = NULL;
  g_autofree char *written = NULL;
  int keep = COOP_BACKUP_DEFAULT_KEEP;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database to back up"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the backup; without it, into the backups folder next to the database"),
      N_("FILE") },
    { "keep", 'k', 0, G_OPTION_ARG_INT, &keep,
      N_("How many backups to keep in the backups folder (10 unless told)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
                                _("Copy a database while it may be in use, and check the copy."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("Unexpected argument; use --output=FILE."));
  if (keep < 1)
    return usage_error (context, _("--keep must be at least 1."));
  if (database == NULL)
    database = coop_cli_default_database ();

  if (coop_store_location_is_server (database))
    {
      if (output == NULL)
        return usage_error (context, _("Say where to write the backup of a shared database "
                                       "with --output=FILE."));
      if (!back_up_server (database, output, &error))
        return fail (error);
      g_print (_("Backup written and checked: %s\n"), output);
      return 0;
    }

  if (!coop_file_check_kind (database, &error))
    return fail (error);
  if (!g_file_test (database, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("coopdesk: The database “%s” does not exist.\n"), database);
      return 1;
    }

  if (output != NULL)
    {
      if (!coop_backup_write (database, output, &error))
        return fail (error);
      written = g_strdup (output);
    }
  else
    {
      written = coop_backup_rotate (database, NULL, (guint) keep, &error);
      if (written == NULL)
        return fail (error);
    }

  g_print (_("Backup written and checked: %s\n"), written);
  return 0;
}

/**
 * coop_cli_restore:
 * @argc: the arguments from the command name on
 * @argv: (array length=argc): the command and its options
 *
 * `coopdesk restore [--database=FILE] --from=FILE`: replaces the database
 * with a checked backup, keeping the previous contents aside.
 *
 * Returns: the exit status
 */
int
coop_cli_restore (int    argc,
                  char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *from = NULL;
  g_autofree char *kept = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database to replace"), N_("FILE") },
    { "from", 'f', 0, G_OPTION_ARG_FILENAME, &from,
      N_("The backup to restore"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
                                _("Replace a database with a backup after checking it. The "
                                  "previous contents are kept next to the database under a "
                                  "dated name."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc > 1)
    return usage_error (context, _("Unexpected argument; use --from=FILE."));
  if (from == NULL)
    return usage_error (context, _("Say which backup to restore with --from=FILE."));
  if (database == NULL)
    database = coop_cli_default_database ();

  if (coop_store_location_is_server (database))
    {
      if (!restore_server (database, from, &kept, &error))
        return fail (error);
      g_print (_("Restored the shared database from %s.\n"), from);
      g_print (_("The previous contents were kept as %s.\n"), kept);
      return 0;
    }

  if (!coop_backup_restore (database, from, &kept, &error))
    return fail (error);

  g_print (_("Restored %s from %s.\n"), database, from);
  if (kept != NULL)
    g_print (_("The previous contents were kept as %s.\n"), kept);
  return 0;
}
