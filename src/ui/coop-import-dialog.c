/* coop-import-dialog.c — import students from a CSV or XLSX file
 *
 * The file is read, mapped and checked in a worker thread (one task at a
 * time; a change made meanwhile is queued), so the window stays responsive
 * with a large file.  The plan needs no store: students and departments
 * already stored are indexed on the main thread first.  The commit goes
 * through the window's store on the main thread, in one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-error.h"
#include "coop-import.h"
#include "coop-import-dialog.h"
#include "coop-pool.h"

/* ------------------------------------------------------------------ row items */

/* A row of the preview, for the column view. */
#define COOP_TYPE_IMPORT_ITEM (coop_import_item_get_type ())
G_DECLARE_FINAL_TYPE (CoopImportItem, coop_import_item, COOP, IMPORT_ITEM, GObject)

struct _CoopImportItem
{
  GObject        parent_instance;
  CoopImportRow *row;           /* owned by the dialog's plan */
};

G_DEFINE_FINAL_TYPE (CoopImportItem, coop_import_item, G_TYPE_OBJECT)

static void
coop_import_item_class_init (CoopImportItemClass *klass)
{
}

static void
coop_import_item_init (CoopImportItem *self)
{
}

/* ------------------------------------------------------------------ dialog */

typedef enum {
  COLUMN_ROW,
  COLUMN_STATUS,
  COLUMN_DETAILS,
  COLUMN_NUMBER,
  COLUMN_NAME,
  COLUMN_GENDER,
  COLUMN_DEPARTMENT,
  COLUMN_MAJOR,
  COLUMN_CLASS,
  COLUMN_YEAR,
  COLUMN_PHONE,
  COLUMN_EMAIL,
  N_COLUMNS
} PreviewColumn;

/* The encodings offered besides detection; iconv names. */
static const char * const encodings[] = { "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE", "BIG5" };

struct _CoopImportDialog
{
  AdwWindow           parent_instance;

  CoopStore          *store;
  GSettings          *settings;
  GFile              *file;
  CoopImportTable    *table;
  CoopImportExisting *existing;
  CoopImportPlan     *plan;
  GListStore         *items;
  GArray             *pool_ids;
  AdwComboRow        *mapping_rows[COOP_IMPORT_N_FIELDS];
  GCancellable       *cancellable;
  guint               pulse_id;
  gboolean            busy;
  gboolean            need_read;
  gboolean            need_plan;
  gboolean            updating;    /* rows are being filled in by code */

  AdwToastOverlay    *toast_overlay;
  GtkButton          *cancel_button;
  GtkButton          *import_button;
  GtkStack           *stack;
  AdwStatusPage      *busy_page;
  GtkProgressBar     *progress_bar;
  AdwActionRow       *file_row;
  AdwComboRow        *encoding_row;
  GtkStringList      *encoding_list;
  AdwComboRow        *sheet_row;
  GtkStringList      *sheet_list;
  AdwPreferencesGroup *mapping_group;
  AdwComboRow        *existing_row;
  GtkSwitch          *valid_only_switch;
  AdwComboRow        *pool_row;
  GtkStringList      *pool_list;
  GtkLabel           *summary_label;
  GtkLabel           *blocked_label;
  GtkColumnView      *preview_view;
  AdwStatusPage      *done_page;
};

G_DEFINE_FINAL_TYPE (CoopImportDialog, coop_import_dialog, ADW_TYPE_WINDOW)

typedef struct {
  char            *path;
  char            *encoding;
  char            *sheet;
  char           **remembered;
  gboolean         read;
  CoopImportTable *table;      /* read by the task, or borrowed from the dialog */
  int              columns[COOP_IMPORT_N_FIELDS];
  gboolean         guess;
  CoopImportExisting *existing; /* borrowed; the task keeps the dialog alive */
  CoopImportPlan  *plan;
} Work;

static void
work_free (Work *work)
{
  g_free (work->path);
  g_free (work->encoding);
  g_free (work->sheet);
  g_strfreev (work->remembered);
  if (work->read)
    g_clear_pointer (&work->table, coop_import_table_free);
  g_clear_pointer (&work->plan, coop_import_plan_free);
  g_free (work);
}

static void schedule_work (CoopImportDialog *self);

/* ------------------------------------------------------------------ helpers */

static const char *
gender_label (CoopGender gender)
{
  switch (gender)
    {
    case COOP_GENDER_MALE:
      return _("Male");
    case COOP_GENDER_FEMALE:
      return _("Female");
    case COOP_GENDER_UNKNOWN:
    default:
      return "";
    }
}

static char *
cell_text (CoopImportRow *row,
           PreviewColumn  column)
{
  CoopStudent *student = row->student;

  switch (column)
    {
    case COLUMN_ROW:
      return g_strdup_printf ("%u", row->row);
    case COLUMN_STATUS:
      return g_strdup (coop_import_status_label (row->status));
    case COLUMN_NUMBER:
      return g_strdup (coop_student_get_number (student));
    case COLUMN_NAME:
      return g_strdup (coop_student_get_name (student));
    case COLUMN_GENDER:
      return g_strdup (gender_label (coop_student_get_gender (student)));
    case COLUMN_DEPARTMENT:
      return g_strdup (row->department_name);
    case COLUMN_MAJOR:
      return g_strdup (coop_student_get_major (student));
    case COLUMN_CLASS:
      return g_strdup (coop_student_get_class_name (student));
    case COLUMN_YEAR:
      if (coop_student_get_graduation_year (student) == 0)
        return g_strdup ("");
      return g_strdup_printf ("%d", coop_student_get_graduation_year (student));
    case COLUMN_PHONE:
      return g_strdup (coop_student_get_phone (student));
    case COLUMN_EMAIL:
      return g_strdup (coop_student_get_email (student));
    case COLUMN_DETAILS:
      if (row->problems->len > 0)
        {
          GString *text = g_string_new (NULL);

          for (guint i = 0; i < row->problems->len; i++)
            {
              if (i > 0)
                g_string_append_c (text, '\n');
              g_string_append (text, g_ptr_array_index (row->problems, i));
            }
          return g_string_free (text, FALSE);
        }
      return g_strdup (row->changes);
    case N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
stop_pulse (CoopImportDialog *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
}

static gboolean
on_pulse_cb (gpointer user_data)
{
  CoopImportDialog *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static int
selected_encoding_index (CoopImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->encoding_row);

  return selected == GTK_INVALID_LIST_POSITION ? 0 : (int) selected;
}

static void
get_columns (CoopImportDialog *self,
             int               columns[COOP_IMPORT_N_FIELDS])
{
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      guint selected = adw_combo_row_get_selected (self->mapping_rows[f]);

      columns[f] = selected == GTK_INVALID_LIST_POSITION || selected == 0 ? -1
                                                                          : (int) selected - 1;
    }
}

static void
update_import_sensitivity (CoopImportDialog *self)
{
  gboolean blocked = self->plan != NULL && self->plan->n_error > 0
                     && !gtk_switch_get_active (self->valid_only_switch);
  gboolean ready = self->plan != NULL && !self->busy
                   && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "preview") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->blocked_label), blocked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import", ready && !blocked);
}

static void
remember_columns (CoopImportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) titles = NULL;
  int columns[COOP_IMPORT_N_FIELDS];

  if (self->settings == NULL || self->table == NULL)
    return;
  get_columns (self, columns);
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    g_strv_builder_add (builder, columns[f] >= 0 ? self->table->header[columns[f]] : "");
  titles = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "import-columns", (const char * const *) titles);
}

static void
show_error (CoopImportDialog *self,
            const char       *heading,
            const char       *body)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ filling in */

static void
fill_table_rows (CoopImportDialog *self)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new ();
  g_autofree char *subtitle = NULL;
  g_autofree char *detected = NULL;
  guint n_sheets;

  self->updating = TRUE;

  if (self->table->encoding != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->sheet_row), FALSE);
      if (selected_encoding_index (self) == 0)
        {
          detected = g_strdup_printf (_("Automatic (%s)"), self->table->encoding);
          gtk_string_list_splice (self->encoding_list, 0, 1,
                                  (const char * const[]) { detected, NULL });
          adw_combo_row_set_selected (self->encoding_row, 0);
        }
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->encoding_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->sheet_row), TRUE);
      n_sheets = g_list_model_get_n_items (G_LIST_MODEL (self->sheet_list));
      gtk_string_list_splice (self->sheet_list, 0, n_sheets,
                              (const char * const *) self->table->sheets);
      for (guint i = 0; self->table->sheets != NULL && self->table->sheets[i] != NULL; i++)
        if (g_strcmp0 (self->table->sheets[i], self->table->sheet) == 0)
          adw_combo_row_set_selected (self->sheet_row, i);
    }

  g_ptr_array_add (titles, (gpointer) _("Not imported"));
  for (guint c = 0; self->table->header[c] != NULL; c++)
    g_ptr_array_add (titles, self->table->header[c][0] != '\0'
                             ? self->table->header[c] : (gpointer) "—");
  g_ptr_array_add (titles, NULL);
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) titles->pdata);

      adw_combo_row_set_model (self->mapping_rows[f], G_LIST_MODEL (list));
    }

  subtitle = g_file_get_basename (self->file);
  adw_action_row_set_subtitle (self->file_row, subtitle);

  self->updating = FALSE;
}

static void
fill_columns (CoopImportDialog *self,
              const int        *columns)
{
  self->updating = TRUE;
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    adw_combo_row_set_selected (self->mapping_rows[f], (guint) (columns[f] + 1));
  self->updating = FALSE;
}

static void
fill_preview (CoopImportDialog *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < self->plan->rows->len; i++)
    {
      CoopImportItem *item = g_object_new (COOP_TYPE_IMPORT_ITEM, NULL);

      item->row = g_ptr_array_index (self->plan->rows, i);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);

  summary = g_strdup_printf (_("%u rows: %u new, %u to update, %u unchanged, %u with errors"),
                             self->plan->rows->len, self->plan->n_new, self->plan->n_update,
                             self->plan->n_unchanged, self->plan->n_error);
  gtk_label_set_text (self->summary_label, summary);
}

static void
clear_preview (CoopImportDialog *self)
{
  g_list_store_remove_all (self->items);
  g_clear_pointer (&self->plan, coop_import_plan_free);
}

/* ------------------------------------------------------------------ work */

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;

  if (work->read)
    {
      work->table = coop_import_table_read (work->path, work->encoding, work->sheet, &error);
      if (work->table == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (work->guess)
    coop_import_guess_mapping (work->table, (const char * const *) work->remembered,
                               work->columns);

  /* Without a number or a name column there is nothing to preview yet: the
   * user picks them. */
  if (work->columns[COOP_IMPORT_FIELD_NUMBER] < 0 || work->columns[COOP_IMPORT_FIELD_NAME] < 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  work->plan = coop_import_plan_new (work->table, work->columns, work->existing,
                                     cancellable, &error);
  if (work->plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_work_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CoopImportDialog *self = COOP_IMPORT_DIALOG (source);
  Work *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  stop_pulse (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, COOP_ERROR, COOP_ERROR_CANCELLED)
          || gtk_widget_in_destruction (GTK_WIDGET (self)))
        return;
      if (!self->need_read)
        {
          gtk_stack_set_visible_child_name (self->stack, self->table != NULL ? "preview"
                                                                              : "empty");
          show_error (self, _("Could not read the file"), error->message);
        }
      update_import_sensitivity (self);
      schedule_work (self);
      return;
    }

  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;

  /* A newer request makes this result stale. */
  if (!self->need_read)
    {
      if (work->read)
        {
          clear_preview (self);
          g_clear_pointer (&self->table, coop_import_table_free);
          self->table = g_steal_pointer (&work->table);
          fill_table_rows (self);
        }
      if (work->guess)
        fill_columns (self, work->columns);

      if (!self->need_plan)
        {
          clear_preview (self);
          self->plan = g_steal_pointer (&work->plan);
          if (self->plan != NULL)
            fill_preview (self);
          else
            gtk_label_set_text (self->summary_label,
                                _("Choose the columns with the student number and the name."));
          gtk_stack_set_visible_child_name (self->stack, "preview");
        }
    }

  update_import_sensitivity (self);
  schedule_work (self);
}

static void
schedule_work (CoopImportDialog *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Work *work;
  int encoding;
  guint sheet;

  if (self->busy || (!self->need_read && !self->need_plan) || self->file == NULL)
    return;

  if (self->existing == NULL)
    {
      self->existing = coop_import_existing_new (self->store, &error);
      if (self->existing == NULL)
        {
          self->need_read = self->need_plan = FALSE;
          show_error (self, _("Could not read the database"), error->message);
          return;
        }
    }

  work = g_new0 (Work, 1);
  work->existing = self->existing;
  if (self->need_read || self->table == NULL)
    {
      work->read = TRUE;
      work->guess = TRUE;
      work->path = g_file_get_path (self->file);
      encoding = selected_encoding_index (self);
      if (encoding > 0)
        work->encoding = g_strdup (encodings[encoding - 1]);
      sheet = adw_combo_row_get_selected (self->sheet_row);
      if (gtk_widget_get_visible (GTK_WIDGET (self->sheet_row))
          && sheet != GTK_INVALID_LIST_POSITION && sheet > 0)
        work->sheet = g_strdup (gtk_string_list_get_string (self->sheet_list, sheet));
      if (self->settings != NULL)
        work->remembered = g_settings_get_strv (self->settings, "import-columns");
      if (work->remembered != NULL && g_strv_length (work->remembered) != COOP_IMPORT_N_FIELDS)
        g_clear_pointer (&work->remembered, g_strfreev);
      gtk_stack_set_visible_child_name (self->stack, "busy");
      adw_status_page_set_title (self->busy_page, _("Reading the File…"));
    }
  else
    {
      work->table = self->table;
      get_columns (self, work->columns);
    }
  self->need_read = self->need_plan = FALSE;
  self->busy = TRUE;

  stop_pulse (self);
  self->pulse_id = g_timeout_add (100, on_pulse_cb, self);
  update_import_sensitivity (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  task = g_task_new (self, self->cancellable, on_work_done_cb, NULL);
  g_task_set_source_tag (task, schedule_work);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, work_thread);
}

/* ------------------------------------------------------------------ callbacks */

static void
on_mapping_changed_cb (AdwComboRow      *row,
                       GParamSpec       *pspec,
                       CoopImportDialog *self)
{
  if (self->updating || self->table == NULL)
    return;
  self->need_plan = TRUE;
  schedule_work (self);
}

static void
on_encoding_changed_cb (AdwComboRow      *row,
                        GParamSpec       *pspec,
                        CoopImportDialog *self)
{
  if (self->updating || self->file == NULL)
    return;
  self->need_read = TRUE;
  schedule_work (self);
}

static void
on_valid_only_changed_cb (GtkSwitch        *button,
                          GParamSpec       *pspec,
                          CoopImportDialog *self)
{
  update_import_sensitivity (self);
}

static void
on_file_chosen_cb (GtkNativeDialog  *chooser,
                   int               response,
                   CoopImportDialog *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  if (file != NULL)
    coop_import_dialog_open_file (self, file);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CoopImportDialog *self = COOP_IMPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) both = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose a Student List"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (both, _("Student lists (CSV, Excel)"));
  gtk_file_filter_add_suffix (both, "csv");
  gtk_file_filter_add_suffix (both, "txt");
  gtk_file_filter_add_suffix (both, "xlsx");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), both);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean commit_import (gpointer user_data);

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CoopImportDialog *self = COOP_IMPORT_DIALOG (widget);

  if (self->plan == NULL || self->busy)
    return;

  /* The commit runs on the store's thread, the main one; show that it is
   * under way before it blocks for a moment on a long list. */
  self->busy = TRUE;
  update_import_sensitivity (self);
  adw_status_page_set_title (self->busy_page, _("Importing…"));
  gtk_stack_set_visible_child_name (self->stack, "busy");
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, commit_import, g_object_ref (self), g_object_unref);
}

static gboolean
commit_import (gpointer user_data)
{
  CoopImportDialog *self = COOP_IMPORT_DIALOG (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  CoopImportOptions options = { 0 };
  CoopImportResult result = { 0 };
  guint pool;

  self->busy = FALSE;
  if (gtk_widget_in_destruction (GTK_WIDGET (self)))
    return G_SOURCE_REMOVE;

  options.update_existing = adw_combo_row_get_selected (self->existing_row) == 0;
  options.valid_only = gtk_switch_get_active (self->valid_only_switch);
  pool = adw_combo_row_get_selected (self->pool_row);
  if (pool != GTK_INVALID_LIST_POSITION && pool > 0 && pool <= self->pool_ids->len)
    options.pool_id = g_array_index (self->pool_ids, gint64, pool - 1);

  if (!coop_import_plan_commit (self->plan, self->store, &options, &result, &error))
    {
      gtk_stack_set_visible_child_name (self->stack, "preview");
      update_import_sensitivity (self);
      show_error (self, _("Nothing was imported"), error->message);
      return G_SOURCE_REMOVE;
    }

  remember_columns (self);
  /* The index no longer matches the store. */
  g_clear_pointer (&self->existing, coop_import_existing_free);

  report = coop_import_result_describe (&result);
  adw_status_page_set_description (self->done_page, report);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_button_set_label (self->cancel_button, _("_Close"));
  update_import_sensitivity (self);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (report));
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------ factories */

/* The width of each column's cells, in characters. */
static const int column_chars[N_COLUMNS] = {
  [COLUMN_ROW] = 4,
  [COLUMN_STATUS] = 6,
  [COLUMN_DETAILS] = 20,
  [COLUMN_NUMBER] = 10,
  [COLUMN_NAME] = 6,
  [COLUMN_GENDER] = 4,
  [COLUMN_DEPARTMENT] = 10,
  [COLUMN_MAJOR] = 10,
  [COLUMN_CLASS] = 8,
  [COLUMN_YEAR] = 4,
  [COLUMN_PHONE] = 11,
  [COLUMN_EMAIL] = 18,
};

static void
on_setup_cell_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  PreviewColumn column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (column == COLUMN_DETAILS)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    }
  else
    {
      /* Wide enough for the value, not only for a short (Chinese) title;
       * very long values are cut. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), column_chars[column]);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
on_bind_cell_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  PreviewColumn column = GPOINTER_TO_INT (user_data);
  CoopImportItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = cell_text (item->row, column);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (column == COLUMN_STATUS || column == COLUMN_DETAILS)
    {
      if (item->row->status == COOP_IMPORT_STATUS_ERROR)
        gtk_widget_add_css_class (label, "error");
      else
        gtk_widget_remove_css_class (label, "error");
    }
}

static void
add_preview_columns (CoopImportDialog *self)
{
  const char *titles[N_COLUMNS] = {
    [COLUMN_ROW] = C_("import column", "Row"),
    [COLUMN_STATUS] = C_("import column", "Status"),
    [COLUMN_NUMBER] = coop_import_field_label (COOP_IMPORT_FIELD_NUMBER),
    [COLUMN_NAME] = coop_import_field_label (COOP_IMPORT_FIELD_NAME),
    [COLUMN_GENDER] = coop_import_field_label (COOP_IMPORT_FIELD_GENDER),
    [COLUMN_DEPARTMENT] = coop_import_field_label (COOP_IMPORT_FIELD_DEPARTMENT),
    [COLUMN_MAJOR] = coop_import_field_label (COOP_IMPORT_FIELD_MAJOR),
    [COLUMN_CLASS] = coop_import_field_label (COOP_IMPORT_FIELD_CLASS_NAME),
    [COLUMN_YEAR] = coop_import_field_label (COOP_IMPORT_FIELD_GRADUATION_YEAR),
    [COLUMN_PHONE] = coop_import_field_label (COOP_IMPORT_FIELD_PHONE),
    [COLUMN_EMAIL] = coop_import_field_label (COOP_IMPORT_FIELD_EMAIL),
    [COLUMN_DETAILS] = C_("import column", "Problems and Changes"),
  };
  g_autoptr(GtkNoSelection) selection = NULL;

  self->items = g_list_store_new (COOP_TYPE_IMPORT_ITEM);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->items)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cell_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cell_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (titles[c], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (c == COLUMN_DETAILS)
        gtk_column_view_column_set_fixed_width (column, 280);
      gtk_column_view_append_column (self->preview_view, column);
    }
}

static void
add_mapping_rows (CoopImportDialog *self)
{
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), coop_import_field_label (f));
      if (f == COOP_IMPORT_FIELD_NUMBER || f == COOP_IMPORT_FIELD_NAME)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Required"));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_mapping_changed_cb), self);
      adw_preferences_group_add (self->mapping_group, GTK_WIDGET (row));
      self->mapping_rows[f] = row;
    }
}

static void
fill_pools (CoopImportDialog *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *pools;

  gtk_string_list_append (self->pool_list, C_("pool", "None"));
  if (!coop_store_get_loaded (self->store, COOP_TYPE_POOL)
      && !coop_store_load (self->store, COOP_TYPE_POOL, NULL, &error))
    {
      g_warning ("Could not read the recommendation pools: %s", error->message);
      return;
    }

  pools = coop_store_get_list (self->store, COOP_TYPE_POOL);
  for (guint i = 0; i < g_list_model_get_n_items (pools); i++)
    {
      g_autoptr(CoopPool) pool = g_list_model_get_item (pools, i);
      gint64 id = coop_record_get_id (COOP_RECORD (pool));

      gtk_string_list_append (self->pool_list, coop_record_get_title (COOP_RECORD (pool)));
      g_array_append_val (self->pool_ids, id);
    }
}

/* ------------------------------------------------------------------ overrides */

static void
coop_import_dialog_dispose (GObject *object)
{
  CoopImportDialog *self = COOP_IMPORT_DIALOG (object);

  stop_pulse (self);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), COOP_TYPE_IMPORT_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (coop_import_dialog_parent_class)->dispose (object);
}

static void
coop_import_dialog_finalize (GObject *object)
{
  CoopImportDialog *self = COOP_IMPORT_DIALOG (object);

  /* A running task holds a reference, so the thread is done by now. */
  g_clear_object (&self->cancellable);
  g_clear_object (&self->items);
  g_clear_pointer (&self->plan, coop_import_plan_free);
  g_clear_pointer (&self->table, coop_import_table_free);
  g_clear_pointer (&self->existing, coop_import_existing_free);
  g_clear_pointer (&self->pool_ids, g_array_unref);
  g_clear_object (&self->file);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (coop_import_dialog_parent_class)->finalize (object);
}

static void
coop_import_dialog_class_init (CoopImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = coop_import_dialog_dispose;
  object_class->finalize = coop_import_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/coopdesk/Coopdesk/coop-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, busy_page);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, encoding_list);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, sheet_row);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, sheet_list);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, existing_row);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, valid_only_switch);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, pool_row);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, pool_list);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, blocked_label);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, preview_view);
  gtk_widget_class_bind_template_child (widget_class, CoopImportDialog, done_page);

  gtk_widget_class_install_action (widget_class, "import.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "import.import", NULL, import_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
coop_import_dialog_init (CoopImportDialog *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "import-columns"))
    self->settings = g_settings_new (APP_ID);

  self->pool_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_string_list_append (self->encoding_list, _("Automatic"));
  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    gtk_string_list_append (self->encoding_list, encodings[i]);
  g_signal_connect (self->encoding_row, "notify::selected",
                    G_CALLBACK (on_encoding_changed_cb), self);
  g_signal_connect (self->sheet_row, "notify::selected",
                    G_CALLBACK (on_encoding_changed_cb), self);
  g_signal_connect (self->valid_only_switch, "notify::active",
                    G_CALLBACK (on_valid_only_changed_cb), self);

  add_mapping_rows (self);
  add_preview_columns (self);
  gtk_widget_set_visible (GTK_WIDGET (self->blocked_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.import", FALSE);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_import_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @store: the database the students go into
 *
 * Returns: (transfer full): a new modal import dialog, not yet shown
 */
CoopImportDialog *
coop_import_dialog_new (GtkWindow *parent,
                        CoopStore *store)
{
  CoopImportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  self = g_object_new (COOP_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  fill_pools (self);
  return self;
}

/**
 * coop_import_dialog_open_file:
 * @self: a #CoopImportDialog
 * @file: a CSV or XLSX file
 *
 * Reads @file in the background and shows its preview, as if the user had
 * chosen it.
 */
void
coop_import_dialog_open_file (CoopImportDialog *self,
                              GFile            *file)
{
  g_return_if_fail (COOP_IS_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->file, file);
  gtk_button_set_label (self->cancel_button, _("_Cancel"));
  self->updating = TRUE;
  adw_combo_row_set_selected (self->encoding_row, 0);
  adw_combo_row_set_selected (self->sheet_row, 0);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->sheet_row), FALSE);
  self->need_read = TRUE;
  schedule_work (self);
}
