/* coop-export.h — the Excel summary workbook and the list exports
 *
 * The export layer uses the model and libxlsxwriter, never GTK.
 *
 * Every export is written under a temporary name next to the target, mode
 * 0600, and renamed into place once complete: a failure or a cancel leaves
 * no file.  Errors are in COOP_ERROR: %COOP_ERROR_IO (folder not writable,
 * disk full), %COOP_ERROR_CANCELLED, %COOP_ERROR_VALIDATION (a bad date in
 * #CoopSummaryOptions).
 *
 * The _async variants take references to the records on the calling thread
 * and read them in a worker thread.  The store changes a saved record in
 * place (coop_record_assign()), so the window must not save records while
 * an export runs: show its progress in a modal dialog with Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-report.h"
#include "coop-store.h"

G_BEGIN_DECLS

/**
 * CoopSummaryOptions:
 * @from: "YYYY-MM-DD" or %NULL: events and candidates from this day
 * @to: "YYYY-MM-DD" or %NULL: events and candidates up to this day
 * @mask_personal: hide parts of phones, e-mails and student numbers
 * @expiry_warning_days: agreements ending within this many days are
 *   "expiring soon"; 0 means the default, 90
 * @year_kind: calendar or academic years, for the Year sheet
 * @year: the year the Year sheet reports, which is then also the period
 *   (and @from and @to must be %NULL); 0 for the year @to falls in, or
 *   today without @to
 */
typedef struct {
  const char   *from;                 /* "YYYY-MM-DD" or NULL: events and candidates from this day */
  const char   *to;                   /* "YYYY-MM-DD" or NULL */
  gboolean      mask_personal;
  guint         expiry_warning_days;  /* 90 by default */
  CoopYearKind  year_kind;            /* how the Year sheet counts years */
  int           year;                 /* the Year sheet's, and the period; 0: the year of @to or today */
} CoopSummaryOptions;

#define COOP_EXPORT_DEFAULT_EXPIRY_WARNING_DAYS 90

typedef void (*CoopExportProgress) (double fraction, gpointer user_data); /* called in the main context */

gboolean coop_export_summary        (CoopStore *store, const char *path, const CoopSummaryOptions *options,
                                     GCancellable *cancellable, GError **error);          /* synchronous, for the CLI */
void     coop_export_summary_async  (CoopStore *store, const char *path, const CoopSummaryOptions *options,
                                     GCancellable *cancellable, CoopExportProgress progress, gpointer progress_data,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean coop_export_summary_finish (CoopStore *store, GAsyncResult *result, GError **error);

typedef enum { COOP_EXPORT_FORMAT_XLSX, COOP_EXPORT_FORMAT_CSV } CoopExportFormat;
typedef struct { const char *property; const char *title; } CoopExportColumn;  /* property of the row objects; header text */

void     coop_export_list_async  (GListModel *rows, const CoopExportColumn *columns, guint n_columns,
                                  const char *sheet_name, const char *path, CoopExportFormat format,
                                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
gboolean coop_export_list_finish (GAsyncResult *result, GError **error);
gboolean coop_export_list        (GListModel *rows, const CoopExportColumn *columns, guint n_columns,
                                  const char *sheet_name, const char *path, CoopExportFormat format,
                                  GCancellable *cancellable, GError **error);

G_END_DECLS
