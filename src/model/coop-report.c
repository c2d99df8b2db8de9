/* coop-report.c — the yearly report: a year's cooperation per department
 *
 * The school reports its industry–education cooperation once a year, by
 * calendar or by academic year.  The report counts, for the year and for
 * the year before, per department and for the school:
 *
 *  - partners active: with an agreement in force during some of the year,
 *    an event held, or a candidate whose stage changed in the year;
 *  - agreements signed in the year;
 *  - practice, internship and employment bases: such agreements signed
 *    (signed, active or since expired) and in force during some of the year,
 *    from their start (or, without one, their signing) to their end;
 *  - events held, all and by kind;
 *  - students recommended (whose candidacy began in the year), who started
 *    an internship and who were hired, each student once.
 *
 * A candidate's history is its stage changes; one entered before Coopdesk
 * kept them counts its present stage on its stage date.  Agreements belong
 * to their department, events to their agreement's, candidates to their
 * student's; what belongs to none is counted for the school only.  The
 * window's Year view and the summary workbook's Year sheet show the same
 * figures, from here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-department.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-id-index.h"
#include "coop-partner.h"
#include "coop-report.h"
#include "coop-stage-change.h"
#include "coop-student.h"

G_STATIC_ASSERT (COOP_REPORT_VISITS + COOP_EVENT_KIND_OTHER == COOP_REPORT_OTHER_EVENTS);

/* The figures that count a partner or a student once. */
enum { DISTINCT_PARTNERS, DISTINCT_RECOMMENDED, DISTINCT_INTERNING, DISTINCT_HIRED, N_DISTINCT };

static const CoopReportCount distinct_counts[N_DISTINCT] = {
  COOP_REPORT_PARTNERS_ACTIVE, COOP_REPORT_RECOMMENDED, COOP_REPORT_INTERNING, COOP_REPORT_HIRED,
};

/* What a candidate's steps are counted by, looked up once. */
typedef struct {
  gint student;
  gint partner;
  gint row;
} CandidateIndex;

typedef struct {
  const CoopReportRecords *records;
  CoopYearReport          *report;
  char                    *from[2];
  char                    *to[2];
  guint                    school;          /* the school's row */
  CoopIdIndex             *department_index;
  gint                    *department_row;  /* per department: its row, or -1 */
  CoopIdIndex             *agreement_index;
  CoopIdIndex             *student_index;
  CoopIdIndex             *partner_index;
  CoopIdIndex             *candidate_index;
  guint                    n_rows;
  guint8                  *partner_seen[2]; /* per partner and row: counted as active */
  guint8                  *student_seen[2]; /* per student: a bit per figure counted */
} Tally;

/* ------------------------------------------------------------------ years */

/**
 * coop_report_count_get_label:
 *
 * Returns: the figure's name, translated
 */
const char *
coop_report_count_get_label (CoopReportCount count)
{
  static const char * const labels[COOP_REPORT_N_COUNTS] = {
    N_("Partners active"),
    N_("Agreements signed"),
    N_("Practice bases"),
    N_("Internship bases"),
    N_("Employment bases"),
    N_("Events held"),
    N_("Visits"),
    N_("Recommendation meetings"),
    N_("Job fairs"),
    N_("Signing ceremonies"),
    N_("Seminars"),
    N_("Other events"),
    N_("Students recommended"),
    N_("Students interning"),
    N_("Students hired"),
  };

  g_return_val_if_fail (count < COOP_REPORT_N_COUNTS, NULL);

  return _(labels[count]);
}

/**
 * coop_year_parse:
 * @text: "2023" for a calendar year, "2023-2024" (or "2023") for an
 *   academic one
 * @kind: which
 * @year: (out): the year it starts in
 * @error: %COOP_ERROR_VALIDATION naming @text
 *
 * Returns: whether @text names a year
 */
gboolean
coop_year_parse (const char    *text,
                 CoopYearKind   kind,
                 int           *year,
                 GError       **error)
{
  g_auto(GStrv) parts = NULL;
  guint64 first = 0, second = 0;
  gboolean ok;

  g_return_val_if_fail (text != NULL && year != NULL, FALSE);

  parts = g_strsplit (text, "-", 3);
  ok = parts[0] != NULL && strlen (parts[0]) == 4 &&
       g_ascii_string_to_unsigned (parts[0], 10, 1900, 9998, &first, NULL);
  if (ok && parts[1] != NULL)
    ok = kind == COOP_YEAR_ACADEMIC && parts[2] == NULL && strlen (parts[1]) == 4 &&
         g_ascii_string_to_unsigned (parts[1], 10, 1901, 9999, &second, NULL) &&
         second == first + 1;

  if (!ok)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   kind == COOP_YEAR_ACADEMIC
                   ? _("“%s” is not an academic year; write it as 2023-2024.")
                   : _("“%s” is not a year; write it as 2023."),
                   text);
      return FALSE;
    }

  *year = (int) first;
  return TRUE;
}

/**
 * coop_year_of_date:
 * @date: "YYYY-MM-DD"
 *
 * Returns: the year, of @kind, that @date falls in
 */
int
coop_year_of_date (CoopYearKind  kind,
                   const char   *date)
{
  int year, month;

  g_return_val_if_fail (date != NULL && strlen (date) >= 7, 0);

  year = (int) g_ascii_strtoll (date, NULL, 10);
  month = (int) g_ascii_strtoll (date + 5, NULL, 10);
  if (kind == COOP_YEAR_ACADEMIC && month < COOP_ACADEMIC_YEAR_FIRST_MONTH)
    year--;
  return year;
}

/**
 * coop_year_dup_title:
 *
 * Returns: (transfer full): "2023", or "2023–2024" for an academic year
 */
char *
coop_year_dup_title (CoopYearKind kind,
                     int          year)
{
  if (kind == COOP_YEAR_ACADEMIC)
    return g_strdup_printf ("%d–%d", year, year + 1);
  return g_strdup_printf ("%d", year);
}

/**
 * coop_year_get_range:
 * @from: (out) (transfer full): the year's first day
 * @to: (out) (transfer full): its last
 */
void
coop_year_get_range (CoopYearKind   kind,
                     int            year,
                     char         **from,
                     char         **to)
{
  if (kind == COOP_YEAR_ACADEMIC)
    {
      *from = g_strdup_printf ("%04d-%02d-01", year, COOP_ACADEMIC_YEAR_FIRST_MONTH);
      *to = g_strdup_printf ("%04d-%02d-%02d", year + 1, COOP_ACADEMIC_YEAR_FIRST_MONTH - 1,
                             g_date_get_days_in_month (COOP_ACADEMIC_YEAR_FIRST_MONTH - 1,
                                                       (GDateYear) (year + 1)));
    }
  else
    {
      *from = g_strdup_printf ("%04d-01-01", year);
      *to = g_strdup_printf ("%04d-12-31", year);
    }
}

/* ------------------------------------------------------------------ tally */

static gboolean
in_year (Tally      *tally,
         guint       which,
         const char *date)
{
  return date != NULL && strncmp (date, tally->from[which], 10) >= 0 &&
         strncmp (date, tally->to[which], 10) <= 0;
}

/* The department's row, or -1 for none (or the school itself). */
static gint
row_of_department (Tally  *tally,
                   gint64  department_id)
{
  gint department = department_id > 0 ? coop_id_index_find (tally->department_index,
                                                             department_id) : -1;

  return department >= 0 ? tally->department_row[department] : -1;
}

/* Adds to the figure in the department's row and in the school's. */
static void
count (Tally           *tally,
       guint            which,
       gint             row,
       CoopReportCount  figure)
{
  CoopReportRow *school = g_ptr_array_index (tally->report->rows, tally->school);

  school->counts[which][figure]++;
  if (row >= 0)
    ((CoopReportRow *) g_ptr_array_index (tally->report->rows, row))->counts[which][figure]++;
}

static void
count_partner (Tally *tally,
               guint  which,
               guint  row,
               gint   partner)
{
  guint8 *seen = &tally->partner_seen[which][(gsize) partner * tally->n_rows + row];

  if (*seen)
    return;
  *seen = TRUE;
  ((CoopReportRow *) g_ptr_array_index (tally->report->rows, row))
    ->counts[which][COOP_REPORT_PARTNERS_ACTIVE]++;
}

/* Counts a partner or student once for a figure, in the department's row
 * and the school's.  A student's department is always the same row. */
static void
count_once (Tally *tally,
            guint  which,
            gint   row,
            guint  distinct,
            gint   index)
{
  guint8 bit = (guint8) (1u << distinct);

  if (index < 0)
    return;

  if (distinct == DISTINCT_PARTNERS)
    {
      count_partner (tally, which, tally->school, index);
      if (row >= 0)
        count_partner (tally, which, (guint) row, index);
      return;
    }

  if (tally->student_seen[which][index] & bit)
    return;
  tally->student_seen[which][index] |= bit;
  count (tally, which, row, distinct_counts[distinct]);
}

static void
tally_agreements (Tally *tally)
{
  GPtrArray *agreements = tally->records->agreements;

  for (guint i = 0; agreements != NULL && i < agreements->len; i++)
    {
      CoopAgreement *agreement = g_ptr_array_index (agreements, i);
      CoopAgreementStatus status = coop_agreement_get_status (agreement);
      gint row = row_of_department (tally, coop_agreement_get_department_id (agreement));
      gint partner = coop_id_index_find (tally->partner_index,
                                         coop_agreement_get_partner_id (agreement));
      const char *start = coop_agreement_get_starts_on (agreement);
      const char *end = coop_agreement_get_ends_on (agreement);
      gboolean was_signed = status == COOP_AGREEMENT_STATUS_SIGNED ||
                            status == COOP_AGREEMENT_STATUS_ACTIVE ||
                            status == COOP_AGREEMENT_STATUS_EXPIRED;

      if (start == NULL)
        start = coop_agreement_get_signed_on (agreement);

      for (guint which = 0; which < 2; which++)
        {
          gboolean in_force = was_signed && start != NULL &&
                              strncmp (start, tally->to[which], 10) <= 0 &&
                              (end == NULL || strncmp (end, tally->from[which], 10) >= 0);

          if (was_signed && in_year (tally, which, coop_agreement_get_signed_on (agreement)))
            count (tally, which, row, COOP_REPORT_AGREEMENTS_SIGNED);
          if (!in_force)
            continue;

          count_once (tally, which, row, DISTINCT_PARTNERS, partner);
          switch (coop_agreement_get_kind (agreement))
            {
            case COOP_AGREEMENT_KIND_PRACTICE_BASE:
              count (tally, which, row, COOP_REPORT_PRACTICE_BASES);
              break;
            case COOP_AGREEMENT_KIND_INTERNSHIP_BASE:
              count (tally, which, row, COOP_REPORT_INTERNSHIP_BASES);
              break;
            case COOP_AGREEMENT_KIND_EMPLOYMENT_BASE:
              count (tally, which, row, COOP_REPORT_EMPLOYMENT_BASES);
              break;
            case COOP_AGREEMENT_KIND_JOINT_TRAINING:
            case COOP_AGREEMENT_KIND_INDUSTRY_PROJECT:
            case COOP_AGREEMENT_KIND_OTHER:
            default:
              break;
            }
        }
    }
}

static void
tally_events (Tally *tally)
{
  GPtrArray *events = tally->records->events;
  GPtrArray *agreements = tally->records->agreements;

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      CoopEvent *event = g_ptr_array_index (events, i);
      gint agreement = coop_id_index_find (tally->agreement_index,
                                           coop_event_get_agreement_id (event));
      gint partner = coop_id_index_find (tally->partner_index, coop_event_get_partner_id (event));
      guint kind = (guint) coop_event_get_kind (event);
      gint row = -1;

      if (agreement >= 0)
        row = row_of_department (tally, coop_agreement_get_department_id (
                                          g_ptr_array_index (agreements, (guint) agreement)));

      for (guint which = 0; which < 2; which++)
        {
          if (!in_year (tally, which, coop_event_get_starts_at (event)))
            continue;
          count (tally, which, row, COOP_REPORT_EVENTS);
          if (kind <= COOP_EVENT_KIND_OTHER)
            count (tally, which, row, COOP_REPORT_VISITS + kind);
          count_once (tally, which, row, DISTINCT_PARTNERS, partner);
        }
    }
}

/* One step of a candidate's history. */
static void
tally_step (Tally                *tally,
            const CandidateIndex *candidate,
            CoopCandidateStage    stage,
            const char           *date)
{
  for (guint which = 0; which < 2; which++)
    {
      if (!in_year (tally, which, date))
        continue;
      count_once (tally, which, candidate->row, DISTINCT_PARTNERS, candidate->partner);
      if (stage == COOP_CANDIDATE_STAGE_INTERNING)
        count_once (tally, which, candidate->row, DISTINCT_INTERNING, candidate->student);
      else if (stage == COOP_CANDIDATE_STAGE_HIRED)
        count_once (tally, which, candidate->row, DISTINCT_HIRED, candidate->student);
    }
}

static void
tally_candidates (Tally *tally)
{
  GPtrArray *candidates = tally->records->candidates;
  GPtrArray *changes = tally->records->stage_changes;
  GPtrArray *students = tally->records->students;
  guint n = candidates != NULL ? candidates->len : 0;
  g_autofree const char **began = g_new0 (const char *, n + 1);
  g_autofree CandidateIndex *index = g_new0 (CandidateIndex, n + 1);

  for (guint i = 0; i < n; i++)
    {
      CoopCandidate *candidate = g_ptr_array_index (candidates, i);

      index[i].student = coop_id_index_find (tally->student_index,
                                             coop_candidate_get_student_id (candidate));
      index[i].partner = coop_id_index_find (tally->partner_index,
                                             coop_candidate_get_partner_id (candidate));
      index[i].row = -1;
      if (index[i].student >= 0)
        index[i].row = row_of_department (tally, coop_student_get_department_id (
                                                   g_ptr_array_index (students,
                                                                      (guint) index[i].student)));
    }

  /* Every step of every history, and the day each candidacy began. */
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      CoopStageChange *change = g_ptr_array_index (changes, i);
      gint candidate = coop_id_index_find (tally->candidate_index,
                                           coop_stage_change_get_candidate_id (change));
      const char *date = coop_stage_change_get_changed_on (change);

      if (candidate < 0 || date == NULL)
        continue;
      tally_step (tally, &index[candidate], coop_stage_change_get_stage (change), date);
      if (began[candidate] == NULL || strncmp (date, began[candidate], 10) < 0)
        began[candidate] = date;
    }

  for (guint i = 0; i < n; i++)
    {
      CoopCandidate *candidate = g_ptr_array_index (candidates, i);

      /* Without a history, its present stage is all there is. */
      if (began[i] == NULL)
        {
          began[i] = coop_candidate_get_stage_on (candidate);
          tally_step (tally, &index[i], coop_candidate_get_stage (candidate), began[i]);
        }

      for (guint which = 0; which < 2; which++)
        if (in_year (tally, which, began[i]))
          count_once (tally, which, index[i].row, DISTINCT_RECOMMENDED, index[i].student);
    }
}

/* ------------------------------------------------------------------ public */

static void
report_row_free (CoopReportRow *row)
{
  g_free (row->name);
  g_free (row);
}

/**
 * coop_year_report_compute:
 * @records: every record the report reads
 * @kind: calendar or academic years
 * @year: the year it starts in
 *
 * Counts the year and the year before.  Reads @records only.
 *
 * Returns: (transfer full): the report
 */
CoopYearReport *
coop_year_report_compute (const CoopReportRecords *records,
                          CoopYearKind             kind,
                          int                      year)
{
  CoopYearReport *report = g_new0 (CoopYearReport, 1);
  GPtrArray *departments = records->departments;
  guint n_departments = departments != NULL ? departments->len : 0;
  Tally tally = { .records = records, .report = report };
  CoopReportRow *school;

  report->kind = kind;
  report->year = year;
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) report_row_free);
  coop_year_get_range (kind, year, &report->from, &report->to);
  coop_year_get_range (kind, year, &tally.from[0], &tally.to[0]);
  coop_year_get_range (kind, year - 1, &tally.from[1], &tally.to[1]);

  /* A row per department under the school, then the school's. */
  tally.department_index = coop_id_index_new (departments);
  tally.department_row = g_new (gint, MAX (n_departments, 1));
  for (guint i = 0; i < n_departments; i++)
    {
      CoopDepartment *department = g_ptr_array_index (departments, i);
      CoopReportRow *row;

      tally.department_row[i] = -1;
      if (coop_department_get_parent_id (department) <= 0)
        continue;
      row = g_new0 (CoopReportRow, 1);
      row->department_id = coop_record_get_id (COOP_RECORD (department));
      row->name = g_strdup (coop_department_get_name (department));
      tally.department_row[i] = (gint) report->rows->len;
      g_ptr_array_add (report->rows, row);
    }
  school = g_new0 (CoopReportRow, 1);
  school->name = g_strdup (_("School"));
  for (guint i = 0; departments != NULL && i < departments->len; i++)
    {
      CoopDepartment *department = g_ptr_array_index (departments, i);

      if (coop_department_get_parent_id (department) <= 0)
        {
          g_free (school->name);
          school->name = g_strdup (coop_department_get_name (department));
          break;
        }
    }
  tally.school = report->rows->len;
  g_ptr_array_add (report->rows, school);

  tally.agreement_index = coop_id_index_new (records->agreements);
  tally.student_index = coop_id_index_new (records->students);
  tally.partner_index = coop_id_index_new (records->partners);
  tally.candidate_index = coop_id_index_new (records->candidates);

  tally.n_rows = report->rows->len;
  for (guint which = 0; which < 2; which++)
    {
      tally.partner_seen[which] = g_new0 (guint8, (records->partners != NULL
                                                   ? records->partners->len : 0) * tally.n_rows + 1);
      tally.student_seen[which] = g_new0 (guint8, (records->students != NULL
                                                   ? records->students->len : 0) + 1);
    }

  tally_agreements (&tally);
  tally_events (&tally);
  tally_candidates (&tally);

  for (guint which = 0; which < 2; which++)
    {
      g_free (tally.partner_seen[which]);
      g_free (tally.student_seen[which]);
      g_free (tally.from[which]);
      g_free (tally.to[which]);
    }
  coop_id_index_free (tally.department_index);
  g_free (tally.department_row);
  coop_id_index_free (tally.agreement_index);
  coop_id_index_free (tally.student_index);
  coop_id_index_free (tally.partner_index);
  coop_id_index_free (tally.candidate_index);

  return report;
}

/**
 * coop_year_report_new:
 * @store: an open store; the lists the report reads are loaded if they
 *   are not yet
 *
 * Returns: (transfer full): the report of @year, or %NULL with @error set
 */
CoopYearReport *
coop_year_report_new (CoopStore     *store,
                      CoopYearKind   kind,
                      int            year,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const GType types[] = { COOP_TYPE_DEPARTMENT, COOP_TYPE_PARTNER, COOP_TYPE_AGREEMENT,
                          COOP_TYPE_EVENT, COOP_TYPE_STUDENT, COOP_TYPE_CANDIDATE };
  g_autoptr(GPtrArray) arrays = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) stage_changes = NULL;
  CoopReportRecords records;

  g_return_val_if_fail (COOP_IS_STORE (store), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GListModel *list;
      GPtrArray *array;
      guint n;

      if (!coop_store_get_loaded (store, types[i]) &&
          !coop_store_load (store, types[i], cancellable, error))
        return NULL;
      list = coop_store_get_list (store, types[i]);
      n = g_list_model_get_n_items (list);
      array = g_ptr_array_new_full (n, g_object_unref);
      for (guint j = 0; j < n; j++)
        g_ptr_array_add (array, g_list_model_get_item (list, j));
      g_ptr_array_add (arrays, array);
    }

  stage_changes = coop_store_read_all (store, COOP_TYPE_STAGE_CHANGE, cancellable, error);
  if (stage_changes == NULL)
    return NULL;

  records = (CoopReportRecords) {
    .departments = arrays->pdata[0],
    .partners = arrays->pdata[1],
    .agreements = arrays->pdata[2],
    .events = arrays->pdata[3],
    .students = arrays->pdata[4],
    .candidates = arrays->pdata[5],
    .stage_changes = stage_changes,
  };
  return coop_year_report_compute (&records, kind, year);
}

void
coop_year_report_free (CoopYearReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->rows);
  g_free (report->from);
  g_free (report->to);
  g_free (report);
}

/**
 * coop_year_report_get_school:
 *
 * Returns: (transfer none): the school's row, the last
 */
const CoopReportRow *
coop_year_report_get_school (const CoopYearReport *report)
{
  return g_ptr_array_index (report->rows, report->rows->len - 1);
}

/**
 * coop_report_row_get_change:
 *
 * Returns: the figure of the year less the year before's
 */
int
coop_report_row_get_change (const CoopReportRow *row,
                            CoopReportCount      count)
{
  return (int) row->counts[0][count] - (int) row->counts[1][count];
}

/**
 * coop_report_row_get_hiring_rate:
 * @which: 0 for the year, 1 for the year before
 *
 * Returns: students hired over students recommended, from 0; -1 when none
 *   was recommended
 */
double
coop_report_row_get_hiring_rate (const CoopReportRow *row,
                                 guint                which)
{
  g_return_val_if_fail (which < 2, -1);

  if (row->counts[which][COOP_REPORT_RECOMMENDED] == 0)
    return -1;
  return (double) row->counts[which][COOP_REPORT_HIRED] /
         row->counts[which][COOP_REPORT_RECOMMENDED];
}
