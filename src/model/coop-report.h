/* coop-report.h — the yearly report: a year's cooperation per department
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-store.h"

G_BEGIN_DECLS

/* An academic year starts on the first of this month. */
#define COOP_ACADEMIC_YEAR_FIRST_MONTH 9

/**
 * CoopYearKind:
 * @COOP_YEAR_CALENDAR: January to December
 * @COOP_YEAR_ACADEMIC: September to the August after
 *
 * How the school counts its years.
 */
typedef enum {
  COOP_YEAR_CALENDAR,
  COOP_YEAR_ACADEMIC,
} CoopYearKind;

/**
 * CoopReportCount:
 *
 * The figures of the report, in the order it shows them.  The event kinds
 * follow #CoopEventKind from %COOP_REPORT_VISITS on.
 */
typedef enum {
  COOP_REPORT_PARTNERS_ACTIVE,     /* an agreement in force, an event or a candidate in the year */
  COOP_REPORT_AGREEMENTS_SIGNED,   /* signed in the year */
  COOP_REPORT_PRACTICE_BASES,      /* in force during some of the year */
  COOP_REPORT_INTERNSHIP_BASES,
  COOP_REPORT_EMPLOYMENT_BASES,
  COOP_REPORT_EVENTS,              /* held in the year, every kind */
  COOP_REPORT_VISITS,
  COOP_REPORT_RECOMMENDATION_MEETINGS,
  COOP_REPORT_JOB_FAIRS,
  COOP_REPORT_SIGNING_CEREMONIES,
  COOP_REPORT_SEMINARS,
  COOP_REPORT_OTHER_EVENTS,
  COOP_REPORT_RECOMMENDED,         /* students whose candidacy began in the year */
  COOP_REPORT_INTERNING,           /* students who started an internship in the year */
  COOP_REPORT_HIRED,               /* students hired in the year */
  COOP_REPORT_N_COUNTS
} CoopReportCount;

/**
 * CoopReportRow:
 * @department_id: the department, 0 for the school as a whole
 * @name: its name
 * @counts: each figure, [0] for the year, [1] for the year before
 *
 * One line of the report.  The school's line counts a partner or a
 * student once however many departments it worked with, and also what
 * belongs to no department (an event without an agreement).
 */
typedef struct {
  gint64  department_id;
  char   *name;
  guint   counts[2][COOP_REPORT_N_COUNTS];
} CoopReportRow;

/**
 * CoopYearReport:
 * @kind: calendar or academic years
 * @year: the year it starts in
 * @from: its first day, "YYYY-MM-DD"
 * @to: its last day
 * @rows: (element-type CoopReportRow): a row per department, in the
 *   order they were entered, then the school's
 */
typedef struct {
  CoopYearKind  kind;
  int           year;
  char         *from;
  char         *to;
  GPtrArray    *rows;
} CoopYearReport;

/**
 * CoopReportRecords:
 *
 * What a report is computed from: every record of each kind, each array
 * ordered by id.
 */
typedef struct {
  GPtrArray *departments;
  GPtrArray *partners;
  GPtrArray *agreements;
  GPtrArray *events;
  GPtrArray *students;
  GPtrArray *candidates;
  GPtrArray *stage_changes;
} CoopReportRecords;

const char     *coop_report_count_get_label     (CoopReportCount           count);

gboolean        coop_year_parse                 (const char               *text,
                                                 CoopYearKind              kind,
                                                 int                      *year,
                                                 GError                  **error);
int             coop_year_of_date               (CoopYearKind              kind,
                                                 const char               *date);
char           *coop_year_dup_title             (CoopYearKind              kind,
                                                 int                       year);
void            coop_year_get_range             (CoopYearKind              kind,
                                                 int                       year,
                                                 char                    **from,
                                                 char                    **to);

CoopYearReport *coop_year_report_compute        (const CoopReportRecords  *records,
                                                 CoopYearKind              kind,
                                                 int                       year);
CoopYearReport *coop_year_report_new            (CoopStore                *store,
                                                 CoopYearKind              kind,
                                                 int                       year,
                                                 GCancellable             *cancellable,
                                                 GError                  **error);
void            coop_year_report_free           (CoopYearReport           *report);
const CoopReportRow *coop_year_report_get_school (const CoopYearReport    *report);

int             coop_report_row_get_change      (const CoopReportRow      *row,
                                                 CoopReportCount           count);
double          coop_report_row_get_hiring_rate (const CoopReportRow      *row,
                                                 guint                     which);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopYearReport, coop_year_report_free)

G_END_DECLS
