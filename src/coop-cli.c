/* coop-cli.c — the commands that work without a window
 *
 * `coopdesk COMMAND [OPTION…]` runs one command and exits: 0 on success,
 * 1 with a sentence on stderr otherwise, 2 for a command line that cannot be
 * understood.  No display is needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "coop-cli.h"
#include "coop-error.h"
#include "coop-keyring.h"
#include "coop-sample.h"
#include "coop-store.h"

/* How long a command waits for the keyring: at login it may still be
 * starting, but a command that stalls is worse than one that goes on
 * without the password. */
#define KEYRING_WAIT_MS 3000

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct {
  const char  *name;
  const char  *summary;
  CommandFunc  run;
} Command;

static int run_create_sample (int argc, char **argv);
static int run_check         (int argc, char **argv);
static int run_copy          (int argc, char **argv);

/* Commands of other areas live in coop-cli-<area>.c and are declared in
 * coop-cli.h; add them to this table. */
static const Command commands[] = {
  { "create-sample", N_("Fill a new database with sample records"), run_create_sample },
  { "check", N_("Check a database and count its records"), run_check },
  { "copy", N_("Copy a whole ledger between a file and a server"), run_copy },
  { "import-students", N_("Import students from a CSV or XLSX file"), coop_cli_import_students },
  { "backup", N_("Write a checked copy of a database"), coop_cli_backup },
  { "restore", N_("Replace a database with a checked backup"), coop_cli_restore },
  { "export-summary", N_("Write the summary workbook for a meeting"), coop_cli_export_summary },
  { "due", N_("Print what is due"), coop_cli_due },
  { "remind", N_("Show what is due as desktop notifications"), coop_cli_remind },
};

/* ------------------------------------------------------------------ helpers */

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("coopdesk: %s\n", message);
  return 1;
}

/**
 * coop_cli_usage_error:
 * @context: the command's options
 * @message: what is wrong with the command line
 *
 * Says what is wrong, followed by the command's help.
 *
 * Returns: 2, the exit status of a command line that cannot be understood
 */
int
coop_cli_usage_error (GOptionContext *context,
                      const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("coopdesk: %s\n\n%s", message, help);
  return 2;
}

#define usage_error coop_cli_usage_error

static gboolean
parse (GOptionContext  *context,
       int             *argc,
       char          ***argv,
       int             *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (context, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_line (const char *label,
            const char *value)
{
  /* Labels are padded by their width on screen, so that Chinese lines up too. */
  int pad = 24 - (int) g_utf8_strlen (label, -1);

  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iswide (g_utf8_get_char (p)))
      pad--;

  g_print ("%s%*s%s\n", label, MAX (pad, 1), "", value);
}

static void
print_count (const char *label,
             gint64      count)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  print_line (label, value);
}

static void
print_counts (const CoopStoreCounts *counts)
{
  print_count (_("Departments:"), counts->departments);
  print_count (_("Partners:"), counts->partners);
  print_count (_("Contacts:"), counts->contacts);
  print_count (_("Agreements:"), counts->agreements);
  print_count (_("Events:"), counts->events);
  print_count (_("Event attendees:"), counts->attendees);
  print_count (_("Students:"), counts->students);
  print_count (_("Recommendation pools:"), counts->pools);
  print_count (_("Candidates:"), counts->candidates);
  print_count (_("Stage changes:"), counts->stage_changes);
  print_count (_("Attached files:"), counts->attachments);
  print_count (_("Change log entries:"), counts->changes);
}

/* ------------------------------------------------------------------ commands */

static int
run_create_sample (int    argc,
                   char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *size = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database file to create or fill"), N_("FILE") },
    { "size", 's', 0, G_OPTION_ARG_STRING, &size,
      N_("“demo” (the default), “large” or “huge”"), N_("SIZE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  CoopSampleSize sample = COOP_SAMPLE_DEMO;
  CoopStoreCounts counts;
  int status = 0;

  g_option_context_set_summary (context, _("Fill an empty database with sample records."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;

  if (argc > 1)
    return usage_error (context, _("Unexpected argument; use --database=FILE."));
  if (database == NULL)
    return usage_error (context, _("Say which database to fill with --database=FILE."));
  if (g_strcmp0 (size, "large") == 0)
    sample = COOP_SAMPLE_LARGE;
  else if (g_strcmp0 (size, "huge") == 0)
    sample = COOP_SAMPLE_HUGE;
  else if (size != NULL && g_strcmp0 (size, "demo") != 0)
    return usage_error (context, _("The size is “demo”, “large” or “huge”."));

  store = coop_cli_open_store (database, COOP_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail ("%s", error->message);

  if (!coop_sample_fill (store, sample, &error))
    return fail ("%s", error->message);

  if (!coop_store_count (store, &counts, &error))
    return fail ("%s", error->message);

  {
    g_autofree char *shown = coop_store_dup_display_name (store);
    g_print (_("Sample records written to %s:\n"), shown);
  }
  print_counts (&counts);
  return 0;
}

static int
run_copy (int    argc,
          char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gboolean replace = FALSE;
  GOptionEntry entries[] = {
    { "from", 'f', 0, G_OPTION_ARG_FILENAME, &from,
      N_("The ledger to copy: a file or postgresql://HOST/DATABASE"), N_("SOURCE") },
    { "to", 't', 0, G_OPTION_ARG_FILENAME, &to,
      N_("The ledger to write, which must be empty"), N_("TARGET") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Replace what the target holds"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) source = NULL;
  g_autoptr(CoopStore) target = NULL;
  g_autofree char *shown = NULL;
  CoopStoreCounts counts;
  int status = 0;

  g_option_context_set_summary (context,
                                _("Copy every record and the change log from one ledger to "
                                  "another, in one transaction, and check the copy row by "
                                  "row. Either may be a file or a shared database."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;

  if (argc > 1)
    return usage_error (context, _("Unexpected argument; use --from=SOURCE --to=TARGET."));
  if (from == NULL || to == NULL)
    return usage_error (context, _("Say what to copy with --from=SOURCE and where with "
                                   "--to=TARGET."));

  source = coop_cli_open_store (from, COOP_STORE_OPEN_READ_ONLY, &error);
  if (source == NULL)
    return fail ("%s", error->message);
  target = coop_cli_open_store (to, COOP_STORE_OPEN_DEFAULT, &error);
  if (target == NULL)
    return fail ("%s", error->message);

  if (!coop_store_copy (source, target, replace, &error))
    return fail ("%s", error->message);
  if (!coop_store_count (target, &counts, &error))
    return fail ("%s", error->message);

  shown = coop_store_dup_display_name (target);
  g_print (_("Copied and checked, table by table, into %s:\n"), shown);
  print_counts (&counts);
  return 0;
}

static gboolean
file_is_empty (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 && buf.st_size == 0;
}

static int
run_check (int    argc,
           char **argv)
{
  g_autofree char *database = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database file to check"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *report = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *version = NULL;
  CoopStoreCounts counts;
  gboolean sound;
  int status = 0;

  g_option_context_set_summary (context,
                                _("Check that a database is sound and count its records. "
                                  "The file is opened read-only."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse (context, &argc, &argv, &status))
    return status;

  if (argc > 1)
    return usage_error (context, _("Unexpected argument; use --database=FILE."));
  if (database == NULL)
    database = coop_cli_default_database ();

  /* SQLite takes an empty file for an empty database, which a read-only
   * open could only report as one that needs updating. */
  if (g_file_test (database, G_FILE_TEST_IS_REGULAR) && file_is_empty (database))
    return fail (_("“%s” is empty (0 bytes): it is not a Coopdesk database."), database);

  store = coop_cli_open_store (database, COOP_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return fail ("%s", error->message);

  sound = coop_store_check_integrity (store, &report, &error);
  if (error != NULL)
    return fail ("%s", error->message);

  version = g_strdup_printf ("%d", coop_store_get_schema_version (store));
  shown = coop_store_dup_display_name (store);
  print_line (_("Database:"), shown);
  print_line (_("Schema version:"), version);
  if (coop_store_get_shared (store))
    {
      g_autofree char *server = coop_store_dup_pragma (store, "server_version");
      print_line (_("Server version:"), server);
    }
  else
    {
      journal = coop_store_dup_pragma (store, "journal_mode");
      print_line (_("Journal mode:"), journal);
    }
  print_line (_("Integrity:"), sound ? _("ok") : _("DAMAGED"));
  if (!sound)
    g_print ("%s", report);

  if (!coop_store_count (store, &counts, &error))
    return fail ("%s", error->message);
  print_counts (&counts);

  return sound ? 0 : 1;
}

/* ------------------------------------------------------------------ public */

/**
 * coop_cli_default_database:
 *
 * Returns: (transfer full): where Coopdesk keeps its database unless told
 *   otherwise: coopdesk/coopdesk.db in the user's data directory
 */
char *
coop_cli_default_database (void)
{
  return g_build_filename (g_get_user_data_dir (), "coopdesk", "coopdesk.db", NULL);
}

/**
 * coop_cli_open_store:
 * @location: a database file or a server's URI
 * @flags: #CoopStoreFlags
 * @error: return location for a #CoopError
 *
 * Opens @location as coop_store_open() does, except that a server's URI
 * without a password is given the one remembered for it in the keyring,
 * if the keyring answers in a moment without asking the user anything.
 * Without one, libpq finds the password as it always does (~/.pgpass,
 * PGPASSWORD); a server that still wants one, or refuses the remembered
 * one, fails with %COOP_ERROR_AUTHENTICATION.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
CoopStore *
coop_cli_open_store (const char      *location,
                     CoopStoreFlags   flags,
                     GError         **error)
{
  char *with_password = NULL;
  CoopStore *store;

  g_return_val_if_fail (location != NULL, NULL);

  if (!coop_store_location_is_server (location) || coop_keyring_uri_has_password (location))
    return coop_store_open (location, flags, error);

  with_password = coop_keyring_lookup_sync (location, KEYRING_WAIT_MS, NULL);
  store = coop_store_open (with_password, flags, error);
  secret_password_wipe (with_password);
  g_free (with_password);
  return store;
}

/**
 * coop_cli_run:
 * @argc: the arguments after the program name
 * @argv: (array length=argc): the command and its options
 *
 * Returns: the exit status
 */
int
coop_cli_run (int    argc,
              char **argv)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, argv[0]) == 0)
      {
        g_autofree char *prgname = g_strconcat ("coopdesk ", argv[0], NULL);

        g_set_prgname (prgname);
        return commands[i].run (argc, argv);
      }

  if (g_strcmp0 (argv[0], "help") != 0)
    g_printerr (_("coopdesk: “%s” is not a command.\n\n"), argv[0]);

  g_print (_("Usage:\n  coopdesk [--database=FILE]       open the window\n"
             "  coopdesk COMMAND [OPTION…]       run a command without a window\n\n"
             "Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-16s %s\n", commands[i].name, _(commands[i].summary));
  g_print (_("\nRun “coopdesk COMMAND --help” for the options of a command.\n"));

  return g_strcmp0 (argv[0], "help") == 0 ? 0 : 2;
}
