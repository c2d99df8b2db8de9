/* bench-export.c — the summary export against its floor
 *
 * Usage: bench-export [DATABASE] [RUNS]   (default /tmp/large.db, 3 runs)
 *
 * Works on a copy of DATABASE, or on a server's ledger itself
 * (postgresql:///NAME, under pg_virtualenv), which it only reads.  After
 * loading the lists once, it times, in the same process and alternately:
 *   summary  coop_export_summary(): the whole workbook;
 *   floor    libxlsxwriter alone writing the same cells — the same sheets,
 *            rows (in the summary's order, worked out beforehand) and
 *            columns, the same strings, numbers and dates with the
 *            same kinds of formats, in the same constant-memory mode — with
 *            nothing else to do: no counting, sorting, cleaning, masking,
 *            widths, row heights, tints or overview.  The same without any
 *            cell format is timed and shown too.
 * It prints the best time of each, their ratio, and the peak resident memory
 * each phase added over the loaded store (VmHWM, reset between phases).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <xlsxwriter.h>

#include "coop-test-util.h"
#include "coop-agreement.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-department.h"
#include "coop-enums.h"
#include "coop-event.h"
#include "coop-export.h"
#include "coop-partner.h"
#include "coop-store.h"
#include "coop-student.h"

/* ------------------------------------------------------------------ memory */

static void
reset_peak (void)
{
  /* "5" resets the peak resident set size (Linux 4.0 and later). */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

/* ------------------------------------------------------------------ floor */

typedef struct {
  GPtrArray *partners, *agreements, *events, *students, *candidates;
  GPtrArray *attendees;     /* per event: the attendees cell, built beforehand */
  GArray    *student_of;    /* per candidate: index into students, or -1 */
} Cells;

static GPtrArray *
references (CoopStore *store,
            GType      type)
{
  GListModel *list = coop_store_get_list (store, type);
  guint n = g_list_model_get_n_items (list);
  GPtrArray *records = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (records, g_list_model_get_item (list, i));
  return records;
}

/* The summary's orders: events by time, candidates by partner, pool,
 * stage and student number; ties by id. */
static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  CoopRecord *x = *(CoopRecord **) a;
  CoopRecord *y = *(CoopRecord **) b;
  int order = g_strcmp0 (coop_event_get_starts_at (COOP_EVENT (x)),
                         coop_event_get_starts_at (COOP_EVENT (y)));

  return order != 0 ? order : (coop_record_get_id (x) > coop_record_get_id (y)) -
                              (coop_record_get_id (x) < coop_record_get_id (y));
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  CoopCandidate *x = *(CoopCandidate **) a;
  CoopCandidate *y = *(CoopCandidate **) b;
  int order = g_strcmp0 (coop_candidate_get_partner_name (x), coop_candidate_get_partner_name (y));

  if (order != 0)
    return order;
  if (coop_candidate_get_pool_id (x) != coop_candidate_get_pool_id (y))
    return coop_candidate_get_pool_id (x) < coop_candidate_get_pool_id (y) ? -1 : 1;
  if (coop_candidate_get_stage (x) != coop_candidate_get_stage (y))
    return (int) coop_candidate_get_stage (x) - (int) coop_candidate_get_stage (y);
  order = g_strcmp0 (coop_candidate_get_student_number (x), coop_candidate_get_student_number (y));
  return order != 0 ? order : (coop_record_get_id (COOP_RECORD (x)) >
                               coop_record_get_id (COOP_RECORD (y))) -
                              (coop_record_get_id (COOP_RECORD (x)) <
                               coop_record_get_id (COOP_RECORD (y)));
}

static void
prepare_cells (CoopStore *store,
               Cells     *cells)
{
  cells->partners = references (store, COOP_TYPE_PARTNER);
  cells->agreements = references (store, COOP_TYPE_AGREEMENT);
  cells->events = references (store, COOP_TYPE_EVENT);
  cells->students = references (store, COOP_TYPE_STUDENT);
  cells->candidates = references (store, COOP_TYPE_CANDIDATE);
  /* The same rows in the same order make the same file to compress. */
  g_ptr_array_sort (cells->events, compare_events);
  g_ptr_array_sort (cells->candidates, compare_candidates);

  cells->attendees = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < cells->events->len; i++)
    {
      GListModel *attendees = coop_event_get_attendees (g_ptr_array_index (cells->events, i));
      GString *text = g_string_new (NULL);

      for (guint j = 0; j < g_list_model_get_n_items (attendees); j++)
        {
          g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, j);

          g_string_append_printf (text, "%s%s · %s · %s (%s)", j > 0 ? "\n" : "",
                                  coop_attendee_get_name (attendee),
                                  coop_attendee_get_title (attendee),
                                  coop_attendee_get_organization (attendee),
                                  coop_enum_get_label (COOP_TYPE_ATTENDEE_ROLE,
                                                       coop_attendee_get_role (attendee)));
        }
      g_ptr_array_add (cells->attendees, g_string_free (text, FALSE));
    }

  cells->student_of = g_array_sized_new (FALSE, FALSE, sizeof (gint), cells->candidates->len);
  {
    /* Students are ordered by id: a binary search per candidate. */
    for (guint i = 0; i < cells->candidates->len; i++)
      {
        gint64 id = coop_candidate_get_student_id (g_ptr_array_index (cells->candidates, i));
        guint low = 0, high = cells->students->len;
        gint found = -1;

        while (low < high)
          {
            guint middle = low + (high - low) / 2;
            gint64 here = coop_record_get_id (g_ptr_array_index (cells->students, middle));

            if (here == id)
              {
                found = (gint) middle;
                break;
              }
            if (here < id)
              low = middle + 1;
            else
              high = middle;
          }
        g_array_append_val (cells->student_of, found);
      }
  }
}

static void
cells_clear (Cells *cells)
{
  g_ptr_array_unref (cells->partners);
  g_ptr_array_unref (cells->agreements);
  g_ptr_array_unref (cells->events);
  g_ptr_array_unref (cells->students);
  g_ptr_array_unref (cells->candidates);
  g_ptr_array_unref (cells->attendees);
  g_array_unref (cells->student_of);
}

/* With styles, cells carry formats like the summary's: text wraps and
 * sits at the top, codes stay text, numbers have separators. */
static lxw_format *text_format, *code_format, *number_format;

static void
text (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t column, const char *value)
{
  if (value != NULL && *value != '\0')
    worksheet_write_string (sheet, row, column, value, text_format);
}

static void
code (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t column, const char *value)
{
  if (value != NULL && *value != '\0')
    worksheet_write_string (sheet, row, column, value, code_format);
}

static void
number (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t column, double value)
{
  worksheet_write_number (sheet, row, column, value, number_format);
}

/* Dates as the store keeps them, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM". */
static void
date (lxw_worksheet *sheet, lxw_row_t row, lxw_col_t column, const char *value,
      lxw_format *format)
{
  lxw_datetime datetime = { 0 };

#define D(i) (value[i] - '0')
  if (value == NULL || strlen (value) < 10)
    return;
  datetime.year = D (0) * 1000 + D (1) * 100 + D (2) * 10 + D (3);
  datetime.month = D (5) * 10 + D (6);
  datetime.day = D (8) * 10 + D (9);
  if (strlen (value) == 16)
    {
      datetime.hour = D (11) * 10 + D (12);
      datetime.min = D (14) * 10 + D (15);
    }
#undef D
  worksheet_write_datetime (sheet, row, column, &datetime, format);
}

static void
header (lxw_worksheet *sheet, guint n)
{
  for (guint i = 0; i < n; i++)
    worksheet_write_string (sheet, 0, (lxw_col_t) i, "Header", NULL);
}

static void
write_floor (Cells      *cells,
             const char *path,
             const char *folder,
             gboolean    styled)
{
  lxw_workbook_options options = { .constant_memory = LXW_TRUE, .tmpdir = (char *) folder };
  lxw_workbook *workbook = workbook_new_opt (path, &options);
  lxw_format *day = workbook_add_format (workbook);
  lxw_format *minute = workbook_add_format (workbook);
  lxw_worksheet *sheet;

  format_set_num_format (day, "yyyy-mm-dd");
  format_set_num_format (minute, "yyyy-mm-dd hh:mm");
  text_format = code_format = number_format = NULL;
  if (styled)
    {
      text_format = workbook_add_format (workbook);
      format_set_text_wrap (text_format);
      format_set_align (text_format, LXW_ALIGN_VERTICAL_TOP);
      code_format = workbook_add_format (workbook);
      format_set_num_format (code_format, "@");
      format_set_align (code_format, LXW_ALIGN_VERTICAL_TOP);
      number_format = workbook_add_format (workbook);
      format_set_num_format (number_format, "#,##0");
      format_set_align (number_format, LXW_ALIGN_VERTICAL_TOP);
    }

  sheet = workbook_add_worksheet (workbook, "Partners");
  header (sheet, 13);
  for (guint i = 0; i < cells->partners->len; i++)
    {
      CoopPartner *p = g_ptr_array_index (cells->partners, i);
      lxw_row_t r = i + 1;

      text (sheet, r, 0, coop_partner_get_name (p));
      text (sheet, r, 1, coop_partner_get_short_name (p));
      code (sheet, r, 2, coop_partner_get_credit_code (p));
      text (sheet, r, 3, coop_partner_get_industry (p));
      text (sheet, r, 4, coop_partner_get_city (p));
      text (sheet, r, 5, coop_partner_get_address (p));
      text (sheet, r, 6, coop_partner_get_website (p));
      text (sheet, r, 7, coop_enum_get_label (COOP_TYPE_PARTNER_STATUS, coop_partner_get_status (p)));
      for (guint c = 8; c < 12; c++)
        number (sheet, r, (lxw_col_t) c, i % 7);
      text (sheet, r, 12, coop_partner_get_notes (p));
    }

  sheet = workbook_add_worksheet (workbook, "Agreements");
  header (sheet, 15);
  for (guint i = 0; i < cells->agreements->len; i++)
    {
      CoopAgreement *a = g_ptr_array_index (cells->agreements, i);
      lxw_row_t r = i + 1;

      text (sheet, r, 0, coop_agreement_get_partner_name (a));
      text (sheet, r, 1, coop_agreement_get_department_name (a));
      text (sheet, r, 2, coop_agreement_get_title (a));
      text (sheet, r, 3, coop_enum_get_label (COOP_TYPE_AGREEMENT_KIND, coop_agreement_get_kind (a)));
      text (sheet, r, 4, coop_enum_get_label (COOP_TYPE_AGREEMENT_STATUS,
                                              coop_agreement_get_status (a)));
      date (sheet, r, 5, coop_agreement_get_signed_on (a), day);
      date (sheet, r, 6, coop_agreement_get_starts_on (a), day);
      date (sheet, r, 7, coop_agreement_get_ends_on (a), day);
      number (sheet, r, 8, 100);
      text (sheet, r, 9, coop_agreement_get_school_signatory (a));
      text (sheet, r, 10, coop_agreement_get_partner_signatory (a));
      number (sheet, r, 11, coop_agreement_get_intern_quota (a));
      text (sheet, r, 12, coop_agreement_get_commitments (a));
      date (sheet, r, 13, coop_agreement_get_plaque_on (a), day);
      text (sheet, r, 14, coop_agreement_get_notes (a));
    }

  sheet = workbook_add_worksheet (workbook, "Events");
  header (sheet, 12);
  for (guint i = 0; i < cells->events->len; i++)
    {
      CoopEvent *e = g_ptr_array_index (cells->events, i);
      lxw_row_t r = i + 1;

      text (sheet, r, 0, coop_enum_get_label (COOP_TYPE_EVENT_KIND, coop_event_get_kind (e)));
      text (sheet, r, 1, coop_event_get_title (e));
      date (sheet, r, 2, coop_event_get_starts_at (e), minute);
      text (sheet, r, 3, coop_event_get_location (e));
      text (sheet, r, 4, coop_event_get_partner_name (e));
      text (sheet, r, 5, coop_event_get_agreement_title (e));
      text (sheet, r, 6, coop_event_get_chair (e));
      number (sheet, r, 7, coop_event_get_students_attending (e));
      text (sheet, r, 8, g_ptr_array_index (cells->attendees, i));
      text (sheet, r, 9, coop_event_get_summary (e));
      text (sheet, r, 10, coop_event_get_outcomes (e));
      date (sheet, r, 11, coop_event_get_follow_up_on (e), day);
    }

  sheet = workbook_add_worksheet (workbook, "Candidates");
  header (sheet, 12);
  for (guint i = 0; i < cells->candidates->len; i++)
    {
      CoopCandidate *c = g_ptr_array_index (cells->candidates, i);
      gint s = g_array_index (cells->student_of, gint, i);
      lxw_row_t r = i + 1;

      text (sheet, r, 0, coop_candidate_get_pool_title (c));
      text (sheet, r, 1, coop_candidate_get_partner_name (c));
      code (sheet, r, 2, coop_candidate_get_student_number (c));
      text (sheet, r, 3, coop_candidate_get_student_name (c));
      text (sheet, r, 4, coop_candidate_get_department_name (c));
      text (sheet, r, 5, coop_candidate_get_major (c));
      text (sheet, r, 6, coop_candidate_get_class_name (c));
      text (sheet, r, 7, coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE, coop_candidate_get_stage (c)));
      date (sheet, r, 8, coop_candidate_get_stage_on (c), day);
      if (s >= 0)
        {
          code (sheet, r, 9, coop_student_get_phone (g_ptr_array_index (cells->students, s)));
          text (sheet, r, 10, coop_student_get_email (g_ptr_array_index (cells->students, s)));
        }
      text (sheet, r, 11, coop_candidate_get_notes (c));
    }

  if (workbook_close (workbook) != LXW_NO_ERROR)
    g_error ("the floor workbook could not be written");
}

/* ------------------------------------------------------------------ main */

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static goffset
file_size (const char *path)
{
  GStatBuf info;

  return g_stat (path, &info) == 0 ? (goffset) info.st_size : -1;
}

int
main (int    argc,
      char **argv)
{
  const char *source = argc > 1 ? argv[1] : "/tmp/large.db";
  int runs = argc > 2 ? atoi (argv[2]) : 3;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-export-XXXXXX", &error);
  g_autofree char *database = NULL;
  g_autofree char *summary_path = NULL;
  g_autofree char *floor_path = NULL;
  double best_summary = G_MAXDOUBLE, best_floor = G_MAXDOUBLE, best_plain = G_MAXDOUBLE;
  long loaded_kb, summary_peak_kb = 0, floor_peak_kb = 0;
  struct rusage usage;
  GType types[] = { COOP_TYPE_PARTNER, COOP_TYPE_AGREEMENT, COOP_TYPE_EVENT, COOP_TYPE_STUDENT,
                    COOP_TYPE_CANDIDATE };
  Cells cells;
  gint64 start;

  g_assert_no_error (error);
  database = g_build_filename (dir, "bench.db", NULL);
  summary_path = g_build_filename (dir, "summary.xlsx", NULL);
  floor_path = g_build_filename (dir, "floor.xlsx", NULL);

  /* A server's ledger is read where it is, read-only. */
  if (coop_store_location_is_server (source))
    {
      g_free (database);
      database = g_strdup (source);
    }
  else
    {
      g_autoptr(GFile) from = g_file_new_for_path (source);
      g_autoptr(GFile) to = g_file_new_for_path (database);

      if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
    }

  start = g_get_monotonic_time ();
  store = coop_store_open (database, COOP_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  /* What the summary needs, as the command line loads it. */
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (!coop_store_load (store, types[i], NULL, &error))
      g_error ("%s", error->message);
  if (!coop_store_load (store, coop_department_get_type (), NULL, &error))
    g_error ("%s", error->message);
  g_print ("load:     %.2f s\n", seconds_since (start));

  prepare_cells (store, &cells);
  g_print ("rows:     %u partners, %u agreements, %u events, %u candidates\n",
           cells.partners->len, cells.agreements->len, cells.events->len, cells.candidates->len);
  loaded_kb = coop_test_status_kb ("VmRSS:");

  for (int run = 0; run < runs; run++)
    {
      double elapsed;

      start = g_get_monotonic_time ();
      write_floor (&cells, floor_path, dir, FALSE);
      best_plain = MIN (best_plain, seconds_since (start));

      reset_peak ();
      start = g_get_monotonic_time ();
      write_floor (&cells, floor_path, dir, TRUE);
      elapsed = seconds_since (start);
      best_floor = MIN (best_floor, elapsed);
      floor_peak_kb = MAX (floor_peak_kb, coop_test_status_kb ("VmHWM:") - loaded_kb);

      reset_peak ();
      start = g_get_monotonic_time ();
      if (!coop_export_summary (store, summary_path, NULL, NULL, &error))
        g_error ("%s", error->message);
      elapsed = seconds_since (start);
      best_summary = MIN (best_summary, elapsed);
      summary_peak_kb = MAX (summary_peak_kb, coop_test_status_kb ("VmHWM:") - loaded_kb);

      g_print ("run %d:    floor %.2f s, summary %.2f s\n", run + 1, best_floor, elapsed);
    }

  getrusage (RUSAGE_SELF, &usage);
  g_print ("floor:    %.2f s, %" G_GOFFSET_FORMAT " bytes, peak +%ld MB over the loaded store\n",
           best_floor, file_size (floor_path), floor_peak_kb / 1024);
  g_print ("          (%.2f s with no formats on the cells at all)\n", best_plain);
  g_print ("summary:  %.2f s, %" G_GOFFSET_FORMAT " bytes, peak +%ld MB over the loaded store\n",
           best_summary, file_size (summary_path), summary_peak_kb / 1024);
  g_print ("ratio:    %.2f (target at most 1.10); %.2f against the unformatted floor\n",
           best_summary / best_floor, best_summary / best_plain);
  g_print ("memory:   %ld MB with the store loaded; peak RSS of the process %ld MB\n",
           loaded_kb / 1024, usage.ru_maxrss / 1024);

  cells_clear (&cells);
  g_clear_object (&store);
  coop_test_remove_tree (dir);
  return 0;
}
