/* coop-sqlite-backend.c — a ledger in one local SQLite file
 *
 * Every statement the store runs on a file is here: the connection and its
 * safety settings, the file's lock, the quick check on opening, the
 * migrations (coop-sqlite-schema.c), and the SQL built from the records'
 * field tables.  Prepared statements are cached for the life of the
 * connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-file.h"
#include "coop-lock.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-record-private.h"
#include "coop-sqlite-backend.h"
#include "coop-sqlite-private.h"
#include "coop-student.h"
#include "coop-text.h"

#define BUSY_TIMEOUT_MS 5000

typedef enum {
  TABLE_SELECT_ONE,
  TABLE_INSERT,
  TABLE_INSERT_ID,
  TABLE_UPDATE,
  TABLE_DELETE,
  N_TABLE_STMTS
} TableStmt;

struct _CoopSqliteBackend
{
  CoopBackend  parent_instance;

  char        *path;
  sqlite3     *db;
  CoopLock    *lock;               /* held while the backend may write */
  gboolean     tidy_side_files;    /* a reader that made the -wal and -shm files */
  GHashTable  *statements;         /* SQL text → prepared sqlite3_stmt */
  /* The statements of each table's field list, found without hashing
   * their text, which an import would do for every row; the table above
   * owns them. */
  sqlite3_stmt *table_stmts[COOP_N_TABLES][N_TABLE_STMTS];
  CoopSqlTable     tables[COOP_N_TABLES];
  /* The quick check, when it runs beside the load on a connection of its
   * own (COOP_STORE_OPEN_CHECK_BESIDE): the first write waits for it. */
  GMutex        check_lock;
  GThread      *check_thread;
  GError       *check_error;
};

G_DEFINE_FINAL_TYPE (CoopSqliteBackend, coop_sqlite_backend, COOP_TYPE_BACKEND)

/* ------------------------------------------------------------------ helpers */

static gboolean
side_file_exists (const char *path,
                  const char *suffix)
{
  g_autofree char *side = g_strconcat (path, suffix, NULL);

  return g_file_test (side, G_FILE_TEST_EXISTS);
}

/* A reader of a WAL file makes the -wal and -shm files beside it, and,
 * being a reader, does not remove them when it closes.  Once it has closed,
 * they are removed if the -wal is still empty and no Coopdesk holds the
 * file for writing: a check or an export that only reads leaves the folder
 * as it found it. */
static void
tidy_side_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(CoopLockHolder) holder = coop_lock_query_holder (path);
  GStatBuf info;

  if (holder != NULL)
    return;
  if (g_stat (wal, &info) == 0)
    {
      if (info.st_size != 0 || !S_ISREG (info.st_mode))
        return;
      g_unlink (wal);
    }
  g_unlink (shm);
}

/* Prepared statements are kept for the life of the connection; the caller
 * resets the statement when done, which the cache does not check. */
static sqlite3_stmt *
get_stmt (CoopSqliteBackend *self,
          const char  *sql,
          GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/* get_stmt() for one of @table's own statements. */
static sqlite3_stmt *
get_table_stmt (CoopSqliteBackend  *self,
                CoopTable           table,
                TableStmt           which,
                GError            **error)
{
  sqlite3_stmt **cached = &self->table_stmts[table][which];
  const CoopSqlTable *state = &self->tables[table];
  const char *sql = which == TABLE_SELECT_ONE ? state->select_one_sql
                    : which == TABLE_INSERT ? state->insert_sql
                    : which == TABLE_INSERT_ID ? state->insert_id_sql
                    : which == TABLE_UPDATE ? state->update_sql
                    : state->delete_sql;

  if (*cached != NULL)
    {
      sqlite3_reset (*cached);
      sqlite3_clear_bindings (*cached);
      return *cached;
    }
  *cached = get_stmt (self, sql, error);
  return *cached;
}

static gboolean
exec (CoopSqliteBackend *self,
      const char  *sql,
      const char  *doing,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, self->db, rc, doing);
      return FALSE;
    }
  return TRUE;
}

static int
enum_from_nick (GType       enum_type,
                const char *nick)
{
  GEnumClass *klass = g_type_class_peek_static (enum_type);
  GEnumValue *value;

  /* The model's enums are static types: a class once made is never freed,
   * so the reference taken here need not be given back. */
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);

  value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;
  return value != NULL ? value->value : 0;
}

/* Builds a record from the current row of a statement made from
 * CoopSqlTable.select_sql: the id, the revision, then one column per field.
 * @shared, when given, keeps the strings of fields with few distinct values
 * while a whole table is read (see coop_record_init_shared ()). */
static CoopRecord *
record_from_row (CoopTable        table,
                 sqlite3_stmt    *stmt,
                 CoopStringShare *shared)
{
  GType type = coop_tables[table].get_type ();
  CoopRecord *record = g_object_new (type, NULL);
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (record),
                                                          &n_fields);

  coop_record_set_id (record, sqlite3_column_int64 (stmt, 0));
  coop_record_set_revision (record, sqlite3_column_int64 (stmt, 1));

  for (guint i = 0; i < n_fields; i++)
    {
      const CoopField *field = &fields[i];
      int col = (int) i + 2;

      if (COOP_FIELD_IS_STRING (field->kind))
        {
          const char *text = (const char *) sqlite3_column_text (stmt, col);

          if (text == NULL)
            continue;

          if (shared == NULL || !(field->flags & (COOP_FIELD_SHARED | COOP_FIELD_DERIVED)))
            {
              coop_record_init_string (record, field, text, sqlite3_column_bytes (stmt, col));
              continue;
            }

          coop_record_init_shared (record, field, shared, text);
        }
      else if (field->kind == COOP_FIELD_ENUM)
        *COOP_FIELD_PTR (record, field, int) =
          enum_from_nick (field->enum_type (), (const char *) sqlite3_column_text (stmt, col));
      else if (COOP_FIELD_IS_INT (field->kind))
        *COOP_FIELD_PTR (record, field, int) = sqlite3_column_int (stmt, col);
      else
        *COOP_FIELD_PTR (record, field, gint64) = sqlite3_column_int64 (stmt, col);
    }

  return record;
}

/* The record's strings are not copied: every statement bound from a record
 * is run before the record can change. */
static int
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index);
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* Binds the stored fields to ?1…?n and a table's key column to ?n+1. */
static int
bind_record (CoopSqlTable     *state,
             CoopTable     table,
             sqlite3_stmt *stmt,
             CoopRecord   *record)
{
  int rc = SQLITE_OK;
  guint i;

  for (i = 0; i < state->stored->len && rc == SQLITE_OK; i++)
    {
      const CoopField *field = g_ptr_array_index (state->stored, i);
      int index = (int) i + 1;

      /* The fields are read in place: this runs for every row of an import. */
      if (COOP_FIELD_IS_STRING (field->kind))
        rc = bind_text_or_null (stmt, index, *COOP_FIELD_PTR (record, field, char *));
      else if (field->kind == COOP_FIELD_ENUM)
        rc = bind_text_or_null (stmt, index,
                                coop_enum_get_nick (field->enum_type (),
                                                    *COOP_FIELD_PTR (record, field, int)));
      else if (COOP_FIELD_IS_INT (field->kind))
        rc = sqlite3_bind_int (stmt, index, *COOP_FIELD_PTR (record, field, int));
      else if (*COOP_FIELD_PTR (record, field, gint64) == 0)
        rc = sqlite3_bind_null (stmt, index);
      else
        rc = sqlite3_bind_int64 (stmt, index, *COOP_FIELD_PTR (record, field, gint64));
    }

  if (rc == SQLITE_OK && coop_sql_key_column (table) != NULL)
    {
      g_autofree char *key = coop_text_fold (coop_record_get_title (record));
      rc = sqlite3_bind_text (stmt, (int) i + 1, key, -1, SQLITE_TRANSIENT);
    }

  return rc;
}

/* Runs a statement that returns no rows.  A refused unique value is
 * %COOP_ERROR_DUPLICATE and any other refused constraint
 * %COOP_ERROR_CONSTRAINT, for the store to word.  @msgid, marked with N_(),
 * is translated only when the step fails: gettext takes a lock, and an
 * import steps once a row. */
static gboolean
step_done (CoopSqliteBackend *self,
           sqlite3_stmt      *stmt,
           const char        *msgid,
           GError           **error)
{
  int rc = sqlite3_step (stmt);
  const char *doing;

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  doing = _(msgid);

  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE, _("%s: %s."), doing,
                 sqlite3_errmsg (self->db));
  else if ((rc & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT, _("%s: %s."), doing,
                 sqlite3_errmsg (self->db));
  else
    coop_store_set_sqlite_error (error, self->db, rc, doing);
  return FALSE;
}

/* An update or delete that found no row of the revision it was given. */
static gboolean
check_changed (CoopSqliteBackend  *self,
               GError            **error)
{
  if (sqlite3_changes (self->db) > 0)
    return TRUE;

  g_set_error (error, COOP_ERROR, COOP_ERROR_CONFLICT,
               _("The record was changed by somebody else since it was read."));
  return FALSE;
}

/* The current row of a select of change_log's id, at, record_type,
 * record_id, action, changes and changed_by. */
static CoopChangeEntry *
change_entry_from_row (sqlite3_stmt *stmt)
{
  CoopChangeEntry *entry = g_new0 (CoopChangeEntry, 1);
  int action = 0;

  entry->at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->record_type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->record_id = sqlite3_column_int64 (stmt, 3);
  coop_enum_from_nick (COOP_TYPE_CHANGE_ACTION, (const char *) sqlite3_column_text (stmt, 4),
                       &action);
  entry->action = (CoopChangeAction) action;
  entry->changes = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  entry->changed_by = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  return entry;
}

/* ------------------------------------------------------------------ reading */

static gboolean
read_attendees (sqlite3     *db,
                GHashTable  *events,
                const char  *where,
                gint64       event_id,
                GError     **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  sql = g_strconcat (coop_sql_attendees, " ", where, " ORDER BY t.event_id, t.id", NULL);

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK && event_id != 0)
    rc = sqlite3_bind_int64 (stmt, 1, event_id);
  if (rc != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not read the attendees"));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CoopRecord) attendee = record_from_row (COOP_TABLE_ATTENDEE, stmt, NULL);
      CoopEvent *event = g_hash_table_lookup (events, &(gint64) {
                                                coop_attendee_get_event_id (COOP_ATTENDEE (attendee)) });

      if (event != NULL)
        g_list_store_append (G_LIST_STORE (coop_event_get_attendees (event)), attendee);
    }

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not read the attendees"));
      return FALSE;
    }

  return TRUE;
}

static CoopRecord *
read_one (CoopSqliteBackend *self,
          CoopTable   table,
          gint64      id,
          GError    **error)
{
  sqlite3_stmt *stmt = get_table_stmt (self, table, TABLE_SELECT_ONE, error);
  g_autoptr(CoopRecord) record = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (table, stmt, NULL);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }

  if (record != NULL && table == COOP_TABLE_EVENT)
    {
      g_autoptr(GHashTable) events = g_hash_table_new (g_int64_hash, g_int64_equal);
      gint64 key = id;

      g_hash_table_insert (events, &key, record);
      if (!read_attendees (self->db, events, "WHERE t.event_id = ?1", id, error))
        return NULL;
    }

  return g_steal_pointer (&record);
}

/* Reads the rows of a table whose ids lie in [first_id, last_id] with
 * @select, one of CoopSqlTable's, on whichever connection the caller has. */
static GPtrArray *
read_range (sqlite3       *db,
            const char    *select,
            CoopTable      table,
            gint64         first_id,
            gint64         last_id,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *order = strstr (select, " ORDER BY");
  g_autofree char *sql = g_strdup_printf ("%.*s WHERE t.id BETWEEN ?1 AND ?2%s",
                                          (int) (order - select), select, order);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CoopStringShare) shared = coop_string_share_new ();
  int rc;
  guint n = 0;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 1, first_id);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, 2, last_id);
  if (rc != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not read the database"));
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (records, record_from_row (table, stmt, shared));

      if (++n % 4096 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
    }

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not read the database"));
      return NULL;
    }

  if (table == COOP_TABLE_EVENT)
    {
      g_autoptr(GHashTable) events = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autofree gint64 *keys = g_new (gint64, records->len);

      for (guint i = 0; i < records->len; i++)
        {
          keys[i] = coop_record_get_id (g_ptr_array_index (records, i));
          g_hash_table_insert (events, &keys[i], g_ptr_array_index (records, i));
        }
      if (!read_attendees (db, events, "", 0, error))
        return NULL;
    }

  return g_steal_pointer (&records);
}

/* ------------------------------------------------------------------ file system */

/* WAL needs shared memory that network and FUSE file systems do not
 * provide reliably. */
static gboolean
is_local_file_system (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct statfs fs;

  if (statfs (dir, &fs) != 0)
    return FALSE;

  switch ((unsigned long) fs.f_type)
    {
    case 0x6969:       /* NFS */
    case 0x517b:       /* SMB */
    case 0xff534d42:   /* CIFS */
    case 0xfe534d42:   /* SMB2 */
    case 0x65735546:   /* FUSE */
    case 0x01021997:   /* 9P */
    case 0x00c36400:   /* Ceph */
    case 0x5346414f:   /* AFS */
    case 0x47504653:   /* GPFS */
    case 0x0bd00bd0:   /* Lustre */
      return FALSE;

    default:
      return TRUE;
    }
}

static gboolean
create_file (const char  *path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not create the folder “%s”: %s."),
                   dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not create “%s”: %s."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* A workbook, a document or a folder chosen as the database by mistake is
 * refused and left alone, rather than taken for a damaged database and
 * moved aside. */
static gboolean
check_not_foreign (const char  *path,
                   GError     **error)
{
  static const struct { const char *magic; gsize len; } foreign[] = {
    { "PK\003\004", 4 },                 /* ZIP: XLSX, DOCX, ODS, … */
    { "%PDF", 4 },
    { "\320\317\021\340", 4 },          /* old Office documents */
    { "\357\273\277", 3 },              /* text with a byte-order mark, such as a CSV */
  };
  guint8 head[16] = { 0 };
  gssize n;
  int fd;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK,
                   _("“%s” is a folder, not a Coopdesk database."), path);
      return FALSE;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return TRUE;
  n = read (fd, head, sizeof head);
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    if (n >= (gssize) foreign[i].len && memcmp (head, foreign[i].magic, foreign[i].len) == 0)
      {
        g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK,
                     _("“%s” is not a Coopdesk database but a file of another kind (a "
                       "workbook, document or text); it was left unchanged."), path);
        return FALSE;
      }

  return TRUE;
}

static gboolean
query_text (sqlite3     *db,
            const char  *sql,
            char       **text)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  *text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return TRUE;
}

static gboolean
folder_is_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return access (dir, W_OK) == 0;
}

/* Byte 18 of the header is 2 in a file that was last written in WAL mode. */
static gboolean
is_wal_file (const char *path)
{
  guchar header[20];
  gssize n = 0;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      n = read (fd, header, sizeof header);
      close (fd);
    }
  return n == (gssize) sizeof header && header[18] == 2;
}

/* Opens a connection with the settings every Coopdesk connection has, and
 * checks that they took. */
static sqlite3 *
open_connection (const char  *path,
                 gboolean     read_only,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc;
  g_autofree char *foreign_keys = NULL;
  g_autofree char *trusted_schema = NULL;

  flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (read_only && !folder_is_writable (path) && is_wal_file (path))
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);

      /* A reader of a WAL file needs the -shm file next to it, which cannot
       * be created here; with no -wal there is nothing it would hold, and
       * the file can be read as it is. */
      if (!g_file_test (wal, G_FILE_TEST_EXISTS))
        {
          g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
          g_autofree char *uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);

          rc = sqlite3_open_v2 (uri, &db, flags | SQLITE_OPEN_URI, NULL);
        }
      else
        rc = sqlite3_open_v2 (path, &db, flags, NULL);
    }
  else
    rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *doing = g_strdup_printf (_("Could not open “%s”"), path);
      coop_store_set_sqlite_error (error, db, rc, doing);
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);

  rc = sqlite3_exec (db,
                     "PRAGMA trusted_schema = OFF;"
                     "PRAGMA foreign_keys = ON;"
                     "PRAGMA synchronous = FULL;",
                     NULL, NULL, NULL);
  /* 32 MB for the writing connection, so that a large import keeps its
   * pages in memory until the commit writes them once. */
  if (rc == SQLITE_OK && !read_only)
    rc = sqlite3_exec (db, "PRAGMA cache_size = -32768", NULL, NULL, NULL);
  if (rc == SQLITE_OK && !read_only)
    rc = sqlite3_exec (db, is_local_file_system (path)
                           ? "PRAGMA journal_mode = WAL"
                           : "PRAGMA journal_mode = DELETE",
                       NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_autofree char *doing = g_strdup_printf (_("Could not open “%s”"), path);
      coop_store_set_sqlite_error (error, db, rc, doing);
      sqlite3_close (db);
      return NULL;
    }

  if (!query_text (db, "PRAGMA foreign_keys", &foreign_keys) ||
      !query_text (db, "PRAGMA trusted_schema", &trusted_schema) ||
      g_strcmp0 (foreign_keys, "1") != 0 || g_strcmp0 (trusted_schema, "0") != 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_FAILED,
                   _("The database engine refused the safety settings Coopdesk needs "
                     "(foreign keys, untrusted schema)."));
      sqlite3_close (db);
      return NULL;
    }

  return db;
}

/* ------------------------------------------------------------------ loading */

/* The candidates are more than half of a large database; the upper half of
 * them is read by a second thread on a connection of its own, while the
 * first reads everything else. */
typedef struct
{
  const char   *path;
  CoopSqlTable     *state;
  gint64        first_id;
  GCancellable *cancellable;
  GPtrArray    *rows;
  GError       *error;
} HalfLoad;

/* A connection that reads whole tables: on a local disk it maps the file
 * instead of copying every page out of the kernel's cache. */
static sqlite3 *
open_reader (const char  *path,
             GError     **error)
{
  sqlite3 *db = open_connection (path, TRUE, error);

  if (db != NULL && is_local_file_system (path))
    sqlite3_exec (db, "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
  return db;
}

static gpointer
load_upper_half (gpointer user_data)
{
  HalfLoad *half = user_data;
  sqlite3 *db = open_reader (half->path, &half->error);

  if (db == NULL)
    return NULL;

  half->rows = read_range (db, half->state->list_sql, COOP_TABLE_CANDIDATE, half->first_id, G_MAXINT64,
                           half->cancellable, &half->error);
  sqlite3_close (db);
  return NULL;
}

/* The quick check reads every page once; a damaged file is found here and
 * not in the middle of a user's edit. */
static gboolean
quick_check (sqlite3     *db,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_ERROR)
    {
      /* The first statement parses the stored table definitions; a plain
       * error here means they are garbled, and the detail may not even be
       * text. */
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("The database file is damaged: its table definitions cannot be read."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not open the database"));
      return FALSE;
    }
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("The database file is damaged: the database check found errors."));
      return FALSE;
    }
  return TRUE;
}

/* Runs the quick check on a read-only connection of its own; returns the
 * error it found, or %NULL. */
static gpointer
check_beside_thread (gpointer user_data)
{
  g_autofree char *path = user_data;
  GError *error = NULL;
  sqlite3 *db = open_reader (path, &error);

  if (db != NULL)
    {
      quick_check (db, &error);
      sqlite3_close (db);
    }
  return error;
}

static gboolean
coop_sqlite_backend_wait_checked (CoopBackend  *backend,
                                  GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  gboolean sound;

  g_mutex_lock (&self->check_lock);
  if (self->check_thread != NULL)
    self->check_error = g_thread_join (g_steal_pointer (&self->check_thread));
  sound = self->check_error == NULL;
  if (!sound && error != NULL)
    *error = g_error_copy (self->check_error);
  g_mutex_unlock (&self->check_lock);

  return sound;
}

static gboolean
query_user_version (sqlite3     *db,
                    int         *version,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, db, rc, _("Could not open the database"));
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* Root passes access(2) everywhere; SQLite then finds out at the first
 * write, which the store reports as a read-only error. */
static gboolean
is_writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return access (path, W_OK) == 0 && access (dir, W_OK) == 0;
}

/* ------------------------------------------------------------------ CoopBackend */

/* Nothing is written to a file before its quick check has passed. */
static gboolean
coop_sqlite_backend_begin (CoopBackend  *backend,
                           GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);

  if (!coop_backend_wait_checked (backend, error))
    return FALSE;
  return exec (self, "BEGIN IMMEDIATE", _("Could not start the change"), error);
}

/* A read transaction sees the moment it started; the file's lock keeps
 * other Coopdesks from writing meanwhile in any case. */
static gboolean
coop_sqlite_backend_begin_snapshot (CoopBackend  *backend,
                                    GError      **error)
{
  return exec (COOP_SQLITE_BACKEND (backend), "BEGIN", _("Could not read the database"), error);
}

static gboolean
coop_sqlite_backend_commit (CoopBackend  *backend,
                            GError      **error)
{
  return exec (COOP_SQLITE_BACKEND (backend), "COMMIT", _("Could not save the changes"), error);
}

static void
coop_sqlite_backend_rollback (CoopBackend *backend)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
coop_sqlite_backend_savepoint (CoopBackend  *backend,
                               GError      **error)
{
  return exec (COOP_SQLITE_BACKEND (backend), "SAVEPOINT coop_write",
               _("Could not start the change"), error);
}

static gboolean
coop_sqlite_backend_release (CoopBackend  *backend,
                             GError      **error)
{
  return exec (COOP_SQLITE_BACKEND (backend), "RELEASE coop_write", _("Could not save the change"),
               error);
}

static void
coop_sqlite_backend_rollback_to (CoopBackend *backend)
{
  sqlite3_exec (COOP_SQLITE_BACKEND (backend)->db, "ROLLBACK TO coop_write; RELEASE coop_write",
                NULL, NULL, NULL);
}

static CoopRecord *
coop_sqlite_backend_read_one (CoopBackend  *backend,
                              CoopTable     table,
                              gint64        id,
                              GError      **error)
{
  return read_one (COOP_SQLITE_BACKEND (backend), table, id, error);
}

static GPtrArray *
coop_sqlite_backend_read_range (CoopBackend   *backend,
                                CoopTable      table,
                                gint64         first,
                                gint64         last,
                                GCancellable  *cancellable,
                                GError       **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);

  return read_range (self->db, self->tables[table].select_sql, table, first, last, cancellable,
                     error);
}

static gboolean
coop_sqlite_backend_load_lists (CoopBackend   *backend,
                                GPtrArray    **rows,
                                GCancellable  *cancellable,
                                GError       **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  GError *local_error = NULL;
  sqlite3 *db = open_reader (self->path, error);
  HalfLoad half = { self->path, &self->tables[COOP_TABLE_CANDIDATE], 0, cancellable, NULL, NULL };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GThread *helper;

  if (db == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT max(id) FROM candidate", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    half.first_id = sqlite3_column_int64 (stmt, 0) / 2 + 1;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The two threads read in two transactions; a write by this store in
   * between is caught by the store's generation check, and the lock keeps
   * other Coopdesks from writing. */
  helper = g_thread_new ("coop-load", load_upper_half, &half);

  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < COOP_N_TABLES && local_error == NULL; i++)
    if (coop_tables[i].listed)
      rows[i] = read_range (db, self->tables[i].list_sql, (CoopTable) i, 0,
                            i == COOP_TABLE_CANDIDATE ? half.first_id - 1 : G_MAXINT64,
                            cancellable, &local_error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  g_thread_join (helper);

  if (local_error == NULL && half.error != NULL)
    local_error = g_steal_pointer (&half.error);
  g_clear_error (&half.error);

  if (local_error == NULL)
    g_ptr_array_extend_and_steal (rows[COOP_TABLE_CANDIDATE], g_steal_pointer (&half.rows));
  g_clear_pointer (&half.rows, g_ptr_array_unref);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
coop_sqlite_backend_read_related (CoopBackend      *backend,
                                  CoopTable         table,
                                  const CoopField  *field,
                                  gint64            id,
                                  GError          **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *column = NULL;
  g_autofree char *sql = NULL;
  const char *select = self->tables[table].select_sql;
  sqlite3_stmt *stmt;
  int rc;

  column = (field->flags & COOP_FIELD_DERIVED)
           ? g_strdup (coop_sql_derived_expr (table, field->name))
           : g_strconcat ("t.", field->name, NULL);
  g_strdelimit (column, "-", '_');

  sql = g_strdup_printf ("%.*s WHERE %s = ?1 ORDER BY t.id",
                         (int) (strstr (select, " ORDER BY") - select), select, column);

  stmt = get_stmt (self, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, record_from_row (table, stmt, NULL));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }

  /* An event's attendees come with it. */
  if (table == COOP_TABLE_EVENT)
    for (guint i = 0; i < rows->len; i++)
      {
        CoopRecord *event = g_ptr_array_index (rows, i);
        g_autoptr(CoopRecord) full = read_one (self, table, coop_record_get_id (event), error);

        if (full == NULL)
          return NULL;
        coop_record_assign (event, full);
      }

  return g_steal_pointer (&rows);
}

static gboolean
coop_sqlite_backend_find_dependents (CoopBackend  *backend,
                                     guint         dependency,
                                     gint64        id,
                                     GArray       *ids,
                                     GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_stmt (self, coop_dependencies[dependency].sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 dependent = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, dependent);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
coop_sqlite_backend_count_blockers (CoopBackend  *backend,
                                    guint         blocker,
                                    gint64        id,
                                    gint64       *count,
                                    GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_stmt (self, coop_blockers[blocker].count_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
coop_sqlite_backend_find_duplicate (CoopBackend  *backend,
                                    CoopTable     table,
                                    CoopRecord   *record,
                                    char        **other,
                                    GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *key = NULL;
  int rc;

  *other = NULL;

  switch (table)
    {
    case COOP_TABLE_PARTNER:
      stmt = get_stmt (self, coop_sql_unique_partner, error);
      key = coop_text_fold (coop_partner_get_name (COOP_PARTNER (record)));
      break;

    case COOP_TABLE_STUDENT:
      stmt = get_stmt (self, coop_sql_unique_student, error);
      key = g_strdup (coop_student_get_number (COOP_STUDENT (record)));
      break;

    case COOP_TABLE_CANDIDATE:
      stmt = get_stmt (self,
                       coop_sql_unique_candidate, error);
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 3, coop_candidate_get_pool_id (COOP_CANDIDATE (record)));
      break;

    case COOP_TABLE_DEPARTMENT:
    case COOP_TABLE_CONTACT:
    case COOP_TABLE_AGREEMENT:
    case COOP_TABLE_EVENT:
    case COOP_TABLE_ATTENDEE:
    case COOP_TABLE_POOL:
    case COOP_TABLE_STAGE_CHANGE:
    case COOP_TABLE_ATTACHMENT:
    case COOP_N_TABLES:
    default:
      return TRUE;
    }

  if (stmt == NULL)
    return FALSE;

  if (table == COOP_TABLE_CANDIDATE)
    sqlite3_bind_int64 (stmt, 1, coop_candidate_get_student_id (COOP_CANDIDATE (record)));
  else
    sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, coop_record_get_id (record));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *other = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
coop_sqlite_backend_read_agreement_owner (CoopBackend  *backend,
                                          gint64        agreement_id,
                                          gint64       *partner_id,
                                          char        **title,
                                          char        **partner_name,
                                          GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt;
  int rc;

  *partner_id = 0;
  *title = *partner_name = NULL;

  stmt = get_stmt (self, coop_sql_agreement_owner, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, agreement_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *partner_id = sqlite3_column_int64 (stmt, 0);
      *title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *partner_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
coop_sqlite_backend_insert (CoopBackend  *backend,
                            CoopTable     table,
                            CoopRecord   *record,
                            GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  sqlite3_stmt *stmt = get_table_stmt (self, table, TABLE_INSERT, error);

  if (stmt == NULL)
    return FALSE;

  bind_record (state, table, stmt, record);
  if (!step_done (self, stmt, N_("Could not save the record"), error))
    return FALSE;

  coop_record_set_id (record, sqlite3_last_insert_rowid (self->db));
  return TRUE;
}

static gboolean
coop_sqlite_backend_update (CoopBackend  *backend,
                            CoopTable     table,
                            CoopRecord   *record,
                            GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  sqlite3_stmt *stmt = get_table_stmt (self, table, TABLE_UPDATE, error);

  if (stmt == NULL)
    return FALSE;

  bind_record (state, table, stmt, record);
  sqlite3_bind_int64 (stmt, (int) state->update_id, coop_record_get_id (record));
  sqlite3_bind_int64 (stmt, (int) state->update_id + 1, coop_record_get_revision (record));
  if (!step_done (self, stmt, N_("Could not save the record"), error))
    return FALSE;
  return check_changed (self, error);
}

static gboolean
coop_sqlite_backend_remove (CoopBackend  *backend,
                            CoopTable     table,
                            gint64        id,
                            gint64        revision,
                            GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_table_stmt (self, table, TABLE_DELETE, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, revision);
  if (!step_done (self, stmt, N_("Could not delete the record"), error))
    return FALSE;
  return check_changed (self, error);
}

static gboolean
coop_sqlite_backend_change_id (CoopBackend  *backend,
                               CoopTable     table,
                               gint64        from,
                               gint64        to,
                               GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET id = ?1 WHERE id = ?2",
                                          coop_tables[table].name);
  sqlite3_stmt *stmt = get_stmt (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, to);
  sqlite3_bind_int64 (stmt, 2, from);
  return step_done (self, stmt, N_("Could not restore the record"), error);
}

static gboolean
coop_sqlite_backend_delete_attendees (CoopBackend  *backend,
                                      gint64        event_id,
                                      GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_stmt (self, coop_sql_delete_attendees, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, event_id);
  return step_done (self, stmt, N_("Could not save the attendees"), error);
}

static gboolean
coop_sqlite_backend_log_change (CoopBackend            *backend,
                                const CoopChangeEntry  *entry,
                                GError                **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_stmt (self, coop_sql_log_change, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, entry->at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, entry->record_type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, entry->record_id);
  sqlite3_bind_text (stmt, 4, coop_enum_get_nick (COOP_TYPE_CHANGE_ACTION, entry->action), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->changes, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entry->changed_by, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not write the change log"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
coop_sqlite_backend_insert_copy (CoopBackend  *backend,
                                 CoopTable     table,
                                 CoopRecord   *record,
                                 GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  sqlite3_stmt *stmt = get_table_stmt (self, table, TABLE_INSERT_ID, error);

  if (stmt == NULL)
    return FALSE;

  bind_record (state, table, stmt, record);
  sqlite3_bind_int64 (stmt, (int) state->update_id, coop_record_get_id (record));
  sqlite3_bind_int64 (stmt, (int) state->update_id + 1, MAX (coop_record_get_revision (record), 1));
  return step_done (self, stmt, N_("Could not save the record"), error);
}

static GPtrArray *
coop_sqlite_backend_read_change_log (CoopBackend  *backend,
                                     GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_change_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, coop_sql_change_log, -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (entries, change_entry_from_row (stmt));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the change log"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
coop_sqlite_backend_clear (CoopBackend  *backend,
                           GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);

  /* Children first, as the foreign keys require. */
  for (int i = COOP_N_TABLES - 1; i >= 0; i--)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", coop_tables[i].name);

      if (!exec (self, sql, _("Could not empty the database"), error))
        return FALSE;
    }
  return exec (self, "DELETE FROM change_log", _("Could not empty the database"), error);
}

static GPtrArray *
coop_sqlite_backend_list_changes (CoopBackend  *backend,
                                  CoopTable     table,
                                  gint64        record_id,
                                  GError      **error)
{
  /* An import's line has record_id 0 and names the ids it added as runs
   * and the ids it updated as keys (see coop_store_import_commit()). */
  static const char sql[] =
    "SELECT id, at, record_type, record_id, action, changes, changed_by FROM change_log"
    " WHERE record_type = ?1 AND record_id = ?2"
    " UNION ALL "
    "SELECT id, at, record_type, record_id, action, changes, changed_by FROM change_log c"
    " WHERE record_type = ?1 AND record_id = 0 AND action = 'import'"
    "   AND (EXISTS (SELECT 1 FROM json_each (c.changes, '$.added_ids') r"
    "                WHERE ?2 BETWEEN json_extract (r.value, '$[0]')"
    "                             AND json_extract (r.value, '$[1]'))"
    "        OR EXISTS (SELECT 1 FROM json_each (c.changes, '$.updated_ids') u"
    "                   WHERE u.key = CAST (?2 AS TEXT)))"
    " ORDER BY 1";
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_change_entry_free);
  sqlite3_stmt *stmt = get_stmt (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, coop_tables[table].name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, change_entry_from_row (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the change log"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static gboolean
coop_sqlite_backend_count (CoopBackend      *backend,
                           CoopStoreCounts  *counts,
                           GError          **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  gint64 *fields[] = {
    &counts->departments, &counts->partners, &counts->contacts, &counts->agreements,
    &counts->events, &counts->attendees, &counts->students, &counts->pools,
    &counts->candidates, &counts->stage_changes, &counts->attachments, &counts->changes,
  };
  sqlite3_stmt *stmt = get_stmt (self, coop_sql_count, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      *fields[i] = sqlite3_column_int64 (stmt, (int) i);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not count the records"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
coop_sqlite_backend_check_integrity (CoopBackend  *backend,
                                     char        **report,
                                     GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *report = NULL;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA integrity_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s\n", line);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not check the database"));
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_append_printf (problems, _("%s row %lld refers to a missing %s row\n"),
                              sqlite3_column_text (stmt, 0),
                              (long long) sqlite3_column_int64 (stmt, 1),
                              sqlite3_column_text (stmt, 2));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not check the database"));
      return FALSE;
    }

  if (problems->len == 0)
    {
      *report = g_strdup ("ok");
      return TRUE;
    }

  *report = g_string_free (g_steal_pointer (&problems), FALSE);
  return FALSE;
}

/* The content is bound in place: it outlives the statement's one step. */
static gboolean
coop_sqlite_backend_write_attachment (CoopBackend  *backend,
                                      gint64        id,
                                      GBytes       *content,
                                      GError      **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_stmt (self, "UPDATE attachment SET data = ?2 WHERE id = ?1", error);
  gsize size;
  gconstpointer data = g_bytes_get_data (content, &size);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  /* An empty file is an empty blob, not a missing one. */
  sqlite3_bind_blob64 (stmt, 2, data != NULL ? data : "", size, SQLITE_STATIC);
  if (!step_done (self, stmt, N_("Could not save the file"), error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                   _("The attachment no longer exists; somebody may have deleted it."));
      return FALSE;
    }
  return TRUE;
}

/* Read through SQLite's incremental blob I/O, a piece at a time. */
static gboolean
coop_sqlite_backend_read_attachment (CoopBackend           *backend,
                                     gint64                 id,
                                     CoopBackendChunkFunc   func,
                                     gpointer               user_data,
                                     GCancellable          *cancellable,
                                     GError               **error)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (backend);
  sqlite3_stmt *stmt = get_stmt (self, "SELECT typeof (data) FROM attachment WHERE id = ?1", error);
  sqlite3_blob *blob = NULL;
  g_autofree guint8 *buffer = NULL;
  gboolean missing;
  int rc, size;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  /* Anything but a blob (or text, which reads the same) is no file. */
  missing = rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "blob") != 0 &&
            g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "text") != 0;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                   _("The attachment no longer exists; somebody may have deleted it."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the file"));
      return FALSE;
    }
  if (missing)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT, _("The file’s content is missing."));
      return FALSE;
    }

  rc = sqlite3_blob_open (self->db, "main", "attachment", "data", id, 0, &blob);
  if (rc != SQLITE_OK)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the file"));
      sqlite3_blob_close (blob);
      return FALSE;
    }

  size = sqlite3_blob_bytes (blob);
  buffer = g_malloc (MIN (MAX (size, 1), COOP_BACKEND_CHUNK_SIZE));
  for (int offset = 0; offset < size; )
    {
      int n = MIN (size - offset, COOP_BACKEND_CHUNK_SIZE);

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_CANCELLED, _("Cancelled."));
          sqlite3_blob_close (blob);
          return FALSE;
        }
      rc = sqlite3_blob_read (blob, buffer, n, offset);
      if (rc != SQLITE_OK)
        {
          coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the file"));
          sqlite3_blob_close (blob);
          return FALSE;
        }
      if (!func (buffer, (gsize) n, user_data, error))
        {
          sqlite3_blob_close (blob);
          return FALSE;
        }
      offset += n;
    }

  sqlite3_blob_close (blob);
  return TRUE;
}

static char *
coop_sqlite_backend_dup_setting (CoopBackend *backend,
                                 const char  *name)
{
  static const char * const allowed[] = {
    "foreign_keys", "synchronous", "busy_timeout", "trusted_schema", "journal_mode",
    "user_version", "application_id", NULL
  };
  g_autofree char *sql = NULL;
  char *value = NULL;

  if (!g_strv_contains (allowed, name))
    return NULL;

  sql = g_strdup_printf ("PRAGMA %s", name);
  query_text (COOP_SQLITE_BACKEND (backend)->db, sql, &value);
  return value;
}

/* ------------------------------------------------------------------ GObject */

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
coop_sqlite_backend_finalize (GObject *object)
{
  CoopSqliteBackend *self = COOP_SQLITE_BACKEND (object);

  coop_sqlite_backend_wait_checked (COOP_BACKEND (self), NULL);
  g_clear_error (&self->check_error);
  g_mutex_clear (&self->check_lock);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    coop_sql_table_clear (&self->tables[i]);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (self->db);
      if (self->tidy_side_files)
        tidy_side_files (self->path);
    }
  g_clear_pointer (&self->lock, coop_lock_release);
  g_free (self->path);

  G_OBJECT_CLASS (coop_sqlite_backend_parent_class)->finalize (object);
}

static void
coop_sqlite_backend_class_init (CoopSqliteBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CoopBackendClass *backend_class = COOP_BACKEND_CLASS (klass);

  object_class->finalize = coop_sqlite_backend_finalize;

  backend_class->begin = coop_sqlite_backend_begin;
  backend_class->begin_snapshot = coop_sqlite_backend_begin_snapshot;
  backend_class->commit = coop_sqlite_backend_commit;
  backend_class->rollback = coop_sqlite_backend_rollback;
  backend_class->savepoint = coop_sqlite_backend_savepoint;
  backend_class->release = coop_sqlite_backend_release;
  backend_class->rollback_to = coop_sqlite_backend_rollback_to;
  backend_class->read_one = coop_sqlite_backend_read_one;
  backend_class->read_range = coop_sqlite_backend_read_range;
  backend_class->load_lists = coop_sqlite_backend_load_lists;
  backend_class->read_related = coop_sqlite_backend_read_related;
  backend_class->find_dependents = coop_sqlite_backend_find_dependents;
  backend_class->count_blockers = coop_sqlite_backend_count_blockers;
  backend_class->find_duplicate = coop_sqlite_backend_find_duplicate;
  backend_class->read_agreement_owner = coop_sqlite_backend_read_agreement_owner;
  backend_class->insert = coop_sqlite_backend_insert;
  backend_class->update = coop_sqlite_backend_update;
  backend_class->remove = coop_sqlite_backend_remove;
  backend_class->change_id = coop_sqlite_backend_change_id;
  backend_class->delete_attendees = coop_sqlite_backend_delete_attendees;
  backend_class->log_change = coop_sqlite_backend_log_change;
  backend_class->list_changes = coop_sqlite_backend_list_changes;
  backend_class->count = coop_sqlite_backend_count;
  backend_class->check_integrity = coop_sqlite_backend_check_integrity;
  backend_class->dup_setting = coop_sqlite_backend_dup_setting;
  backend_class->insert_copy = coop_sqlite_backend_insert_copy;
  backend_class->read_change_log = coop_sqlite_backend_read_change_log;
  backend_class->clear = coop_sqlite_backend_clear;
  backend_class->write_attachment = coop_sqlite_backend_write_attachment;
  backend_class->read_attachment = coop_sqlite_backend_read_attachment;
  backend_class->wait_checked = coop_sqlite_backend_wait_checked;
}

static void
coop_sqlite_backend_init (CoopSqliteBackend *self)
{
  g_mutex_init (&self->check_lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    coop_sql_table_init (&self->tables[i], (CoopTable) i);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_sqlite_backend_open:
 * @path: the database file; created (mode 0600) when it does not exist
 * @flags: #CoopStoreFlags
 * @error: return location for a #CoopError
 *
 * Opens the file, checks it and brings its schema up to date, as
 * coop_store_open() describes.
 *
 * Returns: (transfer full) (nullable): the backend, or %NULL on error
 */
CoopBackend *
coop_sqlite_backend_open (const char      *path,
                          CoopStoreFlags   flags,
                          GError         **error)
{
  g_autoptr(CoopSqliteBackend) self = NULL;
  CoopBackendState *state;
  gboolean read_only = (flags & COOP_STORE_OPEN_READ_ONLY) != 0;
  gboolean fall_back = (flags & COOP_STORE_OPEN_FALL_BACK_READ_ONLY) != 0;
  CoopReadOnlyReason reason = read_only ? COOP_READ_ONLY_REQUESTED : COOP_READ_ONLY_NONE;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!coop_file_check_kind (path, error))
    return NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (read_only)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                       _("The database “%s” does not exist."), path);
          return NULL;
        }
      if (!create_file (path, error))
        return NULL;
    }
  else if (!check_not_foreign (path, error))
    return NULL;

  self = g_object_new (COOP_TYPE_SQLITE_BACKEND, NULL);
  self->path = g_strdup (path);
  state = coop_backend_get_state (COOP_BACKEND (self));
  state->location = g_strdup (path);
  state->user = g_strdup (g_get_user_name ());
  state->network_fs = !is_local_file_system (path);

  if (!read_only && !is_writable (path))
    {
      if (!fall_back)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                       _("The database “%s” or its folder cannot be written."), path);
          return NULL;
        }
      read_only = TRUE;
      reason = COOP_READ_ONLY_NOT_WRITABLE;
    }

  if (!read_only)
    {
      g_autoptr(GError) lock_error = NULL;

      self->lock = coop_lock_acquire (path, &lock_error);
      if (self->lock == NULL)
        {
          if (!fall_back || !g_error_matches (lock_error, COOP_ERROR, COOP_ERROR_READ_ONLY))
            {
              g_propagate_error (error, g_steal_pointer (&lock_error));
              return NULL;
            }
          read_only = TRUE;
          reason = COOP_READ_ONLY_NOT_WRITABLE;
        }
    }

  self->tidy_side_files = read_only && !side_file_exists (path, "-wal") &&
                          !side_file_exists (path, "-shm");
  self->db = open_connection (path, read_only, error);
  if (self->db == NULL)
    return NULL;

  /* The check may run beside what follows only when nothing is written
   * at once: a migration waits for it, and so does a file whose version
   * cannot even be read, which the check then names. */
  if ((flags & COOP_STORE_OPEN_CHECK_BESIDE) && query_user_version (self->db, &version, NULL) &&
      version >= coop_store_schema_latest_version ())
    self->check_thread = g_thread_new ("coop-check", check_beside_thread, g_strdup (path));
  else if (!quick_check (self->db, error) || !query_user_version (self->db, &version, error))
    return NULL;

  /* A newer schema may only be read: reopen without the lock and the
   * journal settings a writer would make. */
  if (version > coop_store_schema_latest_version () && (read_only || fall_back))
    {
      if (!read_only)
        {
          sqlite3_close (self->db);
          g_clear_pointer (&self->lock, coop_lock_release);
          self->db = open_connection (path, TRUE, error);
          if (self->db == NULL)
            return NULL;
        }
      state->read_only = TRUE;
      state->read_only_reason = COOP_READ_ONLY_NEWER_SCHEMA;
      state->schema_version = version;
      g_debug ("Opened a database of schema %d read-only", version);
      return COOP_BACKEND (g_steal_pointer (&self));
    }

  state->read_only = read_only;
  state->read_only_reason = reason;
  if (!coop_store_schema_migrate (self->db, read_only, &state->schema_version, error))
    return NULL;

  return COOP_BACKEND (g_steal_pointer (&self));
}
