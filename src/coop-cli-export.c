/* coop-cli-export.c — `coopdesk export-summary`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "coop-cli.h"
#include "coop-error.h"
#include "coop-export.h"
#include "coop-store.h"

static int
export_usage_error (GOptionContext *context,
                    const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("coopdesk: %s\n\n%s", message, help);
  return 2;
}

/* libxlsxwriter prints its own lines on stderr ("[ERROR] workbook_close(): …")
 * for a failure the command then reports in one sentence of its own.  While
 * the workbook is written, stderr goes to a memory file; afterwards every
 * other line is passed on, and libxlsxwriter's go to the debug log.  Only the
 * command line does this: it writes the workbook on its one thread. */
typedef struct {
  int terminal;  /* the saved stderr, or -1 when it is not held */
  int held;
} HeldStderr;

static void
held_stderr_begin (HeldStderr *held)
{
  held->terminal = -1;
  held->held = memfd_create ("coopdesk-stderr", MFD_CLOEXEC);
  if (held->held < 0)
    return;

  fflush (stderr);
  held->terminal = dup (STDERR_FILENO);
  if (held->terminal < 0 || dup2 (held->held, STDERR_FILENO) < 0)
    {
      if (held->terminal >= 0)
        close (held->terminal);
      held->terminal = -1;
      close (held->held);
    }
}

static void
held_stderr_end (HeldStderr *held)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  ssize_t n;

  if (held->terminal < 0)
    return;

  fflush (stderr);
  dup2 (held->terminal, STDERR_FILENO);
  close (held->terminal);

  lseek (held->held, 0, SEEK_SET);
  while ((n = read (held->held, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);
  close (held->held);

  for (char *line = text->str, *end; *line != '\0'; line = end)
    {
      end = strchr (line, '\n');
      end = end != NULL ? end + 1 : line + strlen (line);
      if (g_str_has_prefix (line, "[ERROR]") || g_str_has_prefix (line, "[WARNING]"))
        g_debug ("libxlsxwriter: %.*s", (int) (end - line - (end[-1] == '\n')), line);
      else
        fwrite (line, 1, (size_t) (end - line), stderr);
    }
}

/**
 * coop_cli_export_summary:
 * @argc: the number of arguments
 * @argv: (array length=argc): "export-summary", then options (the output
 *   may also be given as the one argument)
 *
 * Writes the summary workbook of a database; no display is needed.  The
 * database is opened read-only.
 *
 * Returns: 0 when the workbook is written, 1 with a sentence on stderr when
 *   it could not be (a bad date, an unwritable folder, a full disk), 2 for a
 *   wrong command line
 */
int
coop_cli_export_summary (int    argc,
                         char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *output = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *year_text = NULL;
  g_autofree char *academic_text = NULL;
  gboolean mask = FALSE;
  CoopYearKind year_kind = COOP_YEAR_CALENDAR;
  int year = 0;
  int warning_days = COOP_EXPORT_DEFAULT_EXPIRY_WARNING_DAYS;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database to summarise"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The workbook to write (.xlsx); an existing file is replaced"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from,
      N_("Count events and candidates from this day on"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Count events and candidates up to this day"), N_("YYYY-MM-DD") },
    { "year", 0, 0, G_OPTION_ARG_STRING, &year_text,
      N_("Report this calendar year, which is then the period"), N_("YYYY") },
    { "academic-year", 0, 0, G_OPTION_ARG_STRING, &academic_text,
      N_("Report this academic year (September to August), which is then the period"),
      N_("YYYY-YYYY") },
    { "mask-personal", 'm', 0, G_OPTION_ARG_NONE, &mask,
      N_("Partly hide phones, e-mail addresses and student numbers"), NULL },
    { "warning-days", 'w', 0, G_OPTION_ARG_INT, &warning_days,
      N_("Agreements ending within this many days are flagged (90)"), N_("DAYS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  CoopSummaryOptions options;
  HeldStderr held;
  gboolean written;

  g_option_context_set_summary (context,
                                _("Write the summary workbook of a database: an overview with "
                                  "charts, the year per department, then partners, agreements, "
                                  "events and candidates."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return export_usage_error (context, error->message);

  if (argc == 2 && output == NULL)
    output = g_strdup (argv[1]);
  else if (argc > 1)
    return export_usage_error (context, _("Unexpected argument; use --output=FILE."));
  if (output == NULL)
    return export_usage_error (context, _("Say where to write the workbook with --output=FILE."));
  if (!g_str_has_suffix (output, ".xlsx") && !g_str_has_suffix (output, ".XLSX"))
    return export_usage_error (context,
                               _("The summary is an Excel workbook: give the output file a "
                                 "name ending in .xlsx."));
  if (warning_days < 1 || warning_days > 3650)
    return export_usage_error (context, _("The warning window is 1 to 3650 days."));
  if (year_text != NULL && academic_text != NULL)
    return export_usage_error (context, _("Give --year or --academic-year, not both."));
  if ((year_text != NULL || academic_text != NULL) && (from != NULL || to != NULL))
    return export_usage_error (context,
                               _("A year is the period: give it without --from and --to."));
  if (academic_text != NULL)
    year_kind = COOP_YEAR_ACADEMIC;
  if ((year_text != NULL || academic_text != NULL) &&
      !coop_year_parse (year_text != NULL ? year_text : academic_text, year_kind, &year, &error))
    return export_usage_error (context, error->message);
  if (database == NULL)
    database = coop_cli_default_database ();

  /* Past a file size limit a write then fails like on a full disk, and the
   * export says so and cleans up, instead of the process being killed. */
  signal (SIGXFSZ, SIG_IGN);

  store = coop_cli_open_store (database, COOP_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    {
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  options = (CoopSummaryOptions) {
    .from = from,
    .to = to,
    .mask_personal = mask,
    .expiry_warning_days = (guint) warning_days,
    .year_kind = year_kind,
    .year = year,
  };
  held_stderr_begin (&held);
  written = coop_export_summary (store, output, &options, NULL, &error);
  held_stderr_end (&held);
  if (!written)
    {
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  g_print (_("Summary written to %s\n"), output);
  return 0;
}
