/* coop-application.c — the application: its options, its database, its windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-application"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-application.h"
#include "coop-store.h"
#include "coop-window.h"

struct _CoopApplication
{
  AdwApplication  parent_instance;

  char           *database;
  CoopStore      *store;
};

G_DEFINE_FINAL_TYPE (CoopApplication, coop_application, ADW_TYPE_APPLICATION)

/* ------------------------------------------------------------------ callbacks */

static void
on_quit_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* ------------------------------------------------------------------ overrides */

static int
coop_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  CoopApplication *self = COOP_APPLICATION (application);
  const char *database = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &database))
    self->database = g_canonicalize_filename (database, NULL);

  return G_APPLICATION_CLASS (coop_application_parent_class)->handle_local_options (application,
                                                                                      options);
}

static void
coop_application_activate (GApplication *application)
{
  CoopApplication *self = COOP_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->database == NULL)
    self->database = g_build_filename (g_get_user_data_dir (), "coopdesk", "coopdesk.db", NULL);

  self->store = coop_store_open (self->database, COOP_STORE_OPEN_DEFAULT, &error);
  window = GTK_WINDOW (coop_window_new (self, self->store));
  if (self->store == NULL)
    coop_window_show_error (COOP_WINDOW (window), _("Could not open the database"),
                            error->message);
  gtk_window_present (window);
}

static void
coop_application_startup (GApplication *application)
{
  static const GActionEntry actions[] = {
    { .name = "quit", .activate = on_quit_activated },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (coop_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
coop_application_finalize (GObject *object)
{
  CoopApplication *self = COOP_APPLICATION (object);

  g_clear_object (&self->store);
  g_free (self->database);

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
}

CoopApplication *
coop_application_new (void)
{
  return g_object_new (COOP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/coopdesk/Coopdesk",
                       NULL);
}
