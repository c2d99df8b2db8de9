/* coop-cli-due.c — `coopdesk due` and `coopdesk remind`: what is due, without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-cli.h"
#include "coop-due.h"
#include "coop-store.h"

/* The warning window of the preferences, or their default where the
 * settings schema is not installed (a build tree). */
static guint
warning_days (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL
                                      ? g_settings_schema_source_lookup (source, APP_ID, TRUE)
                                      : NULL;
  g_autoptr(GSettings) settings = NULL;

  if (schema == NULL)
    return 90;
  settings = g_settings_new (APP_ID);
  return g_settings_get_uint (settings, "expiry-warning-days");
}

/* Parses the options both commands share and reads what is due. */
static int
read_due (int          argc,
          char       **argv,
          const char  *summary,
          GPtrArray  **items)
{
  g_autofree char *database = NULL;
  int days = -1;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database file or server to read"), N_("FILE") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days,
      N_("Warn of agreements ending within this many days (default: the preference)"),
      N_("DAYS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *today = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return coop_cli_usage_error (context, error->message);
  if (argc > 1)
    return coop_cli_usage_error (context, _("Unexpected argument; use --database=FILE."));
  if (days == 0 || days > 730)
    return coop_cli_usage_error (context, _("The days are a number from 1 to 730."));
  if (days < 0)
    days = (int) warning_days ();
  if (database == NULL)
    database = coop_cli_default_database ();

  store = coop_cli_open_store (database, COOP_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !coop_store_load_all (store, NULL, &error))
    {
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  today = coop_due_today ();
  *items = coop_due_list (store, today, (guint) days);
  return 0;
}

/**
 * coop_cli_due:
 *
 * Prints what is due, one line each, the most pressing first: the date it
 * is about, then what is due.  Nothing is printed when nothing is due.
 */
int
coop_cli_due (int    argc,
              char **argv)
{
  g_autoptr(GPtrArray) items = NULL;
  int status;

  status = read_due (argc, argv, _("Print what is due: agreements ending or ended, follow-ups, "
                                   "pools closing and offers without an answer. The database "
                                   "is opened read-only."), &items);
  if (status != 0)
    return status;

  for (guint i = 0; i < items->len; i++)
    {
      CoopDueItem *item = g_ptr_array_index (items, i);
      g_autofree char *text = coop_due_item_dup_text (item);

      g_print ("%s  %s\n", item->date, text);
    }
  return 0;
}

/**
 * coop_cli_remind:
 *
 * Shows what is due as desktop notifications, as the window does when it
 * opens, and exits.  Run at login by the autostart entry the preferences
 * write.
 */
int
coop_cli_remind (int    argc,
                 char **argv)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GApplication) application = NULL;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus;
  int status;

  status = read_due (argc, argv, _("Show what is due as desktop notifications, without a "
                                   "window. The database is opened read-only."), &items);
  if (status != 0)
    return status;
  if (items->len == 0)
    return 0;

  /* Beside a running Coopdesk, not in its place. */
  application = g_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("coopdesk: %s\n", error->message);
      return 1;
    }

  /* Without a session bus GApplication registers all the same, and a
   * notification would have nowhere to go. */
  bus = g_application_get_dbus_connection (application);
  if (bus != NULL)
    coop_due_send_notifications (application, items);
  if (bus == NULL || !g_dbus_connection_flush_sync (bus, NULL, &error))
    {
      g_printerr (_("coopdesk: Could not show the notifications: %s\n"),
                  error != NULL ? error->message : _("there is no session bus"));
      return 1;
    }
  return 0;
}
