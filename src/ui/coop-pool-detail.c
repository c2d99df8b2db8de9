/* coop-pool-detail.c — the candidates of one recommendation pool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-pool-detail"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-field-column.h"
#include "coop-filter-list.h"
#include "coop-pool-board.h"
#include "coop-pool-detail.h"
#include "coop-pool.h"
#include "coop-search.h"
#include "coop-student.h"
#include "coop-text.h"

struct _CoopPoolDetail
{
  GtkWidget           parent_instance;

  CoopStore          *store;
  CoopPool           *pool;
  GtkCustomFilter    *filter;
  CoopFilterList     *candidates;
  GtkMultiSelection  *selection;
  GtkCustomFilter    *student_filter;
  CoopSearchQuery    *student_query;
  GHashTable         *in_pool;         /* ids of the students already in the pool */
  GListModel         *student_choices;
  CoopPoolBoard      *board;
  gboolean            show_board;
  guint               refresh_id;      /* after the candidates changed */

  GtkStack           *stack;
  GtkLabel           *summary_label;
  GtkLabel           *selected_label;
  GtkMenuButton      *add_button;
  GtkDropDown        *stage_drop_down;
  GtkStack           *view_stack;
  GtkColumnView      *column_view;
};

G_DEFINE_FINAL_TYPE (CoopPoolDetail, coop_pool_detail, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ERROR,
  STAGE_SET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ helpers */

static gboolean
in_pool (gpointer item,
         gpointer user_data)
{
  CoopPoolDetail *self = user_data;

  return self->pool != NULL &&
         coop_candidate_get_pool_id (item) == coop_record_get_id (COOP_RECORD (self->pool));
}

static void
update_summary (CoopPoolDetail *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *selected = NULL;
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->candidates));
  guint n_selected;
  guint filled = 0;

  if (self->pool == NULL)
    return;

  if (self->show_board)
    {
      g_autoptr(GPtrArray) cards = coop_pool_board_dup_selected (self->board);
      n_selected = cards->len;
    }
  else
    n_selected = (guint) gtk_bitset_get_size (set);
  coop_pool_board_set_openings (self->board, coop_pool_get_openings (self->pool));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (self->candidates), i);
      CoopCandidateStage stage = coop_candidate_get_stage (candidate);

      if (stage == COOP_CANDIDATE_STAGE_HIRED || stage == COOP_CANDIDATE_STAGE_INTERNING)
        filled++;
    }

  /* Translators: pool title, then filled positions against openings */
  summary = g_strdup_printf (_("%s — %u of %d openings filled"),
                             coop_pool_get_title (self->pool), filled,
                             coop_pool_get_openings (self->pool));
  gtk_label_set_label (self->summary_label, summary);

  selected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u candidate selected",
                                           "%u of %u candidates selected", n),
                              n_selected, n);
  gtk_label_set_label (self->selected_label, selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pool.set-stage",
                                 n_selected > 0 && !coop_store_get_read_only (self->store));
}

static gboolean
save_stage (CoopPoolDetail *self,
            CoopCandidate  *candidate,
            int             stage,
            GError        **error)
{
  g_autoptr(CoopRecord) copy = NULL;

  if ((int) coop_candidate_get_stage (candidate) == stage)
    return TRUE;
  copy = coop_record_copy (COOP_RECORD (candidate));
  coop_candidate_set_stage (COOP_CANDIDATE (copy), stage);
  coop_candidate_set_stage_on (COOP_CANDIDATE (copy), NULL);
  return coop_store_save (self->store, copy, error);
}

/* The candidates selected in the list, in its order. */
static GPtrArray *
dup_list_selected (CoopPoolDetail *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *chosen = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (chosen, g_list_model_get_item (G_LIST_MODEL (self->selection), position));
  return chosen;
}

static void
select_in_list (CoopPoolDetail *self,
                GPtrArray      *candidates)
{
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL);
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  GListModel *model = G_LIST_MODEL (self->candidates);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < candidates->len; i++)
    g_hash_table_add (chosen, g_ptr_array_index (candidates, i));
  for (guint i = 0; i < n && g_hash_table_size (chosen) > 0; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (g_hash_table_contains (chosen, item))
        gtk_bitset_add (selected, i);
    }
  mask = gtk_bitset_new_range (0, n);
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, mask);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_label_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_stage_selected_cb (GtkDropDown    *drop_down,
                      GParamSpec     *pspec,
                      CoopPoolDetail *self)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (drop_down), "coop-list-item");
  CoopCandidate *candidate = item ? gtk_list_item_get_item (item) : NULL;
  g_autoptr(GError) error = NULL;

  int stage = (int) gtk_drop_down_get_selected (drop_down);
  g_autoptr(GPtrArray) previous = NULL;

  if (candidate == NULL || (int) coop_candidate_get_stage (candidate) == stage)
    return;

  /* The store updates its own object in place: copy it first. */
  previous = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (previous, coop_record_copy (COOP_RECORD (candidate)));
  if (!save_stage (self, candidate, stage, &error))
    {
      g_signal_emit (self, signals[ERROR], 0, error->message);
      gtk_drop_down_set_selected (drop_down, coop_candidate_get_stage (candidate));
      return;
    }
  g_signal_emit (self, signals[STAGE_SET], 0, previous, stage);
}

static void
on_stage_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   CoopPoolDetail           *self)
{
  GtkWidget *drop_down = gtk_drop_down_new (g_object_ref (gtk_drop_down_get_model (self->stage_drop_down)),
                                            NULL);

  gtk_widget_add_css_class (drop_down, "flat");
  gtk_widget_set_sensitive (drop_down, !coop_store_get_read_only (self->store));
  g_object_set_data (G_OBJECT (drop_down), "coop-list-item", item);
  gtk_list_item_set_child (item, drop_down);
}

static void
on_stage_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  CoopPoolDetail           *self)
{
  GtkWidget *drop_down = gtk_list_item_get_child (item);
  CoopCandidate *candidate = gtk_list_item_get_item (item);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), coop_candidate_get_stage (candidate));
  g_signal_connect (drop_down, "notify::selected", G_CALLBACK (on_stage_selected_cb), self);
}

static void
on_stage_unbind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    CoopPoolDetail           *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_child (item), on_stage_selected_cb, self);
}

/* Add Student offers only students not in the pool yet. */
static void
refresh_in_pool (CoopPoolDetail *self)
{
  guint n = self->candidates ? g_list_model_get_n_items (G_LIST_MODEL (self->candidates)) : 0;

  g_hash_table_remove_all (self->in_pool);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (self->candidates), i);
      gint64 *id = g_new (gint64, 1);

      *id = coop_candidate_get_student_id (candidate);
      g_hash_table_add (self->in_pool, id);
    }
  if (self->student_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->student_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_candidates_changed_cb (CoopPoolDetail *self)
{
  update_summary (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  CoopPoolDetail *self = user_data;

  self->refresh_id = 0;
  refresh_in_pool (self);
  update_summary (self);
  return G_SOURCE_REMOVE;
}

/* The summary and the students Add Student offers are counted over the
 * whole pool: once after a burst of changes, not once per candidate of a
 * thousand moved together. */
static void
on_candidates_items_changed_cb (CoopPoolDetail *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE - 10, refresh_cb, self, NULL);
}

static gboolean
student_match (gpointer item,
               gpointer user_data)
{
  CoopPoolDetail *self = user_data;
  gint64 id = coop_record_get_id (item);

  return !g_hash_table_contains (self->in_pool, &id) &&
         coop_search_matches (item, self->student_query);
}

static void
on_student_search_changed_cb (GtkEditable    *editable,
                              CoopPoolDetail *self)
{
  coop_search_query_free (self->student_query);
  self->student_query = coop_search_query_new (gtk_editable_get_text (editable));
  gtk_filter_changed (GTK_FILTER (self->student_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_student_bind_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  CoopStudent *student = gtk_list_item_get_item (item);
  g_autofree char *text = g_strdup_printf ("%s  %s  %s",
                                           coop_student_get_number (student),
                                           coop_student_get_name (student),
                                           coop_student_get_major (student)
                                           ? coop_student_get_major (student) : "");

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
on_student_activate_cb (GtkListView    *view,
                        guint           position,
                        CoopPoolDetail *self)
{
  g_autoptr(CoopRecord) student = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)),
                                                         position);
  g_autoptr(GError) error = NULL;

  gtk_popover_popdown (gtk_menu_button_get_popover (self->add_button));
  if (!coop_pool_detail_add_student (self, coop_record_get_id (student), &error))
    g_signal_emit (self, signals[ERROR], 0, error->message);
}

static void
on_board_move_cb (CoopPoolBoard  *board,
                  GPtrArray      *candidates,
                  int             stage,
                  CoopPoolDetail *self)
{
  g_autoptr(GError) error = NULL;

  if (!coop_pool_detail_move_candidates (self, candidates, stage, &error))
    g_signal_emit (self, signals[ERROR], 0, error->message);
}

static void
set_stage_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CoopPoolDetail *self = COOP_POOL_DETAIL (widget);
  g_autoptr(GError) error = NULL;

  if (!coop_pool_detail_set_stage (self, (int) gtk_drop_down_get_selected (self->stage_drop_down),
                                   &error))
    g_signal_emit (self, signals[ERROR], 0, error->message);
}

/* ------------------------------------------------------------------ building */

static void
add_column (CoopPoolDetail *self,
            const char     *property,
            gboolean        expand)
{
  g_autoptr(GtkColumnViewColumn) column = coop_field_column_new (COOP_TYPE_CANDIDATE, property,
                                                                 expand);

  gtk_column_view_append_column (self->column_view, column);
}

static GtkWidget *
build_student_picker (CoopPoolDetail *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GListModel *students = coop_store_get_list (self->store, COOP_TYPE_STUDENT);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;
  GtkWidget *view;

  coop_search_track_list (students);
  self->student_filter = gtk_custom_filter_new (student_match, self, NULL);
  filtered = gtk_filter_list_model_new (g_object_ref (students),
                                        g_object_ref (GTK_FILTER (self->student_filter)));
  self->student_choices = g_object_ref (G_LIST_MODEL (filtered));
  g_signal_connect (factory, "setup", G_CALLBACK (on_label_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_student_bind_cb), NULL);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (filtered))),
                            factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "navigation-sidebar");
  g_signal_connect (view, "activate", G_CALLBACK (on_student_activate_cb), self);
  g_signal_connect (search, "search-changed", G_CALLBACK (on_student_search_changed_cb), self);

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_object_set (search, "placeholder-text", _("Student number, name, class…"), NULL);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_box_append (GTK_BOX (box), search);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

/* ------------------------------------------------------------------ overrides */

static void
coop_pool_detail_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CoopPoolDetail *self = COOP_POOL_DETAIL (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, self->show_board ? "board" : "list");
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_pool_detail_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CoopPoolDetail *self = COOP_POOL_DETAIL (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      coop_pool_detail_set_view (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_pool_detail_dispose (GObject *object)
{
  CoopPoolDetail *self = COOP_POOL_DETAIL (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_POOL_DETAIL);
  g_clear_object (&self->selection);
  g_clear_object (&self->candidates);
  g_clear_object (&self->filter);
  g_clear_object (&self->student_filter);
  g_clear_object (&self->student_choices);
  g_clear_object (&self->pool);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_pool_detail_parent_class)->dispose (object);
}

static void
coop_pool_detail_finalize (GObject *object)
{
  CoopPoolDetail *self = COOP_POOL_DETAIL (object);

  coop_search_query_free (self->student_query);
  g_hash_table_unref (self->in_pool);

  G_OBJECT_CLASS (coop_pool_detail_parent_class)->finalize (object);
}

static void
coop_pool_detail_class_init (CoopPoolDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = coop_pool_detail_get_property;
  object_class->set_property = coop_pool_detail_set_property;
  object_class->dispose = coop_pool_detail_dispose;
  object_class->finalize = coop_pool_detail_finalize;

  /**
   * CoopPoolDetail:view:
   *
   * How the candidates are shown: "list" or "board".
   */
  properties[PROP_VIEW] = g_param_spec_string ("view", NULL, NULL, "list",
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * CoopPoolDetail::stage-set:
   * @previous: (element-type CoopCandidate): copies of the candidates whose
   *   stage changed, as they were before
   * @stage: the stage they are in now
   *
   * Emitted after coop_pool_detail_set_stage() changed at least one
   * candidate, so that the change can be offered for undo.
   */
  signals[STAGE_SET] = g_signal_new ("stage-set", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                     G_TYPE_PTR_ARRAY, G_TYPE_INT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-pool-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, selected_label);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, add_button);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, stage_drop_down);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CoopPoolDetail, column_view);
  gtk_widget_class_install_action (widget_class, "pool.set-stage", NULL, set_stage_activated);
  gtk_widget_class_install_property_action (widget_class, "pool.view", "view");
}

static void
coop_pool_detail_init (CoopPoolDetail *self)
{
  g_autoptr(GtkStringList) stages = gtk_string_list_new (NULL);
  g_autoptr(GEnumClass) enum_class = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->in_pool = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  enum_class = g_type_class_ref (COOP_TYPE_CANDIDATE_STAGE);
  for (guint i = 0; i < enum_class->n_values; i++)
    gtk_string_list_append (stages, coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE,
                                                         enum_class->values[i].value));
  gtk_drop_down_set_model (self->stage_drop_down, G_LIST_MODEL (stages));
}

static gboolean
restore_stages (CoopPoolDetail  *self,
                GPtrArray       *previous,
                GError         **error)
{
  if (!coop_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < previous->len; i++)
    {
      CoopCandidate *before = g_ptr_array_index (previous, i);
      CoopRecord *current = coop_store_find (self->store, COOP_TYPE_CANDIDATE,
                                             coop_record_get_id (COOP_RECORD (before)));
      g_autoptr(CoopRecord) copy = NULL;

      if (current == NULL)
        continue;
      copy = coop_record_copy (current);
      coop_candidate_set_stage (COOP_CANDIDATE (copy), coop_candidate_get_stage (before));
      coop_candidate_set_stage_on (COOP_CANDIDATE (copy), coop_candidate_get_stage_on (before));
      if (!coop_store_save (self->store, copy, error))
        {
          coop_store_rollback (self->store);
          return FALSE;
        }
    }
  return coop_store_commit (self->store, error);
}

/* ------------------------------------------------------------------ public */

CoopPoolDetail *
coop_pool_detail_new (CoopStore *store)
{
  CoopPoolDetail *self;
  GtkListItemFactory *factory;
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GTypeClass) klass = NULL;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  self = g_object_new (COOP_TYPE_POOL_DETAIL, NULL);
  self->store = g_object_ref (store);

  self->filter = gtk_custom_filter_new (in_pool, self, NULL);
  self->candidates = coop_filter_list_new (coop_store_get_list (store, COOP_TYPE_CANDIDATE),
                                           GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->candidates)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  self->board = coop_pool_board_new (G_LIST_MODEL (self->candidates),
                                     coop_store_get_read_only (store));
  gtk_stack_add_named (self->view_stack, GTK_WIDGET (self->board), "board");
  g_signal_connect_object (self->board, "move", G_CALLBACK (on_board_move_cb), self, 0);
  g_signal_connect_object (self->board, "selection-changed",
                           G_CALLBACK (on_candidates_changed_cb), self, G_CONNECT_SWAPPED);

  add_column (self, "student-number", FALSE);
  add_column (self, "student-name", TRUE);
  add_column (self, "class-name", FALSE);

  klass = g_type_class_ref (COOP_TYPE_CANDIDATE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_stage_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_stage_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_stage_unbind_cb), self);
  column = gtk_column_view_column_new (g_dgettext (GETTEXT_PACKAGE,
                                                   coop_record_class_find_field (COOP_RECORD_CLASS (klass),
                                                                                 "stage")->label),
                                       factory);
  gtk_column_view_append_column (self->column_view, column);
  add_column (self, "stage-on", FALSE);

  gtk_menu_button_set_popover (self->add_button, build_student_picker (self));
  /* A read-only database shows its candidates but takes no changes. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), !coop_store_get_read_only (store));
  gtk_widget_set_sensitive (GTK_WIDGET (self->stage_drop_down), !coop_store_get_read_only (store));

  g_signal_connect_object (self->candidates, "items-changed",
                           G_CALLBACK (on_candidates_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_candidates_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (coop_store_get_list (store, COOP_TYPE_POOL), "items-changed",
                           G_CALLBACK (on_candidates_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pool.set-stage", FALSE);
  return self;
}

void
coop_pool_detail_set_pool (CoopPoolDetail *self,
                           CoopRecord     *pool)
{
  g_return_if_fail (COOP_IS_POOL_DETAIL (self));
  g_return_if_fail (pool == NULL || COOP_IS_POOL (pool));

  if ((CoopPool *) pool == self->pool)
    return;
  g_set_object (&self->pool, (CoopPool *) pool);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    coop_pool_board_select (self->board, none);
  }
  gtk_stack_set_visible_child_name (self->stack, pool ? "pool" : "none");
  update_summary (self);
}

/**
 * coop_pool_detail_get_student_choices:
 *
 * Returns: (transfer none): the students Add Student offers: those matching
 *   its search that are not in the pool yet
 */
GListModel *
coop_pool_detail_get_student_choices (CoopPoolDetail *self)
{
  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), NULL);
  return self->student_choices;
}

/**
 * coop_pool_detail_get_selection:
 *
 * Returns: (transfer none): the candidates of the pool and which are selected
 */
GtkSelectionModel *
coop_pool_detail_get_selection (CoopPoolDetail *self)
{
  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

/* Moves every selected candidate to @stage in one transaction: all of them
 * or none.  Emits CoopPoolDetail::stage-set with the candidates it changed,
 * as they were. */
gboolean
coop_pool_detail_set_stage (CoopPoolDetail  *self,
                            int              stage,
                            GError         **error)
{
  g_autoptr(GPtrArray) chosen = NULL;
  gboolean freeze;
  gboolean ok;

  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), FALSE);

  if (!self->show_board)
    {
      chosen = dup_list_selected (self);
      return coop_pool_detail_move_candidates (self, chosen, stage, error);
    }

  /* The cards change columns: they stay selected in the new one. */
  chosen = coop_pool_board_dup_selected (self->board);
  freeze = chosen->len > 32;
  if (freeze)
    coop_pool_board_freeze (self->board);
  ok = coop_pool_detail_move_candidates (self, chosen, stage, error);
  if (freeze)
    coop_pool_board_thaw (self->board);
  if (ok)
    coop_pool_board_select (self->board, chosen);
  return ok;
}

/**
 * coop_pool_detail_move_candidates:
 * @candidates: (element-type CoopCandidate): candidates of the pool shown
 * @stage: the stage they go to
 *
 * Moves @candidates to @stage in one transaction: all of them or none; each
 * move is a line of its stage history.  What Set Stage, the board's drops
 * and its keyboard shortcuts do.  Emits CoopPoolDetail::stage-set with the
 * candidates it changed, as they were, for the undo.
 */
gboolean
coop_pool_detail_move_candidates (CoopPoolDetail  *self,
                                  GPtrArray       *chosen,
                                  int              stage,
                                  GError         **error)
{
  g_autoptr(GPtrArray) previous = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), FALSE);
  g_return_val_if_fail (chosen != NULL, FALSE);

  if (chosen->len == 0)
    return TRUE;

  if (!coop_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < chosen->len; i++)
    {
      CoopCandidate *candidate = g_ptr_array_index (chosen, i);

      if ((int) coop_candidate_get_stage (candidate) == stage)
        continue;
      /* The store updates its own object in place: copy it first. */
      g_ptr_array_add (previous, coop_record_copy (COOP_RECORD (candidate)));
      if (!save_stage (self, candidate, stage, error))
        {
          coop_store_rollback (self->store);
          return FALSE;
        }
    }
  if (!coop_store_commit (self->store, error))
    return FALSE;

  if (previous->len > 0)
    g_signal_emit (self, signals[STAGE_SET], 0, previous, stage);
  return TRUE;
}

/**
 * coop_pool_detail_get_board:
 *
 * Returns: (transfer none): the board that shows the candidates as cards
 */
CoopPoolBoard *
coop_pool_detail_get_board (CoopPoolDetail *self)
{
  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), NULL);
  return self->board;
}

/**
 * coop_pool_detail_set_view:
 * @view: "list" or "board"
 *
 * Shows the candidates as a list or as a board, with the same candidates
 * selected.
 */
void
coop_pool_detail_set_view (CoopPoolDetail *self,
                           const char     *view)
{
  gboolean show_board;
  g_autoptr(GPtrArray) selected = NULL;

  g_return_if_fail (COOP_IS_POOL_DETAIL (self));
  g_return_if_fail (g_strcmp0 (view, "list") == 0 || g_strcmp0 (view, "board") == 0);

  show_board = g_str_equal (view, "board");
  if (show_board == self->show_board)
    return;

  if (show_board)
    {
      selected = dup_list_selected (self);
      coop_pool_board_select (self->board, selected);
    }
  else
    {
      selected = coop_pool_board_dup_selected (self->board);
      select_in_list (self, selected);
    }
  self->show_board = show_board;
  gtk_stack_set_visible_child_name (self->view_stack, view);
  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

/**
 * coop_pool_detail_restore_stages:
 * @previous: (element-type CoopCandidate): candidates as they were, from
 *   CoopPoolDetail::stage-set
 *
 * Undoes a coop_pool_detail_set_stage(): puts each candidate back in the
 * stage it had, since the date it had, in one transaction.  Candidates
 * deleted since are left alone.
 */
gboolean
coop_pool_detail_restore_stages (CoopPoolDetail  *self,
                                 GPtrArray       *previous,
                                 GError         **error)
{
  gboolean freeze;
  gboolean ok;

  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), FALSE);
  g_return_val_if_fail (previous != NULL, FALSE);

  /* Many cards going back to their columns: see coop_pool_board_freeze(). */
  freeze = self->show_board && previous->len > 32;
  if (freeze)
    coop_pool_board_freeze (self->board);
  ok = restore_stages (self, previous, error);
  if (freeze)
    coop_pool_board_thaw (self->board);
  return ok;
}

/**
 * coop_pool_detail_select_candidate:
 * @candidate_id: a candidate of the pool shown
 *
 * Selects that candidate alone and scrolls to it.
 *
 * Returns: %FALSE when the pool shown has no such candidate
 */
gboolean
coop_pool_detail_select_candidate (CoopPoolDetail *self,
                                   gint64          candidate_id)
{
  GListModel *candidates;
  GtkWidget *list_view;
  guint n;

  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), FALSE);

  candidates = G_LIST_MODEL (self->candidates);
  n = g_list_model_get_n_items (candidates);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopRecord) candidate = g_list_model_get_item (candidates, i);

      if (coop_record_get_id (candidate) != candidate_id)
        continue;

      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
      if (self->show_board)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, candidate);
          coop_pool_board_select (self->board, one);
          coop_pool_board_focus_candidate (self->board, COOP_CANDIDATE (candidate));
          return TRUE;
        }
      /* GTK 4.8 has no gtk_column_view_scroll_to(); its list view has the
       * action. */
      list_view = gtk_widget_get_last_child (GTK_WIDGET (self->column_view));
      if (list_view != NULL)
        gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", i);
      return TRUE;
    }
  return FALSE;
}

gboolean
coop_pool_detail_add_student (CoopPoolDetail  *self,
                              gint64           student_id,
                              GError         **error)
{
  g_autoptr(CoopCandidate) candidate = NULL;

  g_return_val_if_fail (COOP_IS_POOL_DETAIL (self), FALSE);
  g_return_val_if_fail (self->pool != NULL, FALSE);

  candidate = coop_candidate_new ();
  coop_candidate_set_pool_id (candidate, coop_record_get_id (COOP_RECORD (self->pool)));
  coop_candidate_set_student_id (candidate, student_id);
  coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_RECOMMENDED);
  return coop_store_save (self->store, COOP_RECORD (candidate), error);
}
