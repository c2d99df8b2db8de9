/* coop-autostart.c — `coopdesk remind` at login, when Coopdesk is closed
 *
 * Outside a sandbox this is an XDG autostart entry in the user's
 * configuration, which every desktop reads at login.  Under Flatpak the
 * application cannot write there; it asks the Background portal to start
 * `coopdesk remind` at login instead, and the portal asks the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "coop-autostart.h"
#include "coop-error.h"

/**
 * coop_autostart_dup_path:
 *
 * Returns: (transfer full): where the autostart entry lives
 */
char *
coop_autostart_dup_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID "-remind.desktop", NULL);
}

/* An argument of Exec, quoted as the Desktop Entry specification asks. */
static void
append_argument (GString    *exec,
                 const char *argument)
{
  g_string_append (exec, " \"");
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '`' || *p == '$' || *p == '\\')
        g_string_append_c (exec, '\\');
      if (*p == '%')
        g_string_append_c (exec, '%');
      g_string_append_c (exec, *p);
    }
  g_string_append_c (exec, '"');
}

/**
 * coop_autostart_dup_entry:
 * @program: the coopdesk program to run
 * @database: (nullable): the database to remind of, %NULL for the usual one
 *
 * Returns: (transfer full): the text of the autostart entry
 */
char *
coop_autostart_dup_entry (const char *program,
                          const char *database)
{
  g_autoptr(GString) exec = g_string_new (NULL);
  g_autoptr(GKeyFile) entry = g_key_file_new ();

  append_argument (exec, program);
  g_string_append (exec, " remind");
  if (database != NULL)
    {
      g_autofree char *option = g_strconcat ("--database=", database, NULL);
      append_argument (exec, option);
    }

  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_TYPE,
                         G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  /* Written in the user's language, as the session lists it. */
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NAME,
                         _("Coopdesk Reminders"));
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                         exec->str + 1);
  g_key_file_set_string (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_ICON, APP_ID);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY,
                          TRUE);
  g_key_file_set_boolean (entry, G_KEY_FILE_DESKTOP_GROUP, "X-GNOME-Autostart-enabled", TRUE);
  return g_key_file_to_data (entry, NULL, NULL);
}

/**
 * coop_autostart_get_enabled:
 *
 * Returns: whether the autostart entry is there (outside a sandbox; under
 *   Flatpak the portal keeps it and the preference says what was asked)
 */
gboolean
coop_autostart_get_enabled (void)
{
  g_autofree char *path = coop_autostart_dup_path ();

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* In a Flatpak sandbox, or where the session asks every program to go
 * through the portals (GTK_USE_PORTAL=1, as GLib and GTK also honour). */
static gboolean
use_portal (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("GTK_USE_PORTAL"), "1") == 0;
}

/* This program, by the name it is installed under where it is found so,
 * else by the file it runs from (a build tree). */
static char *
find_program (void)
{
  g_autofree char *installed = g_find_program_in_path ("coopdesk");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (installed != NULL && self != NULL)
    {
      g_autofree char *real = g_canonicalize_filename (installed, NULL);

      if (g_str_equal (real, self))
        return g_strdup ("coopdesk");
    }
  return self != NULL ? g_steal_pointer (&self) : g_strdup ("coopdesk");
}

static gboolean
write_entry (gboolean     enabled,
             const char  *database,
             GError     **error)
{
  g_autofree char *path = coop_autostart_dup_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *program = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not remove “%s”: %s."), path,
                       g_strerror (errno));
          return FALSE;
        }
      return TRUE;
    }

  program = find_program ();
  text = coop_autostart_dup_entry (program, database);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not write “%s”: %s."), path,
                   local != NULL ? local->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* A request to the Background portal: the call returns a Request object at
 * once, and the user's answer comes later as its Response signal. */
typedef struct {
  GDBusConnection *bus;
  guint            response_id;
  gboolean         enabled;
} PortalRequest;

static void
portal_request_free (PortalRequest *request)
{
  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->response_id);
  g_object_unref (request->bus);
  g_free (request);
}

static void
on_portal_response_cb (GDBusConnection *bus,
                       const char      *sender,
                       const char      *path,
                       const char      *interface,
                       const char      *signal,
                       GVariant        *parameters,
                       gpointer         user_data)
{
  GTask *task = user_data;
  PortalRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart = FALSE;
  guint32 response = 2;

  if (request->response_id == 0 || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "autostart", "b", &autostart);

  g_dbus_connection_signal_unsubscribe (bus, request->response_id);
  request->response_id = 0;

  /* Turning it off needs nobody's leave; turning it on does. */
  if (response == 0 && (autostart || !request->enabled))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, COOP_ERROR, COOP_ERROR_CANCELLED,
                             _("The desktop did not allow Coopdesk to start when you log in."));
  g_object_unref (task);
}

static void
on_portal_reply_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PortalRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  /* Else the task waits for the Response signal, which holds it. */
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL && request->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (request->bus, request->response_id);
      request->response_id = 0;
      g_task_return_error (task, error);
      g_object_unref (task);  /* the signal's */
    }
  else if (reply == NULL)
    g_error_free (error);
}

/* Asks the Background portal to start `coopdesk remind` at login, or no
 * longer; finishes when the user has answered. */
static void
ask_portal (GTask      *task,
            gboolean    enabled,
            const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GPtrArray) command = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *handle = NULL;
  PortalRequest *request;
  GVariantBuilder options;

  if (bus == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* The Request's path follows from our name and a token of our choosing,
   * so its Response is listened for before it can be sent. */
  token = g_strdup_printf ("coopdesk%u", g_random_int ());
  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);

  request = g_new0 (PortalRequest, 1);
  request->bus = g_object_ref (bus);
  request->enabled = enabled;
  g_task_set_task_data (task, request, (GDestroyNotify) portal_request_free);
  request->response_id = g_dbus_connection_signal_subscribe (
    bus, "org.freedesktop.portal.Desktop", "org.freedesktop.portal.Request", "Response", handle,
    NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_portal_response_cb, task, NULL);

  g_ptr_array_add (command, g_strdup ("coopdesk"));
  g_ptr_array_add (command, g_strdup ("remind"));
  if (database != NULL)
    g_ptr_array_add (command, g_strconcat ("--database=", database, NULL));
  g_ptr_array_add (command, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Show what is due when you log in")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (enabled));
  g_variant_builder_add (&options, "{sv}", "commandline",
                         g_variant_new_strv ((const char * const *) command->pdata, -1));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop",
                          "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Background",
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), on_portal_reply_cb, g_object_ref (task));
}

/**
 * coop_autostart_set_async:
 * @enabled: whether `coopdesk remind` runs at login
 * @database: (nullable): the database to remind of, %NULL for the usual one
 *
 * Writes or removes the autostart entry, or under Flatpak asks the
 * Background portal.
 */
void
coop_autostart_set_async (gboolean             enabled,
                          const char          *database,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, coop_autostart_set_async);
  if (use_portal ())
    {
      ask_portal (task, enabled, database);
      return;
    }

  if (write_entry (enabled, database, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (task);
}

gboolean
coop_autostart_set_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
