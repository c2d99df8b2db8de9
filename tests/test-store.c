/* test-store.c — the store: files, settings, migrations, writes and lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "coop-test-util.h"
#include "coop-agreement.h"
#include "coop-attachment.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pinyin.h"
#include "coop-pool.h"
#include "coop-record-private.h"
#include "coop-sample.h"
#include "coop-stage-change.h"
#include "coop-sqlite-private.h"
#include "coop-student.h"

typedef struct {
  char      *dir;
  char      *path;
  CoopStore *store;
} Fixture;

/* With COOP_TEST_POSTGRESQL set (under pg_virtualenv, see meson.build)
 * the tests that hold for any database run on a new database of the
 * server instead of a file. */
static gboolean
on_server (void)
{
  return g_getenv ("COOP_TEST_POSTGRESQL") != NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("coop-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = on_server () ? coop_test_new_server_database ("store")
                         : g_build_filename (f->dir, "sub", "coopdesk.db", NULL);
  f->store = coop_store_open (f->path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
  coop_store_load_all (f->store, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  coop_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* ------------------------------------------------------------------ helpers */

typedef struct {
  guint position, removed, added;
} Change;

static void
on_items_changed_cb (GListModel *list,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GArray     *changes)
{
  Change change = { position, removed, added };
  g_array_append_val (changes, change);
}

static GArray *
watch (GListModel *list)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (Change));

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), changes);
  return changes;
}

static void
unwatch (GListModel *list,
         GArray     *changes)
{
  g_signal_handlers_disconnect_by_data (list, changes);
  g_array_unref (changes);
}

#define assert_change(changes, i, p, r, a) G_STMT_START {                  \
    Change *c_ = &g_array_index ((changes), Change, (i));                   \
    g_assert_cmpuint (c_->position, ==, (p));                               \
    g_assert_cmpuint (c_->removed, ==, (r));                                \
    g_assert_cmpuint (c_->added, ==, (a));                                  \
  } G_STMT_END

static CoopPartner *
add_partner (CoopStore  *store,
             const char *name)
{
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autoptr(GError) error = NULL;

  coop_partner_set_name (partner, name);
  coop_partner_set_status (partner, COOP_PARTNER_STATUS_ACTIVE);
  g_assert_true (coop_store_save (store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&partner);
}

static CoopStudent *
add_student (CoopStore  *store,
             const char *number,
             const char *name)
{
  g_autoptr(CoopStudent) student = coop_student_new ();
  g_autoptr(GError) error = NULL;

  coop_student_set_number (student, number);
  coop_student_set_name (student, name);
  g_assert_true (coop_store_save (store, COOP_RECORD (student), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&student);
}

static gint64
id_of (gpointer record)
{
  return coop_record_get_id (COOP_RECORD (record));
}

static CoopAgreement *
add_agreement (CoopStore  *store,
               gint64      partner_id,
               const char *title)
{
  g_autoptr(CoopAgreement) agreement = coop_agreement_new ();
  g_autoptr(GError) error = NULL;

  coop_agreement_set_partner_id (agreement, partner_id);
  coop_agreement_set_title (agreement, title);
  coop_agreement_set_starts_on (agreement, "2023-06-01");
  coop_agreement_set_ends_on (agreement, "2026-05-31");
  g_assert_true (coop_store_save (store, COOP_RECORD (agreement), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&agreement);
}

static CoopPool *
add_pool (CoopStore *store,
          gint64     partner_id)
{
  g_autoptr(CoopPool) pool = coop_pool_new ();
  g_autoptr(GError) error = NULL;

  coop_pool_set_partner_id (pool, partner_id);
  coop_pool_set_title (pool, "2024 届实习推荐名单");
  coop_pool_set_openings (pool, 8);
  g_assert_true (coop_store_save (store, COOP_RECORD (pool), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&pool);
}

/* Sets every field of a fresh record to a value of its kind, so that a
 * round trip checks each column. */
static void
fill_record (CoopRecord *record,
             GHashTable *refs,
             guint       seed)
{
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (record), &n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      const CoopField *field = &fields[i];
      g_autofree char *text = NULL;

      /* The store fills these. */
      if (field->flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN))
        continue;

      switch (field->kind)
        {
        case COOP_FIELD_STRING:
          text = g_strdup_printf ("%s 值 %u", field->name, seed);
          break;
        case COOP_FIELD_TEXT:
          text = g_strdup_printf ("第一行 %u\n第二行", seed);
          break;
        case COOP_FIELD_PHONE:
          text = g_strdup_printf ("021%08u", seed);
          break;
        case COOP_FIELD_EMAIL:
          text = g_strdup_printf ("user%u@example.cn", seed);
          break;
        case COOP_FIELD_URL:
          text = g_strdup ("www.example.cn");
          break;
        case COOP_FIELD_CREDIT_CODE:
          text = g_strdup (seed % 2 ? "914403001922038216" : "91350100M000100Y43");
          break;
        case COOP_FIELD_STUDENT_NUMBER:
          text = g_strdup_printf ("00%u", seed);
          break;
        case COOP_FIELD_DATE:
          text = g_strdup_printf ("202%u-0%u-1%u", seed % 10, 1 + seed % 9, seed % 10);
          break;
        case COOP_FIELD_DATETIME:
          text = g_strdup_printf ("2023-05-19 1%u:30", seed % 10);
          break;
        case COOP_FIELD_COUNT:
          g_object_set (record, field->name, (int) seed + 3, NULL);
          break;
        case COOP_FIELD_YEAR:
          g_object_set (record, field->name, 2020 + (int) seed % 10, NULL);
          break;
        case COOP_FIELD_ENUM:
          {
            g_autoptr(GEnumClass) klass = g_type_class_ref (field->enum_type ());
            g_object_set (record, field->name, (int) (seed % klass->n_values), NULL);
          }
          break;
        case COOP_FIELD_REF:
          {
            gint64 *id = g_hash_table_lookup (refs, (gpointer) field->ref_type ());

            if (field->ref_type () == G_OBJECT_TYPE (record))
              id = NULL;
            g_object_set (record, field->name, id ? *id : (gint64) 0, NULL);
          }
          break;
        default:
          g_assert_not_reached ();
        }

      if (text != NULL)
        g_object_set (record, field->name, text, NULL);
    }
}

static void
assert_same_fields (CoopRecord *a,
                    CoopRecord *b)
{
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (a), &n_fields);

  g_assert_cmpint (coop_record_get_id (a), ==, coop_record_get_id (b));
  for (guint i = 0; i < n_fields; i++)
    {
      g_autofree char *x = NULL;
      g_autofree char *y = NULL;

      if (fields[i].flags & COOP_FIELD_DERIVED)
        continue;
      x = coop_record_dup_display (a, &fields[i]);
      y = coop_record_dup_display (b, &fields[i]);
      g_assert_cmpstr (x, ==, y);
    }
}

/* ------------------------------------------------------------------ files and settings */

static void
test_open_new_file (Fixture       *f,
                    gconstpointer  data)
{
  struct stat st;
  static const struct { const char *pragma; const char *value; } settings[] = {
    { "foreign_keys", "1" },
    { "synchronous", "2" },
    { "busy_timeout", "5000" },
    { "trusted_schema", "0" },
    { "journal_mode", "wal" },
    { "application_id", "1131376496" },
  };
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *version = NULL;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *value = coop_store_dup_pragma (f->store, settings[i].pragma);
      g_assert_cmpstr (value, ==, settings[i].value);
    }

  version = coop_store_dup_pragma (f->store, "user_version");
  g_assert_cmpint (atoi (version), ==, coop_store_get_latest_schema_version ());
  g_assert_cmpint (coop_store_get_schema_version (f->store), ==,
                   coop_store_get_latest_schema_version ());

  /* The journal files SQLite creates take the database's mode. */
  {
    g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利");
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

    g_assert_cmpint (g_stat (wal, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
}

static void
test_open_empty_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CoopStoreCounts counts;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_schema_version (store), ==,
                   coop_store_get_latest_schema_version ());
  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_cmpint (counts.partners, ==, 0);

  g_clear_object (&store);
  coop_test_remove_tree (dir);
}

static void
exec_raw (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_open_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-store-XXXXXX", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.db", NULL);
  g_autofree char *foreign = g_build_filename (dir, "foreign.db", NULL);
  g_autofree char *random = g_build_filename (dir, "random.db", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  guint8 bytes[4096];

  /* A database of a newer Coopdesk */
  store = coop_store_open (newer, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  exec_raw (newer, "PRAGMA user_version = 99");
  store = coop_store_open (newer, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_SCHEMA_TOO_NEW);
  g_clear_error (&error);

  /* An SQLite database of another program, left unchanged */
  exec_raw (foreign, "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)");
  store = coop_store_open (foreign, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK);
  g_clear_error (&error);

  /* Random bytes */
  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (random, (const char *) bytes, sizeof bytes, NULL));
  store = coop_store_open (random, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A workbook or a folder chosen by mistake is refused and left alone */
  {
    g_autofree char *workbook = g_build_filename (dir, "名单.xlsx", NULL);
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_set_contents (workbook, "PK\003\004rest of a zip", -1, NULL));
    store = coop_store_open (workbook, COOP_STORE_OPEN_DEFAULT, &error);
    g_assert_null (store);
    g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK);
    g_clear_error (&error);
    g_assert_true (g_file_get_contents (workbook, &contents, &length, NULL));
    g_assert_cmpuint (length, ==, strlen ("PK\003\004rest of a zip"));

    store = coop_store_open (dir, COOP_STORE_OPEN_DEFAULT, &error);
    g_assert_null (store);
    g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK);
    g_clear_error (&error);
  }

  /* Read-only never creates a file */
  store = coop_store_open (missing, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  coop_test_remove_tree (dir);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利");
  g_autoptr(CoopStore) reader = NULL;
  g_autoptr(CoopPartner) other = coop_partner_new ();
  g_autoptr(GError) error = NULL;

  reader = coop_store_open (f->path, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_get_read_only (reader));
  coop_store_load_all (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (reader, COOP_TYPE_PARTNER)), ==, 1);

  coop_partner_set_name (other, "云帆");
  g_assert_false (coop_store_save (reader, COOP_RECORD (other), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (other)), ==, 0);
}

/* A list read from the database keeps one copy of each value of a field
 * with few distinct values, whether the row before had the same value or
 * another. */
static void
test_shared_strings (Fixture       *f,
                     gconstpointer  data)
{
  const char *majors[] = { "广告学", "广告学", "动画设计", "动画", "广告学", NULL, "动画" };
  g_autoptr(CoopStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *students;

  for (guint i = 0; i < G_N_ELEMENTS (majors); i++)
    {
      g_autofree char *number = g_strdup_printf ("20240%u", i);
      g_autoptr(CoopStudent) student = add_student (f->store, number, "王芳");

      coop_student_set_major (student, majors[i]);
      g_assert_true (coop_store_save (f->store, COOP_RECORD (student), &error));
      g_assert_no_error (error);
    }

  reader = coop_store_open (f->path, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_load (reader, COOP_TYPE_STUDENT, NULL, &error));
  g_assert_no_error (error);
  students = coop_store_get_list (reader, COOP_TYPE_STUDENT);
  g_assert_cmpuint (g_list_model_get_n_items (students), ==, G_N_ELEMENTS (majors));

  for (guint i = 0; i < G_N_ELEMENTS (majors); i++)
    {
      g_autoptr(CoopStudent) student = g_list_model_get_item (students, i);
      const char *major = coop_student_get_major (student);

      g_assert_cmpstr (major != NULL && *major != '\0' ? major : NULL, ==, majors[i]);
      for (guint j = 0; j < i; j++)
        {
          g_autoptr(CoopStudent) before = g_list_model_get_item (students, j);

          if (g_strcmp0 (majors[i], majors[j]) == 0 && majors[i] != NULL)
            g_assert_true (coop_student_get_major (before) == major);
        }
    }
}

/* ------------------------------------------------------------------ writes */

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  /* In the order their references need. */
  GType types[] = {
    COOP_TYPE_DEPARTMENT, COOP_TYPE_PARTNER, COOP_TYPE_CONTACT, COOP_TYPE_AGREEMENT,
    COOP_TYPE_EVENT, COOP_TYPE_STUDENT, COOP_TYPE_POOL, COOP_TYPE_CANDIDATE,
  };
  g_autoptr(GHashTable) refs = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(CoopRecord) record = g_object_new (types[i], NULL);
      g_autoptr(CoopRecord) read = NULL;
      g_autoptr(CoopRecord) changed = NULL;
      g_autoptr(GError) error = NULL;
      GListModel *list = coop_store_get_list (f->store, types[i]);
      CoopRecord *listed;
      gint64 *id = g_new (gint64, 1);

      fill_record (record, refs, i + 1);
      if (types[i] == COOP_TYPE_EVENT)
        {
          g_autoptr(CoopAttendee) attendee = coop_attendee_new ();
          coop_attendee_set_name (attendee, "陈志华");
          coop_attendee_set_role (attendee, COOP_ATTENDEE_ROLE_HOST);
          g_list_store_append (G_LIST_STORE (coop_event_get_attendees (COOP_EVENT (record))), attendee);
        }

      /* Create */
      g_assert_true (coop_store_save (f->store, record, &error));
      g_assert_no_error (error);
      g_assert_cmpint (coop_record_get_id (record), >, 0);
      *id = coop_record_get_id (record);
      g_hash_table_insert (refs, (gpointer) types[i], id);

      /* Read, from the database and from the list */
      read = coop_store_read (f->store, types[i], *id, &error);
      g_assert_no_error (error);
      assert_same_fields (record, read);
      listed = coop_store_find (f->store, types[i], *id);
      g_assert_nonnull (listed);
      g_assert_true (listed != record);
      assert_same_fields (record, listed);

      if (types[i] == COOP_TYPE_EVENT)
        g_assert_cmpuint (g_list_model_get_n_items (coop_event_get_attendees (COOP_EVENT (read))), ==, 1);

      /* Update */
      changed = coop_record_copy (listed);
      fill_record (changed, refs, i + 11);
      g_assert_true (coop_store_save (f->store, changed, &error));
      g_assert_no_error (error);
      assert_same_fields (changed, coop_store_find (f->store, types[i], *id));
      g_assert_true (coop_store_find (f->store, types[i], *id) == listed);

      g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
    }

  /* Delete, in reverse order */
  for (guint i = G_N_ELEMENTS (types); i-- > 0; )
    {
      gint64 id = *(gint64 *) g_hash_table_lookup (refs, (gpointer) types[i]);
      CoopRecord *listed = coop_store_find (f->store, types[i], id);
      g_autoptr(CoopRecord) gone = NULL;
      g_autoptr(GError) error = NULL;

      coop_store_delete (f->store, listed, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store, types[i])), ==, 0);
      gone = coop_store_read (f->store, types[i], id, &error);
      g_assert_null (gone);
      g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND);
    }
}

static void
test_items_changed (Fixture       *f,
                    gconstpointer  data)
{
  GListModel *list = coop_store_get_list (f->store, COOP_TYPE_PARTNER);
  g_autoptr(CoopPartner) a = add_partner (f->store, "奇利影视");
  g_autoptr(CoopPartner) b = add_partner (f->store, "云帆传媒");
  g_autoptr(CoopPartner) c = NULL;
  g_autoptr(CoopRecord) edit = NULL;
  g_autoptr(CoopPartner) listed = NULL;
  g_autoptr(GError) error = NULL;
  GArray *changes = watch (list);

  /* Insert */
  c = add_partner (f->store, "星图数字");
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 2, 0, 1);

  /* Update: the same object, changed in place */
  listed = g_list_model_get_item (list, 1);
  edit = coop_record_copy (COOP_RECORD (listed));
  coop_partner_set_city (COOP_PARTNER (edit), "杭州");
  g_assert_true (coop_store_save (f->store, edit, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 1, 1, 1);
  g_assert_cmpstr (coop_partner_get_city (listed), ==, "杭州");

  /* Saving without a change writes nothing */
  g_assert_true (coop_store_save (f->store, edit, &error));
  g_assert_cmpuint (changes->len, ==, 2);

  /* A failed save changes nothing */
  coop_partner_set_name (COOP_PARTNER (edit), "");
  g_assert_false (coop_store_save (f->store, edit, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpstr (coop_partner_get_name (listed), ==, "云帆传媒");

  /* Delete */
  g_assert_true (coop_store_delete (f->store, COOP_RECORD (a), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 3);
  assert_change (changes, 2, 0, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);

  unwatch (list, changes);
  (void) b;
}

static void
test_derived_follow (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(CoopAgreement) agreement = add_agreement (f->store, id_of (partner), "实践基地协议");
  g_autoptr(CoopPool) pool = add_pool (f->store, id_of (partner));
  g_autoptr(CoopStudent) student = add_student (f->store, "0192010101", "林雨萱");
  g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
  g_autoptr(CoopRecord) edit = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *agreements = coop_store_get_list (f->store, COOP_TYPE_AGREEMENT);
  GListModel *pools = coop_store_get_list (f->store, COOP_TYPE_POOL);
  GArray *agreement_changes = watch (agreements);
  GArray *pool_changes = watch (pools);
  CoopAgreement *listed = COOP_AGREEMENT (coop_store_find (f->store, COOP_TYPE_AGREEMENT,
                                                           id_of (agreement)));
  CoopPool *listed_pool = COOP_POOL (coop_store_find (f->store, COOP_TYPE_POOL, id_of (pool)));
  CoopCandidate *listed_candidate;

  g_assert_cmpstr (coop_agreement_get_partner_name (listed), ==, "奇利影视");

  /* A candidate fills the pool's counts */
  coop_candidate_set_pool_id (candidate, id_of (pool));
  coop_candidate_set_student_id (candidate, id_of (student));
  coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_INTERNING);
  g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pool_changes->len, ==, 1);
  assert_change (pool_changes, 0, 0, 1, 1);
  g_assert_cmpint (coop_pool_get_candidate_count (listed_pool), ==, 1);
  g_assert_cmpint (coop_pool_get_filled_count (listed_pool), ==, 1);

  listed_candidate = COOP_CANDIDATE (coop_store_find (f->store, COOP_TYPE_CANDIDATE,
                                                      id_of (candidate)));
  g_assert_cmpstr (coop_candidate_get_student_number (listed_candidate), ==, "0192010101");
  g_assert_cmpstr (coop_candidate_get_partner_name (listed_candidate), ==, "奇利影视");
  g_assert_cmpint (coop_candidate_get_partner_id (listed_candidate), ==, id_of (partner));

  /* Renaming the partner shows on its agreement, pool and candidate */
  edit = coop_record_copy (coop_store_find (f->store, COOP_TYPE_PARTNER, id_of (partner)));
  coop_partner_set_name (COOP_PARTNER (edit), "上海奇利影视科技有限公司");
  g_assert_true (coop_store_save (f->store, edit, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (agreement_changes->len, ==, 1);
  assert_change (agreement_changes, 0, 0, 1, 1);
  g_assert_cmpstr (coop_agreement_get_partner_name (listed), ==, "上海奇利影视科技有限公司");
  g_assert_cmpstr (coop_pool_get_partner_name (listed_pool), ==, "上海奇利影视科技有限公司");
  g_assert_cmpstr (coop_candidate_get_partner_name (listed_candidate), ==, "上海奇利影视科技有限公司");

  unwatch (agreements, agreement_changes);
  unwatch (pools, pool_changes);
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  static const char *same_names[] = {
    "上海奇利影视科技有限公司", "  上海奇利影视科技有限公司　", "ACME Studio", "ａｃｍｅ　ｓｔｕｄｉｏ",
    "acme   STUDIO ", "上海 奇利影视科技有限公司",
  };
  g_autoptr(CoopPartner) first = add_partner (f->store, same_names[0]);
  g_autoptr(CoopPartner) acme = add_partner (f->store, same_names[2]);
  g_autoptr(CoopStudent) student = add_student (f->store, "000123", "林雨萱");
  g_autoptr(CoopStudent) twin = coop_student_new ();
  g_autoptr(CoopPool) pool = add_pool (f->store, id_of (first));
  g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
  g_autoptr(CoopCandidate) again = coop_candidate_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (same_names); i++)
    {
      g_autoptr(CoopPartner) partner = coop_partner_new ();

      if (i == 0 || i == 2)
        continue;
      coop_partner_set_name (partner, same_names[i]);
      g_assert_false (coop_store_save (f->store, COOP_RECORD (partner), &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
      g_clear_error (&error);
      g_assert_cmpint (coop_record_get_id (COOP_RECORD (partner)), ==, 0);
    }
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store, COOP_TYPE_PARTNER)), ==, 2);

  /* Renaming a partner to its own name in another form is fine */
  coop_partner_set_name (acme, "ACME studio");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (acme), &error));
  g_assert_no_error (error);

  /* Student numbers are text: 000123 and 123 differ, 000123 twice does not */
  g_assert_cmpstr (coop_student_get_number (COOP_STUDENT (coop_store_find (f->store, COOP_TYPE_STUDENT,
                                                                           id_of (student)))),
                   ==, "000123");
  coop_student_set_number (twin, "０００１２３");
  coop_student_set_name (twin, "周子豪");
  g_assert_false (coop_store_save (f->store, COOP_RECORD (twin), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
  g_clear_error (&error);
  coop_student_set_number (twin, "123");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (twin), &error));
  g_assert_no_error (error);

  /* A student is in a pool once */
  coop_candidate_set_pool_id (candidate, id_of (pool));
  coop_candidate_set_student_id (candidate, id_of (student));
  g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));
  g_assert_no_error (error);
  coop_candidate_set_pool_id (again, id_of (pool));
  coop_candidate_set_student_id (again, id_of (student));
  g_assert_false (coop_store_save (f->store, COOP_RECORD (again), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
}

/* Every text field has a limit, the same for every way a record is saved:
 * one character more is refused with the field and the limit named, and
 * nothing is stored. */
static void
test_validation_lengths (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(GError) error = NULL;
  struct { const char *field; guint limit; const char *message; } cases[] = {
    { "name", 200, "Company name: 201 characters, more than the 200 it may hold." },
    { "notes", 10000, "Notes: 10001 characters, more than the 10000 it may hold." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(CoopRecord) copy = coop_record_copy (coop_store_find (f->store, COOP_TYPE_PARTNER,
                                                                      id_of (partner)));

      for (guint n = 0; n < cases[i].limit; n++)
        g_string_append (text, "影");
      g_object_set (copy, cases[i].field, text->str, NULL);
      g_assert_true (coop_store_save (f->store, copy, &error));
      g_assert_no_error (error);

      g_string_append (text, "x");
      g_object_set (copy, cases[i].field, text->str, NULL);
      g_assert_false (coop_store_save (f->store, copy, &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);
      g_assert_cmpuint (g_utf8_strlen (coop_record_get_string (coop_store_find (f->store,
                                                                                  COOP_TYPE_PARTNER,
                                                                                  id_of (partner)),
                                                               coop_record_class_find_field (COOP_RECORD_GET_CLASS (copy),
                                                                                             cases[i].field)),
                                       -1), ==, cases[i].limit);
    }
}

static void
test_validation_codes (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(GError) error = NULL;
  struct { const char *field; const char *value; } bad[] = {
    { "title", "" },
    { "ends-on", "2023-02-30" },
    { "ends-on", "2023-05-31" },      /* before it starts */
    { "signed-on", "last May" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CoopAgreement) agreement = coop_agreement_new ();

      coop_agreement_set_partner_id (agreement, id_of (partner));
      coop_agreement_set_title (agreement, "实践基地协议");
      coop_agreement_set_starts_on (agreement, "2023-06-01");
      g_object_set (agreement, bad[i].field, bad[i].value, NULL);
      g_assert_false (coop_store_save (f->store, COOP_RECORD (agreement), &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
      g_clear_error (&error);
    }

  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store, COOP_TYPE_AGREEMENT)), ==, 0);

  {
    g_autoptr(CoopContact) contact = coop_contact_new ();

    coop_contact_set_name (contact, "李晓明");
    coop_contact_set_partner_id (contact, id_of (partner));
    coop_contact_set_phone (contact, "（０２１）６４５８－１２０１");
    g_assert_true (coop_store_save (f->store, COOP_RECORD (contact), &error));
    g_assert_no_error (error);
    g_assert_cmpstr (coop_contact_get_phone (COOP_CONTACT (coop_store_find (f->store, COOP_TYPE_CONTACT,
                                                                           id_of (contact)))),
                     ==, "02164581201");

    coop_contact_set_phone (contact, "ask the office");
    g_assert_false (coop_store_save (f->store, COOP_RECORD (contact), &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    g_clear_error (&error);

    coop_contact_set_phone (contact, NULL);
    coop_contact_set_email (contact, "li at example");
    g_assert_false (coop_store_save (f->store, COOP_RECORD (contact), &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    g_clear_error (&error);
  }

  {
    g_autoptr(CoopDepartment) school = coop_department_new ();

    coop_department_set_name (school, "艺术设计学院");
    g_assert_true (coop_store_save (f->store, COOP_RECORD (school), &error));
    coop_department_set_parent_id (school, id_of (school));
    g_assert_false (coop_store_save (f->store, COOP_RECORD (school), &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    g_clear_error (&error);
  }

  /* An event with another partner's agreement; without a partner it
   * takes the agreement's */
  {
    g_autoptr(CoopPartner) other = add_partner (f->store, "云帆传媒");
    g_autoptr(CoopAgreement) theirs = add_agreement (f->store, id_of (other), "实习基地协议");
    g_autoptr(CoopEvent) event = coop_event_new ();

    coop_event_set_title (event, "推荐会");
    coop_event_set_starts_at (event, "2023-05-19 14:00");
    coop_event_set_partner_id (event, id_of (partner));
    coop_event_set_agreement_id (event, id_of (theirs));
    g_assert_false (coop_store_save (f->store, COOP_RECORD (event), &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    g_clear_error (&error);

    coop_event_set_partner_id (event, 0);
    g_assert_true (coop_store_save (f->store, COOP_RECORD (event), &error));
    g_assert_no_error (error);
    g_assert_cmpint (coop_event_get_partner_id (event), ==, id_of (other));
  }

  coop_partner_set_credit_code (partner, "914403001922038215");
  g_assert_false (coop_store_save (f->store, COOP_RECORD (partner), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
}

static void
test_foreign_keys (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(CoopAgreement) agreement = coop_agreement_new ();
  g_autoptr(CoopAgreement) kept = add_agreement (f->store, id_of (partner), "实践基地协议");
  g_autoptr(CoopPool) pool = add_pool (f->store, id_of (partner));
  g_autoptr(GError) error = NULL;
  CoopStoreCounts counts;

  /* A reference to a partner that does not exist */
  coop_agreement_set_partner_id (agreement, 9999);
  coop_agreement_set_title (agreement, "协议");
  g_assert_false (coop_store_save (f->store, COOP_RECORD (agreement), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (agreement)), ==, 0);

  /* A partner with an agreement and a pool stays */
  g_assert_false (coop_store_delete (f->store, COOP_RECORD (partner), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "1"));
  g_clear_error (&error);
  g_assert_nonnull (coop_store_find (f->store, COOP_TYPE_PARTNER, id_of (partner)));

  g_assert_true (coop_store_delete (f->store, COOP_RECORD (kept), &error));
  g_assert_true (coop_store_delete (f->store, COOP_RECORD (pool), &error));
  g_assert_no_error (error);

  /* Now it goes, and its contacts with it */
  {
    g_autoptr(CoopContact) contact = coop_contact_new ();
    coop_contact_set_name (contact, "王建国");
    coop_contact_set_partner_id (contact, id_of (partner));
    g_assert_true (coop_store_save (f->store, COOP_RECORD (contact), &error));
  }
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store, COOP_TYPE_CONTACT)), ==, 1);
  g_assert_true (coop_store_delete (f->store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store, COOP_TYPE_CONTACT)), ==, 0);
  g_assert_true (coop_store_count (f->store, &counts, &error));
  g_assert_cmpint (counts.contacts, ==, 0);
  g_assert_cmpint (counts.partners, ==, 0);
}

static void
test_transaction (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *list = coop_store_get_list (f->store, COOP_TYPE_STUDENT);
  GArray *changes = watch (list);
  g_autoptr(GError) error = NULL;
  CoopStoreCounts counts;

  /* Rolled back: nothing stored, the list untouched */
  g_assert_true (coop_store_begin (f->store, &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("2023%03u", i);
      g_autoptr(CoopStudent) student = add_student (f->store, number, "学生");
    }
  coop_store_rollback (f->store);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_true (coop_store_count (f->store, &counts, &error));
  g_assert_cmpint (counts.students, ==, 0);
  g_assert_cmpint (counts.changes, ==, 0);

  /* Committed: one items-changed for the run of new rows */
  g_assert_true (coop_store_begin (f->store, &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *number = g_strdup_printf ("2023%03u", i);
      g_autoptr(CoopStudent) student = add_student (f->store, number, "学生");
    }

  /* A failing save inside leaves the others */
  {
    g_autoptr(CoopStudent) twin = coop_student_new ();
    coop_student_set_number (twin, "2023000");
    coop_student_set_name (twin, "重复");
    g_assert_false (coop_store_save (f->store, COOP_RECORD (twin), &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
    g_clear_error (&error);
  }
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_true (coop_store_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 0, 0, 3);
  g_assert_true (coop_store_count (f->store, &counts, &error));
  g_assert_cmpint (counts.students, ==, 3);

  unwatch (list, changes);
}

static void
test_change_log (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = id_of (partner);
  CoopChangeEntry *entry;

  coop_partner_set_city (partner, "上海");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (partner), &error));
  g_assert_true (coop_store_delete (f->store, COOP_RECORD (partner), &error));
  g_assert_no_error (error);

  entries = coop_store_list_changes (f->store, COOP_TYPE_PARTNER, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);

  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_INSERT);
  g_assert_cmpstr (entry->record_type, ==, "partner");
  g_assert_nonnull (strstr (entry->changes, "\"name\": \"奇利影视\""));

  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_UPDATE);
  g_assert_cmpstr (entry->changes, ==, "{\"city\": [null, \"上海\"]}");

  entry = g_ptr_array_index (entries, 2);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_DELETE);
  g_assert_nonnull (strstr (entry->changes, "\"city\": \"上海\""));
  g_assert_cmpuint (strlen (entry->at), ==, strlen ("2023-05-19 14:00:00"));
}

static void
test_stage_history (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(CoopPool) pool = add_pool (f->store, id_of (partner));
  g_autoptr(CoopStudent) student = add_student (f->store, "0192010101", "林雨萱");
  g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GListModel) related = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  coop_candidate_set_pool_id (candidate, id_of (pool));
  coop_candidate_set_student_id (candidate, id_of (student));
  coop_candidate_set_stage_on (candidate, "2023-05-19");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));

  /* A new stage without its own date happened today */
  coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_INTERVIEWING);
  g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));
  g_assert_cmpstr (coop_candidate_get_stage_on (candidate), ==, today);

  coop_candidate_set_stage (candidate, COOP_CANDIDATE_STAGE_HIRED);
  coop_candidate_set_stage_on (candidate, "2024-06-20");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));

  /* Notes alone add no step */
  coop_candidate_set_notes (candidate, "表现优秀");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));
  g_assert_no_error (error);

  history = coop_store_list_stage_history (f->store, id_of (candidate), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (history), ==, 3);
  {
    g_autoptr(CoopStageChange) first = g_list_model_get_item (history, 0);
    g_autoptr(CoopStageChange) second = g_list_model_get_item (history, 1);
    g_autoptr(CoopStageChange) third = g_list_model_get_item (history, 2);

    g_assert_cmpint (coop_stage_change_get_stage (first), ==, COOP_CANDIDATE_STAGE_RECOMMENDED);
    g_assert_cmpstr (coop_stage_change_get_changed_on (first), ==, "2023-05-19");
    g_assert_cmpint (coop_stage_change_get_stage (second), ==, COOP_CANDIDATE_STAGE_INTERVIEWING);
    g_assert_cmpstr (coop_stage_change_get_changed_on (second), ==, today);
    g_assert_cmpint (coop_stage_change_get_stage (third), ==, COOP_CANDIDATE_STAGE_HIRED);
    g_assert_cmpstr (coop_stage_change_get_changed_on (third), ==, "2024-06-20");
  }

  /* Relations: the pool's candidates, the student's candidacies, the
   * partner's pools and candidates */
  related = coop_store_list_related (f->store, COOP_TYPE_CANDIDATE, "pool-id", id_of (pool), &error);
  g_assert_cmpuint (g_list_model_get_n_items (related), ==, 1);
  g_clear_object (&related);
  related = coop_store_list_related (f->store, COOP_TYPE_CANDIDATE, "student-id", id_of (student),
                                     &error);
  g_assert_cmpuint (g_list_model_get_n_items (related), ==, 1);
  g_clear_object (&related);
  related = coop_store_list_related (f->store, COOP_TYPE_CANDIDATE, "partner-id", id_of (partner),
                                     &error);
  g_assert_cmpuint (g_list_model_get_n_items (related), ==, 1);
  g_clear_object (&related);
  related = coop_store_list_related (f->store, COOP_TYPE_POOL, "partner-id", id_of (partner), &error);
  g_assert_cmpuint (g_list_model_get_n_items (related), ==, 1);
  g_clear_object (&related);
  related = coop_store_list_related (f->store, COOP_TYPE_AGREEMENT, "partner-id", id_of (partner),
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (related), ==, 0);

  /* A student who is still a candidate stays */
  g_assert_false (coop_store_delete (f->store, COOP_RECORD (student), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
}

static void
on_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_store_load_all_finish (COOP_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_load_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(CoopEvent) event = coop_event_new ();
  g_autoptr(CoopAttendee) attendee = coop_attendee_new ();
  g_autoptr(CoopStore) second = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  CoopEvent *loaded;

  coop_event_set_title (event, "推荐会");
  coop_event_set_starts_at (event, "2023-05-19 14:00");
  coop_event_set_partner_id (event, id_of (partner));
  coop_attendee_set_name (attendee, "王建国");
  g_list_store_append (G_LIST_STORE (coop_event_get_attendees (event)), attendee);
  g_assert_true (coop_store_save (f->store, COOP_RECORD (event), &error));

  /* Candidates are read by two threads, each half of the ids. */
  {
    g_autoptr(CoopPool) pool = add_pool (f->store, id_of (partner));

    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *number = g_strdup_printf ("2023%03u", i);
        g_autoptr(CoopStudent) student = add_student (f->store, number, "学生");
        g_autoptr(CoopCandidate) candidate = coop_candidate_new ();

        coop_candidate_set_pool_id (candidate, id_of (pool));
        coop_candidate_set_student_id (candidate, id_of (student));
        g_assert_true (coop_store_save (f->store, COOP_RECORD (candidate), &error));
        g_assert_no_error (error);
      }
  }

  second = coop_store_open (f->path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (coop_store_get_loaded (second, COOP_TYPE_EVENT));
  coop_store_load_all_async (second, NULL, on_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (coop_store_get_loaded (second, COOP_TYPE_EVENT));
  loaded = COOP_EVENT (coop_store_find (second, COOP_TYPE_EVENT, id_of (event)));
  g_assert_nonnull (loaded);
  g_assert_cmpstr (coop_event_get_partner_name (loaded), ==, "奇利影视");
  g_assert_cmpuint (g_list_model_get_n_items (coop_event_get_attendees (loaded)), ==, 1);

  {
    GListModel *candidates = coop_store_get_list (second, COOP_TYPE_CANDIDATE);

    g_assert_cmpuint (g_list_model_get_n_items (candidates), ==, 5);
    for (guint i = 0; i < 5; i++)
      {
        g_autoptr(CoopCandidate) candidate = g_list_model_get_item (candidates, i);
        g_autofree char *number = g_strdup_printf ("2023%03u", i);

        g_assert_cmpint (coop_record_get_id (COOP_RECORD (candidate)), ==, i + 1);
        g_assert_cmpstr (coop_candidate_get_student_number (candidate), ==, number);
      }
  }
}

/* "student 12 department-name = 传媒学院": one field of a record, to
 * compare and, when it differs, to name. */
static char *
describe_field (CoopRecord      *record,
                const CoopField *field)
{
  g_autofree char *value = NULL;

  if (COOP_FIELD_IS_STRING (field->kind))
    value = g_strdup (coop_record_get_string (record, field));
  else if (COOP_FIELD_IS_INT (field->kind))
    value = g_strdup_printf ("%d", coop_record_get_int (record, field));
  else
    value = g_strdup_printf ("%" G_GINT64_FORMAT, coop_record_get_ref (record, field));

  return g_strdup_printf ("%s %" G_GINT64_FORMAT " %s = %s", G_OBJECT_TYPE_NAME (record),
                          coop_record_get_id (record), field->name,
                          value != NULL ? value : "(none)");
}

static CoopRecord *
save_new (CoopStore  *store,
          CoopRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (coop_store_save (store, record, &error));
  g_assert_no_error (error);
  return record;
}

static void
attach_to (CoopStore          *store,
           gpointer            agreement,
           CoopAttachmentKind  kind)
{
  g_autoptr(CoopAttachment) attachment = coop_attachment_new ();
  g_autoptr(GBytes) content = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  g_autoptr(GError) error = NULL;

  coop_attachment_set_owner (attachment, COOP_RECORD (agreement));
  coop_attachment_set_name (attachment, "协议.pdf");
  coop_attachment_set_kind (attachment, kind);
  g_assert_true (coop_store_attach (store, attachment, content, &error));
  g_assert_no_error (error);
}

/* Loading every list at once reads each table without joins and fills the
 * derived fields from the records read; each must come out as the joins
 * of a single list's read make it. */
static void
test_load_derived (Fixture       *f,
                   gconstpointer  data)
{
  static const CoopAgreementStatus statuses[] = {
    COOP_AGREEMENT_STATUS_SIGNED, COOP_AGREEMENT_STATUS_ACTIVE, COOP_AGREEMENT_STATUS_DRAFT,
    COOP_AGREEMENT_STATUS_NEGOTIATING, COOP_AGREEMENT_STATUS_DRAFT, COOP_AGREEMENT_STATUS_TERMINATED,
  };
  static const CoopContractState expected_contracts[] = {
    COOP_CONTRACT_STATE_ATTACHED, COOP_CONTRACT_STATE_MISSING, COOP_CONTRACT_STATE_MISSING,
    COOP_CONTRACT_STATE_NOT_SIGNED, COOP_CONTRACT_STATE_NOT_SIGNED, COOP_CONTRACT_STATE_MISSING,
  };
  g_autoptr(CoopPartner) partner = NULL;
  g_autoptr(CoopDepartment) school = COOP_DEPARTMENT (coop_department_new ());
  g_autoptr(CoopDepartment) major = COOP_DEPARTMENT (coop_department_new ());
  g_autoptr(CoopStudent) placed = NULL;
  g_autoptr(CoopStudent) unplaced = NULL;
  g_autoptr(CoopPool) empty_pool = NULL;
  g_autoptr(CoopPool) pool = NULL;
  g_autoptr(CoopEvent) event = coop_event_new ();
  g_autoptr(CoopStore) second = NULL;
  g_autoptr(GPtrArray) agreements = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  guint n_compared = 0;

  /* The sample's records first: it numbers them from the first id */
  g_assert_true (coop_sample_fill (f->store, COOP_SAMPLE_DEMO, &error));
  g_assert_no_error (error);
  partner = add_partner (f->store, "奇利影视");
  placed = add_student (f->store, "2099010101", "林雨萱");
  unplaced = add_student (f->store, "2099010102", "周子航");
  empty_pool = add_pool (f->store, id_of (partner));
  pool = add_pool (f->store, id_of (partner));

  /* A department under another, and one student in it */
  coop_department_set_name (school, "数字传媒学院");
  save_new (f->store, COOP_RECORD (school));
  coop_department_set_name (major, "影视制作系");
  coop_department_set_parent_id (major, id_of (school));
  save_new (f->store, COOP_RECORD (major));
  coop_student_set_department_id (placed, id_of (major));
  save_new (f->store, COOP_RECORD (placed));

  /* Each way an agreement's contract can stand */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *title = g_strdup_printf ("协议 %u", i);
      CoopAgreement *agreement = add_agreement (f->store, id_of (partner), title);

      coop_agreement_set_status (agreement, statuses[i]);
      if (i == 2)
        coop_agreement_set_signed_on (agreement, "2024-03-01");
      save_new (f->store, COOP_RECORD (agreement));
      g_ptr_array_add (agreements, agreement);
    }
  attach_to (f->store, agreements->pdata[0], COOP_ATTACHMENT_KIND_CONTRACT);
  attach_to (f->store, agreements->pdata[1], COOP_ATTACHMENT_KIND_PHOTO);
  attach_to (f->store, agreements->pdata[3], COOP_ATTACHMENT_KIND_CONTRACT);

  /* An event of no partner and no agreement */
  coop_event_set_title (event, "开放日");
  coop_event_set_starts_at (event, "2024-05-19 14:00");
  save_new (f->store, COOP_RECORD (event));

  /* A pool of three candidates, two of them placed, and one of none */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
      g_autofree char *number = g_strdup_printf ("2099020%03u", i);
      g_autoptr(CoopStudent) student = i == 0 ? g_object_ref (placed)
                                     : i == 1 ? g_object_ref (unplaced)
                                     : add_student (f->store, number, "王雨桐");

      coop_candidate_set_pool_id (candidate, id_of (pool));
      coop_candidate_set_student_id (candidate, id_of (student));
      coop_candidate_set_stage (candidate, i == 0 ? COOP_CANDIDATE_STAGE_INTERNING
                                           : i == 1 ? COOP_CANDIDATE_STAGE_HIRED
                                           : COOP_CANDIDATE_STAGE_RECOMMENDED);
      save_new (f->store, COOP_RECORD (candidate));
    }

  second = coop_store_open (f->path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_store_load_all_async (second, NULL, on_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* Every field of every record, against a read with the joins */
  for (guint t = 0; t < COOP_N_TABLES; t++)
    {
      GType type = coop_tables[t].get_type ();
      GListModel *list;
      g_autoptr(GPtrArray) joined = NULL;

      if (!coop_tables[t].listed)
        continue;
      list = coop_store_get_list (second, type);
      joined = coop_store_read_all (second, type, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (list), ==, joined->len);
      g_assert_cmpuint (joined->len, >, 0);

      for (guint i = 0; i < joined->len; i++)
        {
          g_autoptr(CoopRecord) loaded = g_list_model_get_item (list, i);
          guint n_fields;
          const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (loaded),
                                                                  &n_fields);

          for (guint j = 0; j < n_fields; j++)
            {
              g_autofree char *got = describe_field (loaded, &fields[j]);
              g_autofree char *want = describe_field (joined->pdata[i], &fields[j]);

              g_assert_cmpstr (got, ==, want);
              n_compared += (fields[j].flags & COOP_FIELD_DERIVED) != 0;
            }
        }
    }
  g_assert_cmpuint (n_compared, >, 100);

  /* What the joins make of each case, so that both cannot be wrong alike */
  for (guint i = 0; i < agreements->len; i++)
    g_assert_cmpint (coop_agreement_get_contract (COOP_AGREEMENT (coop_store_find (
                       second, COOP_TYPE_AGREEMENT, id_of (agreements->pdata[i])))),
                     ==, expected_contracts[i]);
  {
    CoopPool *loaded_pool = COOP_POOL (coop_store_find (second, COOP_TYPE_POOL, id_of (pool)));
    CoopPool *loaded_empty = COOP_POOL (coop_store_find (second, COOP_TYPE_POOL,
                                                         id_of (empty_pool)));
    CoopDepartment *loaded_major = COOP_DEPARTMENT (coop_store_find (second, COOP_TYPE_DEPARTMENT,
                                                                     id_of (major)));
    CoopEvent *loaded_event = COOP_EVENT (coop_store_find (second, COOP_TYPE_EVENT, id_of (event)));
    GListModel *candidates = coop_store_get_list (second, COOP_TYPE_CANDIDATE);
    guint n = g_list_model_get_n_items (candidates);
    g_autoptr(CoopCandidate) first = g_list_model_get_item (candidates, n - 3);
    g_autoptr(CoopCandidate) second_candidate = g_list_model_get_item (candidates, n - 2);

    g_assert_cmpint (coop_pool_get_candidate_count (loaded_pool), ==, 3);
    g_assert_cmpint (coop_pool_get_filled_count (loaded_pool), ==, 2);
    g_assert_cmpint (coop_pool_get_candidate_count (loaded_empty), ==, 0);
    g_assert_cmpint (coop_pool_get_filled_count (loaded_empty), ==, 0);
    g_assert_cmpstr (coop_department_get_parent_name (loaded_major), ==, "数字传媒学院");
    g_assert_null (coop_event_get_partner_name (loaded_event));
    g_assert_null (coop_event_get_agreement_title (loaded_event));
    g_assert_cmpstr (coop_candidate_get_department_name (first), ==, "影视制作系");
    g_assert_cmpstr (coop_candidate_get_student_name (first), ==, "林雨萱");
    g_assert_cmpstr (coop_candidate_get_partner_name (first), ==, "奇利影视");
    g_assert_cmpint (coop_candidate_get_partner_id (first), ==, id_of (partner));
    g_assert_null (coop_candidate_get_department_name (second_candidate));
    g_assert_cmpstr (coop_candidate_get_student_number (second_candidate), ==, "2099010102");
  }
}

static void
test_integrity (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");

  g_assert_true (coop_store_check_integrity (f->store, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (report, ==, "ok");
}


/* ------------------------------------------------------------------ migrations */

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
query_column (sqlite3    *db,
              const char *sql)
{
  g_autoptr(GString) text = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s;", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

#define INDEXES_SQL \
  "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name"
#define ROWS_SQL \
  "SELECT group_concat (x, ' ') FROM (" \
  " SELECT 'd' || id || ':' || name AS x FROM department UNION ALL" \
  " SELECT 'p' || id || ':' || status FROM partner UNION ALL" \
  " SELECT 'a' || id || ':' || partner_id || ':' || department_id || ':' || kind FROM agreement" \
  " UNION ALL SELECT 's' || id || ':' || number || ':' || gender || ':' || department_id" \
  " FROM student UNION ALL" \
  " SELECT 'o' || id || ':' || partner_id || ':' || kind FROM pool UNION ALL" \
  " SELECT 'c' || id || ':' || pool_id || ':' || student_id || ':' || stage FROM candidate" \
  " UNION ALL SELECT 'l' || id || ':' || action FROM change_log)"

/* A file of schema 1 with rows that refer to each other, by ids that are
 * not 1, 2, 3. */
static void
make_schema_1 (const char *path)
{
  sqlite3 *db = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA foreign_keys = ON");
  g_assert_true (coop_store_schema_migrate_to (db, 1, &error));
  g_assert_no_error (error);
  exec_ok (db,
           "INSERT INTO department (id, name) VALUES (5, '艺术设计学院');"
           "INSERT INTO partner (id, name, name_key, status) VALUES (7, '奇利', '奇利', 'active');"
           "INSERT INTO agreement (id, partner_id, department_id, title, kind, status)"
           " VALUES (9, 7, 5, '实践基地', 'practice-base', 'signed');"
           "INSERT INTO student (id, number, name, gender, department_id)"
           " VALUES (11, '001', '林雨萱', 'female', 5);"
           "INSERT INTO pool (id, partner_id, agreement_id, title, kind, status)"
           " VALUES (13, 7, 9, '实习', 'internship', 'open');"
           "INSERT INTO candidate (id, pool_id, student_id, stage) VALUES (17, 13, 11, 'hired');"
           "INSERT INTO change_log (id, at, record_type, record_id, action, changes)"
           " VALUES (19, '2024-01-01 10:00:00', 'student', 11, 'insert', '{}');");
  sqlite3_close (db);
}

static void
test_migration_2 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *rows_before = NULL;
  g_autofree char *indexes_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *indexes_after = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *candidates = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  sqlite3 *db = NULL;

  make_schema_1 (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  rows_before = query_column (db, ROWS_SQL);
  indexes_before = query_column (db, INDEXES_SQL);
  sqlite3_close (db);
  g_assert_cmpstr (rows_before, ==, "d5:艺术设计学院 p7:active a9:7:5:practice-base "
                                    "s11:001:female:5 o13:7:internship c17:13:11:hired "
                                    "l19:insert;");

  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_schema_version (store), ==,
                   coop_store_get_latest_schema_version ());
  g_assert_true (coop_store_check_integrity (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA foreign_keys = ON");
  rows_after = query_column (db, ROWS_SQL);
  indexes_after = query_column (db, INDEXES_SQL);
  g_assert_cmpstr (rows_after, ==, rows_before);
  /* Every index is made again (step 3 then drops student_department, and
   * step 7 adds those of the attachments). */
  g_assert_nonnull (strstr (indexes_before, "student_department;"));
  {
    g_autoptr(GString) expected = g_string_new (indexes_before);

    g_string_replace (expected, "student_department;", "", 1);
    g_string_replace (expected, "agreement_partner;",
                      "agreement_partner;attachment_agreement;attachment_event;", 1);
    g_assert_cmpstr (indexes_after, ==, expected->str);
  }
  g_assert_nonnull (strstr (indexes_after, "sqlite_autoindex_student_1;"));

  /* No IN list is left in a CHECK; the OR chains still refuse bad values. */
  schema = query_column (db, "SELECT sql FROM sqlite_schema WHERE type = 'table'");
  g_assert_null (strstr (schema, " IN ("));
  g_assert_nonnull (strstr (schema, "gender = 'unknown' OR gender = 'male' OR gender = 'female'"));
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO student (number, name, gender)"
                                     " VALUES ('002', 'x', 'robot')", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_extended_errcode (db), ==, SQLITE_CONSTRAINT_CHECK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE candidate SET stage = 'lost' WHERE id = 17",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE change_log SET action = 'merge' WHERE id = 19",
                                 NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  exec_ok (db, "UPDATE change_log SET action = 'import' WHERE id = 19");

  /* The foreign keys of other tables still point at the rebuilt ones. */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM student WHERE id = 11", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  exec_ok (db, "DELETE FROM pool WHERE id = 13");
  candidates = query_column (db, "SELECT count (*) FROM candidate");
  g_assert_cmpstr (candidates, ==, "0;");
  sqlite3_close (db);

  g_remove (path);
  g_rmdir (dir);
}

static char *
schema_of (const char *path)
{
  sqlite3 *db = NULL;
  char *schema;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  schema = query_column (db, "SELECT type || ' ' || name || ': ' || ifnull (sql, '')"
                             " FROM sqlite_schema ORDER BY type, name");
  sqlite3_close (db);
  return schema;
}

/* A new file at @fresh has the schema the file at @migrated was brought to. */
static void
assert_schema_of_new_file (const char *migrated,
                           const char *fresh)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (fresh, COOP_STORE_OPEN_DEFAULT, &error);
  g_autofree char *migrated_schema = NULL;
  g_autofree char *fresh_schema = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  migrated_schema = schema_of (migrated);
  fresh_schema = schema_of (fresh);
  g_assert_cmpstr (fresh_schema, ==, migrated_schema);
}

/* Step 3 drops the index of students by department, which made every
 * student an import adds dearer; a department can still be deleted, its
 * students keep no department, and the lists that show it are read back. */
static void
test_migration_3 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.db", NULL);
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *departments = NULL;
  g_autofree char *indexes = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopDepartment) department = NULL;
  g_autoptr(CoopStudent) student = NULL;
  GListModel *students;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA foreign_keys = ON");
  g_assert_true (coop_store_schema_migrate_to (db, 2, &error));
  g_assert_no_error (error);
  exec_ok (db,
           "INSERT INTO department (id, name) VALUES (5, '艺术设计学院'), (6, '机电学院');"
           "INSERT INTO student (id, number, name, gender, department_id)"
           " VALUES (11, '001', '林雨萱', 'female', 5), (12, '002', '王磊', 'male', 6);");
  rows_before = query_column (db, ROWS_SQL);
  indexes = query_column (db, INDEXES_SQL);
  g_assert_nonnull (strstr (indexes, "student_department;"));
  g_clear_pointer (&indexes, g_free);
  sqlite3_close (db);

  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_schema_version (store), ==,
                   coop_store_get_latest_schema_version ());
  g_assert_true (coop_store_check_integrity (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");

  /* Deleting a department leaves its students without one, in the file and
   * in the loaded list. */
  g_assert_true (coop_store_load (store, COOP_TYPE_STUDENT, NULL, &error));
  g_assert_true (coop_store_load (store, COOP_TYPE_DEPARTMENT, NULL, &error));
  g_assert_no_error (error);
  department = COOP_DEPARTMENT (coop_store_read (store, COOP_TYPE_DEPARTMENT, 5, &error));
  g_assert_no_error (error);
  g_assert_true (coop_store_delete (store, COOP_RECORD (department), &error));
  g_assert_no_error (error);
  students = coop_store_get_list (store, COOP_TYPE_STUDENT);
  student = g_list_model_get_item (students, 0);
  g_assert_cmpint (coop_student_get_department_id (student), ==, 0);
  g_assert_null (coop_student_get_department_name (student));
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  indexes = query_column (db, INDEXES_SQL);
  rows_after = query_column (db, ROWS_SQL);
  departments = query_column (db, "SELECT id || ':' || ifnull (department_id, 'none')"
                                  " FROM student ORDER BY id");
  sqlite3_close (db);
  g_assert_null (strstr (indexes, "student_department;"));
  g_assert_nonnull (strstr (indexes, "sqlite_autoindex_student_1;"));
  g_assert_cmpstr (rows_before, ==, "d5:艺术设计学院 d6:机电学院 s11:001:female:5 "
                                    "s12:002:male:6;");
  /* The ROWS_SQL line of a student without a department is NULL. */
  g_assert_cmpstr (rows_after, ==, "d6:机电学院 s12:002:male:6 l1:delete;");
  g_assert_cmpstr (departments, ==, "11:none;12:6;");

  /* A new file has the schema an old one is migrated to. */
  assert_schema_of_new_file (path, fresh);

  coop_test_remove_tree (dir);
}

/* Schema 4: every row counts its saves and the change log names who made
 * each change; rows of older files start at revision 1. */
static void
test_migration_4 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopRecord) partner = NULL;
  g_autoptr(GPtrArray) log = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA foreign_keys = ON");
  g_assert_true (coop_store_schema_migrate_to (db, 3, &error));
  g_assert_no_error (error);
  exec_ok (db, "INSERT INTO partner (id, name, name_key) VALUES (7, '奇利', '奇利');"
               "INSERT INTO change_log (at, record_type, record_id, action, changes)"
               " VALUES ('2024-01-02 10:00:00', 'partner', 7, 'insert', '{}');");
  sqlite3_close (db);

  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_schema_version (store), ==, coop_store_schema_latest_version ());

  partner = coop_store_read (store, COOP_TYPE_PARTNER, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_record_get_revision (partner), ==, 1);
  coop_partner_set_city (COOP_PARTNER (partner), "上海");
  g_assert_true (coop_store_save (store, partner, &error));
  g_assert_cmpint (coop_record_get_revision (partner), ==, 2);

  log = coop_store_list_changes (store, COOP_TYPE_PARTNER, 7, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 2);
  g_assert_null (((CoopChangeEntry *) log->pdata[0])->changed_by);
  g_assert_cmpstr (((CoopChangeEntry *) log->pdata[1])->changed_by, ==, g_get_user_name ());
  g_clear_object (&store);

  assert_schema_of_new_file (path, fresh);

  coop_test_remove_tree (dir);
}

/* Schema 5: the rows of an older file get the pinyin keys of their names
 * and titles, which the lists then search; a new save keeps them current. */
static void
test_migration_5 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *fresh = g_build_filename (dir, "new.db", NULL);
  g_autofree char *keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopRecord) student = NULL;
  CoopRecord *agreement;
  CoopRecord *candidate;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_ok (db, "PRAGMA foreign_keys = ON");
  g_assert_true (coop_store_schema_migrate_to (db, 4, &error));
  g_assert_no_error (error);
  exec_ok (db, "INSERT INTO partner (id, name, name_key, short_name)"
               " VALUES (7, '单雄信科技有限公司', '单雄信科技有限公司', 'SX Tech');"
               "INSERT INTO partner (id, name, name_key) VALUES (8, '2024', '2024');"
               "INSERT INTO contact (id, partner_id, name) VALUES (3, 7, '曾国藩');"
               "INSERT INTO agreement (id, partner_id, title, kind, status)"
               " VALUES (4, 7, '实践基地协议', 'practice-base', 'active');"
               "INSERT INTO event (id, kind, title, starts_at) VALUES (5, 'visit', '参观', '2024-03-01 09:00');"
               "INSERT INTO student (id, number, name, gender) VALUES (9, '001', 'Li Ming', 'male');"
               "INSERT INTO pool (id, partner_id, title, kind, status)"
               " VALUES (6, 7, '暑期实习', 'internship', 'open');"
               "INSERT INTO candidate (id, pool_id, student_id, stage) VALUES (2, 6, 9, 'recommended');");
  sqlite3_close (db);

  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_schema_version (store), ==, coop_store_schema_latest_version ());
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  keys = query_column (db, "SELECT 'partner' || id || '=' || ifnull (pinyin_key, 'none') FROM partner"
                           " UNION ALL SELECT 'contact=' || pinyin_key FROM contact"
                           " UNION ALL SELECT 'agreement=' || pinyin_key FROM agreement"
                           " UNION ALL SELECT 'event=' || pinyin_key FROM event"
                           " UNION ALL SELECT 'student=' || pinyin_key FROM student"
                           " UNION ALL SELECT 'pool=' || pinyin_key FROM pool");
  sqlite3_close (db);
  g_assert_cmpstr (keys, ==,
                   "partner7=shan|dan xiong xin ke ji you xian gong si\x1fsx tech;"
                   "partner8=none;"
                   "contact=zeng|ceng guo fan;"
                   "agreement=shi jian ji di|de xie yi;"
                   "event=can|shen|cen guan;"
                   "student=li ming;"
                   "pool=shu qi|ji shi xi;");

  store = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_store_load_all (store, NULL, &error);
  g_assert_no_error (error);

  /* Lists read them, their own and the partner's or student's. */
  agreement = coop_store_find (store, COOP_TYPE_AGREEMENT, 4);
  g_assert_cmpstr (coop_record_get_pinyin_key (agreement), ==, "shi jian ji di|de xie yi");
  g_assert_true (coop_pinyin_matches (coop_record_get_string (agreement,
                                        coop_record_class_find_field (COOP_RECORD_GET_CLASS (agreement),
                                                                      "partner-pinyin-key")),
                                      "sxx"));
  candidate = coop_store_find (store, COOP_TYPE_CANDIDATE, 2);
  g_assert_cmpstr (coop_record_get_string (candidate,
                     coop_record_class_find_field (COOP_RECORD_GET_CLASS (candidate),
                                                   "student-pinyin-key")), ==, "li ming");

  /* A save makes the key of the new name. */
  student = coop_record_copy (coop_store_find (store, COOP_TYPE_STUDENT, 9));
  coop_student_set_name (COOP_STUDENT (student), "张三");
  g_assert_true (coop_store_save (store, student, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (coop_record_get_pinyin_key (coop_store_find (store, COOP_TYPE_STUDENT, 9)), ==,
                   "zhang san");
  g_assert_cmpstr (coop_record_get_string (candidate,
                     coop_record_class_find_field (COOP_RECORD_GET_CLASS (candidate),
                                                   "student-pinyin-key")), ==, "zhang san");
  g_clear_object (&store);

  assert_schema_of_new_file (path, fresh);

  coop_test_remove_tree (dir);
}

/* A save or delete made from a copy older than the stored row is refused
 * and changes nothing; the list keeps the newer values. */
static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CoopPartner) partner = add_partner (f->store, "奇利影视");
  g_autoptr(CoopRecord) mine = coop_record_copy (COOP_RECORD (partner));
  g_autoptr(CoopRecord) theirs = coop_record_copy (COOP_RECORD (partner));
  g_autoptr(CoopRecord) stored = NULL;
  CoopRecord *listed;
  g_autoptr(GError) error = NULL;
  CoopStoreCounts before = { 0 }, after = { 0 };

  coop_partner_set_city (COOP_PARTNER (theirs), "北京");
  g_assert_true (coop_store_save (f->store, theirs, &error));
  g_assert_no_error (error);

  g_assert_true (coop_store_count (f->store, &before, &error));
  coop_partner_set_city (COOP_PARTNER (mine), "上海");
  g_assert_false (coop_store_save (f->store, mine, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONFLICT);
  /* Who: the login name for a file, the database role on a server. */
  g_assert_nonnull (strstr (error->message, on_server () ? g_getenv ("PGUSER")
                                                         : g_get_user_name ()));
  g_clear_error (&error);
  /* What was typed is kept in the copy. */
  g_assert_cmpstr (coop_partner_get_city (COOP_PARTNER (mine)), ==, "上海");

  g_assert_false (coop_store_delete (f->store, mine, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (coop_store_count (f->store, &after, &error));
  g_assert_cmpint (after.partners, ==, before.partners);
  g_assert_cmpint (after.changes, ==, before.changes);
  stored = coop_store_read (f->store, COOP_TYPE_PARTNER, coop_record_get_id (mine), &error);
  g_assert_cmpstr (coop_partner_get_city (COOP_PARTNER (stored)), ==, "北京");
  listed = coop_store_find (f->store, COOP_TYPE_PARTNER, coop_record_get_id (mine));
  g_assert_cmpstr (coop_partner_get_city (COOP_PARTNER (listed)), ==, "北京");

  /* Read again, the copy saves. */
  g_clear_object (&mine);
  mine = coop_record_copy (listed);
  coop_partner_set_city (COOP_PARTNER (mine), "上海");
  g_assert_true (coop_store_save (f->store, mine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (coop_record_get_revision (mine), ==, 3);
}

/* ------------------------------------------------------------------ imports */

static CoopStudent *
new_student (const char *number,
             const char *name)
{
  CoopStudent *student = coop_student_new ();

  coop_student_set_number (student, number);
  coop_student_set_name (student, name);
  return student;
}

/* The change log lines that mention @id of @type. */
static GPtrArray *
changes_of (CoopStore *store,
            GType      type,
            gint64     id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = coop_store_list_changes (store, type, id, &error);

  g_assert_no_error (error);
  return entries;
}

static void
test_import_bulk (Fixture       *f,
                  gconstpointer  data)
{
  GListModel *list = coop_store_get_list (f->store, COOP_TYPE_STUDENT);
  g_autoptr(CoopStudent) first = add_student (f->store, "000", "林雨萱");
  g_autoptr(CoopStudent) student = coop_student_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  CoopChangeEntry *entry;
  CoopStoreCounts before, after;
  GArray *changes;
  gint64 ids[3];

  g_assert_true (coop_store_count (f->store, &before, NULL));
  changes = watch (list);

  g_assert_true (coop_store_import_begin (f->store, COOP_TYPE_STUDENT, "名单.csv", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *number = g_strdup_printf ("00%u", i + 1);

      /* One record, written again and again. */
      g_object_set (student, "id", (gint64) 0, NULL);
      coop_student_set_number (student, number);
      coop_student_set_name (student, "学生");
      coop_student_set_gender (student, COOP_GENDER_MALE);
      g_assert_true (coop_store_import_save (f->store, COOP_RECORD (student), &error));
      g_assert_no_error (error);
      ids[i] = coop_record_get_id (COOP_RECORD (student));
    }
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_true (coop_store_import_commit (f->store, &error));
  g_assert_no_error (error);

  /* Consecutive ids after the stored one, in the list with one signal. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpint (ids[i], ==, coop_record_get_id (COOP_RECORD (first)) + 1 + i);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_change (changes, 0, 1, 0, 3);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);
  {
    g_autoptr(CoopStudent) last = g_list_model_get_item (list, 3);

    g_assert_cmpstr (coop_student_get_number (last), ==, "003");
    g_assert_cmpint (coop_student_get_gender (last), ==, COOP_GENDER_MALE);
  }

  /* One line in the change log for the three. */
  g_assert_true (coop_store_count (f->store, &after, NULL));
  g_assert_cmpint (after.students, ==, before.students + 3);
  g_assert_cmpint (after.changes, ==, before.changes + 1);

  entries = changes_of (f->store, COOP_TYPE_STUDENT, ids[1]);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_IMPORT);
  g_assert_cmpint (entry->record_id, ==, 0);
  g_assert_cmpstr (entry->record_type, ==, "student");
  expected = g_strdup_printf ("{\"file\": \"名单.csv\", \"added\": 3, \"updated\": 0,"
                              " \"added_ids\": [[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]],"
                              " \"updated_ids\": {}}", ids[0], ids[2]);
  g_assert_cmpstr (entry->changes, ==, expected);

  /* The student stored before has only its own line. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = changes_of (f->store, COOP_TYPE_STUDENT, coop_record_get_id (COOP_RECORD (first)));
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((CoopChangeEntry *) g_ptr_array_index (entries, 0))->action, ==,
                   COOP_CHANGE_INSERT);

  unwatch (list, changes);
}

static void
test_import_update (Fixture       *f,
                    gconstpointer  data)
{
  GListModel *list = coop_store_get_list (f->store, COOP_TYPE_STUDENT);
  g_autoptr(CoopStudent) stored = add_student (f->store, "000", "林雨萱");
  g_autoptr(CoopStudent) copy = COOP_STUDENT (coop_record_copy (COOP_RECORD (stored)));
  g_autoptr(CoopStudent) added = new_student ("001", "王芳");
  g_autoptr(CoopStudent) in_list = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gint64 id = coop_record_get_id (COOP_RECORD (stored));
  CoopChangeEntry *entry;
  GArray *changes;

  changes = watch (list);
  coop_student_set_phone (copy, "13900000000");
  coop_student_set_major (copy, "数字媒体艺术");

  g_assert_true (coop_store_import_begin (f->store, COOP_TYPE_STUDENT, "list.csv", &error));
  g_assert_true (coop_store_import_save (f->store, COOP_RECORD (copy), &error));
  g_assert_true (coop_store_import_save (f->store, COOP_RECORD (added), &error));
  g_assert_no_error (error);
  g_assert_true (coop_store_import_commit (f->store, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 0, 1, 0, 1);
  assert_change (changes, 1, 0, 1, 1);
  in_list = g_list_model_get_item (list, 0);
  g_assert_cmpstr (coop_student_get_phone (in_list), ==, "13900000000");

  entries = changes_of (f->store, COOP_TYPE_STUDENT, id);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_IMPORT);
  expected = g_strdup_printf ("{\"file\": \"list.csv\", \"added\": 1, \"updated\": 1,"
                              " \"added_ids\": [[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]],"
                              " \"updated_ids\": {\"%" G_GINT64_FORMAT "\": {\"major\": [null,"
                              " \"数字媒体艺术\"], \"phone\": [null, \"13900000000\"]}}}",
                              id + 1, id + 1, id);
  g_assert_cmpstr (entry->changes, ==, expected);

  unwatch (list, changes);
}

static void
test_import_failure (Fixture       *f,
                     gconstpointer  data)
{
  GListModel *list = coop_store_get_list (f->store, COOP_TYPE_STUDENT);
  g_autoptr(CoopStudent) stored = add_student (f->store, "000", "林雨萱");
  g_autoptr(CoopStudent) copy = COOP_STUDENT (coop_record_copy (COOP_RECORD (stored)));
  g_autoptr(GError) error = NULL;
  CoopStoreCounts before, after;
  GArray *changes;

  g_assert_true (coop_store_count (f->store, &before, NULL));
  changes = watch (list);
  coop_student_set_phone (copy, "13900000000");

  /* An update, two new students, then a number the importer's index
   * missed: the database refuses it, and the import is undone. */
  g_assert_true (coop_store_import_begin (f->store, COOP_TYPE_STUDENT, "list.csv", &error));
  g_assert_true (coop_store_import_save (f->store, COOP_RECORD (copy), &error));
  for (guint i = 1; i <= 3; i++)
    {
      g_autoptr(CoopStudent) student = new_student (i < 3 ? (i == 1 ? "001" : "002") : "000",
                                                    "学生");
      gboolean saved = coop_store_import_save (f->store, COOP_RECORD (student), &error);

      /* A server takes the rows in bulk and refuses them at the commit. */
      g_assert_true (saved == (i < 3 || on_server ()));
    }
  if (on_server ())
    g_assert_false (coop_store_import_commit (f->store, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
  if (!on_server ())
    coop_store_import_rollback (f->store);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  {
    g_autoptr(CoopStudent) in_list = g_list_model_get_item (list, 0);
    g_autoptr(CoopRecord) reread = coop_store_read (f->store, COOP_TYPE_STUDENT,
                                                    coop_record_get_id (COOP_RECORD (stored)),
                                                    NULL);

    g_assert_null (coop_student_get_phone (in_list));
    g_assert_null (coop_student_get_phone (COOP_STUDENT (reread)));
  }
  g_assert_true (coop_store_count (f->store, &after, NULL));
  g_assert_cmpint (after.students, ==, before.students);
  g_assert_cmpint (after.changes, ==, before.changes);

  /* The store takes the next write as usual. */
  g_clear_error (&error);
  {
    g_autoptr(CoopStudent) next = add_student (f->store, "004", "赵磊");

    g_assert_cmpuint (changes->len, ==, 1);
    assert_change (changes, 0, 1, 0, 1);
  }

  unwatch (list, changes);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  /* What only a file has: its mode, its settings, its migrations. */
  if (!on_server ())
    {
      ADD ("/store/open/new-file", test_open_new_file);
      g_test_add_func ("/store/open/empty-file", test_open_empty_file);
      g_test_add_func ("/store/open/refused", test_open_refused);
      g_test_add_func ("/store/migration/2", test_migration_2);
      g_test_add_func ("/store/migration/3", test_migration_3);
      g_test_add_func ("/store/migration/4", test_migration_4);
      g_test_add_func ("/store/migration/5", test_migration_5);
    }

  /* What every database does. */
  ADD ("/store/open/read-only", test_read_only);
  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/shared-strings", test_shared_strings);
  ADD ("/store/items-changed", test_items_changed);
  ADD ("/store/derived-follow", test_derived_follow);
  ADD ("/store/validation/duplicates", test_duplicates);
  ADD ("/store/validation/codes", test_validation_codes);
  ADD ("/store/validation/lengths", test_validation_lengths);
  ADD ("/store/foreign-keys", test_foreign_keys);
  ADD ("/store/transaction", test_transaction);
  ADD ("/store/change-log", test_change_log);
  ADD ("/store/stage-history", test_stage_history);
  ADD ("/store/load-async", test_load_async);
  ADD ("/store/load-derived", test_load_derived);
  ADD ("/store/integrity", test_integrity);
  ADD ("/store/conflict", test_conflict);
  ADD ("/store/import/bulk", test_import_bulk);
  ADD ("/store/import/update", test_import_update);
  ADD ("/store/import/failure", test_import_failure);

#undef ADD

  return g_test_run ();
}
