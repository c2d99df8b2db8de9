/* test-due.c — what is due on a fixed day, and marking it done or snoozed
 *
 * With COOP_TEST_POSTGRESQL set (under pg_virtualenv, see meson.build) the
 * tests run on a new database of the server instead of a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "coop-test-util.h"
#include "coop-agreement.h"
#include "coop-autostart.h"
#include "coop-candidate.h"
#include "coop-due.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-sample.h"
#include "coop-student.h"

typedef struct {
  char      *dir;
  CoopStore *store;
} Fixture;

static char *
new_location (const char *dir)
{
  if (g_getenv ("COOP_TEST_POSTGRESQL") != NULL)
    return coop_test_new_server_database ("due");
  return g_build_filename (dir, "due.db", NULL);
}

/* The demo, made on 2025-05-01: its dates near today are fixed too. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  g_setenv ("COOPDESK_TODAY", "2025-05-01", TRUE);
  f->dir = g_dir_make_tmp ("coop-due-XXXXXX", &error);
  g_assert_no_error (error);
  location = new_location (f->dir);
  f->store = coop_store_open (location, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_sample_fill (f->store, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);
  coop_store_load_all (f->store, NULL, &error);
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

/* "id | date | days | text" for each item, one per line. */
static char *
describe (CoopStore  *store,
          const char *today,
          guint       warning_days)
{
  g_autoptr(GPtrArray) items = coop_due_list (store, today, warning_days);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      CoopDueItem *item = g_ptr_array_index (items, i);
      g_autofree char *id = coop_due_item_dup_id (item);
      g_autofree char *line = coop_due_item_dup_text (item);

      g_string_append_printf (text, "%s | %s | %d | %s\n", id, item->date, item->days, line);
    }
  return g_string_free (text, FALSE);
}

static CoopDueItem *
find_item (CoopStore  *store,
           const char *today,
           const char *id)
{
  g_autoptr(GPtrArray) items = coop_due_list (store, today, 90);

  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *item_id = coop_due_item_dup_id (g_ptr_array_index (items, i));

      if (g_str_equal (item_id, id))
        return g_ptr_array_steal_index (items, i);
    }
  return NULL;
}

static gpointer
save (CoopStore *store,
      gpointer   record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_store_save (store, COOP_RECORD (record), &error));
  g_assert_no_error (error);
  return record;
}

static void
test_today (void)
{
  g_autofree char *fixed = NULL;
  g_autofree char *later = NULL;
  g_autofree char *earlier = NULL;

  g_setenv ("COOPDESK_TODAY", "2024-02-28", TRUE);
  fixed = coop_due_today ();
  g_assert_cmpstr (fixed, ==, "2024-02-28");
  later = coop_due_add_days (fixed, 2);
  g_assert_cmpstr (later, ==, "2024-03-01");
  earlier = coop_due_add_days ("2025-01-03", -7);
  g_assert_cmpstr (earlier, ==, "2024-12-27");
  g_assert_null (coop_due_add_days ("2025-02-30", 1));

  /* A value that is no date is not taken for today. */
  g_setenv ("COOPDESK_TODAY", "soon", TRUE);
  g_free (fixed);
  fixed = coop_due_today ();
  g_assert_cmpuint (strlen (fixed), ==, 10);
  g_assert_cmpstr (fixed, !=, "soon");
}

static void
test_demo (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *due = describe (f->store, "2025-05-01", 90);
  g_autofree char *narrow = describe (f->store, "2025-05-01", 30);

  g_assert_cmpstr (due, ==,
    "due-candidate-3-offer | 2023-06-02 | -699 | "
      "孙佳怡 has not answered the offer of 上海奇利影视科技有限公司 for 699 days\n"
    "due-event-1-follow-up | 2023-06-15 | -686 | "
      "Follow up “上海奇利影视科技有限公司实习就业推荐会”: due 686 days ago\n"
    "due-agreement-4-lapsed | 2025-04-11 | -20 | "
      "Employment base agreement with 深圳蓝鲸品牌设计有限公司 ended 20 days ago "
      "but is still marked active\n"
    "due-agreement-2-ending | 2025-06-15 | 45 | "
      "Internship base agreement with 杭州云帆广告传媒有限公司 ends in 45 days\n");

  /* A window of 30 days does not reach the agreement ending in 45. */
  g_assert_null (strstr (narrow, "due-agreement-2-ending"));
  g_assert_nonnull (strstr (narrow, "due-agreement-4-lapsed"));
}

/* Each kind at the edges of its window. */
static void
test_edges (Fixture       *f,
            gconstpointer  data)
{
  GListModel *partners = coop_store_get_list (f->store, COOP_TYPE_PARTNER);
  g_autoptr(CoopPartner) partner = g_list_model_get_item (partners, 0);
  gint64 partner_id = coop_record_get_id (COOP_RECORD (partner));
  const char *pools[][3] = {
    { "春季招聘", "2025-05-04", "open" },    /* in 3 days: due */
    { "秋季招聘", "2025-05-09", "open" },    /* in 8 days: not yet */
    { "今日截止", "2025-05-01", "open" },    /* today: due */
    { "已关闭", "2025-05-02", "closed" },    /* closed: never */
  };
  const char *offers[][2] = { { "2025-04-24", "李雷" }, { "2025-04-25", "韩梅梅" } };
  g_autoptr(CoopEvent) event = coop_event_new ();
  g_autoptr(CoopAgreement) last_day = coop_agreement_new ();
  g_autoptr(CoopAgreement) past_window = coop_agreement_new ();
  g_autoptr(CoopPool) first_pool = NULL;
  gint64 pool_ids[G_N_ELEMENTS (pools)];
  gint64 offer_ids[G_N_ELEMENTS (offers)];
  g_autofree char *due = NULL;
  g_autofree char *expected = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (pools); i++)
    {
      g_autoptr(CoopPool) pool = coop_pool_new ();

      coop_pool_set_title (pool, pools[i][0]);
      coop_pool_set_partner_id (pool, partner_id);
      coop_pool_set_closes_on (pool, pools[i][1]);
      coop_pool_set_status (pool, g_str_equal (pools[i][2], "open") ? COOP_POOL_STATUS_OPEN
                                                                    : COOP_POOL_STATUS_CLOSED);
      save (f->store, pool);
      pool_ids[i] = coop_record_get_id (COOP_RECORD (pool));
      if (i == 0)
        first_pool = g_object_ref (pool);
    }

  for (guint i = 0; i < G_N_ELEMENTS (offers); i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
      g_autofree char *number = g_strdup_printf ("2025%04u", i);

      coop_student_set_number (student, number);
      coop_student_set_name (student, offers[i][1]);
      save (f->store, student);
      coop_candidate_set_pool_id (candidate, coop_record_get_id (COOP_RECORD (first_pool)));
      coop_candidate_set_student_id (candidate, coop_record_get_id (COOP_RECORD (student)));
      coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_OFFERED);
      coop_candidate_set_stage_on (candidate, offers[i][0]);
      save (f->store, candidate);
      offer_ids[i] = coop_record_get_id (COOP_RECORD (candidate));
    }

  coop_event_set_title (event, "回访");
  coop_event_set_kind (event, COOP_EVENT_KIND_VISIT);
  coop_event_set_starts_at (event, "2025-04-20 10:00");
  coop_event_set_follow_up_on (event, "2025-05-01");
  save (f->store, event);

  coop_agreement_set_title (last_day, "最后一天");
  coop_agreement_set_partner_id (last_day, partner_id);
  coop_agreement_set_kind (last_day, COOP_AGREEMENT_KIND_PRACTICE_BASE);
  coop_agreement_set_status (last_day, COOP_AGREEMENT_STATUS_SIGNED);
  coop_agreement_set_ends_on (last_day, "2025-05-31");
  save (f->store, last_day);
  coop_agreement_set_title (past_window, "窗外");
  coop_agreement_set_partner_id (past_window, partner_id);
  coop_agreement_set_kind (past_window, COOP_AGREEMENT_KIND_PRACTICE_BASE);
  coop_agreement_set_status (past_window, COOP_AGREEMENT_STATUS_ACTIVE);
  coop_agreement_set_ends_on (past_window, "2025-06-01");
  save (f->store, past_window);

  due = describe (f->store, "2025-05-01", 30);
  expected = g_strdup_printf (
    "due-candidate-3-offer | 2023-06-02 | -699 | "
      "孙佳怡 has not answered the offer of 上海奇利影视科技有限公司 for 699 days\n"
    "due-event-1-follow-up | 2023-06-15 | -686 | "
      "Follow up “上海奇利影视科技有限公司实习就业推荐会”: due 686 days ago\n"
    "due-agreement-4-lapsed | 2025-04-11 | -20 | "
      "Employment base agreement with 深圳蓝鲸品牌设计有限公司 ended 20 days ago "
      "but is still marked active\n"
    "due-candidate-%" G_GINT64_FORMAT "-offer | 2025-04-24 | -7 | "
      "李雷 has not answered the offer of %s for 7 days\n"
    "due-event-%" G_GINT64_FORMAT "-follow-up | 2025-05-01 | 0 | Follow up “回访” today\n"
    "due-pool-%" G_GINT64_FORMAT "-closing | 2025-05-01 | 0 | “今日截止” of %s closes today\n"
    "due-pool-%" G_GINT64_FORMAT "-closing | 2025-05-04 | 3 | “春季招聘” of %s closes in 3 days\n"
    "due-agreement-%" G_GINT64_FORMAT "-ending | 2025-05-31 | 30 | "
      "Practice base agreement with %s ends in 30 days\n",
    offer_ids[0], coop_partner_get_name (partner),
    coop_record_get_id (COOP_RECORD (event)),
    pool_ids[2], coop_partner_get_name (partner),
    pool_ids[0], coop_partner_get_name (partner),
    coop_record_get_id (COOP_RECORD (last_day)), coop_partner_get_name (partner));
  g_assert_cmpstr (due, ==, expected);
}

/* Done hides an item for its date; a new date makes it due again. */
static void
test_done (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CoopDueItem) lapsed = find_item (f->store, "2025-05-01", "due-agreement-4-lapsed");
  g_autoptr(CoopRecord) previous = NULL;
  g_autoptr(CoopRecord) renewed = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *later = NULL;
  CoopDueItem *again;

  g_assert_nonnull (lapsed);
  g_assert_true (coop_due_item_mark_done (f->store, lapsed, &previous, &error));
  g_assert_no_error (error);
  g_assert_nonnull (previous);
  after = describe (f->store, "2025-05-01", 90);
  g_assert_null (strstr (after, "due-agreement-4-"));

  /* A write like any other: in the change log. */
  log = coop_store_list_changes (f->store, COOP_TYPE_AGREEMENT, 4, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (((CoopChangeEntry *) log->pdata[log->len - 1])->changes,
                            "2025-04-11"));

  /* Undone, it is due again. */
  g_assert_true (coop_due_restore (f->store, previous, &error));
  g_assert_no_error (error);
  restored = describe (f->store, "2025-05-01", 90);
  g_assert_nonnull (strstr (restored, "due-agreement-4-lapsed"));

  /* Done again, then renewed: the new end is due when it comes near. */
  g_clear_object (&previous);
  g_assert_true (coop_due_item_mark_done (f->store, lapsed, NULL, &error));
  g_assert_no_error (error);
  renewed = coop_record_copy (coop_store_find (f->store, COOP_TYPE_AGREEMENT, 4));
  coop_agreement_set_ends_on (COOP_AGREEMENT (renewed), "2025-07-01");
  save (f->store, renewed);
  later = describe (f->store, "2025-05-01", 90);
  g_assert_nonnull (strstr (later, "due-agreement-4-ending | 2025-07-01 | 61 |"));

  again = find_item (f->store, "2025-05-01", "due-agreement-4-ending");
  g_assert_nonnull (again);
  coop_due_item_free (again);
}

/* A snooze hides an item for a week, on every day of it. */
static void
test_snooze (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CoopDueItem) follow_up = find_item (f->store, "2025-05-01", "due-event-1-follow-up");
  g_autoptr(GError) error = NULL;
  const char *days[][2] = {
    { "2025-05-01", "hidden" }, { "2025-05-07", "hidden" }, { "2025-05-08", "due" },
  };

  g_assert_nonnull (follow_up);
  g_assert_true (coop_due_item_snooze (f->store, follow_up, "2025-05-01", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (coop_record_get_string (coop_store_find (f->store, COOP_TYPE_EVENT, 1),
                     coop_record_class_find_field (COOP_RECORD_GET_CLASS (follow_up->record),
                                                   "reminder-snoozed-until")), ==, "2025-05-08");

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *due = describe (f->store, days[i][0], 90);

      g_test_message ("on %s", days[i][0]);
      g_assert_cmpint (strstr (due, "due-event-1-follow-up") != NULL, ==,
                       g_str_equal (days[i][1], "due"));
    }
}

/* Marking a record somebody deleted meanwhile says so. */
static void
test_deleted (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CoopDueItem) offer = find_item (f->store, "2025-05-01", "due-candidate-3-offer");
  g_autoptr(GError) error = NULL;

  g_assert (offer != NULL);
  g_assert_true (coop_store_delete (f->store, offer->record, &error));
  g_assert_no_error (error);
  g_assert_false (coop_due_item_mark_done (f->store, offer, NULL, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "“孙佳怡” was deleted meanwhile.");
}

static void
on_set_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_autostart_set_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
on_set_failed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (coop_autostart_set_finish (result, error));
  g_assert_nonnull (*error);
}

static void
set_autostart (gboolean    enabled,
               const char *database)
{
  gboolean done = FALSE;

  coop_autostart_set_async (enabled, database, NULL, on_set_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* "Remind me when Coopdesk is closed" writes an autostart entry that runs
 * `coopdesk remind` on the same database, and removes it. */
static void
test_autostart (void)
{
  g_autofree char *path = coop_autostart_dup_path ();
  g_autofree char *entry = coop_autostart_dup_entry ("/opt/coop desk/coopdesk",
                                                     "/srv/台账 \"2025\".db");
  g_autofree char *written = NULL;
  g_autoptr(GKeyFile) parsed = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *exec = NULL;

  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
  g_assert_true (g_str_has_suffix (path, "/autostart/" APP_ID "-remind.desktop"));

  g_assert_cmpstr (entry, ==,
                   "[Desktop Entry]\n"
                   "Type=Application\n"
                   "Name=Coopdesk Reminders\n"
                   "Exec=\"/opt/coop desk/coopdesk\" remind \"--database=/srv/台账 \\\\\"2025\\\\\".db\"\n"
                   "Icon=" APP_ID "\n"
                   "NoDisplay=true\n"
                   "X-GNOME-Autostart-enabled=true\n");
  /* What a desktop makes of the command line. */
  g_assert_true (g_key_file_load_from_data (parsed, entry, -1, G_KEY_FILE_NONE, &error));
  exec = g_key_file_get_string (parsed, G_KEY_FILE_DESKTOP_GROUP, "Exec", &error);
  g_assert_no_error (error);
  g_assert_true (g_shell_parse_argv (exec, NULL, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (argv), ==, 3);
  g_assert_cmpstr (argv[0], ==, "/opt/coop desk/coopdesk");
  g_assert_cmpstr (argv[1], ==, "remind");
  g_assert_cmpstr (argv[2], ==, "--database=/srv/台账 \"2025\".db");

  g_assert_false (coop_autostart_get_enabled ());
  set_autostart (TRUE, "/srv/ledger.db");
  g_assert_true (coop_autostart_get_enabled ());
  g_assert_true (g_file_get_contents (path, &written, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (written, " remind \"--database=/srv/ledger.db\"\n"));

  set_autostart (FALSE, NULL);
  g_assert_false (coop_autostart_get_enabled ());
  /* Off when it is off already. */
  set_autostart (FALSE, NULL);

  /* A configuration folder that cannot hold the entry: the user is told
   * which file could not be written, and nothing is left. */
  {
    g_autofree char *folder = g_path_get_dirname (path);
    g_autofree char *expected = g_strdup_printf ("Could not write “%s”: Not a directory.", path);
    GError *failure = NULL;

    g_assert_cmpint (g_rmdir (folder), ==, 0);
    g_assert_true (g_file_set_contents (folder, "", 0, NULL));
    coop_autostart_set_async (TRUE, NULL, NULL, on_set_failed_cb, &failure);
    while (failure == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_error (failure, COOP_ERROR, COOP_ERROR_IO);
    g_assert_cmpstr (failure->message, ==, expected);
    g_assert_false (coop_autostart_get_enabled ());
    g_clear_error (&failure);
    g_assert_cmpint (g_remove (folder), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *config = g_dir_make_tmp ("coop-due-config-XXXXXX", NULL);

  /* Before GLib reads it: the autostart entry is written here. */
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/due/today", test_today);
  ADD ("/due/demo", test_demo);
  ADD ("/due/edges", test_edges);
  ADD ("/due/done", test_done);
  ADD ("/due/snooze", test_snooze);
  ADD ("/due/deleted", test_deleted);
  g_test_add_func ("/due/autostart", test_autostart);

#undef ADD

  {
    int status = g_test_run ();

    coop_test_remove_tree (config);
    return status;
  }
}
