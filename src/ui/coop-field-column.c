/* coop-field-column.c — a column view column showing one field of its records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-field-column"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-field-column.h"
#include "coop-record.h"

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            const CoopField          *field)
{
  g_autofree char *display = coop_record_dup_display (gtk_list_item_get_item (item), field);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), display ? display : "");
}

/**
 * coop_field_column_new:
 * @record_type: the type of the records the view lists
 * @property: the field to show, by its property name
 * @expand: whether the column takes a share of spare width
 *
 * Returns: (transfer full): a resizable column, titled with the field's
 *   label, whose cells show the field as the record displays it
 */
GtkColumnViewColumn *
coop_field_column_new (GType       record_type,
                       const char *property,
                       gboolean    expand)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (record_type);
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), property);
  GtkListItemFactory *factory;
  GtkColumnViewColumn *column;

  g_return_val_if_fail (field != NULL, NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), (gpointer) field);
  column = gtk_column_view_column_new (g_dgettext (GETTEXT_PACKAGE, field->label), factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  return column;
}
