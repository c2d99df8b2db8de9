/* coop-filter-list.c — the items of a list model that a filter and a search match, in an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-filter-list"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "coop-filter-list.h"
#include "coop-record.h"
#include "coop-search.h"

/* GtkFilterListModel in GTK 4.8 finds its n-th match in a bitset on every
 * get_item(), so a list view that re-reads tens of thousands of rows after
 * a refilter spends most of a keystroke there.  This model keeps the
 * matches in an array: get_item() is an index, and a change of the source
 * is mapped to the matching rows through their source positions.
 *
 * It also keeps the source's items in an array of its own, so a refilter
 * runs the filter over plain pointers.  Neither array holds references:
 * every item is the source's, and the source says when it lets one go.
 *
 * A list of records may also be searched (coop_filter_list_set_query()).
 * It then keeps copies of the records' search keys in a block in the same
 * order (CoopSearchBlock), so a keystroke over hundreds of thousands of
 * records reads one run of memory.  A record the source reports changed
 * has its key copied again, and one not made yet is made while the user
 * is idle. */

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

  CoopSearchQuery *query; /* NULL or empty: no search */
  CoopSearchBlock *keys;  /* when searched: of the items, in their order */
  guint       fill_from;  /* no key is missing before this position */
  guint       fill_id;
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
  CoopFilterList *self;
  gboolean        every;      /* the filter matches every item */
  const Match    *matches;    /* the items to try, or NULL for from.. */
  guint           from;
  guint8         *matched;
  guint           first;
  guint           last;
} Slice;

static gboolean
item_matches (CoopFilterList *self,
              gboolean        every,
              guint           position)
{
  GObject *item = g_ptr_array_index (self->items, position);

  if (!coop_search_query_is_empty (self->query))
    {
      /* A plain cast: the search reads the record only if the block has
       * no key for it yet. */
      if (!coop_search_block_matches (self->keys, position, (CoopRecord *) item, self->query))
        return FALSE;
    }
  return every || gtk_filter_match (self->filter, item);
}

static gpointer
match_slice (gpointer data)
{
  Slice *slice = data;

  for (guint i = slice->first; i < slice->last; i++)
    {
      guint position = slice->matches != NULL ? slice->matches[i].source_position
                                              : slice->from + i;

      slice->matched[i] = item_matches (slice->self, slice->every, position);
    }
  return NULL;
}

/* Which of @n items the filter and the search match: the items at
 * @matches' source positions, or from @from on when @matches is %NULL.
 * A search of 100,000 students is most of a keystroke, so a filter that
 * may run in several threads does, one slice on each processor, while
 * this thread takes the first and waits for the rest: meanwhile nothing
 * changes the items, their keys, the filter or the query. */
static guint8 *
match_items (CoopFilterList *self,
             const Match    *matches,
             guint           from,
             guint           n)
{
  guint8 *matched = g_malloc (MAX (n, 1));
  gboolean every = self->filter == NULL ||
                   gtk_filter_get_strictness (self->filter) == GTK_FILTER_MATCH_ALL;
  guint n_threads = self->parallel && n >= PARALLEL_MIN_ITEMS
                    ? MIN ((guint) g_get_num_processors (), MAX_THREADS) : 1;
  Slice slices[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL };

  if (every && coop_search_query_is_empty (self->query))
    {
      memset (matched, 1, n);
      return matched;
    }

  for (guint t = 0; t < n_threads; t++)
    slices[t] = (Slice) { self, every, matches, from, matched,
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
  GArray *matches = g_array_sized_new (FALSE, FALSE, sizeof (Match), n);
  g_autofree guint8 *matched = match_items (self, NULL, from, n);
  Match *next;

  g_array_set_size (matches, n);
  next = (Match *) (gpointer) matches->data;
  for (guint i = 0; i < n; i++)
    if (matched[i])
      *next++ = (Match) { g_ptr_array_index (self->items, from + i), from + i };
  g_array_set_size (matches, (guint) (next - (Match *) (gpointer) matches->data));
  return matches;
}

/* Keeps those of the current matches that still match. */
static GArray *
narrow_matches (CoopFilterList *self)
{
  const Match *old = (const Match *) (gpointer) self->matches->data;
  guint n = self->matches->len;
  GArray *matches = g_array_sized_new (FALSE, FALSE, sizeof (Match), n);
  g_autofree guint8 *matched = match_items (self, old, 0, n);
  Match *next;

  g_array_set_size (matches, n);
  next = (Match *) (gpointer) matches->data;
  for (guint i = 0; i < n; i++)
    if (matched[i])
      *next++ = old[i];
  g_array_set_size (matches, (guint) (next - (Match *) (gpointer) matches->data));
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

/* Makes the keys still missing, a few at a time while the user is idle,
 * so that the first keystroke does not pay for all of them. */
static gboolean
fill_keys_cb (gpointer user_data)
{
  CoopFilterList *self = user_data;

  self->fill_from = coop_search_block_fill (self->keys, (CoopRecord * const *) self->items->pdata,
                                            self->items->len, self->fill_from, 2000);
  if (self->fill_from < self->items->len)
    return G_SOURCE_CONTINUE;
  self->fill_id = 0;
  return G_SOURCE_REMOVE;
}

/* Follows a change of the source's items, already made in self->items. */
static void
splice_keys (CoopFilterList *self,
             guint           position,
             guint           removed,
             guint           added)
{
  gboolean missing = coop_search_block_splice (self->keys, position, removed,
                                               (CoopRecord * const *) self->items->pdata + position,
                                               added);

  self->fill_from = MIN (self->fill_from, position);
  if (missing && self->fill_id == 0)
    self->fill_id = g_idle_add_full (G_PRIORITY_LOW, fill_keys_cb, self, NULL);
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
  if (self->keys != NULL)
    splice_keys (self, position, removed, added);
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
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_clear_pointer (&self->query, coop_search_query_free);
  g_clear_pointer (&self->keys, coop_search_block_free);
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
 * coop_filter_list_set_searchable:
 *
 * Makes a list whose items are all #CoopRecords one that
 * coop_filter_list_set_query() searches.
 * From then on it keeps copies of the records' search keys, and makes
 * those still missing while the user is idle.
 */
void
coop_filter_list_set_searchable (CoopFilterList *self)
{
  g_return_if_fail (COOP_IS_FILTER_LIST (self));

  if (self->keys != NULL)
    return;
  self->keys = coop_search_block_new ();
  splice_keys (self, 0, 0, self->items->len);
}

/**
 * coop_filter_list_set_query:
 * @query: (transfer full) (nullable): what the user searches for; %NULL or
 *   an empty query shows every record the filter matches
 *
 * Searches a list made searchable with coop_filter_list_set_searchable().
 * A query that narrows the one before only tries the records shown.
 *
 * Returns: whether the query differs from the one before, so the list
 *   was filtered again
 */
gboolean
coop_filter_list_set_query (CoopFilterList  *self,
                            CoopSearchQuery *query)
{
  g_autoptr(CoopSearchQuery) owned = query;
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_return_val_if_fail (COOP_IS_FILTER_LIST (self), FALSE);
  g_return_val_if_fail (self->keys != NULL, FALSE);

  if (coop_search_query_equal (query, self->query))
    return FALSE;
  if (coop_search_query_narrows (self->query, query))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (coop_search_query_narrows (query, self->query))
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  coop_search_query_free (self->query);
  self->query = g_steal_pointer (&owned);
  refilter (self, change);
  return TRUE;
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
