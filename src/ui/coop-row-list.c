/* coop-row-list.c — rows of a list view that stay put while the items they show change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-row-list"

#include "config.h"

#include "coop-row-list.h"

/* A list view in GTK 4.8 destroys the widgets of every row whose item is
 * removed and builds new ones for the items added; it never hands a row's
 * widgets to another item.  It also keeps the widgets of up to 200 rows
 * around the first one shown, whatever the height of the window, so a
 * search that replaced every item would build and tear down some two
 * thousand widgets per keystroke, and lay out as many labels again.
 *
 * This model puts one CoopRow at each position of its source.  A row keeps
 * its position for life and only its item changes; the list itself changes
 * only at its end, when the source grows or shrinks.  So after a refilter
 * the list view keeps the widgets of its rows and the cells just show other
 * items.  Rows are made when the view asks for them and forgotten when the
 * view lets go of them.
 *
 * Two things keep the work of a change in proportion to what the window
 * shows:
 *
 *  - A row announces its new item (notify::item) at once only while it is
 *    among the rows the view shows (coop_row_list_set_shown()).  A row
 *    outside them is stale: it announces its item once it is shown, or
 *    from an idle callback, FRESHEN_ROWS rows at a time, whichever comes
 *    first, so that the rows the view keeps off screen are soon up to date
 *    for a scroll.
 *
 *  - When the source grows or shrinks by many rows, the list follows it in
 *    steps, each building or destroying the widgets of at most PACE_ROWS
 *    rows: the first at once, the others from an idle callback, between
 *    frames.  While the list is longer than its source, the rows past the
 *    source's end show no item. */

/* Rows whose widgets one step of a change of length may build or destroy:
 * more than a window shows, few enough to stay well within a frame. */
#define PACE_ROWS 24

/* Stale rows brought up to date at a time, and how often (ms): about one
 * step a frame, so that no frame lays out many of them. */
#define FRESHEN_ROWS 16
#define FRESHEN_INTERVAL 20

struct _CoopRow
{
  GObject      parent_instance;

  CoopRowList *list;      /* unowned; NULL once the row left the list */
  guint        position;
  GObject     *item;      /* NULL past the end of the source */
  gboolean     stale;     /* its cells do not show its item yet */
  gboolean     telling;   /* notify::item is being emitted */
};

struct _CoopRowList
{
  GObject     parent_instance;

  GListModel *source;
  guint       n_source;
  GPtrArray  *rows;       /* unowned CoopRow or NULL, one per position of the list */
  guint       shown_first;
  guint       shown_end;
  guint       pace_id;
  guint       freshen_id;
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

static gboolean
is_shown (CoopRowList *self,
          guint        position)
{
  return position >= self->shown_first && position < self->shown_end;
}

static void mark_stale (CoopRow *row);

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
 * Returns: (transfer none) (type GObject) (nullable): the item at the row's
 *   position, or %NULL for a row past the end of the items, which the list
 *   is about to drop
 */
gpointer
coop_row_get_item (CoopRow *self)
{
  g_return_val_if_fail (COOP_IS_ROW (self), NULL);
  return self->item;
}

/**
 * coop_row_get_shown_item:
 *
 * What the row's cells should show now: its item while the row is on
 * screen.  A row off screen returns %NULL, so that building its cells costs
 * little, and announces its item (notify::item) once it is shown.
 *
 * Returns: (transfer none) (type GObject) (nullable): the item to show
 */
gpointer
coop_row_get_shown_item (CoopRow *self)
{
  g_return_val_if_fail (COOP_IS_ROW (self), NULL);

  if (self->list == NULL || self->telling || is_shown (self->list, self->position))
    return self->item;

  mark_stale (self);
  return NULL;
}

/* ------------------------------------------------------------------ the list */

static void
tell_row (CoopRow *row)
{
  row->stale = FALSE;
  row->telling = TRUE;
  g_object_notify_by_pspec (G_OBJECT (row), row_properties[PROP_ITEM]);
  row->telling = FALSE;
}

static gboolean
freshen_cb (gpointer user_data)
{
  CoopRowList *self = user_data;
  guint told = 0;

  for (guint i = 0; i < self->rows->len && told < FRESHEN_ROWS; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL && row->stale)
        {
          tell_row (row);
          told++;
        }
    }

  if (told == FRESHEN_ROWS)
    return G_SOURCE_CONTINUE;
  self->freshen_id = 0;
  return G_SOURCE_REMOVE;
}

/* After the rows on screen, and the frames that show them. */
static void
mark_stale (CoopRow *row)
{
  CoopRowList *self = row->list;

  row->stale = TRUE;
  if (self != NULL && self->freshen_id == 0)
    self->freshen_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE + 10, FRESHEN_INTERVAL,
                                           freshen_cb, self, NULL);
}

static void
refresh_row (CoopRowList *self,
             CoopRow     *row)
{
  g_clear_object (&row->item);
  if (row->position < self->n_source)
    row->item = g_list_model_get_item (self->source, row->position);

  if (is_shown (self, row->position))
    tell_row (row);
  else
    mark_stale (row);
}

static void
truncate_rows (CoopRowList *self,
               guint        length)
{
  for (guint i = length; i < self->rows->len; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL)
        row->list = NULL;
    }
  g_ptr_array_set_size (self->rows, length);
}

static gboolean pace_cb (gpointer user_data);

/* One step towards the source's length; see the comment at the top. */
static void
pace (CoopRowList *self)
{
  guint length = self->rows->len;
  guint n = self->n_source;

  if (length > n)
    {
      guint cut = length, live = 0;

      /* Rows the view holds have widgets; the others cost nothing. */
      while (cut > n)
        {
          if (g_ptr_array_index (self->rows, cut - 1) != NULL && live++ == PACE_ROWS)
            break;
          cut--;
        }
      truncate_rows (self, cut);
      g_list_model_items_changed (G_LIST_MODEL (self), cut, length - cut, 0);
    }
  else if (length < n)
    {
      guint added = MIN (n - length, PACE_ROWS);

      g_ptr_array_set_size (self->rows, length + added);
      g_list_model_items_changed (G_LIST_MODEL (self), length, 0, added);

      /* The view asked for no widgets for the last row added: it has all
       * it wants, and the other rows cost nothing. */
      length = self->rows->len;
      if (length < self->n_source && g_ptr_array_index (self->rows, length - 1) == NULL)
        {
          g_ptr_array_set_size (self->rows, self->n_source);
          g_list_model_items_changed (G_LIST_MODEL (self), length, 0, self->n_source - length);
        }
    }

  if (self->rows->len == self->n_source)
    g_clear_handle_id (&self->pace_id, g_source_remove);
  else if (self->pace_id == 0)
    self->pace_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, pace_cb, self, NULL);
}

static gboolean
pace_cb (gpointer user_data)
{
  CoopRowList *self = user_data;

  pace (self);
  return self->pace_id != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ callbacks */

static void
on_source_items_changed_cb (GListModel  *source,
                            guint        position,
                            guint        removed,
                            guint        added,
                            CoopRowList *self)
{
  guint old_n = self->n_source;
  guint old_length = self->rows->len;
  /* Rows after the change show other items only when it moved them. */
  guint end = removed == added ? position + added : MAX (old_n, old_n - removed + added);

  self->n_source = old_n - removed + added;
  pace (self);

  /* Rows the list just dropped or added need no telling. */
  end = MIN (end, MIN (old_length, self->rows->len));

  /* Also when the item is the same object: its values may have changed. */
  for (guint i = position; i < end; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL)
        refresh_row (self, row);
    }
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
  if (position < self->n_source)
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

  g_clear_handle_id (&self->pace_id, g_source_remove);
  g_clear_handle_id (&self->freshen_id, g_source_remove);
  truncate_rows (self, 0);

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
  self->shown_end = G_MAXUINT;
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
  self->n_source = g_list_model_get_n_items (source);
  g_ptr_array_set_size (self->rows, self->n_source);
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

/**
 * coop_row_list_set_shown:
 * @self: a #CoopRowList
 * @first: the first row the view shows
 * @n: how many rows from @first on it shows, or %G_MAXUINT for all
 *
 * Tells which rows are on screen.  Only these announce a change of item at
 * once; the others do when they come into this range.
 */
void
coop_row_list_set_shown (CoopRowList *self,
                         guint        first,
                         guint        n)
{
  guint end;

  g_return_if_fail (COOP_IS_ROW_LIST (self));

  self->shown_first = first;
  self->shown_end = end = n > G_MAXUINT - first ? G_MAXUINT : first + n;

  end = MIN (end, self->rows->len);
  for (guint i = first; i < end; i++)
    {
      CoopRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL && row->stale)
        tell_row (row);
    }
}

/**
 * coop_row_list_settle:
 * @self: a #CoopRowList
 *
 * Brings the list to its source's length at once, for a caller that needs
 * a row that is not there yet.
 */
void
coop_row_list_settle (CoopRowList *self)
{
  guint length;

  g_return_if_fail (COOP_IS_ROW_LIST (self));

  g_clear_handle_id (&self->pace_id, g_source_remove);
  length = self->rows->len;
  if (length > self->n_source)
    {
      truncate_rows (self, self->n_source);
      g_list_model_items_changed (G_LIST_MODEL (self), self->n_source, length - self->n_source, 0);
    }
  else if (length < self->n_source)
    {
      g_ptr_array_set_size (self->rows, self->n_source);
      g_list_model_items_changed (G_LIST_MODEL (self), length, 0, self->n_source - length);
    }
}
