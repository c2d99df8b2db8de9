/* coop-import.c — importing students from CSV and XLSX files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-import"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coop-candidate.h"
#include "coop-csv.h"
#include "coop-department.h"
#include "coop-error.h"
#include "coop-file.h"
#include "coop-import.h"
#include "coop-record-private.h"
#include "coop-text.h"
#include "coop-xlsx.h"

/* Files larger than this are not students lists. */
#define MAX_FILE_SIZE (512 * 1024 * 1024)

struct _CoopImportExisting
{
  GHashTable *students;     /* number → CoopStudent */
  GHashTable *departments;  /* folded name → id */
  GHashTable *names;        /* id → department name, a GRefString */
};

/* A list names a few majors and classes many times over: they are made
 * once for an import, up to this many different ones. */
#define MAX_SHARED_VALUES 4096

typedef struct {
  const char *key;
  const char *label;
  const char *property;
  const char *headers;      /* folded titles that name the column, "|"-separated */
} FieldInfo;

static const FieldInfo field_info[COOP_IMPORT_N_FIELDS] = {
  [COOP_IMPORT_FIELD_NUMBER] = { "number", N_("Student No."), "number",
                                 "学号|学生编号|student no.|student no|student number|number|no." },
  [COOP_IMPORT_FIELD_NAME] = { "name", N_("Name"), "name", "姓名|学生姓名|name|student name" },
  [COOP_IMPORT_FIELD_GENDER] = { "gender", N_("Gender"), "gender", "性别|gender|sex" },
  [COOP_IMPORT_FIELD_DEPARTMENT] = { "department", N_("Department"), "department-id",
                                     "院系|学院|系|所在院系|department|school|faculty" },
  [COOP_IMPORT_FIELD_MAJOR] = { "major", N_("Major"), "major", "专业|major|programme|program" },
  [COOP_IMPORT_FIELD_CLASS_NAME] = { "class", N_("Class"), "class-name", "班级|班|class|class name" },
  [COOP_IMPORT_FIELD_GRADUATION_YEAR] = { "graduation-year", N_("Graduation year"),
                                          "graduation-year",
                                          "届|届别|毕业年份|毕业年|毕业时间|graduation year|graduation|year" },
  [COOP_IMPORT_FIELD_PHONE] = { "phone", N_("Phone"), "phone",
                                "手机|电话|手机号|手机号码|联系电话|phone|mobile|telephone|tel" },
  [COOP_IMPORT_FIELD_EMAIL] = { "email", N_("E-mail"), "email",
                                "邮箱|电子邮箱|电子邮件|e-mail|email|mail" },
  [COOP_IMPORT_FIELD_NOTES] = { "notes", N_("Notes"), "notes", "备注|说明|notes|note|remarks" },
};

/* ------------------------------------------------------------------ names */

/**
 * coop_import_field_key:
 * @field: a #CoopImportField
 *
 * Returns: a stable ASCII name of @field, for settings and the command line
 */
const char *
coop_import_field_key (CoopImportField field)
{
  g_return_val_if_fail (field < COOP_IMPORT_N_FIELDS, NULL);
  return field_info[field].key;
}

/**
 * coop_import_field_label:
 * @field: a #CoopImportField
 *
 * Returns: the translated name of @field
 */
const char *
coop_import_field_label (CoopImportField field)
{
  g_return_val_if_fail (field < COOP_IMPORT_N_FIELDS, NULL);
  return _(field_info[field].label);
}

/**
 * coop_import_status_label:
 * @status: a #CoopImportStatus
 *
 * Returns: the translated word for @status
 */
const char *
coop_import_status_label (CoopImportStatus status)
{
  switch (status)
    {
    case COOP_IMPORT_STATUS_NEW:
      return C_("import status", "New");
    case COOP_IMPORT_STATUS_UPDATE:
      return C_("import status", "Update");
    case COOP_IMPORT_STATUS_UNCHANGED:
      return C_("import status", "Unchanged");
    case COOP_IMPORT_STATUS_ERROR:
      return C_("import status", "Error");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ------------------------------------------------------------------ table */

static CoopImportTable *
table_new (void)
{
  CoopImportTable *table = g_new0 (CoopImportTable, 1);

  table->fd = -1;
  return table;
}

void
coop_import_table_free (CoopImportTable *table)
{
  if (table == NULL)
    return;
  g_free (table->encoding);
  g_strfreev (table->sheets);
  g_free (table->sheet);
  g_strfreev (table->header);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
  g_clear_pointer (&table->row_numbers, g_array_unref);
  if (table->fd >= 0)
    close (table->fd);
  g_free (table->path);
  g_free (table->source);
  g_free (table);
}

static void
strip_header (CoopImportTable *table)
{
  for (guint i = 0; table->header[i] != NULL; i++)
    g_strstrip (table->header[i]);
}

static void
set_empty_error (GError **error)
{
  g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
               _("The file is empty: it has no header row."));
}

static void
set_read_error (GError     **error,
                const char  *path,
                const char  *reason)
{
  g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not read %s: %s"), path, reason);
}

/* Reads a whole file into rows. */
static CoopImportTable *
table_read (const char  *data,
            gsize        length,
            const char  *encoding,
            const char  *sheet,
            GError     **error)
{
  g_autoptr(CoopImportTable) table = table_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (coop_xlsx_is_workbook (data, length))
    {
      rows = coop_xlsx_read (data, length, sheet, &table->sheets, &table->sheet, numbers, error);
      if (rows == NULL)
        return NULL;
    }
  else
    {
      g_autofree char *owned = NULL;
      gsize text_length = 0;
      gboolean detected = encoding == NULL || encoding[0] == '\0';
      const char *text;

      table->encoding = detected ? coop_csv_detect_encoding (data, length) : g_strdup (encoding);
      /* Detection has checked UTF-8 text already. */
      text = coop_csv_decode_view (data, length, table->encoding,
                                   detected && g_str_equal (table->encoding, "UTF-8"),
                                   &text_length, &owned, error);
      if (text == NULL)
        return NULL;
      table->separator = coop_csv_detect_separator (text, text_length);
      rows = coop_csv_parse (text, text_length, table->separator, numbers);
    }

  if (rows->len == 0)
    {
      set_empty_error (error);
      return NULL;
    }

  table->header = g_ptr_array_steal_index (rows, 0);
  g_array_remove_index (numbers, 0);
  strip_header (table);
  table->rows = g_steal_pointer (&rows);
  table->row_numbers = g_steal_pointer (&numbers);
  return g_steal_pointer (&table);
}

/* Opens a file to import; returns its descriptor, or -1. */
static int
open_file (const char  *path,
           GError     **error)
{
  struct stat info;
  int fd;

  if (!coop_file_check_kind (path, error))
    return -1;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("“%s” is a folder, not a CSV or XLSX file."), path);
      return -1;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &info) < 0)
    {
      int saved_errno = errno;

      set_read_error (error, path, g_strerror (saved_errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  if (info.st_size > MAX_FILE_SIZE)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("%s is too large for a list of students."), path);
      close (fd);
      return -1;
    }
  return fd;
}

/* Reads the whole of an open file into rows. */
static CoopImportTable *
table_read_fd (int          fd,
               const char  *path,
               const char  *encoding,
               const char  *sheet,
               GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  CoopImportTable *table;

  file = g_mapped_file_new_from_fd (fd, FALSE, &local_error);
  if (file == NULL)
    {
      set_read_error (error, path, local_error->message);
      return NULL;
    }
  table = table_read (g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
                      encoding, sheet, error);
  if (table != NULL)
    table->source = g_path_get_basename (path);
  return table;
}

static CoopImportTable *
table_read_file (const char  *path,
                 const char  *encoding,
                 const char  *sheet,
                 GError     **error)
{
  CoopImportTable *table;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_file (path, error);
  if (fd < 0)
    return NULL;
  table = table_read_fd (fd, path, encoding, sheet, error);
  close (fd);
  return table;
}

/* A text file is checked and its header split, reading a chunk at a time;
 * the table keeps the file open to split the other rows when they are
 * used.  A workbook is read whole. */
static CoopImportTable *
table_open_file (const char  *path,
                 const char  *encoding,
                 const char  *sheet,
                 GError     **error)
{
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopCsvStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  CoopCsvRow row;
  char **cells;
  char magic[4];
  gssize n;
  gboolean valid = FALSE;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_file (path, error);
  if (fd < 0)
    return NULL;
  do
    n = pread (fd, magic, sizeof magic, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved_errno = errno;

      set_read_error (error, path, g_strerror (saved_errno));
      close (fd);
      return NULL;
    }
  if (coop_xlsx_is_workbook (magic, n))
    {
      table = table_read_fd (fd, path, encoding, sheet, error);
      close (fd);
      return g_steal_pointer (&table);
    }

  table = table_new ();
  table->fd = fd;
  table->path = g_strdup (path);
  stream = coop_csv_stream_new_for_fd (fd, path);

  /* As for a whole file: the encoding detected from all of it, or given;
   * then all of it checked, unless detection has done that. */
  if (encoding == NULL || encoding[0] == '\0')
    table->encoding = coop_csv_stream_detect_encoding (stream, &valid, error);
  else
    table->encoding = g_strdup (encoding);
  if (table->encoding == NULL)
    return NULL;
  if (!valid && !coop_csv_stream_check (stream, table->encoding, error))
    return NULL;

  if (!coop_csv_stream_start (stream, table->encoding, TRUE, '\0', error))
    return NULL;
  table->separator = coop_csv_stream_get_separator (stream);

  coop_csv_row_init (&row);
  cells = coop_csv_stream_split (stream, &row, NULL, &local_error);
  table->header = cells != NULL ? g_strdupv (cells) : NULL;
  coop_csv_row_clear (&row);
  if (table->header == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_empty_error (error);
      return NULL;
    }
  strip_header (table);
  table->source = g_path_get_basename (path);
  return g_steal_pointer (&table);
}

/**
 * coop_import_table_read_data:
 * @data: the bytes of a CSV or XLSX file
 * @length: their number
 * @encoding: (nullable): the encoding of a CSV file, %NULL to detect it
 * @sheet: (nullable): the sheet of a workbook to read, %NULL for the first
 * @error: return location for a #CoopError
 *
 * Reads a file into rows of text; the first row with a value is the header.
 *
 * Returns: (transfer full): the table, or %NULL with %COOP_ERROR_VALIDATION
 *   (wrong encoding, no header), %COOP_ERROR_CORRUPT (damaged workbook) or
 *   %COOP_ERROR_NOT_FOUND (no such sheet)
 */
CoopImportTable *
coop_import_table_read_data (const char  *data,
                             gsize        length,
                             const char  *encoding,
                             const char  *sheet,
                             GError     **error)
{
  return table_read (data, length, encoding, sheet, error);
}

/**
 * coop_import_table_read:
 * @path: a CSV or XLSX file
 * @encoding: (nullable): the encoding of a CSV file, %NULL to detect it
 * @sheet: (nullable): the sheet of a workbook to read, %NULL for the first
 * @error: return location for a #CoopError
 *
 * Like coop_import_table_read_data(); %COOP_ERROR_IO when the file cannot
 * be read.
 *
 * Returns: (transfer full): the table, or %NULL
 */
CoopImportTable *
coop_import_table_read (const char  *path,
                        const char  *encoding,
                        const char  *sheet,
                        GError     **error)
{
  return table_read_file (path, encoding, sheet, error);
}

/**
 * coop_import_table_open:
 * @path: a CSV or XLSX file
 * @encoding: (nullable): the encoding of a CSV file, %NULL to detect it
 * @sheet: (nullable): the sheet of a workbook to read, %NULL for the first
 * @error: return location for a #CoopError
 *
 * Like coop_import_table_read(), but a text file is not held in memory: it
 * is read a chunk at a time to detect and check its encoding and to split
 * its header, and kept open for coop_import_run() (or
 * coop_import_plan_new()) to read again, splitting each row as it is used.
 * The memory this takes does not grow with the size of the file, only
 * with the length of its longest row.  A workbook is read whole.
 *
 * Returns: (transfer full): the table, or %NULL
 */
CoopImportTable *
coop_import_table_open (const char  *path,
                        const char  *encoding,
                        const char  *sheet,
                        GError     **error)
{
  return table_open_file (path, encoding, sheet, error);
}

/* ------------------------------------------------------------------ rows */

typedef struct {
  const CoopImportTable *table;
  CoopCsvStream         *stream;   /* for a table opened with coop_import_table_open() */
  CoopCsvRow             row;
  guint                  index;
  GError                *error;
} RowIter;

static void
row_iter_init (RowIter               *iter,
               const CoopImportTable *table)
{
  iter->table = table;
  iter->stream = NULL;
  iter->index = 0;
  iter->error = NULL;
  coop_csv_row_init (&iter->row);
  if (table->rows != NULL)
    return;

  /* The file from the start again (it was checked), past its header. */
  g_assert (table->fd >= 0);
  iter->stream = coop_csv_stream_new_for_fd (table->fd, table->path);
  if (coop_csv_stream_start (iter->stream, table->encoding, TRUE, table->separator, &iter->error))
    coop_csv_stream_split (iter->stream, &iter->row, NULL, &iter->error);
}

static void
row_iter_clear (RowIter *iter)
{
  coop_csv_row_clear (&iter->row);
  g_clear_pointer (&iter->stream, coop_csv_stream_free);
  g_clear_error (&iter->error);
}

/* The next row's cells, valid until the next call, or %NULL at the end or
 * when the file could not be read (iter->error). */
static char **
row_iter_next (RowIter *iter,
               guint   *number)
{
  if (iter->table->rows != NULL)
    {
      if (iter->index >= iter->table->rows->len)
        return NULL;
      *number = g_array_index (iter->table->row_numbers, guint, iter->index);
      return g_ptr_array_index (iter->table->rows, iter->index++);
    }

  if (iter->error != NULL)
    return NULL;
  return coop_csv_stream_split (iter->stream, &iter->row, number, &iter->error);
}

/* ------------------------------------------------------------------ mapping */

static gboolean
header_matches (const char *header,
                const char *titles)
{
  g_autofree char *folded = coop_text_fold (header);
  g_auto(GStrv) names = g_strsplit (titles, "|", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = coop_text_fold (names[i]);

      if (g_strcmp0 (folded, name) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * coop_import_guess_mapping:
 * @table: a table
 * @remembered: (nullable) (array fixed-size=10): for each field, the title
 *   of the column it was mapped to last time, or %NULL
 * @columns: (out caller-allocates): for each field, the index of its column
 *   or -1
 *
 * Maps columns by title: a remembered title first, then the Chinese and
 * English names of each field.  A column is used for one field only.
 */
void
coop_import_guess_mapping (const CoopImportTable *table,
                           const char * const    *remembered,
                           int                    columns[COOP_IMPORT_N_FIELDS])
{
  guint n_columns;
  g_autofree gboolean *used = NULL;

  g_return_if_fail (table != NULL);

  n_columns = g_strv_length (table->header);
  used = g_new0 (gboolean, n_columns + 1);
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    columns[f] = -1;

  if (remembered != NULL)
    for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
      for (guint c = 0; c < n_columns && remembered[f] != NULL && remembered[f][0] != '\0'; c++)
        if (!used[c] && strcmp (table->header[c], remembered[f]) == 0)
          {
            columns[f] = (int) c;
            used[c] = TRUE;
            break;
          }

  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    for (guint c = 0; c < n_columns && columns[f] < 0; c++)
      if (!used[c] && header_matches (table->header[c], field_info[f].headers))
        {
          columns[f] = (int) c;
          used[c] = TRUE;
        }
}

/* ------------------------------------------------------------------ existing */

void
coop_import_existing_free (CoopImportExisting *existing)
{
  if (existing == NULL)
    return;
  g_clear_pointer (&existing->students, g_hash_table_unref);
  g_clear_pointer (&existing->departments, g_hash_table_unref);
  g_clear_pointer (&existing->names, g_hash_table_unref);
  g_free (existing);
}

/* The store's list when it is loaded (the window's), else the records
 * read once, so that a command line import does not load the list. */
static GPtrArray *
read_records (CoopStore  *store,
              GType       type,
              GError    **error)
{
  GListModel *list;
  GPtrArray *records;
  guint n;

  if (!coop_store_get_loaded (store, type))
    return coop_store_read_all (store, type, NULL, error);

  list = coop_store_get_list (store, type);
  n = g_list_model_get_n_items (list);
  records = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (records, g_list_model_get_item (list, i));
  return records;
}

/**
 * coop_import_existing_new:
 * @store: (nullable): a #CoopStore, %NULL for a database not created yet
 * @error: return location for a #CoopError
 *
 * Indexes the store's students and departments (from its lists when they
 * are loaded, else read once), so that coop_import_plan_new() can run in another thread
 * without touching the store.  Call it in the store's thread.
 *
 * Returns: (transfer full): the index, or %NULL when loading failed
 */
CoopImportExisting *
coop_import_existing_new (CoopStore  *store,
                          GError    **error)
{
  g_autoptr(CoopImportExisting) existing = g_new0 (CoopImportExisting, 1);
  g_autoptr(GPtrArray) students = NULL;
  g_autoptr(GPtrArray) departments = NULL;

  g_return_val_if_fail (store == NULL || COOP_IS_STORE (store), NULL);

  existing->students = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  existing->departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  existing->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) g_ref_string_release);
  if (store == NULL)
    return g_steal_pointer (&existing);

  students = read_records (store, COOP_TYPE_STUDENT, error);
  if (students == NULL)
    return NULL;
  departments = read_records (store, COOP_TYPE_DEPARTMENT, error);
  if (departments == NULL)
    return NULL;

  for (guint i = 0; i < students->len; i++)
    {
      CoopStudent *student = g_ptr_array_index (students, i);

      /* The key lives as long as the student the table holds. */
      g_hash_table_replace (existing->students, (gpointer) coop_student_get_number (student),
                            g_object_ref (student));
    }

  for (guint i = 0; i < departments->len; i++)
    {
      CoopDepartment *department = g_ptr_array_index (departments, i);
      gint64 id = coop_record_get_id (COOP_RECORD (department));
      const char *name = coop_department_get_name (department);

      g_hash_table_replace (existing->departments, coop_text_fold (name),
                            g_memdup2 (&id, sizeof id));
      g_hash_table_replace (existing->names, g_memdup2 (&id, sizeof id), g_ref_string_new (name));
    }

  return g_steal_pointer (&existing);
}

/* ------------------------------------------------------------------ plan */

static CoopImportRow *
import_row_new (void)
{
  CoopImportRow *row = g_new0 (CoopImportRow, 1);

  row->problems = g_ptr_array_new_with_free_func (g_free);
  return row;
}

static void
import_row_free (CoopImportRow *row)
{
  g_clear_object (&row->student);
  g_clear_pointer (&row->department, g_ref_string_release);
  g_clear_pointer (&row->department_name, g_ref_string_release);
  g_free (row->changes);
  g_clear_pointer (&row->problems, g_ptr_array_unref);
  g_free (row);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopImportRow, import_row_free)

void
coop_import_plan_free (CoopImportPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->rows, g_ptr_array_unref);
  g_free (plan->source);
  g_free (plan);
}

static void
add_problem (CoopImportRow *row,
             const char    *column,
             const char    *reason)
{
  if (column == NULL)
    g_ptr_array_add (row->problems, g_strdup (reason));
  else
    g_ptr_array_add (row->problems, g_strdup_printf ("%s: %s", column, reason));
}

/* Normalised text, "" rather than %NULL when empty. */
static char *
normalize_cell (const char *text)
{
  char *normalized = coop_text_normalize (text);

  return normalized != NULL ? normalized : g_strdup ("");
}

static gboolean
parse_gender (const char *text,
              CoopGender *gender)
{
  static const struct {
    const char *word;  /* folded */
    CoopGender  gender;
  } words[] = {
    { "", COOP_GENDER_UNKNOWN },
    { "男", COOP_GENDER_MALE }, { "男性", COOP_GENDER_MALE },
    { "m", COOP_GENDER_MALE }, { "male", COOP_GENDER_MALE },
    { "女", COOP_GENDER_FEMALE }, { "女性", COOP_GENDER_FEMALE },
    { "f", COOP_GENDER_FEMALE }, { "female", COOP_GENDER_FEMALE },
  };
  g_autofree char *folded = NULL;

  /* Most cells hold one of the words as it is; the rest are folded first. */
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (text, words[i].word) == 0)
      {
        *gender = words[i].gender;
        return TRUE;
      }

  folded = coop_text_fold (text);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (folded, words[i].word) == 0)
      {
        *gender = words[i].gender;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_year (const char *text,
            int        *year)
{
  g_autofree char *copy = NULL;
  gint64 value = 0;

  /* Four ASCII digits need no normalising. */
  if (strlen (text) == 4 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
      g_ascii_isdigit (text[2]) && g_ascii_isdigit (text[3]))
    {
      *year = (int) g_ascii_strtoll (text, NULL, 10);
      return *year >= 1;
    }

  /* "2025届" and a spreadsheet's "2025.0" mean 2025. */
  copy = normalize_cell (text);
  if (g_str_has_suffix (copy, "届"))
    copy[strlen (copy) - strlen ("届")] = '\0';
  if (g_str_has_suffix (copy, ".0"))
    copy[strlen (copy) - 2] = '\0';
  g_strstrip (copy);

  if (copy[0] == '\0')
    {
      *year = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (copy, 10, 1, 9999, &value, NULL))
    return FALSE;
  *year = (int) value;
  return TRUE;
}

static const char *
department_name (CoopImportExisting *existing,
                 gint64              id)
{
  const char *name = g_hash_table_lookup (existing->names, &id);

  return name != NULL ? name : "";
}

/* What a department cell names: a stored department, or the name of one
 * the import creates.  The names are GRefStrings that the rows share. */
typedef struct {
  gint64  id;
  char   *new_name;
  char   *name;       /* new_name, the stored department's name, or "" */
} DepartmentCell;

static void
department_cell_free (DepartmentCell *cell)
{
  g_clear_pointer (&cell->new_name, g_ref_string_release);
  g_ref_string_release (cell->name);
  g_free (cell);
}

/* What checking rows needs besides the row itself, kept from row to row. */
typedef struct {
  const CoopImportTable *table;
  const int             *columns;
  guint                  n_columns;
  CoopImportExisting    *existing;
  const CoopField       *fields[COOP_IMPORT_N_FIELDS]; /* the student's field of each */
  const char            *titles[COOP_IMPORT_N_FIELDS]; /* its column's title, or its name */
  GHashTable            *seen;         /* number → the first row that has it */
  GStringChunk          *numbers;      /* the keys of @seen */
  GHashTable            *departments;  /* cell text → DepartmentCell */
  GHashTable            *shared;       /* cell text → its GRefString, for shared fields */
  char                  *no_name;      /* "", a GRefString */
} Checker;

static void
checker_init (Checker               *checker,
              const CoopImportTable *table,
              const int             *columns,
              CoopImportExisting    *existing)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (COOP_TYPE_STUDENT);

  checker->table = table;
  checker->columns = columns;
  checker->n_columns = g_strv_length (table->header);
  checker->existing = existing;
  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      int c = columns[f];

      checker->fields[f] = coop_record_class_find_field (COOP_RECORD_CLASS (klass),
                                                         field_info[f].property);
      g_assert (checker->fields[f] != NULL);
      /* Translated once: gettext takes a lock, and this is for every row. */
      checker->titles[f] = c >= 0 && (guint) c < checker->n_columns ? table->header[c]
                                                                   : _(field_info[f].label);
    }
  checker->seen = g_hash_table_new (g_str_hash, g_str_equal);
  checker->numbers = g_string_chunk_new (64 * 1024);
  checker->departments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) department_cell_free);
  checker->shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ref_string_release);
  checker->no_name = g_ref_string_new ("");
}

static void
checker_clear (Checker *checker)
{
  g_clear_pointer (&checker->seen, g_hash_table_unref);
  g_clear_pointer (&checker->numbers, g_string_chunk_free);
  g_clear_pointer (&checker->departments, g_hash_table_unref);
  g_clear_pointer (&checker->shared, g_hash_table_unref);
  g_clear_pointer (&checker->no_name, g_ref_string_release);
}

/* The name of a stored department, or "", as a GRefString. */
static char *
department_ref (Checker *checker,
                gint64   id)
{
  char *name = id != 0 ? g_hash_table_lookup (checker->existing->names, &id) : NULL;

  return name != NULL ? name : checker->no_name;
}

static const DepartmentCell *
lookup_department (Checker    *checker,
                   const char *text)
{
  DepartmentCell *cell = g_hash_table_lookup (checker->departments, text);
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  gint64 *id;

  /* A list names a few departments many times over. */
  if (cell != NULL)
    return cell;

  name = normalize_cell (text);
  g_strstrip (name);
  key = coop_text_fold (name);
  id = g_hash_table_lookup (checker->existing->departments, key);

  cell = g_new0 (DepartmentCell, 1);
  cell->id = id != NULL ? *id : 0;
  if (id == NULL && name[0] != '\0')
    cell->new_name = g_ref_string_new (name);
  cell->name = g_ref_string_acquire (cell->new_name != NULL
                                     ? cell->new_name : department_ref (checker, cell->id));
  g_hash_table_insert (checker->departments, g_strdup (text), cell);
  return cell;
}

/* A value of a shared field, made once for the whole import. */
static void
init_shared (Checker         *checker,
             CoopRecord      *record,
             const CoopField *field,
             const char      *value)
{
  char *shared = g_hash_table_lookup (checker->shared, value);

  if (shared == NULL)
    {
      if (g_hash_table_size (checker->shared) >= MAX_SHARED_VALUES)
        {
          coop_record_init_string (record, field, value, -1);
          return;
        }
      /* Not interned: GLib takes its lock of interned strings to free
       * any string, and looks it up there once some are interned, so
       * that interning here would make every row's other strings dearer. */
      shared = g_ref_string_new (value);
      g_hash_table_insert (checker->shared, g_strdup (value), shared);
    }
  coop_record_init_ref_string (record, field, shared);
}

static char *
describe_changes (Checker       *checker,
                  CoopStudent   *old,
                  CoopImportRow *row)
{
  CoopImportExisting *existing = checker->existing;
  g_autoptr(GString) changes = g_string_new (NULL);

  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      const CoopField *field = checker->fields[f];
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;

      if (checker->columns[f] < 0)
        continue;

      if (f == COOP_IMPORT_FIELD_DEPARTMENT)
        {
          gint64 old_id = coop_student_get_department_id (old);

          if (row->department == NULL && old_id == coop_student_get_department_id (row->student))
            continue;
          before = g_strdup (department_name (existing, old_id));
          after = g_strdup (row->department != NULL
                            ? row->department
                            : department_name (existing,
                                               coop_student_get_department_id (row->student)));
        }
      else
        {
          if (coop_record_field_equal (COOP_RECORD (old), COOP_RECORD (row->student), field))
            continue;
          before = coop_record_dup_display (COOP_RECORD (old), field);
          after = coop_record_dup_display (COOP_RECORD (row->student), field);
        }

      if (changes->len > 0)
        g_string_append_c (changes, '\n');
      /* TRANSLATORS: a change an import makes: "Phone: 138… → 139…" */
      g_string_append_printf (changes, _("%s: %s → %s"), _(field_info[f].label),
                              before != NULL ? before : "", after != NULL ? after : "");
    }

  if (changes->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&changes), FALSE);
}

/* Checks one row of the file into @row, whose student (a new one for a
 * plan, the same one row after row for coop_import_run()) gets the values
 * it will be stored with.  The record is filled without notifications: no
 * one watches it yet. */
static void
check_row (Checker        *checker,
           char          **cells,
           guint           row_number,
           CoopImportRow  *row)
{
  const CoopImportTable *table = checker->table;
  const int *columns = checker->columns;
  CoopRecord *student = COOP_RECORD (row->student);
  guint n_cells = g_strv_length (cells);
  const char *values[COOP_IMPORT_N_FIELDS];
  const char * const *titles = checker->titles;
  g_autofree char *owned_number = NULL;
  const char *number;
  CoopStudent *old = NULL;

  row->row = row_number;
  g_ptr_array_set_size (row->problems, 0);
  g_clear_pointer (&row->department, g_ref_string_release);
  g_clear_pointer (&row->department_name, g_ref_string_release);
  g_clear_pointer (&row->changes, g_free);

  /* A text file's rows must all have the header's shape; a workbook leaves
   * out empty cells at the end of a row. */
  if (table->encoding != NULL && n_cells != checker->n_columns)
    {
      g_autofree char *reason = g_strdup_printf (_("the row has %u fields, the header has %u"),
                                                 n_cells, checker->n_columns);

      add_problem (row, NULL, reason);
    }

  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      int c = columns[f];

      values[f] = c >= 0 && (guint) c < n_cells ? cells[c] : "";
    }

  number = coop_record_normalize_value (checker->fields[COOP_IMPORT_FIELD_NUMBER],
                                        values[COOP_IMPORT_FIELD_NUMBER], &owned_number);
  if (number != NULL && number[0] != '\0')
    {
      if (g_hash_table_size (checker->existing->students) > 0)
        old = g_hash_table_lookup (checker->existing->students, number);
    }
  else
    number = "";

  coop_record_load (student, old != NULL ? COOP_RECORD (old) : NULL);

  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      const CoopField *field = checker->fields[f];
      const char *value = f == COOP_IMPORT_FIELD_NUMBER ? number : values[f];
      CoopGender gender = COOP_GENDER_UNKNOWN;
      int year = 0;

      if (columns[f] < 0)
        continue;

      switch ((CoopImportField) f)
        {
        case COOP_IMPORT_FIELD_GENDER:
          if (parse_gender (value, &gender))
            *COOP_FIELD_PTR (student, field, int) = gender;
          else
            add_problem (row, titles[f], _("not a gender (男, 女, M, F)"));
          break;
        case COOP_IMPORT_FIELD_DEPARTMENT:
          {
            const DepartmentCell *cell = lookup_department (checker, value);

            *COOP_FIELD_PTR (student, field, gint64) = cell->id;
            row->department = cell->new_name != NULL ? g_ref_string_acquire (cell->new_name)
                                                     : NULL;
            row->department_name = g_ref_string_acquire (cell->name);
          }
          break;
        case COOP_IMPORT_FIELD_GRADUATION_YEAR:
          if (parse_year (value, &year))
            *COOP_FIELD_PTR (student, field, int) = year;
          else
            add_problem (row, titles[f], _("not a year"));
          break;
        case COOP_IMPORT_FIELD_NUMBER:
        case COOP_IMPORT_FIELD_NAME:
        case COOP_IMPORT_FIELD_MAJOR:
        case COOP_IMPORT_FIELD_CLASS_NAME:
        case COOP_IMPORT_FIELD_PHONE:
        case COOP_IMPORT_FIELD_EMAIL:
        case COOP_IMPORT_FIELD_NOTES:
          if (field->flags & COOP_FIELD_SHARED)
            init_shared (checker, student, field, value);
          else
            coop_record_init_string (student, field, value, -1);
          break;
        case COOP_IMPORT_N_FIELDS:
        default:
          g_assert_not_reached ();
        }
    }

  coop_record_normalize (student);

  for (guint f = 0; f < COOP_IMPORT_N_FIELDS; f++)
    {
      g_autoptr(GError) error = NULL;

      if (f == COOP_IMPORT_FIELD_DEPARTMENT || f == COOP_IMPORT_FIELD_GENDER)
        continue;
      if (columns[f] < 0 && f != COOP_IMPORT_FIELD_NAME && f != COOP_IMPORT_FIELD_NUMBER)
        continue;
      if (f == COOP_IMPORT_FIELD_GRADUATION_YEAR && row->problems->len > 0
          && coop_student_get_graduation_year (row->student) == 0)
        continue;
      /* The model's message already starts with the field's name. */
      if (!coop_record_check_field (student, checker->fields[f], &error))
        add_problem (row, NULL, error->message);
    }

  if (number[0] != '\0')
    {
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (checker->seen, number));

      if (first != 0)
        {
          g_autofree char *reason = g_strdup_printf (_("student number %s is already in row %u"),
                                                     number, first);

          add_problem (row, titles[COOP_IMPORT_FIELD_NUMBER], reason);
        }
      else
        g_hash_table_insert (checker->seen, g_string_chunk_insert (checker->numbers, number),
                             GUINT_TO_POINTER (row->row));
    }

  /* Without a department column, the student keeps the stored one. */
  if (row->department_name == NULL)
    {
      gint64 id = coop_student_get_department_id (row->student);

      row->department_name = g_ref_string_acquire (department_ref (checker, id));
    }

  if (row->problems->len > 0)
    row->status = COOP_IMPORT_STATUS_ERROR;
  else if (old == NULL)
    row->status = COOP_IMPORT_STATUS_NEW;
  else
    {
      row->changes = describe_changes (checker, old, row);
      row->status = row->changes != NULL ? COOP_IMPORT_STATUS_UPDATE
                                         : COOP_IMPORT_STATUS_UNCHANGED;
    }
}

static gboolean
check_columns (const int  *columns,
               GError    **error)
{
  for (guint f = COOP_IMPORT_FIELD_NUMBER; f <= COOP_IMPORT_FIELD_NAME; f++)
    if (columns[f] < 0)
      {
        g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                     _("No column is chosen for “%s”."), _(field_info[f].label));
        return FALSE;
      }
  return TRUE;
}

static void
count_row (CoopImportPlan      *plan,
           const CoopImportRow *row)
{
  switch (row->status)
    {
    case COOP_IMPORT_STATUS_NEW:
      plan->n_new++;
      break;
    case COOP_IMPORT_STATUS_UPDATE:
      plan->n_update++;
      break;
    case COOP_IMPORT_STATUS_UNCHANGED:
      plan->n_unchanged++;
      break;
    case COOP_IMPORT_STATUS_ERROR:
      plan->n_error++;
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * coop_import_plan_new:
 * @table: the rows read from a file
 * @columns: (array fixed-size=10): for each #CoopImportField, its column in
 *   @table or -1
 * @existing: the students and departments already stored
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #CoopError
 *
 * Works out what importing each row does and what is wrong with it.  Needs
 * no store, so it may run in a worker thread.
 *
 * Returns: (transfer full): the plan, or %NULL with %COOP_ERROR_VALIDATION
 *   when the student number or the name has no column,
 *   %COOP_ERROR_CANCELLED, or an error of reading the file of a table from
 *   coop_import_table_open(), as for coop_import_run()
 */
CoopImportPlan *
coop_import_plan_new (const CoopImportTable *table,
                      const int              columns[COOP_IMPORT_N_FIELDS],
                      CoopImportExisting    *existing,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(CoopImportPlan) plan = g_new0 (CoopImportPlan, 1);
  Checker checker;
  RowIter iter;
  char **cells;
  guint number = 0, i = 0;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (existing != NULL, NULL);

  if (!check_columns (columns, error))
    return NULL;

  plan->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) import_row_free);
  plan->source = g_strdup (table->source);

  checker_init (&checker, table, columns, existing);
  row_iter_init (&iter, table);
  while ((cells = row_iter_next (&iter, &number)) != NULL)
    {
      CoopImportRow *row;

      if (i++ % 1024 == 0 && g_cancellable_set_error_if_cancelled (cancellable, NULL))
        {
          row_iter_clear (&iter);
          checker_clear (&checker);
          g_set_error (error, COOP_ERROR, COOP_ERROR_CANCELLED, _("The import was cancelled."));
          return NULL;
        }

      row = import_row_new ();
      row->student = coop_student_new ();
      check_row (&checker, cells, number, row);
      count_row (plan, row);
      g_ptr_array_add (plan->rows, row);
    }
  checker_clear (&checker);
  if (iter.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&iter.error));
      row_iter_clear (&iter);
      return NULL;
    }
  row_iter_clear (&iter);

  return g_steal_pointer (&plan);
}

/* ------------------------------------------------------------------ commit */

typedef struct {
  CoopStore               *store;
  const CoopImportOptions *options;
  GHashTable              *created;        /* department name as imported → id */
  GHashTable              *created_refs;   /* the same by the rows' GRefString of the name */
  GHashTable              *created_folded; /* folded department name → id */
  GHashTable              *in_pool;        /* student ids already candidates */
  const CoopField         *department_field;
  char                    *today;
  CoopImportResult         counts;
} Commit;

static void
commit_clear (Commit *commit)
{
  g_clear_pointer (&commit->created, g_hash_table_unref);
  g_clear_pointer (&commit->created_refs, g_hash_table_unref);
  g_clear_pointer (&commit->created_folded, g_hash_table_unref);
  g_clear_pointer (&commit->in_pool, g_hash_table_unref);
  g_clear_pointer (&commit->today, g_free);
}

static gboolean
ensure_department (Commit         *commit,
                   CoopImportRow  *row,
                   GError        **error)
{
  gint64 *id;

  if (row->department == NULL)
    return TRUE;

  /* The rows that name one department share its name: found by address. */
  id = g_hash_table_lookup (commit->created_refs, row->department);
  if (id != NULL)
    {
      *COOP_FIELD_PTR (row->student, commit->department_field, gint64) = *id;
      return TRUE;
    }

  id = g_hash_table_lookup (commit->created, row->department);
  if (id == NULL)
    {
      g_autofree char *key = coop_text_fold (row->department);

      /* The same name written another way (width, case) is one department. */
      id = g_hash_table_lookup (commit->created_folded, key);
      if (id == NULL)
        {
          g_autoptr(CoopDepartment) department = coop_department_new ();
          gint64 new_id;

          coop_department_set_name (department, row->department);
          if (!coop_store_save (commit->store, COOP_RECORD (department), error))
            return FALSE;
          new_id = coop_record_get_id (COOP_RECORD (department));
          id = g_memdup2 (&new_id, sizeof new_id);
          g_hash_table_insert (commit->created_folded, g_steal_pointer (&key), id);
        }
      g_hash_table_insert (commit->created, g_strdup (row->department),
                           g_memdup2 (id, sizeof *id));
    }
  g_hash_table_insert (commit->created_refs, g_ref_string_acquire (row->department),
                       g_memdup2 (id, sizeof *id));
  /* Set in place, as check_row() fills the record: no one watches it. */
  *COOP_FIELD_PTR (row->student, commit->department_field, gint64) = *id;
  return TRUE;
}

static gboolean
add_to_pool (Commit      *commit,
             gint64       student_id,
             GError     **error)
{
  g_autoptr(CoopCandidate) candidate = NULL;

  if (g_hash_table_contains (commit->in_pool, &student_id))
    return TRUE;

  candidate = coop_candidate_new ();
  coop_candidate_set_pool_id (candidate, commit->options->pool_id);
  coop_candidate_set_student_id (candidate, student_id);
  coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_RECOMMENDED);
  coop_candidate_set_stage_on (candidate, commit->today);
  if (!coop_store_save (commit->store, COOP_RECORD (candidate), error))
    return FALSE;
  g_hash_table_add (commit->in_pool, g_memdup2 (&student_id, sizeof student_id));
  commit->counts.pooled++;
  return TRUE;
}

static gboolean
blocked (guint                    n_error,
         const CoopImportOptions *options,
         CoopImportResult        *result,
         GError                 **error)
{
  if (n_error == 0 || options->valid_only)
    return FALSE;

  result->skipped_errors = n_error;
  g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
               g_dngettext (GETTEXT_PACKAGE,
                            "%u row has errors; nothing was imported.",
                            "%u rows have errors; nothing was imported.", n_error),
               n_error);
  return TRUE;
}

/* Starts the store's import; the caller rolls it back on a later failure. */
static gboolean
commit_begin (Commit                  *commit,
              CoopStore               *store,
              const CoopImportOptions *options,
              const char              *source,
              GError                 **error)
{
  g_autoptr(GListModel) candidates = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GTypeClass) klass = g_type_class_ref (COOP_TYPE_STUDENT);

  commit->store = store;
  commit->options = options;
  commit->created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  commit->created_refs = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) g_ref_string_release,
                                                g_free);
  commit->created_folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  commit->in_pool = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  commit->today = g_date_time_format (now, "%Y-%m-%d");
  commit->department_field = coop_record_class_find_field (COOP_RECORD_CLASS (klass),
                                                           "department-id");

  if (!coop_store_import_begin (store, COOP_TYPE_STUDENT, source != NULL ? source : "", error))
    return FALSE;

  if (options->pool_id == 0)
    return TRUE;

  candidates = coop_store_list_related (store, COOP_TYPE_CANDIDATE, "pool-id",
                                        options->pool_id, error);
  if (candidates == NULL)
    {
      coop_store_import_rollback (store);
      return FALSE;
    }
  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (candidates, i);
      gint64 id = coop_candidate_get_student_id (candidate);

      g_hash_table_add (commit->in_pool, g_memdup2 (&id, sizeof id));
    }
  return TRUE;
}

static gboolean
save_student (Commit         *commit,
              CoopImportRow  *row,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (ensure_department (commit, row, &local_error) &&
      coop_store_import_save (commit->store, COOP_RECORD (row->student), &local_error))
    return TRUE;

  /* The file was checked against the students stored when the check began;
   * one stored since then is caught by the database. */
  if (g_error_matches (local_error, COOP_ERROR, COOP_ERROR_DUPLICATE))
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("Row %u: student number %s has been stored meanwhile; nothing was "
                   "imported."), row->row, coop_student_get_number (row->student));
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Row %u: "), row->row);
  return FALSE;
}

static gboolean
commit_row (Commit         *commit,
            CoopImportRow  *row,
            GError        **error)
{
  gboolean in_import = TRUE;

  switch (row->status)
    {
    case COOP_IMPORT_STATUS_ERROR:
      commit->counts.skipped_errors++;
      in_import = FALSE;
      break;

    case COOP_IMPORT_STATUS_NEW:
      if (!save_student (commit, row, error))
        return FALSE;
      commit->counts.added++;
      break;

    case COOP_IMPORT_STATUS_UPDATE:
      if (!commit->options->update_existing)
        {
          commit->counts.skipped_existing++;
          break;
        }
      if (!save_student (commit, row, error))
        return FALSE;
      commit->counts.updated++;
      break;

    case COOP_IMPORT_STATUS_UNCHANGED:
      commit->counts.unchanged++;
      break;

    default:
      g_assert_not_reached ();
    }

  if (in_import && commit->options->pool_id != 0
      && !add_to_pool (commit, coop_record_get_id (COOP_RECORD (row->student)), error))
    return FALSE;
  return TRUE;
}

/**
 * coop_import_plan_commit:
 * @plan: a plan from coop_import_plan_new()
 * @store: the store @plan was made for; used in its own thread only
 * @options: what to do with existing students, rows with errors and a pool
 * @result: (out caller-allocates): how many rows were added, updated, …
 * @error: return location for a #CoopError
 *
 * Stores the plan as one import of the store (coop_store_import_begin()):
 * either every row it writes is stored, new departments and pool
 * candidates with them, or nothing is.  Unless @options says valid_only,
 * any row with an error blocks the import.
 *
 * Returns: whether the import was stored; %COOP_ERROR_VALIDATION when rows
 *   with errors block it, %COOP_ERROR_DUPLICATE when a student number was
 *   stored after the plan was made, or another error of the store
 */
gboolean
coop_import_plan_commit (CoopImportPlan          *plan,
                         CoopStore               *store,
                         const CoopImportOptions *options,
                         CoopImportResult        *result,
                         GError                 **error)
{
  Commit commit = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);

  if (blocked (plan->n_error, options, result, error))
    return FALSE;

  if (!commit_begin (&commit, store, options, plan->source, error))
    {
      commit_clear (&commit);
      return FALSE;
    }

  for (guint i = 0; i < plan->rows->len && ok; i++)
    ok = commit_row (&commit, g_ptr_array_index (plan->rows, i), &local_error);

  if (!ok)
    coop_store_import_rollback (store);
  else
    ok = coop_store_import_commit (store, &local_error);
  commit_clear (&commit);

  if (!ok)
    {
      /* The new rows' ids were rolled back with them: a second attempt inserts. */
      for (guint i = 0; i < plan->rows->len; i++)
        {
          CoopImportRow *row = g_ptr_array_index (plan->rows, i);

          if (row->status == COOP_IMPORT_STATUS_NEW)
            g_object_set (row->student, "id", (gint64) 0, NULL);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *result = commit.counts;
  return TRUE;
}

/* What the import does, or would do, with rows counted by their status. */
static void
result_from_counts (const CoopImportPlan     *counts,
                    const CoopImportOptions  *options,
                    CoopImportResult         *result)
{
  result->added = counts->n_new;
  result->updated = options->update_existing ? counts->n_update : 0;
  result->skipped_existing = options->update_existing ? 0 : counts->n_update;
  result->unchanged = counts->n_unchanged;
  result->skipped_errors = counts->n_error;
}

/**
 * coop_import_run:
 * @table: a table, typically from coop_import_table_open()
 * @columns: (array fixed-size=10): for each #CoopImportField, its column in
 *   @table or -1
 * @existing: the students and departments already stored
 * @store: (nullable): the store to import into; %NULL only checks
 * @options: what to do with existing students, rows with errors and a pool
 * @func: (nullable) (scope call): called with each row as it is checked
 * @user_data: data for @func
 * @result: (out caller-allocates): how many rows were (or, without @store,
 *   would be) added, updated, …; when rows with errors block the import,
 *   what importing only the valid rows would do
 * @error: return location for a #CoopError
 *
 * The import without a preview, in one pass: each row is checked and, in
 * the store's import (coop_store_import_begin()), stored.  When a row with
 * an error blocks the import, what was stored is rolled back and the rest
 * of the rows are only checked, so that every problem is reported.  Only
 * one row is in memory at a time (with coop_import_table_open(), not even
 * the file: a chunk of it).
 *
 * Returns: whether the import was stored (or could be); errors as for
 *   coop_import_plan_commit(), and %COOP_ERROR_IO when a table's file can
 *   no longer be read (%COOP_ERROR_VALIDATION when it was changed into
 *   something that is not text in its encoding): nothing is stored then
 */
gboolean
coop_import_run (const CoopImportTable   *table,
                 const int                columns[COOP_IMPORT_N_FIELDS],
                 CoopImportExisting      *existing,
                 CoopStore               *store,
                 const CoopImportOptions *options,
                 CoopImportRowFunc        func,
                 gpointer                 user_data,
                 CoopImportResult        *result,
                 GError                 **error)
{
  g_autoptr(CoopImportRow) row = NULL;
  CoopImportPlan counts = { 0 };
  Commit commit = { 0 };
  Checker checker;
  RowIter iter;
  char **cells;
  guint number = 0;
  gboolean writing = store != NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (existing != NULL, FALSE);
  g_return_val_if_fail (store == NULL || COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  if (!check_columns (columns, error))
    return FALSE;

  if (writing && !commit_begin (&commit, store, options, table->source, error))
    {
      commit_clear (&commit);
      return FALSE;
    }

  row = import_row_new ();
  row->student = coop_student_new ();
  checker_init (&checker, table, columns, existing);
  row_iter_init (&iter, table);
  while (ok && (cells = row_iter_next (&iter, &number)) != NULL)
    {
      check_row (&checker, cells, number, row);
      count_row (&counts, row);
      if (func != NULL)
        func (row, user_data);

      if (writing && row->status == COOP_IMPORT_STATUS_ERROR && !options->valid_only)
        {
          /* Nothing will be stored: only check the other rows. */
          coop_store_import_rollback (store);
          writing = FALSE;
        }
      if (writing)
        ok = commit_row (&commit, row, error);
    }
  checker_clear (&checker);
  if (ok && iter.error != NULL)
    {
      /* The file could not be read to its end: nothing is stored. */
      g_propagate_error (error, g_steal_pointer (&iter.error));
      ok = FALSE;
      if (!writing)
        {
          row_iter_clear (&iter);
          commit_clear (&commit);
          return FALSE;
        }
    }
  row_iter_clear (&iter);

  if (!ok)
    {
      coop_store_import_rollback (store);
      commit_clear (&commit);
      return FALSE;
    }

  if (counts.n_error > 0 && !options->valid_only)
    {
      g_assert (!writing);
      commit_clear (&commit);
      result_from_counts (&counts, options, result);
      return !blocked (counts.n_error, options, result, error);
    }

  if (store == NULL)
    {
      result_from_counts (&counts, options, result);
      return TRUE;
    }

  ok = coop_store_import_commit (store, error);
  if (ok)
    *result = commit.counts;
  commit_clear (&commit);
  return ok;
}

/* ------------------------------------------------------------------ reports */

/**
 * coop_import_row_describe:
 * @row: a row of a plan
 *
 * Returns: (transfer full): "Row 7: 学号: student number is required; …",
 *   or %NULL when the row has no problem
 */
char *
coop_import_row_describe (const CoopImportRow *row)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  if (row->problems->len == 0)
    return NULL;
  text = g_string_new (NULL);
  g_string_append_printf (text, _("Row %u: "), row->row);
  for (guint i = 0; i < row->problems->len; i++)
    {
      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, g_ptr_array_index (row->problems, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * coop_import_result_describe:
 * @result: what an import did
 *
 * Returns: (transfer full): one line for the user
 */
char *
coop_import_result_describe (const CoopImportResult *result)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  text = g_strdup_printf (_("%u added, %u updated, %u unchanged, %u skipped with errors"),
                          result->added, result->updated, result->unchanged,
                          result->skipped_errors);
  if (result->skipped_existing > 0)
    {
      g_autofree char *more = g_strdup_printf (_(", %u existing skipped"),
                                               result->skipped_existing);
      char *joined = g_strconcat (text, more, NULL);

      g_free (text);
      text = joined;
    }
  if (result->pooled > 0)
    {
      g_autofree char *more = g_strdup_printf (_(", %u added to the pool"), result->pooled);
      char *joined = g_strconcat (text, more, NULL);

      g_free (text);
      text = joined;
    }
  return g_steal_pointer (&text);
}
