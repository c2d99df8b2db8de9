/* test-ui-list-page.c — a list page's cells, selection and scrolling while it is searched
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-list-page"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "coop-test-util.h"
#include "coop-list-page.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-test-ui.h"

#define N_STUDENTS 300

static const char * const columns[] = { "number", "name", "major", NULL };
static const char * const filters[] = { "graduation-year", NULL };

static const CoopListPageInfo info = {
  coop_student_get_type, columns, filters, "No Students Yet", "_New Student"
};

typedef struct {
  char         *dir;
  CoopStore    *store;
  GtkWindow    *window;
  CoopListPage *page;
} Fixture;

static void
drain (void)
{
  /* A few frames, so that the view lays out its rows. */
  for (guint i = 0; i < 5; i++)
    {
      coop_test_drain ();
      g_usleep (10000);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("coop-test-list-page-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  /* Every tenth student is a 林, the others 王; numbers 0000–0299, or as
   * many as the test asks for. */
  g_assert_true (coop_store_begin (fixture->store, &error));
  for (guint i = 0; i < (user_data != NULL ? *(const guint *) user_data : N_STUDENTS); i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autofree char *number = g_strdup_printf ("%04u", i);
      g_autofree char *name = g_strdup_printf ("%s同学%u", i % 10 == 0 ? "林" : "王", i);

      coop_student_set_number (student, number);
      coop_student_set_name (student, name);
      coop_student_set_graduation_year (student, 2024 + i % 3);
      g_assert_true (coop_store_save (fixture->store, COOP_RECORD (student), &error));
      g_assert_no_error (error);
    }
  g_assert_true (coop_store_commit (fixture->store, &error));
  g_assert_true (coop_store_load_all (fixture->store, NULL, &error));
  g_assert_no_error (error);

  fixture->page = coop_list_page_new (fixture->store, &info);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 500);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->page)))
    g_main_context_iteration (NULL, TRUE);
  drain ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gtk_window_destroy (fixture->window);
  drain ();
  g_clear_object (&fixture->store);

  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* The labels of @view's rows; with @on_screen, only those in its visible
 * part: the view keeps many more rows than it shows (unmapped), and those
 * off screen are brought up to date only after them. */
static void
collect_labels (GtkWidget *widget,
                GtkWidget *view,
                gboolean   on_screen,
                GPtrArray *texts)
{
  graphene_rect_t bounds;

  if (GTK_IS_LABEL (widget) &&
      (!on_screen ||
       (gtk_widget_get_mapped (widget) &&
        gtk_widget_compute_bounds (widget, view, &bounds) &&
        bounds.origin.y + bounds.size.height > 0 &&
        bounds.origin.y < gtk_widget_get_height (view))))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, view, on_screen, texts);
}

/* The texts the rows on screen show, row by row in the order the view lays
 * them out (the list view under the column headers), each row as "number
 * name major". */
static GPtrArray *
rows_of_view (Fixture  *fixture,
              gboolean  on_screen)
{
  GtkWidget *column_view = coop_test_find_type (GTK_WIDGET (fixture->page), GTK_TYPE_COLUMN_VIEW);
  GtkWidget *list_view = coop_test_find_type (column_view, GTK_TYPE_LIST_VIEW);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  g_assert_nonnull (list_view);
  collect_labels (list_view, list_view, on_screen, labels);
  g_assert_cmpuint (labels->len % 3, ==, 0);
  for (guint i = 0; i < labels->len; i += 3)
    g_ptr_array_add (rows, g_strdup_printf ("%s %s %s", (char *) labels->pdata[i],
                                            (char *) labels->pdata[i + 1],
                                            (char *) labels->pdata[i + 2]));
  return rows;
}

static GPtrArray *
shown_rows (Fixture *fixture)
{
  return rows_of_view (fixture, TRUE);
}

static char *
record_row (CoopStudent *student)
{
  return g_strdup_printf ("%s %s %s", coop_student_get_number (student),
                          coop_student_get_name (student),
                          coop_student_get_major (student) ? coop_student_get_major (student) : "");
}

/* Every row on screen shows the record at its place in the page's model,
 * the first at @first. */
static void
assert_rows_match_model_from (Fixture *fixture,
                              guint    first)
{
  g_autoptr(GPtrArray) rows = shown_rows (fixture);
  GListModel *model = coop_list_page_get_model (fixture->page);
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (first + rows->len, <=, n);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(CoopStudent) student = g_list_model_get_item (model, first + i);
      g_autofree char *expected = record_row (student);

      g_assert_cmpstr (rows->pdata[i], ==, expected);
    }
}

/* The same, when the view starts at the first record. */
static void
assert_rows_match_model (Fixture *fixture)
{
  assert_rows_match_model_from (fixture, 0);
}

static CoopStudent *
student_at (Fixture *fixture,
            guint    position)
{
  return g_list_model_get_item (coop_list_page_get_model (fixture->page), position);
}

/* Whether every row the view keeps, on screen or not, shows the record at
 * its place. */
static gboolean
all_rows_match_model (Fixture *fixture)
{
  g_autoptr(GPtrArray) all = rows_of_view (fixture, FALSE);
  g_autoptr(GPtrArray) on_screen = shown_rows (fixture);
  GListModel *model = coop_list_page_get_model (fixture->page);

  g_assert_cmpuint (all->len, >, on_screen->len);
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(CoopStudent) student = g_list_model_get_item (model, i);
      g_autofree char *expected = record_row (student);

      if (g_strcmp0 (all->pdata[i], expected) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
test_cells_follow_search (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, N_STUDENTS);
  rows = shown_rows (fixture);
  /* A window 500 pixels high shows some rows, not all 300. */
  g_assert_cmpuint (rows->len, <, N_STUDENTS);
  assert_rows_match_model (fixture);

  coop_list_page_set_search_text (fixture->page, "林");
  drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, N_STUDENTS / 10);
  assert_rows_match_model (fixture);

  /* Narrower still (林同学10 and 林同学100 to 190), then wider again. */
  coop_list_page_set_search_text (fixture->page, "林同学1");
  drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, 11);
  assert_rows_match_model (fixture);

  coop_list_page_set_search_text (fixture->page, "");
  drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, N_STUDENTS);
  assert_rows_match_model (fixture);

  /* A drop-down filter does the same. */
  coop_list_page_set_filter (fixture->page, 0, 1);
  drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, N_STUDENTS / 3);
  assert_rows_match_model (fixture);

  /* Soon after, within a second, the rows the view keeps off screen are up
   * to date too. */
  for (guint round = 0; round < 100 && !all_rows_match_model (fixture); round++)
    drain ();
  g_assert_true (all_rows_match_model (fixture));
}

static void
test_cells_follow_store (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStudent) first = NULL;
  g_autoptr(CoopStudent) second = NULL;
  g_autoptr(CoopStudent) added = coop_student_new ();

  coop_list_page_set_search_text (fixture->page, "林");
  drain ();

  /* An edit shows in its row. */
  second = student_at (fixture, 1);
  coop_student_set_major (second, "软件工程");
  g_assert_true (coop_store_save (fixture->store, COOP_RECORD (second), &error));
  g_assert_no_error (error);
  drain ();
  assert_rows_match_model (fixture);
  {
    g_autoptr(GPtrArray) rows = shown_rows (fixture);
    g_assert_cmpstr (rows->pdata[1], ==, "0010 林同学10 软件工程");
  }

  /* A deletion moves the rows after it up. */
  first = student_at (fixture, 0);
  g_assert_true (coop_store_delete (fixture->store, COOP_RECORD (first), &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, N_STUDENTS / 10 - 1);
  assert_rows_match_model (fixture);
  {
    g_autoptr(GPtrArray) rows = shown_rows (fixture);
    g_assert_cmpstr (rows->pdata[0], ==, "0010 林同学10 软件工程");
  }

  /* A new record that matches is shown; one that does not is not. */
  coop_student_set_number (added, "9999");
  coop_student_set_name (added, "林新");
  g_assert_true (coop_store_save (fixture->store, COOP_RECORD (added), &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (coop_list_page_get_n_shown (fixture->page), ==, N_STUDENTS / 10);
  g_assert_cmpuint (coop_list_page_get_n_total (fixture->page), ==, N_STUDENTS);
  assert_rows_match_model (fixture);
}

/* Rows that were off screen during a search show their records once they
 * are scrolled to, whether the view had kept them or builds them then. */
static void
test_cells_follow_scroll (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GtkWidget *column_view = coop_test_find_type (GTK_WIDGET (fixture->page), GTK_TYPE_COLUMN_VIEW);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column_view));
  GListModel *model = coop_list_page_get_model (fixture->page);
  double row_height;

  /* The rows further down show the 王 while the search is on… */
  coop_list_page_set_search_text (fixture->page, "王");
  drain ();
  row_height = gtk_adjustment_get_upper (adjustment) / g_list_model_get_n_items (model);
  g_assert_cmpfloat (row_height, >, 0);
  gtk_adjustment_set_value (adjustment, 100 * row_height);
  drain ();
  assert_rows_match_model_from (fixture, 100);
  gtk_adjustment_set_value (adjustment, 0);
  drain ();

  /* …and everybody once it is gone, though they were off screen then. */
  coop_list_page_set_search_text (fixture->page, "");
  drain ();
  assert_rows_match_model (fixture);

  /* Into the rows the view kept, then past them, then back. */
  for (guint i = 0; i < 3; i++)
    {
      guint first = (guint[]) { 100, 260, 40 }[i];

      gtk_adjustment_set_value (adjustment, first * row_height);
      drain ();
      assert_rows_match_model_from (fixture, first);
    }
}

static GtkColumnViewColumn *
column_for (Fixture    *fixture,
            const char *property)
{
  GtkWidget *view = coop_test_find_type (GTK_WIDGET (fixture->page), GTK_TYPE_COLUMN_VIEW);
  GListModel *view_columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (view));

  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (view_columns, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (column), "coop-property"), property) == 0)
        return column;
    }
  g_assert_not_reached ();
}

static void
add_student (Fixture    *fixture,
             const char *number,
             const char *name,
             const char *major)
{
  g_autoptr(CoopStudent) student = coop_student_new ();
  g_autoptr(GError) error = NULL;

  coop_student_set_number (student, number);
  coop_student_set_name (student, name);
  coop_student_set_major (student, major);
  g_assert_true (coop_store_save (fixture->store, COOP_RECORD (student), &error));
  g_assert_no_error (error);
  drain ();
}

/* The columns of a short list widen to fit the records entered, but not a
 * column the user has dragged to a width of their own. */
static void
test_columns_fit (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GtkColumnViewColumn *major = column_for (fixture, "major");
  GtkColumnViewColumn *name = column_for (fixture, "name");
  int major_width = gtk_column_view_column_get_fixed_width (major);
  int name_width = gtk_column_view_column_get_fixed_width (name);

  g_assert_cmpint (major_width, >, 0);
  add_student (fixture, "0003", "王同学3", "计算机科学与技术（中外合作办学）");
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (major), >, major_width);
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (name), ==, name_width);

  gtk_column_view_column_set_fixed_width (name, 60);
  add_student (fixture, "0004", "欧阳王林同学四号", NULL);
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (name), ==, 60);
}

static void
on_selected_cb (CoopListPage *page,
                GParamSpec   *pspec,
                guint        *count)
{
  (*count)++;
}

static void
test_selection_follows_record (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(CoopStudent) chosen = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  /* 0150 林同学150: the 151st of all, the 16th of the 林. */
  g_assert_true (coop_list_page_select_record (fixture->page, 151));
  drain ();
  chosen = g_object_ref (COOP_STUDENT (coop_list_page_get_selected (fixture->page)));
  g_assert_cmpstr (coop_student_get_number (chosen), ==, "0150");
  g_signal_connect (fixture->page, "notify::selected", G_CALLBACK (on_selected_cb), &notified);

  /* Searching keeps it selected at its new place, and shows it. */
  coop_list_page_set_search_text (fixture->page, "林");
  drain ();
  g_assert_true (coop_list_page_get_selected (fixture->page) == COOP_RECORD (chosen));
  g_assert_cmpuint (notified, >=, 1);
  {
    g_autoptr(GPtrArray) rows = shown_rows (fixture);
    gboolean shown = FALSE;

    for (guint i = 0; i < rows->len; i++)
      shown |= g_str_has_prefix (rows->pdata[i], "0150 ");
    g_assert_true (shown);
  }

  /* An edit elsewhere leaves it selected. */
  {
    g_autoptr(CoopStudent) other = student_at (fixture, 0);

    coop_student_set_major (other, "数学");
    g_assert_true (coop_store_save (fixture->store, COOP_RECORD (other), &error));
    g_assert_no_error (error);
    drain ();
    g_assert_true (coop_list_page_get_selected (fixture->page) == COOP_RECORD (chosen));
  }

  /* A search that leaves it out leaves nothing selected, and the row that
   * took its place is not selected instead. */
  coop_list_page_set_search_text (fixture->page, "王");
  drain ();
  g_assert_null (coop_list_page_get_selected (fixture->page));
  coop_list_page_set_search_text (fixture->page, "");
  drain ();
  g_assert_null (coop_list_page_get_selected (fixture->page));
  assert_rows_match_model (fixture);
}

static const guint few_students = 3;

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/list-page/cells-follow-search", Fixture, NULL,
              fixture_set_up, test_cells_follow_search, fixture_tear_down);
  g_test_add ("/ui/list-page/cells-follow-store", Fixture, NULL,
              fixture_set_up, test_cells_follow_store, fixture_tear_down);
  g_test_add ("/ui/list-page/cells-follow-scroll", Fixture, NULL,
              fixture_set_up, test_cells_follow_scroll, fixture_tear_down);
  g_test_add ("/ui/list-page/columns-fit", Fixture, &few_students,
              fixture_set_up, test_columns_fit, fixture_tear_down);
  g_test_add ("/ui/list-page/selection-follows-record", Fixture, NULL,
              fixture_set_up, test_selection_follows_record, fixture_tear_down);

  return g_test_run ();
}
