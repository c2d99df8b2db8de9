/* coop-export-summary.c — the workbook managers put on the meeting table
 *
 * Sheets: an overview (who, when, key figures, candidates by stage, hires
 * against quotas, agreements about to end, candidates by partner and stage,
 * two native charts), then one sheet each for partners (with each one's
 * main contact), agreements, events and candidates.
 *
 * The export works on the records the store already holds in memory: they
 * are taken on the caller's thread (the store's lists are main-thread
 * objects), then counted, sorted and written, in a thread for the window.
 * Nothing is copied but the indices of the rows in the date range, and
 * the records themselves when the window's thread writes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-export-private.h"
#include "coop-id-index.h"
#include "coop-partner.h"
#include "coop-record-list.h"
#include "coop-stage-change.h"
#include "coop-student.h"
#include "coop-text.h"

#define N_STAGES (COOP_CANDIDATE_STAGE_WITHDRAWN + 1)

/* The fields each sheet of records shows, around the columns it works out. */
#define PARTNER_FIELDS          8
#define CONTACT_FIELDS          4
#define AGREEMENT_FIELDS_BEFORE 8
#define AGREEMENT_FIELDS_AFTER  6
#define EVENT_FIELDS_BEFORE     8
#define EVENT_FIELDS_AFTER      3
#define CANDIDATE_FIELDS        9
#define STUDENT_FIELDS          2

/* Partners shown in the hires table and its chart. */
#define TOP_PARTNERS 10

/* Rows of the overview a chart covers, with its default height of 288
 * pixels over rows of 20. */
#define CHART_ROWS 16

typedef enum {
  STANDING_OTHER,     /* a draft, in negotiation, terminated */
  STANDING_IN_FORCE,
  STANDING_EXPIRING,  /* in force, ends within the warning window */
  STANDING_ENDED,     /* marked expired, or past its end but still marked in force */
} Standing;

typedef struct {
  guint agreements;
  guint in_force;
  guint quota;
  guint candidates;
  guint stages[N_STAGES];
  CoopRecord *contact;  /* the main contact: the one entered first */
} PartnerStats;

typedef struct {
  /* What to export */
  char        *path;
  char        *from;
  char        *to;
  gboolean     mask;
  guint        warning_days;
  CoopYearKind year_kind;
  int          year;

  /* When */
  GDateTime   *now;
  char        *today;          /* "YYYY-MM-DD" */
  char        *warn_until;
  GDate        today_date;

  /* The records, borrowed or copied (see take_records ()); each list
   * ordered by id */
  GPtrArray   *departments;
  GPtrArray   *partners;
  GPtrArray   *contacts;
  GPtrArray   *agreements;
  GPtrArray   *events;
  GPtrArray   *students;
  GPtrArray   *candidates;
  GPtrArray   *stage_changes;
  GPtrArray   *attendees;       /* all events' attendees, event after event */
  guint       *attendee_start;  /* event i's are [start[i], start[i + 1]) */

  /* Worked out in the thread */
  CoopIdIndex  *partner_index;  /* id → index into @partners */
  CoopIdIndex  *student_index;  /* id → index into @students */
  PartnerStats *stats;          /* per partner, in the order of @partners */
  Standing     *standing;       /* per agreement */
  GArray       *event_rows;     /* indices into @events in the range, by time */
  GArray       *candidate_rows; /* indices into @candidates in the range, grouped */
  guint         active_partners;
  guint         in_force;
  guint         expiring;
  guint         ended;
  guint         quota;
  guint64       students_attending;
  guint         stages[N_STAGES];
  CoopYearReport *report;
  GThread        *background;     /* see summary_background () */
} Summary;

/* ------------------------------------------------------------------ helpers */

static void summary_join_background (Summary *summary);

static void
summary_free (Summary *summary)
{
  summary_join_background (summary);
  g_free (summary->path);
  g_free (summary->from);
  g_free (summary->to);
  g_clear_pointer (&summary->now, g_date_time_unref);
  g_free (summary->today);
  g_free (summary->warn_until);
  g_clear_pointer (&summary->departments, g_ptr_array_unref);
  g_clear_pointer (&summary->partners, g_ptr_array_unref);
  g_clear_pointer (&summary->contacts, g_ptr_array_unref);
  g_clear_pointer (&summary->agreements, g_ptr_array_unref);
  g_clear_pointer (&summary->events, g_ptr_array_unref);
  g_clear_pointer (&summary->students, g_ptr_array_unref);
  g_clear_pointer (&summary->candidates, g_ptr_array_unref);
  g_clear_pointer (&summary->stage_changes, g_ptr_array_unref);
  g_clear_pointer (&summary->attendees, g_ptr_array_unref);
  g_free (summary->attendee_start);
  g_clear_pointer (&summary->partner_index, coop_id_index_free);
  g_clear_pointer (&summary->student_index, coop_id_index_free);
  g_free (summary->stats);
  g_free (summary->standing);
  g_clear_pointer (&summary->event_rows, g_array_unref);
  g_clear_pointer (&summary->candidate_rows, g_array_unref);
  g_clear_pointer (&summary->report, coop_year_report_free);
  g_free (summary);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Summary, summary_free)

static char *
normalize_option_date (const char  *text,
                       GError     **error)
{
  char *date;

  if (text == NULL || *text == '\0')
    return NULL;

  date = coop_text_normalize_date (text);
  if (date == NULL)
    {
      g_autofree char *owned = NULL;

      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("“%s” is not a date; write it as YYYY-MM-DD."),
                   coop_export_clean_text (text, &owned));
    }
  return date;
}

static Summary *
summary_new (const char                *path,
             const CoopSummaryOptions  *options,
             GError                   **error)
{
  g_autoptr(Summary) summary = g_new0 (Summary, 1);
  g_autoptr(GDateTime) until = NULL;
  CoopSummaryOptions defaults = { NULL, NULL, FALSE, 0, COOP_YEAR_CALENDAR, 0 };
  GError *local_error = NULL;

  if (options == NULL)
    options = &defaults;

  summary->path = g_strdup (path);
  summary->from = normalize_option_date (options->from, &local_error);
  if (local_error == NULL)
    summary->to = normalize_option_date (options->to, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (summary->from != NULL && summary->to != NULL && strcmp (summary->from, summary->to) > 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("The period starts on %s, after it ends on %s."), summary->from, summary->to);
      return NULL;
    }

  summary->year_kind = options->year_kind;
  summary->year = options->year;
  if (summary->year != 0)
    {
      if (summary->from != NULL || summary->to != NULL)
        {
          g_set_error_literal (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                               _("Give either a year or a period, not both."));
          return NULL;
        }
      coop_year_get_range (summary->year_kind, summary->year, &summary->from, &summary->to);
    }

  summary->mask = options->mask_personal;
  summary->warning_days = options->expiry_warning_days != 0
                          ? options->expiry_warning_days
                          : COOP_EXPORT_DEFAULT_EXPIRY_WARNING_DAYS;

  summary->now = g_date_time_new_now_local ();
  summary->today = g_date_time_format (summary->now, "%Y-%m-%d");
  until = g_date_time_add_days (summary->now, (int) MIN (summary->warning_days, 365 * 100));
  summary->warn_until = g_date_time_format (until, "%Y-%m-%d");
  if (summary->year == 0)
    summary->year = coop_year_of_date (summary->year_kind,
                                       summary->to != NULL ? summary->to : summary->today);
  g_date_set_dmy (&summary->today_date, (GDateDay) g_date_time_get_day_of_month (summary->now),
                  (GDateMonth) g_date_time_get_month (summary->now),
                  (GDateYear) g_date_time_get_year (summary->now));

  return g_steal_pointer (&summary);
}

/* The store changes its records in place when a save commits, on the main
 * thread; an export that runs in a worker thread therefore writes copies
 * (cheap: their strings are shared, reference-counted).  The synchronous
 * export of the command line reads the records themselves, borrowed: the
 * store's lists keep them, and nothing can change them while the caller's
 * thread is busy exporting. */
static GPtrArray *
take_records (GListModel *list,
              gboolean    copy)
{
  const GPtrArray *items = coop_record_list_peek_items (COOP_RECORD_LIST (list));
  GPtrArray *records = g_ptr_array_new_full (items->len, copy ? g_object_unref : NULL);

  if (!copy)
    {
      if (items->len > 0)
        {
          g_ptr_array_set_size (records, (gint) items->len);
          memcpy (records->pdata, items->pdata, items->len * sizeof (gpointer));
        }
      return records;
    }

  for (guint i = 0; i < items->len; i++)
    g_ptr_array_add (records, coop_record_copy (g_ptr_array_index (items, i)));
  return records;
}

/* Takes the records on the caller's thread, loading a list the store has
 * not loaded yet. */
static gboolean
summary_snapshot (Summary       *summary,
                  CoopStore     *store,
                  gboolean       copy,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const struct { GType type; GPtrArray **records; } lists[] = {
    { COOP_TYPE_DEPARTMENT, &summary->departments },
    { COOP_TYPE_PARTNER, &summary->partners },
    { COOP_TYPE_CONTACT, &summary->contacts },
    { COOP_TYPE_AGREEMENT, &summary->agreements },
    { COOP_TYPE_EVENT, &summary->events },
    { COOP_TYPE_STUDENT, &summary->students },
    { COOP_TYPE_CANDIDATE, &summary->candidates },
  };
  guint n_attendees = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      if (!coop_store_get_loaded (store, lists[i].type) &&
          !coop_store_load (store, lists[i].type, cancellable, error))
        return FALSE;
      *lists[i].records = take_records (coop_store_get_list (store, lists[i].type), copy);
    }

  /* Every candidate's history, for the Year sheet: new records, which the
   * store does not change. */
  summary->stage_changes = coop_store_read_all (store, COOP_TYPE_STAGE_CHANGE, cancellable, error);
  if (summary->stage_changes == NULL)
    return FALSE;

  /* An event's attendees are a list model of its own: taken here too. */
  summary->attendee_start = g_new0 (guint, summary->events->len + 1);
  for (guint i = 0; i < summary->events->len; i++)
    n_attendees += g_list_model_get_n_items (
      coop_event_get_attendees (g_ptr_array_index (summary->events, i)));

  /* Borrowed: the events taken above keep them. */
  summary->attendees = g_ptr_array_new_full (n_attendees, NULL);
  for (guint i = 0; i < summary->events->len; i++)
    {
      GListModel *attendees = coop_event_get_attendees (g_ptr_array_index (summary->events, i));
      guint n = g_list_model_get_n_items (attendees);

      summary->attendee_start[i] = summary->attendees->len;
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, j);

          g_ptr_array_add (summary->attendees, attendee);
        }
    }
  summary->attendee_start[summary->events->len] = summary->attendees->len;

  return TRUE;
}

static gboolean
in_period (Summary    *summary,
           const char *date)
{
  if (summary->from == NULL && summary->to == NULL)
    return TRUE;
  if (date == NULL)
    return FALSE;
  if (summary->from != NULL && strncmp (date, summary->from, 10) < 0)
    return FALSE;
  if (summary->to != NULL && strncmp (date, summary->to, 10) > 0)
    return FALSE;
  return TRUE;
}

static Standing
standing_of (Summary       *summary,
             CoopAgreement *agreement)
{
  CoopAgreementStatus status = coop_agreement_get_status (agreement);
  const char *ends_on = coop_agreement_get_ends_on (agreement);
  gboolean marked_in_force = status == COOP_AGREEMENT_STATUS_SIGNED ||
                             status == COOP_AGREEMENT_STATUS_ACTIVE;
  gboolean past_end = ends_on != NULL && strcmp (ends_on, summary->today) < 0;

  if (status == COOP_AGREEMENT_STATUS_EXPIRED || (marked_in_force && past_end))
    return STANDING_ENDED;
  if (!marked_in_force)
    return STANDING_OTHER;
  if (ends_on != NULL && strcmp (ends_on, summary->warn_until) <= 0)
    return STANDING_EXPIRING;
  return STANDING_IN_FORCE;
}

static int
compare_events (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  Summary *summary = data;
  CoopEvent *x = g_ptr_array_index (summary->events, *(const guint *) a);
  CoopEvent *y = g_ptr_array_index (summary->events, *(const guint *) b);
  int order = g_strcmp0 (coop_event_get_starts_at (x), coop_event_get_starts_at (y));

  return order != 0 ? order : (*(const guint *) a > *(const guint *) b) - (*(const guint *) a < *(const guint *) b);
}

/* Candidates by partner, pool, stage and student number. */
static int
compare_candidates (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  Summary *summary = data;
  CoopCandidate *x = g_ptr_array_index (summary->candidates, *(const guint *) a);
  CoopCandidate *y = g_ptr_array_index (summary->candidates, *(const guint *) b);
  const char *x_partner = coop_candidate_get_partner_name (x);
  const char *y_partner = coop_candidate_get_partner_name (y);
  gint64 x_pool = coop_candidate_get_pool_id (x);
  gint64 y_pool = coop_candidate_get_pool_id (y);
  int order;

  /* Derived names are interned: equal names are usually the same pointer. */
  if (x_partner != y_partner && (order = g_strcmp0 (x_partner, y_partner)) != 0)
    return order;
  if (x_pool != y_pool)
    return x_pool < y_pool ? -1 : 1;
  if (coop_candidate_get_stage (x) != coop_candidate_get_stage (y))
    return (int) coop_candidate_get_stage (x) - (int) coop_candidate_get_stage (y);
  return g_strcmp0 (coop_candidate_get_student_number (x), coop_candidate_get_student_number (y));
}

static void
summary_compute (Summary *summary)
{
  summary->partner_index = coop_id_index_new (summary->partners);
  summary->student_index = coop_id_index_new (summary->students);
  summary->stats = g_new0 (PartnerStats, summary->partners->len);
  summary->standing = g_new0 (Standing, summary->agreements->len);

  for (guint i = 0; i < summary->partners->len; i++)
    if (coop_partner_get_status (g_ptr_array_index (summary->partners, i)) ==
        COOP_PARTNER_STATUS_ACTIVE)
      summary->active_partners++;

  /* Each list is ordered by id, so the first contact met is the one
   * entered first. */
  for (guint i = 0; i < summary->contacts->len; i++)
    {
      CoopContact *contact = g_ptr_array_index (summary->contacts, i);
      gint partner = coop_id_index_find (summary->partner_index,
                                         coop_contact_get_partner_id (contact));

      if (partner >= 0 && summary->stats[partner].contact == NULL)
        summary->stats[partner].contact = COOP_RECORD (contact);
    }

  for (guint i = 0; i < summary->agreements->len; i++)
    {
      CoopAgreement *agreement = g_ptr_array_index (summary->agreements, i);
      gint partner = coop_id_index_find (summary->partner_index,
                                         coop_agreement_get_partner_id (agreement));
      Standing standing = summary->standing[i] = standing_of (summary, agreement);
      gboolean in_force = standing == STANDING_IN_FORCE || standing == STANDING_EXPIRING;
      guint quota = (guint) coop_agreement_get_intern_quota (agreement);

      summary->in_force += in_force;
      summary->expiring += standing == STANDING_EXPIRING;
      summary->ended += standing == STANDING_ENDED;
      if (in_force)
        summary->quota += quota;

      if (partner >= 0)
        {
          summary->stats[partner].agreements++;
          if (in_force)
            {
              summary->stats[partner].in_force++;
              summary->stats[partner].quota += quota;
            }
        }
    }

  summary->event_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < summary->events->len; i++)
    {
      CoopEvent *event = g_ptr_array_index (summary->events, i);

      if (!in_period (summary, coop_event_get_starts_at (event)))
        continue;
      g_array_append_val (summary->event_rows, i);
      summary->students_attending += (guint) coop_event_get_students_attending (event);
    }
  g_array_sort_with_data (summary->event_rows, compare_events, summary);

  summary->candidate_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < summary->candidates->len; i++)
    {
      CoopCandidate *candidate = g_ptr_array_index (summary->candidates, i);
      CoopCandidateStage stage = coop_candidate_get_stage (candidate);
      gint partner;

      if (!in_period (summary, coop_candidate_get_stage_on (candidate)) || stage >= N_STAGES)
        continue;
      g_array_append_val (summary->candidate_rows, i);
      summary->stages[stage]++;

      partner = coop_id_index_find (summary->partner_index,
                                    coop_candidate_get_partner_id (candidate));
      if (partner >= 0)
        {
          summary->stats[partner].candidates++;
          summary->stats[partner].stages[stage]++;
        }
    }
}

/* What only the Candidates and Year sheets need, which are written last:
 * worked out in a thread of its own while the other sheets are written.
 * It reads the records, and changes only what the other threads do not
 * touch until summary_join_background(). */
static gpointer
summary_background (gpointer data)
{
  Summary *summary = data;

  g_array_sort_with_data (summary->candidate_rows, compare_candidates, summary);

  summary->report = coop_year_report_compute (&(CoopReportRecords) {
                                                .departments = summary->departments,
                                                .partners = summary->partners,
                                                .agreements = summary->agreements,
                                                .events = summary->events,
                                                .students = summary->students,
                                                .candidates = summary->candidates,
                                                .stage_changes = summary->stage_changes,
                                              },
                                              summary->year_kind, summary->year);

  /* Needed for nothing else: let go of them here too. */
  g_clear_pointer (&summary->stage_changes, g_ptr_array_unref);
  return NULL;
}

static void
summary_join_background (Summary *summary)
{
  g_clear_pointer (&summary->background, g_thread_join);
}

/* The top-level departments: the school, or the schools. */
static char *
dup_school (Summary *summary)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < summary->departments->len; i++)
    {
      CoopDepartment *department = g_ptr_array_index (summary->departments, i);

      if (coop_department_get_parent_id (department) == 0 &&
          coop_department_get_name (department) != NULL)
        g_ptr_array_add (names, (gpointer) coop_department_get_name (department));
    }

  for (guint i = 0; i < MIN (names->len, 3); i++)
    {
      if (i > 0)
        /* TRANSLATORS: between the names of schools in a list */
        g_string_append (text, C_("list", ", "));
      g_string_append (text, g_ptr_array_index (names, i));
    }

  if (names->len > 3)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more school",
                                         "%s and %u more schools", names->len - 3),
                            text->str, names->len - 3);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
dup_period (Summary *summary)
{
  if (summary->from != NULL && summary->to != NULL)
    /* TRANSLATORS: a period of time, from the first date to the second */
    return g_strdup_printf (_("%s to %s"), summary->from, summary->to);
  if (summary->from != NULL)
    return g_strdup_printf (_("from %s"), summary->from);
  if (summary->to != NULL)
    return g_strdup_printf (_("until %s"), summary->to);
  return g_strdup (_("all dates"));
}

static const char *
field_label (GType       type,
             const char *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), name);

  g_assert (field != NULL);
  return g_dgettext (GETTEXT_PACKAGE, field->label);
}

static const CoopField *
find_field (GType       type,
            const char *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), name);

  /* Field tables are static: the pointer outlives the class reference. */
  g_assert (field != NULL);
  return field;
}

static const char *
stage_label (guint stage)
{
  return coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, (int) stage);
}

static CoopTint
tint_of (Standing standing)
{
  switch (standing)
    {
    case STANDING_EXPIRING:
      return COOP_TINT_WARNING;
    case STANDING_ENDED:
      return COOP_TINT_ALERT;
    case STANDING_OTHER:
    case STANDING_IN_FORCE:
    default:
      return COOP_TINT_NONE;
    }
}

/* Puts a record's @fields into @row from @column on. */
static guint
row_fields (CoopExportRow    *row,
            guint             column,
            CoopRecord       *record,
            const CoopField **fields,
            guint             n_fields,
            gboolean          mask,
            CoopTint          tint)
{
  for (guint i = 0; i < n_fields; i++)
    {
      CoopExportCell cell;

      coop_export_render_field (record, fields[i], mask, &cell);
      coop_export_row_cell (row, column + i, &cell, tint);
    }

  return column + n_fields;
}

/* Resolves @names of fields of @type; their labels go into @titles. */
static void
resolve_fields (GType              type,
                const char *const *names,
                guint              n_names,
                const CoopField  **fields,
                const char       **titles)
{
  for (guint i = 0; i < n_names; i++)
    {
      fields[i] = find_field (type, names[i]);
      titles[i] = field_label (type, names[i]);
    }
}

/* ------------------------------------------------------------------ overview */

typedef struct {
  Summary         *summary;
  CoopExportBook  *book;
  CoopExportSheet *sheet;
} Overview;

static void
overview_number (Overview   *overview,
                 guint       column,
                 double      value,
                 const char *format_name)
{
  lxw_format *format = coop_export_book_get_format (overview->book, format_name);

  coop_export_book_check (overview->book,
                          worksheet_write_number (coop_export_sheet_get_worksheet (overview->sheet),
                                                  coop_export_sheet_get_row (overview->sheet),
                                                  (lxw_col_t) column, value, format));
  coop_export_sheet_fit_width (overview->sheet, column, 8);
}

static void
overview_section (Overview   *overview,
                  const char *title,
                  guint       width)
{
  lxw_format *format = coop_export_book_get_format (overview->book, "section");

  coop_export_sheet_next_row (overview->sheet);
  coop_export_sheet_styled_text (overview->sheet, 0, title, format);
  /* The underline runs across the section's table. */
  for (guint i = 1; i < width; i++)
    coop_export_sheet_styled_text (overview->sheet, i, "", format);
  coop_export_sheet_next_row (overview->sheet);
}

static void
overview_figure (Overview   *overview,
                 const char *label,
                 double      value)
{
  coop_export_sheet_text (overview->sheet, 0, label, COOP_CELL_TEXT, COOP_TINT_NONE);
  overview_number (overview, 1, value, "figure");
  coop_export_sheet_next_row (overview->sheet);
}

static void
write_overview_heading (Overview *overview)
{
  Summary *summary = overview->summary;
  CoopExportSheet *sheet = overview->sheet;
  lxw_format *subtitle = coop_export_book_get_format (overview->book, "subtitle");
  g_autofree char *school = dup_school (summary);
  g_autofree char *period = dup_period (summary);
  g_autofree char *period_line = g_strdup_printf (_("Period: %s"), period);
  g_autofree char *stamp = g_date_time_format (summary->now, "%Y-%m-%d %H:%M");
  g_autofree char *stamp_line = g_strdup_printf (_("Exported on %s"), stamp);

  coop_export_sheet_styled_text (sheet, 0, _("School–enterprise cooperation summary"),
                                 coop_export_book_get_format (overview->book, "title"));
  coop_export_sheet_next_row (sheet);
  if (*school != '\0')
    {
      coop_export_sheet_styled_text (sheet, 0, school, subtitle);
      coop_export_sheet_next_row (sheet);
    }
  coop_export_sheet_styled_text (sheet, 0, period_line, subtitle);
  coop_export_sheet_next_row (sheet);
  coop_export_sheet_styled_text (sheet, 0, stamp_line, subtitle);
  coop_export_sheet_next_row (sheet);
  if (summary->mask)
    {
      coop_export_sheet_styled_text (sheet, 0,
                                     _("Phones, e-mail addresses and student numbers are partly "
                                       "hidden in this copy."), subtitle);
      coop_export_sheet_next_row (sheet);
    }
}

static void
write_key_figures (Overview *overview)
{
  Summary *summary = overview->summary;
  g_autofree char *expiring = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Agreements ending within %u day",
                                                            "Agreements ending within %u days",
                                                            summary->warning_days),
                                               summary->warning_days);
  guint hired = summary->stages[COOP_CANDIDATE_STAGE_HIRED];
  guint interning = summary->stages[COOP_CANDIDATE_STAGE_INTERNING];

  overview_section (overview, _("Key figures"), 2);
  overview_figure (overview, _("Partners"), summary->partners->len);
  overview_figure (overview, _("Active partners"), summary->active_partners);
  overview_figure (overview, _("Agreements in force"), summary->in_force);
  overview_figure (overview, expiring, summary->expiring);
  overview_figure (overview, _("Agreements past their end"), summary->ended);
  overview_figure (overview, _("Events in the period"), summary->event_rows->len);
  overview_figure (overview, _("Students attending events in the period"),
                   (double) summary->students_attending);
  overview_figure (overview, _("Candidates in the period"), summary->candidate_rows->len);
  overview_figure (overview, _("Hired"), hired);
  overview_figure (overview, _("Interning"), interning);
  overview_figure (overview, _("Yearly intern quota of agreements in force"), summary->quota);

  coop_export_sheet_text (overview->sheet, 0, _("Hired and interning against the quota"),
                          COOP_CELL_TEXT, COOP_TINT_NONE);
  if (summary->quota > 0)
    overview_number (overview, 1, (double) (hired + interning) / summary->quota, "figure-percent");
  else
    coop_export_sheet_text (overview->sheet, 1, _("no quota"), COOP_CELL_TEXT, COOP_TINT_NONE);
  coop_export_sheet_next_row (overview->sheet);
}

/* Returns the first and last row of the stage names, for the chart. */
static void
write_stage_table (Overview *overview,
                   guint    *first,
                   guint    *last)
{
  Summary *summary = overview->summary;
  CoopExportSheet *sheet = overview->sheet;
  const char *titles[] = { field_label (COOP_TYPE_CANDIDATE, "stage"), _("Candidates") };
  guint total = 0;

  overview_section (overview, _("Candidates by stage"), G_N_ELEMENTS (titles));
  coop_export_sheet_header (sheet, titles, G_N_ELEMENTS (titles));

  *first = coop_export_sheet_get_row (sheet);
  for (guint stage = 0; stage < N_STAGES; stage++)
    {
      coop_export_sheet_text (sheet, 0, stage_label (stage), COOP_CELL_TEXT, COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 1, summary->stages[stage], COOP_CELL_NUMBER, COOP_TINT_NONE);
      total += summary->stages[stage];
      *last = coop_export_sheet_get_row (sheet);
      coop_export_sheet_next_row (sheet);
    }

  coop_export_sheet_styled_text (sheet, 0, _("Total"),
                                 coop_export_book_get_format (overview->book, "total"));
  overview_number (overview, 1, total, "total");
  coop_export_sheet_next_row (sheet);
}

static int
compare_hires (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const PartnerStats *stats = data;
  const PartnerStats *x = &stats[*(const guint *) a];
  const PartnerStats *y = &stats[*(const guint *) b];
  guint x_hired = x->stages[COOP_CANDIDATE_STAGE_HIRED];
  guint y_hired = y->stages[COOP_CANDIDATE_STAGE_HIRED];
  guint x_interning = x->stages[COOP_CANDIDATE_STAGE_INTERNING];
  guint y_interning = y->stages[COOP_CANDIDATE_STAGE_INTERNING];

  if (x_hired != y_hired)
    return x_hired > y_hired ? -1 : 1;
  if (x_interning != y_interning)
    return x_interning > y_interning ? -1 : 1;
  if (x->quota != y->quota)
    return x->quota > y->quota ? -1 : 1;
  return (*(const guint *) a > *(const guint *) b) - (*(const guint *) a < *(const guint *) b);
}

static const char *
partner_short_name (CoopPartner *partner)
{
  const char *short_name = coop_partner_get_short_name (partner);

  return short_name != NULL && *short_name != '\0' ? short_name : coop_partner_get_name (partner);
}

/* The partners with the most hires; returns the rows for the chart. */
static void
write_hires_table (Overview *overview,
                   guint    *first,
                   guint    *last)
{
  Summary *summary = overview->summary;
  CoopExportSheet *sheet = overview->sheet;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *titles[] = {
    field_label (COOP_TYPE_AGREEMENT, "partner-id"), _("Hired"), _("Interning"),
    field_label (COOP_TYPE_AGREEMENT, "intern-quota"),
  };

  for (guint i = 0; i < summary->partners->len; i++)
    {
      PartnerStats *stats = &summary->stats[i];

      if (stats->stages[COOP_CANDIDATE_STAGE_HIRED] + stats->stages[COOP_CANDIDATE_STAGE_INTERNING] +
          stats->quota > 0)
        g_array_append_val (order, i);
    }
  g_array_sort_with_data (order, compare_hires, summary->stats);

  overview_section (overview, _("Hires and interns against quotas, by partner"),
                    G_N_ELEMENTS (titles));
  coop_export_sheet_header (sheet, titles, G_N_ELEMENTS (titles));

  *first = *last = coop_export_sheet_get_row (sheet);
  if (order->len == 0)
    {
      coop_export_sheet_text (sheet, 0, _("No hires, interns or quotas yet"), COOP_CELL_TEXT,
                              COOP_TINT_NONE);
      coop_export_sheet_next_row (sheet);
      return;
    }

  for (guint i = 0; i < MIN (order->len, TOP_PARTNERS); i++)
    {
      guint index = g_array_index (order, guint, i);
      PartnerStats *stats = &summary->stats[index];

      coop_export_sheet_text (sheet, 0, partner_short_name (g_ptr_array_index (summary->partners,
                                                                               index)),
                              COOP_CELL_TEXT, COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 1, stats->stages[COOP_CANDIDATE_STAGE_HIRED],
                                COOP_CELL_NUMBER, COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 2, stats->stages[COOP_CANDIDATE_STAGE_INTERNING],
                                COOP_CELL_NUMBER, COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 3, stats->quota, COOP_CELL_NUMBER, COOP_TINT_NONE);
      *last = coop_export_sheet_get_row (sheet);
      coop_export_sheet_next_row (sheet);
    }

  if (order->len > TOP_PARTNERS)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more partner: see the Partners sheet",
                                                            "%u more partners: see the Partners sheet",
                                                            order->len - TOP_PARTNERS),
                                               order->len - TOP_PARTNERS);

      coop_export_sheet_styled_text (sheet, 0, more,
                                     coop_export_book_get_format (overview->book, "subtitle"));
      coop_export_sheet_next_row (sheet);
    }
}

static int
compare_ends_on (gconstpointer a,
                 gconstpointer b)
{
  CoopAgreement *x = *(CoopAgreement **) a;
  CoopAgreement *y = *(CoopAgreement **) b;

  return g_strcmp0 (coop_agreement_get_ends_on (x), coop_agreement_get_ends_on (y));
}

static int
days_until (Summary    *summary,
            const char *date)
{
  lxw_datetime parsed;
  GDate then;

  if (!coop_export_parse_date (date, &parsed, NULL))
    return 0;

  g_date_clear (&then, 1);
  g_date_set_dmy (&then, parsed.day, parsed.month, (GDateYear) parsed.year);
  return g_date_days_between (&summary->today_date, &then);
}

static void
write_expiring_table (Overview *overview)
{
  Summary *summary = overview->summary;
  CoopExportSheet *sheet = overview->sheet;
  g_autoptr(GPtrArray) expiring = g_ptr_array_new ();
  g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "Agreements ending within %u day",
                                                         "Agreements ending within %u days",
                                                         summary->warning_days),
                                            summary->warning_days);
  const char *titles[] = {
    field_label (COOP_TYPE_AGREEMENT, "partner-id"), _("Agreement"),
    field_label (COOP_TYPE_AGREEMENT, "ends-on"), _("Days left"),
  };

  for (guint i = 0; i < summary->agreements->len; i++)
    if (summary->standing[i] == STANDING_EXPIRING)
      g_ptr_array_add (expiring, g_ptr_array_index (summary->agreements, i));
  g_ptr_array_sort (expiring, compare_ends_on);

  overview_section (overview, title, G_N_ELEMENTS (titles));
  coop_export_sheet_header (sheet, titles, G_N_ELEMENTS (titles));

  if (expiring->len == 0)
    {
      coop_export_sheet_text (sheet, 0, _("None"), COOP_CELL_TEXT, COOP_TINT_NONE);
      coop_export_sheet_next_row (sheet);
      return;
    }

  for (guint i = 0; i < expiring->len; i++)
    {
      CoopAgreement *agreement = g_ptr_array_index (expiring, i);

      coop_export_sheet_text (sheet, 0, coop_agreement_get_partner_name (agreement),
                              COOP_CELL_TEXT, COOP_TINT_WARNING);
      coop_export_sheet_text (sheet, 1, coop_agreement_get_title (agreement), COOP_CELL_TEXT,
                              COOP_TINT_WARNING);
      coop_export_sheet_date (sheet, 2, coop_agreement_get_ends_on (agreement), COOP_TINT_WARNING);
      coop_export_sheet_number (sheet, 3,
                                days_until (summary, coop_agreement_get_ends_on (agreement)),
                                COOP_CELL_NUMBER, COOP_TINT_WARNING);
      coop_export_sheet_next_row (sheet);
    }
}

static int
compare_partner_totals (gconstpointer a,
                        gconstpointer b,
                        gpointer      data)
{
  const PartnerStats *stats = data;
  guint x = stats[*(const guint *) a].candidates;
  guint y = stats[*(const guint *) b].candidates;

  if (x != y)
    return x > y ? -1 : 1;
  return (*(const guint *) a > *(const guint *) b) - (*(const guint *) a < *(const guint *) b);
}

static gboolean
write_partner_stage_table (Overview       *overview,
                           CoopExportJob  *job,
                           GError        **error)
{
  Summary *summary = overview->summary;
  CoopExportSheet *sheet = overview->sheet;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *titles[N_STAGES + 2];
  guint totals[N_STAGES] = { 0 };
  guint total = 0;

  titles[0] = field_label (COOP_TYPE_AGREEMENT, "partner-id");
  for (guint stage = 0; stage < N_STAGES; stage++)
    titles[stage + 1] = stage_label (stage);
  titles[N_STAGES + 1] = _("Total");

  for (guint i = 0; i < summary->partners->len; i++)
    if (summary->stats[i].candidates > 0)
      g_array_append_val (order, i);
  g_array_sort_with_data (order, compare_partner_totals, summary->stats);

  overview_section (overview, _("Candidates by partner and stage"), G_N_ELEMENTS (titles));
  coop_export_sheet_header (sheet, titles, G_N_ELEMENTS (titles));

  for (guint i = 0; i < order->len; i++)
    {
      guint index = g_array_index (order, guint, i);
      PartnerStats *stats = &summary->stats[index];

      coop_export_sheet_text (sheet, 0, coop_partner_get_name (g_ptr_array_index (summary->partners,
                                                                                  index)),
                              COOP_CELL_TEXT, COOP_TINT_NONE);
      for (guint stage = 0; stage < N_STAGES; stage++)
        {
          coop_export_sheet_number (sheet, stage + 1, stats->stages[stage], COOP_CELL_NUMBER,
                                    COOP_TINT_NONE);
          totals[stage] += stats->stages[stage];
        }
      coop_export_sheet_number (sheet, N_STAGES + 1, stats->candidates, COOP_CELL_NUMBER,
                                COOP_TINT_NONE);
      total += stats->candidates;
      coop_export_sheet_next_row (sheet);

      if (!coop_export_job_step (job, 1, error))
        return FALSE;
    }

  coop_export_sheet_styled_text (sheet, 0, _("Total"),
                                 coop_export_book_get_format (overview->book, "total"));
  for (guint stage = 0; stage < N_STAGES; stage++)
    overview_number (overview, stage + 1, totals[stage], "total");
  overview_number (overview, N_STAGES + 1, total, "total");
  coop_export_sheet_next_row (sheet);

  return TRUE;
}

static lxw_chart *
add_chart (Overview   *overview,
           uint8_t     type,
           const char *title)
{
  lxw_chart *chart = workbook_add_chart (coop_export_book_get_workbook (overview->book), type);

  if (chart == NULL)
    {
      coop_export_book_check (overview->book, LXW_ERROR_MEMORY_MALLOC_FAILED);
      return NULL;
    }

  chart_title_set_name (chart, title);
  return chart;
}

static void
add_series (Overview   *overview,
            lxw_chart  *chart,
            const char *name,
            guint       first,
            guint       last,
            guint       column)
{
  const char *sheet_name = coop_export_sheet_get_name (overview->sheet);
  lxw_chart_series *series = chart_add_series (chart, NULL, NULL);

  if (series == NULL)
    {
      coop_export_book_check (overview->book, LXW_ERROR_MEMORY_MALLOC_FAILED);
      return;
    }

  chart_series_set_categories (series, sheet_name, (lxw_row_t) first, 0, (lxw_row_t) last, 0);
  chart_series_set_values (series, sheet_name, (lxw_row_t) first, (lxw_col_t) column,
                           (lxw_row_t) last, (lxw_col_t) column);
  chart_series_set_name (series, name);
}

/* Counts are whole: with small ones, step the axis by one instead of
 * showing 0.5. */
static void
set_count_axis (lxw_chart *chart,
                guint      largest)
{
  chart_axis_set_num_format (chart->y_axis, "#,##0");
  chart_axis_set_min (chart->y_axis, 0);
  if (largest <= 10)
    chart_axis_set_major_unit (chart->y_axis, 1);
}

static void
insert_chart (Overview  *overview,
              lxw_chart *chart,
              guint      row,
              guint      column)
{
  lxw_chart_options options = { .x_offset = 8, .y_offset = 4, .x_scale = 1.25, .y_scale = 1.0 };

  coop_export_book_check (overview->book,
                          worksheet_insert_chart_opt (coop_export_sheet_get_worksheet (overview->sheet),
                                                      (lxw_row_t) row, (lxw_col_t) column, chart,
                                                      &options));
}

static gboolean
write_overview (Summary         *summary,
                CoopExportBook  *book,
                CoopExportJob   *job,
                GError         **error)
{
  Overview overview = { summary, book, NULL };
  guint stage_first = 0, stage_last = 0, hires_first = 0, hires_last = 0;
  guint charts_row;
  lxw_chart *chart;

  overview.sheet = coop_export_book_add_sheet (book, _("Overview"), FALSE);
  if (overview.sheet == NULL)
    return TRUE;

  write_overview_heading (&overview);
  charts_row = coop_export_sheet_get_row (overview.sheet) + 1;
  write_key_figures (&overview);
  write_stage_table (&overview, &stage_first, &stage_last);
  write_hires_table (&overview, &hires_first, &hires_last);
  write_expiring_table (&overview);

  /* The charts stand right of the narrow tables above, clear of the wide
   * one below. */
  coop_export_sheet_set_row (overview.sheet, MAX (coop_export_sheet_get_row (overview.sheet),
                                                  charts_row + 2 * CHART_ROWS + 1));
  if (!write_partner_stage_table (&overview, job, error))
    return FALSE;

  chart = add_chart (&overview, LXW_CHART_COLUMN, _("Candidates by stage"));
  if (chart != NULL)
    {
      guint largest = 0;

      for (guint stage = 0; stage < N_STAGES; stage++)
        largest = MAX (largest, summary->stages[stage]);
      add_series (&overview, chart, _("Candidates"), stage_first, stage_last, 1);
      chart_legend_set_position (chart, LXW_CHART_LEGEND_NONE);
      set_count_axis (chart, largest);
      insert_chart (&overview, chart, charts_row, 5);
    }

  chart = add_chart (&overview, LXW_CHART_COLUMN, _("Hires per partner"));
  if (chart != NULL)
    {
      add_series (&overview, chart, _("Hired"), hires_first, hires_last, 1);
      guint largest = 0;

      for (guint i = 0; i < summary->partners->len; i++)
        largest = MAX (largest, MAX (summary->stats[i].stages[COOP_CANDIDATE_STAGE_HIRED],
                                     summary->stats[i].stages[COOP_CANDIDATE_STAGE_INTERNING]));
      add_series (&overview, chart, _("Interning"), hires_first, hires_last, 2);
      chart_legend_set_position (chart, LXW_CHART_LEGEND_BOTTOM);
      set_count_axis (chart, largest);
      insert_chart (&overview, chart, charts_row + CHART_ROWS, 5);
    }

  coop_export_sheet_finish (overview.sheet);
  return TRUE;
}

/* ------------------------------------------------------------------ year */

/* The school's figures, the year against the year before; returns the
 * rows of the figures, for the chart. */
static void
write_year_school (Overview             *year,
                   const CoopReportRow  *school,
                   const char           *title,
                   const char           *before,
                   guint                *first,
                   guint                *last)
{
  CoopExportSheet *sheet = year->sheet;
  const char *titles[] = { _("Figure"), title, before, _("Change") };

  overview_section (year, school->name, G_N_ELEMENTS (titles));
  coop_export_sheet_header (sheet, titles, G_N_ELEMENTS (titles));

  *first = coop_export_sheet_get_row (sheet);
  for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
    {
      coop_export_sheet_text (sheet, 0, coop_report_count_get_label (c), COOP_CELL_TEXT,
                              COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 1, school->counts[0][c], COOP_CELL_NUMBER, COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 2, school->counts[1][c], COOP_CELL_NUMBER, COOP_TINT_NONE);
      coop_export_sheet_number (sheet, 3, coop_report_row_get_change (school, c), COOP_CELL_CHANGE,
                                COOP_TINT_NONE);
      *last = coop_export_sheet_get_row (sheet);
      coop_export_sheet_next_row (sheet);
    }

  coop_export_sheet_text (sheet, 0, _("Hiring rate"), COOP_CELL_TEXT, COOP_TINT_NONE);
  for (guint which = 0; which < 2; which++)
    {
      double rate = coop_report_row_get_hiring_rate (school, which);

      if (rate >= 0)
        coop_export_sheet_number (sheet, 1 + which, rate, COOP_CELL_PERCENT, COOP_TINT_NONE);
      else
        coop_export_sheet_blank (sheet, 1 + which, COOP_TINT_NONE);
    }
  coop_export_sheet_next_row (sheet);
}

/* A row per department and the school's, each figure a column: the year's
 * figures, or with @change their change against the year before.  Returns
 * the rows of the departments, for the chart. */
static void
write_year_departments (Overview             *year,
                        const CoopYearReport *report,
                        const char           *section,
                        gboolean              change,
                        guint                *first,
                        guint                *last)
{
  CoopExportSheet *sheet = year->sheet;
  const char *titles[1 + COOP_REPORT_N_COUNTS + 1];
  guint n_titles = 0;

  titles[n_titles++] = _("Department");
  for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
    titles[n_titles++] = coop_report_count_get_label (c);
  if (!change)
    titles[n_titles++] = _("Hiring rate");

  overview_section (year, section, n_titles);
  coop_export_sheet_header (sheet, titles, n_titles);

  *first = *last = coop_export_sheet_get_row (sheet);
  for (guint i = 0; i < report->rows->len; i++)
    {
      const CoopReportRow *row = g_ptr_array_index (report->rows, i);
      gboolean school = i + 1 == report->rows->len;
      double rate = coop_report_row_get_hiring_rate (row, 0);

      if (school)
        coop_export_sheet_styled_text (sheet, 0, row->name,
                                       coop_export_book_get_format (year->book, "total"));
      else
        coop_export_sheet_text (sheet, 0, row->name, COOP_CELL_TEXT, COOP_TINT_NONE);

      for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
        {
          if (change)
            coop_export_sheet_number (sheet, 1 + c, coop_report_row_get_change (row, c),
                                      COOP_CELL_CHANGE, COOP_TINT_NONE);
          else if (school)
            overview_number (year, 1 + c, row->counts[0][c], "total");
          else
            coop_export_sheet_number (sheet, 1 + c, row->counts[0][c], COOP_CELL_NUMBER,
                                      COOP_TINT_NONE);
        }
      if (!change && rate >= 0)
        coop_export_sheet_number (sheet, 1 + COOP_REPORT_N_COUNTS, rate, COOP_CELL_PERCENT,
                                  COOP_TINT_NONE);
      else if (!change)
        coop_export_sheet_blank (sheet, 1 + COOP_REPORT_N_COUNTS, COOP_TINT_NONE);

      if (!school)
        *last = coop_export_sheet_get_row (sheet);
      coop_export_sheet_next_row (sheet);
    }
}

static gboolean
write_year (Summary          *summary,
            CoopExportBook   *book,
            CoopExportSheet  *sheet,
            CoopExportJob    *job,
            GError          **error)
{
  Overview year = { summary, book, sheet };
  const CoopYearReport *report = summary->report;
  const CoopReportRow *school = coop_year_report_get_school (report);
  g_autofree char *title = coop_year_dup_title (report->kind, report->year);
  g_autofree char *before = coop_year_dup_title (report->kind, report->year - 1);
  g_autofree char *heading = NULL;
  g_autofree char *range = NULL;
  g_autofree char *by_department = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *against = NULL;
  lxw_format *subtitle = coop_export_book_get_format (book, "subtitle");
  guint school_first = 0, school_last = 0, first = 0, last = 0, ignored = 0;
  guint charts_row;
  lxw_chart *chart;

  /* After a failure to write the book, which closing it reports. */
  if (sheet == NULL)
    return TRUE;

  heading = g_strdup_printf (report->kind == COOP_YEAR_ACADEMIC
                             ? _("Cooperation in the academic year %s")
                             : _("Cooperation in %s"), title);
  range = g_strdup_printf (_("From %s to %s, against the year before"), report->from, report->to);
  coop_export_sheet_styled_text (year.sheet, 0, heading,
                                 coop_export_book_get_format (book, "title"));
  coop_export_sheet_next_row (year.sheet);
  coop_export_sheet_styled_text (year.sheet, 0, range, subtitle);
  coop_export_sheet_next_row (year.sheet);

  write_year_school (&year, school, title, before, &school_first, &school_last);

  by_department = g_strdup_printf (_("By department, %s"), title);
  write_year_departments (&year, report, by_department, FALSE, &first, &last);
  changes = g_strdup_printf (_("Change against %s"), before);
  write_year_departments (&year, report, changes, TRUE, &ignored, &ignored);
  charts_row = coop_export_sheet_get_row (year.sheet) + 1;

  against = g_strdup_printf (_("%s against %s"), title, before);
  chart = add_chart (&year, LXW_CHART_BAR, against);
  if (chart != NULL)
    {
      guint largest = 0;

      for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
        largest = MAX (largest, MAX (school->counts[0][c], school->counts[1][c]));
      add_series (&year, chart, title, school_first, school_last, 1);
      add_series (&year, chart, before, school_first, school_last, 2);
      /* A bar chart's values run along its x axis; the first figure at
       * the top, as in the table. */
      chart_axis_set_reverse (chart->y_axis);
      chart_legend_set_position (chart, LXW_CHART_LEGEND_BOTTOM);
      chart_axis_set_num_format (chart->x_axis, "#,##0");
      chart_axis_set_min (chart->x_axis, 0);
      if (largest <= 10)
        chart_axis_set_major_unit (chart->x_axis, 1);
      insert_chart (&year, chart, charts_row, 0);
    }

  if (report->rows->len > 1)
    chart = add_chart (&year, LXW_CHART_COLUMN, _("Students by department"));
  else
    chart = NULL;
  if (chart != NULL)
    {
      const CoopReportCount students[] = {
        COOP_REPORT_RECOMMENDED, COOP_REPORT_INTERNING, COOP_REPORT_HIRED,
      };
      guint largest = 0;

      for (guint i = 0; i + 1 < report->rows->len; i++)
        for (guint j = 0; j < G_N_ELEMENTS (students); j++)
          largest = MAX (largest, ((const CoopReportRow *) g_ptr_array_index (report->rows, i))
                                    ->counts[0][students[j]]);
      for (guint j = 0; j < G_N_ELEMENTS (students); j++)
        add_series (&year, chart, coop_report_count_get_label (students[j]), first, last,
                    1 + students[j]);
      chart_legend_set_position (chart, LXW_CHART_LEGEND_BOTTOM);
      set_count_axis (chart, largest);
      insert_chart (&year, chart, charts_row, 6);
    }

  coop_export_sheet_finish (year.sheet);
  return coop_export_job_step (job, 0, error);
}

/* ------------------------------------------------------------------ sheets */

/* What the rows of one sheet are made of; read by the thread that prepares
 * them. */
typedef struct {
  Summary         *summary;
  const CoopField *fields[12];
  const CoopField *more_fields[8];
  const CoopField *notes;
} SheetRows;

G_STATIC_ASSERT (MAX (MAX (PARTNER_FIELDS, AGREEMENT_FIELDS_BEFORE),
                      MAX (EVENT_FIELDS_BEFORE, CANDIDATE_FIELDS)) <= 12);
G_STATIC_ASSERT (MAX (MAX (CONTACT_FIELDS, AGREEMENT_FIELDS_AFTER),
                      MAX (EVENT_FIELDS_AFTER, STUDENT_FIELDS)) <= 8);

static void
partner_row (CoopExportRow *row,
             guint          index,
             gpointer       data)
{
  SheetRows *rows = data;
  Summary *summary = rows->summary;
  CoopRecord *partner = g_ptr_array_index (summary->partners, index);
  PartnerStats *stats = &summary->stats[index];
  guint column = row_fields (row, 0, partner, rows->fields, PARTNER_FIELDS, FALSE, COOP_TINT_NONE);

  /* The main contact's, or blanks. */
  if (stats->contact != NULL)
    row_fields (row, column, stats->contact, rows->more_fields, CONTACT_FIELDS, summary->mask,
                COOP_TINT_NONE);
  column += CONTACT_FIELDS;

  coop_export_row_number (row, column++, stats->agreements, COOP_CELL_NUMBER, COOP_TINT_NONE);
  coop_export_row_number (row, column++, stats->in_force, COOP_CELL_NUMBER, COOP_TINT_NONE);
  coop_export_row_number (row, column++, stats->candidates, COOP_CELL_NUMBER, COOP_TINT_NONE);
  coop_export_row_number (row, column++, stats->stages[COOP_CANDIDATE_STAGE_HIRED],
                          COOP_CELL_NUMBER, COOP_TINT_NONE);
  row_fields (row, column, partner, &rows->notes, 1, FALSE, COOP_TINT_NONE);
}

static gboolean
write_partners (Summary         *summary,
                CoopExportBook  *book,
                CoopExportJob   *job,
                GError         **error)
{
  static const char *const names[PARTNER_FIELDS] = {
    "name", "short-name", "credit-code", "industry", "city", "address", "website", "status",
  };
  static const char *const contact_names[CONTACT_FIELDS] = { "name", "title", "phone", "email" };
  SheetRows rows = { .summary = summary };
  const char *titles[PARTNER_FIELDS + CONTACT_FIELDS + 5];
  guint n_titles = PARTNER_FIELDS + CONTACT_FIELDS;

  resolve_fields (COOP_TYPE_PARTNER, names, PARTNER_FIELDS, rows.fields, titles);
  resolve_fields (COOP_TYPE_CONTACT, contact_names, CONTACT_FIELDS, rows.more_fields,
                  titles + PARTNER_FIELDS);
  rows.notes = find_field (COOP_TYPE_PARTNER, "notes");
  /* "Name" and "Title" alone would read as the partner's. */
  titles[PARTNER_FIELDS] = _("Main contact");
  titles[PARTNER_FIELDS + 1] = _("Contact's title");
  titles[n_titles++] = _("Agreements");
  titles[n_titles++] = _("Agreements in force");
  titles[n_titles++] = _("Candidates");
  titles[n_titles++] = _("Hired");
  titles[n_titles++] = field_label (COOP_TYPE_PARTNER, "notes");

  return coop_export_book_write_table (book, _("Partners"), titles, n_titles,
                                       summary->partners->len, partner_row, &rows, job, error);
}

static void
agreement_row (CoopExportRow *row,
               guint          index,
               gpointer       data)
{
  SheetRows *rows = data;
  Summary *summary = rows->summary;
  CoopAgreement *agreement = g_ptr_array_index (summary->agreements, index);
  Standing standing = summary->standing[index];
  CoopTint tint = tint_of (standing);
  const char *ends_on = coop_agreement_get_ends_on (agreement);
  guint column = row_fields (row, 0, COOP_RECORD (agreement), rows->fields,
                             AGREEMENT_FIELDS_BEFORE, FALSE, tint);

  /* Days left only mean something for an agreement still held to run. */
  if (standing != STANDING_OTHER &&
      coop_agreement_get_status (agreement) != COOP_AGREEMENT_STATUS_EXPIRED && ends_on != NULL)
    coop_export_row_number (row, column, days_until (summary, ends_on), COOP_CELL_NUMBER, tint);
  else
    coop_export_row_blank (row, column, tint);

  row_fields (row, column + 1, COOP_RECORD (agreement), rows->more_fields,
              AGREEMENT_FIELDS_AFTER, FALSE, tint);
}

static gboolean
write_agreements (Summary         *summary,
                  CoopExportBook  *book,
                  CoopExportJob   *job,
                  GError         **error)
{
  static const char *const before[AGREEMENT_FIELDS_BEFORE] = {
    "partner-name", "department-name", "title", "kind", "status", "signed-on", "starts-on",
    "ends-on",
  };
  static const char *const after[AGREEMENT_FIELDS_AFTER] = {
    "school-signatory", "partner-signatory", "intern-quota", "commitments", "plaque-on", "notes",
  };
  SheetRows rows = { .summary = summary };
  const char *titles[AGREEMENT_FIELDS_BEFORE + 1 + AGREEMENT_FIELDS_AFTER];

  resolve_fields (COOP_TYPE_AGREEMENT, before, AGREEMENT_FIELDS_BEFORE, rows.fields, titles);
  titles[AGREEMENT_FIELDS_BEFORE] = _("Days left");
  resolve_fields (COOP_TYPE_AGREEMENT, after, AGREEMENT_FIELDS_AFTER, rows.more_fields,
                  titles + AGREEMENT_FIELDS_BEFORE + 1);

  return coop_export_book_write_table (book, _("Agreements"), titles, G_N_ELEMENTS (titles),
                                       summary->agreements->len, agreement_row, &rows, job, error);
}

static char *
dup_attendees (Summary *summary,
               guint    event)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = summary->attendee_start[event]; i < summary->attendee_start[event + 1]; i++)
    {
      CoopAttendee *attendee = g_ptr_array_index (summary->attendees, i);
      const char *title = coop_attendee_get_title (attendee);
      const char *organization = coop_attendee_get_organization (attendee);
      g_autoptr(GString) who = g_string_new (coop_attendee_get_name (attendee));

      if (title != NULL && *title != '\0')
        g_string_append_printf (who, " · %s", title);
      if (organization != NULL && *organization != '\0')
        g_string_append_printf (who, " · %s", organization);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: an attendee and, in brackets, their role: "Chen Zhihua (Host)" */
      g_string_append_printf (text, C_("attendee", "%s (%s)"), who->str,
                              coop_enum_get_label (COOP_TYPE_ATTENDEE_ROLE,
                                                   coop_attendee_get_role (attendee)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
event_row (CoopExportRow *row,
           guint          index,
           gpointer       data)
{
  SheetRows *rows = data;
  Summary *summary = rows->summary;
  guint event = g_array_index (summary->event_rows, guint, index);
  CoopRecord *record = g_ptr_array_index (summary->events, event);
  guint column = row_fields (row, 0, record, rows->fields, EVENT_FIELDS_BEFORE, FALSE,
                             COOP_TINT_NONE);

  coop_export_row_take_text (row, column, dup_attendees (summary, event), COOP_CELL_WRAP,
                             COOP_TINT_NONE);
  row_fields (row, column + 1, record, rows->more_fields, EVENT_FIELDS_AFTER, FALSE,
              COOP_TINT_NONE);
}

static gboolean
write_events (Summary         *summary,
              CoopExportBook  *book,
              CoopExportJob   *job,
              GError         **error)
{
  static const char *const before[EVENT_FIELDS_BEFORE] = {
    "kind", "title", "starts-at", "location", "partner-name", "agreement-title", "chair",
    "students-attending",
  };
  static const char *const after[EVENT_FIELDS_AFTER] = { "summary", "outcomes", "follow-up-on" };
  SheetRows rows = { .summary = summary };
  const char *titles[EVENT_FIELDS_BEFORE + 1 + EVENT_FIELDS_AFTER];

  resolve_fields (COOP_TYPE_EVENT, before, EVENT_FIELDS_BEFORE, rows.fields, titles);
  titles[EVENT_FIELDS_BEFORE] = _("Attendees");
  resolve_fields (COOP_TYPE_EVENT, after, EVENT_FIELDS_AFTER, rows.more_fields,
                  titles + EVENT_FIELDS_BEFORE + 1);

  return coop_export_book_write_table (book, _("Events"), titles, G_N_ELEMENTS (titles),
                                       summary->event_rows->len, event_row, &rows, job, error);
}

static void
candidate_row (CoopExportRow *row,
               guint          index,
               gpointer       data)
{
  SheetRows *rows = data;
  Summary *summary = rows->summary;
  CoopRecord *candidate = g_ptr_array_index (summary->candidates,
                                             g_array_index (summary->candidate_rows, guint, index));
  gint student = coop_id_index_find (summary->student_index,
                                     coop_candidate_get_student_id (COOP_CANDIDATE (candidate)));
  guint column = row_fields (row, 0, candidate, rows->fields, CANDIDATE_FIELDS, summary->mask,
                             COOP_TINT_NONE);

  if (student >= 0)
    row_fields (row, column, g_ptr_array_index (summary->students, student), rows->more_fields,
                STUDENT_FIELDS, summary->mask, COOP_TINT_NONE);
  row_fields (row, column + STUDENT_FIELDS, candidate, &rows->notes, 1, FALSE, COOP_TINT_NONE);
}

static gboolean
write_candidates (Summary         *summary,
                  CoopExportBook  *book,
                  CoopExportJob   *job,
                  GError         **error)
{
  static const char *const names[CANDIDATE_FIELDS] = {
    "pool-title", "partner-name", "student-number", "student-name", "department-name", "major",
    "class-name", "stage", "stage-on",
  };
  static const char *const student_names[STUDENT_FIELDS] = { "phone", "email" };
  SheetRows rows = { .summary = summary };
  const char *titles[CANDIDATE_FIELDS + STUDENT_FIELDS + 1];

  resolve_fields (COOP_TYPE_CANDIDATE, names, CANDIDATE_FIELDS, rows.fields, titles);
  resolve_fields (COOP_TYPE_STUDENT, student_names, STUDENT_FIELDS, rows.more_fields,
                  titles + CANDIDATE_FIELDS);
  rows.notes = find_field (COOP_TYPE_CANDIDATE, "notes");
  titles[G_N_ELEMENTS (titles) - 1] = field_label (COOP_TYPE_CANDIDATE, "notes");

  return coop_export_book_write_table (book, _("Candidates"), titles, G_N_ELEMENTS (titles),
                                       summary->candidate_rows->len, candidate_row, &rows, job,
                                       error);
}

/* ------------------------------------------------------------------ writing */

static gboolean
write_summary (Summary        *summary,
               CoopExportJob  *job,
               GError        **error)
{
  g_autoptr(CoopExportBook) book = NULL;
  CoopExportTarget target;
  CoopExportSheet *year = NULL;
  guint with_candidates = 0;
  lxw_doc_properties properties = { 0 };
  g_autofree char *title = NULL;

  summary_compute (summary);

  for (guint i = 0; i < summary->partners->len; i++)
    with_candidates += summary->stats[i].candidates > 0;
  coop_export_job_set_total (job, (guint64) with_candidates + summary->partners->len +
                                  summary->agreements->len + summary->event_rows->len +
                                  summary->candidate_rows->len);
  if (!coop_export_job_step (job, 0, error))
    return FALSE;

  if (!coop_export_target_open (&target, summary->path, error))
    return FALSE;

  book = coop_export_book_new (&target, error);
  if (book == NULL)
    {
      coop_export_target_discard (&target);
      return FALSE;
    }

  summary->background = g_thread_new ("coop-export-year", summary_background, summary);

  title = g_strdup (_("School–enterprise cooperation summary"));
  properties.title = title;
  properties.created = g_date_time_to_unix (summary->now);
  coop_export_book_check (book, workbook_set_properties (coop_export_book_get_workbook (book),
                                                         &properties));

  /* The Year sheet comes second, but is filled last, once its report is
   * ready. */
  if (!write_overview (summary, book, job, error))
    goto failed;
  year = coop_export_book_add_sheet (book, _("Year"), FALSE);
  if (!write_partners (summary, book, job, error) ||
      !write_agreements (summary, book, job, error) ||
      !write_events (summary, book, job, error))
    goto failed;
  summary_join_background (summary);
  if (!write_candidates (summary, book, job, error) ||
      !write_year (summary, book, year, job, error) ||
      !coop_export_book_close (book, error))
    goto failed;

  return coop_export_target_commit (&target, error);

failed:
  /* Not left to summary_free (), which may run on the window's thread. */
  summary_join_background (summary);
  coop_export_target_discard (&target);
  return FALSE;
}

typedef struct {
  Summary       *summary;
  CoopExportJob  job;
} SummaryTaskData;

static void
summary_task_data_free (SummaryTaskData *data)
{
  g_clear_pointer (&data->summary, summary_free);
  coop_export_job_clear (&data->job);
  g_free (data);
}

static void
export_summary_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SummaryTaskData *data = task_data;
  GError *error = NULL;

  if (write_summary (data->summary, &data->job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_export_summary:
 * @store: the store; lists it has not loaded are loaded first
 * @path: the workbook to write; replaced only once it is complete
 * @options: (nullable): the period, masking and warning window
 * @cancellable: (nullable): stops the export, leaving no file
 * @error: %COOP_ERROR_VALIDATION for a bad date in @options,
 *   %COOP_ERROR_IO when the file cannot be written (no permission, disk
 *   full), %COOP_ERROR_CANCELLED
 *
 * Writes the summary workbook in the calling thread, for the command line.
 * It reads the store's records themselves: call it on the store's thread,
 * which must change nothing in the store until it returns.
 */
gboolean
coop_export_summary (CoopStore                 *store,
                     const char                *path,
                     const CoopSummaryOptions  *options,
                     GCancellable              *cancellable,
                     GError                   **error)
{
  g_autoptr(Summary) summary = NULL;
  CoopExportJob job;
  gboolean done;

  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  summary = summary_new (path, options, error);
  if (summary == NULL || !summary_snapshot (summary, store, FALSE, cancellable, error))
    return FALSE;

  coop_export_job_init (&job, cancellable);
  done = write_summary (summary, &job, error);
  coop_export_job_clear (&job);
  return done;
}

/**
 * coop_export_summary_async:
 * @progress: (nullable) (scope notified): called in the caller's main
 *   context with the fraction done, never after @callback; @progress_data
 *   must stay valid until then
 *
 * Takes copies of the store's records now (loading a list that is not
 * loaded yet), then counts and writes them in a thread.  The window stays
 * responsive, and the store may change meanwhile: the workbook shows the
 * records as they were when the export began.
 */
void
coop_export_summary_async (CoopStore                *store,
                           const char               *path,
                           const CoopSummaryOptions *options,
                           GCancellable             *cancellable,
                           CoopExportProgress        progress,
                           gpointer                  progress_data,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(Summary) summary = NULL;
  SummaryTaskData *data;
  GError *error = NULL;

  g_return_if_fail (COOP_IS_STORE (store));
  g_return_if_fail (path != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, coop_export_summary_async);
  /* Report a cancel as COOP_ERROR_CANCELLED, like the synchronous call, and
   * only when the file was not written. */
  g_task_set_check_cancellable (task, FALSE);

  summary = summary_new (path, options, &error);
  if (summary == NULL || !summary_snapshot (summary, store, TRUE, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_new0 (SummaryTaskData, 1);
  data->summary = g_steal_pointer (&summary);
  coop_export_job_init (&data->job, cancellable);
  data->job.progress = progress;
  data->job.progress_data = progress_data;
  data->job.context = g_main_context_ref_thread_default ();
  data->job.task = task;
  g_task_set_task_data (task, data, (GDestroyNotify) summary_task_data_free);
  g_task_run_in_thread (task, export_summary_thread);
}

gboolean
coop_export_summary_finish (CoopStore     *store,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == coop_export_summary_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
