/* coop-preferences.c — the preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-application.h"
#include "coop-autostart.h"
#include "coop-connect.h"
#include "coop-preferences.h"
#include "coop-store.h"

struct _CoopPreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *expiry_spin;
  AdwComboRow          *year_kind_row;
  GtkSwitch            *remind_switch;
  AdwActionRow         *export_row;
  AdwActionRow         *database_row;
  AdwPreferencesPage   *page;
  char                 *database;       /* as shown: without a password */
};

G_DEFINE_FINAL_TYPE (CoopPreferences, coop_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void on_remind_changed_cb (CoopPreferences *self);

/* ------------------------------------------------------------------ helpers */

static void
update_export_row (CoopPreferences *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "export-folder");

  adw_action_row_set_subtitle (self->export_row,
                               folder[0] != '\0' ? folder : _("The Documents folder"));
}

/* ------------------------------------------------------------------ callbacks */

static void
on_export_folder_cb (GtkNativeDialog *chooser,
                     int              response,
                     CoopPreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "export-folder", path);
    }
  g_object_unref (chooser);
}

static void
on_database_cb (GtkNativeDialog *chooser,
                int              response,
                CoopPreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      GApplication *application = g_application_get_default ();

      if (path != NULL && COOP_IS_APPLICATION (application))
        {
          g_settings_set_string (self->settings, "database", path);
          adw_action_row_set_subtitle (self->database_row, path);
          gtk_window_destroy (GTK_WINDOW (self));
          coop_application_open_database (COOP_APPLICATION (application), path);
        }
    }
  g_object_unref (chooser);
}

static void
choose_export_folder_activated (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  CoopPreferences *self = COOP_PREFERENCES (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Default Export Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_folder_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
connect_shared_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CoopPreferences *self = COOP_PREFERENCES (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  AdwMessageDialog *dialog;

  /* The window stays; the preferences make room for the question. */
  dialog = coop_connect_dialog_new (parent, self->database, NULL);
  gtk_window_destroy (GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_database_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CoopPreferences *self = COOP_PREFERENCES (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Other Database"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Coopdesk Databases"));
  gtk_file_filter_add_suffix (filter, "db");
  gtk_file_filter_add_suffix (filter, "sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_database_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_recent_open_cb (GtkButton       *button,
                   CoopPreferences *self)
{
  const char *location = g_object_get_data (G_OBJECT (button), "coop-location");
  GApplication *application = g_application_get_default ();
  g_autofree char *chosen = g_strdup (location);

  if (!COOP_IS_APPLICATION (application))
    return;
  g_settings_set_string (self->settings, "database", chosen);
  gtk_window_destroy (GTK_WINDOW (self));
  coop_application_open_database (COOP_APPLICATION (application), chosen);
}

/* The databases opened lately, files and servers alike, but the one open. */
static void
build_recent (CoopPreferences *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-databases");
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; recent[i] != NULL; i++)
    {
      GtkWidget *row;
      GtkWidget *button;

      if (g_strcmp0 (recent[i], self->database) == 0)
        continue;
      if (group == NULL)
        {
          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, _("Recent Databases"));
          adw_preferences_page_add (self->page, group);
        }

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     coop_store_location_is_server (recent[i])
                                     ? _("Shared database") : _("File"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), recent[i]);
      button = gtk_button_new_with_mnemonic (_("O_pen"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "coop-location", g_strdup (recent[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_recent_open_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (group, row);
    }
}

/* ------------------------------------------------------------------ overrides */

static void
coop_preferences_dispose (GObject *object)
{
  CoopPreferences *self = COOP_PREFERENCES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_PREFERENCES);
  g_clear_pointer (&self->database, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (coop_preferences_parent_class)->dispose (object);
}

static void
on_autostart_set_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CoopPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!coop_autostart_set_finish (result, &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
      g_signal_handlers_block_by_func (self->settings, on_remind_changed_cb, self);
      g_settings_set_boolean (self->settings, "remind-when-closed", FALSE);
      g_signal_handlers_unblock_by_func (self->settings, on_remind_changed_cb, self);
    }
}

/* The switch writes the autostart entry (or asks the portal) at once. */
static void
on_remind_changed_cb (CoopPreferences *self)
{
  coop_autostart_set_async (g_settings_get_boolean (self->settings, "remind-when-closed"),
                            self->database, NULL, on_autostart_set_cb, g_object_ref (self));
}

static void
coop_preferences_class_init (CoopPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopPreferences, expiry_spin);
  gtk_widget_class_bind_template_child (widget_class, CoopPreferences, remind_switch);
  gtk_widget_class_bind_template_child (widget_class, CoopPreferences, year_kind_row);
  gtk_widget_class_bind_template_child (widget_class, CoopPreferences, export_row);
  gtk_widget_class_bind_template_child (widget_class, CoopPreferences, page);
  gtk_widget_class_bind_template_child (widget_class, CoopPreferences, database_row);
  gtk_widget_class_install_action (widget_class, "prefs.choose-export-folder", NULL,
                                   choose_export_folder_activated);
  gtk_widget_class_install_action (widget_class, "prefs.open-database", NULL,
                                   open_database_activated);
  gtk_widget_class_install_action (widget_class, "prefs.connect-shared", NULL,
                                   connect_shared_activated);
}

/* The combo row's items are in the order of the setting's choices. */
static const char * const year_kinds[] = { "calendar", "academic" };

static gboolean
year_kind_get_mapping (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char *kind = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (year_kinds); i++)
    if (g_str_equal (kind, year_kinds[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
year_kind_set_mapping (const GValue       *value,
                       const GVariantType *expected_type,
                       gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (year_kinds) ? g_variant_new_string (year_kinds[i]) : NULL;
}

static void
coop_preferences_init (CoopPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "expiry-warning-days",
                   gtk_spin_button_get_adjustment (self->expiry_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "remind-when-closed", self->remind_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "year-kind", self->year_kind_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, year_kind_get_mapping,
                                year_kind_set_mapping, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::remind-when-closed",
                           G_CALLBACK (on_remind_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::export-folder",
                           G_CALLBACK (update_export_row), self, G_CONNECT_SWAPPED);
  update_export_row (self);
}

/* ------------------------------------------------------------------ public */

CoopPreferences *
coop_preferences_new (GtkWindow  *parent,
                      const char *database_path)
{
  CoopPreferences *self = g_object_new (COOP_TYPE_PREFERENCES, "transient-for", parent, NULL);

  self->database = database_path ? coop_store_describe_location (database_path) : NULL;
  adw_action_row_set_subtitle (self->database_row, self->database ? self->database : "");
  build_recent (self);
  return self;
}
