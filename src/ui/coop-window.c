/* coop-window.c — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-window"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-partner.h"
#include "coop-student.h"
#include "coop-window.h"

struct _CoopWindow
{
  AdwApplicationWindow  parent_instance;

  CoopStore            *store;

  AdwStatusPage        *status_page;
};

G_DEFINE_FINAL_TYPE (CoopWindow, coop_window, ADW_TYPE_APPLICATION_WINDOW)

/* ------------------------------------------------------------------ callbacks */

static void
on_load_all_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CoopWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  guint partners, students;

  if (!coop_store_load_all_finish (COOP_STORE (source), result, &error))
    {
      coop_window_show_error (self, _("Could not read the database"), error->message);
      return;
    }

  partners = g_list_model_get_n_items (coop_store_get_list (self->store, COOP_TYPE_PARTNER));
  students = g_list_model_get_n_items (coop_store_get_list (self->store, COOP_TYPE_STUDENT));
  description = g_strdup_printf (_("%u partners and %u students in %s"), partners, students,
                                 coop_store_get_path (self->store));
  adw_status_page_set_description (self->status_page, description);
}

/* ------------------------------------------------------------------ overrides */

static void
coop_window_dispose (GObject *object)
{
  CoopWindow *self = COOP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_window_parent_class)->dispose (object);
}

static void
coop_window_class_init (CoopWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopWindow, status_page);
}

static void
coop_window_init (CoopWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------ public */

CoopWindow *
coop_window_new (CoopApplication *application,
                 CoopStore       *store)
{
  CoopWindow *self = g_object_new (COOP_TYPE_WINDOW, "application", application, NULL);

  if (store != NULL)
    {
      self->store = g_object_ref (store);
      coop_store_load_all_async (store, NULL, on_load_all_cb, g_object_ref (self));
    }

  return self;
}

void
coop_window_show_error (CoopWindow *self,
                        const char *heading,
                        const char *body)
{
  GtkWidget *dialog;

  g_return_if_fail (COOP_IS_WINDOW (self));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
