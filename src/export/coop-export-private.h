/* coop-export-private.h — what the parts of the export layer share
 *
 * coop-export-file.c   the target file: a temporary name next to it, mode
 *                      0600, renamed into place only when complete
 * coop-export-book.c   a workbook over libxlsxwriter: formats, clean text,
 *                      column widths, every return code checked
 * coop-export-cell.c   how a record's field becomes a cell, masking, CSV
 * coop-export-job.c    cancellation and progress, shared by the threads
 * coop-export-list.c   "Export View…": exactly the rows and columns shown
 * coop-export-summary.c the meeting workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>
#include <xlsxwriter.h>

#include "coop-export.h"
#include "coop-record.h"

G_BEGIN_DECLS

/* Excel keeps at most this many characters in a cell. */
#define COOP_EXPORT_MAX_CELL_CHARS 32767

/* ------------------------------------------------------------------ job */

/* What a running export shares with its caller: whether to stop, and how far
 * it got.  Progress is measured in units (rows) out of a total known up
 * front; the caller's callback runs in the main context of the caller. */
typedef struct {
  GCancellable       *cancellable;
  GMainContext       *context;
  CoopExportProgress  progress;
  gpointer            progress_data;
  GTask              *task;          /* unowned: progress is dropped once it completed */
  guint64             total;
  guint64             done;
  double              reported;
} CoopExportJob;

void     coop_export_job_init      (CoopExportJob  *job,
                                    GCancellable   *cancellable);
void     coop_export_job_set_total (CoopExportJob  *job,
                                    guint64         total);
gboolean coop_export_job_step      (CoopExportJob  *job,
                                    guint64         units,
                                    GError        **error);
void     coop_export_job_clear     (CoopExportJob  *job);

/* ------------------------------------------------------------------ file */

typedef struct {
  char *path;      /* where the file goes */
  char *tmp_path;  /* where it is written first, in the same folder */
  char *folder;
  int   fd;        /* of tmp_path, or -1 */
} CoopExportTarget;

gboolean coop_export_target_open    (CoopExportTarget  *target,
                                     const char        *path,
                                     GError           **error);
gboolean coop_export_target_commit  (CoopExportTarget  *target,
                                     GError           **error);
void     coop_export_target_discard (CoopExportTarget  *target);
void     coop_export_set_io_error   (GError           **error,
                                     int                saved_errno,
                                     const char        *path);
void     coop_export_set_write_error (GError          **error,
                                      const char       *folder,
                                      const char       *path);

/* ------------------------------------------------------------------ book */

typedef enum {
  COOP_CELL_TEXT,      /* one line of text */
  COOP_CELL_CODE,      /* text that looks like a number: phones, student numbers */
  COOP_CELL_WRAP,      /* several lines */
  COOP_CELL_DATE,
  COOP_CELL_DATETIME,
  COOP_CELL_NUMBER,
  COOP_CELL_PERCENT,
  COOP_CELL_CHANGE,    /* a difference, with its sign: +3, -2, 0 */
  COOP_N_CELL_STYLES
} CoopCellStyle;

typedef enum {
  COOP_TINT_NONE,
  COOP_TINT_WARNING,   /* expiring soon */
  COOP_TINT_ALERT,     /* expired */
  COOP_N_TINTS
} CoopTint;

typedef struct _CoopExportBook  CoopExportBook;
typedef struct _CoopExportSheet CoopExportSheet;

CoopExportBook  *coop_export_book_new          (const CoopExportTarget *target,
                                                GError          **error);
CoopExportSheet *coop_export_book_add_sheet    (CoopExportBook   *book,
                                                const char       *name,
                                                gboolean          streamed);
lxw_workbook    *coop_export_book_get_workbook (CoopExportBook   *book);
lxw_format      *coop_export_book_get_format   (CoopExportBook   *book,
                                                const char       *name);
gboolean         coop_export_book_check        (CoopExportBook   *book,
                                                lxw_error         rc);
gboolean         coop_export_book_close        (CoopExportBook   *book,
                                                GError          **error);
void             coop_export_book_free         (CoopExportBook   *book);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopExportBook, coop_export_book_free)

lxw_worksheet   *coop_export_sheet_get_worksheet (CoopExportSheet *sheet);
const char      *coop_export_sheet_get_name    (CoopExportSheet  *sheet);
guint            coop_export_sheet_get_row     (CoopExportSheet  *sheet);
void             coop_export_sheet_set_row     (CoopExportSheet  *sheet,
                                                guint             row);
void             coop_export_sheet_next_row    (CoopExportSheet  *sheet);
void             coop_export_sheet_header      (CoopExportSheet  *sheet,
                                                const char *const *titles,
                                                guint             n_titles);
void             coop_export_sheet_text        (CoopExportSheet  *sheet,
                                                guint             column,
                                                const char       *text,
                                                CoopCellStyle     style,
                                                CoopTint          tint);
void             coop_export_sheet_styled_text (CoopExportSheet  *sheet,
                                                guint             column,
                                                const char       *text,
                                                lxw_format       *format);
void             coop_export_sheet_number      (CoopExportSheet  *sheet,
                                                guint             column,
                                                double            value,
                                                CoopCellStyle     style,
                                                CoopTint          tint);
void             coop_export_sheet_date        (CoopExportSheet  *sheet,
                                                guint             column,
                                                const char       *text,
                                                CoopTint          tint);
void             coop_export_sheet_blank       (CoopExportSheet  *sheet,
                                                guint             column,
                                                CoopTint          tint);
void             coop_export_sheet_fit_width   (CoopExportSheet  *sheet,
                                                guint             column,
                                                guint             width);
void             coop_export_sheet_finish_table (CoopExportSheet *sheet,
                                                 guint            first_row,
                                                 guint            n_columns);
void             coop_export_sheet_finish      (CoopExportSheet  *sheet);

/* ------------------------------------------------------------------ cells */

typedef enum {
  COOP_EXPORT_CELL_BLANK,
  COOP_EXPORT_CELL_TEXT,
  COOP_EXPORT_CELL_NUMBER,
  COOP_EXPORT_CELL_DATE,     /* text "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" */
} CoopExportCellType;

/* A value ready for a workbook or a CSV file.  @text is borrowed from the
 * record (or a translation), or points into @owned. */
typedef struct {
  CoopExportCellType  type;
  const char         *text;
  char               *owned;
  double              number;
  CoopCellStyle       style;
} CoopExportCell;

void        coop_export_render_field    (CoopRecord      *record,
                                         const CoopField *field,
                                         gboolean         mask,
                                         CoopExportCell  *cell);
void        coop_export_cell_clear      (CoopExportCell  *cell);

/* ------------------------------------------------------------------ rows */

/* Rows of a long table, prepared in one thread and written in another:
 * see coop_export_book_write_table(). */
typedef struct _CoopExportRow CoopExportRow;

typedef void (*CoopExportRowFunc) (CoopExportRow *row,
                                   guint          index,
                                   gpointer       data);

void        coop_export_row_text          (CoopExportRow    *row,
                                           guint             column,
                                           const char       *text,
                                           CoopCellStyle     style,
                                           CoopTint          tint);
void        coop_export_row_take_text     (CoopExportRow    *row,
                                           guint             column,
                                           char             *text,
                                           CoopCellStyle     style,
                                           CoopTint          tint);
void        coop_export_row_number        (CoopExportRow    *row,
                                           guint             column,
                                           double            value,
                                           CoopCellStyle     style,
                                           CoopTint          tint);
void        coop_export_row_blank         (CoopExportRow    *row,
                                           guint             column,
                                           CoopTint          tint);
void        coop_export_row_cell          (CoopExportRow    *row,
                                           guint             column,
                                           CoopExportCell   *cell,
                                           CoopTint          tint);
gboolean    coop_export_book_write_table  (CoopExportBook   *book,
                                           const char       *name,
                                           const char *const *titles,
                                           guint             n_titles,
                                           guint             n_rows,
                                           CoopExportRowFunc func,
                                           gpointer          data,
                                           CoopExportJob    *job,
                                           GError          **error);

const char *coop_export_clean_text      (const char  *text,
                                         char       **owned);
guint       coop_export_display_width   (const char  *text,
                                         guint        cap,
                                         guint       *lines);
gboolean    coop_export_measure_clean   (const char  *text,
                                         guint        cap,
                                         guint       *width,
                                         guint       *lines);
gboolean    coop_export_parse_date      (const char  *text,
                                         lxw_datetime *datetime,
                                         gboolean    *has_time);
char       *coop_export_mask_phone      (const char  *text);
char       *coop_export_mask_email      (const char  *text);
char       *coop_export_mask_student_number (const char *text);
char       *coop_export_mask_field      (const CoopField *field,
                                         const char      *text);
void        coop_export_csv_append_cell (GString     *line,
                                         const char  *text);

G_END_DECLS
