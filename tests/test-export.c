/* test-export.c — the summary workbook and the list exports, read back
 *
 * Every workbook written here is opened again (export-workbook.c): its XML
 * parts must be well-formed, and the tests look at the cells a manager would
 * look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coop-test-util.h"
#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-export.h"
#include "coop-export-private.h"
#include "coop-partner.h"
#include "coop-sample.h"
#include "coop-store.h"
#include "coop-student.h"
#include "export-workbook.h"

/* The demo database, filled once per test program. */
static CoopStore *demo;

/* ------------------------------------------------------------------ helpers */

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-export-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The names in @dir, sorted and joined by spaces: "" when it is empty. */
static char *
list_dir (const char *path)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);

  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static ExportWorkbook *
export_summary (Fixture                  *fixture,
                const char               *name,
                const CoopSummaryOptions *options)
{
  g_autofree char *path = path_in (fixture, name);
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_export_summary (demo, path, options, NULL, &error));
  g_assert_no_error (error);
  return export_workbook_open (path);
}

/* Excel's serial number of a day: days since 1899-12-30. */
static double
excel_date (int year,
            int month,
            int day)
{
  GDate epoch, date;

  g_date_clear (&epoch, 1);
  g_date_clear (&date, 1);
  g_date_set_dmy (&epoch, 30, G_DATE_DECEMBER, 1899);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return g_date_days_between (&epoch, &date);
}

static const ExportCell *
cell_at (ExportWorkbook *workbook,
         const char     *sheet,
         guint           row,
         guint           column)
{
  g_autofree char *ref = export_workbook_ref (row, column);

  return export_workbook_get_cell (workbook, sheet, ref);
}

/* Asserts the cell holds text (a shared or inline string), exactly @text. */
static void
assert_text_cell (ExportWorkbook *workbook,
                  const char     *sheet,
                  guint           row,
                  guint           column,
                  const char     *text)
{
  const ExportCell *cell = cell_at (workbook, sheet, row, column);

  g_assert_nonnull (cell);
  g_assert_true (g_str_equal (cell->type, "s") || g_str_equal (cell->type, "inlineStr"));
  g_assert_false (cell->formula);
  g_assert_cmpstr (cell->text, ==, text);
}

static void
assert_number_cell (ExportWorkbook *workbook,
                    const char     *sheet,
                    guint           row,
                    guint           column,
                    double          value)
{
  const ExportCell *cell = cell_at (workbook, sheet, row, column);

  g_assert_nonnull (cell);
  g_assert_cmpstr (cell->type, ==, "n");
  g_assert_cmpfloat_with_epsilon (g_ascii_strtod (cell->text, NULL), value, 1e-6);
}

static void
assert_date_cell (ExportWorkbook *workbook,
                  const char     *sheet,
                  guint           row,
                  guint           column,
                  double          serial,
                  const char     *format)
{
  const ExportCell *cell = cell_at (workbook, sheet, row, column);

  assert_number_cell (workbook, sheet, row, column, serial);
  g_assert_cmpstr (export_workbook_get_num_format (workbook, cell->style), ==, format);
}

static void
assert_header (ExportWorkbook     *workbook,
               const char         *sheet,
               const char *const  *titles)
{
  for (guint i = 0; titles[i] != NULL; i++)
    assert_text_cell (workbook, sheet, 0, i, titles[i]);
  g_assert_null (cell_at (workbook, sheet, 0, g_strv_length ((char **) titles)));
}

static int
find_row (ExportWorkbook *workbook,
          const char     *sheet,
          guint           column,
          const char     *text)
{
  int row = export_workbook_find_row (workbook, sheet, column, text);

  if (row < 0)
    g_error ("no row of %s has “%s” in column %u", sheet, text, column);
  return row;
}

static gboolean
any_part_contains (ExportWorkbook *workbook,
                   const char     *text)
{
  const char *const *parts = export_workbook_get_parts (workbook);

  for (guint i = 0; parts[i] != NULL; i++)
    if (strstr (export_workbook_get_part (workbook, parts[i]), text) != NULL)
      return TRUE;
  return FALSE;
}

static const char *
sheet_part (ExportWorkbook *workbook,
            guint           index)
{
  g_autofree char *name = g_strdup_printf ("xl/worksheets/sheet%u.xml", index + 1);
  const char *part = export_workbook_get_part (workbook, name);

  g_assert_nonnull (part);
  return part;
}

/* ------------------------------------------------------------------ summary */

static void
test_summary_sheets (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "summary.xlsx", NULL);
  GPtrArray *names = export_workbook_get_sheet_names (workbook);
  const char *expected[] = { "Overview", "Year", "Partners", "Agreements", "Events", "Candidates" };
  g_autofree char *path = path_in (fixture, "summary.xlsx");
  g_autofree char *left = list_dir (fixture->dir);
  struct stat info;

  g_assert_cmpuint (names->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected[i]);

  /* Owner only, and no temporary file left beside it. */
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpstr (left, ==, "summary.xlsx");

  /* Text is never a formula. */
  g_assert_false (export_workbook_has_formula (workbook));
}

static void
test_summary_headers (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "summary.xlsx", NULL);
  const char *partners[] = {
    "Company name", "Short name", "Unified social credit code", "Industry", "City", "Address", "Website",
    "Status", "Main contact", "Contact's title", "Phone", "E-mail", "Agreements",
    "Agreements in force", "Candidates", "Hired", "Notes", NULL,
  };
  const char *agreements[] = {
    "Partner", "Department", "Title", "Kind", "Status", "Signed on", "Starts on", "Ends on",
    "Days left", "School signatory", "Partner signatory", "Yearly intern quota", "Commitments",
    "Plaque unveiled on", "Notes", NULL,
  };
  const char *events[] = {
    "Kind", "Title", "Starts at", "Location", "Partner", "Agreement", "Chair",
    "Students attending", "Attendees", "Summary", "Outcomes", "Follow up on", NULL,
  };
  const char *candidates[] = {
    "Pool", "Partner", "Student number", "Student", "Department", "Major", "Class", "Stage",
    "Stage since", "Phone", "E-mail", "Notes", NULL,
  };

  assert_header (workbook, "Partners", partners);
  assert_header (workbook, "Agreements", agreements);
  assert_header (workbook, "Events", events);
  assert_header (workbook, "Candidates", candidates);

  assert_text_cell (workbook, "Overview", 0, 0, "School–enterprise cooperation summary");
  assert_text_cell (workbook, "Overview", 1, 0, "艺术设计学院");
  assert_text_cell (workbook, "Overview", 2, 0, "Period: all dates");
  g_assert_true (g_str_has_prefix (export_workbook_get_text (workbook, "Overview", 3, 0),
                                   "Exported on "));
}

static void
test_summary_records (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "summary.xlsx", NULL);
  int row;

  /* The partner of the story, with its counts as numbers. */
  row = find_row (workbook, "Partners", 0, "上海奇利影视科技有限公司");
  assert_text_cell (workbook, "Partners", row, 1, "奇利影视");
  assert_text_cell (workbook, "Partners", row, 3, "影视科技");
  assert_text_cell (workbook, "Partners", row, 4, "上海");
  assert_text_cell (workbook, "Partners", row, 7, "Active");
  /* The contact entered first is the one to call, not the second. */
  assert_text_cell (workbook, "Partners", row, 8, "王建国");
  assert_text_cell (workbook, "Partners", row, 9, "总经理");
  assert_text_cell (workbook, "Partners", row, 10, "02164581201");
  assert_text_cell (workbook, "Partners", row, 11, "wang.jianguo@qili-film.example.cn");
  assert_number_cell (workbook, "Partners", row, 12, 1);  /* agreements */
  assert_number_cell (workbook, "Partners", row, 13, 1);  /* in force */
  assert_number_cell (workbook, "Partners", row, 14, 8);  /* candidates */
  assert_number_cell (workbook, "Partners", row, 15, 1);  /* hired */

  /* A partner with no contact leaves the four cells empty. */
  row = find_row (workbook, "Partners", 0, "苏州星图数字科技有限公司");
  for (guint column = 8; column < 12; column++)
    {
      const ExportCell *cell = cell_at (workbook, "Partners", row, column);

      g_assert_true (cell == NULL || cell->text == NULL || *cell->text == '\0');
    }
  assert_text_cell (workbook, "Partners", row, 1, "星图数字");

  /* Its agreement, with real dates and the quota as a number. */
  row = find_row (workbook, "Agreements", 2, "艺术设计学院—上海奇利影视科技有限公司实践基地协议");
  assert_text_cell (workbook, "Agreements", row, 0, "上海奇利影视科技有限公司");
  assert_text_cell (workbook, "Agreements", row, 3, "Practice base");
  assert_text_cell (workbook, "Agreements", row, 4, "Active");
  assert_date_cell (workbook, "Agreements", row, 5, excel_date (2023, 5, 19), "yyyy-mm-dd");
  assert_date_cell (workbook, "Agreements", row, 7, excel_date (2028, 5, 31), "yyyy-mm-dd");
  assert_number_cell (workbook, "Agreements", row, 11, 10);
  g_assert_null (export_workbook_get_fill (workbook,
                                           cell_at (workbook, "Agreements", row, 2)->style));

  /* The meeting, with its time, attendees and outcomes. */
  row = find_row (workbook, "Events", 1, "上海奇利影视科技有限公司实习就业推荐会");
  assert_text_cell (workbook, "Events", row, 0, "Recommendation meeting");
  assert_date_cell (workbook, "Events", row, 2, excel_date (2023, 5, 19) + 14.0 / 24,
                    "yyyy-mm-dd hh:mm");
  assert_number_cell (workbook, "Events", row, 7, 68);
  g_assert_nonnull (strstr (export_workbook_get_text (workbook, "Events", row, 8),
                            "陈志华 · 副院长 · 艺术设计学院 (Host)"));
  g_assert_nonnull (strstr (export_workbook_get_text (workbook, "Events", row, 10),
                            "签订实践基地协议"));
  assert_date_cell (workbook, "Events", row, 11, excel_date (2023, 6, 15), "yyyy-mm-dd");

  /* A candidate: the student number stays text with its leading zero. */
  row = find_row (workbook, "Candidates", 3, "林雨萱");
  assert_text_cell (workbook, "Candidates", row, 0, "奇利影视 2024 届实习推荐名单");
  assert_text_cell (workbook, "Candidates", row, 1, "上海奇利影视科技有限公司");
  assert_text_cell (workbook, "Candidates", row, 2, "0192010101");
  g_assert_cmpstr (export_workbook_get_num_format (workbook,
                                                   cell_at (workbook, "Candidates", row, 2)->style),
                   ==, "@");
  assert_text_cell (workbook, "Candidates", row, 4, "广告系");
  assert_text_cell (workbook, "Candidates", row, 5, "广告学");
  assert_text_cell (workbook, "Candidates", row, 6, "广告 2001 班");
  assert_text_cell (workbook, "Candidates", row, 7, "Hired");
  assert_date_cell (workbook, "Candidates", row, 8, excel_date (2024, 6, 20), "yyyy-mm-dd");
  assert_text_cell (workbook, "Candidates", row, 9, "13816203301");
  assert_text_cell (workbook, "Candidates", row, 10, "0192010101@stu.example.edu.cn");
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "Candidates"), ==, 1 + 11);
}

static void
test_summary_overview (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "summary.xlsx", NULL);
  int row;

  row = find_row (workbook, "Overview", 0, "Partners");
  assert_number_cell (workbook, "Overview", row, 1, 6);
  row = find_row (workbook, "Overview", 0, "Agreements ending within 90 days");
  assert_number_cell (workbook, "Overview", row, 1, 1);
  row = find_row (workbook, "Overview", 0, "Agreements past their end");
  assert_number_cell (workbook, "Overview", row, 1, 2);
  row = find_row (workbook, "Overview", 0, "Events in the period");
  assert_number_cell (workbook, "Overview", row, 1, 5);
  row = find_row (workbook, "Overview", 0, "Hired");
  assert_number_cell (workbook, "Overview", row, 1, 2);

  /* Candidates by stage, the data of the first chart. */
  row = find_row (workbook, "Overview", 0, "Interviewing");
  assert_number_cell (workbook, "Overview", row, 1, 2);
  assert_text_cell (workbook, "Overview", row - 3, 0, "Stage");

  /* The agreement that ends within the window is listed and tinted. */
  row = find_row (workbook, "Overview", 1, "云帆传媒广告专业实习基地协议");
  assert_number_cell (workbook, "Overview", row, 3, 45);
  g_assert_cmpstr (export_workbook_get_fill (workbook,
                                             cell_at (workbook, "Overview", row, 1)->style),
                   ==, "FFF2CC");

  /* Candidates by partner and stage. */
  row = find_row (workbook, "Overview", 0, "上海奇利影视科技有限公司");
  assert_number_cell (workbook, "Overview", row, 1 + COOP_CANDIDATE_STAGE_HIRED, 1);
  assert_number_cell (workbook, "Overview", row, 10, 8);

  /* Two native charts: candidates by stage, hires per partner. */
  g_assert_nonnull (export_workbook_get_part (workbook, "xl/charts/chart1.xml"));
  g_assert_nonnull (export_workbook_get_part (workbook, "xl/charts/chart2.xml"));
  g_assert_nonnull (strstr (export_workbook_get_part (workbook, "xl/charts/chart1.xml"),
                            "Candidates by stage"));
  g_assert_nonnull (strstr (export_workbook_get_part (workbook, "xl/charts/chart1.xml"),
                            "<c:numCache>"));
  g_assert_nonnull (strstr (export_workbook_get_part (workbook, "xl/charts/chart2.xml"),
                            "Hires per partner"));
  g_assert_nonnull (strstr (export_workbook_get_part (workbook,
                                                      "xl/worksheets/_rels/sheet1.xml.rels"),
                            "drawing"));
}

static void
test_summary_highlight (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "summary.xlsx", NULL);
  struct { const char *title; const char *fill; } expected[] = {
    { "云帆传媒广告专业实习基地协议", "FFF2CC" },      /* ends within 90 days */
    { "星图数字数字媒体联合培养协议", "F8CBAD" },      /* marked expired */
    { "蓝鲸设计就业基地协议", "F8CBAD" },              /* past its end, still marked active */
    { "墨韵文创产学研项目合作协议(草案)", NULL },     /* in negotiation */
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      int row = find_row (workbook, "Agreements", 2, expected[i].title);

      /* The whole row is tinted, blank cells too. */
      for (guint column = 0; column < 15; column++)
        {
          const ExportCell *cell = cell_at (workbook, "Agreements", row, column);

          if (expected[i].fill == NULL)
            g_assert_true (cell == NULL ||
                           export_workbook_get_fill (workbook, cell->style) == NULL);
          else
            {
              g_assert_nonnull (cell);
              g_assert_cmpstr (export_workbook_get_fill (workbook, cell->style), ==,
                               expected[i].fill);
            }
        }
    }

  /* 45 days left; the lapsed one is 20 days past. */
  assert_number_cell (workbook, "Agreements", find_row (workbook, "Agreements", 2,
                                                        "云帆传媒广告专业实习基地协议"), 8, 45);
  assert_number_cell (workbook, "Agreements", find_row (workbook, "Agreements", 2,
                                                        "蓝鲸设计就业基地协议"), 8, -20);
}

static void
test_summary_layout (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "summary.xlsx", NULL);
  const char *workbook_xml = export_workbook_get_part (workbook, "xl/workbook.xml");

  for (guint i = 0; i < 6; i++)
    {
      const char *sheet = sheet_part (workbook, i);

      /* A4 landscape, one page wide. */
      g_assert_nonnull (strstr (sheet, "paperSize=\"9\""));
      g_assert_nonnull (strstr (sheet, "orientation=\"landscape\""));
      g_assert_nonnull (strstr (sheet, "fitToHeight=\"0\""));
      g_assert_nonnull (strstr (sheet, "<cols>"));

      /* The Overview and the Year are reports, the others tables. */
      if (i <= 1)
        continue;

      /* Header row frozen and filtered. */
      g_assert_nonnull (strstr (sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\""));
      g_assert_nonnull (strstr (sheet, "<autoFilter ref=\"A1:"));
    }

  /* The header row is printed on every page. */
  g_assert_nonnull (strstr (workbook_xml, "Partners!$1:$1"));
  g_assert_nonnull (strstr (workbook_xml, "Candidates!$1:$1"));

  /* Partner names, 12 Chinese characters counting double: column A is
   * wider than 24. */
  {
    const char *cols = strstr (sheet_part (workbook, 2), "<col min=\"1\" max=\"1\" width=\"");
    g_assert_nonnull (cols);
    g_assert_cmpfloat (g_ascii_strtod (cols + strlen ("<col min=\"1\" max=\"1\" width=\""), NULL),
                       >, 24);
  }
}

static void
test_summary_period (Fixture       *fixture,
                     gconstpointer  data)
{
  CoopSummaryOptions options = { .from = "2024-01-01", .to = "2024-12-31" };
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "period.xlsx", &options);

  assert_text_cell (workbook, "Overview", 2, 0, "Period: 2024-01-01 to 2024-12-31");

  /* Two events of 2024: the visit and the job fair. */
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "Events"), ==, 1 + 2);
  assert_text_cell (workbook, "Events", 1, 1, "走访杭州云帆广告传媒有限公司");
  assert_text_cell (workbook, "Events", 2, 1, "2024 届毕业生春季专场招聘会");

  /* One candidate reached a stage in 2024: 林雨萱, hired. */
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "Candidates"), ==, 1 + 1);
  assert_text_cell (workbook, "Candidates", 1, 3, "林雨萱");

  /* Partners and agreements are not limited by the period. */
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "Partners"), ==, 1 + 6);
}

/* The demo made on a fixed day, so that every date of the year is known. */
static CoopStore *
open_fixed_demo (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (fixture, "fixed.db");
  CoopStore *store;

  g_setenv ("COOPDESK_TODAY", "2025-05-01", TRUE);
  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (store, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);
  g_unsetenv ("COOPDESK_TODAY");
  return store;
}

static void
test_summary_year (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CoopStore) store = open_fixed_demo (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (fixture, "year.xlsx");
  g_autoptr(ExportWorkbook) workbook = NULL;
  g_autoptr(CoopYearReport) report = NULL;
  const CoopReportRow *school;
  CoopSummaryOptions options = { .year = 2023 };
  const ExportCell *cell;
  int row, change;

  g_assert_true (coop_export_summary (store, path, &options, NULL, &error));
  g_assert_no_error (error);
  workbook = export_workbook_open (path);

  assert_text_cell (workbook, "Year", 0, 0, "Cooperation in 2023");
  assert_text_cell (workbook, "Year", 1, 0, "From 2023-01-01 to 2023-12-31, against the year before");
  /* The year is the period of the other sheets too. */
  assert_text_cell (workbook, "Overview", 2, 0, "Period: 2023-01-01 to 2023-12-31");

  /* The school: the year, the year before and the change, as numbers. */
  row = find_row (workbook, "Year", 0, "Figure");
  assert_text_cell (workbook, "Year", row, 1, "2023");
  assert_text_cell (workbook, "Year", row, 2, "2022");
  assert_text_cell (workbook, "Year", row, 3, "Change");
  assert_text_cell (workbook, "Year", row - 1, 0, "艺术设计学院");
  row = find_row (workbook, "Year", 0, "Partners active");
  assert_number_cell (workbook, "Year", row, 1, 4);
  assert_number_cell (workbook, "Year", row, 2, 3);
  assert_number_cell (workbook, "Year", row, 3, 1);
  cell = cell_at (workbook, "Year", row, 3);
  g_assert_cmpstr (export_workbook_get_num_format (workbook, cell->style), ==, "+#,##0;-#,##0;0");
  row = find_row (workbook, "Year", 0, "Signing ceremonies");
  assert_number_cell (workbook, "Year", row, 3, -1);
  row = find_row (workbook, "Year", 0, "Hiring rate");
  assert_number_cell (workbook, "Year", row, 1, 0);
  g_assert_null (cell_at (workbook, "Year", row, 2));

  /* Every figure of the school is the report's. */
  report = coop_year_report_new (store, COOP_YEAR_CALENDAR, 2023, NULL, &error);
  g_assert_no_error (error);
  school = coop_year_report_get_school (report);
  row = find_row (workbook, "Year", 0, "Partners active");
  for (guint c = 0; c < COOP_REPORT_N_COUNTS; c++)
    {
      assert_text_cell (workbook, "Year", row + c, 0, coop_report_count_get_label (c));
      assert_number_cell (workbook, "Year", row + c, 1, school->counts[0][c]);
      assert_number_cell (workbook, "Year", row + c, 2, school->counts[1][c]);
    }

  /* Per department: recommended is column 13, interning 14, hired 15. */
  row = find_row (workbook, "Year", 0, "By department, 2023");
  assert_text_cell (workbook, "Year", row + 1, 0, "Department");
  assert_text_cell (workbook, "Year", row + 1, 13, "Students recommended");
  assert_text_cell (workbook, "Year", row + 1, 16, "Hiring rate");
  assert_text_cell (workbook, "Year", row + 3, 0, "数字媒体艺术系");
  assert_number_cell (workbook, "Year", row + 3, 1, 2);
  assert_number_cell (workbook, "Year", row + 3, 13, 4);
  assert_number_cell (workbook, "Year", row + 3, 14, 1);
  assert_number_cell (workbook, "Year", row + 3, 15, 0);
  assert_text_cell (workbook, "Year", row + 5, 0, "艺术设计学院");
  assert_number_cell (workbook, "Year", row + 5, 13, 8);

  change = find_row (workbook, "Year", 0, "Change against 2022");
  g_assert_cmpint (change, ==, row + 7);
  assert_text_cell (workbook, "Year", change + 2, 0, "广告系");
  assert_number_cell (workbook, "Year", change + 2, 1, 1);
  assert_number_cell (workbook, "Year", change + 2, 2, -1);
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "Year"), ==, (guint) change + 6);

  /* Two native charts of the Year sheet, after the Overview's two. */
  g_assert_nonnull (export_workbook_get_part (workbook, "xl/charts/chart4.xml"));
  g_assert_nonnull (strstr (export_workbook_get_part (workbook, "xl/charts/chart3.xml"),
                            "Year!$B$"));
}

static void
test_summary_academic_year (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CoopStore) store = open_fixed_demo (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = path_in (fixture, "academic.xlsx");
  g_autoptr(ExportWorkbook) workbook = NULL;
  CoopSummaryOptions options = { .year_kind = COOP_YEAR_ACADEMIC, .year = 2023 };
  CoopSummaryOptions both = { .from = "2023-01-01", .year = 2023 };
  int row;

  g_assert_true (coop_export_summary (store, path, &options, NULL, &error));
  g_assert_no_error (error);
  workbook = export_workbook_open (path);
  assert_text_cell (workbook, "Year", 0, 0, "Cooperation in the academic year 2023–2024");
  assert_text_cell (workbook, "Overview", 2, 0, "Period: 2023-09-01 to 2024-08-31");
  row = find_row (workbook, "Year", 0, "Students hired");
  assert_number_cell (workbook, "Year", row, 1, 1);
  assert_number_cell (workbook, "Year", row, 2, 0);

  /* A year is a period: not both. */
  g_clear_pointer (&path, g_free);
  path = path_in (fixture, "both.xlsx");
  g_assert_false (coop_export_summary (store, path, &both, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_summary_mask (Fixture       *fixture,
                   gconstpointer  data)
{
  CoopSummaryOptions options = { .mask_personal = TRUE };
  g_autoptr(ExportWorkbook) workbook = export_summary (fixture, "masked.xlsx", &options);
  int row = find_row (workbook, "Candidates", 3, "林雨萱");

  assert_text_cell (workbook, "Candidates", row, 2, "0192****01");
  assert_text_cell (workbook, "Candidates", row, 9, "138****3301");
  assert_text_cell (workbook, "Candidates", row, 10, "0***@stu.example.edu.cn");
  g_assert_nonnull (strstr (export_workbook_get_text (workbook, "Overview", 4, 0), "hidden"));

  /* The partner's main contact is masked like any other phone and e-mail. */
  row = find_row (workbook, "Partners", 0, "上海奇利影视科技有限公司");
  assert_text_cell (workbook, "Partners", row, 8, "王建国");
  assert_text_cell (workbook, "Partners", row, 10, "021****1201");
  assert_text_cell (workbook, "Partners", row, 11, "w***@qili-film.example.cn");
  g_assert_false (any_part_contains (workbook, "wang.jianguo@"));
  g_assert_false (any_part_contains (workbook, "02164581201"));

  /* Nowhere in the file, not even in another part. */
  for (guint i = 0; i < 16; i++)
    {
      static const char *numbers[] = {
        "0192010101", "0192010102", "0192010215", "0192020107", "0192020118", "0192020203",
        "0192020224", "0192030109", "0192030112", "0202010105", "0202010121", "0202020111",
        "0202020130", "0202030102", "0202030117", "0212020104",
      };
      g_assert_false (any_part_contains (workbook, numbers[i]));
    }
  g_assert_false (any_part_contains (workbook, "13816203301"));
}

static void
test_summary_bad_dates (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bad.xlsx");
  CoopSummaryOptions not_a_date = { .from = "2024-13-01" };
  CoopSummaryOptions backwards = { .from = "2024-12-31", .to = "2024-01-01" };
  g_autofree char *left = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (coop_export_summary (demo, path, i == 0 ? &not_a_date : &backwards, NULL,
                                           &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    }

  left = list_dir (fixture->dir);
  g_assert_cmpstr (left, ==, "");
}

static void
test_summary_unwritable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *file = path_in (fixture, "a-file");
  g_autofree char *under_file = g_build_filename (file, "summary.xlsx", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing", "summary.xlsx", NULL);
  g_autofree char *locked_dir = path_in (fixture, "locked");
  g_autofree char *locked = g_build_filename (locked_dir, "summary.xlsx", NULL);
  const char *paths[] = { under_file, missing, fixture->dir, locked };

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_cmpint (g_mkdir (locked_dir, 0500), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean written = coop_export_summary (demo, paths[i], NULL, NULL, &error);

      /* Root may write anywhere: the locked folder only tells for others. */
      if (paths[i] == locked && geteuid () == 0)
        continue;

      g_assert_false (written);
      g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
      g_assert_cmpstr (error->message, !=, "");
    }

  {
    g_autofree char *left = list_dir (fixture->dir);
    g_autofree char *in_locked = list_dir (locked_dir);

    g_assert_cmpstr (left, ==, "a-file locked");
    if (geteuid () != 0)
      g_assert_cmpstr (in_locked, ==, "");
  }
}

/* A file size limit makes every write past it fail, as a full disk does. */
static void
test_summary_disk_full (Fixture       *fixture,
                        gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = path_in (fixture, "full.xlsx");
      g_autoptr(GError) error = NULL;
      struct rlimit limit = { 4096, 4096 };
      g_autofree char *left = NULL;

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      g_assert_false (coop_export_summary (demo, path, NULL, NULL, &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
      g_test_message ("%s", error->message);

      left = list_dir (fixture->dir);
      g_assert_cmpstr (left, ==, "");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_summary_replaces (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "summary.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(ExportWorkbook) workbook = NULL;
  g_autofree char *left = NULL;

  g_assert_true (g_file_set_contents (path, "an older export", -1, NULL));
  g_assert_true (coop_export_summary (demo, path, NULL, NULL, &error));
  g_assert_no_error (error);

  workbook = export_workbook_open (path);
  g_assert_cmpuint (export_workbook_get_sheet_names (workbook)->len, ==, 6);
  left = list_dir (fixture->dir);
  g_assert_cmpstr (left, ==, "summary.xlsx");
}

static void
test_summary_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "cancelled.xlsx");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (coop_export_summary (demo, path, NULL, cancellable, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CANCELLED);

  left = list_dir (fixture->dir);
  g_assert_cmpstr (left, ==, "");
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
  GPtrArray    *fractions;
  gboolean      finished;
  gboolean      progress_after_finish;
} AsyncState;

static void
on_progress_cb (double   fraction,
                gpointer data)
{
  AsyncState *state = data;
  double *copy = g_new (double, 1);

  *copy = fraction;
  g_ptr_array_add (state->fractions, copy);
  state->progress_after_finish |= state->finished;
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncState *state = data;

  state->result = g_object_ref (result);
  state->finished = TRUE;
  g_main_loop_quit (state->loop);
}

static gboolean
quit_later_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_summary_async (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "async.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(ExportWorkbook) workbook = NULL;
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL,
                       g_ptr_array_new_with_free_func (g_free), FALSE, FALSE };
  double last = 0.0;

  coop_export_summary_async (demo, path, NULL, NULL, on_progress_cb, &state, on_done_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_true (coop_export_summary_finish (demo, state.result, &error));
  g_assert_no_error (error);

  /* Reports still queued would arrive now: none may. */
  g_timeout_add (50, quit_later_cb, state.loop);
  g_main_loop_run (state.loop);
  g_assert_false (state.progress_after_finish);

  g_assert_cmpuint (state.fractions->len, >, 0);
  for (guint i = 0; i < state.fractions->len; i++)
    {
      double fraction = *(double *) g_ptr_array_index (state.fractions, i);

      g_assert_cmpfloat (fraction, >=, last);
      g_assert_cmpfloat (fraction, <=, 1.0);
      last = fraction;
    }

  workbook = export_workbook_open (path);
  g_assert_cmpuint (export_workbook_get_sheet_names (workbook)->len, ==, 6);

  g_object_unref (state.result);
  g_ptr_array_unref (state.fractions);
  g_main_loop_unref (state.loop);
}

/* Headers and sheet names follow the language of the interface.  Runs when
 * the zh_CN locale exists (build-aux/coopdesk-dev enables it). */
static void
test_summary_chinese (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *localedir = g_getenv ("COOP_TEST_LOCALEDIR");

  if (g_test_subprocess ())
    {
      g_autoptr(ExportWorkbook) workbook = NULL;
      GPtrArray *names;
      const char *expected[] = { "概览", "年度", "合作企业", "合作协议", "活动", "候选人" };
      int row;

      g_assert_nonnull (setlocale (LC_ALL, "zh_CN.UTF-8"));
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

      workbook = export_summary (fixture, "汇总.xlsx", NULL);
      names = export_workbook_get_sheet_names (workbook);
      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        g_assert_cmpstr (g_ptr_array_index (names, i), ==, expected[i]);

      assert_text_cell (workbook, "概览", 0, 0, "校企合作汇总");
      row = find_row (workbook, "年度", 0, "指标");
      assert_text_cell (workbook, "年度", row + 1, 0, "活跃合作企业");
      assert_text_cell (workbook, "年度", row + 16, 0, "入职率");
      assert_text_cell (workbook, "概览", 2, 0, "统计期间：全部日期");
      assert_text_cell (workbook, "合作企业", 0, 1, "简称");
      assert_text_cell (workbook, "候选人", 0, 8, "进展日期");
      row = find_row (workbook, "候选人", 3, "林雨萱");
      assert_text_cell (workbook, "候选人", row, 7, g_dgettext (GETTEXT_PACKAGE, "Hired"));
      return;
    }

  if (localedir == NULL || !g_file_test (localedir, G_FILE_TEST_IS_DIR) ||
      setlocale (LC_MESSAGES, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("no zh_CN locale or catalogue");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* po/zh_CN.po is complete: a missing translation is a failure. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "School–enterprise cooperation summary"), ==,
                   "校企合作汇总");
  setlocale (LC_MESSAGES, "C.UTF-8");

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ------------------------------------------------------------------ lists */

static const char *const vectors[] = {
  "=1+1", "+A1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "=HYPERLINK(\"http://x\",\"y\")",
};

/* Partners in memory, not saved: their names are the injection vectors. */
static GListStore *
vector_partners (void)
{
  GListStore *rows = g_list_store_new (COOP_TYPE_PARTNER);

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autoptr(CoopPartner) partner = coop_partner_new ();

      coop_partner_set_name (partner, vectors[i]);
      coop_partner_set_status (partner, COOP_PARTNER_STATUS_DORMANT);
      g_list_store_append (rows, partner);
    }

  return rows;
}

static const CoopExportColumn partner_columns[] = {
  { "name", "Name" },
  { "status", "Status" },
  { "title-text", "Title" },     /* a property of the record that is not a field */
};

static void
test_list_xlsx (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "agreements.xlsx");
  g_autoptr(GListStore) rows = g_list_store_new (COOP_TYPE_AGREEMENT);
  GListModel *all = coop_store_get_list (demo, COOP_TYPE_AGREEMENT);
  const CoopExportColumn columns[] = {
    { "title", "协议名称" }, { "ends-on", "Ends" }, { "intern-quota", "Quota" },
    { "status", "Status" }, { "partner-name", "Partner" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(ExportWorkbook) workbook = NULL;
  guint n = g_list_model_get_n_items (all);

  /* The page's order: the last agreements first, only those with a quota. */
  for (guint i = n; i-- > 0; )
    {
      g_autoptr(CoopAgreement) agreement = g_list_model_get_item (all, i);

      if (coop_agreement_get_intern_quota (agreement) > 0)
        g_list_store_append (rows, agreement);
    }

  g_assert_true (coop_export_list (G_LIST_MODEL (rows), columns, G_N_ELEMENTS (columns), "协议",
                                   path, COOP_EXPORT_FORMAT_XLSX, NULL, &error));
  g_assert_no_error (error);

  workbook = export_workbook_open (path);
  g_assert_cmpstr (g_ptr_array_index (export_workbook_get_sheet_names (workbook), 0), ==, "协议");
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "协议"), ==,
                    1 + g_list_model_get_n_items (G_LIST_MODEL (rows)));
  assert_text_cell (workbook, "协议", 0, 0, "协议名称");
  assert_text_cell (workbook, "协议", 0, 4, "Partner");
  g_assert_null (cell_at (workbook, "协议", 0, 5));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    {
      g_autoptr(CoopAgreement) agreement = g_list_model_get_item (G_LIST_MODEL (rows), i);

      assert_text_cell (workbook, "协议", i + 1, 0, coop_agreement_get_title (agreement));
      assert_number_cell (workbook, "协议", i + 1, 2, coop_agreement_get_intern_quota (agreement));
      assert_text_cell (workbook, "协议", i + 1, 3,
                        coop_enum_get_label (COOP_TYPE_AGREEMENT_STATUS,
                                             coop_agreement_get_status (agreement)));
    }

  /* The first agreement of the demo ends on 2028-05-31: last in this view. */
  assert_date_cell (workbook, "协议", g_list_model_get_n_items (G_LIST_MODEL (rows)), 1,
                    excel_date (2028, 5, 31), "yyyy-mm-dd");
  g_assert_nonnull (strstr (sheet_part (workbook, 0), "<autoFilter ref=\"A1:E"));
}

static void
test_list_injection_xlsx (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "vectors.xlsx");
  g_autoptr(GListStore) rows = vector_partners ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ExportWorkbook) workbook = NULL;

  g_assert_true (coop_export_list (G_LIST_MODEL (rows), partner_columns,
                                   G_N_ELEMENTS (partner_columns), "Partners", path,
                                   COOP_EXPORT_FORMAT_XLSX, NULL, &error));
  g_assert_no_error (error);

  workbook = export_workbook_open (path);
  g_assert_false (export_workbook_has_formula (workbook));
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      /* Stored exactly, as plain strings (a lone CR is read as a newline). */
      const char *expected = vectors[i][0] == '\r' ? "\nCR" : vectors[i];

      assert_text_cell (workbook, "Partners", i + 1, 0, expected);
      assert_text_cell (workbook, "Partners", i + 1, 1, "Dormant");
      assert_text_cell (workbook, "Partners", i + 1, 2, expected);
    }
}

static void
test_list_csv (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "vectors.csv");
  g_autoptr(GListStore) rows = vector_partners ();
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  const char *expected =
    "\xEF\xBB\xBF" "Name,Status,Title\r\n"
    "\"'=1+1\",Dormant,\"'=1+1\"\r\n"
    "\"'+A1\",Dormant,\"'+A1\"\r\n"
    "\"'-2\",Dormant,\"'-2\"\r\n"
    "\"'@SUM(A1)\",Dormant,\"'@SUM(A1)\"\r\n"
    "\"'\tTAB\",Dormant,\"'\tTAB\"\r\n"
    "\"'\nCR\",Dormant,\"'\nCR\"\r\n"
    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Dormant,"
    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n";
  struct stat info;

  g_assert_true (coop_export_list (G_LIST_MODEL (rows), partner_columns,
                                   G_N_ELEMENTS (partner_columns), "Partners", path,
                                   COOP_EXPORT_FORMAT_CSV, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, expected);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
}

static void
test_list_csv_values (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "students.csv");
  GListModel *students = coop_store_get_list (demo, COOP_TYPE_STUDENT);
  const CoopExportColumn columns[] = {
    { "number", "学号" }, { "name", "姓名" }, { "graduation-year", "届" }, { "gender", "性别" },
    { "major", "Major, with a comma" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (coop_export_list (students, columns, G_N_ELEMENTS (columns), NULL, path,
                                   COOP_EXPORT_FORMAT_CSV, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_true (g_utf8_validate (content, -1, NULL));

  lines = g_strsplit (content, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + g_list_model_get_n_items (students) + 1);
  g_assert_cmpstr (lines[0], ==, "\xEF\xBB\xBF学号,姓名,届,性别,\"Major, with a comma\"");
  g_assert_cmpstr (lines[1], ==, "0192010101,林雨萱,2024,Female,广告学");
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");
}

static void
test_list_invalid_utf8 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GListStore) rows = g_list_store_new (COOP_TYPE_PARTNER);
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  const char *formats[] = { "bad.xlsx", "bad.csv" };

  coop_partner_set_name (partner, "Bad \xff\xfe bytes \x01 and A_x0041_B");
  coop_partner_set_notes (partner, "\xe4\xb8");  /* a character cut short */
  g_list_store_append (rows, partner);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = path_in (fixture, formats[i]);
      const CoopExportColumn columns[] = { { "name", "Name" }, { "notes", "Notes" } };
      g_autoptr(GError) error = NULL;

      g_assert_true (coop_export_list (G_LIST_MODEL (rows), columns, G_N_ELEMENTS (columns),
                                       "Bad", path,
                                       i == 0 ? COOP_EXPORT_FORMAT_XLSX : COOP_EXPORT_FORMAT_CSV,
                                       NULL, &error));
      g_assert_no_error (error);

      if (i == 0)
        {
          g_autoptr(ExportWorkbook) workbook = export_workbook_open (path);

          /* Excel's own escapes in user text are escaped, so it shows them as typed. */
          assert_text_cell (workbook, "Bad", 1, 0, "Bad \xef\xbf\xbd\xef\xbf\xbd bytes  and A_x005F_x0041_B");
          assert_text_cell (workbook, "Bad", 1, 1, "\xef\xbf\xbd\xef\xbf\xbd");
        }
      else
        {
          g_autofree char *content = NULL;

          g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
          g_assert_true (g_utf8_validate (content, -1, NULL));
          g_assert_nonnull (strstr (content, "A_x0041_B"));
        }
    }
}

static void
test_list_unwritable (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GListStore) rows = vector_partners ();
  g_autofree char *missing = g_build_filename (fixture->dir, "missing", "list.csv", NULL);

  for (guint format = 0; format < 2; format++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (coop_export_list (G_LIST_MODEL (rows), partner_columns,
                                        G_N_ELEMENTS (partner_columns), NULL, missing, format,
                                        NULL, &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
    }
}

static void
test_list_async_cancel (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "many.xlsx");
  g_autoptr(GListStore) rows = g_list_store_new (COOP_TYPE_PARTNER);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE, FALSE };

  for (guint i = 0; i < 100000; i++)
    {
      g_autoptr(CoopPartner) partner = coop_partner_new ();
      g_autofree char *name = g_strdup_printf ("合作企业 %u", i);

      coop_partner_set_name (partner, name);
      g_list_store_append (rows, partner);
    }

  /* Cancelled as soon as the main loop runs: far before 100,000 rows. */
  coop_export_list_async (G_LIST_MODEL (rows), partner_columns, G_N_ELEMENTS (partner_columns),
                          NULL, path, COOP_EXPORT_FORMAT_XLSX, cancellable, on_done_cb, &state);
  g_idle_add_once ((GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_main_loop_run (state.loop);

  g_assert_false (coop_export_list_finish (state.result, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CANCELLED);
  left = list_dir (fixture->dir);
  g_assert_cmpstr (left, ==, "");

  g_object_unref (state.result);
  g_main_loop_unref (state.loop);
}

static void
test_list_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "partners.csv");
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  AsyncState state = { g_main_loop_new (NULL, FALSE), NULL, NULL, FALSE, FALSE };

  coop_export_list_async (coop_store_get_list (demo, COOP_TYPE_PARTNER), partner_columns,
                          G_N_ELEMENTS (partner_columns), NULL, path, COOP_EXPORT_FORMAT_CSV,
                          NULL, on_done_cb, &state);
  g_main_loop_run (state.loop);
  g_assert_true (coop_export_list_finish (state.result, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  g_assert_true (g_str_has_prefix (content, "\xEF\xBB\xBFName,Status,Title\r\n"
                                            "上海奇利影视科技有限公司,Active,上海奇利影视科技有限公司\r\n"));

  g_object_unref (state.result);
  g_main_loop_unref (state.loop);
}

/* ------------------------------------------------------------------ rows */

typedef struct {
  GCancellable *cancellable;
  guint         cancel_at;
  guint         prepared;   /* by the thread that prepares rows */
} RowsTest;

static void
numbered_row (CoopExportRow *row,
              guint          index,
              gpointer       data)
{
  RowsTest *test = data;

  test->prepared++;
  if (index == test->cancel_at)
    g_cancellable_cancel (test->cancellable);

  coop_export_row_take_text (row, 0, g_strdup_printf ("行 %u", index), COOP_CELL_TEXT,
                             COOP_TINT_NONE);
  coop_export_row_number (row, 1, index, COOP_CELL_NUMBER, COOP_TINT_NONE);
  /* Text that needs cleaning, and a copy of its own. */
  if (index % 3 == 0)
    coop_export_row_text (row, 2, "bad \x01 byte", COOP_CELL_TEXT, COOP_TINT_NONE);
  /* A tinted blank, and an untinted one, which is no cell at all. */
  coop_export_row_blank (row, 3, index % 5 == 0 ? COOP_TINT_WARNING : COOP_TINT_NONE);
  /* Three lines make the row taller. */
  if (index % 7 == 0)
    coop_export_row_text (row, 4, "a\nb\nc", COOP_CELL_WRAP, COOP_TINT_NONE);
}

/* Writes @n_rows numbered rows under a header; %FALSE when cancelled. */
static gboolean
write_numbered_rows (const char  *path,
                     guint        n_rows,
                     RowsTest    *test,
                     GError     **error)
{
  const char *const titles[] = { "Name", "Number", "Bad", "Blank", "Lines" };
  g_autoptr(CoopExportBook) book = NULL;
  CoopExportTarget target;
  CoopExportJob job;
  gboolean written;

  g_assert_true (coop_export_target_open (&target, path, error));
  book = coop_export_book_new (&target, error);
  g_assert_nonnull (book);

  coop_export_job_init (&job, test->cancellable);
  coop_export_job_set_total (&job, n_rows);
  written = coop_export_book_write_table (book, "Rows", titles, G_N_ELEMENTS (titles), n_rows,
                                          numbered_row, test, &job, error);
  coop_export_job_clear (&job);
  if (!written)
    {
      coop_export_target_discard (&target);
      return FALSE;
    }

  g_assert_true (coop_export_book_close (book, error));
  return coop_export_target_commit (&target, error);
}

static void
test_rows (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "rows.xlsx");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ExportWorkbook) workbook = NULL;
  RowsTest test = { cancellable, G_MAXUINT, 0 };
  const char *sheet_xml;
  /* More rows than the batches prepared ahead hold, and not a whole batch. */
  guint n_rows = 2345;

  /* One row, one batch, two whole batches, none. */
  for (guint n = 0; n <= 512; n = n == 0 ? 1 : n == 1 ? 256 : n * 2)
    {
      g_autofree char *small = g_strdup_printf ("%s-%u", path, n);
      g_autoptr(ExportWorkbook) book = NULL;

      test.prepared = 0;
      g_assert_true (write_numbered_rows (small, n, &test, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (test.prepared, ==, n);
      book = export_workbook_open (small);
      g_assert_cmpuint (export_workbook_get_n_rows (book, "Rows"), ==, 1 + n);
      if (n > 0)
        {
          g_autofree char *last = g_strdup_printf ("行 %u", n - 1);

          assert_text_cell (book, "Rows", n, 0, last);
        }
    }

  test.prepared = 0;
  g_assert_true (write_numbered_rows (path, n_rows, &test, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (test.prepared, ==, n_rows);

  workbook = export_workbook_open (path);
  g_assert_cmpuint (export_workbook_get_n_rows (workbook, "Rows"), ==, 1 + n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *name = g_strdup_printf ("行 %u", i);
      g_autofree char *number = g_strdup_printf ("%u", i);
      g_autofree char *blank = export_workbook_ref (1 + i, 3);
      const ExportCell *cell = export_workbook_get_cell (workbook, "Rows", blank);

      assert_text_cell (workbook, "Rows", 1 + i, 0, name);
      g_assert_cmpstr (export_workbook_get_text (workbook, "Rows", 1 + i, 1), ==, number);
      g_assert_cmpstr (export_workbook_get_text (workbook, "Rows", 1 + i, 2), ==,
                       i % 3 == 0 ? "bad  byte" : NULL);
      if (i % 5 == 0)
        g_assert_cmpstr (export_workbook_get_fill (workbook, cell->style), ==, "FFF2CC");
      else
        g_assert_null (cell);
      g_assert_cmpstr (export_workbook_get_text (workbook, "Rows", 1 + i, 4), ==,
                       i % 7 == 0 ? "a\nb\nc" : NULL);
    }

  /* Rows of three lines are 45 points high, the others have no height. */
  sheet_xml = export_workbook_get_part (workbook, "xl/worksheets/sheet1.xml");
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *start = g_strdup_printf ("<row r=\"%u\"", 2 + i);
      const char *row = strstr (sheet_xml, start);
      g_autofree char *tag = NULL;

      g_assert_nonnull (row);
      tag = g_strndup (row, strchr (row, '>') - row);
      g_assert_cmpint (strstr (tag, "ht=\"45\"") != NULL, ==, i % 7 == 0);
    }
}

static void
test_rows_cancelled (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "cancelled.xlsx");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  RowsTest test = { cancellable, 3000, 0 };

  /* Cancelled while row 3,000 is prepared: the rows prepared ahead are
   * dropped, and the preparing stops a few batches later. */
  g_assert_false (write_numbered_rows (path, 100000, &test, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CANCELLED);
  g_assert_cmpuint (test.prepared, >, 3000);
  g_assert_cmpuint (test.prepared, <, 10000);

  left = list_dir (fixture->dir);
  g_assert_cmpstr (left, ==, "");
}

/* What a character counts for in a column, as GLib's tables have it. */
static guint
expected_char_width (gunichar c)
{
  return g_unichar_iswide (c) || g_unichar_iswide_cjk (c) ? 2 : 1;
}

static void
test_cell_measure (void)
{
  const char *dirty[] = {
    "\x01", "a\rb", "a\x7f", "tab\tand\x1b", "A_x0041_B", "_x00fF_",
    /* Not UTF-8 */
    "\xff", "\x80", "a\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf",
    "\xed\xa0\x80", "\xed\xbf\xbf", "\xf0\x80\x80\x80", "\xf4\x90\x80\x80",
    "\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\xe4\xb8", "\xe4", "\xf0\x9f\x98",
    "\xe4\xb8\xad\xe4\xb8", "\xc3(",
  };
  const char *clean[] = { "", "A_x004_B", "A_x00G1_B", "_x0041", "tab\tand\nline", "中文" };
  g_autofree char *longest = g_strnfill (COOP_EXPORT_MAX_CELL_CHARS, 'a');
  g_autofree char *too_long = g_strnfill (COOP_EXPORT_MAX_CELL_CHARS + 1, 'a');
  guint width, lines;

  /* Every character but the control ones, alone and between letters. */
  for (gunichar c = 0x20; c <= 0x10FFFF; c++)
    {
      char text[16] = "a";
      gint n;

      if (c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0xD800 && c <= 0xDFFF))
        continue;
      n = g_unichar_to_utf8 (c, text + 1);
      text[1 + n] = 'b';

      if (!coop_export_measure_clean (text, 50, &width, &lines))
        g_error ("U+%04X taken for text that needs cleaning", c);
      g_assert_cmpuint (width, ==, 2 + expected_char_width (c));
      g_assert_cmpuint (lines, ==, 1);
      g_assert_cmpuint (coop_export_display_width (text, 50, NULL), ==, width);
    }
  /* C1 controls are valid UTF-8 and left as they are. */
  g_assert_true (coop_export_measure_clean ("\xc2\x85", 50, &width, &lines));

  for (guint i = 0; i < G_N_ELEMENTS (dirty); i++)
    {
      g_autofree char *owned = NULL;

      width = lines = 12345;
      if (coop_export_measure_clean (dirty[i], 50, &width, &lines))
        g_error ("text %u taken for clean", i);
      g_assert_cmpuint (width, ==, 12345);
      coop_export_clean_text (dirty[i], &owned);
      g_assert_nonnull (owned);
      g_assert_true (g_utf8_validate (owned, -1, NULL));
    }

  for (guint i = 0; i < G_N_ELEMENTS (clean); i++)
    {
      g_autofree char *owned = NULL;

      g_assert_true (coop_export_measure_clean (clean[i], 50, &width, &lines));
      g_assert_true (coop_export_clean_text (clean[i], &owned) == clean[i]);
      g_assert_null (owned);
    }

  g_assert_true (coop_export_measure_clean (longest, 50, &width, &lines));
  g_assert_cmpuint (width, ==, 50);
  g_assert_false (coop_export_measure_clean (too_long, 50, &width, &lines));

  /* Lines, each wrapped at the cap; the widest is capped. */
  {
    const struct { const char *text; guint cap, width, lines; } cases[] = {
      { "ab\ncd", 50, 2, 2 },
      { "ab\n\ncde", 50, 3, 3 },
      /* 24 columns of Chinese, then two letters */
      { "上海奇利影视科技有限公司\nab", 10, 10, 3 },
      { "上海奇利影视科技有限公司\nab", 24, 24, 2 },
      { "上海奇利影视科技有限公司\nab", 23, 23, 2 },
      { "上海奇利影视科技有限公司\nab", 11, 11, 3 },
      /* The middle dot is of ambiguous width: double, as in Chinese text. */
      { "王建国 · 总经理 · 上海奇利 (Host)", 40, 35, 1 },
    };
    g_autofree char *hundred = g_strnfill (100, 'x');

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        guint display_lines;

        g_assert_true (coop_export_measure_clean (cases[i].text, cases[i].cap, &width, &lines));
        g_assert_cmpuint (width, ==, cases[i].width);
        g_assert_cmpuint (lines, ==, cases[i].lines);
        g_assert_cmpuint (coop_export_display_width (cases[i].text, cases[i].cap, &display_lines),
                          ==, width);
        g_assert_cmpuint (display_lines, ==, lines);
      }

    /* 100 columns in a column 40 wide: 42 to a line with the padding. */
    g_assert_true (coop_export_measure_clean (hundred, 40, &width, &lines));
    g_assert_cmpuint (width, ==, 40);
    g_assert_cmpuint (lines, ==, 3);
  }
}

/* ------------------------------------------------------------------ main */

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp ("test-export-demo-XXXXXX", &error);
  g_assert_no_error (error);
  /* With COOP_TEST_POSTGRESQL set, under pg_virtualenv (see meson.build),
   * the demo lives on the throwaway server and every workbook must come
   * out the same. */
  if (g_getenv ("COOP_TEST_POSTGRESQL") != NULL)
    {
      /* A test in a subprocess runs main () again: a database each. */
      g_autofree char *name = g_strdup_printf ("coop_export_demo_%u", (guint) getpid ());
      g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
      PGconn *conn = PQconnectdb ("dbname=postgres");
      PGresult *result = PQexec (conn, sql);

      g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
      PQclear (result);
      PQfinish (conn);
      database = g_strdup_printf ("postgresql:///%s", name);
    }
  else
    database = g_build_filename (dir, "demo.db", NULL);
  demo = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (demo, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);
  g_assert_true (coop_store_load_all (demo, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/export/cell/measure", test_cell_measure);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export/summary/sheets", test_summary_sheets);
  ADD ("/export/summary/headers", test_summary_headers);
  ADD ("/export/summary/records", test_summary_records);
  ADD ("/export/summary/overview", test_summary_overview);
  ADD ("/export/summary/highlight", test_summary_highlight);
  ADD ("/export/summary/layout", test_summary_layout);
  ADD ("/export/summary/period", test_summary_period);
  ADD ("/export/summary/year", test_summary_year);
  ADD ("/export/summary/academic-year", test_summary_academic_year);
  ADD ("/export/summary/mask", test_summary_mask);
  ADD ("/export/summary/bad-dates", test_summary_bad_dates);
  ADD ("/export/summary/unwritable", test_summary_unwritable);
  ADD ("/export/summary/disk-full", test_summary_disk_full);
  ADD ("/export/summary/replaces", test_summary_replaces);
  ADD ("/export/summary/cancelled", test_summary_cancelled);
  ADD ("/export/summary/async", test_summary_async);
  ADD ("/export/summary/chinese", test_summary_chinese);
  ADD ("/export/list/xlsx", test_list_xlsx);
  ADD ("/export/list/injection-xlsx", test_list_injection_xlsx);
  ADD ("/export/list/csv", test_list_csv);
  ADD ("/export/list/csv-values", test_list_csv_values);
  ADD ("/export/list/invalid-utf8", test_list_invalid_utf8);
  ADD ("/export/list/unwritable", test_list_unwritable);
  ADD ("/export/list/async", test_list_async);
  ADD ("/export/list/async-cancel", test_list_async_cancel);
  ADD ("/export/rows", test_rows);
  ADD ("/export/rows/cancelled", test_rows_cancelled);
#undef ADD

  status = g_test_run ();

  g_clear_object (&demo);
  coop_test_remove_tree (dir);
  return status;
}
