/* coop-application.c — the application: its options, its database, its windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "coop-application.h"
#include "coop-connect.h"
#include "coop-error.h"
#include "coop-keyring.h"
#include "coop-preferences.h"
#include "coop-record.h"
#include "coop-safety.h"
#include "coop-store.h"
#include "coop-window.h"

struct _CoopApplication
{
  AdwApplication  parent_instance;

  char           *database;
  CoopStore      *store;
  gboolean        opening;       /* a window is on its way */
  /* The file is checked before its window shows, not beside it: the
   * check beside found it damaged. */
  gboolean        check_first;

  /* A shared database's password, while the database opens: whether to
   * look it up in the keyring, whether it came from there, and the one
   * typed to remember once the server took it.  @refused names the
   * database (without a password) whose remembered password the server
   * refused, so that it is not tried again. */
  gboolean        use_keyring;
  gboolean        remembered;
  char           *to_remember;
  char           *refused;

  /* What a notification asked to show, once the window is up: a record,
   * or the Overview's due list when @target_type is G_TYPE_INVALID. */
  gboolean        target_pending;
  GType           target_type;
  gint64          target_id;
};

G_DEFINE_FINAL_TYPE (CoopApplication, coop_application, ADW_TYPE_APPLICATION)

/* The store connecting again with the password typed after the server
 * refused the one it had. */
typedef struct
{
  CoopApplication *self;
  CoopStore       *store;
  char            *uri;           /* with the password */
} Reconnect;

/* ------------------------------------------------------------------ helpers */

static void
close_store (CoopApplication *self)
{
  if (self->store != NULL)
    coop_safety_close (self->store);
  g_clear_object (&self->store);
}

static void
forget_password (char **password)
{
  if (*password != NULL)
    secret_password_wipe (*password);
  g_clear_pointer (password, g_free);
}

/* A note in the window on top, if there is one. */
static void
show_toast (CoopApplication *self,
            const char      *text)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (COOP_IS_WINDOW (window))
    coop_window_show_toast (COOP_WINDOW (window), text);
}

static void
on_password_stored_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CoopApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_keyring_store_finish (result, &error))
    {
      /* Translators: %s says why, such as "there is no keyring to keep it
       * in" */
      g_autofree char *text = g_strdup_printf (_("Could not remember the password: %s"),
                                               error->message);
      show_toast (self, text);
    }
}

static void
on_password_cleared_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CoopApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_keyring_clear_finish (result, &error))
    {
      /* Translators: %s says why */
      g_autofree char *text = g_strdup_printf (_("Could not forget the password: %s"),
                                               error->message);
      show_toast (self, text);
    }
}

/* The server wants another password: the Connect dialog comes back with
 * @location filled in and says why. */
static void
ask_password (CoopApplication *self,
              GtkWindow       *parent,
              const char      *location,
              const GError    *error)
{
  g_autofree char *shown = coop_store_describe_location (location);
  AdwMessageDialog *dialog;

  if (self->remembered)
    {
      g_free (self->refused);
      self->refused = g_strdup (shown);
    }
  dialog = coop_connect_dialog_new (parent, shown,
                                    self->remembered
                                    ? _("The server refused the password remembered in your "
                                        "keyring. Type the password again.")
                                    : error->message);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reconnect_free (Reconnect *reconnect)
{
  g_object_unref (reconnect->self);
  g_object_unref (reconnect->store);
  forget_password (&reconnect->uri);
  g_free (reconnect);
}

/* Whether two servers' URIs name the same server, port, database and user,
 * as libpq connects with them. */
static gboolean
same_database (const char *uri,
               const char *other)
{
  static const char *const names[] = { "host", "port", "database", "user" };
  g_autoptr(GHashTable) one = coop_keyring_dup_attributes (uri);
  g_autoptr(GHashTable) two = coop_keyring_dup_attributes (other);

  if (one == NULL || two == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (g_hash_table_lookup (one, names[i]), g_hash_table_lookup (two, names[i])) != 0)
      return FALSE;
  return TRUE;
}

static void
on_store_reconnected_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Reconnect *reconnect = user_data;
  CoopApplication *self = reconnect->self;
  g_autoptr(GError) error = NULL;
  gboolean connected = coop_store_reconnect_finish (reconnect->store, result, &error);

  /* Another database was opened meanwhile. */
  if (reconnect->store != self->store)
    {
      reconnect_free (reconnect);
      return;
    }

  self->remembered = FALSE;
  if (connected)
    {
      g_autofree char *shown = coop_store_describe_location (reconnect->uri);

      forget_password (&self->database);
      self->database = g_steal_pointer (&reconnect->uri);
      if (self->to_remember != NULL)
        coop_keyring_store_async (self->database, self->to_remember, NULL, on_password_stored_cb,
                                  g_object_ref (self));
      if (g_strcmp0 (shown, self->refused) == 0)
        g_clear_pointer (&self->refused, g_free);
    }
  else
    ask_password (self, gtk_application_get_active_window (GTK_APPLICATION (self)),
                  self->database, error);
  forget_password (&self->to_remember);
  reconnect_free (reconnect);
}

/* The server refused the password as the store reconnected (it was changed
 * meanwhile): the Connect dialog asks for the new one, and the windows and
 * what their editors hold stay as they are. */
static void
on_store_password_refused_cb (CoopApplication *self,
                              GParamSpec      *pspec,
                              CoopStore       *store)
{
  g_autoptr(GError) error = NULL;

  if (store != self->store || !coop_store_get_password_refused (store))
    return;

  error = g_error_new_literal (COOP_ERROR, COOP_ERROR_AUTHENTICATION,
                               _("The server refused the password when Coopdesk reconnected; it "
                                 "may have been changed. Type the new password: what you typed "
                                 "in the open windows is kept."));
  ask_password (self, gtk_application_get_active_window (GTK_APPLICATION (self)), self->database,
                error);
}

/* Newest first, eight at most, never a password. */
static void
remember_recent (CoopStore *store)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) old = g_settings_get_strv (settings, "recent-databases");
  g_autoptr(GStrvBuilder) recent = g_strv_builder_new ();
  g_autofree char *shown = coop_store_dup_display_name (store);
  g_auto(GStrv) list = NULL;
  guint n = 1;

  g_strv_builder_add (recent, shown);
  for (guint i = 0; old[i] != NULL && n < 8; i++)
    if (g_strcmp0 (old[i], shown) != 0)
      {
        g_strv_builder_add (recent, old[i]);
        n++;
      }
  list = g_strv_builder_end (recent);
  g_settings_set_strv (settings, "recent-databases", (const char * const *) list);
}

/* Shows what a notification asked for, in the window, once there is one. */
static void
show_target (CoopApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!self->target_pending || self->opening || !COOP_IS_WINDOW (window))
    return;

  self->target_pending = FALSE;
  if (self->target_type == G_TYPE_INVALID)
    coop_window_show_page (COOP_WINDOW (window), "overview");
  else
    coop_window_show_record (COOP_WINDOW (window), self->target_type, self->target_id);
}

static void open_window (CoopApplication *self);

static void
reopen_checked (gpointer user_data)
{
  g_autoptr(CoopApplication) self = user_data;

  open_window (self);
  g_application_release (G_APPLICATION (self));
}

/* Once the damaged store is gone, with its connections and its lock. */
static void
on_unsound_store_gone_cb (gpointer  user_data,
                          GObject  *where_the_store_was)
{
  g_idle_add_once (reopen_checked, user_data);
}

/* A file that the check beside its load finds damaged is put away with its
 * windows before anything is written to it, and opened again with the
 * check first, which brings the choices a damaged file gets at start-up. */
static void
on_store_checked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CoopApplication) self = user_data;
  CoopStore *store = COOP_STORE (source);
  g_autoptr(GError) error = NULL;
  GList *windows;

  if (coop_store_wait_checked_finish (store, result, &error) || store != self->store)
    return;

  g_debug ("The check beside the load failed: %s", error->message);
  g_application_hold (G_APPLICATION (self));
  self->check_first = TRUE;
  g_object_weak_ref (G_OBJECT (store), on_unsound_store_gone_cb, g_object_ref (self));
  /* Nothing was written, so there is nothing to back up on closing. */
  g_clear_object (&self->store);
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
on_store_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CoopApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  GList *old_windows = g_object_steal_data (G_OBJECT (self), "coop-old-windows");
  g_autofree char *old_database = g_object_steal_data (G_OBJECT (self), "coop-old-database");
  g_autofree char *notice = g_object_steal_data (G_OBJECT (self), "coop-notice");
  g_autoptr(CoopStore) opened = coop_safety_open_finish (result, &error);
  gboolean refused = g_error_matches (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION);
  g_autofree char *failed = opened == NULL ? g_strdup (self->database) : NULL;
  CoopWindow *window;

  self->opening = FALSE;
  self->check_first = FALSE;

  /* A password the server took is remembered, or replaces the one that
   * was refused. */
  if (opened != NULL && self->to_remember != NULL)
    {
      coop_keyring_store_async (self->database, self->to_remember, NULL, on_password_stored_cb,
                                g_object_ref (self));
    }
  if (opened != NULL && self->refused != NULL)
    {
      g_autofree char *shown = coop_store_describe_location (self->database);

      if (g_str_equal (shown, self->refused))
        g_clear_pointer (&self->refused, g_free);
    }
  forget_password (&self->to_remember);

  /* Another database that cannot be opened leaves the open one in place. */
  if (opened == NULL && old_windows != NULL && self->store != NULL)
    {
      if (old_database != NULL)
        {
          g_free (self->database);
          self->database = g_steal_pointer (&old_database);
        }
      if (refused)
        ask_password (self, GTK_WINDOW (old_windows->data), failed, error);
      else if (!g_error_matches (error, COOP_ERROR, COOP_ERROR_CANCELLED))
        coop_window_show_error (COOP_WINDOW (old_windows->data),
                                _("Could not open the database"), error->message);
      g_list_free_full (old_windows, g_object_unref);
      show_target (self);
      g_application_release (G_APPLICATION (self));
      return;
    }

  close_store (self);
  self->store = g_steal_pointer (&opened);
  /* A shared database: other people's saves reach the lists. */
  if (self->store != NULL)
    {
      coop_store_wait_checked_async (self->store, NULL, on_store_checked_cb, g_object_ref (self));
      coop_store_follow_others (self->store);
      g_signal_connect_object (self->store, "notify::password-refused",
                               G_CALLBACK (on_store_password_refused_cb), self,
                               G_CONNECT_SWAPPED);
      remember_recent (self->store);
    }

  if (self->store == NULL && g_error_matches (error, COOP_ERROR, COOP_ERROR_CANCELLED) &&
      old_windows == NULL)
    {
      g_application_release (G_APPLICATION (self));
      return;
    }

  window = coop_window_new (self, self->store);
  gtk_window_present (GTK_WINDOW (window));
  if (self->store == NULL && refused)
    ask_password (self, GTK_WINDOW (window), failed, error);
  else if (self->store == NULL)
    coop_window_show_error (window, _("Could not open the database"), error->message);
  else if (notice != NULL && notice[0] != '\0')
    coop_window_show_toast (window, notice);

  for (GList *l = old_windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free_full (old_windows, g_object_unref);
  if (self->store != NULL)
    show_target (self);
  else
    self->target_pending = FALSE;
  g_application_release (G_APPLICATION (self));
}

static void
open_store (CoopApplication *self)
{
  coop_safety_open_async (gtk_application_get_active_window (GTK_APPLICATION (self)),
                          self->database,
                          self->check_first ? COOP_STORE_OPEN_DEFAULT
                                            : COOP_STORE_OPEN_CHECK_BESIDE,
                          NULL, on_store_opened_cb, self);
}

static void
on_password_looked_up_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  CoopApplication *self = user_data;

  g_free (self->database);
  self->database = coop_keyring_lookup_finish (result, &self->remembered);
  open_store (self);
}

/* Whether to look for a remembered password before opening: for a server
 * named without one, unless the server refused the one remembered. */
static gboolean
wants_lookup (CoopApplication *self)
{
  g_autofree char *shown = NULL;

  if (!self->use_keyring || !coop_store_location_is_server (self->database) ||
      coop_keyring_uri_has_password (self->database))
    return FALSE;
  shown = coop_store_describe_location (self->database);
  return g_strcmp0 (shown, self->refused) != 0;
}

/* Opens self->database, with the password remembered for it when it is a
 * server's, asking the user where something is wrong with it, then shows a
 * window on it in place of the windows open before. */
static void
open_window (CoopApplication *self)
{
  GList *old_windows = NULL;

  if (!coop_store_location_is_server (self->database))
    {
      g_autofree char *folder = g_path_get_dirname (self->database);
      g_mkdir_with_parents (folder, 0700);
    }
  g_application_hold (G_APPLICATION (self));
  self->opening = TRUE;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    old_windows = g_list_prepend (old_windows, g_object_ref (l->data));
  g_object_set_data (G_OBJECT (self), "coop-old-windows", old_windows);
  self->remembered = FALSE;
  if (wants_lookup (self))
    coop_keyring_lookup_async (self->database, NULL, on_password_looked_up_cb, self);
  else
    open_store (self);
}

static void
show_target_later (CoopApplication *self,
                   GType            type,
                   gint64           id)
{
  self->target_pending = TRUE;
  self->target_type = type;
  self->target_id = id;

  /* Started by the bus for this very action, there is no window yet. */
  g_application_activate (G_APPLICATION (self));
  show_target (self);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = gtk_application_get_windows (application);

  /* Closing the windows lets them save their size first. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (GTK_WINDOW (windows->data));
      windows = next;
    }
}

/* Logging out or a kill sends SIGTERM or SIGHUP: quit as from the menu, so
 * that the database is closed, backed up and its lock given back. */
static gboolean
on_terminate_cb (gpointer user_data)
{
  /* Closing the windows first lets them save their size. */
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* Reopens the database, as after a restore; @parameter is a toast for the
 * new window to show, or "". */
static void
on_reopen_database_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  CoopApplication *self = user_data;

  g_object_set_data_full (G_OBJECT (self), "coop-notice",
                          g_variant_dup_string (parameter, NULL), g_free);
  open_window (self);
}

static void
on_preferences_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  CoopApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  CoopPreferences *preferences = coop_preferences_new (window, self->database);

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_about_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "The Coopdesk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Coopdesk"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Coopdesk developers"),
                        "developers", developers,
                        "comments", _("Keep the record of a school’s cooperation with companies: "
                                      "partners, agreements, events and student recommendations."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name, to be credited in the About window */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* ------------------------------------------------------------------ overrides */

/* A notification of something due was activated. */
static void
on_open_record_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  const char *type_name;
  gint64 id;
  GType type;

  g_variant_get (parameter, "(&sx)", &type_name, &id);
  type = coop_store_record_type_from_name (type_name);
  if (type == G_TYPE_INVALID)
    return;

  show_target_later (user_data, type, id);
}

static void
on_show_due_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  show_target_later (user_data, G_TYPE_INVALID, 0);
}

static int
coop_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  CoopApplication *self = COOP_APPLICATION (application);
  const char *database = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &database))
    self->database = coop_store_normalize_location (database);

  return G_APPLICATION_CLASS (coop_application_parent_class)->handle_local_options (application,
                                                                                      options);
}

static void
coop_application_activate (GApplication *application)
{
  CoopApplication *self = COOP_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->database == NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autofree char *configured = g_settings_get_string (settings, "database");

      if (configured[0] != '\0')
        self->database = g_steal_pointer (&configured);
      else
        self->database = g_build_filename (g_get_user_data_dir (), "coopdesk", "coopdesk.db",
                                           NULL);
    }

  open_window (self);
}

static void
coop_application_startup (GApplication *application)
{
  static const GActionEntry actions[] = {
    { .name = "quit", .activate = on_quit_activated },
    { .name = "preferences", .activate = on_preferences_activated },
    { .name = "about", .activate = on_about_activated },
    { .name = "reopen-database", .activate = on_reopen_database_activated,
      .parameter_type = "s" },
    { .name = "open-record", .activate = on_open_record_activated, .parameter_type = "(sx)" },
    { .name = "show-due", .activate = on_show_due_activated },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (coop_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   application);
  g_unix_signal_add (SIGTERM, on_terminate_cb, application);
  g_unix_signal_add (SIGHUP, on_terminate_cb, application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         help_accels);
}

static void
coop_application_shutdown (GApplication *application)
{
  GList *windows;

  /* The windows hold the store too: once they are gone, closing it really
   * closes the file and gives back its lock. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (application))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  close_store (COOP_APPLICATION (application));

  G_APPLICATION_CLASS (coop_application_parent_class)->shutdown (application);
}

static void
coop_application_finalize (GObject *object)
{
  CoopApplication *self = COOP_APPLICATION (object);

  g_clear_object (&self->store);
  g_free (self->database);
  forget_password (&self->to_remember);
  g_free (self->refused);

  G_OBJECT_CLASS (coop_application_parent_class)->finalize (object);
}

static void
coop_application_class_init (CoopApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = coop_application_finalize;
  app_class->handle_local_options = coop_application_handle_local_options;
  app_class->startup = coop_application_startup;
  app_class->activate = coop_application_activate;
  app_class->shutdown = coop_application_shutdown;
}

static void
coop_application_init (CoopApplication *self)
{
  static const GOptionEntry options[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Open this database file instead of the usual one"), N_("FILE") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  self->use_keyring = TRUE;
}

/* ------------------------------------------------------------------ public */

CoopApplication *
coop_application_new (void)
{
  return g_object_new (COOP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/coopdesk/Coopdesk",
                       NULL);
}

static void
replace_database (CoopApplication *self,
                  char            *location)
{
  g_object_set_data_full (G_OBJECT (self), "coop-old-database", g_steal_pointer (&self->database),
                          g_free);
  self->database = location;
  open_window (self);
}

/**
 * coop_application_open_database:
 * @self: the application
 * @path: a file, or a server's URI
 *
 * Closes the windows on the current database and opens one on @path.  A
 * server's URI without a password is opened with the password remembered
 * in the keyring for it, if there is one; when the server refuses it the
 * Connect dialog asks for another, and the remembered one is not tried
 * again.
 */
void
coop_application_open_database (CoopApplication *self,
                                const char      *path)
{
  g_return_if_fail (COOP_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  self->use_keyring = TRUE;
  forget_password (&self->to_remember);
  replace_database (self, coop_store_normalize_location (path));
}

/**
 * coop_application_connect:
 * @self: the application
 * @uri: a server's URI without a password
 * @password: the password typed, or "" to connect without one
 * @remember: whether the keyring keeps the password
 *
 * What the Connect dialog does.  With @remember, a typed password is
 * remembered once the server has taken it (a toast says when the keyring
 * would not), and an empty one means the password remembered before.
 * Without, the remembered password is forgotten at once and not used.
 * When the server refused the open database's password as it reconnected
 * and @uri names that database, the same windows connect again with
 * @password, keeping what their editors hold; any other @uri is opened
 * in place of the open database.
 */
void
coop_application_connect (CoopApplication *self,
                          const char      *uri,
                          const char      *password,
                          gboolean         remember)
{
  g_return_if_fail (COOP_IS_APPLICATION (self));
  g_return_if_fail (coop_store_location_is_server (uri));
  g_return_if_fail (password != NULL);

  forget_password (&self->to_remember);
  self->use_keyring = remember;
  if (!remember)
    coop_keyring_clear_async (uri, NULL, on_password_cleared_cb, g_object_ref (self));
  else if (*password != '\0')
    self->to_remember = g_strdup (password);

  if (self->store != NULL && coop_store_get_password_refused (self->store) &&
      same_database (uri, self->database))
    {
      Reconnect *reconnect = g_new0 (Reconnect, 1);
      g_autofree char *base = coop_store_describe_location (self->database);

      reconnect->self = g_object_ref (self);
      reconnect->store = g_object_ref (self->store);
      reconnect->uri = *password != '\0' ? coop_keyring_add_password (base, password)
                                          : g_steal_pointer (&base);
      coop_store_reconnect_async (self->store, reconnect->uri, NULL, on_store_reconnected_cb,
                                  reconnect);
      return;
    }

  replace_database (self, *password != '\0' ? coop_keyring_add_password (uri, password)
                                             : g_strdup (uri));
}
