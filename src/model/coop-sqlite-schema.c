/* coop-sqlite-schema.c — the SQLite file's schema and its migrations
 *
 * A migration step that has been released is never edited; a change to the
 * schema is a new step appended to the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pinyin.h"
#include "coop-pool.h"
#include "coop-sqlite-private.h"

/* ------------------------------------------------------------------ migrations */

/* 1: the first schema */
static const char migration_1[] =
  "CREATE TABLE department ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  parent_id INTEGER REFERENCES department (id) ON DELETE RESTRICT"
  ");"
  "CREATE INDEX department_parent ON department (parent_id);"

  "CREATE TABLE partner ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  name_key TEXT NOT NULL UNIQUE,"
  "  short_name TEXT,"
  "  credit_code TEXT,"
  "  industry TEXT,"
  "  city TEXT,"
  "  address TEXT,"
  "  website TEXT,"
  "  status TEXT NOT NULL DEFAULT 'prospect' CHECK (status IN ('prospect', 'active', 'dormant')),"
  "  notes TEXT"
  ");"

  "CREATE TABLE contact ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  title TEXT,"
  "  partner_id INTEGER REFERENCES partner (id) ON DELETE CASCADE,"
  "  department_id INTEGER REFERENCES department (id) ON DELETE SET NULL,"
  "  phone TEXT,"
  "  email TEXT,"
  "  notes TEXT"
  ");"
  "CREATE INDEX contact_partner ON contact (partner_id);"
  "CREATE INDEX contact_department ON contact (department_id);"

  "CREATE TABLE agreement ("
  "  id INTEGER PRIMARY KEY,"
  "  partner_id INTEGER NOT NULL REFERENCES partner (id) ON DELETE RESTRICT,"
  "  department_id INTEGER REFERENCES department (id) ON DELETE SET NULL,"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  kind TEXT NOT NULL CHECK (kind IN ('practice-base', 'internship-base', 'employment-base',"
  "                                     'joint-training', 'industry-project', 'other')),"
  "  status TEXT NOT NULL CHECK (status IN ('draft', 'negotiating', 'signed', 'active',"
  "                                         'expired', 'terminated')),"
  "  signed_on TEXT,"
  "  starts_on TEXT,"
  "  ends_on TEXT CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),"
  "  school_signatory TEXT,"
  "  partner_signatory TEXT,"
  "  commitments TEXT,"
  "  intern_quota INTEGER NOT NULL DEFAULT 0 CHECK (intern_quota >= 0),"
  "  document_path TEXT,"
  "  plaque_on TEXT,"
  "  notes TEXT"
  ");"
  "CREATE INDEX agreement_partner ON agreement (partner_id);"
  "CREATE INDEX agreement_department ON agreement (department_id);"
  "CREATE INDEX agreement_ends_on ON agreement (ends_on);"

  "CREATE TABLE event ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('visit', 'recommendation-meeting', 'job-fair',"
  "                                     'signing-ceremony', 'seminar', 'other')),"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  starts_at TEXT NOT NULL,"
  "  location TEXT,"
  "  partner_id INTEGER REFERENCES partner (id) ON DELETE SET NULL,"
  "  agreement_id INTEGER REFERENCES agreement (id) ON DELETE SET NULL,"
  "  chair TEXT,"
  "  students_attending INTEGER NOT NULL DEFAULT 0 CHECK (students_attending >= 0),"
  "  summary TEXT,"
  "  outcomes TEXT,"
  "  follow_up_on TEXT"
  ");"
  "CREATE INDEX event_partner ON event (partner_id);"
  "CREATE INDEX event_agreement ON event (agreement_id);"
  "CREATE INDEX event_starts_at ON event (starts_at);"

  "CREATE TABLE attendee ("
  "  id INTEGER PRIMARY KEY,"
  "  event_id INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
  "  contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  title TEXT,"
  "  organization TEXT,"
  "  role TEXT NOT NULL CHECK (role IN ('host', 'guest', 'speaker', 'participant'))"
  ");"
  "CREATE INDEX attendee_event ON attendee (event_id);"
  "CREATE INDEX attendee_contact ON attendee (contact_id);"

  "CREATE TABLE student ("
  "  id INTEGER PRIMARY KEY,"
  "  number TEXT NOT NULL UNIQUE CHECK (number <> ''),"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  gender TEXT NOT NULL CHECK (gender IN ('unknown', 'male', 'female')),"
  "  department_id INTEGER REFERENCES department (id) ON DELETE SET NULL,"
  "  major TEXT,"
  "  class_name TEXT,"
  "  graduation_year INTEGER NOT NULL DEFAULT 0,"
  "  phone TEXT,"
  "  email TEXT,"
  "  notes TEXT"
  ");"
  "CREATE INDEX student_department ON student (department_id);"

  "CREATE TABLE pool ("
  "  id INTEGER PRIMARY KEY,"
  "  partner_id INTEGER NOT NULL REFERENCES partner (id) ON DELETE RESTRICT,"
  "  agreement_id INTEGER REFERENCES agreement (id) ON DELETE SET NULL,"
  "  event_id INTEGER REFERENCES event (id) ON DELETE SET NULL,"
  "  title TEXT NOT NULL CHECK (title <> ''),"
  "  position TEXT,"
  "  kind TEXT NOT NULL CHECK (kind IN ('internship', 'employment')),"
  "  openings INTEGER NOT NULL DEFAULT 0 CHECK (openings >= 0),"
  "  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
  "  opened_on TEXT,"
  "  closes_on TEXT CHECK (closes_on IS NULL OR opened_on IS NULL OR closes_on >= opened_on)"
  ");"
  "CREATE INDEX pool_partner ON pool (partner_id);"
  "CREATE INDEX pool_agreement ON pool (agreement_id);"
  "CREATE INDEX pool_event ON pool (event_id);"

  "CREATE TABLE candidate ("
  "  id INTEGER PRIMARY KEY,"
  "  pool_id INTEGER NOT NULL REFERENCES pool (id) ON DELETE CASCADE,"
  "  student_id INTEGER NOT NULL REFERENCES student (id) ON DELETE RESTRICT,"
  "  stage TEXT NOT NULL CHECK (stage IN ('recommended', 'applied', 'interviewing', 'offered',"
  "                                       'interning', 'hired', 'declined', 'rejected',"
  "                                       'withdrawn')),"
  "  stage_on TEXT,"
  "  notes TEXT,"
  "  UNIQUE (pool_id, student_id)"
  ");"
  "CREATE INDEX candidate_student ON candidate (student_id);"

  "CREATE TABLE stage_change ("
  "  id INTEGER PRIMARY KEY,"
  "  candidate_id INTEGER NOT NULL REFERENCES candidate (id) ON DELETE CASCADE,"
  "  stage TEXT NOT NULL,"
  "  changed_on TEXT NOT NULL"
  ");"
  "CREATE INDEX stage_change_candidate ON stage_change (candidate_id);"

  "CREATE TABLE change_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  record_type TEXT NOT NULL,"
  "  record_id INTEGER NOT NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),"
  "  changes TEXT NOT NULL"
  ");"
  "CREATE INDEX change_log_record ON change_log (record_type, record_id);";

/* 2: every CHECK that lists the values of an enum with IN is written as an
 * OR chain, generated from the enum's nicks.  SQLite builds an index of an
 * IN list each time the statement runs, which costs more than the rest of a
 * row's checks together when many rows are written; the change log learns
 * the action "import" (one line for a whole import) on the way.
 *
 * SQLite cannot change a constraint in place: each table is made anew,
 * filled, and put in place of the old one, as its documentation of ALTER
 * TABLE prescribes.  The column lists are those of step 1; "%s" stands for
 * the checks of the enums, in order. */
typedef struct {
  const char *column;
  GType     (*enum_type) (void);
} EnumCheck;

typedef struct {
  const char *name;
  const char *columns;
  EnumCheck   checks[2];
} RebuiltTable;

static const RebuiltTable migration_2_tables[] = {
  { "partner",
    "id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL CHECK (name <> ''),"
    " name_key TEXT NOT NULL UNIQUE,"
    " short_name TEXT, credit_code TEXT, industry TEXT, city TEXT, address TEXT, website TEXT,"
    " status TEXT NOT NULL DEFAULT 'prospect' CHECK (%s),"
    " notes TEXT",
    { { "status", coop_partner_status_get_type } } },
  { "agreement",
    "id INTEGER PRIMARY KEY,"
    " partner_id INTEGER NOT NULL REFERENCES partner (id) ON DELETE RESTRICT,"
    " department_id INTEGER REFERENCES department (id) ON DELETE SET NULL,"
    " title TEXT NOT NULL CHECK (title <> ''),"
    " kind TEXT NOT NULL CHECK (%s),"
    " status TEXT NOT NULL CHECK (%s),"
    " signed_on TEXT, starts_on TEXT,"
    " ends_on TEXT CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),"
    " school_signatory TEXT, partner_signatory TEXT, commitments TEXT,"
    " intern_quota INTEGER NOT NULL DEFAULT 0 CHECK (intern_quota >= 0),"
    " document_path TEXT, plaque_on TEXT, notes TEXT",
    { { "kind", coop_agreement_kind_get_type }, { "status", coop_agreement_status_get_type } } },
  { "event",
    "id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK (%s),"
    " title TEXT NOT NULL CHECK (title <> ''),"
    " starts_at TEXT NOT NULL, location TEXT,"
    " partner_id INTEGER REFERENCES partner (id) ON DELETE SET NULL,"
    " agreement_id INTEGER REFERENCES agreement (id) ON DELETE SET NULL,"
    " chair TEXT,"
    " students_attending INTEGER NOT NULL DEFAULT 0 CHECK (students_attending >= 0),"
    " summary TEXT, outcomes TEXT, follow_up_on TEXT",
    { { "kind", coop_event_kind_get_type } } },
  { "attendee",
    "id INTEGER PRIMARY KEY,"
    " event_id INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,"
    " contact_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,"
    " name TEXT NOT NULL CHECK (name <> ''), title TEXT, organization TEXT,"
    " role TEXT NOT NULL CHECK (%s)",
    { { "role", coop_attendee_role_get_type } } },
  { "student",
    "id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL UNIQUE CHECK (number <> ''),"
    " name TEXT NOT NULL CHECK (name <> ''),"
    " gender TEXT NOT NULL CHECK (%s),"
    " department_id INTEGER REFERENCES department (id) ON DELETE SET NULL,"
    " major TEXT, class_name TEXT,"
    " graduation_year INTEGER NOT NULL DEFAULT 0,"
    " phone TEXT, email TEXT, notes TEXT",
    { { "gender", coop_gender_get_type } } },
  { "pool",
    "id INTEGER PRIMARY KEY,"
    " partner_id INTEGER NOT NULL REFERENCES partner (id) ON DELETE RESTRICT,"
    " agreement_id INTEGER REFERENCES agreement (id) ON DELETE SET NULL,"
    " event_id INTEGER REFERENCES event (id) ON DELETE SET NULL,"
    " title TEXT NOT NULL CHECK (title <> ''), position TEXT,"
    " kind TEXT NOT NULL CHECK (%s),"
    " openings INTEGER NOT NULL DEFAULT 0 CHECK (openings >= 0),"
    " status TEXT NOT NULL CHECK (%s),"
    " opened_on TEXT,"
    " closes_on TEXT CHECK (closes_on IS NULL OR opened_on IS NULL OR closes_on >= opened_on)",
    { { "kind", coop_pool_kind_get_type }, { "status", coop_pool_status_get_type } } },
  { "candidate",
    "id INTEGER PRIMARY KEY,"
    " pool_id INTEGER NOT NULL REFERENCES pool (id) ON DELETE CASCADE,"
    " student_id INTEGER NOT NULL REFERENCES student (id) ON DELETE RESTRICT,"
    " stage TEXT NOT NULL CHECK (%s),"
    " stage_on TEXT, notes TEXT,"
    " UNIQUE (pool_id, student_id)",
    { { "stage", coop_candidate_stage_get_type } } },
  { "change_log",
    "id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL, record_type TEXT NOT NULL, record_id INTEGER NOT NULL,"
    " action TEXT NOT NULL CHECK (%s),"
    " changes TEXT NOT NULL",
    { { "action", coop_change_action_get_type } } },
};

/* "gender = 'unknown' OR gender = 'male' OR gender = 'female'" */
static void
append_enum_check (GString         *sql,
                   const EnumCheck *check)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (check->enum_type ());

  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (sql, "%s%s = '%s'", i > 0 ? " OR " : "", check->column,
                            klass->values[i].value_nick);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error);

/* The indexes and triggers of @table, to be made again after it. */
static GPtrArray *
read_table_extras (sqlite3     *db,
                   const char  *table,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func (g_free);
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT sql FROM sqlite_schema WHERE tbl_name = ?1"
                               " AND type IN ('index', 'trigger') AND sql IS NOT NULL", -1,
                           &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (extras, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not update the database"));
      return NULL;
    }
  return g_steal_pointer (&extras);
}

static gboolean
rebuild_table (sqlite3             *db,
               const RebuiltTable  *table,
               GError             **error)
{
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GPtrArray) extras = read_table_extras (db, table->name, error);
  g_autofree char *move = NULL;
  const char *p = table->columns;
  guint n_checks = 0;

  if (extras == NULL)
    return FALSE;

  g_string_printf (create, "CREATE TABLE coop_new_%s (", table->name);
  for (const char *mark; (mark = strstr (p, "%s")) != NULL; p = mark + 2)
    {
      g_assert (n_checks < G_N_ELEMENTS (table->checks) && table->checks[n_checks].column != NULL);
      g_string_append_len (create, p, mark - p);
      append_enum_check (create, &table->checks[n_checks++]);
    }
  g_string_append_printf (create, "%s)", p);

  move = g_strdup_printf ("INSERT INTO coop_new_%s SELECT * FROM %s;"
                          "DROP TABLE %s;"
                          "ALTER TABLE coop_new_%s RENAME TO %s;",
                          table->name, table->name, table->name, table->name, table->name);
  if (!exec_sql (db, create->str, error) || !exec_sql (db, move, error))
    return FALSE;

  for (guint i = 0; i < extras->len; i++)
    if (!exec_sql (db, g_ptr_array_index (extras, i), error))
      return FALSE;

  return TRUE;
}

static gboolean
migrate_2 (sqlite3  *db,
           GError  **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (migration_2_tables); i++)
    if (!rebuild_table (db, &migration_2_tables[i], error))
      return FALSE;
  return TRUE;
}

/* 3: students are no longer indexed by department.  The department column
 * has a few dozen values, so each student an import adds landed in the
 * middle of that index rather than at its end, which made adding a student
 * a third dearer.  Nothing reads students by department but the rare edit
 * or deletion of a department, which now scans the table (a few
 * milliseconds for 100,000 students). */
static const char migration_3[] =
  "DROP INDEX IF EXISTS student_department;";

/* 4: every row counts its saves, so that a save made from an older copy
 * of it is refused instead of undoing somebody else's; the change log
 * names who made each change. */
static const char migration_4[] =
  "ALTER TABLE department ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE partner ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE contact ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE agreement ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE event ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE attendee ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE student ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE pool ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE candidate ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE stage_change ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;"
  "ALTER TABLE change_log ADD COLUMN changed_by TEXT;";

/* 5: names and titles are found by their pinyin: each row keeps the
 * pinyin key of its names (coop-pinyin.h), which the store writes with the
 * row.  The keys of the rows already there are made here, once, since
 * making them takes longer than opening a large ledger should. */
static const char migration_5[] =
  "ALTER TABLE partner ADD COLUMN pinyin_key TEXT;"
  "ALTER TABLE contact ADD COLUMN pinyin_key TEXT;"
  "ALTER TABLE agreement ADD COLUMN pinyin_key TEXT;"
  "ALTER TABLE event ADD COLUMN pinyin_key TEXT;"
  "ALTER TABLE student ADD COLUMN pinyin_key TEXT;"
  "ALTER TABLE pool ADD COLUMN pinyin_key TEXT;";

static gboolean
fill_pinyin_keys (sqlite3  *db,
                  GError  **error)
{
  for (guint i = 0; i < coop_n_pinyin_sources; i++)
    {
      const CoopPinyinSource *source = &coop_pinyin_sources[i];
      g_autofree char *select_sql = coop_pinyin_source_select (source);
      g_autofree char *update_sql = g_strdup_printf ("UPDATE %s SET pinyin_key = ?1 WHERE id = ?2",
                                                     source->table);
      g_autoptr(sqlite3_stmt) select = NULL;
      g_autoptr(sqlite3_stmt) update = NULL;
      g_autoptr(GString) key = g_string_new (NULL);
      int rc;

      rc = sqlite3_prepare_v2 (db, select_sql, -1, &select, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2 (db, update_sql, -1, &update, NULL);
      while (rc == SQLITE_OK && (rc = sqlite3_step (select)) == SQLITE_ROW)
        {
          int n_columns = sqlite3_column_count (select);

          g_string_truncate (key, 0);
          for (int c = 1; c < n_columns; c++)
            coop_pinyin_append_key (key, (const char *) sqlite3_column_text (select, c));
          rc = SQLITE_OK;
          if (key->len == 0)
            continue;

          rc = sqlite3_bind_text (update, 1, key->str, (int) key->len, SQLITE_STATIC);
          if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64 (update, 2, sqlite3_column_int64 (select, 0));
          if (rc == SQLITE_OK)
            rc = sqlite3_step (update) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
          sqlite3_reset (update);
        }
      if (rc != SQLITE_DONE)
        {
          coop_store_set_sqlite_error (error, db, rc, _("Could not update the database"));
          return FALSE;
        }
    }
  return TRUE;
}

/* 6: what is due can be marked done (for the date it was due on) or
 * snoozed (until a date), as a write like any other. */
static const char migration_6[] =
  "ALTER TABLE agreement ADD COLUMN reminder_done_for TEXT;"
  "ALTER TABLE agreement ADD COLUMN reminder_snoozed_until TEXT;"
  "ALTER TABLE event ADD COLUMN reminder_done_for TEXT;"
  "ALTER TABLE event ADD COLUMN reminder_snoozed_until TEXT;"
  "ALTER TABLE pool ADD COLUMN reminder_done_for TEXT;"
  "ALTER TABLE pool ADD COLUMN reminder_snoozed_until TEXT;"
  "ALTER TABLE candidate ADD COLUMN reminder_done_for TEXT;"
  "ALTER TABLE candidate ADD COLUMN reminder_snoozed_until TEXT;";

/* 7: agreements and events hold files (the signed contract, a photo, the
 * sign-in sheet) in the database itself, so that they travel with backups
 * and copies.  The content is the last column: reading what is known of a
 * file never reads the file. */
static const char migration_7[] =
  "CREATE TABLE attachment ("
  "  id INTEGER PRIMARY KEY,"
  "  revision INTEGER NOT NULL DEFAULT 1,"
  "  agreement_id INTEGER REFERENCES agreement (id) ON DELETE RESTRICT,"
  "  event_id INTEGER REFERENCES event (id) ON DELETE RESTRICT,"
  "  name TEXT NOT NULL CHECK (name <> ''),"
  "  kind TEXT NOT NULL CHECK (kind = 'contract' OR kind = 'photo' OR kind = 'sign-in-sheet'"
  "                            OR kind = 'other'),"
  "  content_type TEXT,"
  "  size INTEGER NOT NULL CHECK (size >= 0),"
  "  sha256 TEXT NOT NULL,"
  "  added_at TEXT NOT NULL,"
  "  data BLOB,"
  "  CHECK ((agreement_id IS NULL) <> (event_id IS NULL))"
  ");"
  "CREATE INDEX attachment_agreement ON attachment (agreement_id);"
  "CREATE INDEX attachment_event ON attachment (event_id);";

/* A step is SQL, or a function for a step that rebuilds tables; such a step
 * runs with foreign keys off, so that dropping a table neither cascades nor
 * fails, and checks them all before it commits.  A step may also fill what
 * its SQL made, with a function run after the SQL in the same transaction. */
typedef struct {
  const char *sql;
  gboolean  (*rebuild) (sqlite3  *db,
                        GError  **error);
  gboolean  (*fill) (sqlite3  *db,
                     GError  **error);
} MigrationStep;

static const MigrationStep migrations[] = {
  { migration_1, NULL, NULL },
  { NULL, migrate_2, NULL },
  { migration_3, NULL, NULL },
  { migration_4, NULL, NULL },
  { migration_5, NULL, fill_pinyin_keys },
  { migration_6, NULL, NULL },
  { migration_7, NULL, NULL },
};

int
coop_store_schema_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

void
coop_store_set_sqlite_error (GError     **error,
                             sqlite3     *db,
                             int          rc,
                             const char  *doing)
{
  int code;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = COOP_ERROR_BUSY;
      g_set_error (error, COOP_ERROR, code,
                   _("%s: another program is using the database; try again in a moment."),
                   doing);
      return;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("%s: the database file is damaged or is not a database (%s)."),
                   doing, detail);
      return;

    case SQLITE_FULL:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("%s: the disk is full; nothing was changed."), doing);
      return;

    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                   _("%s: the database file could not be read or written (%s)."), doing, detail);
      return;

    case SQLITE_READONLY:
      g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                   _("%s: the database is open read-only."), doing);
      return;

    case SQLITE_CONSTRAINT:
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                   _("%s: the change conflicts with other records (%s)."), doing, detail);
      return;

    default:
      g_set_error (error, COOP_ERROR, COOP_ERROR_FAILED, _("%s: %s."), doing, detail);
      return;
    }
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not update the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not open the database"));
      return FALSE;
    }

  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
foreign_keys_hold (sqlite3     *db,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("The database could not be updated: a %s row refers to a missing %s "
                     "row. It was left unchanged."),
                   sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 2));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not update the database"));
      return FALSE;
    }
  return TRUE;
}

/* Runs step @step (0 for the first) and stamps the version it leads to, in
 * one transaction. */
static gboolean
run_step (sqlite3  *db,
          int       step,
          GError  **error)
{
  const MigrationStep *migration = &migrations[step];
  g_autofree char *stamp = NULL;
  gboolean ok;

  /* PRAGMA foreign_keys does nothing inside a transaction. */
  if (migration->rebuild != NULL && !exec_sql (db, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  stamp = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                           COOP_APPLICATION_ID, step + 1);
  ok = exec_sql (db, "BEGIN IMMEDIATE", error);
  if (ok)
    {
      ok = (migration->rebuild != NULL
            ? migration->rebuild (db, error) && foreign_keys_hold (db, error)
            : exec_sql (db, migration->sql, error)) &&
           (migration->fill == NULL || migration->fill (db, error)) &&
           exec_sql (db, stamp, error) && exec_sql (db, "COMMIT", error);
      if (!ok)
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }

  if (migration->rebuild != NULL && sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL,
                                                  NULL) != SQLITE_OK && ok)
    {
      coop_store_set_sqlite_error (error, db, SQLITE_ERROR, _("Could not update the database"));
      return FALSE;
    }
  return ok;
}

/**
 * coop_store_schema_migrate_to:
 * @db: an open connection to a new, empty file
 * @version: the schema version to stop at
 *
 * Makes a database of an older schema, for the tests of later steps.
 */
gboolean
coop_store_schema_migrate_to (sqlite3  *db,
                              int       version,
                              GError  **error)
{
  g_return_val_if_fail (version >= 1 && version <= coop_store_schema_latest_version (), FALSE);

  for (int step = 0; step < version; step++)
    if (!run_step (db, step, error))
      return FALSE;
  return TRUE;
}

/**
 * coop_store_schema_migrate:
 * @db: an open connection
 * @read_only: whether the file may be changed
 * @version: (out): the schema version the file has afterwards
 *
 * Brings the schema up to date one step at a time, each step in its own
 * transaction together with the new user_version, so that an interrupted
 * migration leaves the file at the last complete step.
 */
gboolean
coop_store_schema_migrate (sqlite3   *db,
                           gboolean   read_only,
                           int       *version,
                           GError   **error)
{
  int current = 0;
  int application_id = 0;
  int n_objects = 0;
  int latest = coop_store_schema_latest_version ();

  if (!query_int (db, "PRAGMA user_version", &current, error) ||
      !query_int (db, "PRAGMA application_id", &application_id, error) ||
      !query_int (db, "SELECT count(*) FROM sqlite_schema", &n_objects, error))
    return FALSE;

  if ((current > 0 && application_id != COOP_APPLICATION_ID) ||
      (current == 0 && n_objects > 0))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK,
                   _("The file is an SQLite database of another program, not a Coopdesk "
                     "database; it was left unchanged."));
      return FALSE;
    }

  if (current > latest)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_SCHEMA_TOO_NEW,
                   _("The database was written by a newer version of Coopdesk (schema %d; "
                     "this version knows schema %d at most). Update Coopdesk to open it."),
                   current, latest);
      return FALSE;
    }

  if (current < latest && read_only)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                   _("The database needs to be updated to schema %d, but it is open "
                     "read-only."), latest);
      return FALSE;
    }

  for (int step = current; step < latest; step++)
    {
      if (!run_step (db, step, error))
        return FALSE;
      g_debug ("Database migrated to schema %d", step + 1);
    }

  *version = latest > current ? latest : current;
  return TRUE;
}
