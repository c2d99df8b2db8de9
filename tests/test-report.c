/* test-report.c — the yearly report of the demo database, counted exactly
 *
 * With COOP_TEST_POSTGRESQL set (under pg_virtualenv, see meson.build) the
 * tests run on a new database of the server instead of a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-test-util.h"
#include "coop-candidate.h"
#include "coop-error.h"
#include "coop-report.h"
#include "coop-sample.h"

typedef struct {
  char      *dir;
  CoopStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  /* The demo's dates are fixed when it is made on a fixed day. */
  g_setenv ("COOPDESK_TODAY", "2025-05-01", TRUE);
  f->dir = g_dir_make_tmp ("coop-report-XXXXXX", &error);
  g_assert_no_error (error);
  if (g_getenv ("COOP_TEST_POSTGRESQL") != NULL)
    location = coop_test_new_server_database ("report");
  else
    location = g_build_filename (f->dir, "report.db", NULL);
  f->store = coop_store_open (location, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (f->store, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  coop_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* A line per row: its name, then "label this/before" for each figure
 * that is not 0 in both years. */
static char *
describe (const CoopYearReport *report)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < report->rows->len; i++)
    {
      const CoopReportRow *row = g_ptr_array_index (report->rows, i);

      g_string_append (text, row->name);
      for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
        if (row->counts[0][c] != 0 || row->counts[1][c] != 0)
          g_string_append_printf (text, "; %s %u/%u", coop_report_count_get_label (c),
                                  row->counts[0][c], row->counts[1][c]);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

static void
test_calendar_year (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopYearReport) report = NULL;
  g_autofree char *text = NULL;
  const CoopReportRow *school;

  report = coop_year_report_new (f->store, COOP_YEAR_CALENDAR, 2023, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->from, ==, "2023-01-01");
  g_assert_cmpstr (report->to, ==, "2023-12-31");

  text = describe (report);
  g_assert_cmpstr (text, ==,
                   "广告系; Partners active 2/1; Agreements signed 0/1; Internship bases 1/1; "
                   "Students recommended 2/0; Students interning 1/0\n"
                   "数字媒体艺术系; Partners active 2/1; Students recommended 4/0; "
                   "Students interning 1/0\n"
                   "视觉传达设计系; Partners active 2/0; Agreements signed 1/0; Employment bases 1/0; "
                   "Students recommended 2/0\n"
                   "艺术设计学院; Partners active 4/3; Agreements signed 2/1; Practice bases 1/0; "
                   "Internship bases 1/1; Employment bases 1/0; Events held 1/1; "
                   "Recommendation meetings 1/0; Signing ceremonies 0/1; Students recommended 8/0; "
                   "Students interning 2/0\n");

  school = coop_year_report_get_school (report);
  g_assert_cmpint (school->department_id, ==, 0);
  g_assert_cmpint (coop_report_row_get_change (school, COOP_REPORT_PARTNERS_ACTIVE), ==, 1);
  g_assert_cmpint (coop_report_row_get_change (school, COOP_REPORT_SIGNING_CEREMONIES), ==, -1);
  g_assert_cmpfloat (coop_report_row_get_hiring_rate (school, 0), ==, 0.0);
  g_assert_cmpfloat (coop_report_row_get_hiring_rate (school, 1), ==, -1.0);
}

static void
test_academic_year (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopYearReport) report = NULL;
  g_autofree char *text = NULL;

  report = coop_year_report_new (f->store, COOP_YEAR_ACADEMIC, 2023, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->from, ==, "2023-09-01");
  g_assert_cmpstr (report->to, ==, "2024-08-31");

  /* 2023–2024 against 2022–2023, when the first pool was recommended. */
  text = describe (report);
  g_assert_cmpstr (text, ==,
                   "广告系; Partners active 2/2; Internship bases 1/1; Students recommended 0/2; "
                   "Students interning 0/1; Students hired 1/0\n"
                   "数字媒体艺术系; Partners active 1/2; Students recommended 0/4; "
                   "Students interning 0/1\n"
                   "视觉传达设计系; Partners active 1/2; Agreements signed 0/1; Employment bases 1/1; "
                   "Students recommended 0/2\n"
                   "艺术设计学院; Partners active 4/4; Agreements signed 0/2; Practice bases 1/1; "
                   "Internship bases 1/1; Employment bases 1/1; Events held 2/2; Visits 1/0; "
                   "Recommendation meetings 0/1; Job fairs 1/0; Signing ceremonies 0/1; "
                   "Students recommended 0/8; Students interning 0/2; Students hired 1/0\n");
  g_assert_cmpfloat (coop_report_row_get_hiring_rate (coop_year_report_get_school (report), 0),
                     ==, -1.0);
}

/* A stage change saved now is a step of the candidate's history in the
 * year of its date. */
static void
test_stage_change_counts (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopYearReport) report = NULL;
  g_autoptr(CoopRecord) copy = NULL;
  CoopRecord *candidate;
  const CoopReportRow *school;

  g_assert_true (coop_store_load_all (f->store, NULL, &error));
  g_assert_no_error (error);
  candidate = coop_store_find (f->store, COOP_TYPE_CANDIDATE, 10);
  g_assert_nonnull (candidate);
  copy = coop_record_copy (candidate);
  coop_candidate_set_stage (COOP_CANDIDATE (copy), COOP_CANDIDATE_STAGE_HIRED);
  coop_candidate_set_stage_on (COOP_CANDIDATE (copy), "2025-04-20");
  g_assert_true (coop_store_save (f->store, copy, &error));
  g_assert_no_error (error);

  report = coop_year_report_new (f->store, COOP_YEAR_CALENDAR, 2025, NULL, &error);
  g_assert_no_error (error);
  school = coop_year_report_get_school (report);
  g_assert_cmpuint (school->counts[0][COOP_REPORT_HIRED], ==, 2);
  g_assert_cmpuint (school->counts[0][COOP_REPORT_RECOMMENDED], ==, 3);
  g_assert_cmpfloat_with_epsilon (coop_report_row_get_hiring_rate (school, 0), 2.0 / 3.0, 1e-9);
  g_assert_cmpuint (school->counts[1][COOP_REPORT_HIRED], ==, 1);
  g_assert_cmpuint (school->counts[1][COOP_REPORT_RECOMMENDED], ==, 0);
}

static void
test_years (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *title = NULL;
  int year = 0;

  g_assert_true (coop_year_parse ("2023", COOP_YEAR_CALENDAR, &year, &error));
  g_assert_no_error (error);
  g_assert_cmpint (year, ==, 2023);
  g_assert_true (coop_year_parse ("2023-2024", COOP_YEAR_ACADEMIC, &year, &error));
  g_assert_cmpint (year, ==, 2023);
  g_assert_true (coop_year_parse ("2024", COOP_YEAR_ACADEMIC, &year, &error));
  g_assert_cmpint (year, ==, 2024);

  g_assert_false (coop_year_parse ("2023-2025", COOP_YEAR_ACADEMIC, &year, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==,
                   "“2023-2025” is not an academic year; write it as 2023-2024.");
  g_clear_error (&error);
  g_assert_false (coop_year_parse ("2023-2024", COOP_YEAR_CALENDAR, &year, &error));
  g_assert_cmpstr (error->message, ==, "“2023-2024” is not a year; write it as 2023.");
  g_clear_error (&error);
  g_assert_false (coop_year_parse ("20x3", COOP_YEAR_CALENDAR, &year, &error));
  g_clear_error (&error);
  g_assert_false (coop_year_parse ("", COOP_YEAR_CALENDAR, &year, &error));
  g_clear_error (&error);
  g_assert_false (coop_year_parse ("99999", COOP_YEAR_CALENDAR, &year, &error));
  g_clear_error (&error);
  g_assert_cmpint (year, ==, 2024);

  g_assert_cmpint (coop_year_of_date (COOP_YEAR_ACADEMIC, "2024-08-31"), ==, 2023);
  g_assert_cmpint (coop_year_of_date (COOP_YEAR_ACADEMIC, "2024-09-01"), ==, 2024);
  g_assert_cmpint (coop_year_of_date (COOP_YEAR_CALENDAR, "2024-01-01"), ==, 2024);

  coop_year_get_range (COOP_YEAR_ACADEMIC, 2023, &from, &to);
  g_assert_cmpstr (from, ==, "2023-09-01");
  g_assert_cmpstr (to, ==, "2024-08-31");
  title = coop_year_dup_title (COOP_YEAR_ACADEMIC, 2023);
  g_assert_cmpstr (title, ==, "2023–2024");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/years", test_years);
  g_test_add ("/report/calendar-year", Fixture, NULL, fixture_set_up, test_calendar_year,
              fixture_tear_down);
  g_test_add ("/report/academic-year", Fixture, NULL, fixture_set_up, test_academic_year,
              fixture_tear_down);
  g_test_add ("/report/stage-change", Fixture, NULL, fixture_set_up, test_stage_change_counts,
              fixture_tear_down);

  return g_test_run ();
}
