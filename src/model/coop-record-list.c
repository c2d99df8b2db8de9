/* coop-record-list.c — the records of one kind, in an array
 *
 * The store's lists hold every record of a table, up to a few hundred
 * thousand.  A GListStore keeps each item in a node of a balanced tree:
 * filling it inserts them one by one, and finding the n-th walks the tree.
 * Here the items are one array of references: the rows a load read become
 * the list as they are, get_item() is an index, and an insert or removal
 * moves the pointers after it, a few megabytes at most.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "coop-record-list.h"

struct _CoopRecordList
{
  GObject    parent_instance;

  GType      item_type;
  GPtrArray *items;      /* owns a reference to each */
};

static void coop_record_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CoopRecordList, coop_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      coop_record_list_model_init))

static GType
coop_record_list_get_item_type (GListModel *model)
{
  return COOP_RECORD_LIST (model)->item_type;
}

static guint
coop_record_list_get_n_items (GListModel *model)
{
  return COOP_RECORD_LIST (model)->items->len;
}

static gpointer
coop_record_list_get_item (GListModel *model,
                           guint       position)
{
  CoopRecordList *self = COOP_RECORD_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
coop_record_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = coop_record_list_get_item_type;
  iface->get_n_items = coop_record_list_get_n_items;
  iface->get_item = coop_record_list_get_item;
}

static void
coop_record_list_finalize (GObject *object)
{
  CoopRecordList *self = COOP_RECORD_LIST (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (coop_record_list_parent_class)->finalize (object);
}

static void
coop_record_list_class_init (CoopRecordListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = coop_record_list_finalize;
}

static void
coop_record_list_init (CoopRecordList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * coop_record_list_new:
 * @item_type: a #GObject type
 *
 * Returns: (transfer full): an empty list
 */
CoopRecordList *
coop_record_list_new (GType item_type)
{
  CoopRecordList *self;

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);

  self = g_object_new (COOP_TYPE_RECORD_LIST, NULL);
  self->item_type = item_type;
  return self;
}

/**
 * coop_record_list_peek_items:
 *
 * For a reader that takes every item at once: a copy of the array is a
 * copy of pointers, where g_list_model_get_item() takes and gives back a
 * reference to each item in turn.
 *
 * Returns: (transfer none) (element-type GObject): the items; the array
 *   changes with the list
 */
const GPtrArray *
coop_record_list_peek_items (CoopRecordList *self)
{
  g_return_val_if_fail (COOP_IS_RECORD_LIST (self), NULL);

  return self->items;
}

/**
 * coop_record_list_splice:
 * @self: a #CoopRecordList
 * @position: where the change starts
 * @n_removals: how many items go from there
 * @additions: (array length=n_additions) (element-type GObject): the
 *   items that take their place, each given a reference
 * @n_additions: how many
 *
 * As g_list_store_splice(), with one items-changed for the whole change.
 * An item given may be one it replaces.
 */
void
coop_record_list_splice (CoopRecordList *self,
                         guint           position,
                         guint           n_removals,
                         gpointer       *additions,
                         guint           n_additions)
{
  g_return_if_fail (COOP_IS_RECORD_LIST (self));
  g_return_if_fail (position <= self->items->len);
  g_return_if_fail (n_removals <= self->items->len - position);

  /* The references taken first, so that an item put back in its own place
   * is never let go in between. */
  for (guint i = 0; i < n_additions; i++)
    g_object_ref (additions[i]);

  if (n_removals > 0)
    g_ptr_array_remove_range (self->items, position, n_removals);
  if (n_additions > 0)
    {
      g_ptr_array_set_size (self->items, self->items->len + n_additions);
      memmove (self->items->pdata + position + n_additions, self->items->pdata + position,
               (self->items->len - n_additions - position) * sizeof (gpointer));
      memcpy (self->items->pdata + position, additions, n_additions * sizeof (gpointer));
    }

  if (n_removals > 0 || n_additions > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, n_removals, n_additions);
}

/**
 * coop_record_list_replace:
 * @self: a #CoopRecordList
 * @items: (element-type GObject): the new contents; the list takes them
 *   over, references and all, and leaves @items empty
 *
 * Puts @items in place of everything the list holds, with one
 * items-changed, without touching them one by one.
 */
void
coop_record_list_replace (CoopRecordList *self,
                          GPtrArray      *items)
{
  g_autoptr(GPtrArray) before = NULL;
  guint removed;

  g_return_if_fail (COOP_IS_RECORD_LIST (self));
  g_return_if_fail (items != NULL);

  before = self->items;
  removed = before->len;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_extend_and_steal (self->items, g_ptr_array_ref (items));
  g_ptr_array_set_size (items, 0);

  if (removed > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}
