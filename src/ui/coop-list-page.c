/* coop-list-page.c — one kind of record as a searchable, sortable list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-list-page"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-agreement.h"
#include "coop-event.h"
#include "coop-filter-list.h"
#include "coop-list-page.h"
#include "coop-row-list.h"
#include "coop-search.h"
#include "coop-text.h"

typedef struct {
  const CoopField *field;
  GtkDropDown     *drop_down;
  guint            selected;   /* of drop_down, read once per refilter */
  GPtrArray       *values;     /* display strings, index 0 is "all" */
} PageFilter;

struct _CoopListPage
{
  GtkWidget               parent_instance;

  CoopStore              *store;
  const CoopListPageInfo *info;
  GType                   record_type;
  gboolean                takes_files;   /* its records hold attached files */
  GListModel             *list;
  GtkCustomFilter        *filter;
  GtkSortListModel       *sort_model;
  CoopFilterList         *filter_model;
  CoopRowList            *rows;
  GtkAdjustment          *vadjustment;
  GtkWidget              *list_view;
  guint                   update_shown_id;
  gboolean                columns_fitted;
  gboolean                fitting_columns;
  GtkSingleSelection     *selection;
  CoopRecord             *selected_record;
  gboolean                keeping_selection;
  GArray                 *filters;

  GtkWidget              *main_box;
  GtkSearchEntry         *search_entry;
  GtkBox                 *filter_box;
  GtkLabel               *count_label;
  GtkStack               *stack;
  GtkColumnView          *column_view;
  AdwStatusPage          *empty_page;
  GtkButton              *empty_new_button;
  GtkPaned               *paned;
};

G_DEFINE_FINAL_TYPE (CoopListPage, coop_list_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FILES_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ helpers */

static const CoopField *
find_field (CoopListPage *self,
            const char   *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (self->record_type);

  return coop_record_class_find_field (COOP_RECORD_CLASS (klass), name);
}

static gboolean
field_is_numeric (const CoopField *field)
{
  return field->kind == COOP_FIELD_COUNT || field->kind == COOP_FIELD_YEAR ||
         field->kind == COOP_FIELD_ENUM || field->kind == COOP_FIELD_REF;
}

static gboolean
filter_matches (CoopListPage *self,
                PageFilter   *filter,
                CoopRecord   *record)
{
  guint selected = filter->selected;
  const char *wanted;

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected >= filter->values->len)
    return TRUE;

  wanted = g_ptr_array_index (filter->values, selected);
  if (filter->field->kind == COOP_FIELD_ENUM)
    return coop_record_get_int (record, filter->field) == GPOINTER_TO_INT (wanted) - 1;
  if (field_is_numeric (filter->field))
    {
      g_autofree char *display = coop_record_dup_display (record, filter->field);
      return g_strcmp0 (display, wanted) == 0;
    }
  return g_strcmp0 (coop_record_get_string (record, filter->field), wanted) == 0;
}

static gboolean
match_record (gpointer item,
              gpointer user_data)
{
  CoopListPage *self = user_data;
  CoopRecord *record = item;

  for (guint i = 0; i < self->filters->len; i++)
    if (!filter_matches (self, &g_array_index (self->filters, PageFilter, i), record))
      return FALSE;
  return TRUE;
}

static void
update_state (CoopListPage *self)
{
  guint shown = coop_list_page_get_n_shown (self);
  guint total = coop_list_page_get_n_total (self);
  g_autofree char *count = NULL;

  /* Translators: how many records the list shows of how many there are */
  count = g_strdup_printf (_("%u of %u"), shown, total);
  gtk_label_set_label (self->count_label, count);

  if (!coop_store_get_loaded (self->store, self->record_type))
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (total == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static int
compare_numeric (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const CoopField *field = user_data;
  gint64 x, y;

  if (field->kind == COOP_FIELD_REF)
    {
      x = coop_record_get_ref ((CoopRecord *) a, field);
      y = coop_record_get_ref ((CoopRecord *) b, field);
    }
  else
    {
      x = coop_record_get_int ((CoopRecord *) a, field);
      y = coop_record_get_int ((CoopRecord *) b, field);
    }

  return x < y ? GTK_ORDERING_SMALLER : x > y ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* The name or title that says which record a row is. */
static gboolean
field_is_main (const CoopField *field)
{
  return g_str_equal (field->name, "title") ||
         (g_str_equal (field->name, "name") && !(field->flags & COOP_FIELD_DERIVED));
}

/* A cell is a label that shows one field of whatever record its row shows. */
static void
update_cell (CoopRow    *row,
             GParamSpec *pspec,
             GtkLabel   *label)
{
  const CoopField *field = g_object_get_data (G_OBJECT (label), "coop-field");
  CoopRecord *record = coop_row_get_shown_item (row);
  g_autofree char *display = record != NULL ? coop_record_dup_display (record, field) : NULL;

  gtk_label_set_label (label, display ? display : "");
}

/* Files dropped on a row are for the record it shows. */
static gboolean
on_cell_drop_cb (GtkDropTarget *target,
                 const GValue  *value,
                 double         x,
                 double         y,
                 CoopListPage  *self)
{
  GtkWidget *label = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  CoopRow *row = g_object_get_data (G_OBJECT (label), "coop-row");
  CoopRecord *record = row != NULL ? coop_row_get_shown_item (row) : NULL;
  g_autoptr(GSList) files = NULL;

  if (record == NULL || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  g_signal_emit (self, signals[FILES_DROPPED], 0, record, files);
  return TRUE;
}

static void
on_cell_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  CoopListPage *self = g_object_get_data (G_OBJECT (factory), "coop-page");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (label), "coop-field", user_data);
  if (self->takes_files)
    {
      GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

      g_signal_connect_object (target, "drop", G_CALLBACK (on_cell_drop_cb), self, 0);
      gtk_widget_add_controller (label, GTK_EVENT_CONTROLLER (target));
    }
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  CoopRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);

  update_cell (row, NULL, GTK_LABEL (label));
  g_object_set_data (G_OBJECT (label), "coop-row", row);
  g_signal_connect_object (row, "notify::item", G_CALLBACK (update_cell), label, 0);
}

static void
on_cell_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "coop-row", NULL);
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), update_cell,
                                        gtk_list_item_get_child (item));
}

static int
text_width (PangoLayout *layout,
            const char  *text)
{
  int width;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* The cells' padding, and the heading's sort arrow. */
#define CELL_PADDING 16
#define HEADING_PADDING 32

static int
heading_width (PangoLayout     *layout,
               const CoopField *field)
{
  return text_width (layout, g_dgettext (GETTEXT_PACKAGE, field->label)) + HEADING_PADDING;
}

/* A column has a width of its own, not one measured from the rows it
 * shows: then a search changes no column's width and lays out only the
 * cells whose text changed.  The width fits the heading and what a sample
 * of up to a thousand records shows, up to 16 Chinese characters.
 *
 * While a list is short its columns follow what it holds, as the first
 * records are entered; from a hundred records on they keep their widths.
 * A column the user has dragged keeps the width it was given. */
#define FIT_WHILE_FEWER_THAN 100

static void
on_column_width_cb (GtkColumnViewColumn *column,
                    GParamSpec          *pspec,
                    CoopListPage        *self)
{
  if (!self->fitting_columns)
    g_object_set_data (G_OBJECT (column), "coop-user-width", GINT_TO_POINTER (TRUE));
}

static void
fit_columns (CoopListPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint n_records = g_list_model_get_n_items (self->list);
  guint n_samples = MIN (n_records, 1000);
  g_autoptr(PangoLayout) layout = NULL;
  int widest;

  if (n_records == 0 || (self->columns_fitted && n_records >= FIT_WHILE_FEWER_THAN))
    return;
  self->columns_fitted = TRUE;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), NULL);
  widest = 16 * text_width (layout, "中");
  self->fitting_columns = TRUE;
  for (guint c = 0; c < g_list_model_get_n_items (columns); c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
      const CoopField *field = g_object_get_data (G_OBJECT (column), "coop-field");
      int width = 0;

      if (g_object_get_data (G_OBJECT (column), "coop-user-width") != NULL)
        continue;

      /* Records spread over the list, but not at a fixed step, which
       * could keep meeting the same values of a list that repeats. */
      for (guint i = 0; i < n_samples && width < widest; i++)
        {
          guint position = (guint) (((guint64) i * 7919) % n_records);
          g_autoptr(CoopRecord) record = g_list_model_get_item (self->list, position);
          g_autofree char *display = coop_record_dup_display (record, field);

          if (display != NULL)
            width = MAX (width, text_width (layout, display));
        }
      width = MAX (MIN (width, widest) + CELL_PADDING, heading_width (layout, field));
      gtk_column_view_column_set_fixed_width (column, width);
    }
  self->fitting_columns = FALSE;
}

static void
add_column (CoopListPage    *self,
            const CoopField *field)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;

  g_object_set_data (G_OBJECT (factory), "coop-page", self);
  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup_cb), (gpointer) field);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind_cb), NULL);

  column = gtk_column_view_column_new (g_dgettext (GETTEXT_PACKAGE, field->label),
                                       g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, field_is_main (field));
  {
    g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view),
                                                                    NULL);

    /* Until there are records to fit it to (fit_columns()). */
    gtk_column_view_column_set_fixed_width (column, heading_width (layout, field));
  }

  if (field_is_numeric (field))
    sorter = GTK_SORTER (gtk_custom_sorter_new (compare_numeric, (gpointer) field, NULL));
  else
    sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (self->record_type,
                                                                             NULL,
                                                                             field->name)));
  gtk_column_view_column_set_sorter (column, sorter);
  g_object_set_data (G_OBJECT (column), "coop-property", (gpointer) field->name);
  g_object_set_data (G_OBJECT (column), "coop-field", (gpointer) field);
  g_signal_connect_object (column, "notify::fixed-width", G_CALLBACK (on_column_width_cb),
                           self, 0);
  gtk_column_view_append_column (self->column_view, column);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
fill_filter_values (CoopListPage *self,
                    PageFilter   *filter)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autofree char *all = NULL;

  g_ptr_array_set_size (filter->values, 0);
  /* Translators: the first entry of a filter drop-down, e.g. "All Status" */
  all = g_strdup_printf (_("Any %s"), g_dgettext (GETTEXT_PACKAGE, filter->field->label));
  gtk_string_list_append (strings, all);
  g_ptr_array_add (filter->values, NULL);

  if (filter->field->kind == COOP_FIELD_ENUM)
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (filter->field->enum_type ());

      for (guint i = 0; i < enum_class->n_values; i++)
        {
          int value = enum_class->values[i].value;

          gtk_string_list_append (strings,
                                  coop_enum_get_label (filter->field->enum_type (), value));
          g_ptr_array_add (filter->values, GINT_TO_POINTER (value + 1));
        }
    }
  else
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
      guint n = g_list_model_get_n_items (self->list);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CoopRecord) record = g_list_model_get_item (self->list, i);
          char *display = coop_record_dup_display (record, filter->field);

          if (display == NULL || display[0] == '\0' || g_str_equal (display, "0") ||
              g_hash_table_contains (seen, display))
            {
              g_free (display);
              continue;
            }
          g_hash_table_add (seen, display);
          g_ptr_array_add (sorted, display);
        }

      g_ptr_array_sort (sorted, compare_strings);
      for (guint i = 0; i < sorted->len; i++)
        {
          char *value = g_ptr_array_index (sorted, i);

          gtk_string_list_append (strings, value);
          g_ptr_array_add (filter->values, g_strdup (value));
        }
    }

  gtk_drop_down_set_model (filter->drop_down, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (filter->drop_down, 0);
}

static void
page_filter_clear (PageFilter *filter)
{
  if (filter->field->kind != COOP_FIELD_ENUM)
    for (guint i = 1; i < filter->values->len; i++)
      g_free (g_ptr_array_index (filter->values, i));
  g_ptr_array_unref (filter->values);
}

/* Every row is one line of the same height. */
static int
row_height (CoopListPage *self)
{
  GtkWidget *row = gtk_widget_get_first_child (self->list_view);

  return row != NULL ? gtk_widget_get_height (row) : 0;
}

/* Tells the rows which of them are on screen, or about to be: a window's
 * height of rows around @position, which is @before windows into them. */
static void
show_rows_around (CoopListPage *self,
                  guint         position,
                  double        before)
{
  int height = row_height (self);
  guint n, back;

  if (self->vadjustment == NULL || height <= 0)
    {
      coop_row_list_set_shown (self->rows, 0, G_MAXUINT);
      return;
    }

  n = (guint) (gtk_adjustment_get_page_size (self->vadjustment) / height) + 2;
  back = (guint) (n * before);
  coop_row_list_set_shown (self->rows, position > back ? position - back : 0, 2 * n);
}

/* The rows on screen and half a window either side. */
static gboolean
update_shown_rows_cb (gpointer user_data)
{
  CoopListPage *self = user_data;
  int height = row_height (self);
  double value = gtk_adjustment_get_value (self->vadjustment);

  self->update_shown_id = 0;
  show_rows_around (self, height > 0 ? (guint) (value / height) : 0, 0.5);
  return G_SOURCE_REMOVE;
}

/* The view moves its rows while it lays them out, when the rows must not
 * change their text; they do so after that, before the frame is painted. */
static void
queue_update_shown_rows (CoopListPage *self)
{
  if (self->update_shown_id == 0)
    self->update_shown_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, update_shown_rows_cb,
                                             self, NULL);
}

static void
on_vadjustment_cb (CoopListPage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  if (adjustment == self->vadjustment)
    return;

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_set_object (&self->vadjustment, adjustment);
  if (adjustment != NULL)
    {
      g_signal_connect_swapped (adjustment, "value-changed",
                                G_CALLBACK (queue_update_shown_rows), self);
      g_signal_connect_swapped (adjustment, "changed",
                                G_CALLBACK (queue_update_shown_rows), self);
    }
  show_rows_around (self, 0, 0);
}

/* GTK 4.8 has no gtk_column_view_scroll_to(); the list view inside the
 * column view has the action that does it.  The rows there are told they
 * are shown first: the view may put @position at the top or the bottom. */
static void
scroll_to (CoopListPage *self,
           guint         position)
{
  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    coop_row_list_settle (self->rows);
  show_rows_around (self, position, 1);
  gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", position);
}

/* The rows keep their places, so after a refilter the view would stay as
 * far down as it was: show the selected record, or the first match. */
static void
show_after_refilter (CoopListPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0)
    {
      guint selected = gtk_single_selection_get_selected (self->selection);

      scroll_to (self, selected != GTK_INVALID_LIST_POSITION ? selected : 0);
    }
}

/* The drop-downs are read once, not once per record.  With none set the
 * filter has no function, so it matches every record without a call. */
static void
refilter (CoopListPage *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->filters->len; i++)
    {
      PageFilter *filter = &g_array_index (self->filters, PageFilter, i);

      filter->selected = gtk_drop_down_get_selected (filter->drop_down);
      any |= filter->selected != 0 && filter->selected != GTK_INVALID_LIST_POSITION;
    }
  if (any)
    gtk_custom_filter_set_filter_func (self->filter, match_record, self, NULL);
  else
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  show_after_refilter (self);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_search_entry_changed_cb (CoopListPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (coop_filter_list_set_query (self->filter_model, coop_search_query_new (text)))
    show_after_refilter (self);
}

/* Enter in the search goes to the first match, ready for Enter again to
 * open it; Escape empties the search. */
static void
on_search_entry_activate_cb (CoopListPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    return;
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, 0);
  scroll_to (self, gtk_single_selection_get_selected (self->selection));
}

static void
on_search_entry_stop_search_cb (CoopListPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_filter_selected_cb (CoopListPage *self)
{
  refilter (self);
}

/* Enter opens the highlighted row.  The position GTK passes is the row with
 * the keyboard focus, which stays behind when a row is selected from code
 * (a record just saved); a double-click has selected its row already. */
static void
on_column_view_activate_cb (CoopListPage *self,
                            guint         position)
{
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-record", NULL);
}

/* The rows stay where they are while the records they show change, so the
 * selection, which follows positions, is moved to where the selected
 * record went once the records have changed. */
static void
on_model_changing_cb (CoopListPage *self)
{
  self->keeping_selection = TRUE;
}

static void
on_model_items_changed_cb (CoopListPage *self)
{
  guint position = GTK_INVALID_LIST_POSITION;

  if (self->selected_record != NULL)
    position = coop_filter_list_find (self->filter_model, self->selected_record);
  if (position == GTK_INVALID_LIST_POSITION)
    g_clear_object (&self->selected_record);
  else if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    coop_row_list_settle (self->rows);
  if (gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
  self->keeping_selection = FALSE;

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
on_list_items_changed_cb (CoopListPage *self)
{
  fit_columns (self);
  update_state (self);
}

static void
on_selection_changed_cb (CoopListPage *self)
{
  if (self->keeping_selection)
    return;
  g_set_object (&self->selected_record, coop_list_page_get_selected (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* ------------------------------------------------------------------ overrides */

static void
coop_list_page_dispose (GObject *object)
{
  CoopListPage *self = COOP_LIST_PAGE (object);

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
  g_clear_handle_id (&self->update_shown_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_LIST_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->selected_record);
  g_clear_object (&self->filter);
  g_clear_object (&self->list);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_list_page_parent_class)->dispose (object);
}

static void
coop_list_page_finalize (GObject *object)
{
  CoopListPage *self = COOP_LIST_PAGE (object);

  for (guint i = 0; i < self->filters->len; i++)
    page_filter_clear (&g_array_index (self->filters, PageFilter, i));
  g_array_unref (self->filters);

  G_OBJECT_CLASS (coop_list_page_parent_class)->finalize (object);
}

static void
coop_list_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CoopListPage *self = COOP_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, coop_list_page_get_selected (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
coop_list_page_grab_focus (GtkWidget *widget)
{
  CoopListPage *self = COOP_LIST_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
coop_list_page_class_init (CoopListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_list_page_dispose;
  object_class->finalize = coop_list_page_finalize;
  object_class->get_property = coop_list_page_get_property;
  widget_class->grab_focus = coop_list_page_grab_focus;

  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, COOP_TYPE_RECORD,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CoopListPage::files-dropped:
   * @record: the record of the row the files were dropped on
   * @files: (element-type GFile): the files
   *
   * Files were dropped on a row of a page whose records hold files.
   */
  signals[FILES_DROPPED] = g_signal_new ("files-dropped", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         COOP_TYPE_RECORD, G_TYPE_POINTER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, main_box);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, empty_new_button);
  gtk_widget_class_bind_template_child (widget_class, CoopListPage, paned);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate_cb);
}

static void
coop_list_page_init (CoopListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filters = g_array_new (FALSE, TRUE, sizeof (PageFilter));
}

/* ------------------------------------------------------------------ public */

CoopListPage *
coop_list_page_new (CoopStore              *store,
                    const CoopListPageInfo *info)
{
  CoopListPage *self;
  GtkShortcutController *shortcuts;
  g_autoptr(GtkSorter) view_sorter = NULL;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (COOP_TYPE_LIST_PAGE, NULL);
  self->store = g_object_ref (store);
  self->info = info;
  self->record_type = info->record_type ();
  self->takes_files = self->record_type == COOP_TYPE_AGREEMENT ||
                      self->record_type == COOP_TYPE_EVENT;
  self->list = g_object_ref (coop_store_get_list (store, self->record_type));

  /* Keys must be dropped before the filter model looks at a changed record. */
  coop_search_track_list (self->list);

  for (guint i = 0; info->columns[i] != NULL; i++)
    {
      const CoopField *field = find_field (self, info->columns[i]);

      g_return_val_if_fail (field != NULL, self);
      add_column (self, field);
    }

  for (guint i = 0; info->filters != NULL && info->filters[i] != NULL; i++)
    {
      PageFilter filter = { 0 };

      filter.field = find_field (self, info->filters[i]);
      g_return_val_if_fail (filter.field != NULL, self);
      filter.values = g_ptr_array_new ();
      filter.drop_down = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      gtk_widget_set_tooltip_text (GTK_WIDGET (filter.drop_down),
                                   g_dgettext (GETTEXT_PACKAGE, filter.field->label));
      gtk_box_append (self->filter_box, GTK_WIDGET (filter.drop_down));
      g_array_append_val (self->filters, filter);
      fill_filter_values (self, &g_array_index (self->filters, PageFilter, i));
      g_signal_connect_swapped (filter.drop_down, "notify::selected",
                                G_CALLBACK (on_filter_selected_cb), self);
    }

  /* Sorted before filtered, so that a keystroke in the search sorts nothing;
   * the view shows rows that keep their widgets while the records change. */
  view_sorter = g_object_ref (gtk_column_view_get_sorter (self->column_view));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (self->list),
                                              g_steal_pointer (&view_sorter));
  /* No drop-down is set yet (refilter()). */
  self->filter = gtk_custom_filter_new (NULL, NULL, NULL);
  self->filter_model = coop_filter_list_new (G_LIST_MODEL (self->sort_model),
                                             GTK_FILTER (self->filter));
  coop_filter_list_set_searchable (self->filter_model);
  /* match_record() and the search only read the records, their search
   * keys, the page's filters and the query, so a refilter may run on
   * every processor. */
  coop_filter_list_set_parallel (self->filter_model, TRUE);
  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_model_changing_cb), self, G_CONNECT_SWAPPED);
  self->rows = coop_row_list_new (G_LIST_MODEL (self->filter_model));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  /* The view's own rows are the children of the list view inside it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL && self->list_view == NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      self->list_view = child;
  g_assert (self->list_view != NULL);
  g_signal_connect_object (self->column_view, "notify::vadjustment",
                           G_CALLBACK (on_vadjustment_cb), self, G_CONNECT_SWAPPED);
  on_vadjustment_cb (self);

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_model_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "items-changed",
                           G_CALLBACK (on_list_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                      gtk_named_action_new ("win.delete-record")));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (shortcuts));

  adw_status_page_set_title (self->empty_page, g_dgettext (GETTEXT_PACKAGE, info->empty_title));
  gtk_button_set_label (self->empty_new_button, g_dgettext (GETTEXT_PACKAGE, info->new_label));

  fit_columns (self);
  update_state (self);
  return self;
}

GType
coop_list_page_get_record_type (CoopListPage *self)
{
  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), G_TYPE_INVALID);
  return self->record_type;
}

/**
 * coop_list_page_get_model:
 *
 * Returns: (transfer none): the records as the page shows them, filtered and sorted
 */
GListModel *
coop_list_page_get_model (CoopListPage *self)
{
  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

guint
coop_list_page_get_n_shown (CoopListPage *self)
{
  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
}

guint
coop_list_page_get_n_total (CoopListPage *self)
{
  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), 0);
  return g_list_model_get_n_items (self->list);
}

/**
 * coop_list_page_get_selected:
 *
 * Returns: (transfer none) (nullable): the selected record
 */
CoopRecord *
coop_list_page_get_selected (CoopListPage *self)
{
  CoopRow *row;

  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), NULL);

  row = gtk_single_selection_get_selected_item (self->selection);
  return row != NULL ? coop_row_get_item (row) : NULL;
}

gboolean
coop_list_page_select_record (CoopListPage *self,
                              gint64        id)
{
  guint n;

  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (G_LIST_MODEL (self->filter_model), i);

      if (coop_record_get_id (record) == id)
        {
          if (i >= g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
            coop_row_list_settle (self->rows);
          gtk_single_selection_set_selected (self->selection, i);
          scroll_to (self, i);
          return TRUE;
        }
    }

  return FALSE;
}

GtkEditable *
coop_list_page_get_search_entry (CoopListPage *self)
{
  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

void
coop_list_page_focus_search (CoopListPage *self)
{
  g_return_if_fail (COOP_IS_LIST_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
coop_list_page_set_search_text (CoopListPage *self,
                                const char   *text)
{
  g_return_if_fail (COOP_IS_LIST_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
}

void
coop_list_page_set_filter (CoopListPage *self,
                           guint         index,
                           guint         position)
{
  g_return_if_fail (COOP_IS_LIST_PAGE (self));
  g_return_if_fail (index < self->filters->len);
  gtk_drop_down_set_selected (g_array_index (self->filters, PageFilter, index).drop_down, position);
}

/* Offers the values the records now hold in the drop-downs that list them. */
void
coop_list_page_refresh_filters (CoopListPage *self)
{
  g_return_if_fail (COOP_IS_LIST_PAGE (self));

  for (guint i = 0; i < self->filters->len; i++)
    {
      PageFilter *filter = &g_array_index (self->filters, PageFilter, i);

      if (filter->field->kind == COOP_FIELD_ENUM)
        continue;
      g_signal_handlers_block_by_func (filter->drop_down, on_filter_selected_cb, self);
      for (guint j = 1; j < filter->values->len; j++)
        g_free (g_ptr_array_index (filter->values, j));
      g_ptr_array_set_size (filter->values, 0);
      fill_filter_values (self, filter);
      g_signal_handlers_unblock_by_func (filter->drop_down, on_filter_selected_cb, self);
    }
  refilter (self);
  update_state (self);
}

/**
 * coop_list_page_set_detail:
 * @self: a #CoopListPage
 * @detail: what the page shows of the selected record, next to the list
 * @orientation: %GTK_ORIENTATION_HORIZONTAL to put @detail to the right of
 *   the list, %GTK_ORIENTATION_VERTICAL to put it below, for a detail as
 *   wide as a table
 *
 * The user can move the divide between the list and @detail; hiding
 * @detail gives the list the whole page.
 */
void
coop_list_page_set_detail (CoopListPage   *self,
                           GtkWidget      *detail,
                           GtkOrientation  orientation)
{
  g_return_if_fail (COOP_IS_LIST_PAGE (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned), orientation);
  gtk_paned_set_end_child (self->paned, detail);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      /* A few rows of the list above the table, which takes the rest. */
      gtk_paned_set_resize_start_child (self->paned, FALSE);
      gtk_paned_set_resize_end_child (self->paned, TRUE);
      gtk_paned_set_position (self->paned, 240);
    }
}

const char * const *
coop_list_page_get_columns (CoopListPage *self,
                            guint        *n_columns)
{
  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), NULL);
  if (n_columns != NULL)
    *n_columns = g_strv_length ((char **) self->info->columns);
  return self->info->columns;
}

/**
 * coop_list_page_dup_visible_columns:
 *
 * Returns: (transfer full): the properties of the visible columns in view order
 */
char **
coop_list_page_dup_visible_columns (CoopListPage *self)
{
  GListModel *columns;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (COOP_IS_LIST_PAGE (self), NULL);

  columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (gtk_column_view_column_get_visible (column))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (column), "coop-property"));
    }

  return g_strv_builder_end (builder);
}
