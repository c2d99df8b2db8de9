/* coop-export-list.c — "Export View…": exactly what a list page shows
 *
 * The page hands over its model after search, filters and sort, and the
 * columns it shows.  The rows are taken by reference on the calling thread
 * (list models are main-thread objects), then written in a thread, each cell
 * by the kind of its field: dates as real date cells, counts as numbers,
 * enums as their translated label, phones and student numbers as text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "coop-error.h"
#include "coop-export-private.h"

/* Bytes of CSV gathered before they are written out. */
#define CSV_BUFFER_SIZE (64 * 1024)

typedef struct {
  char            *property;
  char            *title;
  /* Looked up for the class of the rows, once per class. */
  GType            resolved_for;
  const CoopField *field;
  GParamSpec      *pspec;
} ListColumn;

typedef struct {
  GPtrArray        *rows;         /* the row objects, referenced */
  ListColumn       *columns;
  guint             n_columns;
  char             *sheet_name;
  char             *path;
  CoopExportFormat  format;
} ListData;

/* ------------------------------------------------------------------ helpers */

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  for (guint i = 0; i < data->n_columns; i++)
    {
      g_free (data->columns[i].property);
      g_free (data->columns[i].title);
    }
  g_free (data->columns);
  g_free (data->sheet_name);
  g_free (data->path);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListData, list_data_free)

/* Takes what the export needs from the caller's objects, on its thread. */
static ListData *
list_data_new (GListModel             *rows,
               const CoopExportColumn *columns,
               guint                   n_columns,
               const char             *sheet_name,
               const char             *path,
               CoopExportFormat        format)
{
  ListData *data = g_new0 (ListData, 1);
  guint n_rows = g_list_model_get_n_items (rows);

  data->rows = g_ptr_array_new_full (n_rows, g_object_unref);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);

      /* Written in a worker thread: a copy, as the store may change its
       * records in place meanwhile (see take_records() in the summary). */
      if (COOP_IS_RECORD (row))
        g_ptr_array_add (data->rows, coop_record_copy (COOP_RECORD (row)));
      else if (row != NULL)
        g_ptr_array_add (data->rows, g_steal_pointer (&row));
    }

  data->n_columns = n_columns;
  data->columns = g_new0 (ListColumn, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      data->columns[i].property = g_strdup (columns[i].property);
      data->columns[i].title = g_strdup (columns[i].title != NULL ? columns[i].title
                                                                  : columns[i].property);
    }

  data->sheet_name = g_strdup (sheet_name != NULL && *sheet_name != '\0' ? sheet_name
                                                                         : _("Export"));
  data->path = g_strdup (path);
  data->format = format;
  return data;
}

static void
resolve_column (ListColumn *column,
                GObject    *row)
{
  GType type = G_OBJECT_TYPE (row);

  if (column->resolved_for == type)
    return;

  column->resolved_for = type;
  column->field = COOP_IS_RECORD (row)
                  ? coop_record_class_find_field (COOP_RECORD_GET_CLASS (row), column->property)
                  : NULL;
  column->pspec = column->field == NULL
                  ? g_object_class_find_property (G_OBJECT_GET_CLASS (row), column->property)
                  : NULL;
  if (column->pspec != NULL && !(column->pspec->flags & G_PARAM_READABLE))
    column->pspec = NULL;
}

/* A property that is not a field, such as a page's "title-text". */
static void
render_property (GObject        *row,
                 GParamSpec     *pspec,
                 CoopExportCell *cell)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (&value, type);
  g_object_get_property (row, pspec->name, &value);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_INT:
      cell->number = g_value_get_int (&value);
      break;
    case G_TYPE_UINT:
      cell->number = g_value_get_uint (&value);
      break;
    case G_TYPE_INT64:
      cell->number = (double) g_value_get_int64 (&value);
      break;
    case G_TYPE_UINT64:
      cell->number = (double) g_value_get_uint64 (&value);
      break;
    case G_TYPE_LONG:
      cell->number = (double) g_value_get_long (&value);
      break;
    case G_TYPE_ULONG:
      cell->number = (double) g_value_get_ulong (&value);
      break;
    case G_TYPE_DOUBLE:
      cell->number = g_value_get_double (&value);
      break;
    case G_TYPE_FLOAT:
      cell->number = g_value_get_float (&value);
      break;

    case G_TYPE_BOOLEAN:
      cell->type = COOP_EXPORT_CELL_TEXT;
      cell->text = g_value_get_boolean (&value) ? _("Yes") : _("No");
      return;

    case G_TYPE_ENUM:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (type);
        GEnumValue *enum_value = g_enum_get_value (klass, g_value_get_enum (&value));

        cell->type = enum_value != NULL ? COOP_EXPORT_CELL_TEXT : COOP_EXPORT_CELL_BLANK;
        cell->text = cell->owned = enum_value != NULL ? g_strdup (enum_value->value_nick) : NULL;
        return;
      }

    case G_TYPE_STRING:
      cell->type = COOP_EXPORT_CELL_TEXT;
      cell->text = cell->owned = g_value_dup_string (&value);
      if (cell->text == NULL || *cell->text == '\0')
        cell->type = COOP_EXPORT_CELL_BLANK;
      return;

    default:
      {
        g_auto(GValue) text = G_VALUE_INIT;

        g_value_init (&text, G_TYPE_STRING);
        if (g_value_type_transformable (type, G_TYPE_STRING) &&
            g_value_transform (&value, &text) && g_value_get_string (&text) != NULL)
          {
            cell->type = COOP_EXPORT_CELL_TEXT;
            cell->text = cell->owned = g_value_dup_string (&text);
          }
        else
          cell->type = COOP_EXPORT_CELL_BLANK;
        return;
      }
    }

  cell->type = COOP_EXPORT_CELL_NUMBER;
}

static void
render_cell (ListColumn     *column,
             GObject        *row,
             CoopExportCell *cell)
{
  resolve_column (column, row);
  if (column->field != NULL)
    {
      coop_export_render_field (COOP_RECORD (row), column->field, FALSE, cell);
      return;
    }

  memset (cell, 0, sizeof *cell);
  cell->type = COOP_EXPORT_CELL_BLANK;
  cell->style = COOP_CELL_TEXT;
  if (column->pspec != NULL)
    render_property (row, column->pspec, cell);
}

/* ------------------------------------------------------------------ xlsx */

static void
xlsx_row (CoopExportRow *row,
          guint          index,
          gpointer       user_data)
{
  ListData *data = user_data;
  GObject *object = g_ptr_array_index (data->rows, index);

  for (guint c = 0; c < data->n_columns; c++)
    {
      CoopExportCell cell;

      render_cell (&data->columns[c], object, &cell);
      coop_export_row_cell (row, c, &cell, COOP_TINT_NONE);
    }
}

static gboolean
write_xlsx (ListData          *data,
            CoopExportTarget  *target,
            CoopExportJob     *job,
            GError           **error)
{
  g_autoptr(CoopExportBook) book = NULL;
  g_autofree const char **titles = g_new0 (const char *, data->n_columns + 1);

  book = coop_export_book_new (target, error);
  if (book == NULL)
    return FALSE;

  for (guint i = 0; i < data->n_columns; i++)
    titles[i] = data->columns[i].title;
  if (!coop_export_book_write_table (book, data->sheet_name, titles, data->n_columns,
                                     data->rows->len, xlsx_row, data, job, error))
    return FALSE;
  return coop_export_book_close (book, error);
}

/* ------------------------------------------------------------------ csv */

static gboolean
flush_csv (CoopExportTarget  *target,
           GString           *buffer,
           GError           **error)
{
  gsize written = 0;

  while (written < buffer->len)
    {
      gssize n = write (target->fd, buffer->str + written, buffer->len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          coop_export_set_io_error (error, errno, target->path);
          return FALSE;
        }
      written += (gsize) n;
    }

  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
write_csv (ListData          *data,
           CoopExportTarget  *target,
           CoopExportJob     *job,
           GError           **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (CSV_BUFFER_SIZE + 4096);

  /* The byte-order mark makes Excel read the file as UTF-8. */
  g_string_append (buffer, "\xEF\xBB\xBF");

  for (guint c = 0; c < data->n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (buffer, ',');
      coop_export_csv_append_cell (buffer, data->columns[c].title);
    }
  g_string_append (buffer, "\r\n");

  for (guint r = 0; r < data->rows->len; r++)
    {
      GObject *row = g_ptr_array_index (data->rows, r);

      for (guint c = 0; c < data->n_columns; c++)
        {
          CoopExportCell cell;
          char number[G_ASCII_DTOSTR_BUF_SIZE];

          if (c > 0)
            g_string_append_c (buffer, ',');

          render_cell (&data->columns[c], row, &cell);
          if (cell.type == COOP_EXPORT_CELL_NUMBER)
            coop_export_csv_append_cell (buffer, g_ascii_dtostr (number, sizeof number, cell.number));
          else if (cell.type != COOP_EXPORT_CELL_BLANK)
            coop_export_csv_append_cell (buffer, cell.text);
          coop_export_cell_clear (&cell);
        }
      g_string_append (buffer, "\r\n");

      if (buffer->len >= CSV_BUFFER_SIZE && !flush_csv (target, buffer, error))
        return FALSE;
      if (!coop_export_job_step (job, 1, error))
        return FALSE;
    }

  return flush_csv (target, buffer, error);
}

/* ------------------------------------------------------------------ both */

static gboolean
export_list (ListData       *data,
             CoopExportJob  *job,
             GError        **error)
{
  CoopExportTarget target;
  gboolean written;

  coop_export_job_set_total (job, data->rows->len);
  if (!coop_export_job_step (job, 0, error))
    return FALSE;

  if (!coop_export_target_open (&target, data->path, error))
    return FALSE;

  written = data->format == COOP_EXPORT_FORMAT_CSV ? write_csv (data, &target, job, error)
                                                   : write_xlsx (data, &target, job, error);
  if (!written)
    {
      coop_export_target_discard (&target);
      return FALSE;
    }

  return coop_export_target_commit (&target, error);
}

static void
export_list_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CoopExportJob job;
  GError *error = NULL;

  coop_export_job_init (&job, cancellable);
  if (export_list (task_data, &job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  coop_export_job_clear (&job);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_export_list_async:
 * @rows: the rows as the page shows them: filtered and sorted
 * @columns: (array length=n_columns): the visible columns, in order
 * @sheet_name: (nullable): the sheet's name, such as the page's title
 * @path: the file to write; replaced once the export is complete
 * @format: XLSX or CSV (UTF-8 with a byte-order mark)
 *
 * Takes references to the rows and copies the columns now, then writes in
 * a thread.  The rows must not be changed until the export completes.
 */
void
coop_export_list_async (GListModel             *rows,
                        const CoopExportColumn *columns,
                        guint                   n_columns,
                        const char             *sheet_name,
                        const char             *path,
                        CoopExportFormat        format,
                        GCancellable           *cancellable,
                        GAsyncReadyCallback     callback,
                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_LIST_MODEL (rows));
  g_return_if_fail (columns != NULL || n_columns == 0);
  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, coop_export_list_async);
  /* Report a cancel as COOP_ERROR_CANCELLED, like the synchronous call, and
   * only when the file was not written. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, list_data_new (rows, columns, n_columns, sheet_name, path, format),
                        (GDestroyNotify) list_data_free);
  g_task_run_in_thread (task, export_list_thread);
}

/**
 * coop_export_list_finish:
 * @error: %COOP_ERROR_IO when the file could not be written,
 *   %COOP_ERROR_CANCELLED after a cancel; no file is left either way
 */
gboolean
coop_export_list_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == coop_export_list_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * coop_export_list:
 *
 * The synchronous coop_export_list_async(), for the command line and tests.
 */
gboolean
coop_export_list (GListModel              *rows,
                  const CoopExportColumn  *columns,
                  guint                    n_columns,
                  const char              *sheet_name,
                  const char              *path,
                  CoopExportFormat         format,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  g_autoptr(ListData) data = NULL;
  CoopExportJob job;
  gboolean done;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), FALSE);
  g_return_val_if_fail (columns != NULL || n_columns == 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = list_data_new (rows, columns, n_columns, sheet_name, path, format);
  coop_export_job_init (&job, cancellable);
  done = export_list (data, &job, error);
  coop_export_job_clear (&job);
  return done;
}
