/* coop-connect.c — "Connect to Shared Database…"
 *
 * Asks for the server, the database, the user and the password of a
 * ledger on PostgreSQL, then opens it in place of the one open.  The
 * password goes to the server and, with "Remember Password" on, to the
 * user's keyring (coop-keyring.c) once the server took it; it is never
 * written to the settings, a log or the change log (the address kept in
 * the settings has none).  With the switch off a remembered password is
 * forgotten, and the password is asked for again next time unless
 * ~/.pgpass holds it.  The same dialog comes back, filled in, when the
 * server refuses the password.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-connect"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "coop-application.h"
#include "coop-connect.h"
#include "coop-store.h"

typedef struct
{
  AdwEntryRow         *host;
  AdwEntryRow         *port;
  AdwEntryRow         *database;
  AdwEntryRow         *user;
  AdwPasswordEntryRow *password;
  GtkSwitch           *remember;
} ConnectForm;

/* ------------------------------------------------------------------ helpers */

static const char *
text_of (gpointer row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static AdwEntryRow *
add_row (GtkListBox *list,
         GtkWidget  *row,
         const char *title,
         const char *text)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_list_box_append (list, row);
  return ADW_ENTRY_ROW (row);
}

static void
update_can_connect (AdwMessageDialog *dialog)
{
  ConnectForm *form = g_object_get_data (G_OBJECT (dialog), "coop-connect-form");
  g_autofree char *host = g_strstrip (g_strdup (text_of (form->host)));
  g_autofree char *database = g_strstrip (g_strdup (text_of (form->database)));
  const char *port = text_of (form->port);
  gboolean port_ok = strlen (port) <= 5;

  for (const char *p = port; *p != '\0'; p++)
    port_ok = port_ok && g_ascii_isdigit (*p);

  adw_message_dialog_set_response_enabled (dialog, "connect",
                                           *host != '\0' && *database != '\0' && port_ok);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_field_changed_cb (GtkEditable      *editable,
                     AdwMessageDialog *dialog)
{
  update_can_connect (dialog);
}

/* libadwaita 1.2 warns of an invalid cast to GtkEditable when a window is
 * destroyed with the focus in an entry row, as it is after a password was
 * typed: the focus leaves before, however the dialog goes. */
static void
on_unmap_cb (GtkWindow *dialog)
{
  gtk_window_set_focus (dialog, NULL);
}

static void
on_response_cb (AdwMessageDialog *dialog,
                const char       *response,
                gpointer          user_data)
{
  ConnectForm *form = g_object_get_data (G_OBJECT (dialog), "coop-connect-form");
  GApplication *application = g_application_get_default ();
  g_autofree char *uri = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (g_strcmp0 (response, "connect") != 0 || !COOP_IS_APPLICATION (application))
    return;

  uri = coop_connect_build_uri (text_of (form->host), text_of (form->port),
                                text_of (form->database), text_of (form->user));
  settings = g_settings_new (APP_ID);
  g_settings_set_string (settings, "database", uri);
  coop_application_connect (COOP_APPLICATION (application), uri, text_of (form->password),
                            gtk_switch_get_active (form->remember));
}

/* ------------------------------------------------------------------ public */

/**
 * coop_connect_build_uri:
 * @host: the server's name or address
 * @port: (nullable): its port, empty for PostgreSQL's own
 * @database: the database's name
 * @user: (nullable): the role, empty for the login name
 *
 * Returns: (transfer full): postgresql://[USER@]HOST[:PORT]/DATABASE, each
 *   part escaped, without a password
 */
char *
coop_connect_build_uri (const char *host,
                        const char *port,
                        const char *database,
                        const char *user)
{
  g_autofree char *h = g_strstrip (g_strdup (host));
  g_autofree char *p = g_strstrip (g_strdup (port ? port : ""));
  g_autofree char *d = g_strstrip (g_strdup (database));
  g_autofree char *u = g_strstrip (g_strdup (user ? user : ""));
  g_autofree char *host_part = NULL;
  g_autofree char *user_part = NULL;
  g_autofree char *database_part = NULL;
  g_autofree char *path = NULL;

  /* An IPv6 address is written in brackets. */
  host_part = strchr (h, ':') != NULL ? g_strdup_printf ("[%s]", h)
                                      : g_uri_escape_string (h, NULL, FALSE);
  user_part = *u != '\0' ? g_uri_escape_string (u, NULL, FALSE) : NULL;
  database_part = g_uri_escape_string (d, NULL, FALSE);
  path = g_strconcat ("/", database_part, NULL);

  return g_uri_join (G_URI_FLAGS_ENCODED, "postgresql", user_part, host_part,
                     *p != '\0' ? atoi (p) : -1, path, NULL, NULL);
}

/**
 * coop_connect_dialog_new:
 * @parent: the window it belongs to
 * @current: (nullable): the database open now, whose server is offered
 * @problem: (nullable): why the dialog is shown again, such as the
 *   server's refusal of the password, said in place of the explanation
 *
 * Returns: (transfer none): the dialog, not shown yet; it connects when the
 *   user says so and closes itself
 */
AdwMessageDialog *
coop_connect_dialog_new (GtkWindow  *parent,
                         const char *current,
                         const char *problem)
{
  AdwMessageDialog *dialog;
  ConnectForm *form = g_new0 (ConnectForm, 1);
  GtkListBox *list = GTK_LIST_BOX (gtk_list_box_new ());
  GtkWidget *remember_row;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *port = NULL;
  const char *path = NULL;

  if (current != NULL && coop_store_location_is_server (current))
    uri = g_uri_parse (current, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri != NULL && g_uri_get_port (uri) > 0)
    port = g_strdup_printf ("%d", g_uri_get_port (uri));
  if (uri != NULL && g_uri_get_path (uri)[0] == '/')
    path = g_uri_get_path (uri) + 1;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    parent, _("Connect to Shared Database"),
    problem != NULL ? problem
    : _("An office that shares one ledger keeps it on a PostgreSQL server. With Remember "
        "Password on, the password is kept in your keyring; otherwise it is asked for again, "
        "unless ~/.pgpass holds it.")));

  gtk_list_box_set_selection_mode (list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
  form->host = add_row (list, adw_entry_row_new (), _("Server"),
                        uri ? g_uri_get_host (uri) : NULL);
  form->port = add_row (list, adw_entry_row_new (), _("Port (empty for 5432)"), port);
  form->database = add_row (list, adw_entry_row_new (), _("Database"), path);
  form->user = add_row (list, adw_entry_row_new (), _("User"),
                        uri && g_uri_get_user (uri) ? g_uri_get_user (uri) : g_get_user_name ());
  form->password = ADW_PASSWORD_ENTRY_ROW (add_row (list, adw_password_entry_row_new (),
                                                    _("Password"), NULL));

  /* On unless the user says otherwise, so that connecting again with the
   * password left empty never forgets the one remembered. */
  form->remember = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (form->remember, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (form->remember), GTK_ALIGN_CENTER);
  remember_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remember_row), _("Remember Password"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (remember_row),
                               _("In your keyring, unlocked when you log in"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (remember_row), GTK_WIDGET (form->remember));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (remember_row),
                                         GTK_WIDGET (form->remember));
  gtk_list_box_append (list, remember_row);

  adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (list));
  g_object_set_data_full (G_OBJECT (dialog), "coop-connect-form", form, g_free);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "connect", _("C_onnect"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect (form->host, "changed", G_CALLBACK (on_field_changed_cb), dialog);
  g_signal_connect (form->port, "changed", G_CALLBACK (on_field_changed_cb), dialog);
  g_signal_connect (form->database, "changed", G_CALLBACK (on_field_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_response_cb), NULL);
  g_signal_connect (dialog, "unmap", G_CALLBACK (on_unmap_cb), NULL);
  update_can_connect (dialog);

  /* Refused, the password is what the user has to type again. */
  if (problem != NULL)
    gtk_window_set_focus (GTK_WINDOW (dialog), GTK_WIDGET (form->password));

  return dialog;
}
