/* test-ui-filter-list.c — the array-backed filter model of the list pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-filter-list"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-filter-list.h"

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

static char *
dump (GListModel *list)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (list, i);
      g_string_append_printf (text, "%s%s", i ? " " : "", gtk_string_object_get_string (item));
    }
  return g_string_free (text, FALSE);
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/filter-list", test_filter_list);

  return g_test_run ();
}
