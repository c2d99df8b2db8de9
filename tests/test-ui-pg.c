/* test-ui-pg.c — two windows on one shared database, under Xvfb
 *
 * Runs under pg_virtualenv (see meson.build): a save in one window's
 * editor reaches the other window's list within a second, without moving
 * its selection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <libpq-fe.h>

#include "coop-editor.h"
#include "coop-list-page.h"
#include "coop-partner.h"
#include "coop-sample.h"
#include "coop-store.h"
#include "coop-test-ui.h"
#include "coop-window.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static gboolean
window_loaded (gpointer data)
{
  return coop_window_get_loaded (data);
}

static CoopWindow *
open_window (const char *uri,
             CoopStore **store)
{
  g_autoptr(GError) error = NULL;
  CoopWindow *window;

  *store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_store_follow_others (*store);
  window = g_object_ref_sink (coop_window_new (NULL, *store));
  gtk_window_present (GTK_WINDOW (window));
  coop_test_wait_for (window_loaded, window);
  coop_test_drain ();
  return window;
}

static CoopListPage *
show_partners (CoopWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "partners");
  coop_test_drain ();
  return coop_window_get_list_page (window, "partners");
}

typedef struct {
  CoopStore  *store;
  const char *short_name;
} Awaited;

static gboolean
partner_shows (gpointer data)
{
  Awaited *awaited = data;
  CoopRecord *partner = coop_store_find (awaited->store, COOP_TYPE_PARTNER, 3);

  return g_strcmp0 (coop_partner_get_short_name (COOP_PARTNER (partner)),
                    awaited->short_name) == 0;
}

typedef struct {
  CoopListPage *page;
  guint         n;
} Counted;

static gboolean
page_counts (gpointer data)
{
  Counted *counted = data;

  return coop_list_page_get_n_total (counted->page) == counted->n;
}

static void
test_two_windows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) admin = PQconnectdb ("dbname=postgres");
  g_autoptr(PGresult) created = PQexec (admin, "CREATE DATABASE coop_two_windows");
  g_autoptr(CoopStore) setup = NULL;
  CoopStore *store_a = NULL, *store_b = NULL;
  CoopWindow *a, *b;
  CoopListPage *page_a, *page_b;
  CoopEditor *editor;
  Awaited awaited;
  Counted counted;
  gint64 start;

  g_assert_cmpint (PQresultStatus (created), ==, PGRES_COMMAND_OK);
  setup = coop_store_open ("postgresql:///coop_two_windows", COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (setup, COOP_SAMPLE_DEMO, &error));
  g_clear_object (&setup);

  a = open_window ("postgresql:///coop_two_windows", &store_a);
  b = open_window ("postgresql:///coop_two_windows", &store_b);
  page_a = show_partners (a);
  page_b = show_partners (b);
  g_assert_cmpuint (coop_list_page_get_n_total (page_b), ==, 6);
  g_assert_true (coop_list_page_select_record (page_b, 5));
  coop_test_drain ();

  /* A secretary edits partner 3 in window A … */
  g_assert_true (coop_list_page_select_record (page_a, 3));
  coop_test_drain ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (a), "win.open-record", NULL));
  coop_test_drain ();
  editor = coop_window_get_editor (a);
  g_assert_nonnull (editor);
  g_assert_true (coop_editor_set_field_text (editor, "short-name", "星图科技"));
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  /* … and window B shows it within a second, its selection where it was. */
  awaited = (Awaited) { store_b, "星图科技" };
  coop_test_wait_for (partner_shows, &awaited);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (page_b)), ==, 5);

  /* A new partner in B appears in A. */
  {
    g_autoptr(CoopPartner) partner = coop_partner_new ();

    coop_partner_set_name (partner, "杭州新媒体有限公司");
    g_assert_true (coop_store_save (store_b, COOP_RECORD (partner), &error));
    g_assert_no_error (error);
  }
  counted = (Counted) { page_a, 7 };
  coop_test_wait_for (page_counts, &counted);
  g_assert_cmpint (coop_record_get_id (coop_list_page_get_selected (page_a)), ==, 3);

  gtk_window_destroy (GTK_WINDOW (a));
  gtk_window_destroy (GTK_WINDOW (b));
  coop_test_drain ();
  g_object_unref (a);
  g_object_unref (b);
  g_object_unref (store_a);
  g_object_unref (store_b);
  coop_test_drain ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  if (g_getenv ("PGHOST") == NULL)
    g_error ("Run this test under pg_virtualenv, which starts the server it needs.");

  g_test_add_func ("/ui-pg/two-windows", test_two_windows);
  return g_test_run ();
}
