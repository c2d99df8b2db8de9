/* test-remind.c — `coopdesk remind` shows what is due as notifications
 *
 * Runs on the suite's private session bus (dbus-run-session), where this
 * test takes the name of the desktop's notification service and records
 * what `coopdesk remind` sends it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "coop-test-util.h"
#include "coop-autostart.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-sample.h"
#include "coop-store.h"

static const char introspection[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct {
  GString *calls;
  gboolean owned;
} Server;

static void
on_method_call_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  Server *server = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    {
      const char *app_id, *id, *title = "", *body = "", *action = "";
      g_autoptr(GVariant) notification = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autofree char *target_text = NULL;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &notification);
      g_variant_lookup (notification, "title", "&s", &title);
      g_variant_lookup (notification, "body", "&s", &body);
      g_variant_lookup (notification, "default-action", "&s", &action);
      target = g_variant_lookup_value (notification, "default-action-target", NULL);
      target_text = target != NULL ? g_variant_print (target, FALSE) : g_strdup ("-");
      g_string_append_printf (server->calls, "%s %s | %s | %s | %s %s\n", app_id, id, title, body,
                              action, target_text);
    }
  else
    {
      const char *app_id, *id;

      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_string_append_printf (server->calls, "remove %s\n", id);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  ((Server *) user_data)->owned = TRUE;
}

static void
remind (const char *database)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *argument = g_strdup_printf ("--database=%s", database);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("COOPDESK"), "remind", argument, NULL);
  g_assert_no_error (error);
  /* The main loop runs meanwhile, and the server answers. */
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* The last calls may still be on their way to this side. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_remind (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (introspection, &error);
  GDBusInterfaceVTable vtable = { on_method_call_cb, NULL, NULL, { 0 } };
  g_autofree char *dir = g_dir_make_tmp ("coop-remind-XXXXXX", NULL);
  g_autofree char *database = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(CoopStore) store = NULL;
  Server server = { g_string_new (NULL), FALSE };
  guint owner, object;

  g_assert_no_error (error);
  g_setenv ("COOPDESK_TODAY", "2025-05-01", TRUE);
  store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (store, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  object = g_dbus_connection_register_object (bus, "/org/gtk/Notifications", node->interfaces[0],
                                              &vtable, &server, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                        on_name_acquired_cb, NULL, &server, NULL);
  while (!server.owned)
    g_main_context_iteration (NULL, TRUE);

  /* The demo on 2025-05-01: four things due, each its own notification
   * that opens its record. */
  remind (database);
  g_assert_cmpstr (server.calls->str, ==,
    APP_ID " due-candidate-3-offer | Offer unanswered | "
      "孙佳怡 has not answered the offer of 上海奇利影视科技有限公司 for 699 days | "
      "app.open-record ('CoopCandidate', 3)\n"
    APP_ID " due-event-1-follow-up | Follow-up due | "
      "Follow up “上海奇利影视科技有限公司实习就业推荐会”: due 686 days ago | "
      "app.open-record ('CoopEvent', 1)\n"
    APP_ID " due-agreement-4-lapsed | Agreement ended but still active | "
      "Employment base agreement with 深圳蓝鲸品牌设计有限公司 ended 20 days ago but is still "
      "marked active | app.open-record ('CoopAgreement', 4)\n"
    APP_ID " due-agreement-2-ending | Agreement ending | "
      "Internship base agreement with 杭州云帆广告传媒有限公司 ends in 45 days | "
      "app.open-record ('CoopAgreement', 2)\n"
    "remove due-more\n");

  /* `coopdesk due` prints the same, a line each. */
  {
    g_autofree char *command = g_strdup_printf ("%s due --database=%s", g_getenv ("COOPDESK"),
                                                database);
    g_autofree char *out = NULL;
    int status = -1;

    g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (out, ==,
      "2023-06-02  孙佳怡 has not answered the offer of 上海奇利影视科技有限公司 for 699 days\n"
      "2023-06-15  Follow up “上海奇利影视科技有限公司实习就业推荐会”: due 686 days ago\n"
      "2025-04-11  Employment base agreement with 深圳蓝鲸品牌设计有限公司 ended 20 days ago but "
      "is still marked active\n"
      "2025-06-15  Internship base agreement with 杭州云帆广告传媒有限公司 ends in 45 days\n");
  }

  /* Past five, the rest is one notification that opens the Overview. */
  store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CoopEvent) event = coop_event_new ();
      g_autofree char *title = g_strdup_printf ("回访 %u", i + 1);

      coop_event_set_title (event, title);
      coop_event_set_starts_at (event, "2025-04-01 09:00");
      coop_event_set_follow_up_on (event, "2025-04-30");
      g_assert_true (coop_store_save (store, COOP_RECORD (event), &error));
      g_assert_no_error (error);
    }
  g_clear_object (&store);

  g_string_truncate (server.calls, 0);
  remind (database);
  {
    g_auto(GStrv) lines = g_strsplit (server.calls->str, "\n", -1);

    /* Five of the seven, the oldest first, and one for the other two. */
    g_assert_cmpuint (g_strv_length (lines), ==, 7);
    g_assert_true (g_str_has_prefix (lines[0], APP_ID " due-candidate-3-offer |"));
    g_assert_true (g_str_has_prefix (lines[2], APP_ID " due-agreement-4-lapsed |"));
    g_assert_nonnull (strstr (lines[3], "| Follow-up due | Follow up “回访 1”: due 1 day ago | "
                                        "app.open-record ('CoopEvent', "));
    g_assert_nonnull (strstr (lines[4], "| Follow up “回访 2”: due 1 day ago |"));
    g_assert_cmpstr (lines[6], ==, "");
  }
  g_assert_true (g_str_has_suffix (server.calls->str,
                                   APP_ID " due-more | More is due | 2 more things are due | "
                                   "app.show-due -\n"));

  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (bus, object);
  g_string_free (server.calls, TRUE);
  coop_test_remove_tree (dir);
}

/* With nothing due, nothing is shown and nothing is registered. */
static void
test_nothing_due (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coop-remind-XXXXXX", NULL);
  g_autofree char *database = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(CoopStore) store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_autofree char *out = NULL;
  int status = -1;
  g_autofree char *command = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  command = g_strdup_printf ("%s due --database=%s", g_getenv ("COOPDESK"), database);
  g_assert_true (g_spawn_command_line_sync (command, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  coop_test_remove_tree (dir);
}

/* ------------------------------------------------------------------ portal */

static const char portal_introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

typedef struct {
  GString *calls;
  gboolean owned;
  guint32  response;   /* what the user answers: 0 yes, 1 cancelled */
} Portal;

/* Answers as xdg-desktop-portal does: the Request's path at once, then the
 * user's answer as that Request's Response signal. */
static void
on_portal_call_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *object_path,
                   const char            *interface_name,
                   const char            *method_name,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  Portal *portal = user_data;
  g_autoptr(GVariant) options = NULL;
  g_autofree char *commandline = NULL;
  g_autofree char *caller = g_strdup (sender + 1);
  g_autofree char *handle = NULL;
  g_autofree const char **command = NULL;
  const char *window, *token = "", *reason = "";
  gboolean autostart = FALSE;
  GVariantBuilder results;

  g_variant_get (parameters, "(&s@a{sv})", &window, &options);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_variant_lookup (options, "reason", "&s", &reason);
  g_variant_lookup (options, "autostart", "b", &autostart);
  if (g_variant_lookup (options, "commandline", "^a&s", &command))
    commandline = g_strjoinv (" ", (char **) command);
  g_string_append_printf (portal->calls, "window '%s' autostart %d: %s | %s\n", window, autostart,
                          commandline, reason);

  g_strdelimit (caller, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", caller, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&results, "{sv}", "autostart",
                         g_variant_new_boolean (autostart && portal->response == 0));
  g_dbus_connection_emit_signal (connection, sender, handle, "org.freedesktop.portal.Request",
                                 "Response", g_variant_new ("(ua{sv})", portal->response, &results),
                                 NULL);
}

static void
on_portal_acquired_cb (GDBusConnection *connection,
                       const char      *name,
                       gpointer         user_data)
{
  ((Portal *) user_data)->owned = TRUE;
}

static void
on_set_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
set_autostart (gboolean    enabled,
               const char *database,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  coop_autostart_set_async (enabled, database, NULL, on_set_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return coop_autostart_set_finish (result, error);
}

/* Where the session goes through the portals (in Flatpak, or with
 * GTK_USE_PORTAL=1) the Background portal is asked instead of writing an
 * autostart entry, and the switch holds only what the user allowed. */
static void
test_portal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusConnection) server = NULL;
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (portal_introspection, &error);
  GDBusInterfaceVTable vtable = { on_portal_call_cb, NULL, NULL, { 0 } };
  g_autofree char *path = coop_autostart_dup_path ();
  gboolean existed = g_file_test (path, G_FILE_TEST_EXISTS);
  Portal portal = { g_string_new (NULL), FALSE, 0 };
  guint owner, object;

  g_assert_no_error (error);
  /* The portal on a connection of its own, as another process would be. */
  server = g_dbus_connection_new_for_address_sync (address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  object = g_dbus_connection_register_object (server, "/org/freedesktop/portal/desktop",
                                              node->interfaces[0], &vtable, &portal, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (server, "org.freedesktop.portal.Desktop",
                                        G_BUS_NAME_OWNER_FLAGS_NONE, on_portal_acquired_cb, NULL,
                                        &portal, NULL);
  while (!portal.owned)
    g_main_context_iteration (NULL, TRUE);
  g_setenv ("GTK_USE_PORTAL", "1", TRUE);

  g_assert_true (set_autostart (TRUE, "/srv/ledgers/2024.db", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (portal.calls->str, ==,
                   "window '' autostart 1: coopdesk remind --database=/srv/ledgers/2024.db | "
                   "Show what is due when you log in\n");

  /* The user says no: the preference is told so. */
  g_string_truncate (portal.calls, 0);
  portal.response = 1;
  g_assert_false (set_autostart (TRUE, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==,
                   "The desktop did not allow Coopdesk to start when you log in.");
  g_assert_cmpstr (portal.calls->str, ==,
                   "window '' autostart 1: coopdesk remind | Show what is due when you log in\n");
  g_clear_error (&error);

  /* Turning it off is asked too, and needs nobody's leave. */
  g_string_truncate (portal.calls, 0);
  portal.response = 0;
  g_assert_true (set_autostart (FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (portal.calls->str, ==,
                   "window '' autostart 0: coopdesk remind | Show what is due when you log in\n");

  /* No entry was written beside the portal's. */
  g_assert_cmpint (g_file_test (path, G_FILE_TEST_EXISTS), ==, existed);

  /* No portal at all is a plain error, not a wait. */
  g_bus_unown_name (owner);
  g_dbus_connection_unregister_object (server, object);
  g_dbus_connection_flush_sync (server, NULL, NULL);
  g_clear_object (&server);
  g_assert_false (set_autostart (TRUE, NULL, &error));
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
  g_clear_error (&error);

  g_unsetenv ("GTK_USE_PORTAL");
  g_string_free (portal.calls, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/remind/notifications", test_remind);
  g_test_add_func ("/remind/nothing-due", test_nothing_due);
  g_test_add_func ("/remind/portal", test_portal);

  return g_test_run ();
}
