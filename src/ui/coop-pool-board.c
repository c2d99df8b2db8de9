/* coop-pool-board.c — the candidates of a pool as cards, one column per stage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-pool-board"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-candidate.h"
#include "coop-due.h"
#include "coop-enums.h"
#include "coop-filter-list.h"
#include "coop-pool-board.h"

/* Each column is a list view over the pool's candidates in one stage, so a
 * pool of thousands makes widgets only for the cards in sight, and a change
 * of one candidate in the store reaches the columns as the items-changed of
 * that one row: it leaves one column and joins another. */

#define N_STAGES (COOP_CANDIDATE_STAGE_WITHDRAWN + 1)
#define FIRST_CLOSED COOP_CANDIDATE_STAGE_DECLINED

/* Moves of more cards than this detach the columns' views meanwhile. */
#define FREEZE_CARDS 32

typedef struct {
  CoopPoolBoard      *board;
  CoopCandidateStage  stage;
  GtkCustomFilter    *filter;
  CoopFilterList     *model;
  GtkMultiSelection  *selection;
  GtkWidget          *widget;       /* header and list; the drop target */
  GtkLabel           *count_label;
  GtkListView        *view;
} Column;

struct _CoopPoolBoard
{
  GtkWidget        parent_instance;

  GListModel      *candidates;
  gboolean         read_only;
  int              openings;
  Column           columns[N_STAGES];
  GDate            today;
  gint64           today_checked;
  guint            freeze_count;
  double           frozen_scroll[N_STAGES];

  GtkWidget       *content;
  GtkLabel        *openings_label;
  GtkLevelBar     *openings_bar;
  GtkBox          *columns_box;
  GtkBox          *closed_box;
  GtkToggleButton *closed_button;
  GtkImage        *closed_arrow;
  GtkLabel        *closed_count_label;
  GtkBox          *closed_columns;
};

G_DEFINE_FINAL_TYPE (CoopPoolBoard, coop_pool_board, GTK_TYPE_WIDGET)
G_DEFINE_BOXED_TYPE (CoopCardSet, coop_card_set, g_ptr_array_ref, g_ptr_array_unref)

enum {
  MOVE,
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ helpers */

static gboolean
in_stage (gpointer item,
          gpointer user_data)
{
  Column *column = user_data;

  return coop_candidate_get_stage (item) == column->stage;
}

/* "12 days in this stage", counted from the date of the last stage change,
 * which the store keeps on the candidate as the newest line of its stage
 * history. */
static void
add_card_line (GtkWidget *card,
               GtkWidget *label)
{
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (card), label);
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int year, month, day;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%d-%d-%d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static char *
describe_days_in_stage (CoopPoolBoard *self,
                        const char    *stage_on)
{
  gint64 now = g_get_monotonic_time ();
  GDate since;
  int days;

  /* Today is looked up once a minute, not for every card bound. */
  if (now - self->today_checked > 60 * G_USEC_PER_SEC || !g_date_valid (&self->today))
    {
      g_autofree char *today = coop_due_today ();

      parse_date (today, &self->today);
      self->today_checked = now;
    }
  if (!parse_date (stage_on, &since) || !g_date_valid (&self->today))
    return NULL;
  days = MAX (0, g_date_days_between (&since, &self->today));
  if (days == 0)
    return g_strdup (_("In this stage since today"));
  /* Translators: how long a candidate has been in the stage shown */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day in this stage",
                                       "%d days in this stage", days), days);
}

static guint
count_closed (CoopPoolBoard *self)
{
  guint n = 0;

  for (int stage = FIRST_CLOSED; stage < N_STAGES; stage++)
    if (self->columns[stage].model != NULL)
      n += g_list_model_get_n_items (G_LIST_MODEL (self->columns[stage].model));
  return n;
}

static void
update_openings (CoopPoolBoard *self)
{
  GListModel *hired_model = G_LIST_MODEL (self->columns[COOP_CANDIDATE_STAGE_HIRED].model);
  GListModel *interning_model = G_LIST_MODEL (self->columns[COOP_CANDIDATE_STAGE_INTERNING].model);
  guint hired, interning;
  g_autofree char *text = NULL;

  /* Until every column is built. */
  if (hired_model == NULL || interning_model == NULL)
    return;
  hired = g_list_model_get_n_items (hired_model);
  interning = g_list_model_get_n_items (interning_model);

  /* Translators: hired, then interning candidates, against the pool's openings */
  text = g_strdup_printf (_("%u hired, %u interning — %d openings"), hired, interning,
                          self->openings);
  gtk_label_set_label (self->openings_label, text);
  gtk_level_bar_set_max_value (self->openings_bar, MAX (1, self->openings));
  gtk_level_bar_set_value (self->openings_bar,
                           MIN ((double) (hired + interning), (double) MAX (1, self->openings)));
}

static void
update_count (Column *column)
{
  CoopPoolBoard *self = column->board;
  g_autofree char *count = g_strdup_printf ("%u", g_list_model_get_n_items (G_LIST_MODEL (column->model)));
  g_autofree char *closed = NULL;

  gtk_label_set_label (column->count_label, count);
  if (column->stage >= FIRST_CLOSED)
    {
      closed = g_strdup_printf ("%u", count_closed (self));
      gtk_label_set_label (self->closed_count_label, closed);
    }
  if (column->stage == COOP_CANDIDATE_STAGE_HIRED || column->stage == COOP_CANDIDATE_STAGE_INTERNING)
    update_openings (self);
}

static void
add_selected (Column    *column,
              GPtrArray *cards)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (column->selection));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (cards, g_list_model_get_item (G_LIST_MODEL (column->model), position));
}

/* The card that has the keyboard focus, and its column; the focus is on
 * the list view's row, whose child is the card. */
static GtkListItem *
find_focused_card (CoopPoolBoard  *self,
                   Column        **column)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  *column = NULL;
  for (GtkWidget *widget = focus; widget != NULL && widget != GTK_WIDGET (self);
       widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);
      GtkListItem *item = child ? g_object_get_data (G_OBJECT (child), "coop-board-item") : NULL;

      for (int stage = 0; stage < N_STAGES && *column == NULL; stage++)
        if (widget == GTK_WIDGET (self->columns[stage].view))
          *column = &self->columns[stage];

      if (item != NULL && gtk_list_item_get_item (item) != NULL)
        {
          *column = g_object_get_data (G_OBJECT (child), "coop-board-column");
          return item;
        }
    }
  return NULL;
}

/* Alt+Right and Alt+Left: the focused card, or the selected cards of its
 * column when it is one of them, one stage on or back. */
static void
move_by (CoopPoolBoard *self,
         int            step)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func (g_object_unref);
  Column *column = NULL;
  GtkListItem *focused = find_focused_card (self, &column);
  int target;

  if (column == NULL)
    for (int stage = 0; stage < N_STAGES && column == NULL; stage++)
      {
        g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (
          GTK_SELECTION_MODEL (self->columns[stage].selection));

        if (!gtk_bitset_is_empty (set))
          column = &self->columns[stage];
      }
  if (column == NULL)
    return;

  target = (int) column->stage + step;
  if (target < 0 || target >= N_STAGES)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (focused != NULL && !gtk_list_item_get_selected (focused))
    g_ptr_array_add (cards, g_object_ref (gtk_list_item_get_item (focused)));
  else
    add_selected (column, cards);
  if (cards->len > 0)
    coop_pool_board_move (self, cards, target);
}

/* ------------------------------------------------------------------ callbacks */

static GdkContentProvider *
on_card_drag_prepare_cb (GtkDragSource *source,
                         double         x,
                         double         y,
                         CoopPoolBoard *self)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  GtkListItem *item = g_object_get_data (G_OBJECT (card), "coop-board-item");
  CoopCandidate *candidate = gtk_list_item_get_item (item);
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GdkPaintable) icon = NULL;

  if (candidate == NULL || self->read_only)
    return NULL;

  /* A selected card takes the other selected cards along. */
  if (gtk_list_item_get_selected (item))
    cards = coop_pool_board_dup_selected (self);
  else
    {
      cards = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (cards, g_object_ref (candidate));
    }

  icon = gtk_widget_paintable_new (card);
  gtk_drag_source_set_icon (source, icon, (int) x, (int) y);
  return gdk_content_provider_new_typed (COOP_TYPE_CARD_SET, cards);
}

static gboolean
on_column_drop_cb (GtkDropTarget *target,
                   const GValue  *value,
                   double         x,
                   double         y,
                   Column        *column)
{
  GPtrArray *cards;

  if (column->board->read_only || !G_VALUE_HOLDS (value, COOP_TYPE_CARD_SET))
    return FALSE;
  cards = g_value_get_boxed (value);
  if (cards == NULL || cards->len == 0)
    return FALSE;

  coop_pool_board_move (column->board, cards, column->stage);
  return TRUE;
}

/* Holding cards over the folded Closed column opens it, so they can be
 * dropped on one of its stages. */
static void
on_closed_drag_enter_cb (GtkDropControllerMotion *motion,
                         double                   x,
                         double                   y,
                         CoopPoolBoard           *self)
{
  coop_pool_board_set_closed_expanded (self, TRUE);
}

static void
on_closed_button_active_cb (GtkToggleButton *button,
                            GParamSpec      *pspec,
                            CoopPoolBoard   *self)
{
  gboolean active = gtk_toggle_button_get_active (button);

  gtk_image_set_from_icon_name (self->closed_arrow,
                                active ? "pan-start-symbolic" : "pan-end-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_EXPANDED, active, -1);
}

/* The student number, asked for only when the pointer rests on a card:
 * gtk_widget_set_tooltip_text() on every bind asks the display server where
 * the pointer is, which made moving a thousand cards take a minute. */
static gboolean
on_card_query_tooltip_cb (GtkWidget  *card,
                          int         x,
                          int         y,
                          gboolean    keyboard_mode,
                          GtkTooltip *tooltip,
                          gpointer    user_data)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (card), "coop-board-item");
  CoopCandidate *candidate = gtk_list_item_get_item (item);

  if (candidate == NULL || coop_candidate_get_student_number (candidate) == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, coop_candidate_get_student_number (candidate));
  return TRUE;
}

static void
on_card_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  Column                   *column)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *study = gtk_label_new (NULL);
  GtkWidget *days = gtk_label_new (NULL);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "coop-board-card");
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (study, "dim-label");
  gtk_widget_add_css_class (days, "caption");
  gtk_widget_add_css_class (days, "dim-label");
  add_card_line (card, name);
  add_card_line (card, study);
  add_card_line (card, days);

  g_object_set_data (G_OBJECT (card), "coop-board-item", item);
  g_object_set_data (G_OBJECT (card), "coop-board-column", column);
  gtk_widget_set_has_tooltip (card, TRUE);
  g_signal_connect (card, "query-tooltip", G_CALLBACK (on_card_query_tooltip_cb), NULL);
  if (!column->board->read_only)
    {
      GtkDragSource *source = gtk_drag_source_new ();

      gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
      g_signal_connect (source, "prepare", G_CALLBACK (on_card_drag_prepare_cb), column->board);
      gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (source));
    }
  gtk_list_item_set_child (item, card);
}

static void
on_card_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 Column                   *column)
{
  CoopCandidate *candidate = gtk_list_item_get_item (item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *study = gtk_widget_get_next_sibling (name);
  GtkWidget *days = gtk_widget_get_next_sibling (study);
  const char *major = coop_candidate_get_major (candidate);
  const char *class_name = coop_candidate_get_class_name (candidate);
  g_autofree char *text = NULL;
  g_autofree char *since = describe_days_in_stage (column->board,
                                                   coop_candidate_get_stage_on (candidate));

  if (major != NULL && class_name != NULL)
    /* Translators: a student's major, then class, on a card of the board */
    text = g_strdup_printf (_("%s · %s"), major, class_name);
  else
    text = g_strdup (major != NULL ? major : class_name != NULL ? class_name : "");

  gtk_label_set_label (GTK_LABEL (name), coop_candidate_get_student_name (candidate));
  gtk_label_set_label (GTK_LABEL (study), text);
  gtk_widget_set_visible (study, text[0] != '\0');
  gtk_label_set_label (GTK_LABEL (days), since ? since : "");
  gtk_widget_set_visible (days, since != NULL);
}

static void
on_column_items_changed_cb (GListModel *model,
                            guint       position,
                            guint       removed,
                            guint       added,
                            Column     *column)
{
  update_count (column);
}

static void
on_column_selection_changed_cb (GtkSelectionModel *model,
                                guint              position,
                                guint              n_items,
                                Column            *column)
{
  g_signal_emit (column->board, signals[SELECTION_CHANGED], 0);
}

static void
move_next_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  move_by (COOP_POOL_BOARD (widget),
           gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? -1 : 1);
}

static void
move_previous_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  move_by (COOP_POOL_BOARD (widget),
           gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL ? 1 : -1);
}

/* ------------------------------------------------------------------ building */

static void
build_column (CoopPoolBoard      *self,
              CoopCandidateStage  stage)
{
  Column *column = &self->columns[stage];
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage));
  GtkWidget *count = gtk_label_new ("0");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkDropTarget *target;

  column->board = self;
  column->stage = stage;
  column->filter = gtk_custom_filter_new (in_stage, column, NULL);
  column->model = coop_filter_list_new (self->candidates, GTK_FILTER (column->filter));
  column->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (column->model)));

  g_signal_connect (factory, "setup", G_CALLBACK (on_card_setup_cb), column);
  g_signal_connect (factory, "bind", G_CALLBACK (on_card_bind_cb), column);
  column->view = GTK_LIST_VIEW (gtk_list_view_new (g_object_ref (GTK_SELECTION_MODEL (column->selection)),
                                                   factory));
  gtk_widget_add_css_class (GTK_WIDGET (column->view), "navigation-sidebar");
  gtk_widget_add_css_class (GTK_WIDGET (column->view), "coop-board-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (column->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, stage), -1);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  column->count_label = GTK_LABEL (count);
  /* As tall as the Closed button, so the cards of all columns start level. */
  gtk_widget_set_size_request (header, -1, 34);
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_end (header, 6);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), count);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (column->view));
  gtk_widget_set_vexpand (scrolled, TRUE);

  column->widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (column->widget, "coop-board-column");
  gtk_widget_set_size_request (column->widget, 220, -1);
  gtk_box_append (GTK_BOX (column->widget), header);
  gtk_box_append (GTK_BOX (column->widget), scrolled);

  target = gtk_drop_target_new (COOP_TYPE_CARD_SET, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_column_drop_cb), column);
  gtk_widget_add_controller (column->widget, GTK_EVENT_CONTROLLER (target));

  if (stage >= FIRST_CLOSED)
    gtk_box_append (self->closed_columns, column->widget);
  else
    gtk_widget_insert_before (column->widget, GTK_WIDGET (self->columns_box),
                              GTK_WIDGET (self->closed_box));

  g_signal_connect (column->model, "items-changed", G_CALLBACK (on_column_items_changed_cb), column);
  g_signal_connect (column->selection, "selection-changed",
                    G_CALLBACK (on_column_selection_changed_cb), column);
  update_count (column);
}

/* ------------------------------------------------------------------ overrides */

static void
coop_pool_board_dispose (GObject *object)
{
  CoopPoolBoard *self = COOP_POOL_BOARD (object);

  for (int stage = 0; stage < N_STAGES; stage++)
    {
      Column *column = &self->columns[stage];

      if (column->model != NULL)
        g_signal_handlers_disconnect_by_data (column->model, column);
      if (column->selection != NULL)
        g_signal_handlers_disconnect_by_data (column->selection, column);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_POOL_BOARD);
  for (int stage = 0; stage < N_STAGES; stage++)
    {
      g_clear_object (&self->columns[stage].selection);
      g_clear_object (&self->columns[stage].model);
      g_clear_object (&self->columns[stage].filter);
    }
  g_clear_object (&self->candidates);

  G_OBJECT_CLASS (coop_pool_board_parent_class)->dispose (object);
}

static void
coop_pool_board_class_init (CoopPoolBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_pool_board_dispose;

  /**
   * CoopPoolBoard::move:
   * @candidates: (element-type CoopCandidate): the cards dropped or moved
   *   by the keyboard
   * @stage: the stage of the column they go to
   *
   * Emitted when the user moves cards to another column; the handler saves
   * the change of stage.
   */
  signals[MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_INT);
  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-pool-board.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, content);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, openings_label);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, openings_bar);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, columns_box);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, closed_box);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, closed_button);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, closed_arrow);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, closed_count_label);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolBoard, closed_columns);
  gtk_widget_class_bind_template_callback (widget_class, on_closed_button_active_cb);

  gtk_widget_class_install_action (widget_class, "board.move-next", NULL, move_next_activated);
  gtk_widget_class_install_action (widget_class, "board.move-previous", NULL,
                                   move_previous_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "board.move-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "board.move-previous", NULL);
}

static void
coop_pool_board_init (CoopPoolBoard *self)
{
  GtkDropControllerMotion *motion;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_date_clear (&self->today, 1);

  motion = GTK_DROP_CONTROLLER_MOTION (gtk_drop_controller_motion_new ());
  g_signal_connect (motion, "enter", G_CALLBACK (on_closed_drag_enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->closed_button), GTK_EVENT_CONTROLLER (motion));
}

/* ------------------------------------------------------------------ public */

/**
 * coop_pool_board_new:
 * @candidates: the candidates of one pool
 * @read_only: whether the cards may be moved
 *
 * Returns: (transfer floating): a board of @candidates with a column per
 *   stage; the declined, rejected and withdrawn ones folded in one
 */
CoopPoolBoard *
coop_pool_board_new (GListModel *candidates,
                     gboolean    read_only)
{
  CoopPoolBoard *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (candidates), NULL);

  self = g_object_new (COOP_TYPE_POOL_BOARD, NULL);
  self->candidates = g_object_ref (candidates);
  self->read_only = read_only;
  for (int stage = 0; stage < N_STAGES; stage++)
    build_column (self, stage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.move-next", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.move-previous", !read_only);
  update_openings (self);
  return self;
}

void
coop_pool_board_set_openings (CoopPoolBoard *self,
                              int            openings)
{
  g_return_if_fail (COOP_IS_POOL_BOARD (self));

  self->openings = openings;
  update_openings (self);
}

/**
 * coop_pool_board_get_column:
 *
 * Returns: (transfer none): the cards of the column of @stage, and which
 *   are selected
 */
GtkSelectionModel *
coop_pool_board_get_column (CoopPoolBoard      *self,
                            CoopCandidateStage  stage)
{
  g_return_val_if_fail (COOP_IS_POOL_BOARD (self), NULL);
  g_return_val_if_fail (stage < N_STAGES, NULL);

  return GTK_SELECTION_MODEL (self->columns[stage].selection);
}

/**
 * coop_pool_board_get_column_widget:
 *
 * Returns: (transfer none): the column of @stage: its header and its
 *   cards, where cards are dropped
 */
GtkWidget *
coop_pool_board_get_column_widget (CoopPoolBoard      *self,
                                   CoopCandidateStage  stage)
{
  g_return_val_if_fail (COOP_IS_POOL_BOARD (self), NULL);
  g_return_val_if_fail (stage < N_STAGES, NULL);

  return self->columns[stage].widget;
}

/* How many cards the Closed column holds, its header's count. */
guint
coop_pool_board_get_closed_count (CoopPoolBoard *self)
{
  g_return_val_if_fail (COOP_IS_POOL_BOARD (self), 0);
  return count_closed (self);
}

gboolean
coop_pool_board_get_closed_expanded (CoopPoolBoard *self)
{
  g_return_val_if_fail (COOP_IS_POOL_BOARD (self), FALSE);
  return gtk_toggle_button_get_active (self->closed_button);
}

void
coop_pool_board_set_closed_expanded (CoopPoolBoard *self,
                                     gboolean       expanded)
{
  g_return_if_fail (COOP_IS_POOL_BOARD (self));
  gtk_toggle_button_set_active (self->closed_button, expanded);
}

/**
 * coop_pool_board_dup_selected:
 *
 * Returns: (transfer full) (element-type CoopCandidate): the selected
 *   cards of every column, column by column
 */
GPtrArray *
coop_pool_board_dup_selected (CoopPoolBoard *self)
{
  GPtrArray *cards;

  g_return_val_if_fail (COOP_IS_POOL_BOARD (self), NULL);

  cards = g_ptr_array_new_with_free_func (g_object_unref);
  for (int stage = 0; stage < N_STAGES; stage++)
    add_selected (&self->columns[stage], cards);
  return cards;
}

/**
 * coop_pool_board_select:
 * @candidates: (element-type CoopCandidate): the store's candidates
 *
 * Selects the cards of @candidates, and only those.
 */
void
coop_pool_board_select (CoopPoolBoard *self,
                        GPtrArray     *candidates)
{
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL);

  g_return_if_fail (COOP_IS_POOL_BOARD (self));
  g_return_if_fail (candidates != NULL);

  for (guint i = 0; i < candidates->len; i++)
    g_hash_table_add (chosen, g_ptr_array_index (candidates, i));

  for (int stage = 0; stage < N_STAGES; stage++)
    {
      GListModel *model = G_LIST_MODEL (self->columns[stage].model);
      guint n = g_list_model_get_n_items (model);
      g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
      g_autoptr(GtkBitset) mask = gtk_bitset_new_range (0, n);

      for (guint i = 0; i < n && g_hash_table_size (chosen) > 0; i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);

          if (g_hash_table_contains (chosen, item))
            gtk_bitset_add (selected, i);
        }
      gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->columns[stage].selection),
                                         selected, mask);
    }
}

/**
 * coop_pool_board_focus_candidate:
 *
 * Scrolls the card of @candidate into view and gives it the keyboard
 * focus, opening the Closed column if it is there.
 *
 * Returns: %FALSE when the board has no such card
 */
gboolean
coop_pool_board_focus_candidate (CoopPoolBoard *self,
                                 CoopCandidate *candidate)
{
  Column *column;
  guint position;

  g_return_val_if_fail (COOP_IS_POOL_BOARD (self), FALSE);
  g_return_val_if_fail (COOP_IS_CANDIDATE (candidate), FALSE);

  column = &self->columns[coop_candidate_get_stage (candidate)];
  position = coop_filter_list_find (column->model, candidate);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  if (column->stage >= FIRST_CLOSED)
    coop_pool_board_set_closed_expanded (self, TRUE);
  /* GTK 4.8 has no gtk_list_view_scroll_to() with a focus flag (GTK 4.12
   * has): the action scrolls, which makes the item's row, and the row
   * takes the focus itself. */
  gtk_widget_activate_action (GTK_WIDGET (column->view), "list.scroll-to-item", "u", position);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (column->view)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *card = gtk_widget_get_first_child (row);
      GtkListItem *item = card ? g_object_get_data (G_OBJECT (card), "coop-board-item") : NULL;

      if (item != NULL && gtk_list_item_get_item (item) == (gpointer) candidate)
        return gtk_widget_grab_focus (row);
    }
  gtk_widget_grab_focus (GTK_WIDGET (column->view));
  return TRUE;
}

/**
 * coop_pool_board_freeze:
 *
 * Takes the columns' models from their list views until
 * coop_pool_board_thaw(), for a change of many candidates at once.
 *
 * A list view in GTK 4.8 builds the widgets of up to 200 rows again when
 * the first row it shows is removed, so cards leaving the top of a column
 * one by one cost 200 cards each: a thousand took seconds.  Detached, the
 * views are only told of the result, once.
 */
void
coop_pool_board_freeze (CoopPoolBoard *self)
{
  g_return_if_fail (COOP_IS_POOL_BOARD (self));

  if (self->freeze_count++ > 0)
    return;
  for (int stage = 0; stage < N_STAGES; stage++)
    {
      GtkListView *view = self->columns[stage].view;
      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

      self->frozen_scroll[stage] = adjustment ? gtk_adjustment_get_value (adjustment) : 0;
      gtk_list_view_set_model (view, NULL);
    }
}

/* Gives the columns' models back to their views, scrolled as they were. */
void
coop_pool_board_thaw (CoopPoolBoard *self)
{
  g_return_if_fail (COOP_IS_POOL_BOARD (self));
  g_return_if_fail (self->freeze_count > 0);

  if (--self->freeze_count > 0)
    return;
  for (int stage = 0; stage < N_STAGES; stage++)
    {
      GtkListView *view = self->columns[stage].view;
      GtkAdjustment *adjustment;

      gtk_list_view_set_model (view, GTK_SELECTION_MODEL (self->columns[stage].selection));
      adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
      if (adjustment != NULL)
        gtk_adjustment_set_value (adjustment, self->frozen_scroll[stage]);
    }
}

/**
 * coop_pool_board_move:
 * @candidates: (element-type CoopCandidate): cards of the board
 * @stage: the column they go to
 *
 * What a drop on a column and the keyboard shortcuts do: asks for
 * @candidates to be put in @stage through CoopPoolBoard::move, then selects
 * those that went there and gives the first of them the focus, so that the
 * next Alt+Right moves them on.
 */
void
coop_pool_board_move (CoopPoolBoard      *self,
                      GPtrArray          *candidates,
                      CoopCandidateStage  stage)
{
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (COOP_IS_POOL_BOARD (self));
  g_return_if_fail (candidates != NULL);
  g_return_if_fail (stage < N_STAGES);

  if (self->read_only || candidates->len == 0)
    return;

  /* The array may be the selection of a column that the move changes. */
  for (guint i = 0; i < candidates->len; i++)
    g_ptr_array_add (moved, g_object_ref (g_ptr_array_index (candidates, i)));
  if (moved->len > FREEZE_CARDS)
    coop_pool_board_freeze (self);
  g_signal_emit (self, signals[MOVE], 0, moved, (int) stage);
  if (moved->len > FREEZE_CARDS)
    coop_pool_board_thaw (self);

  for (guint i = moved->len; i > 0; i--)
    if (coop_candidate_get_stage (g_ptr_array_index (moved, i - 1)) != stage)
      g_ptr_array_remove_index (moved, i - 1);
  if (moved->len == 0)
    return;
  coop_pool_board_select (self, moved);
  coop_pool_board_focus_candidate (self, g_ptr_array_index (moved, 0));
}
