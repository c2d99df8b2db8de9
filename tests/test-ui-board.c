/* test-ui-board.c — a pool's candidates as a board of cards, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-board"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-list-page.h"
#include "coop-pool-board.h"
#include "coop-pool-detail.h"
#include "coop-sample.h"
#include "coop-stage-change.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-test-ui.h"
#include "coop-test-util.h"
#include "coop-window.h"

#define N_STAGES (COOP_CANDIDATE_STAGE_WITHDRAWN + 1)
#define DEMO_POOL 1

typedef struct {
  char           *dir;
  CoopStore      *store;
  CoopWindow     *window;
  CoopPoolDetail *detail;
  CoopPoolBoard  *board;
} Fixture;

typedef struct {
  guint position, removed, added, count;
} ItemsChanged;

/* ------------------------------------------------------------------ helpers */

static gboolean
window_loaded (gpointer data)
{
  return coop_window_get_loaded (data);
}

static void
on_items_changed_cb (GListModel   *list,
                     guint         position,
                     guint         removed,
                     guint         added,
                     ItemsChanged *changed)
{
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
  changed->count++;
}

/* @n more students, each a recommended candidate of the demo's first pool,
 * in one transaction. */
static void
add_candidates (CoopStore *store,
                guint      n)
{
  g_autoptr(GError) error = NULL;

  if (n == 0)
    return;
  g_assert_true (coop_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
      g_autofree char *number = g_strdup_printf ("2099%06u", i);
      g_autofree char *name = g_strdup_printf ("学生%u", i);

      coop_student_set_number (student, number);
      coop_student_set_name (student, name);
      coop_student_set_major (student, "数字媒体艺术");
      coop_student_set_class_name (student, "数媒 2099 班");
      g_assert_true (coop_store_save (store, COOP_RECORD (student), &error));
      coop_candidate_set_pool_id (candidate, DEMO_POOL);
      coop_candidate_set_student_id (candidate, coop_record_get_id (COOP_RECORD (student)));
      coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_RECOMMENDED);
      coop_candidate_set_stage_on (candidate, "2026-05-01");
      g_assert_true (coop_store_save (store, COOP_RECORD (candidate), &error));
    }
  g_assert_true (coop_store_commit (store, &error));
  g_assert_no_error (error);
}

/* The demo database with the pools page on screen and its first pool
 * selected; @user_data more candidates in it. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CoopListPage *page;

  fixture->dir = g_dir_make_tmp ("coop-test-board-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_sample_fill (fixture->store, COOP_SAMPLE_DEMO, &error);
  g_assert_no_error (error);
  add_candidates (fixture->store, GPOINTER_TO_UINT (user_data));

  fixture->window = g_object_ref_sink (coop_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  coop_test_wait_for (window_loaded, fixture->window);
  coop_test_drain ();

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s", "pools");
  coop_test_drain ();
  page = coop_window_get_list_page (fixture->window, "pools");
  g_assert_true (coop_list_page_select_record (page, DEMO_POOL));
  coop_test_drain ();

  fixture->detail = COOP_POOL_DETAIL (coop_window_get_detail (fixture->window, "pools"));
  fixture->board = coop_pool_detail_get_board (fixture->detail);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  coop_test_close_toplevels ();
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
  coop_test_drain ();

  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Through the List/Board toggle buttons' action. */
static void
show_view (Fixture    *fixture,
           const char *view)
{
  g_autofree char *shown = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->detail), "pool.view", "s",
                                             view));
  coop_test_drain ();
  g_object_get (fixture->detail, "view", &shown, NULL);
  g_assert_cmpstr (shown, ==, view);
  g_assert_cmpint (gtk_widget_get_mapped (GTK_WIDGET (fixture->board)), ==,
                   g_str_equal (view, "board"));
}

static guint
n_in_column (Fixture           *fixture,
             CoopCandidateStage stage)
{
  return g_list_model_get_n_items (G_LIST_MODEL (coop_pool_board_get_column (fixture->board,
                                                                             stage)));
}

/* The demo pool's candidates in @stage, counted from the store's list. */
static guint
n_stored_in_stage (Fixture           *fixture,
                   CoopCandidateStage stage)
{
  GListModel *all = coop_store_get_list (fixture->store, COOP_TYPE_CANDIDATE);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (all, i);

      n += coop_candidate_get_pool_id (candidate) == DEMO_POOL &&
           coop_candidate_get_stage (candidate) == stage;
    }
  return n;
}

static const char *
count_label_text (Fixture           *fixture,
                  CoopCandidateStage stage)
{
  GtkWidget *header = gtk_widget_get_first_child (coop_pool_board_get_column_widget (fixture->board,
                                                                                     stage));

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (header)));
}

static GtkWidget *
find_toast (CoopWindow *window)
{
  GtkWidget *overlay = coop_test_find_type (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);

  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "toast") &&
        gtk_widget_get_can_target (child))
      return child;
  return NULL;
}

static const char *
shown_toast_title (CoopWindow *window)
{
  GtkWidget *toast = find_toast (window);
  GtkWidget *label = toast ? coop_test_find_type (toast, GTK_TYPE_LABEL) : NULL;

  return label ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

/* The toast's Undo button, as a click on it once the toast is shown: a
 * toast dismissed while it slides in makes libadwaita 1.2 use freed memory,
 * and no person clicks that fast. */
static void
click_toast_undo (CoopWindow *window)
{
  GtkWidget *toast;
  GtkWidget *button;

  coop_test_wait_ms (700);
  toast = find_toast (window);
  button = toast ? coop_test_find_type (toast, GTK_TYPE_BUTTON) : NULL;

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.undo");
  g_signal_emit_by_name (button, "clicked");
  coop_test_drain ();
}

/* The newest line of a candidate's stage history. */
static CoopStageChange *
last_stage_change (Fixture *fixture,
                   gint64   candidate_id,
                   guint   *n_lines)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) history = coop_store_list_stage_history (fixture->store, candidate_id,
                                                                 &error);
  guint n;

  g_assert_no_error (error);
  n = g_list_model_get_n_items (history);
  g_assert_cmpuint (n, >, 0);
  if (n_lines != NULL)
    *n_lines = n;
  return g_list_model_get_item (history, n - 1);
}

/* Runs the shortcut that the board's class binds to @keyval with Alt, as
 * the key press would, on the widget that has the focus. */
static void
press_alt (Fixture *fixture,
           guint    keyval)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, GDK_ALT_MASK);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->board));
  gboolean done = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !done; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !done; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

          if (!gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            continue;
          g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (fixture->board)));
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                       GTK_WIDGET (fixture->board), NULL));
          done = TRUE;
        }
    }
  g_assert_true (done);
  coop_test_drain ();
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  const char *dir = g_getenv ("COOP_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = 0, height = 0;

  if (dir == NULL)
    return;
  coop_test_wait_ms (400);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (fixture->window));
  for (int i = 0; i < 500 && node == NULL; i++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      g_main_context_iteration (NULL, FALSE);
      width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
      height = gtk_widget_get_height (GTK_WIDGET (fixture->window));
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

static guint
find_position (GListModel *model,
                      gpointer    item)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) other = g_list_model_get_item (model, i);

      if (other == item)
        return i;
    }
  return G_MAXUINT;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* ------------------------------------------------------------------ tests */

/* A column per stage, counted in its header; the Closed column counts the
 * three stages it folds; switching between list and board keeps the
 * selection. */
static void
test_board_columns (Fixture       *fixture,
                    gconstpointer  user_data)
{
  GtkSelectionModel *list = coop_pool_detail_get_selection (fixture->detail);
  guint total = 0, closed = 0;
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(CoopCandidate) first = NULL;
  g_autoptr(CoopCandidate) third = NULL;
  g_autoptr(GtkBitset) set = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 8);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  third = g_list_model_get_item (G_LIST_MODEL (list), 2);
  gtk_selection_model_select_item (list, 0, TRUE);
  gtk_selection_model_select_item (list, 2, FALSE);

  show_view (fixture, "board");
  for (CoopCandidateStage stage = 0; stage < N_STAGES; stage++)
    {
      g_autofree char *count = NULL;

      g_assert_cmpuint (n_in_column (fixture, stage), ==, n_stored_in_stage (fixture, stage));
      count = g_strdup_printf ("%u", n_in_column (fixture, stage));
      g_assert_cmpstr (count_label_text (fixture, stage), ==, count);
      total += n_in_column (fixture, stage);
      if (stage >= COOP_CANDIDATE_STAGE_DECLINED)
        closed += n_in_column (fixture, stage);
    }
  g_assert_cmpuint (total, ==, 8);
  g_assert_cmpuint (coop_pool_board_get_closed_count (fixture->board), ==, closed);

  /* A card names the student, the major and class, and the days since the
   * last change of stage. */
  {
    GtkSelectionModel *column = coop_pool_board_get_column (fixture->board,
                                                            coop_candidate_get_stage (first));
    GtkWidget *widget = coop_pool_board_get_column_widget (fixture->board,
                                                           coop_candidate_get_stage (first));
    GDate since, today;
    int year, month, day;
    g_autofree char *days = NULL;
    g_autofree char *study = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (column)), >, 0);
    g_assert_cmpint (sscanf (coop_candidate_get_stage_on (first), "%d-%d-%d", &year, &month, &day),
                     ==, 3);
    g_date_clear (&since, 1);
    g_date_clear (&today, 1);
    g_date_set_dmy (&since, day, month, year);
    g_date_set_dmy (&today, 1, G_DATE_JUNE, 2026);
    days = g_strdup_printf ("%d days in this stage", g_date_days_between (&since, &today));
    study = g_strdup_printf ("%s · %s", coop_candidate_get_major (first),
                             coop_candidate_get_class_name (first));
    coop_test_drain ();
    g_assert_nonnull (coop_test_find (widget, is_label_with_text,
                                      coop_candidate_get_student_name (first)));
    g_assert_nonnull (coop_test_find (widget, is_label_with_text, study));
    g_assert_nonnull (coop_test_find (widget, is_label_with_text, days));
  }

  /* Closed opens to show its three columns. */
  g_assert_false (coop_pool_board_get_closed_expanded (fixture->board));
  g_assert_false (gtk_widget_get_child_visible (gtk_widget_get_parent (
    coop_pool_board_get_column_widget (fixture->board, COOP_CANDIDATE_STAGE_DECLINED))));
  coop_pool_board_set_closed_expanded (fixture->board, TRUE);
  coop_test_wait_for (widget_mapped,
                      coop_pool_board_get_column_widget (fixture->board,
                                                         COOP_CANDIDATE_STAGE_WITHDRAWN));

  /* Cards held over the folded Closed column open it. */
  coop_pool_board_set_closed_expanded (fixture->board, FALSE);
  {
    GtkWidget *closed_button = gtk_widget_get_parent (gtk_widget_get_parent (
      coop_pool_board_get_column_widget (fixture->board, COOP_CANDIDATE_STAGE_DECLINED)));
    g_autoptr(GListModel) controllers = NULL;
    gboolean entered = FALSE;

    /* closed_columns → revealer → the Closed box, whose first child is
     * the button. */
    closed_button = gtk_widget_get_first_child (gtk_widget_get_parent (closed_button));
    g_assert_true (GTK_IS_TOGGLE_BUTTON (closed_button));
    controllers = gtk_widget_observe_controllers (closed_button);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_CONTROLLER_MOTION (controller))
          {
            g_signal_emit_by_name (controller, "enter", 4.0, 4.0);
            entered = TRUE;
          }
      }
    g_assert_true (entered);
    g_assert_true (coop_pool_board_get_closed_expanded (fixture->board));
  }

  /* The two selected in the list are the board's selection ... */
  selected = coop_pool_board_dup_selected (fixture->board);
  g_assert_cmpuint (selected->len, ==, 2);
  g_assert_true (g_ptr_array_find (selected, first, NULL));
  g_assert_true (g_ptr_array_find (selected, third, NULL));
  g_clear_pointer (&selected, g_ptr_array_unref);

  /* ... and one more picked on the board is in the list's back in it. */
  {
    GtkSelectionModel *column = coop_pool_board_get_column (fixture->board,
                                                            coop_candidate_get_stage (first));
    guint position = G_MAXUINT;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (column)); i++)
      {
        g_autoptr(CoopCandidate) card = g_list_model_get_item (G_LIST_MODEL (column), i);

        if (card == first)
          position = i;
      }
    g_assert_cmpuint (position, !=, G_MAXUINT);
    gtk_selection_model_unselect_item (column, position);
  }
  show_view (fixture, "list");
  set = gtk_selection_model_get_selection (list);
  g_assert_cmpuint (gtk_bitset_get_size (set), ==, 1);
  g_assert_true (gtk_bitset_contains (set, 2));
}

/* Alt+Right moves the focused card one stage on: one write, a line of its
 * stage history, a toast whose Undo puts it back; Alt+Left moves it back. */
static void
test_board_keyboard (Fixture       *fixture,
                     gconstpointer  user_data)
{
  GtkSelectionModel *column = NULL;
  g_autoptr(CoopCandidate) card = NULL;
  g_autoptr(CoopStageChange) change = NULL;
  CoopCandidateStage from = 0;
  g_autofree char *since = NULL;
  g_autofree char *title = NULL;
  guint lines_before, lines_after;
  GtkWidget *focus;

  show_view (fixture, "board");
  for (from = 0; from < COOP_CANDIDATE_STAGE_HIRED; from++)
    if (n_in_column (fixture, from) > 0)
      break;
  g_assert_cmpint (from, <, COOP_CANDIDATE_STAGE_HIRED);
  column = coop_pool_board_get_column (fixture->board, from);
  card = g_list_model_get_item (G_LIST_MODEL (column), 0);
  since = g_strdup (coop_candidate_get_stage_on (card));
  g_clear_object (&change);
  change = last_stage_change (fixture, coop_record_get_id (COOP_RECORD (card)), &lines_before);
  g_clear_object (&change);

  /* The focus on the card, as a click or Tab would put it. */
  do
    {
      coop_test_wait_for (coop_test_window_active, fixture->window);
      g_assert_true (coop_pool_board_focus_candidate (fixture->board, card));
      coop_test_drain ();
    }
  while (!gtk_window_is_active (GTK_WINDOW (fixture->window)));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, coop_pool_board_get_column_widget (fixture->board,
                                                                                   from)));

  press_alt (fixture, GDK_KEY_Right);
  g_assert_cmpint (coop_candidate_get_stage (card), ==, from + 1);
  g_assert_cmpuint (n_in_column (fixture, from + 1), ==, n_stored_in_stage (fixture, from + 1));
  change = last_stage_change (fixture, coop_record_get_id (COOP_RECORD (card)), &lines_after);
  g_assert_cmpuint (lines_after, ==, lines_before + 1);
  g_assert_cmpint (coop_stage_change_get_stage (change), ==, from + 1);
  g_assert_cmpstr (coop_stage_change_get_changed_on (change), ==,
                   coop_candidate_get_stage_on (card));
  g_clear_object (&change);
  title = g_strdup_printf ("1 candidate moved to “%s”",
                           coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, from + 1));
  g_assert_cmpstr (shown_toast_title (fixture->window), ==, title);

  /* The card took the focus with it, selected, so it can go on. */
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (gtk_widget_is_ancestor (focus, coop_pool_board_get_column_widget (fixture->board,
                                                                                   from + 1)));
  g_assert_true (gtk_list_item_get_item (g_object_get_data (G_OBJECT (gtk_widget_get_first_child (focus)),
                                                            "coop-board-item")) == (gpointer) card);
  {
    g_autoptr(GPtrArray) selected = coop_pool_board_dup_selected (fixture->board);

    g_assert_cmpuint (selected->len, ==, 1);
    g_assert_true (g_ptr_array_index (selected, 0) == (gpointer) card);
  }

  /* The toast's Undo puts it back where it was, since when it was. */
  click_toast_undo (fixture->window);
  g_assert_cmpint (coop_candidate_get_stage (card), ==, from);
  g_assert_cmpstr (coop_candidate_get_stage_on (card), ==, since);
  g_assert_cmpuint (n_in_column (fixture, from), ==, n_stored_in_stage (fixture, from));

  /* Alt+Left, from the next stage, moves it back a stage. */
  do
    {
      coop_test_wait_for (coop_test_window_active, fixture->window);
      g_assert_true (coop_pool_board_focus_candidate (fixture->board, card));
      coop_test_drain ();
    }
  while (!gtk_window_is_active (GTK_WINDOW (fixture->window)));
  press_alt (fixture, GDK_KEY_Right);
  g_assert_cmpint (coop_candidate_get_stage (card), ==, from + 1);
  press_alt (fixture, GDK_KEY_Left);
  g_assert_cmpint (coop_candidate_get_stage (card), ==, from);
  change = last_stage_change (fixture, coop_record_get_id (COOP_RECORD (card)), NULL);
  g_assert_cmpint (coop_stage_change_get_stage (change), ==, from);
}

/* Two selected cards dropped on another column move together, in one
 * transaction, and one Undo puts both back. */
static void
test_board_drop (Fixture       *fixture,
                 gconstpointer  user_data)
{
  GListModel *all = coop_store_get_list (fixture->store, COOP_TYPE_CANDIDATE);
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) selected = NULL;
  CoopCandidateStage stages[2];
  char *since[2];
  CoopCandidateStage target = COOP_CANDIDATE_STAGE_OFFERED;
  GtkDropTarget *drop_target;
  GValue value = G_VALUE_INIT;
  gboolean dropped = FALSE;
  guint n_target;
  ItemsChanged changed = { 0 };

  show_view (fixture, "board");
  /* The first card of the first two columns with cards, not Offered. */
  for (CoopCandidateStage stage = 0; stage < N_STAGES && cards->len < 2; stage++)
    if (stage != target && n_in_column (fixture, stage) > 0)
      {
        GtkSelectionModel *column = coop_pool_board_get_column (fixture->board, stage);

        g_ptr_array_add (cards, g_list_model_get_item (G_LIST_MODEL (column), 0));
      }
  g_assert_cmpuint (cards->len, ==, 2);
  coop_pool_board_select (fixture->board, cards);
  selected = coop_pool_board_dup_selected (fixture->board);
  g_assert_cmpuint (selected->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      stages[i] = coop_candidate_get_stage (g_ptr_array_index (cards, i));
      since[i] = g_strdup (coop_candidate_get_stage_on (g_ptr_array_index (cards, i)));
    }
  n_target = n_in_column (fixture, target);

  /* What a drag of a selected card carries: all the selected ones. */
  drop_target = find_drop_target (coop_pool_board_get_column_widget (fixture->board, target));
  g_assert_nonnull (drop_target);
  g_value_init (&value, COOP_TYPE_CARD_SET);
  g_value_set_boxed (&value, selected);
  g_signal_connect (all, "items-changed", G_CALLBACK (on_items_changed_cb), &changed);
  g_signal_emit_by_name (drop_target, "drop", &value, 10.0, 10.0, &dropped);
  g_value_unset (&value);
  coop_test_drain ();
  g_signal_handlers_disconnect_by_func (all, on_items_changed_cb, &changed);
  g_assert_true (dropped);
  g_assert_cmpuint (changed.count, ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      CoopCandidate *card = g_ptr_array_index (cards, i);
      g_autoptr(CoopStageChange) change = last_stage_change (fixture,
                                                             coop_record_get_id (COOP_RECORD (card)),
                                                             NULL);

      g_assert_cmpint (coop_candidate_get_stage (card), ==, target);
      g_assert_cmpint (coop_stage_change_get_stage (change), ==, target);
    }
  g_assert_cmpuint (n_in_column (fixture, target), ==, n_target + 2);
  g_assert_cmpstr (shown_toast_title (fixture->window), ==, "2 candidates moved to “Offered”");

  /* Both stay selected, in their new column. */
  g_clear_pointer (&selected, g_ptr_array_unref);
  selected = coop_pool_board_dup_selected (fixture->board);
  g_assert_cmpuint (selected->len, ==, 2);

  click_toast_undo (fixture->window);
  for (guint i = 0; i < 2; i++)
    {
      CoopCandidate *card = g_ptr_array_index (cards, i);

      g_assert_cmpint (coop_candidate_get_stage (card), ==, stages[i]);
      g_assert_cmpstr (coop_candidate_get_stage_on (card), ==, since[i]);
      g_free (since[i]);
    }
  g_assert_cmpuint (n_in_column (fixture, target), ==, n_target);

  /* Nothing else is taken: text dragged from another application is not
   * a stage change. */
  {
    gsize n_types = 0;
    const GType *types = gtk_drop_target_get_gtypes (drop_target, &n_types);

    g_assert_cmpuint (n_types, ==, 1);
    g_assert_true (types[0] == COOP_TYPE_CARD_SET);
  }
}

/* Set Stage, with the board shown, moves the cards selected on the board;
 * the list then shows the same candidates selected. */
static void
test_board_set_stage (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  GtkDropDown *stage_drop_down;
  GtkSelectionModel *list = coop_pool_detail_get_selection (fixture->detail);
  g_autoptr(GtkBitset) set = NULL;

  show_view (fixture, "board");
  for (CoopCandidateStage stage = 0; stage < N_STAGES && cards->len < 2; stage++)
    if (stage != COOP_CANDIDATE_STAGE_INTERVIEWING && n_in_column (fixture, stage) > 0)
      g_ptr_array_add (cards, g_list_model_get_item (
        G_LIST_MODEL (coop_pool_board_get_column (fixture->board, stage)), 0));
  g_assert_cmpuint (cards->len, ==, 2);
  coop_pool_board_select (fixture->board, cards);
  coop_test_drain ();
  g_assert_nonnull (coop_test_find (GTK_WIDGET (fixture->detail), is_label_with_text,
                                    "2 of 8 candidates selected"));

  stage_drop_down = GTK_DROP_DOWN (coop_test_find_type (GTK_WIDGET (fixture->detail),
                                                        GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (stage_drop_down, COOP_CANDIDATE_STAGE_INTERVIEWING);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->detail), "pool.set-stage",
                                             NULL));
  coop_test_drain ();
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (coop_candidate_get_stage (g_ptr_array_index (cards, i)), ==,
                     COOP_CANDIDATE_STAGE_INTERVIEWING);
  g_assert_cmpstr (shown_toast_title (fixture->window), ==,
                   "2 candidates moved to “Interviewing”");

  show_view (fixture, "list");
  set = gtk_selection_model_get_selection (list);
  g_assert_cmpuint (gtk_bitset_get_size (set), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      guint position = find_position (G_LIST_MODEL (list), g_ptr_array_index (cards, i));

      g_assert_true (gtk_bitset_contains (set, position));
    }
}

/* A change made elsewhere (another window, another user on the server)
 * arrives as one row's items-changed: the card leaves one column and joins
 * another, and nothing else is rebuilt. */
static void
test_board_follows_store (Fixture       *fixture,
                          gconstpointer  user_data)
{
  GtkSelectionModel *from_column = NULL;
  GtkSelectionModel *to_column;
  g_autoptr(CoopCandidate) card = NULL;
  g_autoptr(CoopRecord) copy = NULL;
  g_autoptr(GError) error = NULL;
  CoopCandidateStage from = 0, to;
  ItemsChanged left = { 0 }, joined = { 0 }, others = { 0 };
  guint n_from, n_to;

  show_view (fixture, "board");
  for (from = 0; from < N_STAGES; from++)
    if (n_in_column (fixture, from) > 0)
      break;
  g_assert_cmpint (from, <, N_STAGES);
  to = from == COOP_CANDIDATE_STAGE_HIRED ? COOP_CANDIDATE_STAGE_APPLIED : COOP_CANDIDATE_STAGE_HIRED;
  from_column = coop_pool_board_get_column (fixture->board, from);
  to_column = coop_pool_board_get_column (fixture->board, to);
  n_from = n_in_column (fixture, from);
  n_to = n_in_column (fixture, to);
  card = g_list_model_get_item (G_LIST_MODEL (from_column), n_from - 1);

  g_signal_connect (from_column, "items-changed", G_CALLBACK (on_items_changed_cb), &left);
  g_signal_connect (to_column, "items-changed", G_CALLBACK (on_items_changed_cb), &joined);
  for (CoopCandidateStage stage = 0; stage < N_STAGES; stage++)
    if (stage != from && stage != to)
      g_signal_connect (coop_pool_board_get_column (fixture->board, stage), "items-changed",
                        G_CALLBACK (on_items_changed_cb), &others);

  copy = coop_record_copy (COOP_RECORD (card));
  coop_candidate_set_stage (COOP_CANDIDATE (copy), to);
  g_assert_true (coop_store_save (fixture->store, copy, &error));
  g_assert_no_error (error);
  coop_test_drain ();

  g_assert_cmpuint (left.count, ==, 1);
  g_assert_cmpuint (left.position, ==, n_from - 1);
  g_assert_cmpuint (left.removed, ==, 1);
  g_assert_cmpuint (left.added, ==, 0);
  g_assert_cmpuint (joined.count, ==, 1);
  g_assert_cmpuint (joined.removed, ==, 0);
  g_assert_cmpuint (joined.added, ==, 1);
  g_assert_cmpuint (others.count, ==, 0);
  g_assert_cmpuint (n_in_column (fixture, from), ==, n_from - 1);
  g_assert_cmpuint (n_in_column (fixture, to), ==, n_to + 1);
  {
    g_autofree char *count = g_strdup_printf ("%u", n_to + 1);
    g_autoptr(CoopCandidate) joined_card = g_list_model_get_item (G_LIST_MODEL (to_column),
                                                                  joined.position);

    g_assert_cmpstr (count_label_text (fixture, to), ==, count);
    g_assert_true (joined_card == card);
  }

  g_signal_handlers_disconnect_by_data (from_column, &left);
  g_signal_handlers_disconnect_by_data (to_column, &joined);
  for (CoopCandidateStage stage = 0; stage < N_STAGES; stage++)
    g_signal_handlers_disconnect_by_data (coop_pool_board_get_column (fixture->board, stage),
                                          &others);
}

/* With COOP_SCREENSHOT_DIR set: the board wide and at 360 pixels, where
 * the columns scroll sideways. */
static void
test_board_screenshots (Fixture       *fixture,
                        gconstpointer  user_data)
{
  const char *lang = g_getenv ("COOP_SCREENSHOT_LANG");
  g_autofree char *wide = g_strdup_printf ("board-%s-1280.png", lang ? lang : "en");
  g_autofree char *narrow = g_strdup_printf ("board-%s-360.png", lang ? lang : "en");
  g_autofree char *closed = g_strdup_printf ("board-%s-closed.png", lang ? lang : "en");
  GtkSelectionModel *list = coop_pool_detail_get_selection (fixture->detail);
  GtkScrolledWindow *scrolled;
  GtkAdjustment *hadjustment;

  gtk_selection_model_select_item (list, 1, TRUE);
  show_view (fixture, "board");
  save_screenshot (fixture, wide);
  /* The column sits in the board's scrolled window, its cards in one of
   * their own. */
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
    coop_pool_board_get_column_widget (fixture->board, COOP_CANDIDATE_STAGE_APPLIED),
    GTK_TYPE_SCROLLED_WINDOW));
  hadjustment = gtk_scrolled_window_get_hadjustment (scrolled);
  coop_pool_board_set_closed_expanded (fixture->board, TRUE);
  coop_test_wait_ms (400);
  gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_upper (hadjustment));
  save_screenshot (fixture, closed);
  coop_pool_board_set_closed_expanded (fixture->board, FALSE);
  gtk_adjustment_set_value (hadjustment, 0);

  /* Narrow, the columns scroll sideways rather than squeeze. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  coop_test_wait_ms (300);
  adw_leaflet_navigate (ADW_LEAFLET (gtk_widget_get_ancestor (GTK_WIDGET (fixture->board),
                                                              ADW_TYPE_LEAFLET)),
                        ADW_NAVIGATION_DIRECTION_FORWARD);
  coop_test_wait_ms (400);
  save_screenshot (fixture, narrow);
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >,
                     gtk_adjustment_get_page_size (hadjustment));
  /* The board and the rows above it fit in 360 pixels; the board makes the
   * window no wider than the list of candidates does. */
  {
    int board_minimum, detail_minimum, window_minimum, list_minimum;

    gtk_widget_measure (GTK_WIDGET (fixture->board), GTK_ORIENTATION_HORIZONTAL, -1,
                        &board_minimum, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (fixture->detail), GTK_ORIENTATION_HORIZONTAL, -1,
                        &detail_minimum, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                        &window_minimum, NULL, NULL, NULL);
    g_test_message ("board %d, detail %d, window %d", board_minimum, detail_minimum,
                    window_minimum);
    g_assert_cmpint (board_minimum, <=, 360);
    g_assert_cmpint (detail_minimum, <=, 360);
    show_view (fixture, "list");
    gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                        &list_minimum, NULL, NULL, NULL);
    g_assert_cmpint (window_minimum, <=, list_minimum);
  }
}

/* A pool of a few thousand: the board opens, moves a thousand cards in
 * one drop and undoes it; the times are printed (about a second or less
 * each here). */
#define LARGE_POOL 4000

static void
test_board_large_pool (Fixture       *fixture,
                       gconstpointer  user_data)
{
  GtkSelectionModel *recommended;
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) range = gtk_bitset_new_range (0, 1000);
  GValue value = G_VALUE_INIT;
  gboolean dropped = FALSE;
  guint n_recommended, n_applied;
  gint64 start;

  g_assert_cmpuint (g_list_model_get_n_items (
    G_LIST_MODEL (coop_pool_detail_get_selection (fixture->detail))), ==, LARGE_POOL + 8);

  start = g_get_monotonic_time ();
  show_view (fixture, "board");
  coop_test_drain ();
  g_test_message ("board shown in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  recommended = coop_pool_board_get_column (fixture->board, COOP_CANDIDATE_STAGE_RECOMMENDED);
  n_recommended = n_in_column (fixture, COOP_CANDIDATE_STAGE_RECOMMENDED);
  n_applied = n_in_column (fixture, COOP_CANDIDATE_STAGE_APPLIED);
  g_assert_cmpuint (n_recommended, ==, n_stored_in_stage (fixture, COOP_CANDIDATE_STAGE_RECOMMENDED));
  g_assert_cmpuint (n_recommended, >=, LARGE_POOL);

  gtk_selection_model_set_selection (recommended, range, range);
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (cards, g_list_model_get_item (G_LIST_MODEL (recommended), i));

  start = g_get_monotonic_time ();
  g_value_init (&value, COOP_TYPE_CARD_SET);
  g_value_set_boxed (&value, cards);
  g_signal_emit_by_name (find_drop_target (coop_pool_board_get_column_widget (
                           fixture->board, COOP_CANDIDATE_STAGE_APPLIED)),
                         "drop", &value, 0.0, 0.0, &dropped);
  g_value_unset (&value);
  g_test_message ("1000 cards moved in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  coop_test_drain ();
  g_test_message ("and drawn in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (dropped);
  g_assert_cmpuint (n_in_column (fixture, COOP_CANDIDATE_STAGE_RECOMMENDED), ==, n_recommended - 1000);
  g_assert_cmpuint (n_in_column (fixture, COOP_CANDIDATE_STAGE_APPLIED), ==, n_applied + 1000);
  g_assert_cmpstr (shown_toast_title (fixture->window), ==, "1000 candidates moved to “Applied”");
  {
    g_autoptr(GPtrArray) selected = coop_pool_board_dup_selected (fixture->board);

    /* The views were given their models back, with the moved cards
     * selected in their new column. */
    g_assert_cmpuint (selected->len, ==, 1000);
    g_assert_true (gtk_list_view_get_model (GTK_LIST_VIEW (coop_test_find_type (
      coop_pool_board_get_column_widget (fixture->board, COOP_CANDIDATE_STAGE_APPLIED),
      GTK_TYPE_LIST_VIEW))) == coop_pool_board_get_column (fixture->board,
                                                           COOP_CANDIDATE_STAGE_APPLIED));
  }

  start = g_get_monotonic_time ();
  click_toast_undo (fixture->window);
  g_test_message ("undone in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (n_in_column (fixture, COOP_CANDIDATE_STAGE_RECOMMENDED), ==, n_recommended);
  g_assert_cmpuint (n_in_column (fixture, COOP_CANDIDATE_STAGE_APPLIED), ==, n_applied);
}

/* The Keyboard Shortcuts window lists the board's two shortcuts. */
static void
test_board_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/coopdesk/Coopdesk/gtk/help-overlay.ui");
  GObject *window = gtk_builder_get_object (builder, "help_overlay");
  const char *wanted[] = { "<Alt>Right", "<Alt>Left" };

  g_assert_nonnull (window);
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      gboolean found = FALSE;
      GSList *objects = gtk_builder_get_objects (builder);

      for (GSList *l = objects; l != NULL; l = l->next)
        if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
          {
            g_autofree char *accelerator = NULL;

            g_object_get (l->data, "accelerator", &accelerator, NULL);
            found |= g_strcmp0 (accelerator, wanted[i]) == 0;
          }
      g_slist_free (objects);
      g_assert_true (found);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  /* The days a card has been in its stage are counted to this day. */
  g_setenv ("COOPDESK_TODAY", "2026-06-01", TRUE);
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

  /* What the application loads from its resource base path, so that the
   * screenshots look as the board does. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/org/coopdesk/Coopdesk/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/ui/board/shortcuts-window", test_board_shortcuts_window);
  ADD ("/ui/board/columns", test_board_columns);
  ADD ("/ui/board/keyboard", test_board_keyboard);
  ADD ("/ui/board/drop", test_board_drop);
  ADD ("/ui/board/set-stage", test_board_set_stage);
  ADD ("/ui/board/follows-store", test_board_follows_store);
  ADD ("/ui/board/screenshots", test_board_screenshots);
#undef ADD
  g_test_add ("/ui/board/large-pool", Fixture, GUINT_TO_POINTER (LARGE_POOL), fixture_set_up,
              test_board_large_pool, fixture_tear_down);

  return g_test_run ();
}
