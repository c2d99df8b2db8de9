/* coop-partner-detail.c — a partner's contacts, agreements, events and pools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-partner-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-agreement.h"
#include "coop-contact.h"
#include "coop-event.h"
#include "coop-partner-detail.h"
#include "coop-pool.h"

struct _CoopPartnerDetail
{
  GtkWidget            parent_instance;

  CoopStore           *store;
  CoopRecord          *partner;
  GPtrArray           *rows;
  guint                refresh_id;

  GtkWidget           *scrolled_window;
  AdwStatusPage       *placeholder;
  GtkBox              *groups_box;
};

G_DEFINE_FINAL_TYPE (CoopPartnerDetail, coop_partner_detail, GTK_TYPE_WIDGET)

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  GType      (*type) (void);
  const char  *title;
  const char  *subtitle_property;
} Section;

static const Section sections[] = {
  { coop_contact_get_type, N_("Contacts"), "title" },
  { coop_agreement_get_type, N_("Agreements"), "ends-on" },
  { coop_event_get_type, N_("Events"), "starts-at" },
  { coop_pool_get_type, N_("Recommendation Pools"), "position" },
};

/* ------------------------------------------------------------------ helpers */

static void
on_row_activated_cb (AdwActionRow      *row,
                     CoopPartnerDetail *self)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0, g_object_get_data (G_OBJECT (row), "coop-record"));
}

static void
rebuild (CoopPartnerDetail *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->rows, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);

  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), self->partner == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->groups_box), self->partner != NULL);
  if (self->partner == NULL)
    return;

  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) related = NULL;
      guint n;

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(sections[s].title));
      related = coop_store_list_related (self->store, sections[s].type (), "partner-id",
                                         coop_record_get_id (self->partner), &error);
      if (related == NULL)
        {
          g_warning ("Could not list what belongs to a partner: %s", error->message);
          continue;
        }

      n = g_list_model_get_n_items (related);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CoopRecord) record = g_list_model_get_item (related, i);
          const CoopField *field = coop_record_class_find_field (COOP_RECORD_GET_CLASS (record),
                                                                 sections[s].subtitle_property);
          g_autofree char *subtitle = field ? coop_record_dup_display (record, field) : NULL;
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), coop_record_get_title (record));
          if (subtitle != NULL)
            adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_object_set_data_full (G_OBJECT (row), "coop-record", g_object_ref (record),
                                  g_object_unref);
          g_signal_connect (row, "activated", G_CALLBACK (on_row_activated_cb), self);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          g_ptr_array_add (self->rows, row);
        }
      if (n == 0)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("None yet"));
          gtk_widget_add_css_class (row, "dim-label");
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
      gtk_box_append (self->groups_box, group);
    }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  CoopPartnerDetail *self = user_data;

  self->refresh_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
on_list_items_changed_cb (CoopPartnerDetail *self)
{
  if (self->partner != NULL && self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

/* ------------------------------------------------------------------ overrides */

static void
coop_partner_detail_dispose (GObject *object)
{
  CoopPartnerDetail *self = COOP_PARTNER_DETAIL (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_PARTNER_DETAIL);
  g_clear_object (&self->partner);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_partner_detail_parent_class)->dispose (object);
}

static void
coop_partner_detail_finalize (GObject *object)
{
  CoopPartnerDetail *self = COOP_PARTNER_DETAIL (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (coop_partner_detail_parent_class)->finalize (object);
}

static void
coop_partner_detail_class_init (CoopPartnerDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_partner_detail_dispose;
  object_class->finalize = coop_partner_detail_finalize;

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, COOP_TYPE_RECORD);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-partner-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopPartnerDetail, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, CoopPartnerDetail, placeholder);
  gtk_widget_class_bind_template_child (widget_class, CoopPartnerDetail, groups_box);
}

static void
coop_partner_detail_init (CoopPartnerDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

/* ------------------------------------------------------------------ public */

CoopPartnerDetail *
coop_partner_detail_new (CoopStore *store)
{
  CoopPartnerDetail *self;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  self = g_object_new (COOP_TYPE_PARTNER_DETAIL, NULL);
  self->store = g_object_ref (store);
  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    g_signal_connect_object (coop_store_get_list (store, sections[s].type ()), "items-changed",
                             G_CALLBACK (on_list_items_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild (self);
  return self;
}

void
coop_partner_detail_set_partner (CoopPartnerDetail *self,
                                 CoopRecord        *partner)
{
  g_return_if_fail (COOP_IS_PARTNER_DETAIL (self));

  if (partner == self->partner)
    return;
  g_set_object (&self->partner, partner);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  rebuild (self);
}

guint
coop_partner_detail_get_n_rows (CoopPartnerDetail *self)
{
  g_return_val_if_fail (COOP_IS_PARTNER_DETAIL (self), 0);
  return self->rows->len;
}
