/* coop-export-job.c — cancellation and progress of a running export
 *
 * The writing thread counts the rows it has written; every hundredth of the
 * way it hands the fraction to the main context the export was started from,
 * where the caller's progress callback runs.  A report that arrives after the
 * task has completed is dropped, so the callback never runs after the
 * finish callback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-error.h"
#include "coop-export-private.h"

/* Checking the cancellable costs an atomic read: once per this many rows. */
#define CHECK_EVERY 256

typedef struct {
  GTask              *task;
  CoopExportProgress  progress;
  gpointer            progress_data;
  double              fraction;
} ProgressReport;

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  g_clear_object (&report->task);
  g_free (report);
}

static gboolean
deliver_progress_cb (gpointer data)
{
  ProgressReport *report = data;

  if (report->task == NULL || !g_task_get_completed (report->task))
    report->progress (report->fraction, report->progress_data);

  return G_SOURCE_REMOVE;
}

static void
report_progress (CoopExportJob *job,
                 double         fraction)
{
  ProgressReport *report;

  if (job->progress == NULL || fraction - job->reported < 0.01)
    return;

  job->reported = fraction;
  report = g_new0 (ProgressReport, 1);
  report->task = job->task != NULL ? g_object_ref (job->task) : NULL;
  report->progress = job->progress;
  report->progress_data = job->progress_data;
  report->fraction = fraction;

  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_progress_cb,
                              report, progress_report_free);
}

void
coop_export_job_init (CoopExportJob *job,
                      GCancellable  *cancellable)
{
  memset (job, 0, sizeof *job);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->total = 1;
}

void
coop_export_job_set_total (CoopExportJob *job,
                           guint64        total)
{
  job->total = MAX (total, 1);
  job->done = 0;
}

/* Counts @units more rows written.  Returns %FALSE, with
 * %COOP_ERROR_CANCELLED, once the export has been cancelled. */
gboolean
coop_export_job_step (CoopExportJob  *job,
                      guint64         units,
                      GError        **error)
{
  guint64 before = job->done;

  /* A step of no rows is a check point: the start of a phase. */
  job->done += units;
  if (units > 0 && units < CHECK_EVERY && before / CHECK_EVERY == job->done / CHECK_EVERY &&
      job->done != job->total)
    return TRUE;

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_set_error_literal (error, COOP_ERROR, COOP_ERROR_CANCELLED, _("The export was cancelled."));
      return FALSE;
    }

  report_progress (job, MIN (1.0, (double) job->done / (double) job->total));
  return TRUE;
}

void
coop_export_job_clear (CoopExportJob *job)
{
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  job->task = NULL;
}
