/* bench-window.c — how fast the main window appears and refilters on a large database
 *
 * Usage: bench-window [DATABASE]   (default: a copy of /tmp/large.db)
 * Run under a display (xvfb-run).  Prints the time from start to the
 * window's first frame, the time until every list is loaded, and the time
 * a search keystroke on the Students page takes to refilter: each search
 * is typed one character at a time into the empty entry and then erased
 * again with Backspace, as a user does.  After each keystroke it also runs
 * the main loop until the window has painted, and reports the longest
 * single piece of work there (a frame, or a step of the list catching up
 * with a change of length) in processor time of the main thread, which
 * leaves out the software rendering of the virtual X server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <time.h>

#include "coop-test-util.h"
#include "coop-search.h"
#include "coop-store.h"
#include "coop-text.h"
#include "coop-student.h"
#include "coop-window.h"

static gint64 start_time;
static gint64 first_frame_time;

static guint n_frames;

/* The processor time the main thread has used: time spent waiting for the
 * X server (a virtual one here, which renders in software) is not counted. */
static double
thread_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1000.0 + now.tv_nsec / 1e6;
}

static void
on_frame_done_cb (GdkFrameClock *clock,
                  gpointer       user_data)
{
  n_frames++;
}

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

/* One keystroke: @text is the entry's text with one character typed at
 * its end or erased from it, as a key press changes it (once, where
 * gtk_editable_set_text() would empty the entry first). */
static double
time_keystroke (CoopListPage *page,
                const char   *text)
{
  GtkEditable *entry = coop_list_page_get_search_entry (page);
  int length = (int) g_utf8_strlen (gtk_editable_get_text (entry), -1);
  int position = length;
  gint64 t0 = g_get_monotonic_time ();

  if (g_utf8_strlen (text, -1) > length)
    gtk_editable_insert_text (entry, g_utf8_offset_to_pointer (text, length), -1, &position);
  else
    gtk_editable_delete_text (entry, length - 1, length);
  return ms_since (t0);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main loop until the window has painted a frame and nothing is
 * left to do, and returns the longest single stretch of work in it: one
 * main loop iteration, such as a frame or an idle step of the rows. */
static double
settle (void)
{
  guint frames = n_frames;
  double worst = 0;

  for (;;)
    {
      double t0 = thread_ms ();
      gboolean busy = g_main_context_iteration (NULL, n_frames == frames);

      worst = MAX (worst, thread_ms () - t0);
      if (!busy && n_frames > frames)
        return worst;
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
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
  /* The characters themselves, and Latin letters that also try pinyin. */
  const char *searches[][6] = {
    { "019", "林", "王", "2024", "学生", "计算机" },
    { "zhang", "zs", "wangf", "lin", "xues", "liming" },
  };
  const char *kinds[] = { "without pinyin", "with pinyin" };
  guint keystrokes[2] = { 0, 0 };
  double appear_ms, load_ms;
  double worst[2] = { 0, 0 }, total[2] = { 0, 0 };
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (double));
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
  /* As the application opens a file: its quick check runs beside the load. */
  store = coop_store_open (path, COOP_STORE_OPEN_CHECK_BESIDE, &error);
  g_assert_no_error (error);
  g_print ("database open after %.1f ms\n", ms_since (start_time));
  window = coop_window_new (NULL, store);
  g_print ("window built after %.1f ms\n", ms_since (start_time));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint_cb), NULL);
  g_signal_connect_after (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                          G_CALLBACK (on_frame_done_cb), NULL);

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
  /* The lists, their pages' copies of the search keys and the rows. */
  g_print ("memory once loaded and searchable: private %.1f MB, peak resident %.1f MB\n",
           coop_test_status_kb ("RssAnon:") / 1024.0, coop_test_status_kb ("VmHWM:") / 1024.0);

  /* The first round warms up; the second is measured. */
  for (guint round = 0; round < 2; round++)
    for (guint k = 0; k < G_N_ELEMENTS (searches); k++)
      for (guint i = 0; i < G_N_ELEMENTS (searches[k]); i++)
        {
          const char *search = searches[k][i];
          glong n_chars = g_utf8_strlen (search, -1);

          /* Typed, then erased: prefixes 1..n, then n-1..0. */
          for (glong step = 1; step <= 2 * n_chars; step++)
            {
              glong prefix = step <= n_chars ? step : 2 * n_chars - step;
              const char *end = g_utf8_offset_to_pointer (search, prefix);
              g_autofree char *text = g_strndup (search, (gsize) (end - search));
              double ms = time_keystroke (page, text);
              double after = settle ();

              if (round == 1)
                {
                  g_print ("“%s”: %.2f ms, then at most %.2f ms at a time, %u shown\n",
                           text, ms, after, coop_list_page_get_n_shown (page));
                  g_array_append_val (steps, after);
                  worst[k] = MAX (worst[k], ms);
                  total[k] += ms;
                  keystrokes[k]++;
                }
            }
        }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      GListModel *students = coop_store_get_list (store, COOP_TYPE_STUDENT);
      g_autoptr(CoopSearchQuery) query = coop_search_query_new (k == 0 ? "林" : "lin");
      guint n = g_list_model_get_n_items (students), hits = 0;
      gint64 t0 = g_get_monotonic_time ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CoopRecord) record = g_list_model_get_item (students, i);
          hits += coop_search_matches (record, query);
        }
      g_print ("matching alone, %s: %.2f ms for %u students (%u hits)\n", kinds[k],
               ms_since (t0), n, hits);
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    g_print ("keystroke refilter on %u students, %s (%u keystrokes): mean %.2f ms, "
             "worst %.2f ms\n", coop_list_page_get_n_total (page), kinds[k], keystrokes[k],
             total[k] / keystrokes[k], worst[k]);
  g_array_sort (steps, compare_doubles);
  g_print ("work after a keystroke, at most at a time: median %.2f ms, worst %.2f ms\n",
           g_array_index (steps, double, steps->len / 2),
           g_array_index (steps, double, steps->len - 1));

  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  /* The store leaves its lock and backups next to the file. */
  coop_test_remove_tree (dir);
  return 0;
}
