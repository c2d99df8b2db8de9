/* test-ui-keyring.c — a shared database's password in the keyring, under Xvfb
 *
 * Runs under pg_virtualenv and keyring-session.sh (see meson.build): a
 * throwaway PostgreSQL cluster, whose connections over TCP want a password
 * (scram-sha-256), and a throwaway GNOME Keyring on a private bus.  The
 * application itself opens the database, as from the Connect dialog, the
 * recent list or the start-up setting.  With COOP_TEST_NO_KEYRING=1 the bus
 * has no Secret Service: connecting still works and a toast says the
 * password could not be remembered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libpq-fe.h>
#include <string.h>

#include "coop-application.h"
#include "coop-connect.h"
#include "coop-editor.h"
#include "coop-keyring.h"
#include "coop-list-page.h"
#include "coop-partner.h"
#include "coop-store.h"
#include "coop-test-ui.h"
#include "coop-window.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define ROLE "coop_secretary"
#define DATABASE "coop_keyring"
#define PASSWORD "Pa&ss=1 密"
#define CHANGED "changed-2"
#define MOVED "moved-3"

static char *admin_conninfo;

/* ------------------------------------------------------------------ helpers */

static void
admin (const char *sql)
{
  g_autoptr(PGconn) conn = PQconnectdb (admin_conninfo);
  g_autoptr(PGresult) result = NULL;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
}

/* The address the dialog builds for the test's database, without a
 * password. */
static char *
database_uri (void)
{
  return g_strdup_printf ("postgresql://" ROLE "@localhost:%s/" DATABASE, g_getenv ("PGPORT"));
}

static char *
remembered_password (void)
{
  g_autofree char *uri = database_uri ();
  g_autoptr(GHashTable) attributes = coop_keyring_dup_attributes (uri);
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookupv_sync (coop_keyring_get_schema (), attributes, NULL,
                                                 &error);

  return password;
}

typedef struct {
  const char *password;
} Remembered;

static gboolean
keyring_holds (gpointer data)
{
  Remembered *remembered = data;
  g_autofree char *password = remembered_password ();

  return g_strcmp0 (password, remembered->password) == 0;
}

typedef struct {
  CoopWindow *before;
  CoopWindow *found;
} Opened;

/* A window on a store, other than @before, whose lists are loaded. */
static gboolean
window_opened (gpointer data)
{
  Opened *opened = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (COOP_IS_WINDOW (window) && COOP_WINDOW (window) != opened->before &&
          gtk_widget_get_visible (window) && coop_window_get_store (COOP_WINDOW (window)) != NULL &&
          coop_window_get_loaded (COOP_WINDOW (window)))
        {
          opened->found = COOP_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

static CoopWindow *
wait_for_window (CoopWindow *before)
{
  Opened opened = { before, NULL };

  coop_test_wait_for (window_opened, &opened);
  coop_test_drain ();
  return opened.found;
}

static gboolean
connect_dialog_shown (gpointer data)
{
  AdwMessageDialog **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                     "Connect to Shared Database") == 0)
        {
          *dialog = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

static AdwMessageDialog *
wait_for_connect_dialog (void)
{
  AdwMessageDialog *dialog = NULL;

  coop_test_wait_for (connect_dialog_shown, &dialog);
  return dialog;
}

/* The dialog's rows, in order: server, port, database, user, password,
 * then the row of the Remember Password switch. */
static GtkWidget *
row (AdwMessageDialog *dialog,
     guint             n)
{
  GtkWidget *child = gtk_widget_get_first_child (adw_message_dialog_get_extra_child (dialog));

  while (n-- > 0)
    child = gtk_widget_get_next_sibling (child);
  return child;
}

static const char *
row_text (AdwMessageDialog *dialog,
          guint             n)
{
  return gtk_editable_get_text (GTK_EDITABLE (row (dialog, n)));
}

/* As a click on the button does: the response, then the dialog closes. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  coop_test_drain ();
}

static void
fill_and_connect (AdwMessageDialog *dialog,
                  const char       *password,
                  gboolean          remember)
{
  GtkSwitch *remember_switch = GTK_SWITCH (coop_test_find_type (row (dialog, 5),
                                                                GTK_TYPE_SWITCH));

  gtk_editable_set_text (GTK_EDITABLE (row (dialog, 0)), "localhost");
  gtk_editable_set_text (GTK_EDITABLE (row (dialog, 1)), g_getenv ("PGPORT"));
  gtk_editable_set_text (GTK_EDITABLE (row (dialog, 2)), DATABASE);
  gtk_editable_set_text (GTK_EDITABLE (row (dialog, 3)), ROLE);
  gtk_editable_set_text (GTK_EDITABLE (row (dialog, 4)), password);
  gtk_switch_set_active (remember_switch, remember);
  /* Where the user typed last. */
  gtk_widget_grab_focus (row (dialog, 4));
  coop_test_drain ();
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "connect"));
  respond (dialog, "connect");
}

/* Nothing the user can read, nor the settings, holds the password. */
static void
assert_no_password (CoopWindow *window)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *uri = database_uri ();
  g_autofree char *database = g_settings_get_string (settings, "database");
  g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-databases");
  g_autofree char *shown = coop_store_dup_display_name (coop_window_get_store (window));
  const char *title = gtk_window_get_title (GTK_WINDOW (window));

  g_assert_cmpstr (database, ==, uri);
  g_assert_nonnull (recent[0]);
  g_assert_cmpstr (recent[0], ==, uri);
  for (guint i = 0; recent[i] != NULL; i++)
    g_assert_null (strstr (recent[i], "password"));
  g_assert_cmpstr (shown, ==, uri);
  g_assert_true (title == NULL || (strstr (title, "Pa&ss") == NULL &&
                                   strstr (title, CHANGED) == NULL));
}

/* The toast on screen: the overlay's "toast" child that still takes
 * clicks, or %NULL. */
static GtkWidget *
shown_toast (CoopWindow *window)
{
  GtkWidget *overlay = coop_test_find_type (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);

  for (GtkWidget *child = overlay ? gtk_widget_get_first_child (overlay) : NULL; child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "toast") &&
        gtk_widget_get_can_target (child))
      return child;
  return NULL;
}

static gboolean
toast_shown (gpointer data)
{
  return shown_toast (data) != NULL;
}

static const char *
shown_toast_title (CoopWindow *window)
{
  GtkWidget *toast = shown_toast (window);
  GtkWidget *label = toast ? coop_test_find_type (toast, GTK_TYPE_LABEL) : NULL;

  return label ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  const char *folder = g_getenv ("COOP_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;

  if (folder == NULL)
    return;
  coop_test_wait_ms (300);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  path = g_build_filename (folder, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

static void
close_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (GTK_WINDOW (window));
    }
  coop_test_drain ();
}

/* ------------------------------------------------------------------ tests */

/* Connect with Remember Password on: the password goes to the keyring,
 * not the settings; the recent list's address opens through the keyring;
 * a remembered password the server refuses brings the dialog back, filled
 * in, and is not tried again; turning the switch off forgets it. */
static void
test_remember (void)
{
  CoopApplication *application = COOP_APPLICATION (g_application_get_default ());
  g_autofree char *uri = database_uri ();
  g_autofree char *password = NULL;
  AdwMessageDialog *dialog;
  CoopWindow *window;
  Remembered remembered;

  g_assert_null (remembered_password ());
  dialog = coop_connect_dialog_new (NULL, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  coop_test_drain ();
  save_png (GTK_WIDGET (dialog), "connect.png");
  fill_and_connect (dialog, PASSWORD, TRUE);

  window = wait_for_window (NULL);
  remembered = (Remembered) { PASSWORD };
  coop_test_wait_for (keyring_holds, &remembered);
  assert_no_password (window);

  /* Opened again from the recent list, with no password in PGPASSWORD or
   * ~/.pgpass: only the keyring has it. */
  coop_application_open_database (application, uri);
  window = wait_for_window (window);
  g_assert_false (connect_dialog_shown (&dialog));
  assert_no_password (window);

  /* The password changes on the server: the remembered one is refused,
   * and the user is asked for the new one, the rest filled in. */
  admin ("ALTER ROLE " ROLE " PASSWORD '" CHANGED "'");
  coop_application_open_database (application, uri);
  dialog = wait_for_connect_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The server refused the password remembered in your keyring. Type the "
                   "password again.");
  g_assert_cmpstr (row_text (dialog, 0), ==, "localhost");
  g_assert_cmpstr (row_text (dialog, 1), ==, g_getenv ("PGPORT"));
  g_assert_cmpstr (row_text (dialog, 2), ==, DATABASE);
  g_assert_cmpstr (row_text (dialog, 3), ==, ROLE);
  g_assert_cmpstr (row_text (dialog, 4), ==, "");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (coop_test_find_type (row (dialog, 5),
                                                                         GTK_TYPE_SWITCH))));
  save_png (GTK_WIDGET (dialog), "connect-refused.png");
  /* The window on the database open before stays. */
  g_assert_true (coop_window_get_store (window) != NULL);
  respond (dialog, "cancel");

  /* Not tried again: this time the server is asked without a password. */
  coop_application_open_database (application, uri);
  dialog = wait_for_connect_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "wants a password"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), ROLE));
  fill_and_connect (dialog, CHANGED, TRUE);
  window = wait_for_window (window);
  remembered = (Remembered) { CHANGED };
  coop_test_wait_for (keyring_holds, &remembered);
  assert_no_password (window);

  /* Remembered again, it is used again. */
  coop_application_open_database (application, uri);
  window = wait_for_window (window);

  /* At start-up the address in the settings opens through the keyring
   * too. */
  {
    g_autoptr(CoopApplication) started = coop_application_new ();
    CoopWindow *first;

    /* A second instance in this process, under a name of its own on the
     * bus, where the first has its actions. */
    g_application_set_application_id (G_APPLICATION (started), APP_ID ".Started");
    g_application_set_flags (G_APPLICATION (started), G_APPLICATION_NON_UNIQUE);
    g_assert_true (g_application_register (G_APPLICATION (started), NULL, NULL));
    g_application_activate (G_APPLICATION (started));
    first = wait_for_window (window);
    g_assert_true (gtk_window_get_application (GTK_WINDOW (first)) ==
                   GTK_APPLICATION (started));
    g_assert_false (connect_dialog_shown (&dialog));
    gtk_window_destroy (GTK_WINDOW (first));
    coop_test_drain ();
  }

  /* Switched off, the password is forgotten; the connection is made all
   * the same. */
  dialog = coop_connect_dialog_new (GTK_WINDOW (window), uri, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  coop_test_drain ();
  fill_and_connect (dialog, CHANGED, FALSE);
  window = wait_for_window (window);
  remembered = (Remembered) { NULL };
  coop_test_wait_for (keyring_holds, &remembered);
  password = remembered_password ();
  g_assert_null (password);
  assert_no_password (window);

  close_windows ();
}

/* Without a keyring: the connection is made, a toast says the password
 * could not be remembered, and a later open simply finds none. */
static void
test_no_keyring (void)
{
  CoopApplication *application = COOP_APPLICATION (g_application_get_default ());
  g_autofree char *uri = database_uri ();
  AdwMessageDialog *dialog;
  CoopWindow *window;
  const char *toast;

  dialog = coop_connect_dialog_new (NULL, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  coop_test_drain ();
  fill_and_connect (dialog, PASSWORD, TRUE);
  window = wait_for_window (NULL);
  coop_test_wait_for (toast_shown, window);
  toast = shown_toast_title (window);
  g_assert_cmpstr (toast, ==, "Could not remember the password: there is no keyring to keep it "
                             "in");
  g_assert_null (strstr (toast, "Pa&ss"));
  save_png (GTK_WIDGET (window), "no-keyring.png");
  assert_no_password (window);

  coop_application_open_database (application, uri);
  dialog = wait_for_connect_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "wants a password"));
  g_assert_cmpstr (row_text (dialog, 2), ==, DATABASE);
  respond (dialog, "cancel");
  g_assert_true (coop_window_get_store (window) != NULL);

  close_windows ();
}

static gboolean
store_connected (gpointer data)
{
  return coop_store_get_connected (data);
}

/* The password changes on the server while the window is open and the
 * connection drops: the Connect dialog asks for the new one, filled in, and
 * with it the same window and its open editor go on, what was typed kept.
 * Runs before test_remember, whose second application keeps its store on
 * the database open, and leaves the role's password and the keyring as it
 * found them. */
static void
test_password_changed (void)
{
  g_autofree char *uri = database_uri ();
  g_autofree char *with_password = NULL;
  g_autofree char *kill = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) setup = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  AdwMessageDialog *dialog;
  CoopWindow *window;
  CoopStore *store;
  CoopEditor *editor;
  CoopListPage *page;
  Remembered remembered;
  gint64 id;

  with_password = coop_keyring_add_password (uri, PASSWORD);
  setup = coop_store_open (with_password, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_partner_set_name (partner, "奇利影视");
  g_assert_true (coop_store_save (setup, COOP_RECORD (partner), &error));
  id = coop_record_get_id (COOP_RECORD (partner));
  g_clear_object (&setup);

  dialog = coop_connect_dialog_new (NULL, NULL, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  coop_test_drain ();
  fill_and_connect (dialog, PASSWORD, TRUE);
  window = wait_for_window (NULL);
  store = coop_window_get_store (window);
  remembered = (Remembered) { PASSWORD };
  coop_test_wait_for (keyring_holds, &remembered);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "partners");
  coop_test_drain ();
  page = coop_window_get_list_page (window, "partners");
  g_assert_true (coop_list_page_select_record (page, id));
  coop_test_drain ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-record", NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (window);
  g_assert_nonnull (editor);
  g_assert_true (coop_editor_set_field_text (editor, "short-name", "奇利"));
  g_assert_true (coop_editor_get_modified (editor));

  admin ("ALTER ROLE " ROLE " PASSWORD '" MOVED "'");
  kill = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                          " WHERE datname = '%s' AND pid <> pg_backend_pid ()", DATABASE);
  {
    g_autoptr(PGconn) conn = PQconnectdb (admin_conninfo);
    g_autoptr(PGresult) result = PQexec (conn, kill);

    g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  }

  dialog = wait_for_connect_dialog ();
  g_assert_true (coop_store_get_password_refused (store));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "The server refused the password when Coopdesk reconnected; it may have been "
                   "changed. Type the new password: what you typed in the open windows is kept.");
  g_assert_cmpstr (row_text (dialog, 0), ==, "localhost");
  g_assert_cmpstr (row_text (dialog, 1), ==, g_getenv ("PGPORT"));
  g_assert_cmpstr (row_text (dialog, 2), ==, DATABASE);
  g_assert_cmpstr (row_text (dialog, 3), ==, ROLE);
  g_assert_cmpstr (row_text (dialog, 4), ==, "");
  save_png (GTK_WIDGET (dialog), "reconnect-refused.png");

  /* A wrong one brings the dialog back; the window stays. */
  fill_and_connect (dialog, "wrong-4", TRUE);
  dialog = wait_for_connect_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "refused the password"));
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "wrong-4"));
  g_assert_true (coop_window_get_store (window) == store);

  fill_and_connect (dialog, MOVED, TRUE);
  coop_test_wait_for (store_connected, store);
  g_assert_false (coop_store_get_password_refused (store));
  g_assert_false (connect_dialog_shown (&dialog));
  remembered = (Remembered) { MOVED };
  coop_test_wait_for (keyring_holds, &remembered);

  /* The same window, store and editor, with what was typed. */
  g_assert_true (coop_window_get_store (window) == store);
  g_assert_true (coop_window_get_editor (window) == editor);
  g_assert_true (coop_editor_get_modified (editor));
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (coop_editor_get_record (editor))),
                   ==, "奇利");
  assert_no_password (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  coop_test_drain ();
  g_assert_cmpstr (coop_partner_get_short_name (COOP_PARTNER (coop_store_find (store,
                                                                               COOP_TYPE_PARTNER,
                                                                               id))),
                   ==, "奇利");

  close_windows ();
  admin ("ALTER ROLE " ROLE " PASSWORD '" PASSWORD "'");
  {
    g_autoptr(GHashTable) attributes = coop_keyring_dup_attributes (uri);

    secret_password_clearv_sync (coop_keyring_get_schema (), attributes, NULL, &error);
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CoopApplication) application = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *create = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (g_getenv ("PGHOST") == NULL)
    g_error ("Run this test under pg_virtualenv, which starts the server it needs.");

  /* The cluster's superuser sets up; the application knows no password
   * but the keyring's and the one typed. */
  admin_conninfo = g_strdup_printf ("dbname=postgres password=%s", g_getenv ("PGPASSWORD"));
  g_unsetenv ("PGPASSWORD");
  admin ("CREATE ROLE " ROLE " LOGIN PASSWORD '" PASSWORD "'");
  admin ("CREATE DATABASE " DATABASE " OWNER " ROLE);

  application = coop_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  g_application_set_default (G_APPLICATION (application));

  if (g_strcmp0 (g_getenv ("COOP_TEST_NO_KEYRING"), "1") == 0)
    g_test_add_func ("/ui-keyring/none", test_no_keyring);
  else
    {
      g_test_add_func ("/ui-keyring/password-changed", test_password_changed);
      g_test_add_func ("/ui-keyring/remember", test_remember);
    }
  return g_test_run ();
}
