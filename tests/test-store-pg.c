/* test-store-pg.c — the store on a PostgreSQL server
 *
 * Runs under pg_virtualenv (see meson.build), which starts a throwaway
 * cluster and sets PGHOST, PGPORT, PGUSER and PGPASSWORD; every test makes
 * a database of its own on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <libpq-fe.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-error.h"
#include "coop-partner.h"
#include "coop-pg-private.h"
#include "coop-pool.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-test-util.h"


typedef struct {
  guint position, removed, added;
} Change;

/* ------------------------------------------------------------------ helpers */

/* Runs SQL on the cluster's own database, or on @database. */
static void
admin (const char *database,
       const char *sql)
{
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s", database ? database : "postgres");
  g_autoptr(PGconn) conn = PQconnectdb (conninfo);
  g_autoptr(PGresult) result = NULL;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
}

/* A new, empty database; returns its URI. */
static char *
new_database (void)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("coop_test_%u_%u", (guint) getpid (), ++n);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);

  admin (NULL, create);
  return g_strdup_printf ("postgresql:///%s", name);
}

static const char *
database_name (const char *uri)
{
  return uri + strlen ("postgresql:///");
}

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

static void
assert_changes (GArray      *changes,
                const Change *expected,
                guint        n)
{
  g_assert_cmpuint (changes->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      Change *c = &g_array_index (changes, Change, i);
      g_assert_cmpuint (c->position, ==, expected[i].position);
      g_assert_cmpuint (c->removed, ==, expected[i].removed);
      g_assert_cmpuint (c->added, ==, expected[i].added);
    }
  g_array_set_size (changes, 0);
}

static CoopPartner *
partner_named (const char *name)
{
  CoopPartner *partner = coop_partner_new ();

  coop_partner_set_name (partner, name);
  return partner;
}

/* ------------------------------------------------------------------ tests */

static void
test_open_new (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) again = NULL;
  CoopStoreCounts counts = { 0 };
  g_autofree char *report = NULL;

  g_assert_no_error (error);
  g_assert_true (coop_store_get_shared (store));
  g_assert_false (coop_store_get_read_only (store));
  g_assert_cmpint (coop_store_get_schema_version (store), ==,
                   coop_store_get_latest_schema_version ());
  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_cmpint (counts.partners + counts.students + counts.changes, ==, 0);
  g_assert_true (coop_store_check_integrity (store, &report, &error));
  g_assert_cmpstr (report, ==, "ok");

  /* A second client finds it made and changes nothing. */
  again = coop_store_open (uri, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_get_read_only (again));
  g_assert_cmpint (coop_store_get_read_only_reason (again), ==, COOP_READ_ONLY_REQUESTED);
  g_assert_cmpint (coop_store_get_schema_version (again), ==,
                   coop_store_get_latest_schema_version ());
}

static void
test_open_refused (void)
{
  g_autofree char *uri = new_database ();
  g_autofree char *newer = new_database ();
  g_autofree char *wrong_port = g_strdup ("postgresql://localhost:1/coopdesk");
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;

  store = coop_store_open (wrong_port, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONNECTION);
  g_clear_error (&error);

  store = coop_store_open ("postgresql:///no_such_database", COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONNECTION);
  g_clear_error (&error);

  /* Another program's tables are left alone. */
  admin (database_name (uri), "CREATE TABLE ledger (id int)");
  store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK);
  g_clear_error (&error);

  /* A newer schema opens only read-only. */
  store = coop_store_open (newer, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  admin (database_name (newer), "UPDATE coop_schema SET version = 99");
  store = coop_store_open (newer, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_SCHEMA_TOO_NEW);
  g_clear_error (&error);
  store = coop_store_open (newer, COOP_STORE_OPEN_FALL_BACK_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_read_only_reason (store), ==, COOP_READ_ONLY_NEWER_SCHEMA);
  g_clear_object (&store);

  /* An address of another kind is never taken for a file. */
  store = coop_store_open ("http://localhost/coopdesk", COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND);
  g_assert_false (g_file_test ("http:", G_FILE_TEST_EXISTS));
}

/* A server that takes the connection and never answers is given up after
 * connect_timeout, as PQconnectdb () would. */
static void
test_open_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autofree char *uri = NULL;
  gint64 start;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  uri = g_strdup_printf ("postgresql://coop@127.0.0.1:%u/coopdesk?connect_timeout=2",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  start = g_get_monotonic_time ();
  store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONNECTION);
  g_assert_nonnull (strstr (error->message, "did not answer"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC - 100000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

/* A server that wants a password says so with its own code, whether none
 * was given or the one given was refused; the message never holds it.  A
 * refusal after the password was taken, such as a database that does not
 * exist, stays a connection error. */
static void
test_open_password (void)
{
  g_autofree char *uri = new_database ();
  g_autofree char *grant = g_strdup_printf ("GRANT CONNECT ON DATABASE %s TO coop_clerk",
                                            database_name (uri));
  g_autofree char *right = g_strdup_printf ("postgresql://coop_clerk:%s@localhost/%s",
                                            "r%26ght%20%E5%AF%86", database_name (uri));
  g_autofree char *wrong = g_strdup_printf ("postgresql://coop_clerk@localhost/%s"
                                            "?password=wr0ng-pw", database_name (uri));
  g_autofree char *none = g_strdup_printf ("postgresql://coop_clerk@localhost/%s",
                                           database_name (uri));
  g_autofree char *saved = g_strdup (g_getenv ("PGPASSWORD"));
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;

  admin (NULL, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'coop_clerk')"
               " THEN CREATE ROLE coop_clerk LOGIN PASSWORD 'r&ght 密'; END IF; END $$");
  admin (NULL, grant);

  store = coop_store_open (wrong, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION);
  g_assert_null (strstr (error->message, "wr0ng"));
  g_assert_nonnull (strstr (error->message, "coop_clerk"));
  g_clear_error (&error);

  /* pg_virtualenv gives the superuser's password to every connection
   * through PGPASSWORD: without it there is none. */
  g_unsetenv ("PGPASSWORD");
  store = coop_store_open (none, COOP_STORE_OPEN_DEFAULT, &error);
  g_setenv ("PGPASSWORD", saved, TRUE);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION);
  g_clear_error (&error);

  /* The superuser's password, given to another role, is refused too. */
  store = coop_store_open (none, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION);
  g_assert_null (strstr (error->message, saved));
  g_clear_error (&error);

  store = coop_store_open ("postgresql://coop_clerk:r%26ght%20%E5%AF%86@localhost/no_such_db",
                           COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONNECTION);
  g_assert_null (strstr (error->message, "r&ght"));
  g_clear_error (&error);

  admin (database_name (uri), "GRANT ALL ON SCHEMA public TO coop_clerk");
  store = coop_store_open (right, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

/* Schema 5 on a server: the rows of a ledger of schema 4 get the pinyin
 * keys of their names, sent in one COPY per table. */
static void
test_migration_5 (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(GString) old = g_string_new (NULL);
  g_autofree char *conninfo = g_strdup_printf ("dbname=%s", database_name (uri));
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(PGresult) keys = NULL;
  CoopRecord *agreement;

  for (int step = 0; step < 4; step++)
    g_string_append (old, coop_pg_schema_step (step));
  g_string_append (old, "UPDATE coop_schema SET version = 4;"
                        "INSERT INTO partner (id, name, name_key, short_name)"
                        " VALUES (7, '单雄信科技有限公司', '单雄信科技有限公司', 'SX\\Tech');"
                        "INSERT INTO partner (id, name, name_key) VALUES (8, '2024', '2024');"
                        "INSERT INTO contact (id, partner_id, name) VALUES (3, 7, '曾国藩');"
                        "INSERT INTO agreement (id, partner_id, title, kind, status)"
                        " VALUES (4, 7, '实践基地协议', 'practice-base', 'active');"
                        "INSERT INTO student (id, number, name, gender)"
                        " VALUES (9, '001', '吕伟', 'male');");
  admin (database_name (uri), old->str);

  store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coop_store_get_schema_version (store), ==,
                   coop_store_get_latest_schema_version ());
  coop_store_load_all (store, NULL, &error);
  g_assert_no_error (error);

  conn = PQconnectdb (conninfo);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  keys = PQexec (conn, "SELECT string_agg (k, ';' ORDER BY o, id) FROM ("
                       " SELECT 1 AS o, id, 'partner' || id || '=' || coalesce (pinyin_key, 'none')"
                       " AS k FROM partner"
                       " UNION ALL SELECT 2, id, 'contact=' || pinyin_key FROM contact"
                       " UNION ALL SELECT 3, id, 'agreement=' || pinyin_key FROM agreement"
                       " UNION ALL SELECT 4, id, 'student=' || pinyin_key FROM student) keys");
  g_assert_cmpint (PQresultStatus (keys), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (keys, 0, 0), ==,
                   "partner7=shan|dan xiong xin ke ji you xian gong si\x1fsx tech;"
                   "partner8=none;"
                   "contact=zeng|ceng guo fan;"
                   "agreement=shi jian ji di|de xie yi;"
                   "student=lv|lu wei");

  agreement = coop_store_find (store, COOP_TYPE_AGREEMENT, 4);
  g_assert_cmpstr (coop_record_get_pinyin_key (agreement), ==, "shi jian ji di|de xie yi");
  g_assert_cmpstr (coop_record_get_string (agreement,
                     coop_record_class_find_field (COOP_RECORD_GET_CLASS (agreement),
                                                   "partner-pinyin-key")), ==,
                   "shan|dan xiong xin ke ji you xian gong si\x1fsx tech");
}

static void
test_write (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(CoopPartner) first = partner_named ("上海奇利影视科技有限公司");
  g_autoptr(CoopPartner) second = partner_named ("Acme Film");
  g_autoptr(CoopPartner) twin = partner_named ("ＡＣＭＥ film");
  g_autoptr(CoopAgreement) agreement = coop_agreement_new ();
  g_autoptr(CoopRecord) copy = NULL;
  g_autoptr(GPtrArray) log = NULL;
  GListModel *partners;
  GListModel *agreements;
  gint64 second_id;

  g_assert_no_error (error);
  g_assert_true (coop_store_load_all (store, NULL, &error));
  partners = coop_store_get_list (store, COOP_TYPE_PARTNER);
  agreements = coop_store_get_list (store, COOP_TYPE_AGREEMENT);
  g_signal_connect (partners, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  g_assert_true (coop_store_save (store, COOP_RECORD (first), &error));
  g_assert_true (coop_store_save (store, COOP_RECORD (second), &error));
  assert_changes (changes, (Change[]) { { 0, 0, 1 }, { 1, 0, 1 } }, 2);
  second_id = coop_record_get_id (COOP_RECORD (second));
  g_assert_cmpint (second_id, >, coop_record_get_id (COOP_RECORD (first)));

  /* Names are unique whatever their case and width. */
  g_assert_false (coop_store_save (store, COOP_RECORD (twin), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
  g_clear_error (&error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpint (coop_record_get_id (COOP_RECORD (twin)), ==, 0);

  /* An update is read back in place; derived names follow. */
  coop_agreement_set_partner_id (agreement, second_id);
  coop_agreement_set_title (agreement, "实践基地协议");
  coop_agreement_set_kind (agreement, COOP_AGREEMENT_KIND_PRACTICE_BASE);
  coop_agreement_set_status (agreement, COOP_AGREEMENT_STATUS_SIGNED);
  g_assert_true (coop_store_save (store, COOP_RECORD (agreement), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (agreements), ==, 1);

  coop_partner_set_name (second, "Acme Film and Television");
  g_assert_true (coop_store_save (store, COOP_RECORD (second), &error));
  assert_changes (changes, (Change[]) { { 1, 1, 1 } }, 1);
  {
    g_autoptr(CoopAgreement) shown = g_list_model_get_item (agreements, 0);
    g_autofree char *name = NULL;

    g_object_get (shown, "partner-name", &name, NULL);
    g_assert_cmpstr (name, ==, "Acme Film and Television");
  }

  /* A partner with an agreement stays; without one it goes, and comes back
   * under its old id. */
  g_assert_false (coop_store_delete (store, COOP_RECORD (second), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT);
  g_clear_error (&error);

  copy = coop_record_copy (COOP_RECORD (first));
  g_assert_true (coop_store_delete (store, COOP_RECORD (first), &error));
  assert_changes (changes, (Change[]) { { 0, 1, 0 } }, 1);
  g_assert_true (coop_store_restore (store, copy, &error));
  g_assert_no_error (error);
  assert_changes (changes, (Change[]) { { 0, 0, 1 } }, 1);
  g_assert_cmpint (coop_record_get_id (copy), ==, coop_record_get_id (COOP_RECORD (first)));

  /* Every write is in the change log, oldest first. */
  log = coop_store_list_changes (store, COOP_TYPE_PARTNER, coop_record_get_id (copy), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 3);
  g_assert_cmpint (((CoopChangeEntry *) log->pdata[0])->action, ==, COOP_CHANGE_INSERT);
  g_assert_cmpint (((CoopChangeEntry *) log->pdata[1])->action, ==, COOP_CHANGE_DELETE);
  g_assert_cmpint (((CoopChangeEntry *) log->pdata[2])->action, ==, COOP_CHANGE_INSERT);

  g_signal_handlers_disconnect_by_func (partners, on_items_changed_cb, changes);
}

static void
test_transaction (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopPartner) kept = partner_named ("Kept");
  g_autoptr(CoopPartner) undone = partner_named ("Undone");
  g_autoptr(CoopPartner) clash = partner_named ("KEPT");
  CoopStoreCounts counts = { 0 };

  g_assert_no_error (error);
  g_assert_true (coop_store_save (store, COOP_RECORD (kept), &error));

  /* A failed write inside a transaction undoes itself and nothing else;
   * a rollback undoes the whole. */
  g_assert_true (coop_store_begin (store, &error));
  g_assert_true (coop_store_save (store, COOP_RECORD (undone), &error));
  g_assert_false (coop_store_save (store, COOP_RECORD (clash), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
  g_clear_error (&error);
  coop_store_rollback (store);

  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_cmpint (counts.partners, ==, 1);
  g_assert_cmpint (counts.changes, ==, 1);
}

static void
test_import (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GListModel *students;
  CoopStoreCounts counts = { 0 };
  g_autoptr(GPtrArray) log = NULL;

  g_assert_no_error (error);
  g_assert_true (coop_store_load (store, COOP_TYPE_STUDENT, NULL, &error));
  students = coop_store_get_list (store, COOP_TYPE_STUDENT);
  g_signal_connect (students, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  g_assert_true (coop_store_import_begin (store, COOP_TYPE_STUDENT, "students.csv", &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autofree char *number = g_strdup_printf ("00202500%u", i);

      coop_student_set_number (student, number);
      coop_student_set_name (student, "张三");
      /* What COPY's text format escapes comes back as it was. */
      coop_student_set_notes (student, "tab\there\\back\nline\r\\N");
      coop_student_set_graduation_year (student, 2027 + (int) i);
      coop_record_normalize (COOP_RECORD (student));
      g_assert_true (coop_record_validate (COOP_RECORD (student), &error));
      g_assert_true (coop_store_import_save (store, COOP_RECORD (student), &error));
    }
  g_assert_true (coop_store_import_commit (store, &error));
  g_assert_no_error (error);
  assert_changes (changes, (Change[]) { { 0, 0, 3 } }, 1);

  /* A number taken meanwhile fails the import, which leaves nothing: the
   * rows go to the server in bulk, so the refusal comes at the commit. */
  g_assert_true (coop_store_import_begin (store, COOP_TYPE_STUDENT, "again.csv", &error));
  {
    g_autoptr(CoopStudent) fresh = coop_student_new ();
    g_autoptr(CoopStudent) taken = coop_student_new ();

    coop_student_set_number (fresh, "002025009");
    coop_student_set_name (fresh, "李四");
    coop_student_set_number (taken, "002025001");
    coop_student_set_name (taken, "王五");
    g_assert_true (coop_store_import_save (store, COOP_RECORD (fresh), &error));
    g_assert_true (coop_store_import_save (store, COOP_RECORD (taken), &error));
    g_assert_false (coop_store_import_commit (store, &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
    g_clear_error (&error);
  }
  g_assert_cmpuint (changes->len, ==, 0);

  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_cmpint (counts.students, ==, 3);
  g_assert_cmpint (counts.changes, ==, 1);

  /* The import's one line names each student it added. */
  {
    g_autoptr(CoopRecord) second = g_list_model_get_item (students, 1);
    g_autoptr(CoopRecord) stored = coop_store_read (store, COOP_TYPE_STUDENT,
                                                    coop_record_get_id (second), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (coop_student_get_notes (COOP_STUDENT (stored)), ==,
                     "tab\there\\back\nline\r\\N");
    g_assert_cmpint (coop_student_get_graduation_year (COOP_STUDENT (stored)), ==, 2028);

    log = coop_store_list_changes (store, COOP_TYPE_STUDENT, coop_record_get_id (second), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (log->len, ==, 1);
    g_assert_cmpint (((CoopChangeEntry *) log->pdata[0])->action, ==, COOP_CHANGE_IMPORT);
  }

  g_signal_handlers_disconnect_by_func (students, on_items_changed_cb, changes);
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

/* Loads every list as the window does, on the loader's threads. */
static void
load_all (CoopStore *store)
{
  gboolean done = FALSE;

  coop_store_load_all_async (store, NULL, on_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_load_async (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) writer = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) reader = NULL;
  g_autoptr(CoopPartner) partner = partner_named ("Acme");

  g_assert_no_error (error);
  g_assert_true (coop_store_save (writer, COOP_RECORD (partner), &error));

  reader = coop_store_open (uri, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  load_all (reader);

  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (reader, COOP_TYPE_PARTNER)),
                    ==, 1);
  g_assert_true (coop_store_get_loaded (reader, COOP_TYPE_STUDENT));
}

static void
on_load_failed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (coop_store_load_all_finish (COOP_STORE (source), result, error));
  g_assert_nonnull (*error);
}

/* A read that fails after some tables were read, and handed on to be
 * made into records, loads nothing and leaves nothing behind; the next
 * load, once the table is back, loads everything. */
static void
test_load_broken (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) writer = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) reader = NULL;
  g_autoptr(CoopPartner) partner = partner_named ("Acme");

  g_assert_no_error (error);
  g_assert_true (coop_store_save (writer, COOP_RECORD (partner), &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autofree char *number = g_strdup_printf ("2025%05u", i);

      coop_student_set_number (student, number);
      coop_student_set_name (student, "张三");
      g_assert_true (coop_store_save (writer, COOP_RECORD (student), &error));
      g_assert_no_error (error);
    }

  reader = coop_store_open (uri, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);

  /* The candidates come after the partners and the students */
  admin (database_name (uri), "ALTER TABLE candidate RENAME TO candidate_away");
  coop_store_load_all_async (reader, NULL, on_load_failed_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "candidate"));
  g_clear_error (&error);
  g_assert_false (coop_store_get_loaded (reader, COOP_TYPE_PARTNER));
  g_assert_false (coop_store_get_loaded (reader, COOP_TYPE_STUDENT));

  admin (database_name (uri), "ALTER TABLE candidate_away RENAME TO candidate");
  load_all (reader);
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (reader, COOP_TYPE_PARTNER)),
                    ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (reader, COOP_TYPE_STUDENT)),
                    ==, 3);
}

/* Two people save the same record: one save wins, the other is told who
 * changed it, and nothing of it is stored. */
static void
test_conflict (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) office = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) desk = NULL;
  g_autoptr(CoopPartner) partner = partner_named ("奇利影视");
  g_autoptr(CoopRecord) mine = NULL;
  g_autoptr(CoopRecord) theirs = NULL;
  g_autoptr(CoopRecord) stored = NULL;

  g_assert_no_error (error);
  g_assert_true (coop_store_save (office, COOP_RECORD (partner), &error));
  desk = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  mine = coop_store_read (office, COOP_TYPE_PARTNER, coop_record_get_id (COOP_RECORD (partner)),
                          &error);
  theirs = coop_store_read (desk, COOP_TYPE_PARTNER, coop_record_get_id (COOP_RECORD (partner)),
                            &error);
  g_assert_no_error (error);

  coop_partner_set_city (COOP_PARTNER (theirs), "北京");
  g_assert_true (coop_store_save (desk, theirs, &error));
  coop_partner_set_city (COOP_PARTNER (mine), "上海");
  g_assert_false (coop_store_save (office, mine, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, g_getenv ("PGUSER")));
  g_clear_error (&error);

  g_assert_false (coop_store_delete (office, mine, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_CONFLICT);
  g_clear_error (&error);

  stored = coop_store_read (office, COOP_TYPE_PARTNER, coop_record_get_id (mine), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (coop_partner_get_city (COOP_PARTNER (stored)), ==, "北京");
  g_assert_cmpint (coop_record_get_revision (stored), ==, 2);
}

/* Iterates the main loop until @list has @n items, for at most a second. */
static gboolean
wait_for_items (GListModel *list,
                guint       n)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;

  while (g_list_model_get_n_items (list) != n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return g_list_model_get_n_items (list) == n;
}

static void
wait_for_changes (GArray *changes,
                  guint   n)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC;

  while (changes->len < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* A save in one window reaches the other's lists within a second, with the
 * exact items-changed, and so do the rows that show its values. */
static void
test_follow (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) watcher = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) writer = NULL;
  g_autoptr(GArray) partner_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) agreement_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(CoopPartner) first = partner_named ("奇利影视");
  g_autoptr(CoopPartner) second = partner_named ("Acme");
  g_autoptr(CoopAgreement) agreement = coop_agreement_new ();
  g_autoptr(CoopRecord) shown = NULL;
  GListModel *partners;
  GListModel *agreements;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  writer = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_save (writer, COOP_RECORD (first), &error));

  g_assert_true (coop_store_load_all (watcher, NULL, &error));
  coop_store_follow_others (watcher);
  partners = coop_store_get_list (watcher, COOP_TYPE_PARTNER);
  agreements = coop_store_get_list (watcher, COOP_TYPE_AGREEMENT);
  g_assert_cmpuint (g_list_model_get_n_items (partners), ==, 1);
  g_signal_connect (partners, "items-changed", G_CALLBACK (on_items_changed_cb), partner_changes);
  g_signal_connect (agreements, "items-changed", G_CALLBACK (on_items_changed_cb),
                    agreement_changes);

  /* Added */
  g_assert_true (coop_store_save (writer, COOP_RECORD (second), &error));
  g_assert_true (wait_for_items (partners, 2));
  assert_changes (partner_changes, (Change[]) { { 1, 0, 1 } }, 1);

  coop_agreement_set_partner_id (agreement, coop_record_get_id (COOP_RECORD (second)));
  coop_agreement_set_title (agreement, "实践基地协议");
  coop_agreement_set_kind (agreement, COOP_AGREEMENT_KIND_PRACTICE_BASE);
  coop_agreement_set_status (agreement, COOP_AGREEMENT_STATUS_SIGNED);
  g_assert_true (coop_store_save (writer, COOP_RECORD (agreement), &error));
  g_assert_true (wait_for_items (agreements, 1));
  assert_changes (agreement_changes, (Change[]) { { 0, 0, 1 } }, 1);

  /* Changed: the partner in place, and its name on the agreement */
  coop_partner_set_name (second, "Acme Film");
  g_assert_true (coop_store_save (writer, COOP_RECORD (second), &error));
  wait_for_changes (partner_changes, 1);
  wait_for_changes (agreement_changes, 1);
  assert_changes (partner_changes, (Change[]) { { 1, 1, 1 } }, 1);
  assert_changes (agreement_changes, (Change[]) { { 0, 1, 1 } }, 1);
  shown = g_list_model_get_item (agreements, 0);
  g_object_get (shown, "partner-name", &name, NULL);
  g_assert_cmpstr (name, ==, "Acme Film");

  /* Deleted */
  g_assert_true (coop_store_delete (writer, COOP_RECORD (first), &error));
  g_assert_true (wait_for_items (partners, 1));
  assert_changes (partner_changes, (Change[]) { { 0, 1, 0 } }, 1);

  /* A write that did not commit says nothing. */
  g_assert_true (coop_store_begin (writer, &error));
  {
    g_autoptr(CoopPartner) undone = partner_named ("Undone");
    g_assert_true (coop_store_save (writer, COOP_RECORD (undone), &error));
  }
  coop_store_rollback (writer);
  g_assert_false (wait_for_items (partners, 2));
  g_assert_cmpuint (partner_changes->len, ==, 0);

  g_signal_handlers_disconnect_by_func (partners, on_items_changed_cb, partner_changes);
  g_signal_handlers_disconnect_by_func (agreements, on_items_changed_cb, agreement_changes);
}

static gboolean
wait_connected (CoopStore *store,
                gboolean   connected)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (coop_store_get_connected (store) != connected && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return coop_store_get_connected (store) == connected;
}

/* The server drops the connection: the store says so at once, a save
 * meanwhile changes nothing, and once it is back the lists are read again
 * and follow again. */
static void
test_reconnect (void)
{
  g_autofree char *uri = new_database ();
  g_autofree char *kill = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) watcher = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) writer = NULL;
  g_autoptr(CoopPartner) lost = partner_named ("Lost");
  g_autoptr(CoopPartner) missed = partner_named ("Missed");
  g_autoptr(CoopPartner) heard = partner_named ("Heard");
  GListModel *partners;

  g_assert_no_error (error);
  g_assert_true (coop_store_load_all (watcher, NULL, &error));
  coop_store_follow_others (watcher);
  partners = coop_store_get_list (watcher, COOP_TYPE_PARTNER);
  g_assert_true (coop_store_get_connected (watcher));

  kill = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                          " WHERE datname = '%s' AND pid <> pg_backend_pid ()",
                          database_name (uri));
  admin (NULL, kill);

  /* Told at once, or at the latest at the next save, which stores nothing. */
  if (!wait_connected (watcher, FALSE))
    {
      g_assert_false (coop_store_save (watcher, COOP_RECORD (lost), &error));
      g_assert_error (error, COOP_ERROR, COOP_ERROR_CONNECTION);
      g_clear_error (&error);
    }
  g_assert_false (coop_store_get_connected (watcher));

  writer = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_save (writer, COOP_RECORD (missed), &error));

  g_assert_true (wait_connected (watcher, TRUE));
  g_assert_true (wait_for_items (partners, 1));

  g_assert_true (coop_store_save (writer, COOP_RECORD (heard), &error));
  g_assert_true (wait_for_items (partners, 2));

  /* A save of its own goes through again. */
  g_assert_true (coop_store_save (watcher, COOP_RECORD (lost), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (partners), ==, 3);
}

static void
assert_same_changes (CoopStore *source,
                     CoopStore *target,
                     gint64     id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = coop_store_list_changes (source, COOP_TYPE_PARTNER, id, &error);
  g_autoptr(GPtrArray) after = NULL;

  g_assert_no_error (error);
  after = coop_store_list_changes (target, COOP_TYPE_PARTNER, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, >, 0);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      const CoopChangeEntry *a = g_ptr_array_index (before, i);
      const CoopChangeEntry *b = g_ptr_array_index (after, i);

      g_assert_cmpstr (b->at, ==, a->at);
      g_assert_cmpstr (b->record_type, ==, a->record_type);
      g_assert_cmpint (b->record_id, ==, a->record_id);
      g_assert_cmpint (b->action, ==, a->action);
      g_assert_cmpstr (b->changes, ==, a->changes);
      g_assert_cmpstr (b->changed_by, ==, a->changed_by);
    }
}

/* A file copied to a server keeps every line of its change log as it was,
 * whatever characters the changes hold, in order, and new lines follow. */
static void
test_copy_change_log (void)
{
  g_autofree char *uri = new_database ();
  g_autofree char *folder = g_dir_make_tmp ("coop-copy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (folder, "ledger.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) file = coop_store_open (path, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) server = NULL;
  g_autoptr(CoopPartner) odd = partner_named ("Tab\there\nnext line \\N 反斜杠 \\");
  g_autoptr(CoopPartner) gone = partner_named ("Gone");
  CoopStoreCounts before = { 0 }, after = { 0 };
  gint64 odd_id;

  g_assert_no_error (error);
  g_assert_true (coop_store_save (file, COOP_RECORD (odd), &error));
  coop_partner_set_name (odd, "\r\n\\t 奇利影视");
  g_assert_true (coop_store_save (file, COOP_RECORD (odd), &error));
  g_assert_true (coop_store_save (file, COOP_RECORD (gone), &error));
  g_assert_true (coop_store_delete (file, COOP_RECORD (gone), &error));
  g_assert_no_error (error);
  odd_id = coop_record_get_id (COOP_RECORD (odd));

  server = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_copy (file, server, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (coop_store_count (file, &before, &error));
  g_assert_true (coop_store_count (server, &after, &error));
  g_assert_cmpint (before.changes, ==, 4);
  g_assert_cmpint (after.changes, ==, before.changes);
  assert_same_changes (file, server, odd_id);
  assert_same_changes (file, server, coop_record_get_id (COOP_RECORD (gone)));

  /* A save after the copy logs a line after the copied ones. */
  coop_partner_set_name (odd, "Renamed");
  g_assert_true (coop_store_save (server, COOP_RECORD (odd), &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) lines = coop_store_list_changes (server, COOP_TYPE_PARTNER, odd_id,
                                                          &error);
    const CoopChangeEntry *last;

    g_assert_no_error (error);
    g_assert_cmpuint (lines->len, ==, 3);
    last = g_ptr_array_index (lines, 2);
    g_assert_cmpint (last->action, ==, COOP_CHANGE_UPDATE);
    g_assert_nonnull (strstr (last->changes, "Renamed"));
  }

  g_clear_object (&file);
  coop_test_remove_tree (folder);
}

static void
on_waited_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
wait_refused (CoopStore *store,
              gint64     ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!coop_store_get_password_refused (store) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return coop_store_get_password_refused (store);
}

static void
on_reconnected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
reconnect (CoopStore   *store,
           const char  *uri,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  coop_store_reconnect_async (store, uri, NULL, on_reconnected_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return coop_store_reconnect_finish (store, result, error);
}

/* The role's password changes while the connection is down: the store
 * says the server refused it and stops trying — even the old password
 * back on the server is not tried again — a save meanwhile changes
 * nothing, and with the new password the same store goes on, its lists
 * read again. */
static void
test_reconnect_password (void)
{
  g_autofree char *uri = new_database ();
  g_autofree char *grant = g_strdup_printf ("ALTER DATABASE %s OWNER TO coop_mover",
                                            database_name (uri));
  g_autofree char *first = g_strdup_printf ("postgresql://coop_mover:first@localhost/%s",
                                            database_name (uri));
  g_autofree char *wrong = g_strdup_printf ("postgresql://coop_mover@localhost/%s"
                                            "?password=third", database_name (uri));
  g_autofree char *second = g_strdup_printf ("postgresql://coop_mover@localhost/%s"
                                             "?password=second", database_name (uri));
  g_autofree char *kill = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                                           " WHERE datname = '%s' AND pid <> pg_backend_pid ()",
                                           database_name (uri));
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = NULL;
  g_autoptr(CoopStore) writer = NULL;
  g_autoptr(CoopPartner) kept = partner_named ("Kept");
  g_autoptr(CoopPartner) meanwhile = partner_named ("Meanwhile");
  g_autoptr(CoopPartner) after = partner_named ("After");
  GListModel *partners;
  CoopStoreCounts counts = { 0 };

  admin (NULL, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'coop_mover')"
               " THEN CREATE ROLE coop_mover LOGIN; END IF; END $$");
  admin (NULL, "ALTER ROLE coop_mover PASSWORD 'first'");
  admin (NULL, grant);
  admin (database_name (uri), "ALTER SCHEMA public OWNER TO coop_mover");

  store = coop_store_open (first, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_save (store, COOP_RECORD (kept), &error));
  g_assert_true (coop_store_load_all (store, NULL, &error));
  coop_store_follow_others (store);
  partners = coop_store_get_list (store, COOP_TYPE_PARTNER);
  g_assert_false (coop_store_get_password_refused (store));

  admin (NULL, "ALTER ROLE coop_mover PASSWORD 'second'");
  admin (NULL, kill);
  g_assert_true (wait_connected (store, FALSE));
  g_assert_true (wait_refused (store, 5000));
  g_assert_false (coop_store_get_connected (store));

  /* No more tries: with the old password back on the server, it does not
   * come back by itself. */
  admin (NULL, "ALTER ROLE coop_mover PASSWORD 'first'");
  {
    gboolean waited = FALSE;

    /* Longer than the two seconds between tries. */
    g_timeout_add_once (3000, on_waited_cb, &waited);
    while (!waited)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_false (coop_store_get_connected (store));
  g_assert_true (coop_store_get_password_refused (store));
  admin (NULL, "ALTER ROLE coop_mover PASSWORD 'second'");

  /* A save says why and stores nothing. */
  coop_partner_set_name (kept, "Not saved");
  g_assert_false (coop_store_save (store, COOP_RECORD (kept), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION);
  g_assert_null (strstr (error->message, "first"));
  g_clear_error (&error);
  g_assert_false (coop_store_get_connected (store));
  coop_partner_set_name (kept, "Kept");

  writer = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_save (writer, COOP_RECORD (meanwhile), &error));

  /* A wrong password is refused again and changes nothing. */
  g_assert_false (reconnect (store, wrong, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION);
  g_assert_null (strstr (error->message, "third"));
  g_clear_error (&error);
  g_assert_true (coop_store_get_password_refused (store));
  g_assert_false (coop_store_get_connected (store));

  /* The new one: the same store, its lists read again, and following. */
  g_assert_true (reconnect (store, second, &error));
  g_assert_no_error (error);
  g_assert_true (wait_connected (store, TRUE));
  g_assert_false (coop_store_get_password_refused (store));
  g_assert_true (wait_for_items (partners, 2));
  g_assert_true (coop_store_save (writer, COOP_RECORD (after), &error));
  g_assert_true (wait_for_items (partners, 3));
  g_assert_true (coop_store_save (store, COOP_RECORD (kept), &error));
  g_assert_no_error (error);
  {
    g_autofree char *shown = coop_store_dup_display_name (store);
    g_assert_null (strstr (shown, "second"));
  }
  g_assert_true (coop_store_count (store, &counts, &error));
  g_assert_cmpint (counts.partners, ==, 3);
}

/* A manager's role may read and export, not change. */
static void
test_read_only_role (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) store = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) manager = NULL;
  g_autoptr(CoopPartner) partner = partner_named ("Acme");
  g_autofree char *grant = NULL;
  g_autofree char *manager_uri = NULL;

  g_assert_no_error (error);
  g_assert_true (coop_store_save (store, COOP_RECORD (partner), &error));
  g_clear_object (&store);

  admin (NULL, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'coop_manager')"
               " THEN CREATE ROLE coop_manager LOGIN PASSWORD 'manager'; END IF; END $$");
  grant = g_strdup_printf ("GRANT CONNECT ON DATABASE %s TO coop_manager", database_name (uri));
  admin (NULL, grant);
  admin (database_name (uri), "GRANT SELECT ON ALL TABLES IN SCHEMA public TO coop_manager");

  manager_uri = g_strdup_printf ("postgresql://coop_manager:manager@/%s", database_name (uri));
  manager = coop_store_open (manager_uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (coop_store_get_read_only (manager));
  g_assert_cmpint (coop_store_get_read_only_reason (manager), ==, COOP_READ_ONLY_ROLE);
  g_assert_true (coop_store_load_all (manager, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (manager, COOP_TYPE_PARTNER)),
                    ==, 1);

  coop_partner_set_name (partner, "Acme Renamed");
  g_assert_false (coop_store_save (manager, COOP_RECORD (partner), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY);

  /* The password is not shown, wherever the URI holds it. */
  {
    g_autofree char *shown = coop_store_describe_location ("postgresql://u:secret@db.example.edu:5433/ledger?password=secret&sslmode=require");
    g_assert_cmpstr (shown, ==, "postgresql://u@db.example.edu:5433/ledger?sslmode=require");
  }
  {
    g_autofree char *shown = coop_store_dup_display_name (manager);
    g_assert_null (strstr (shown, ":manager@"));
    g_assert_nonnull (strstr (shown, "coop_manager@"));
  }
}

/* A table long enough to be made into records by two threads, half each:
 * every row comes back once, in order, with its shared strings shared. */
static void
test_load_many (void)
{
  g_autofree char *uri = new_database ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) writer = coop_store_open (uri, COOP_STORE_OPEN_DEFAULT, &error);
  g_autoptr(CoopStore) reader = NULL;
  const char *majors[] = { "广告学", "动画", "数字媒体艺术" };
  GListModel *students;
  guint n = 20001;

  g_assert_no_error (error);
  g_assert_true (coop_store_import_begin (writer, COOP_TYPE_STUDENT, "many.csv", &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autofree char *number = g_strdup_printf ("2025%05u", i);

      coop_student_set_number (student, number);
      coop_student_set_name (student, "张三");
      coop_student_set_major (student, majors[i % G_N_ELEMENTS (majors)]);
      coop_record_normalize (COOP_RECORD (student));
      g_assert_true (coop_store_import_save (writer, COOP_RECORD (student), &error));
    }
  g_assert_true (coop_store_import_commit (writer, &error));
  g_assert_no_error (error);

  reader = coop_store_open (uri, COOP_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  load_all (reader);

  students = coop_store_get_list (reader, COOP_TYPE_STUDENT);
  g_assert_cmpuint (g_list_model_get_n_items (students), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopStudent) student = g_list_model_get_item (students, i);
      g_autoptr(CoopStudent) first = g_list_model_get_item (students, i % G_N_ELEMENTS (majors));
      g_autofree char *number = g_strdup_printf ("2025%05u", i);

      g_assert_cmpstr (coop_student_get_number (student), ==, number);
      g_assert_cmpstr (coop_student_get_major (student), ==, majors[i % G_N_ELEMENTS (majors)]);
      g_assert_true (coop_student_get_major (student) == coop_student_get_major (first));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("PGHOST") == NULL)
    g_error ("Run this test under pg_virtualenv, which starts the server it needs.");

  g_test_add_func ("/store-pg/open/new", test_open_new);
  g_test_add_func ("/store-pg/open/refused", test_open_refused);
  g_test_add_func ("/store-pg/open/password", test_open_password);
  g_test_add_func ("/store-pg/open/timeout", test_open_timeout);
  g_test_add_func ("/store-pg/migration/5", test_migration_5);
  g_test_add_func ("/store-pg/write", test_write);
  g_test_add_func ("/store-pg/transaction", test_transaction);
  g_test_add_func ("/store-pg/import", test_import);
  g_test_add_func ("/store-pg/load-async", test_load_async);
  g_test_add_func ("/store-pg/load-many", test_load_many);
  g_test_add_func ("/store-pg/load-broken", test_load_broken);
  g_test_add_func ("/store-pg/conflict", test_conflict);
  g_test_add_func ("/store-pg/follow", test_follow);
  g_test_add_func ("/store-pg/reconnect", test_reconnect);
  g_test_add_func ("/store-pg/reconnect/password", test_reconnect_password);
  g_test_add_func ("/store-pg/read-only-role", test_read_only_role);
  g_test_add_func ("/store-pg/copy/change-log", test_copy_change_log);

  return g_test_run ();
}
