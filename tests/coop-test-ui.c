/* coop-test-ui.c — what the tests that drive real widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "coop-test-ui.h"

/* Runs the main loop while it has something ready to do. */
void
coop_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
void
coop_test_wait_ms (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, on_timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @condition holds; fails the test after 20 s. */
void
coop_test_wait_for (GSourceFunc condition,
                    gpointer    data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, on_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* The first of @root and its descendants, depth first, that @match takes. */
GtkWidget *
coop_test_find (GtkWidget     *root,
                CoopTestMatch  match,
                gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = coop_test_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) data);
}

GtkWidget *
coop_test_find_type (GtkWidget *root,
                     GType      type)
{
  return coop_test_find (root, is_of_type, &type);
}

/* Destroys every window, as a test's tear-down does, and lets them go. */
void
coop_test_close_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  coop_test_drain ();
}

/* A shown window of @type, or %NULL. */
GtkWindow *
coop_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return GTK_WINDOW (window);
    }
  return NULL;
}

/* Without a window manager a window becomes active only once the X server
 * has given it the input focus; present it again until it has.  For
 * coop_test_wait_for(). */
gboolean
coop_test_window_active (gpointer window)
{
  if (gtk_window_is_active (window))
    return TRUE;
  gtk_window_present (window);
  coop_test_wait_ms (20);
  return gtk_window_is_active (window);
}
