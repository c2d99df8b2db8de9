/* coop-import.h — importing students from CSV and XLSX files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-csv.h"
#include "coop-store.h"
#include "coop-student.h"

G_BEGIN_DECLS

/**
 * CoopImportField:
 *
 * The student fields a column of the file can be mapped to.
 */
typedef enum {
  COOP_IMPORT_FIELD_NUMBER,
  COOP_IMPORT_FIELD_NAME,
  COOP_IMPORT_FIELD_GENDER,
  COOP_IMPORT_FIELD_DEPARTMENT,
  COOP_IMPORT_FIELD_MAJOR,
  COOP_IMPORT_FIELD_CLASS_NAME,
  COOP_IMPORT_FIELD_GRADUATION_YEAR,
  COOP_IMPORT_FIELD_PHONE,
  COOP_IMPORT_FIELD_EMAIL,
  COOP_IMPORT_FIELD_NOTES,
  COOP_IMPORT_N_FIELDS
} CoopImportField;

/**
 * CoopImportTable:
 * @encoding: the encoding a text file was read in; %NULL for a workbook
 * @separator: the field separator of a text file
 * @sheets: (nullable): the sheet names of a workbook
 * @sheet: (nullable): the sheet that was read
 * @header: the first row, the column titles
 * @rows: (element-type GStrv) (nullable): the other rows, blank ones left
 *   out; %NULL for a text file opened with coop_import_table_open(), whose
 *   rows are split as they are used
 * @row_numbers: (element-type guint) (nullable): the row of the file each
 *   came from
 * @source: (nullable): the name of the file, for the change log; %NULL for
 *   data not read from a file
 */
typedef struct {
  char          *encoding;
  char           separator;
  char         **sheets;
  char          *sheet;
  char         **header;
  GPtrArray     *rows;
  GArray        *row_numbers;
  char          *source;

  /*< private >*/
  int            fd;        /* a text file opened with coop_import_table_open(), else -1 */
  char          *path;      /* its path, for messages */
} CoopImportTable;

/**
 * CoopImportStatus:
 *
 * What importing a row does.
 */
typedef enum {
  COOP_IMPORT_STATUS_NEW,
  COOP_IMPORT_STATUS_UPDATE,
  COOP_IMPORT_STATUS_UNCHANGED,
  COOP_IMPORT_STATUS_ERROR,
} CoopImportStatus;

/**
 * CoopImportRow:
 * @row: the row in the file, 1 being the header
 * @status: what importing it does
 * @student: the student as it will be stored
 * @department: (nullable): a department name not yet in the database,
 *   created by the import
 * @department_name: the name of the student's department, "" for none
 *   (both names are GRefStrings that rows share: read them as strings)
 * @changes: (nullable): for an update, "Field: old → new" a line
 * @problems: (element-type utf8): "column: reason", one for each problem
 */
typedef struct {
  guint             row;
  CoopImportStatus  status;
  CoopStudent      *student;
  char             *department;
  char             *department_name;
  char             *changes;
  GPtrArray        *problems;
} CoopImportRow;

/**
 * CoopImportPlan:
 * @rows: (element-type CoopImportRow): one for each row of the table
 * @source: (nullable): the name of the file, as in #CoopImportTable
 *
 * The preview: every row as it will be stored, with its problems.
 */
typedef struct {
  GPtrArray *rows;
  char      *source;
  guint      n_new;
  guint      n_update;
  guint      n_unchanged;
  guint      n_error;
} CoopImportPlan;

typedef struct {
  gboolean update_existing; /* else students already stored are skipped */
  gboolean valid_only;      /* else any row with an error blocks the import */
  gint64   pool_id;         /* add every imported student to this pool; 0 for none */
} CoopImportOptions;

typedef struct {
  guint added;
  guint updated;
  guint unchanged;
  guint skipped_existing;
  guint skipped_errors;
  guint pooled;
} CoopImportResult;

typedef struct _CoopImportExisting CoopImportExisting;

const char         *coop_import_field_key        (CoopImportField field);
const char         *coop_import_field_label      (CoopImportField field);
const char         *coop_import_status_label     (CoopImportStatus status);

CoopImportTable    *coop_import_table_read       (const char          *path,
                                                  const char          *encoding,
                                                  const char          *sheet,
                                                  GError             **error);
CoopImportTable    *coop_import_table_read_data  (const char          *data,
                                                  gsize                length,
                                                  const char          *encoding,
                                                  const char          *sheet,
                                                  GError             **error);
CoopImportTable    *coop_import_table_open       (const char          *path,
                                                  const char          *encoding,
                                                  const char          *sheet,
                                                  GError             **error);
void                coop_import_table_free       (CoopImportTable     *table);

void                coop_import_guess_mapping    (const CoopImportTable *table,
                                                  const char * const  *remembered,
                                                  int                  columns[COOP_IMPORT_N_FIELDS]);

CoopImportExisting *coop_import_existing_new     (CoopStore           *store,
                                                  GError             **error);
void                coop_import_existing_free    (CoopImportExisting  *existing);

CoopImportPlan     *coop_import_plan_new         (const CoopImportTable *table,
                                                  const int            columns[COOP_IMPORT_N_FIELDS],
                                                  CoopImportExisting  *existing,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
void                coop_import_plan_free        (CoopImportPlan      *plan);
gboolean            coop_import_plan_commit      (CoopImportPlan      *plan,
                                                  CoopStore           *store,
                                                  const CoopImportOptions *options,
                                                  CoopImportResult    *result,
                                                  GError             **error);
/**
 * CoopImportRowFunc:
 * @row: a row, valid during the call only
 * @user_data: the data given with the function
 *
 * Called for each row that coop_import_run() checks.
 */
typedef void (*CoopImportRowFunc) (const CoopImportRow *row,
                                   gpointer             user_data);

gboolean            coop_import_run              (const CoopImportTable *table,
                                                  const int            columns[COOP_IMPORT_N_FIELDS],
                                                  CoopImportExisting  *existing,
                                                  CoopStore           *store,
                                                  const CoopImportOptions *options,
                                                  CoopImportRowFunc    func,
                                                  gpointer             user_data,
                                                  CoopImportResult    *result,
                                                  GError             **error);
char               *coop_import_row_describe     (const CoopImportRow *row);
char               *coop_import_result_describe  (const CoopImportResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopImportTable, coop_import_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopImportExisting, coop_import_existing_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopImportPlan, coop_import_plan_free)

G_END_DECLS
