/* test-ui-filter-list.c — the list models under the list pages: the array-backed
 * filter and the rows that keep their place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-filter-list"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-filter-list.h"
#include "coop-partner.h"
#include "coop-row-list.h"
#include "coop-search.h"

typedef struct {
  guint position, removed, added, count;
} Changed;

static void
on_items_changed_cb (GListModel *list,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Changed    *changed)
{
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->count++;
}

static gboolean
is_even (gpointer item,
         gpointer user_data)
{
  const char *text = gtk_string_object_get_string (item);
  int *modulus = user_data;

  return g_ascii_strtoll (text, NULL, 10) % *modulus == 0;
}

/* The text @text_of gives of each item of @list, in its order, with
 * @separator between. */
static char *
join_items (GListModel  *list,
            const char *(*text_of) (gpointer item),
            const char  *separator)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (list, i);
      g_string_append_printf (text, "%s%s", i ? separator : "", text_of (item));
    }
  return g_string_free (text, FALSE);
}

static const char *
string_of (gpointer item)
{
  return gtk_string_object_get_string (item);
}

static char *
dump (GListModel *list)
{
  return join_items (list, string_of, " ");
}

static void
test_filter_list (void)
{
  const char *numbers[] = { "1", "2", "3", "4", "5", "6", "7", "8", NULL };
  g_autoptr(GtkStringList) source = gtk_string_list_new (numbers);
  int modulus = 2;
  g_autoptr(GtkCustomFilter) filter = gtk_custom_filter_new (is_even, &modulus, NULL);
  g_autoptr(CoopFilterList) list = coop_filter_list_new (G_LIST_MODEL (source),
                                                         GTK_FILTER (filter));
  Changed changed = { 0 };
  g_autofree char *text = NULL;

  text = dump (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "2 4 6 8");
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);

  /* An insertion in the source lands between the matches around it. */
  gtk_string_list_splice (source, 2, 0, (const char *[]) { "10", "11", NULL });
  g_clear_pointer (&text, g_free);
  text = dump (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "2 10 4 6 8");
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 1);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);

  /* A replacement of one item is one change at its place. */
  gtk_string_list_splice (source, 3, 1, (const char *[]) { "4", NULL });
  g_clear_pointer (&text, g_free);
  text = dump (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "2 10 4 4 6 8");
  g_assert_cmpuint (changed.count, ==, 2);
  g_assert_cmpuint (changed.position, ==, 2);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);

  /* A removal in the source removes its matches. */
  gtk_string_list_remove (source, 0);
  gtk_string_list_remove (source, 0);
  g_clear_pointer (&text, g_free);
  text = dump (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "10 4 4 6 8");
  g_assert_cmpuint (changed.count, ==, 3);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 0);

  /* A stricter filter narrows; the change covers only what differs. */
  modulus = 4;
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_MORE_STRICT);
  g_clear_pointer (&text, g_free);
  text = dump (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "4 4 8");
  g_assert_cmpuint (changed.count, ==, 4);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 4);
  g_assert_cmpuint (changed.added, ==, 2);

  modulus = 1;
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_LESS_STRICT);
  g_clear_pointer (&text, g_free);
  text = dump (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "10 4 3 4 5 6 7 8");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (source)));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 8));
}

static void
on_notify_item_cb (CoopRow    *row,
                   GParamSpec *pspec,
                   guint      *count)
{
  (*count)++;
}

static const char *
row_text (CoopRow *row)
{
  return gtk_string_object_get_string (coop_row_get_item (row));
}

/* Many items are matched on every processor: the same matches, in the
 * same order, with the same items-changed as one thread finds. */
static void
test_filter_list_parallel (void)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  int modulus = 3;
  g_autoptr(GtkCustomFilter) filter = gtk_custom_filter_new (is_even, &modulus, NULL);
  g_autoptr(CoopFilterList) one = NULL;
  g_autoptr(CoopFilterList) many = NULL;
  Changed changed_one = { 0 }, changed_many = { 0 };

  for (guint i = 0; i < 50000; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      gtk_string_list_append (strings, text);
    }
  one = coop_filter_list_new (G_LIST_MODEL (strings), GTK_FILTER (filter));
  many = coop_filter_list_new (G_LIST_MODEL (strings), GTK_FILTER (filter));
  coop_filter_list_set_parallel (many, TRUE);
  g_signal_connect (one, "items-changed", G_CALLBACK (on_items_changed_cb), &changed_one);
  g_signal_connect (many, "items-changed", G_CALLBACK (on_items_changed_cb), &changed_many);

  /* Multiples of 6 and of 12 are among those of 3 and 6: stricter; those
   * of 5 are others. */
  for (guint step = 0; step < 4; step++)
    {
      static const int moduli[] = { 3, 6, 12, 5 };
      int m = moduli[step];
      g_autofree char *dump_one = NULL;
      g_autofree char *dump_many = NULL;

      modulus = m;
      gtk_filter_changed (GTK_FILTER (filter),
                          step == 1 || step == 2 ? GTK_FILTER_CHANGE_MORE_STRICT
                                                 : GTK_FILTER_CHANGE_DIFFERENT);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (many)), ==, (50000 + m - 1) / m);
      dump_one = dump (G_LIST_MODEL (one));
      dump_many = dump (G_LIST_MODEL (many));
      g_assert_cmpstr (dump_many, ==, dump_one);
      g_assert_cmpuint (changed_many.count, ==, changed_one.count);
      g_assert_cmpuint (changed_many.position, ==, changed_one.position);
      g_assert_cmpuint (changed_many.removed, ==, changed_one.removed);
      g_assert_cmpuint (changed_many.added, ==, changed_one.added);
    }
  /* The first step matched what the lists were made with. */
  g_assert_cmpuint (changed_many.count, ==, 3);
}

static void
test_row_list (void)
{
  const char *letters[] = { "a", "b", "c", "d", NULL };
  g_autoptr(GtkStringList) source = gtk_string_list_new (letters);
  g_autoptr(CoopRowList) rows = coop_row_list_new (G_LIST_MODEL (source));
  g_autoptr(CoopRow) first = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  g_autoptr(CoopRow) second = g_list_model_get_item (G_LIST_MODEL (rows), 1);
  g_autoptr(CoopRow) last = g_list_model_get_item (G_LIST_MODEL (rows), 3);
  g_autoptr(CoopRow) again = NULL;
  guint first_notes = 0, second_notes = 0, last_notes = 0;
  Changed changed = { 0 };

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (rows)) == COOP_TYPE_ROW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 4);
  g_assert_cmpstr (row_text (first), ==, "a");
  g_assert_cmpstr (row_text (last), ==, "d");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (rows), 4));
  again = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  g_assert_true (again == first);

  g_signal_connect (rows, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  g_signal_connect (first, "notify::item", G_CALLBACK (on_notify_item_cb), &first_notes);
  g_signal_connect (second, "notify::item", G_CALLBACK (on_notify_item_cb), &second_notes);
  g_signal_connect (last, "notify::item", G_CALLBACK (on_notify_item_cb), &last_notes);

  /* Removing "b": the rows stay, those from the change on show the next
   * item, and the list loses its last row. */
  gtk_string_list_remove (source, 1);
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 3);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 0);
  g_assert_cmpuint (first_notes, ==, 0);
  g_assert_cmpuint (second_notes, ==, 1);
  g_assert_cmpuint (last_notes, ==, 0);
  g_assert_cmpstr (row_text (first), ==, "a");
  g_assert_cmpstr (row_text (second), ==, "c");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 3);

  /* Inserting two at the front: every row moves on, two rows are added at the end. */
  gtk_string_list_splice (source, 0, 0, (const char *[]) { "x", "y", NULL });
  g_assert_cmpuint (changed.count, ==, 2);
  g_assert_cmpuint (changed.position, ==, 3);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 2);
  g_assert_cmpuint (first_notes, ==, 1);
  g_assert_cmpuint (second_notes, ==, 2);
  g_assert_cmpstr (row_text (first), ==, "x");
  g_assert_cmpstr (row_text (second), ==, "y");

  /* A replacement in place changes no row count, and tells only its row. */
  gtk_string_list_splice (source, 1, 1, (const char *[]) { "z", NULL });
  g_assert_cmpuint (changed.count, ==, 2);
  g_assert_cmpuint (first_notes, ==, 1);
  g_assert_cmpuint (second_notes, ==, 3);
  g_assert_cmpstr (row_text (second), ==, "z");

  /* A row the list let go of keeps what it showed; a new one shows the item. */
  g_clear_object (&again);
  gtk_string_list_splice (source, 0, 5, NULL);
  g_assert_cmpuint (changed.count, ==, 3);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.removed, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 0);
  g_assert_cmpstr (row_text (first), ==, "x");
  gtk_string_list_append (source, "w");
  again = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  g_assert_cmpstr (row_text (again), ==, "w");
  g_assert_cmpstr (row_text (first), ==, "x");
  g_assert_cmpuint (changed.count, ==, 4);
  g_assert_cmpuint (changed.position, ==, 0);
  g_assert_cmpuint (changed.added, ==, 1);
}

/* ------------------------------------------------------------------ pacing */

/* What one step of a change of length may build or destroy (PACE_ROWS). */
#define PACE 24

typedef struct {
  CoopRowList *rows;
  GPtrArray   *held;      /* the rows "the view" holds */
  guint        wanted;    /* "the view" holds rows 0 to wanted - 1 */
  GString     *log;       /* "position/removed/added " for each change */
} View;

/* Acts as a list view whose window has room for @wanted rows: it asks for
 * each row it has room for and lets go of those that left the list. */
static void
on_view_items_changed_cb (GListModel *list,
                          guint       position,
                          guint       removed,
                          guint       added,
                          View       *view)
{
  guint n = g_list_model_get_n_items (list);

  g_string_append_printf (view->log, "%u/%u/%u ", position, removed, added);
  if (view->held->len > n)
    g_ptr_array_set_size (view->held, n);
  for (guint i = view->held->len; i < MIN (n, view->wanted); i++)
    g_ptr_array_add (view->held, g_list_model_get_item (list, i));
}

static void
view_init (View        *view,
           CoopRowList *rows,
           guint        wanted)
{
  view->rows = rows;
  view->held = g_ptr_array_new_with_free_func (g_object_unref);
  view->wanted = wanted;
  view->log = g_string_new (NULL);
  on_view_items_changed_cb (G_LIST_MODEL (rows), 0, 0, 0, view);
  g_string_truncate (view->log, 0);
  g_signal_connect (rows, "items-changed", G_CALLBACK (on_view_items_changed_cb), view);
}

static void
view_clear (View *view)
{
  g_signal_handlers_disconnect_by_data (view->rows, view);
  g_ptr_array_unref (view->held);
  g_string_free (view->log, TRUE);
}

static GtkStringList *
numbers (guint n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      gtk_string_list_append (list, text);
    }
  return list;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A list that shrinks or grows by many rows follows in steps that each
 * build or destroy at most PACE rows the view holds; the rows past the new
 * end show no item until they go. */
static void
splice_numbers (GtkStringList *list,
                guint          position,
                guint          removed,
                guint          first,
                guint          n)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = first; i < first + n; i++)
    g_ptr_array_add (texts, g_strdup_printf ("%u", i));
  g_ptr_array_add (texts, NULL);
  gtk_string_list_splice (list, position, removed, (const char * const *) texts->pdata);
}

static void
test_row_list_pace (void)
{
  g_autoptr(GtkStringList) source = numbers (100);
  g_autoptr(CoopRowList) rows = coop_row_list_new (G_LIST_MODEL (source));
  View view;
  CoopRow *row;

  view_init (&view, rows, 60);
  g_assert_cmpuint (view.held->len, ==, 60);

  /* 100 → 10: the view holds rows 0–59, of which 50 must go. */
  gtk_string_list_splice (source, 10, 90, NULL);
  g_assert_cmpstr (view.log->str, ==, "36/64/0 ");
  row = g_ptr_array_index (view.held, 9);
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_item (row)), ==, "9");
  row = g_ptr_array_index (view.held, 20);
  g_assert_null (coop_row_get_item (row));
  drain ();
  g_assert_cmpstr (view.log->str, ==, "36/64/0 12/24/0 10/2/0 ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 10);

  /* 10 → 100: rows are added PACE at a time while the view asks for the
   * last of them, then all the others at once. */
  g_string_truncate (view.log, 0);
  splice_numbers (source, 10, 0, 10, 90);
  g_assert_cmpstr (view.log->str, ==, "10/0/24 ");
  drain ();
  g_assert_cmpstr (view.log->str, ==, "10/0/24 34/0/24 58/0/24 82/0/18 ");
  row = g_ptr_array_index (view.held, 59);
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_item (row)), ==, "59");

  /* A change while the list is on its way: rows past the new end go, the
   * rows that stay show the new items. */
  gtk_string_list_splice (source, 10, 90, NULL);
  g_string_truncate (view.log, 0);
  splice_numbers (source, 0, 10, 100, 5);
  g_assert_cmpstr (view.log->str, ==, "12/24/0 ");
  row = g_ptr_array_index (view.held, 8);
  g_assert_null (coop_row_get_item (row));
  drain ();
  g_assert_cmpstr (view.log->str, ==, "12/24/0 5/7/0 ");
  row = g_ptr_array_index (view.held, 4);
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_item (row)), ==, "104");

  /* A caller that needs a row not there yet settles the list at once. */
  g_string_truncate (view.log, 0);
  splice_numbers (source, 5, 0, 5, 95);
  g_assert_cmpstr (view.log->str, ==, "5/0/24 ");
  coop_row_list_settle (rows);
  g_assert_cmpstr (view.log->str, ==, "5/0/24 29/0/71 ");
  drain ();
  g_assert_cmpstr (view.log->str, ==, "5/0/24 29/0/71 ");

  view_clear (&view);
}

/* Only the rows on screen tell their cells of a new item at once; the
 * others do when they come on screen or from an idle callback. */
static void
test_row_list_shown (void)
{
  g_autoptr(GtkStringList) source = numbers (10);
  g_autoptr(CoopRowList) rows = coop_row_list_new (G_LIST_MODEL (source));
  g_autoptr(CoopRow) first = g_list_model_get_item (G_LIST_MODEL (rows), 0);
  g_autoptr(CoopRow) fifth = g_list_model_get_item (G_LIST_MODEL (rows), 4);
  g_autoptr(CoopRow) late = NULL;
  guint first_notes = 0, fifth_notes = 0, late_notes = 0;

  g_signal_connect (first, "notify::item", G_CALLBACK (on_notify_item_cb), &first_notes);
  g_signal_connect (fifth, "notify::item", G_CALLBACK (on_notify_item_cb), &fifth_notes);
  g_assert_true (coop_row_get_shown_item (fifth) == coop_row_get_item (fifth));

  coop_row_list_set_shown (rows, 0, 3);
  gtk_string_list_splice (source, 0, 10, (const char *[]) { "a", "b", "c", "d", "e", "f",
                                                            "g", "h", "i", "j", NULL });
  g_assert_cmpuint (first_notes, ==, 1);
  g_assert_cmpuint (fifth_notes, ==, 0);
  /* The item is known at once; the cells are told later. */
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_item (fifth)), ==, "e");
  g_assert_null (coop_row_get_shown_item (fifth));
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_shown_item (first)), ==, "a");

  /* A row made off screen shows nothing until it comes on screen. */
  late = g_list_model_get_item (G_LIST_MODEL (rows), 7);
  g_signal_connect (late, "notify::item", G_CALLBACK (on_notify_item_cb), &late_notes);
  g_assert_null (coop_row_get_shown_item (late));

  coop_row_list_set_shown (rows, 3, 3);
  g_assert_cmpuint (fifth_notes, ==, 1);
  g_assert_cmpuint (late_notes, ==, 0);
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_shown_item (fifth)), ==, "e");
  /* Coming on screen again tells nothing new. */
  coop_row_list_set_shown (rows, 0, 10);
  g_assert_cmpuint (fifth_notes, ==, 1);
  g_assert_cmpuint (first_notes, ==, 1);
  g_assert_cmpuint (late_notes, ==, 1);
  g_assert_cmpstr (gtk_string_object_get_string (coop_row_get_shown_item (late)), ==, "h");

  /* Rows off screen catch up soon after, from an idle callback. */
  coop_row_list_set_shown (rows, 0, 1);
  gtk_string_list_splice (source, 0, 10, (const char *[]) { "A", "B", "C", "D", "E", "F",
                                                            "G", "H", "I", "J", NULL });
  g_assert_cmpuint (first_notes, ==, 2);
  g_assert_cmpuint (fifth_notes, ==, 1);
  g_assert_cmpuint (late_notes, ==, 1);
  for (guint i = 0; i < 200 && fifth_notes < 2; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fifth_notes, ==, 2);
  g_assert_cmpuint (late_notes, ==, 2);
  g_assert_cmpuint (first_notes, ==, 2);
}

static CoopPartner *
new_partner (const char *name)
{
  CoopPartner *partner = coop_partner_new ();

  coop_partner_set_name (partner, name);
  return partner;
}

static const char *
name_of (gpointer item)
{
  return coop_partner_get_name (item);
}

/* The names of the partners a list holds, in its order. */
static char *
dump_names (GListModel *list)
{
  return join_items (list, name_of, ",");
}

static void
search (CoopFilterList *list,
        const char     *text)
{
  coop_filter_list_set_query (list, coop_search_query_new (text));
}

static gboolean
is_not_lake (gpointer item,
             gpointer user_data)
{
  return g_strcmp0 (coop_partner_get_name (item), "Lake Ltd") != 0;
}

static int
by_name_descending (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  return -g_strcmp0 (coop_partner_get_name ((CoopPartner *) a),
                     coop_partner_get_name ((CoopPartner *) b));
}

/* A searched list: what it shows for each query, how it says so, and
 * that it follows records that change or move, with its copies of their
 * keys made or not yet. */
static void
test_filter_list_search (void)
{
  const char *names[] = { "Acme Studio", "Acme Steel", "River Ltd", "奇利影视", "Stone Acme" };
  g_autoptr(GListStore) store = g_list_store_new (COOP_TYPE_PARTNER);
  g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (NULL, NULL, NULL);
  g_autoptr(GtkSortListModel) sorted = NULL;
  g_autoptr(GtkCustomFilter) filter = gtk_custom_filter_new (NULL, NULL, NULL);
  g_autoptr(CoopFilterList) list = NULL;
  g_autofree char *text = NULL;
  Changed changed = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CoopPartner) partner = new_partner (names[i]);
      g_list_store_append (store, partner);
    }
  /* As a list page has it: keys dropped first, then sorted, then searched. */
  coop_search_track_list (G_LIST_MODEL (store));
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (store)),
                                    g_object_ref (GTK_SORTER (sorter)));
  list = coop_filter_list_new (G_LIST_MODEL (sorted), GTK_FILTER (filter));
  coop_filter_list_set_searchable (list);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);

  /* No key is made yet: the records are read. */
  search (list, "acme");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Acme Studio,Acme Steel,Stone Acme");
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (changed.count, ==, 1);
  g_assert_cmpuint (changed.position, ==, 2);
  g_assert_cmpuint (changed.removed, ==, 2);
  g_assert_cmpuint (changed.added, ==, 0);
  drain ();

  /* A narrower query, from the copies of the keys. */
  search (list, "acme st");
  g_assert_cmpuint (changed.count, ==, 2);
  g_assert_cmpuint (changed.position, ==, 2);
  g_assert_cmpuint (changed.removed, ==, 1);
  g_assert_cmpuint (changed.added, ==, 0);
  /* The same query again changes nothing. */
  g_assert_false (coop_filter_list_set_query (list, coop_search_query_new ("ACME ST")));
  g_assert_cmpuint (changed.count, ==, 2);

  search (list, "影视");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "奇利影视");
  g_clear_pointer (&text, g_free);

  /* A record that changes is found by what it says now, not before. */
  search (list, "river");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  {
    g_autoptr(CoopPartner) river = g_list_model_get_item (G_LIST_MODEL (store), 2);

    coop_partner_set_name (river, "Lake Ltd");
    g_list_store_splice (store, 2, 1, (gpointer *) &river, 1);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  search (list, "lake");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Lake Ltd");
  g_clear_pointer (&text, g_free);
  drain ();
  search (list, "ltd");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* Sorted anew, every record moves: the keys move with them. */
  search (list, "s");
  gtk_custom_sorter_set_sort_func (sorter, by_name_descending, NULL, NULL);
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Stone Acme,Acme Studio,Acme Steel");
  g_clear_pointer (&text, g_free);
  search (list, "acme");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Stone Acme,Acme Studio,Acme Steel");
  g_clear_pointer (&text, g_free);

  /* Records come and go. */
  {
    g_autoptr(CoopPartner) more = new_partner ("Acme River");

    g_list_store_remove (store, 0);
    g_list_store_remove (store, 0);
    g_list_store_append (store, more);
  }
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Stone Acme,Acme River");
  g_clear_pointer (&text, g_free);
  drain ();
  search (list, "river");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Acme River");
  g_clear_pointer (&text, g_free);

  /* The filter and the search both have their say; an empty query
   * leaves the filter alone. */
  gtk_custom_filter_set_filter_func (filter, is_not_lake, NULL, NULL);
  search (list, "");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "奇利影视,Stone Acme,Acme River");
  g_clear_pointer (&text, g_free);
  search (list, "acme");
  text = dump_names (G_LIST_MODEL (list));
  g_assert_cmpstr (text, ==, "Stone Acme,Acme River");
  g_clear_pointer (&text, g_free);
  gtk_custom_filter_set_filter_func (filter, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  search (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
}

/* Over many records, several threads find what one finds. */
static void
test_filter_list_search_parallel (void)
{
  g_autoptr(GListStore) store = g_list_store_new (COOP_TYPE_PARTNER);
  g_autoptr(CoopFilterList) one = NULL;
  g_autoptr(CoopFilterList) many = NULL;

  for (guint i = 0; i < 30000; i++)
    {
      g_autofree char *name = g_strdup_printf ("公司 %u", i);
      g_autoptr(CoopPartner) partner = new_partner (name);

      g_list_store_append (store, partner);
    }
  one = coop_filter_list_new (G_LIST_MODEL (store), NULL);
  many = coop_filter_list_new (G_LIST_MODEL (store), NULL);
  coop_filter_list_set_searchable (one);
  coop_filter_list_set_searchable (many);
  coop_filter_list_set_parallel (many, TRUE);

  /* Before the keys are copied, and after. */
  for (guint round = 0; round < 2; round++)
    {
      static const char *queries[] = { "7", "77", "公司 1", "777", "9", "" };

      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        {
          g_autofree char *dump_one = NULL;
          g_autofree char *dump_many = NULL;

          search (one, queries[q]);
          search (many, queries[q]);
          dump_one = dump_names (G_LIST_MODEL (one));
          dump_many = dump_names (G_LIST_MODEL (many));
          g_assert_cmpstr (dump_many, ==, dump_one);
        }
      search (one, "77");
      /* Of the numbers below 30,000, 840 have "77" in them. */
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (one)), ==, 840);
      drain ();
    }
}


int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/filter-list", test_filter_list);
  g_test_add_func ("/ui/filter-list/parallel", test_filter_list_parallel);
  g_test_add_func ("/ui/filter-list/search", test_filter_list_search);
  g_test_add_func ("/ui/filter-list/search/parallel", test_filter_list_search_parallel);
  g_test_add_func ("/ui/row-list", test_row_list);
  g_test_add_func ("/ui/row-list/pace", test_row_list_pace);
  g_test_add_func ("/ui/row-list/shown", test_row_list_shown);

  return g_test_run ();
}
