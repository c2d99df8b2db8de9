/* test-print.c — printed sheets, written as PDFs and read back with poppler
 *
 * Each test prints through GtkPrintOperation's export action and checks the
 * text (pdftotext) and the page count (pdfinfo) of the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-print"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "coop-agreement.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-event.h"
#include "coop-pool.h"
#include "coop-print.h"
#include "coop-sample.h"
#include "coop-sheet.h"
#include "coop-store.h"
#include "coop-test-util.h"

#define DEMO_MEETING "上海奇利影视科技有限公司实习就业推荐会"

typedef struct {
  char      *dir;
  CoopStore *store;
} Fixture;

/* ------------------------------------------------------------------ helpers */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("coop-test-print-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_sample_fill (fixture->store, COOP_SAMPLE_DEMO, &error);
  g_assert_no_error (error);
  coop_store_load_all (fixture->store, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  coop_print_forget_settings ();
  g_clear_object (&fixture->store);
  coop_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static CoopRecord *
find_record (Fixture    *fixture,
             GType       type,
             const char *title)
{
  GListModel *list = coop_store_get_list (fixture->store, type);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (list, i);

      if (g_strcmp0 (coop_record_get_title (record), title) == 0)
        return record;
    }
  g_error ("no record “%s”", title);
  return NULL;
}

static char *
print_record (Fixture    *fixture,
              CoopRecord *record,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  /* For looking at them: COOP_TEST_PDF_DIR keeps the files. */
  const char *dir = g_getenv ("COOP_TEST_PDF_DIR") ? g_getenv ("COOP_TEST_PDF_DIR") : fixture->dir;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (coop_print_to_pdf (fixture->store, record, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

static char *
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

/* The text of @path, or of its page @page (from 1) when it is not 0. */
static char *
pdf_text (const char *path,
          guint       page)
{
  g_autofree char *number = g_strdup_printf ("%u", page);

  if (page == 0)
    return run_tool ((const char *[]) { "pdftotext", "-enc", "UTF-8", path, "-", NULL });
  return run_tool ((const char *[]) { "pdftotext", "-enc", "UTF-8", "-f", number, "-l", number,
                                      path, "-", NULL });
}

static guint
pdf_pages (const char *path)
{
  g_autofree char *info = run_tool ((const char *[]) { "pdfinfo", path, NULL });
  g_auto(GStrv) lines = g_strsplit (info, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Pages:"))
      return (guint) g_ascii_strtoull (g_strchug (lines[i] + strlen ("Pages:")), NULL, 10);
  g_assert_not_reached ();
}

/* "Page size: 595.276 x 841.89 pts (A4)" */
static void
assert_a4 (const char *path)
{
  g_autofree char *info = run_tool ((const char *[]) { "pdfinfo", path, NULL });

  g_assert_nonnull (strstr (info, "(A4)"));
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* @text with no spaces or line breaks: a cell's text may wrap. */
static char *
squeeze (const char *text)
{
  GString *squeezed = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '\n')
      g_string_append_c (squeezed, *p);
  return g_string_free (squeezed, FALSE);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  g_autofree char *squeezed_text = squeeze (text);
  g_autofree char *squeezed_needle = squeeze (needle);

  if (strstr (squeezed_text, squeezed_needle) == NULL)
    g_error ("“%s” is not in the text:\n%s", needle, text);
}

/* An unsaved event with sixty attendees. */
static CoopEvent *
new_crowded_event (void)
{
  CoopEvent *event = coop_event_new ();

  coop_event_set_title (event, "Job fair");
  coop_event_set_starts_at (event, "2026-03-02 09:30");
  coop_event_set_location (event, "Hall B");
  coop_event_set_chair (event, "Chen Zhihua");
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(CoopAttendee) attendee = coop_attendee_new ();
      g_autofree char *name = g_strdup_printf ("Person%02u", i + 1);

      coop_attendee_set_name (attendee, name);
      coop_attendee_set_organization (attendee, "Qili Film");
      g_list_store_append (G_LIST_STORE (coop_event_get_attendees (event)), attendee);
    }
  return event;
}

/* ------------------------------------------------------------------ tests */

/* The demo meeting's sign-in sheet: its title block and every attendee. */
static void
test_event_demo (Fixture       *fixture,
                 gconstpointer  data)
{
  CoopRecord *event = find_record (fixture, COOP_TYPE_EVENT, DEMO_MEETING);
  g_autofree char *path = print_record (fixture, event, "event.pdf");
  g_autofree char *text = pdf_text (path, 0);
  GListModel *attendees = coop_event_get_attendees (COOP_EVENT (event));

  g_assert_cmpuint (pdf_pages (path), ==, 1);
  assert_a4 (path);
  assert_contains (text, DEMO_MEETING);
  assert_contains (text, "Sign-in Sheet");
  assert_contains (text, "2023-05-19 14:00");
  assert_contains (text, "艺术设计学院 A 楼报告厅");
  assert_contains (text, "陈志华");
  assert_contains (text, "Signature");
  assert_contains (text, "Page 1 of 1");
  assert_contains (text, "Printed on 2026-03-01");
  g_assert_cmpuint (g_list_model_get_n_items (attendees), ==, 7);
  for (guint i = 0; i < g_list_model_get_n_items (attendees); i++)
    {
      g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, i);

      assert_contains (text, coop_attendee_get_name (attendee));
    }
}

/* Sixty attendees take three pages; each repeats the header row and says
 * which page it is, and each attendee is printed once. */
static void
test_event_pages (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(CoopEvent) event = new_crowded_event ();
  g_autofree char *path = NULL;
  g_autofree char *all = NULL;

  path = print_record (fixture, COOP_RECORD (event), "many.pdf");
  g_assert_cmpuint (pdf_pages (path), ==, 3);
  for (guint page = 1; page <= 3; page++)
    {
      g_autofree char *text = pdf_text (path, page);
      g_autofree char *footer = g_strdup_printf ("Page %u of 3", page);

      assert_contains (text, "Signature");
      assert_contains (text, "Organization");
      assert_contains (text, footer);
      if (page > 1)
        assert_contains (text, "Job fair — Sign-in Sheet");
    }

  all = pdf_text (path, 0);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person%02u", i + 1);
      g_assert_cmpuint (count (all, name), ==, 1);
    }
  /* The title block is on the first page only. */
  g_assert_cmpuint (count (all, "Hall B"), ==, 1);
}

/* A pool's candidates, by student number, with what the office needs. */
static void
test_pool_demo (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *candidates = coop_store_get_list (fixture->store, COOP_TYPE_CANDIDATE);
  g_autoptr(CoopCandidate) first = g_list_model_get_item (candidates, 0);
  CoopRecord *pool = coop_store_find (fixture->store, COOP_TYPE_POOL,
                                      coop_candidate_get_pool_id (first));
  g_autofree char *path = print_record (fixture, pool, "pool.pdf");
  g_autofree char *text = pdf_text (path, 0);
  guint in_pool = 0;

  assert_contains (text, coop_pool_get_title (COOP_POOL (pool)));
  assert_contains (text, "Candidate List");
  assert_contains (text, "Student number");
  assert_contains (text, "Class");
  assert_contains (text, "Stage");
  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (candidates, i);

      if (coop_candidate_get_pool_id (candidate) != coop_record_get_id (pool))
        continue;
      in_pool++;
      assert_contains (text, coop_candidate_get_student_name (candidate));
      assert_contains (text, coop_candidate_get_student_number (candidate));
      assert_contains (text, coop_candidate_get_class_name (candidate));
    }
  g_assert_cmpuint (in_pool, >, 0);
}

/* The sheet itself: candidates sorted by student number. */
static void
test_pool_sheet (Fixture       *fixture,
                 gconstpointer  data)
{
  GListModel *pools = coop_store_get_list (fixture->store, COOP_TYPE_POOL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (pools); i++)
    {
      g_autoptr(CoopRecord) pool = g_list_model_get_item (pools, i);
      g_autoptr(CoopSheet) sheet = coop_sheet_new_for_record (fixture->store, pool, &error);
      g_autofree char *count_text = NULL;

      g_assert_no_error (error);
      count_text = g_strdup_printf ("%d", coop_pool_get_candidate_count (COOP_POOL (pool)));
      g_assert_cmpuint (sheet->rows->len, ==, coop_pool_get_candidate_count (COOP_POOL (pool)));
      g_assert_cmpstr (coop_sheet_get_fact (sheet, "Candidates"), ==, count_text);
      g_assert_cmpuint (sheet->blank_rows, ==, 0);
      for (guint r = 1; r < sheet->rows->len; r++)
        {
          char **above = g_ptr_array_index (sheet->rows, r - 1);
          char **row = g_ptr_array_index (sheet->rows, r);

          g_assert_cmpint (g_strcmp0 (above[1], row[1]), <=, 0);
        }
    }
}

/* An agreement fits on one page, however long its commitments. */
static void
test_agreement_one_page (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *agreements = coop_store_get_list (fixture->store, COOP_TYPE_AGREEMENT);
  g_autoptr(CoopRecord) agreement = g_list_model_get_item (agreements, 0);
  g_autoptr(CoopRecord) copy = coop_record_copy (agreement);
  g_autoptr(GString) commitments = g_string_new (NULL);
  g_autofree char *path = print_record (fixture, agreement, "agreement.pdf");
  g_autofree char *text = pdf_text (path, 0);
  g_autofree char *long_path = NULL;
  g_autofree char *long_text = NULL;
  g_autofree char *quota = g_strdup_printf ("%d",
                                            coop_agreement_get_intern_quota (COOP_AGREEMENT (agreement)));

  g_assert_cmpuint (pdf_pages (path), ==, 1);
  assert_contains (text, coop_agreement_get_title (COOP_AGREEMENT (agreement)));
  assert_contains (text, "Agreement Summary");
  assert_contains (text, coop_agreement_get_partner_name (COOP_AGREEMENT (agreement)));
  assert_contains (text, "Yearly intern quota");
  assert_contains (text, quota);
  assert_contains (text, "Commitments");
  assert_contains (text, "Page 1 of 1");

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (commitments, "Commitment number %u of the school and the partner.\n",
                            i);
  coop_agreement_set_commitments (COOP_AGREEMENT (copy), commitments->str);
  long_path = print_record (fixture, copy, "long.pdf");
  long_text = pdf_text (long_path, 0);
  g_assert_cmpuint (pdf_pages (long_path), ==, 1);
  assert_contains (long_text, "Commitment number 0 ");
  g_assert_null (strstr (long_text, "Commitment number 299 "));
  assert_contains (long_text, "…");
}

/* In Chinese the labels, the kind of sheet and the page numbers are
 * translated.  Runs when the zh_CN locale exists. */
static void
test_chinese (Fixture       *fixture,
              gconstpointer  data)
{
  const char *localedir = g_getenv ("COOP_TEST_LOCALEDIR");

  if (g_test_subprocess ())
    {
      CoopRecord *event;
      GListModel *agreements;
      g_autoptr(CoopRecord) agreement = NULL;
      g_autofree char *event_path = NULL;
      g_autofree char *event_text = NULL;
      g_autofree char *agreement_path = NULL;
      g_autofree char *agreement_text = NULL;
      CoopRecord *pool;
      g_autofree char *pool_path = NULL;
      g_autofree char *pool_text = NULL;
      g_autoptr(CoopEvent) crowded = NULL;
      g_autofree char *crowded_path = NULL;

      g_assert_nonnull (setlocale (LC_ALL, "zh_CN.UTF-8"));
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);

      event = find_record (fixture, COOP_TYPE_EVENT, DEMO_MEETING);
      event_path = print_record (fixture, event, "签到表.pdf");
      event_text = pdf_text (event_path, 0);
      assert_contains (event_text, "签到表");
      assert_contains (event_text, "签名");
      assert_contains (event_text, "地点：");
      assert_contains (event_text, "第 1 页，共 1 页");
      assert_contains (event_text, "林雨萱");

      agreements = coop_store_get_list (fixture->store, COOP_TYPE_AGREEMENT);
      agreement = g_list_model_get_item (agreements, 0);
      agreement_path = print_record (fixture, agreement, "协议.pdf");
      agreement_text = pdf_text (agreement_path, 0);
      g_assert_cmpuint (pdf_pages (agreement_path), ==, 1);
      assert_contains (agreement_text, "协议摘要");
      assert_contains (agreement_text, "合作企业：");
      assert_contains (agreement_text, "第 1 页，共 1 页");

      pool = coop_store_find (fixture->store, COOP_TYPE_POOL, 1);
      pool_path = print_record (fixture, pool, "名单.pdf");
      pool_text = pdf_text (pool_path, 0);
      assert_contains (pool_text, "候选人名单");
      assert_contains (pool_text, "序号");
      assert_contains (pool_text, "学号");

      crowded = new_crowded_event ();
      crowded_path = print_record (fixture, COOP_RECORD (crowded), "三页.pdf");
      g_assert_cmpuint (pdf_pages (crowded_path), ==, 3);
      for (guint page = 1; page <= 3; page++)
        {
          g_autofree char *text = pdf_text (crowded_path, page);
          g_autofree char *footer = g_strdup_printf ("第 %u 页，共 3 页", page);

          assert_contains (text, "签名");
          assert_contains (text, "单位");
          assert_contains (text, footer);
        }
      return;
    }

  if (localedir == NULL || !g_file_test (localedir, G_FILE_TEST_IS_DIR) ||
      setlocale (LC_MESSAGES, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("no zh_CN locale or catalogue");
      return;
    }
  setlocale (LC_MESSAGES, "C.UTF-8");

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A PDF that cannot be written is an error, and leaves no file. */
static void
test_unwritable (Fixture       *fixture,
                 gconstpointer  data)
{
  CoopRecord *event = find_record (fixture, COOP_TYPE_EVENT, DEMO_MEETING);
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "event.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (coop_print_to_pdf (fixture->store, event, path, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/print/event/demo", test_event_demo);
  ADD ("/print/event/pages", test_event_pages);
  ADD ("/print/pool/demo", test_pool_demo);
  ADD ("/print/pool/sheet", test_pool_sheet);
  ADD ("/print/agreement/one-page", test_agreement_one_page);
  ADD ("/print/chinese", test_chinese);
  ADD ("/print/unwritable", test_unwritable);
#undef ADD

  return g_test_run ();
}
