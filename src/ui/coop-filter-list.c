/* coop-filter-list.c — the items of a list model that a filter matches, in an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-filter-list"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-filter-list.h"

/* GtkFilterListModel in GTK 4.8 finds its n-th match in a bitset on every
 * get_item(), so a list view that re-reads tens of thousands of rows after
 * a refilter spends most of a keystroke there.  This model keeps the
 * matches in an array: get_item() is an index, and a change of the source
 * is mapped to the matching rows through their source positions.
 *
 * It also keeps the source's items in an array of its own, so a refilter
 * runs the filter over plain pointers.  Neither array holds references:
 * every item is the source's, and the source says when it lets one go. */

typedef struct {
  GObject *item;
  guint    source_position;
} Match;

struct _CoopFilterList
{
  GObject     parent_instance;

  GListModel *source;
  GtkFilter  *filter;
  GPtrArray  *items;      /* the source's items, unowned */
  GArray     *matches;    /* of Match, in source order */
  gboolean    parallel;   /* the filter may run in several threads at once */
};

static void coop_filter_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CoopFilterList, coop_filter_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      coop_filter_list_model_init))

/* ------------------------------------------------------------------ helpers */

/* The index of the first match at or after @source_position. */
static guint
lower_bound (CoopFilterList *self,
             guint           source_position)
{
  guint low = 0, high = self->matches->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (self->matches, Match, middle).source_position < source_position)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* Fewer items than this are matched quicker by one thread than by
 * several, counting the threads' start. */
#define PARALLEL_MIN_ITEMS 8192
#define MAX_THREADS 8

typedef struct {
  GtkFilter  *filter;
  GObject   **items;
  gsize       stride;     /* in pointers, from one item to the next */
  guint8     *matched;
  guint       first;
  guint       last;
} Slice;

static gpointer
match_slice (gpointer data)
{
  Slice *slice = data;

  for (guint i = slice->first; i < slice->last; i++)
    slice->matched[i] = gtk_filter_match (slice->filter, slice->items[i * slice->stride]);
  return NULL;
}

/* Which of @n items (every @stride-th pointer from @items) the filter
 * matches.  A search of 100,000 students is most of a keystroke, so a
 * filter that may run in several threads does, one slice on each
 * processor, while this thread takes the first and waits for the rest:
 * meanwhile nothing changes the items or the filter. */
static guint8 *
match_items (CoopFilterList *self,
             GObject       **items,
             gsize           stride,
             guint           n)
{
  guint8 *matched = g_malloc (MAX (n, 1));
  guint n_threads = self->parallel && n >= PARALLEL_MIN_ITEMS
                    ? MIN ((guint) g_get_num_processors (), MAX_THREADS) : 1;
  Slice slices[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL };

  for (guint t = 0; t < n_threads; t++)
    slices[t] = (Slice) { self->filter, items, stride, matched,
                          (guint) ((guint64) n * t / n_threads),
                          (guint) ((guint64) n * (t + 1) / n_threads) };
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_try_new ("coop-filter", match_slice, &slices[t], NULL);
  match_slice (&slices[0]);
  for (guint t = 1; t < n_threads; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      else
        match_slice (&slices[t]);
    }
  return matched;
}

static GArray *
collect_matches (CoopFilterList *self,
                 guint           from,
                 guint           n)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (Match));
  g_autofree guint8 *matched = NULL;

  if (self->filter == NULL)
    {
      for (guint i = from; i < from + n; i++)
        {
          Match match = { g_ptr_array_index (self->items, i), i };
          g_array_append_val (matches, match);
        }
      return matches;
    }

  matched = match_items (self, (GObject **) self->items->pdata + from, 1, n);
  for (guint i = 0; i < n; i++)
    if (matched[i])
      {
        Match match = { g_ptr_array_index (self->items, from + i), from + i };
        g_array_append_val (matches, match);
      }
  return matches;
}

/* Keeps those of the current matches that still match. */
static GArray *
narrow_matches (CoopFilterList *self)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (Match));
  g_autofree guint8 *matched = NULL;

  G_STATIC_ASSERT (sizeof (Match) % sizeof (gpointer) == 0 && G_STRUCT_OFFSET (Match, item) == 0);
  matched = match_items (self, (GObject **) (gpointer) self->matches->data,
                         sizeof (Match) / sizeof (gpointer), self->matches->len);
  for (guint i = 0; i < self->matches->len; i++)
    if (matched[i])
      g_array_append_val (matches, g_array_index (self->matches, Match, i));
  return matches;
}

static void
refilter (CoopFilterList  *self,
          GtkFilterChange  change)
{
  g_autoptr(GArray) old = self->matches;
  GArray *matches = change == GTK_FILTER_CHANGE_MORE_STRICT
                    ? narrow_matches (self)
                    : collect_matches (self, 0, g_list_model_get_n_items (self->source));
  guint prefix = 0, suffix = 0;

  while (prefix < old->len && prefix < matches->len &&
         g_array_index (old, Match, prefix).item == g_array_index (matches, Match, prefix).item)
    prefix++;
  while (suffix < old->len - prefix && suffix < matches->len - prefix &&
         g_array_index (old, Match, old->len - 1 - suffix).item ==
         g_array_index (matches, Match, matches->len - 1 - suffix).item)
    suffix++;

  self->matches = matches;
  if (old->len - prefix - suffix > 0 || matches->len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, old->len - prefix - suffix,
                                matches->len - prefix - suffix);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_source_items_changed_cb (GListModel     *source,
                            guint           position,
                            guint           removed,
                            guint           added,
                            CoopFilterList *self)
{
  guint first = lower_bound (self, position);
  guint last = lower_bound (self, position + removed);
  g_autoptr(GArray) inserted = NULL;

  if (removed != added)
    {
      guint tail = self->items->len - position - removed;

      if (added > removed)
        g_ptr_array_set_size (self->items, self->items->len + added - removed);
      memmove (self->items->pdata + position + added, self->items->pdata + position + removed,
               tail * sizeof (gpointer));
      if (added < removed)
        g_ptr_array_set_size (self->items, self->items->len + added - removed);
    }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (source, position + i);

      g_ptr_array_index (self->items, position + i) = item;
    }
  inserted = collect_matches (self, position, added);

  for (guint i = last; i < self->matches->len; i++)
    g_array_index (self->matches, Match, i).source_position += added - removed;

  g_array_remove_range (self->matches, first, last - first);
  g_array_insert_vals (self->matches, first, inserted->data, inserted->len);

  if (last - first > 0 || inserted->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first, last - first, inserted->len);
}

static void
on_filter_changed_cb (GtkFilter       *filter,
                      GtkFilterChange  change,
                      CoopFilterList  *self)
{
  refilter (self, change);
}

/* ------------------------------------------------------------------ GListModel */

static GType
coop_filter_list_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (COOP_FILTER_LIST (model)->source);
}

static guint
coop_filter_list_get_n_items (GListModel *model)
{
  return COOP_FILTER_LIST (model)->matches->len;
}

static gpointer
coop_filter_list_get_item (GListModel *model,
                           guint       position)
{
  CoopFilterList *self = COOP_FILTER_LIST (model);

  if (position >= self->matches->len)
    return NULL;
  return g_object_ref (g_array_index (self->matches, Match, position).item);
}

static void
coop_filter_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = coop_filter_list_get_item_type;
  iface->get_n_items = coop_filter_list_get_n_items;
  iface->get_item = coop_filter_list_get_item;
}

/* ------------------------------------------------------------------ overrides */

static void
coop_filter_list_dispose (GObject *object)
{
  CoopFilterList *self = COOP_FILTER_LIST (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  if (self->filter != NULL)
    g_signal_handlers_disconnect_by_data (self->filter, self);
  g_clear_object (&self->source);
  g_clear_object (&self->filter);
  g_ptr_array_set_size (self->items, 0);
  g_array_set_size (self->matches, 0);

  G_OBJECT_CLASS (coop_filter_list_parent_class)->dispose (object);
}

static void
coop_filter_list_finalize (GObject *object)
{
  CoopFilterList *self = COOP_FILTER_LIST (object);

  g_ptr_array_unref (self->items);
  g_array_unref (self->matches);

  G_OBJECT_CLASS (coop_filter_list_parent_class)->finalize (object);
}

static void
coop_filter_list_class_init (CoopFilterListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = coop_filter_list_dispose;
  object_class->finalize = coop_filter_list_finalize;
}

static void
coop_filter_list_init (CoopFilterList *self)
{
  self->items = g_ptr_array_new ();
  self->matches = g_array_new (FALSE, FALSE, sizeof (Match));
}

/* ------------------------------------------------------------------ public */

/**
 * coop_filter_list_set_parallel:
 * @parallel: whether the filter may match items in several threads at once
 *
 * For a filter that only reads its items and its own settings, such as a
 * list page's search: a refilter of many items then runs on every
 * processor.
 */
void
coop_filter_list_set_parallel (CoopFilterList *self,
                               gboolean        parallel)
{
  g_return_if_fail (COOP_IS_FILTER_LIST (self));
  self->parallel = parallel;
}

/**
 * coop_filter_list_new:
 * @source: the list to filter
 * @filter: (nullable): what to keep; everything when %NULL
 *
 * Returns: (transfer full): a list of the matches of @filter in @source,
 *   following both
 */
CoopFilterList *
coop_filter_list_new (GListModel *source,
                      GtkFilter  *filter)
{
  CoopFilterList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (filter == NULL || GTK_IS_FILTER (filter), NULL);

  self = g_object_new (COOP_TYPE_FILTER_LIST, NULL);
  self->source = g_object_ref (source);
  self->filter = filter ? g_object_ref (filter) : NULL;
  g_ptr_array_set_size (self->items, g_list_model_get_n_items (source));
  for (guint i = 0; i < self->items->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (source, i);

      g_ptr_array_index (self->items, i) = item;
    }
  g_signal_connect (source, "items-changed", G_CALLBACK (on_source_items_changed_cb), self);
  if (filter != NULL)
    g_signal_connect (filter, "changed", G_CALLBACK (on_filter_changed_cb), self);
  refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
  return self;
}

/**
 * coop_filter_list_find:
 * @item: an item of the source
 *
 * Returns: the position of @item in the list, or %GTK_INVALID_LIST_POSITION
 */
guint
coop_filter_list_find (CoopFilterList *self,
                       gpointer        item)
{
  g_return_val_if_fail (COOP_IS_FILTER_LIST (self), GTK_INVALID_LIST_POSITION);

  for (guint i = 0; i < self->matches->len; i++)
    if (g_array_index (self->matches, Match, i).item == item)
      return i;
  return GTK_INVALID_LIST_POSITION;
}
