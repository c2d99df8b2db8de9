/* coop-cli-import.c — `coopdesk import-students`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-cli.h"
#include "coop-error.h"
#include "coop-import.h"
#include "coop-pool.h"
#include "coop-store.h"

static int
import_usage_error (GOptionContext *context,
                    const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("coopdesk: %s\n\n%s", message, help);
  return 2;
}

static void
print_table (const CoopImportTable *table,
             const int             *columns)
{
  if (table->encoding != NULL)
    g_print (_("Encoding: %s\n"), table->encoding);
  if (table->sheet != NULL)
    g_print (_("Sheet: %s\n"), table->sheet);

  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    if (columns[f] >= 0)
      g_print (_("Column “%s” → %s\n"), table->header[columns[f]],
               coop_import_field_label (f));
}

/* Prints each row's problems and keeps the numbers of the rows that have
 * them, for the summary. */
static void
print_row (const CoopImportRow *row,
           gpointer             user_data)
{
  GArray *error_rows = user_data;
  g_autofree char *problems = coop_import_row_describe (row);

  if (problems == NULL)
    return;
  g_print ("%s\n", problems);
  g_array_append_val (error_rows, row->row);
}

/* "3–5, 9": the rows, ascending, with runs joined; a long list is cut. */
static char *
describe_rows (GArray *rows)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_runs = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      guint first = g_array_index (rows, guint, i);
      guint last = first;

      while (i + 1 < rows->len && g_array_index (rows, guint, i + 1) == last + 1)
        last = g_array_index (rows, guint, ++i);

      if (n_runs++ == 20)
        {
          g_string_append (text, ", …");
          break;
        }
      g_string_append_printf (text, n_runs > 1 ? ", %u" : "%u", first);
      if (last > first)
        g_string_append_printf (text, "–%u", last);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* One line in the same form whatever happened: the numbers, then which
 * rows are skipped for their errors. */
static void
print_report (const char             *prefix,
              const CoopImportResult *result,
              GArray                 *error_rows)
{
  g_autofree char *report = coop_import_result_describe (result);

  if (error_rows->len > 0)
    {
      g_autofree char *rows = describe_rows (error_rows);

      /* TRANSLATORS: "1 added, …, 7 skipped with errors (rows 3–9)" */
      g_print (g_dngettext (GETTEXT_PACKAGE, "%s%s (row %s)\n", "%s%s (rows %s)\n",
                            error_rows->len),
               prefix, report, rows);
    }
  else
    g_print ("%s%s\n", prefix, report);
}

/**
 * coop_cli_import_students:
 * @argc: the number of arguments
 * @argv: (array length=argc): "import-students", then options and the file
 *
 * Imports students from a CSV or XLSX file, or with --dry-run only checks
 * them, and prints what it did.
 *
 * Returns: 0 when imported (or, with --dry-run, importable), 1 when rows
 *   with errors or a failure blocked it, 2 for a wrong command line
 */
int
coop_cli_import_students (int    argc,
                          char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *sheet = NULL;
  gboolean dry_run = FALSE;
  gboolean valid_only = FALSE;
  gboolean skip_existing = FALSE;
  gint64 pool_id = 0;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database to import into"), N_("FILE") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the file and report, but store nothing"), NULL },
    { "encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding,
      N_("The encoding of a CSV file (default: detected)"), N_("NAME") },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &sheet,
      N_("The sheet of a workbook to read (default: the first)"), N_("NAME") },
    { "valid-only", 0, 0, G_OPTION_ARG_NONE, &valid_only,
      N_("Import the valid rows and skip those with errors"), NULL },
    { "skip-existing", 0, 0, G_OPTION_ARG_NONE, &skip_existing,
      N_("Leave students already stored as they are"), NULL },
    { "pool", 0, 0, G_OPTION_ARG_INT64, &pool_id,
      N_("Add the imported students to this recommendation pool"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(GArray) error_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  CoopImportOptions options = { 0 };
  CoopImportResult result = { 0 };
  int columns[COOP_IMPORT_N_FIELDS];

  g_option_context_set_summary (context,
                                _("Import students from a CSV or XLSX file in one transaction. "
                                  "Nothing is stored while a row has an error, unless "
                                  "--valid-only is given."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return import_usage_error (context, error->message);

  if (argc != 2)
    return import_usage_error (context, _("Name one CSV or XLSX file to import."));
  if (pool_id < 0)
    return import_usage_error (context, _("The pool is given by its id, a positive number."));
  if (database == NULL)
    database = coop_cli_default_database ();

  /* A text file is read a chunk at a time, its rows split as they are
   * checked and stored, not kept: memory does not grow with the file. */
  table = coop_import_table_open (argv[1], encoding, sheet, &error);
  if (table == NULL)
    {
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  /* A dry run checks a file against a database that need not exist yet. */
  if (!dry_run || g_file_test (database, G_FILE_TEST_EXISTS))
    {
      store = coop_cli_open_store (database, dry_run ? COOP_STORE_OPEN_READ_ONLY
                                                 : COOP_STORE_OPEN_DEFAULT, &error);
      if (store == NULL)
        {
          g_printerr ("coopdesk: %s\n", error->message);
          return 1;
        }
    }

  existing = coop_import_existing_new (store, &error);
  if (existing == NULL)
    {
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  coop_import_guess_mapping (table, NULL, columns);
  print_table (table, columns);

  if (pool_id > 0 && store != NULL)
    {
      g_autoptr(GError) pool_error = NULL;
      g_autoptr(CoopRecord) pool = coop_store_read (store, COOP_TYPE_POOL, pool_id, &pool_error);

      if (pool == NULL)
        {
          g_printerr (_("coopdesk: there is no recommendation pool %lld\n"),
                      (long long) pool_id);
          return 1;
        }
    }

  options.update_existing = !skip_existing;
  options.valid_only = valid_only;
  options.pool_id = pool_id;

  if (!coop_import_run (table, columns, existing, dry_run ? NULL : store, &options,
                        print_row, error_rows, &result, &error))
    {
      /* With rows that have errors, say what --valid-only would do. */
      if (g_error_matches (error, COOP_ERROR, COOP_ERROR_VALIDATION) && error_rows->len > 0)
        print_report (_("With --valid-only: "), &result, error_rows);
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  print_report (dry_run ? _("Dry run, nothing stored: ") : "", &result, error_rows);
  return 0;
}
