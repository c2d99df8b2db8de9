/* coop-row-list.c — rows of a list view that stay put while the items they show change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-row-list"

#include "config.h"

#include "coop-row-list.h"

/* A list view in GTK 4.8 destroys the widgets of every row whose item is
 * removed and builds new ones for the items added; it never hands a row's
 * widgets to another item.  A search that replaces the 30 visible rows of a
 * 10-column list so builds and tears down hundreds of widgets per keystroke.
 *
 * This model puts one CoopRow at each position of its source.  A row keeps
 * its position for life and only its item changes, announced by
 * notify::item; the list itself changes only at its end, when the source
 * grows or shrinks.  So after a refilter the list view keeps every row it
 * shows and the cells just show other items.  Rows are made when the view
 * asks for them and forgotten when the view lets go of them. */

struct _CoopRow
{
  GObject      parent_instance;

  CoopRowList *list;      /* unowned; NULL once the row left the list */
  guint        position;
  GObject     *item;
};

struct _CoopRowList
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *rows;       /* unowned CoopRow or NULL, one per source position */
};

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *row_properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CoopRow, coop_row, G_TYPE_OBJECT)

static void coop_row_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CoopRowList, coop_row_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      coop_row_list_model_init))

/* ------------------------------------------------------------------ CoopRow */

static void
coop_row_dispose (GObject *object)
{
  CoopRow *self = COOP_ROW (object);

  if (self->list != NULL && g_ptr_array_index (self->list->rows, self->position) == self)
    g_ptr_array_index (self->list->rows, self->position) = NULL;
  self->list = NULL;
  g_clear_object (&self->item);

  G_OBJECT_CLASS (coop_row_parent_class)->dispose (object);
}

static void
coop_row_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CoopRow *self = COOP_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_row_class_init (CoopRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = coop_row_dispose;
  object_class->get_property = coop_row_get_property;

  row_properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, row_properties);
}

static void
coop_row_init (CoopRow *self)
{
}

/**
 * coop_row_get_item:
 *
 * Returns: (transfer none) (type GObject): what the row shows now
 */
gpointer
coop_row_get_item (CoopRow *self)
{
  g_return_val_if_fail (COOP_IS_ROW (self), NULL);
  return self->item;
}

/* ------------------------------------------------------------------ callbacks */

static void
on_source_items_changed_cb (GListModel  *source,
                            guint        position,
                            guint        removed,
                            guint        added,
                            CoopRowList *self)
{
  guint old_n = self->rows->len;
  guint new_n = old_n - removed + added;
  /* Rows after the change show other items only when it moved them. */
  guint end = removed == added ? position + added : new_n;

  for (guint i = new_n; i < old_n; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL)
        row->list = NULL;
    }
  g_ptr_array_set_size (self->rows, new_n);

  for (guint i = position; i < end; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      /* Also when the item is the same object: its values may have changed. */
      if (row != NULL)
        {
          g_clear_object (&row->item);
          row->item = g_list_model_get_item (source, i);
          g_object_notify_by_pspec (G_OBJECT (row), row_properties[PROP_ITEM]);
        }
    }

  if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
  else if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
}

/* ------------------------------------------------------------------ GListModel */

static GType
coop_row_list_get_item_type (GListModel *model)
{
  return COOP_TYPE_ROW;
}

static guint
coop_row_list_get_n_items (GListModel *model)
{
  return COOP_ROW_LIST (model)->rows->len;
}

static gpointer
coop_row_list_get_item (GListModel *model,
                        guint       position)
{
  CoopRowList *self = COOP_ROW_LIST (model);
  CoopRow *row;

  if (position >= self->rows->len)
    return NULL;

  row = g_ptr_array_index (self->rows, position);
  if (row != NULL)
    return g_object_ref (row);

  row = g_object_new (COOP_TYPE_ROW, NULL);
  row->list = self;
  row->position = position;
  row->item = g_list_model_get_item (self->source, position);
  g_ptr_array_index (self->rows, position) = row;
  return row;
}

static void
coop_row_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = coop_row_list_get_item_type;
  iface->get_n_items = coop_row_list_get_n_items;
  iface->get_item = coop_row_list_get_item;
}

/* ------------------------------------------------------------------ overrides */

static void
coop_row_list_dispose (GObject *object)
{
  CoopRowList *self = COOP_ROW_LIST (object);

  for (guint i = 0; i < self->rows->len; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL)
        row->list = NULL;
    }
  g_ptr_array_set_size (self->rows, 0);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (coop_row_list_parent_class)->dispose (object);
}

static void
coop_row_list_finalize (GObject *object)
{
  CoopRowList *self = COOP_ROW_LIST (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (coop_row_list_parent_class)->finalize (object);
}

static void
coop_row_list_class_init (CoopRowListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = coop_row_list_dispose;
  object_class->finalize = coop_row_list_finalize;
}

static void
coop_row_list_init (CoopRowList *self)
{
  self->rows = g_ptr_array_new ();
}

/* ------------------------------------------------------------------ public */

/**
 * coop_row_list_new:
 * @source: the items to show
 *
 * Returns: (transfer full): one #CoopRow for each item of @source
 */
CoopRowList *
coop_row_list_new (GListModel *source)
{
  CoopRowList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (COOP_TYPE_ROW_LIST, NULL);
  self->source = g_object_ref (source);
  g_ptr_array_set_size (self->rows, g_list_model_get_n_items (source));
  g_signal_connect (source, "items-changed", G_CALLBACK (on_source_items_changed_cb), self);
  return self;
}

/**
 * coop_row_list_get_source:
 *
 * Returns: (transfer none): the items the rows show
 */
GListModel *
coop_row_list_get_source (CoopRowList *self)
{
  g_return_val_if_fail (COOP_IS_ROW_LIST (self), NULL);
  return self->source;
}
