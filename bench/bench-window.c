/* bench-window.c — how fast the main window appears and refilters on a large database
 *
 * Usage: bench-window [DATABASE]   (default: a copy of /tmp/large.db)
 * Run under a display (xvfb-run).  Prints the time from start to the
 * window's first frame, the time until every list is loaded, and the time
 * one search keystroke on the Students page takes to refilter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "coop-search.h"
#include "coop-store.h"
#include "coop-text.h"
#include "coop-student.h"
#include "coop-window.h"

static gint64 start_time;
static gint64 first_frame_time;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  if (first_frame_time == 0)
    first_frame_time = g_get_monotonic_time ();
}

static double
ms_since (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

static double
time_keystroke (CoopListPage *page,
                const char   *text)
{
  gint64 t0 = g_get_monotonic_time ();

  coop_list_page_set_search_text (page, text);
  return ms_since (t0);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CoopStore) store = NULL;
  CoopWindow *window;
  CoopListPage *page;
  const char *source = argc > 1 ? argv[1] : "/tmp/large.db";
  const char *keys[] = { "0", "01", "019", "林", "王", "2", "20", "202" };
  double appear_ms, load_ms;
  double worst = 0, total = 0;
  g_autofree char *contents = NULL;
  gsize length;

  dir = g_dir_make_tmp ("coop-bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "large.db", NULL);
  if (!g_file_get_contents (source, &contents, &length, &error) ||
      !g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE, 0600, &error))
    {
      g_printerr ("Cannot copy %s: %s\n", source, error->message);
      return 1;
    }
  g_clear_pointer (&contents, g_free);

  start_time = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();

  g_print ("toolkit initialised after %.1f ms\n", ms_since (start_time));
  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_print ("database open after %.1f ms\n", ms_since (start_time));
  window = coop_window_new (NULL, store);
  g_print ("window built after %.1f ms\n", ms_since (start_time));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);

  while (first_frame_time == 0)
    g_main_context_iteration (NULL, TRUE);
  appear_ms = (first_frame_time - start_time) / 1000.0;

  while (!coop_window_get_loaded (window))
    g_main_context_iteration (NULL, TRUE);
  load_ms = ms_since (start_time);
  drain ();

  /* Let the idle work of computing search keys finish, as it would while
   * the user reads the overview. */
  drain ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "students");
  drain ();
  page = coop_window_get_list_page (window, "students");

  g_print ("window appeared after %.1f ms\n", appear_ms);
  g_print ("all lists loaded after %.1f ms (%u students)\n", load_ms,
           coop_list_page_get_n_total (page));

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        double ms = time_keystroke (page, keys[i]);

        drain ();
        g_print ("search “%s”: %.2f ms, %u shown\n", keys[i], ms, coop_list_page_get_n_shown (page));
        if (round == 1)
          {
            worst = MAX (worst, ms);
            total += ms;
          }
        time_keystroke (page, "");
        drain ();
      }

  {
    GListModel *students = coop_store_get_list (store, COOP_TYPE_STUDENT);
    g_autofree char *needle = coop_text_fold ("林");
    guint n = g_list_model_get_n_items (students), hits = 0;
    gint64 t0 = g_get_monotonic_time ();

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(CoopRecord) record = g_list_model_get_item (students, i);
        hits += coop_search_matches (record, needle);
      }
    g_print ("matching alone: %.2f ms for %u students (%u hits)\n", ms_since (t0), n, hits);
  }

  g_print ("keystroke refilter on %u students: mean %.2f ms, worst %.2f ms\n",
           coop_list_page_get_n_total (page), total / G_N_ELEMENTS (keys), worst);

  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
