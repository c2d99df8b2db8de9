/* test-import-dialog.c — the import dialog driven through its widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "coop-test-util.h"
#include "coop-import-dialog.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-test-ui.h"

typedef struct {
  char             *dir;
  CoopStore        *store;
  CoopImportDialog *dialog;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("coop-import-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "coopdesk.db", NULL);
  f->store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_store_load_all (f->store, NULL, &error);
  g_assert_no_error (error);

  f->dialog = coop_import_dialog_new (NULL, f->store);
  gtk_window_present (GTK_WINDOW (f->dialog));
}

static gboolean
window_gone (gpointer data)
{
  return g_list_model_get_n_items (gtk_window_get_toplevels ()) == 0;
}

static gboolean
dialog_gone (gpointer data)
{
  Fixture *f = data;

  return f->dialog == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* The worker task holds the dialog until its thread is done. */
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  coop_test_wait_for (window_gone, NULL);
  coop_test_wait_for (dialog_gone, f);
  g_clear_object (&f->store);

  coop_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  return coop_test_find (widget, is_named, name);
}

static GtkWidget *
get_named (Fixture    *f,
           const char *name)
{
  GtkWidget *widget = find_named (GTK_WIDGET (f->dialog), name);

  g_assert_nonnull (widget);
  return widget;
}

typedef struct {
  Fixture    *f;
  const char *page;
} PageWait;

static gboolean
page_shown (gpointer data)
{
  PageWait *wait = data;
  GtkStack *stack = GTK_STACK (get_named (wait->f, "import-stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), wait->page) == 0;
}

static void
open_fixture (Fixture    *f,
              const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("COOP_TEST_DATA"), name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PageWait wait = { f, "preview" };

  coop_import_dialog_open_file (f->dialog, file);
  coop_test_wait_for (page_shown, &wait);
}

static guint
preview_rows (Fixture *f)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (get_named (f, "preview-view"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

static guint
n_students (Fixture *f)
{
  return g_list_model_get_n_items (coop_store_get_list (f->store, COOP_TYPE_STUDENT));
}

static void
save_screenshot (Fixture    *f,
                 const char *name)
{
  const char *dir = g_getenv ("COOP_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width, height;

  if (dir == NULL)
    return;
  /* Let the newest page be laid out and drawn first. */
  paintable = gtk_widget_paintable_new (GTK_WIDGET (f->dialog));
  for (int i = 0; i < 500 && node == NULL; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
      width = gtk_widget_get_width (GTK_WIDGET (f->dialog));
      height = gtk_widget_get_height (GTK_WIDGET (f->dialog));
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->dialog)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* ------------------------------------------------------------------ tests */

static void
test_dialog_errors (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *button;
  PageWait done = { f, "done" };
  const char *summary;

  open_fixture (f, "import-errors.csv");
  g_assert_cmpuint (preview_rows (f), ==, 8);
  summary = gtk_label_get_text (GTK_LABEL (get_named (f, "summary-label")));
  g_assert_nonnull (strstr (summary, "1 new"));
  g_assert_nonnull (strstr (summary, "7 with errors"));
  g_assert_true (gtk_widget_get_visible (get_named (f, "blocked-label")));

  /* Rows with errors block the import until valid rows only is chosen. */
  button = get_named (f, "import-button");
  g_assert_false (gtk_widget_is_sensitive (button));
  save_screenshot (f, "import-dialog-errors.png");

  gtk_switch_set_active (GTK_SWITCH (get_named (f, "valid-only-switch")), TRUE);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_get_visible (get_named (f, "blocked-label")));
  gtk_widget_activate (button);
  coop_test_wait_for (page_shown, &done);

  g_assert_cmpuint (n_students (f), ==, 1);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (get_named (f, "done-page"))),
                   ==, "1 added, 0 updated, 0 unchanged, 7 skipped with errors");
}

static void
test_dialog_xlsx (Fixture       *f,
                  gconstpointer  data)
{
  PageWait done = { f, "done" };
  g_autoptr(CoopStudent) first = NULL;

  open_fixture (f, "import-libreoffice.xlsx");
  g_assert_cmpuint (preview_rows (f), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (get_named (f, "import-button")));
  save_screenshot (f, "import-dialog-xlsx.png");

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  coop_test_wait_for (page_shown, &done);

  g_assert_cmpuint (n_students (f), ==, 3);
  save_screenshot (f, "import-dialog-done.png");
  first = g_list_model_get_item (coop_store_get_list (f->store, COOP_TYPE_STUDENT), 0);
  g_assert_cmpstr (coop_student_get_number (first), ==, "00231001");
  g_assert_cmpstr (coop_student_get_name (first), ==, "张伟");
  g_assert_cmpstr (coop_student_get_department_name (first), ==, "艺术设计学院");

  /* The same file again: every student is unchanged. */
  open_fixture (f, "import-libreoffice.xlsx");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (f, "summary-label"))),
                            "3 unchanged"));

  /* And from a text file, one of them changed. */
  open_fixture (f, "import-utf8-bom.csv");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (get_named (f, "summary-label"))),
                            "0 new, 2 to update, 1 unchanged"));
  save_screenshot (f, "import-dialog-update.png");
}

static void
test_dialog_encoding (Fixture       *f,
                      gconstpointer  data)
{
  AdwComboRow *row;
  GListModel *encodings;
  PageWait preview = { f, "preview" };

  open_fixture (f, "import-gbk.csv");
  g_assert_cmpuint (preview_rows (f), ==, 3);
  row = ADW_COMBO_ROW (get_named (f, "encoding-row"));
  encodings = adw_combo_row_get_model (row);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (encodings), 0), ==,
                   "Automatic (GB18030)");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (encodings), 2), ==, "GB18030");

  /* The user's choice re-reads the file. */
  adw_combo_row_set_selected (row, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (get_named (f, "import-stack"))),
                   ==, "busy");
  coop_test_wait_for (page_shown, &preview);
  g_assert_cmpuint (preview_rows (f), ==, 3);
  g_assert_true (gtk_widget_is_sensitive (get_named (f, "import-button")));
}

static void
test_dialog_close_while_reading (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("COOP_TEST_DATA"), "import-gbk.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* Closing the dialog while its worker thread runs stores nothing and
   * leaks nothing; the tear-down destroys it at once. */
  coop_import_dialog_open_file (f->dialog, file);
  g_assert_cmpuint (n_students (f), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* For screenshots in another language (gtk_test_init() chose the C
   * locale): a folder with LANG/LC_MESSAGES/coopdesk.mo. */
  if (g_getenv ("COOP_TEST_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("COOP_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/import/dialog/errors", test_dialog_errors);
  ADD ("/import/dialog/xlsx", test_dialog_xlsx);
  ADD ("/import/dialog/encoding", test_dialog_encoding);
  ADD ("/import/dialog/close-while-reading", test_dialog_close_while_reading);
#undef ADD

  return g_test_run ();
}
