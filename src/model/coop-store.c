/* coop-store.c — the database, its transactions and its list models
 *
 * The store owns the SQLite connection.  For each kind of record it keeps a
 * GListStore ordered by id; a write is one transaction, and only once it is
 * committed are the rows it touched (and the rows that show values of them,
 * such as a partner's name on its agreements) read back and put into the
 * lists, each with an exact items-changed.  A rolled back write leaves the
 * lists as they were.
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
#include "coop-lock.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-record-private.h"
#include "coop-stage-change.h"
#include "coop-store-private.h"
#include "coop-student.h"
#include "coop-text.h"

#define BUSY_TIMEOUT_MS 5000

/* An import under way: see coop_store_import_begin(). */
typedef struct
{
  CoopTable         table;
  char             *source;
  sqlite3_stmt     *insert;
  guint             n_added;
  guint             n_updated;
  GArray           *added;        /* gint64 pairs: the first and last id of each run */
  GString          *updates;      /* "\"id\": {changes}" for each updated record */
} ImportState;

typedef struct
{
  GListStore       *list;
  gboolean          loaded;
  GHashTable       *pending;      /* ids to read back after the commit */
  char             *select_sql;   /* every row, ordered by id */
  char             *select_one_sql;
  char             *insert_sql;
  char             *update_sql;
  char             *delete_sql;
  GPtrArray        *stored;       /* the CoopFields with a column, in column order */
} TableState;

struct _CoopStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  gboolean    read_only;
  CoopReadOnlyReason read_only_reason;
  gboolean    network_fs;
  CoopLock   *lock;               /* held while the store may write */
  int         schema_version;
  int         depth;              /* nesting of coop_store_begin() */
  guint       n_savepoints;
  guint64     generation;         /* counts committed writes */
  GHashTable *statements;         /* SQL text → prepared sqlite3_stmt */
  GTimeZone  *local_zone;
  ImportState *import;
  TableState  tables[COOP_N_TABLES];
};

G_DEFINE_FINAL_TYPE (CoopStore, coop_store, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ helpers */

static CoopTable
table_for_type (GType type)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    if (coop_tables[i].get_type () == type)
      return (CoopTable) i;

  return COOP_N_TABLES;
}

static char *
column_name (const CoopField *field)
{
  return g_strdelimit (g_strdup (field->name), "-", '_');
}

static const char *
derived_expr (CoopTable   table,
              const char *field)
{
  for (guint i = 0; i < coop_n_derived_columns; i++)
    if (coop_derived_columns[i].table == table &&
        strcmp (coop_derived_columns[i].field, field) == 0)
      return coop_derived_columns[i].expr;

  g_assert_not_reached ();
}

/* Partners are unique by a folded form of their name, kept in a column. */
static const char *
key_column (CoopTable table)
{
  return table == COOP_TABLE_PARTNER ? "name_key" : NULL;
}

static void
table_state_init (TableState *state,
                  CoopTable   table)
{
  const CoopTableInfo *info = &coop_tables[table];
  g_autoptr(GTypeClass) klass = g_type_class_ref (info->get_type ());
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_CLASS (klass), &n_fields);
  GString *select = g_string_new ("SELECT t.id");
  GString *insert = g_string_new (NULL);
  GString *values = g_string_new (NULL);
  GString *update = g_string_new (NULL);

  state->list = g_list_store_new (info->get_type ());
  state->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  state->stored = g_ptr_array_new ();

  g_string_printf (insert, "INSERT INTO %s (", info->name);
  g_string_printf (update, "UPDATE %s SET ", info->name);

  for (guint i = 0; i < n_fields; i++)
    {
      const CoopField *field = &fields[i];
      g_autofree char *column = NULL;

      if (field->flags & COOP_FIELD_DERIVED)
        {
          g_string_append_printf (select, ", %s", derived_expr (table, field->name));
          continue;
        }

      column = column_name (field);
      g_string_append_printf (select, ", t.%s", column);
      g_string_append_printf (insert, "%s%s", state->stored->len ? ", " : "", column);
      g_string_append_printf (values, "%s?%u", state->stored->len ? ", " : "",
                              state->stored->len + 1);
      g_string_append_printf (update, "%s%s = ?%u", state->stored->len ? ", " : "", column,
                              state->stored->len + 1);
      g_ptr_array_add (state->stored, (gpointer) field);
    }

  if (key_column (table) != NULL)
    {
      g_string_append_printf (insert, ", %s", key_column (table));
      g_string_append_printf (values, ", ?%u", state->stored->len + 1);
      g_string_append_printf (update, ", %s = ?%u", key_column (table), state->stored->len + 1);
    }

  g_string_append_printf (select, " FROM %s", info->from);
  state->select_one_sql = g_strdup_printf ("%s WHERE t.id = ?1", select->str);
  g_string_append (select, " ORDER BY t.id");
  state->select_sql = g_string_free (select, FALSE);

  g_string_append_printf (insert, ") VALUES (%s)", values->str);
  state->insert_sql = g_string_free (insert, FALSE);
  g_string_free (values, TRUE);

  g_string_append_printf (update, " WHERE id = ?%u", state->stored->len + 2);
  state->update_sql = g_string_free (update, FALSE);

  state->delete_sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", info->name);
}

static void
table_state_clear (TableState *state)
{
  g_clear_object (&state->list);
  g_clear_pointer (&state->pending, g_hash_table_unref);
  g_clear_pointer (&state->stored, g_ptr_array_unref);
  g_clear_pointer (&state->select_sql, g_free);
  g_clear_pointer (&state->select_one_sql, g_free);
  g_clear_pointer (&state->insert_sql, g_free);
  g_clear_pointer (&state->update_sql, g_free);
  g_clear_pointer (&state->delete_sql, g_free);
}

/* The local time zone is looked up once: finding it reads the file system,
 * which an import of many rows would otherwise do for every row. */
static char *
now_text (CoopStore  *self,
          const char *format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->local_zone);

  return g_date_time_format (now, format);
}

/* Prepared statements are kept for the life of the connection; the caller
 * resets the statement when done, which the cache does not check. */
static sqlite3_stmt *
get_stmt (CoopStore   *self,
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

static gboolean
exec (CoopStore   *self,
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
 * TableState.select_sql: column 0 is the id, then one column per field.
 * @shared, when given, keeps the strings of fields with few distinct values
 * while a whole table is read, so that each is looked up in GLib's global
 * table of interned strings (behind a lock) once. */
static CoopRecord *
record_from_row (CoopTable     table,
                 sqlite3_stmt *stmt,
                 GHashTable   *shared)
{
  GType type = coop_tables[table].get_type ();
  CoopRecord *record = g_object_new (type, NULL);
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (record),
                                                          &n_fields);

  coop_record_set_id (record, sqlite3_column_int64 (stmt, 0));

  for (guint i = 0; i < n_fields; i++)
    {
      const CoopField *field = &fields[i];
      int col = (int) i + 1;

      if (COOP_FIELD_IS_STRING (field->kind))
        {
          const char *text = (const char *) sqlite3_column_text (stmt, col);
          char *interned;

          if (text == NULL)
            continue;

          if (shared == NULL || !(field->flags & (COOP_FIELD_SHARED | COOP_FIELD_DERIVED)))
            {
              coop_record_init_string (record, field, text, sqlite3_column_bytes (stmt, col));
              continue;
            }

          interned = g_hash_table_lookup (shared, text);
          if (interned == NULL)
            {
              interned = g_ref_string_new_intern (text);
              g_hash_table_add (shared, interned);
            }
          *COOP_FIELD_PTR (record, field, char *) = g_ref_string_acquire (interned);
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
bind_record (TableState   *state,
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

  if (rc == SQLITE_OK && key_column (table) != NULL)
    {
      g_autofree char *key = coop_text_fold (coop_record_get_title (record));
      rc = sqlite3_bind_text (stmt, (int) i + 1, key, -1, SQLITE_TRANSIENT);
    }

  return rc;
}

static void
json_append_string (GString    *json,
                    const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (json, "\\%c", c);
      else if (c == '\n')
        g_string_append (json, "\\n");
      else if (c < 0x20)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, (char) c);
    }
  g_string_append_c (json, '"');
}

static void
json_append_value (GString         *json,
                   CoopRecord      *record,
                   const CoopField *field)
{
  if (COOP_FIELD_IS_STRING (field->kind))
    {
      const char *text = coop_record_get_string (record, field);

      if (text == NULL)
        g_string_append (json, "null");
      else
        json_append_string (json, text);
    }
  else if (field->kind == COOP_FIELD_ENUM)
    json_append_string (json, coop_enum_get_nick (field->enum_type (),
                                                  coop_record_get_int (record, field)));
  else if (COOP_FIELD_IS_INT (field->kind))
    g_string_append_printf (json, "%d", coop_record_get_int (record, field));
  else if (coop_record_get_ref (record, field) == 0)
    g_string_append (json, "null");
  else
    g_string_append_printf (json, "%" G_GINT64_FORMAT, coop_record_get_ref (record, field));
}

static char *
attendees_summary (CoopRecord *record)
{
  GListModel *attendees;
  GString *summary;

  if (!COOP_IS_EVENT (record))
    return NULL;

  attendees = coop_event_get_attendees (COOP_EVENT (record));
  summary = g_string_new (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (attendees); i++)
    {
      g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, i);

      g_string_append_printf (summary, "%s%s (%s)", i ? ", " : "",
                              coop_attendee_get_name (attendee),
                              coop_enum_get_nick (COOP_TYPE_ATTENDEE_ROLE,
                                                  coop_attendee_get_role (attendee)));
    }

  return g_string_free (summary, FALSE);
}

/* The change log's description of a write: every stored field of a new or
 * deleted record, or [old, new] for each field an update changes.  Returns
 * NULL when an update changes nothing. */
static char *
describe_changes (TableState *state,
                  CoopRecord *old,
                  CoopRecord *new)
{
  GString *json = g_string_new ("{");
  CoopRecord *only = new != NULL ? new : old;
  g_autofree char *old_attendees = old ? attendees_summary (old) : NULL;
  g_autofree char *new_attendees = new ? attendees_summary (new) : NULL;
  gboolean any = FALSE;

  for (guint i = 0; i < state->stored->len; i++)
    {
      const CoopField *field = g_ptr_array_index (state->stored, i);

      if (old != NULL && new != NULL)
        {
          if (coop_record_field_equal (old, new, field))
            continue;

          g_string_append_printf (json, "%s\"%s\": [", any ? ", " : "", field->name);
          json_append_value (json, old, field);
          g_string_append (json, ", ");
          json_append_value (json, new, field);
          g_string_append_c (json, ']');
        }
      else
        {
          g_string_append_printf (json, "%s\"%s\": ", any ? ", " : "", field->name);
          json_append_value (json, only, field);
        }
      any = TRUE;
    }

  if (old != NULL && new != NULL && g_strcmp0 (old_attendees, new_attendees) != 0)
    {
      g_string_append_printf (json, "%s\"attendees\": [", any ? ", " : "");
      json_append_string (json, old_attendees);
      g_string_append (json, ", ");
      json_append_string (json, new_attendees);
      g_string_append_c (json, ']');
      any = TRUE;
    }
  else if ((old == NULL || new == NULL) && (old_attendees || new_attendees))
    {
      g_string_append (json, ", \"attendees\": ");
      json_append_string (json, old_attendees ? old_attendees : new_attendees);
    }

  g_string_append_c (json, '}');

  if (!any)
    {
      g_string_free (json, TRUE);
      return NULL;
    }

  return g_string_free (json, FALSE);
}

static gboolean
log_change (CoopStore        *self,
            CoopTable         table,
            gint64            id,
            CoopChangeAction  action,
            const char       *changes,
            GError          **error)
{
  static const char sql[] =
    "INSERT INTO change_log (at, record_type, record_id, action, changes)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
  sqlite3_stmt *stmt = get_stmt (self, sql, error);
  g_autofree char *at = now_text (self, "%Y-%m-%d %H:%M:%S");
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, coop_tables[table].name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, coop_enum_get_nick (COOP_TYPE_CHANGE_ACTION, action), -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, changes, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not write the change log"));
      return FALSE;
    }

  return TRUE;
}

/* Reads one row with its derived columns; NULL without error when there is
 * no such row. */
static CoopRecord *
read_one (CoopStore  *self,
          CoopTable   table,
          gint64      id,
          GError    **error);

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

  /* The columns in the order of CoopAttendee's fields. */
  sql = g_strdup_printf ("SELECT t.id, t.event_id, t.contact_id, t.name, t.title, t.organization,"
                         " t.role FROM attendee t %s ORDER BY t.event_id, t.id", where);

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
read_one (CoopStore  *self,
          CoopTable   table,
          gint64      id,
          GError    **error)
{
  sqlite3_stmt *stmt = get_stmt (self, self->tables[table].select_one_sql, error);
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

/* Reads the rows of a table whose ids lie in [first_id, last_id], on
 * whichever connection the caller has. */
static GPtrArray *
read_range (sqlite3       *db,
            TableState    *state,
            CoopTable      table,
            gint64         first_id,
            gint64         last_id,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *order = strstr (state->select_sql, " ORDER BY");
  g_autofree char *sql = g_strdup_printf ("%.*s WHERE t.id BETWEEN ?1 AND ?2%s",
                                          (int) (order - state->select_sql), state->select_sql,
                                          order);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) shared = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                        (GDestroyNotify) g_ref_string_release,
                                                        NULL);
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

static GPtrArray *
read_all (sqlite3       *db,
          TableState    *state,
          CoopTable      table,
          GCancellable  *cancellable,
          GError       **error)
{
  return read_range (db, state, table, 0, G_MAXINT64, cancellable, error);
}

/* The lists are ordered by id, so a binary search finds a record.  Returns
 * whether it is there; @position is where it is or would be inserted. */
static gboolean
find_position (GListModel *list,
               gint64      id,
               guint      *position)
{
  guint low = 0;
  guint high = g_list_model_get_n_items (list);

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      g_autoptr(CoopRecord) record = g_list_model_get_item (list, mid);
      gint64 mid_id = coop_record_get_id (record);

      if (mid_id == id)
        {
          *position = mid;
          return TRUE;
        }
      if (mid_id < id)
        low = mid + 1;
      else
        high = mid;
    }

  *position = low;
  return FALSE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Reads back the rows a committed write touched and brings the list in
 * line, one exact items-changed per row; a run of new rows at the end of
 * the list arrives as one. */
static void
apply_pending (CoopStore *self,
               CoopTable  table)
{
  TableState *state = &self->tables[table];
  GListModel *list = G_LIST_MODEL (state->list);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) appended = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, state->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_hash_table_remove_all (state->pending);
  g_array_sort (ids, compare_ids);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(CoopRecord) row = read_one (self, table, id, &error);
      guint position;
      gboolean present = find_position (list, id, &position);

      if (error != NULL)
        {
          g_warning ("Could not read back a %s: %s", coop_tables[table].name, error->message);
          continue;
        }

      if (row != NULL && !present && position == g_list_model_get_n_items (list))
        {
          g_ptr_array_add (appended, g_steal_pointer (&row));
          continue;
        }

      if (appended->len > 0)
        {
          g_list_store_splice (state->list, g_list_model_get_n_items (list), 0,
                               appended->pdata, appended->len);
          g_ptr_array_set_size (appended, 0);
          present = find_position (list, id, &position);
        }

      if (row != NULL && present)
        {
          g_autoptr(CoopRecord) current = g_list_model_get_item (list, position);

          /* The same object stays in the list, so views bound to it and
           * selections of it keep working; the items-changed lets filter and
           * sort models look at it again. */
          coop_record_assign (current, row);
          g_list_store_splice (state->list, position, 1, (gpointer *) &current, 1);
        }
      else if (row != NULL)
        g_list_store_insert (state->list, position, row);
      else if (present)
        g_list_store_remove (state->list, position);
    }

  if (appended->len > 0)
    g_list_store_splice (state->list, g_list_model_get_n_items (list), 0,
                         appended->pdata, appended->len);
}

static void
apply_all_pending (CoopStore *self)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    if (g_hash_table_size (self->tables[i].pending) > 0)
      apply_pending (self, (CoopTable) i);
}

static void
clear_all_pending (CoopStore *self)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_hash_table_remove_all (self->tables[i].pending);
}

static void
add_pending (GHashTable *pending,
             gint64      id)
{
  gint64 *key;

  if (id == 0 || g_hash_table_contains (pending, &id))
    return;

  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_add (pending, key);
}

/* Collects into @pending[] the ids of loaded rows that show values of the
 * row @id of @table. */
static gboolean
collect_dependents (CoopStore   *self,
                    CoopTable    table,
                    gint64       id,
                    GHashTable **pending,
                    GError     **error)
{
  for (guint i = 0; i < coop_n_dependencies; i++)
    {
      const CoopDependency *dep = &coop_dependencies[i];
      sqlite3_stmt *stmt;
      int rc;

      if (dep->changed != table || !self->tables[dep->dependent].loaded)
        continue;

      stmt = get_stmt (self, dep->sql, error);
      if (stmt == NULL)
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_pending (pending[dep->dependent], sqlite3_column_int64 (stmt, 0));
      sqlite3_reset (stmt);

      if (rc != SQLITE_DONE)
        {
          coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
query_count (CoopStore   *self,
             const char  *sql,
             gint64       id,
             gint64      *count,
             GError     **error)
{
  sqlite3_stmt *stmt = get_stmt (self, sql, error);
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

/* The values that must be unique, checked before the write so that the
 * message can say which record already has them. */
static gboolean
check_unique (CoopStore   *self,
              CoopTable    table,
              CoopRecord  *record,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id = coop_record_get_id (record);
  g_autofree char *key = NULL;
  g_autofree char *other = NULL;
  int rc;

  switch (table)
    {
    case COOP_TABLE_PARTNER:
      stmt = get_stmt (self, "SELECT name FROM partner WHERE name_key = ?1 AND id <> ?2", error);
      key = coop_text_fold (coop_partner_get_name (COOP_PARTNER (record)));
      break;

    case COOP_TABLE_STUDENT:
      stmt = get_stmt (self, "SELECT name FROM student WHERE number = ?1 AND id <> ?2", error);
      key = g_strdup (coop_student_get_number (COOP_STUDENT (record)));
      break;

    case COOP_TABLE_CANDIDATE:
      stmt = get_stmt (self,
                       "SELECT s.name || ' / ' || p.title FROM candidate c"
                       " JOIN student s ON s.id = c.student_id JOIN pool p ON p.id = c.pool_id"
                       " WHERE c.pool_id = ?3 AND c.student_id = ?1 AND c.id <> ?2", error);
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 3, coop_candidate_get_pool_id (COOP_CANDIDATE (record)));
      key = g_strdup_printf ("%" G_GINT64_FORMAT,
                             coop_candidate_get_student_id (COOP_CANDIDATE (record)));
      break;

    case COOP_TABLE_DEPARTMENT:
    case COOP_TABLE_CONTACT:
    case COOP_TABLE_AGREEMENT:
    case COOP_TABLE_EVENT:
    case COOP_TABLE_ATTENDEE:
    case COOP_TABLE_POOL:
    case COOP_TABLE_STAGE_CHANGE:
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
  sqlite3_bind_int64 (stmt, 2, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    other = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return FALSE;
    }
  if (other == NULL)
    return TRUE;

  if (table == COOP_TABLE_PARTNER)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("A partner named “%s” already exists."), other);
  else if (table == COOP_TABLE_STUDENT)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("Student number %s is already used by %s."), key, other);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("This student is already a candidate in the pool (%s)."), other);
  return FALSE;
}

/* An event or a pool that names an agreement belongs to the partner of
 * that agreement; without a partner of its own it takes the agreement's. */
static gboolean
check_agreement_partner (CoopStore   *self,
                         CoopRecord  *record,
                         GError     **error)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (record);
  sqlite3_stmt *stmt;
  gint64 agreement_id = 0, partner_id = 0, owner = 0;
  g_autofree char *agreement_title = NULL;
  g_autofree char *owner_name = NULL;
  int rc;

  if (!COOP_IS_EVENT (record) && !COOP_IS_POOL (record))
    return TRUE;
  g_assert (g_object_class_find_property (klass, "agreement-id") != NULL);

  g_object_get (record, "agreement-id", &agreement_id, "partner-id", &partner_id, NULL);
  if (agreement_id == 0)
    return TRUE;

  stmt = get_stmt (self, "SELECT a.partner_id, a.title, p.name FROM agreement a"
                         " JOIN partner p ON p.id = a.partner_id WHERE a.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, agreement_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      owner = sqlite3_column_int64 (stmt, 0);
      agreement_title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      owner_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return FALSE;
    }
  if (owner == 0)
    return TRUE;  /* a missing agreement is the foreign key's to report */

  if (partner_id == 0)
    {
      g_object_set (record, "partner-id", owner, NULL);
      return TRUE;
    }
  if (partner_id != owner)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("%s: “%s” is an agreement with another partner (%s)."),
                   g_dgettext (GETTEXT_PACKAGE, N_("Agreement")), agreement_title, owner_name);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_blockers (CoopStore   *self,
                CoopTable    table,
                CoopRecord  *record,
                GError     **error)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  for (guint i = 0; i < coop_n_blockers; i++)
    {
      const CoopBlocker *blocker = &coop_blockers[i];
      gint64 count = 0;

      if (blocker->parent != table)
        continue;
      if (!query_count (self, blocker->count_sql, coop_record_get_id (record), &count, error))
        return FALSE;
      if (count > 0)
        {
          /* The formats are the "%d agreements" of coop-store-schema.c. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
          g_ptr_array_add (reasons,
                           g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, blocker->singular,
                                                         blocker->plural, (gulong) count),
                                            (int) count));
#pragma GCC diagnostic pop
        }
    }

  if (reasons->len == 0)
    return TRUE;

  g_ptr_array_add (reasons, NULL);
  /* TRANSLATORS: separates "3 agreements" and "1 recommendation pool" */
  joined = g_strjoinv (_(" and "), (char **) reasons->pdata);
  g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
               _("“%s” cannot be deleted: it still has %s. Delete or move them first."),
               coop_record_get_title (record), joined);
  return FALSE;
}

/* A department cannot hold itself. */
static gboolean
check_not_own_parent (CoopRecord  *record,
                      GError     **error)
{
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (record), &n_fields);
  gint64 id = coop_record_get_id (record);

  for (guint i = 0; i < n_fields && id != 0; i++)
    if (fields[i].kind == COOP_FIELD_REF && !(fields[i].flags & COOP_FIELD_DERIVED) &&
        fields[i].ref_type () == G_OBJECT_TYPE (record) &&
        coop_record_get_ref (record, &fields[i]) == id)
      {
        g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION, _("%s: “%s” cannot belong to itself."),
                     g_dgettext (GETTEXT_PACKAGE, fields[i].label), coop_record_get_title (record));
        return FALSE;
      }

  return TRUE;
}

/* A write opens a transaction, or a savepoint inside the caller's, so that a
 * failure undoes all of it and nothing else. */
static gboolean
write_begin (CoopStore   *self,
             GError     **error)
{
  if (self->read_only)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                   _("The database is open read-only; nothing can be changed."));
      return FALSE;
    }

  if (self->depth == 0)
    return exec (self, "BEGIN IMMEDIATE", _("Could not start the change"), error);

  self->n_savepoints++;
  if (!exec (self, "SAVEPOINT coop_write", _("Could not start the change"), error))
    {
      self->n_savepoints--;
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_end (CoopStore   *self,
           gboolean     ok,
           GHashTable **pending,
           GError     **error)
{
  if (self->depth > 0)
    {
      self->n_savepoints--;
      if (!ok)
        {
          sqlite3_exec (self->db, "ROLLBACK TO coop_write; RELEASE coop_write", NULL, NULL, NULL);
          return FALSE;
        }
      if (!exec (self, "RELEASE coop_write", _("Could not save the change"), error))
        return FALSE;
    }
  else
    {
      if (ok && !exec (self, "COMMIT", _("Could not save the change"), error))
        ok = FALSE;
      if (!ok)
        {
          if (!sqlite3_get_autocommit (self->db))
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      self->generation++;
    }

  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      GHashTableIter iter;
      gpointer key;

      if (!self->tables[i].loaded)
        continue;
      g_hash_table_iter_init (&iter, pending[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        add_pending (self->tables[i].pending, *(gint64 *) key);
    }

  if (self->depth == 0)
    apply_all_pending (self);

  return TRUE;
}

static void
free_pending (GHashTable **pending)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_clear_pointer (&pending[i], g_hash_table_unref);
}

static void
init_pending (GHashTable **pending)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    pending[i] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static gboolean
step_done (CoopStore     *self,
           sqlite3_stmt  *stmt,
           const char    *doing,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                     _("%s: a record it refers to does not exist, or another record still "
                       "refers to it."), doing);
      else
        coop_store_set_sqlite_error (error, self->db, rc, doing);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_row (CoopStore   *self,
            CoopTable    table,
            CoopRecord  *record,
            GError     **error)
{
  TableState *state = &self->tables[table];
  sqlite3_stmt *stmt = get_stmt (self, state->insert_sql, error);

  if (stmt == NULL)
    return FALSE;

  bind_record (state, table, stmt, record);
  if (!step_done (self, stmt, _("Could not save the record"), error))
    return FALSE;

  coop_record_set_id (record, sqlite3_last_insert_rowid (self->db));
  return TRUE;
}

static gboolean
save_attendees (CoopStore   *self,
                CoopEvent   *event,
                GError     **error)
{
  GListModel *attendees = coop_event_get_attendees (event);
  gint64 event_id = coop_record_get_id (COOP_RECORD (event));
  sqlite3_stmt *stmt = get_stmt (self, "DELETE FROM attendee WHERE event_id = ?1", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, event_id);
  if (!step_done (self, stmt, _("Could not save the attendees"), error))
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (attendees); i++)
    {
      g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, i);

      coop_record_normalize (COOP_RECORD (attendee));
      coop_attendee_set_event_id (attendee, event_id);
      coop_record_set_id (COOP_RECORD (attendee), 0);
      if (!coop_record_validate (COOP_RECORD (attendee), error) ||
          !insert_row (self, COOP_TABLE_ATTENDEE, COOP_RECORD (attendee), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
save_stage_change (CoopStore      *self,
                   CoopCandidate  *candidate,
                   GError        **error)
{
  g_autoptr(CoopStageChange) change = coop_stage_change_new ();

  coop_stage_change_set_candidate_id (change, coop_record_get_id (COOP_RECORD (candidate)));
  coop_stage_change_set_stage (change, coop_candidate_get_stage (candidate));
  coop_stage_change_set_changed_on (change, coop_candidate_get_stage_on (candidate));

  return insert_row (self, COOP_TABLE_STAGE_CHANGE, COOP_RECORD (change), error);
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

typedef struct
{
  char      *path;
  GPtrArray *rows[COOP_N_TABLES];
  guint64    generation;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_clear_pointer (&data->rows[i], g_ptr_array_unref);
  g_free (data);
}

static void
install_rows (CoopStore *self,
              CoopTable  table,
              GPtrArray *rows)
{
  TableState *state = &self->tables[table];

  state->loaded = TRUE;
  g_hash_table_remove_all (state->pending);
  g_list_store_splice (state->list, 0, g_list_model_get_n_items (G_LIST_MODEL (state->list)),
                       rows->pdata, rows->len);
}

/* The candidates are more than half of a large database; the upper half of
 * them is read by a second thread on a connection of its own, while the
 * first reads everything else. */
typedef struct
{
  const char   *path;
  TableState   *state;
  gint64        first_id;
  GCancellable *cancellable;
  GPtrArray    *rows;
  GError       *error;
} HalfLoad;

static gpointer
load_upper_half (gpointer user_data)
{
  HalfLoad *half = user_data;
  sqlite3 *db = open_connection (half->path, TRUE, &half->error);

  if (db == NULL)
    return NULL;

  half->rows = read_range (db, half->state, COOP_TABLE_CANDIDATE, half->first_id, G_MAXINT64,
                           half->cancellable, &half->error);
  sqlite3_close (db);
  return NULL;
}

static void
load_all_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  CoopStore *self = source_object;
  LoadData *data = task_data;
  GError *error = NULL;
  sqlite3 *db = open_connection (data->path, TRUE, &error);
  HalfLoad half = { data->path, &self->tables[COOP_TABLE_CANDIDATE], 0, cancellable, NULL, NULL };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GThread *helper;

  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (sqlite3_prepare_v2 (db, "SELECT max(id) FROM candidate", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    half.first_id = sqlite3_column_int64 (stmt, 0) / 2 + 1;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The two threads read in two transactions; a write by this store in
   * between is caught by the generation check of the finish function, and
   * the lock keeps other Coopdesks from writing. */
  helper = g_thread_new ("coop-load", load_upper_half, &half);

  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < COOP_N_TABLES && error == NULL; i++)
    if (coop_tables[i].listed)
      data->rows[i] = read_range (db, &self->tables[i], (CoopTable) i, 0,
                                  i == COOP_TABLE_CANDIDATE ? half.first_id - 1 : G_MAXINT64,
                                  cancellable, &error);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  g_thread_join (helper);

  if (error == NULL && half.error != NULL)
    error = g_steal_pointer (&half.error);
  g_clear_error (&half.error);

  if (error == NULL)
    g_ptr_array_extend_and_steal (data->rows[COOP_TABLE_CANDIDATE], g_steal_pointer (&half.rows));
  g_clear_pointer (&half.rows, g_ptr_array_unref);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------ overrides */

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
import_state_free (ImportState *import)
{
  g_free (import->source);
  g_array_unref (import->added);
  g_string_free (import->updates, TRUE);
  g_free (import);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportState, import_state_free)

static void
coop_store_finalize (GObject *object)
{
  CoopStore *self = COOP_STORE (object);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    table_state_clear (&self->tables[i]);

  g_clear_pointer (&self->import, import_state_free);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->local_zone, g_time_zone_unref);
  if (self->db != NULL)
    {
      if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (self->db);
    }
  g_clear_pointer (&self->lock, coop_lock_release);
  g_free (self->path);

  G_OBJECT_CLASS (coop_store_parent_class)->finalize (object);
}

static void
coop_store_class_init (CoopStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = coop_store_finalize;
}

static void
coop_store_init (CoopStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->local_zone = g_time_zone_new_local ();
  for (guint i = 0; i < COOP_N_TABLES; i++)
    table_state_init (&self->tables[i], (CoopTable) i);
}

/* ------------------------------------------------------------------ public */

void
coop_change_entry_free (CoopChangeEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->at);
  g_free (entry->record_type);
  g_free (entry->changes);
  g_free (entry);
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

/**
 * coop_store_open:
 * @path: the database file; created (mode 0600) when it does not exist
 * @flags: #CoopStoreFlags
 * @error: return location for a #CoopError
 *
 * Opens the database, checks it and brings its schema up to date.  A
 * writable store holds the file's lock (see coop_lock_acquire()): while
 * another Coopdesk has it open this fails with %COOP_ERROR_LOCKED, whose
 * message names the holder, and the caller may open it read-only instead.
 * A file of a newer Coopdesk fails with %COOP_ERROR_SCHEMA_TOO_NEW (or opens
 * read-only with %COOP_STORE_OPEN_READ_ONLY or
 * %COOP_STORE_OPEN_FALL_BACK_READ_ONLY), an SQLite file of another program
 * with %COOP_ERROR_NOT_COOPDESK, a damaged one with %COOP_ERROR_CORRUPT; none
 * of them is changed.  On a network or FUSE file system WAL is not used and
 * coop_store_get_network_file_system() returns %TRUE.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
CoopStore *
coop_store_open (const char      *path,
                 CoopStoreFlags   flags,
                 GError         **error)
{
  g_autoptr(CoopStore) self = NULL;
  gboolean read_only = (flags & COOP_STORE_OPEN_READ_ONLY) != 0;
  gboolean fall_back = (flags & COOP_STORE_OPEN_FALL_BACK_READ_ONLY) != 0;
  CoopReadOnlyReason reason = read_only ? COOP_READ_ONLY_REQUESTED : COOP_READ_ONLY_NONE;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

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

  self = g_object_new (COOP_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->network_fs = !is_local_file_system (path);

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

  self->db = open_connection (path, read_only, error);
  if (self->db == NULL)
    return NULL;

  if (!quick_check (self->db, error) || !query_user_version (self->db, &version, error))
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
      self->read_only = TRUE;
      self->read_only_reason = COOP_READ_ONLY_NEWER_SCHEMA;
      self->schema_version = version;
      g_debug ("Opened a database of schema %d read-only", version);
      return g_steal_pointer (&self);
    }

  self->read_only = read_only;
  self->read_only_reason = reason;
  if (!coop_store_schema_migrate (self->db, read_only, &self->schema_version, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * coop_store_get_read_only_reason:
 * @self: a #CoopStore
 *
 * Returns: why the store is read-only, %COOP_READ_ONLY_NONE when it is not
 */
CoopReadOnlyReason
coop_store_get_read_only_reason (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), COOP_READ_ONLY_NONE);

  return self->read_only_reason;
}

/**
 * coop_store_get_network_file_system:
 * @self: a #CoopStore
 *
 * Returns: whether the file lies on a network or FUSE file system, where
 *   SQLite's locking is unreliable and WAL is not used
 */
gboolean
coop_store_get_network_file_system (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  return self->network_fs;
}

const char *
coop_store_get_path (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  return self->path;
}

gboolean
coop_store_get_read_only (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), TRUE);

  return self->read_only;
}

int
coop_store_get_schema_version (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), 0);

  return self->schema_version;
}

int
coop_store_get_latest_schema_version (void)
{
  return coop_store_schema_latest_version ();
}

/**
 * coop_store_dup_pragma:
 * @self: a #CoopStore
 * @name: one of foreign_keys, synchronous, busy_timeout, trusted_schema,
 *   journal_mode, user_version, application_id
 *
 * Reads a connection setting back, for diagnostics and tests.
 *
 * Returns: (transfer full) (nullable): its value as text
 */
char *
coop_store_dup_pragma (CoopStore  *self,
                       const char *name)
{
  static const char * const allowed[] = {
    "foreign_keys", "synchronous", "busy_timeout", "trusted_schema", "journal_mode",
    "user_version", "application_id", NULL
  };
  g_autofree char *sql = NULL;
  char *value = NULL;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL && g_strv_contains (allowed, name), NULL);

  sql = g_strdup_printf ("PRAGMA %s", name);
  query_text (self->db, sql, &value);
  return value;
}

/**
 * coop_store_get_list:
 * @self: a #CoopStore
 * @record_type: one of the listed record types (not attendees or stage
 *   changes, which belong to their event or candidate)
 *
 * The list stays empty until coop_store_load() or coop_store_load_all()
 * has filled it; from then on it follows every committed write with exact
 * items-changed signals.  It is ordered by id.
 *
 * Returns: (transfer none): a #GListModel of @record_type
 */
GListModel *
coop_store_get_list (CoopStore *self,
                     GType      record_type)
{
  CoopTable table;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, NULL);

  return G_LIST_MODEL (self->tables[table].list);
}

gboolean
coop_store_get_loaded (CoopStore *self,
                       GType      record_type)
{
  CoopTable table;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES, FALSE);

  return self->tables[table].loaded;
}

/**
 * coop_store_load:
 * @self: a #CoopStore
 * @record_type: a listed record type
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #CoopError
 *
 * Fills the list of @record_type from the database (again, if it was).
 */
gboolean
coop_store_load (CoopStore     *self,
                 GType          record_type,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CoopTable table;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, FALSE);

  rows = read_all (self->db, &self->tables[table], table, cancellable, error);
  if (rows == NULL)
    return FALSE;

  install_rows (self, table, rows);
  return TRUE;
}

/**
 * coop_store_read_all:
 * @self: a #CoopStore
 * @record_type: a listed record type, such as %COOP_TYPE_STUDENT
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #CoopError
 *
 * Reads every record of @record_type, ordered by id, without loading the
 * store's list of them: a command that only looks at the records once
 * (an import) spares the list and its updates at each commit.
 *
 * Returns: (transfer full) (element-type CoopRecord): new records, or %NULL
 */
GPtrArray *
coop_store_read_all (CoopStore     *self,
                     GType          record_type,
                     GCancellable  *cancellable,
                     GError       **error)
{
  CoopTable table;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, NULL);

  return read_all (self->db, &self->tables[table], table, cancellable, error);
}

gboolean
coop_store_load_all (CoopStore     *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    if (coop_tables[i].listed &&
        !coop_store_load (self, coop_tables[i].get_type (), cancellable, error))
      return FALSE;

  return TRUE;
}

/**
 * coop_store_load_all_async:
 *
 * Reads every list in a worker thread on a connection of its own, so that
 * a large database does not stall the window, then fills the lists.
 */
void
coop_store_load_all_async (CoopStore           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (COOP_IS_STORE (self));

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (self->path);
  data->generation = self->generation;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, coop_store_load_all_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_all_thread);
}

gboolean
coop_store_load_all_finish (CoopStore     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));

  /* A write committed while the thread was reading is not in its snapshot. */
  if (data->generation != self->generation)
    return coop_store_load_all (self, NULL, error);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    if (data->rows[i] != NULL)
      install_rows (self, (CoopTable) i, data->rows[i]);

  return TRUE;
}

/**
 * coop_store_find:
 * @self: a #CoopStore
 * @record_type: a listed record type, loaded
 * @id: a record id
 *
 * Returns: (transfer none) (nullable): the record in the list, or %NULL
 */
CoopRecord *
coop_store_find (CoopStore *self,
                 GType      record_type,
                 gint64     id)
{
  GListModel *list = coop_store_get_list (self, record_type);
  g_autoptr(CoopRecord) record = NULL;
  guint position;

  if (list == NULL || !find_position (list, id, &position))
    return NULL;

  record = g_list_model_get_item (list, position);
  return record;
}

/**
 * coop_store_read:
 * @self: a #CoopStore
 * @record_type: any record type
 * @id: a record id
 * @error: return location for a #CoopError; %COOP_ERROR_NOT_FOUND when
 *   there is no such record
 *
 * Returns: (transfer full) (nullable): a fresh copy of the record from the
 *   database
 */
CoopRecord *
coop_store_read (CoopStore  *self,
                 GType       record_type,
                 gint64      id,
                 GError    **error)
{
  CoopTable table;
  GError *local_error = NULL;
  CoopRecord *record;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES, NULL);

  record = read_one (self, table, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (record == NULL)
    g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                 _("The record no longer exists; somebody may have deleted it."));

  return record;
}

/**
 * coop_store_list_related:
 * @self: a #CoopStore
 * @record_type: the kind of the related records
 * @ref_field: the name of their field that refers to the other record,
 *   such as "partner-id"
 * @id: the id of the other record
 * @error: return location for a #CoopError
 *
 * A partner's contacts are list_related (COOP_TYPE_CONTACT, "partner-id",
 * partner_id); a pool's candidates list_related (COOP_TYPE_CANDIDATE,
 * "pool-id", pool_id); a student's candidacies use "student-id".
 *
 * Returns: (transfer full) (nullable): a new #GListStore, ordered by id
 */
GListModel *
coop_store_list_related (CoopStore   *self,
                         GType        record_type,
                         const char  *ref_field,
                         gint64       id,
                         GError     **error)
{
  g_autoptr(GTypeClass) klass = NULL;
  const CoopField *field;
  CoopTable table;
  g_autofree char *column = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GListStore) result = NULL;
  sqlite3_stmt *stmt;
  const char *select;
  int rc;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES, NULL);

  klass = g_type_class_ref (record_type);
  field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), ref_field);
  g_return_val_if_fail (field != NULL && field->kind == COOP_FIELD_REF, NULL);

  column = (field->flags & COOP_FIELD_DERIVED)
           ? g_strdup (derived_expr (table, field->name))
           : g_strconcat ("t.", ref_field, NULL);
  g_strdelimit (column, "-", '_');

  select = self->tables[table].select_sql;
  sql = g_strdup_printf ("%.*s WHERE %s = ?1 ORDER BY t.id",
                         (int) (strstr (select, " ORDER BY") - select), select, column);

  stmt = get_stmt (self, sql, error);
  if (stmt == NULL)
    return NULL;

  result = g_list_store_new (record_type);
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CoopRecord) record = record_from_row (table, stmt, NULL);
      g_list_store_append (result, record);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the database"));
      return NULL;
    }

  if (table == COOP_TABLE_EVENT)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (result)); i++)
      {
        g_autoptr(CoopRecord) event = g_list_model_get_item (G_LIST_MODEL (result), i);
        g_autoptr(CoopRecord) full = read_one (self, table, coop_record_get_id (event), error);

        if (full == NULL)
          return NULL;
        coop_record_assign (event, full);
      }

  return G_LIST_MODEL (g_steal_pointer (&result));
}

/**
 * coop_store_list_stage_history:
 *
 * Returns: (transfer full) (nullable): a new #GListStore of
 *   #CoopStageChange, oldest first
 */
GListModel *
coop_store_list_stage_history (CoopStore  *self,
                               gint64      candidate_id,
                               GError    **error)
{
  return coop_store_list_related (self, COOP_TYPE_STAGE_CHANGE, "candidate-id", candidate_id,
                                  error);
}

/**
 * coop_store_list_changes:
 * @self: a #CoopStore
 * @record_type: the kind of record
 * @record_id: its id
 *
 * Returns: (transfer full) (element-type CoopChangeEntry) (nullable): the
 *   change log of one record, oldest first, with the lines of the imports
 *   that added or updated it
 */
GPtrArray *
coop_store_list_changes (CoopStore  *self,
                         GType       record_type,
                         gint64      record_id,
                         GError    **error)
{
  /* An import's line has record_id 0 and names the ids it added as runs
   * and the ids it updated as keys (see coop_store_import_commit()). */
  static const char sql[] =
    "SELECT id, at, record_type, record_id, action, changes FROM change_log"
    " WHERE record_type = ?1 AND record_id = ?2"
    " UNION ALL "
    "SELECT id, at, record_type, record_id, action, changes FROM change_log c"
    " WHERE record_type = ?1 AND record_id = 0 AND action = 'import'"
    "   AND (EXISTS (SELECT 1 FROM json_each (c.changes, '$.added_ids') r"
    "                WHERE ?2 BETWEEN json_extract (r.value, '$[0]')"
    "                             AND json_extract (r.value, '$[1]'))"
    "        OR EXISTS (SELECT 1 FROM json_each (c.changes, '$.updated_ids') u"
    "                   WHERE u.key = CAST (?2 AS TEXT)))"
    " ORDER BY 1";
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_change_entry_free);
  CoopTable table;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES, NULL);

  stmt = get_stmt (self, sql, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, coop_tables[table].name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, record_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
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
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      coop_store_set_sqlite_error (error, self->db, rc, _("Could not read the change log"));
      return NULL;
    }

  return g_steal_pointer (&entries);
}

gboolean
coop_store_count (CoopStore        *self,
                  CoopStoreCounts  *counts,
                  GError          **error)
{
  static const char sql[] =
    "SELECT (SELECT count(*) FROM department), (SELECT count(*) FROM partner),"
    " (SELECT count(*) FROM contact), (SELECT count(*) FROM agreement),"
    " (SELECT count(*) FROM event), (SELECT count(*) FROM attendee),"
    " (SELECT count(*) FROM student), (SELECT count(*) FROM pool),"
    " (SELECT count(*) FROM candidate), (SELECT count(*) FROM stage_change),"
    " (SELECT count(*) FROM change_log)";
  sqlite3_stmt *stmt;
  gint64 *fields[] = {
    &counts->departments, &counts->partners, &counts->contacts, &counts->agreements,
    &counts->events, &counts->attendees, &counts->students, &counts->pools,
    &counts->candidates, &counts->stage_changes, &counts->changes,
  };
  int rc;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  stmt = get_stmt (self, sql, error);
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

/**
 * coop_store_check_integrity:
 * @self: a #CoopStore
 * @report: (out) (transfer full): what the checks found, one problem a line,
 *   or "ok"
 * @error: return location for a #CoopError
 *
 * Runs SQLite's integrity_check and foreign_key_check.
 *
 * Returns: whether the file is sound; %FALSE with @error unset when the
 *   checks ran and found problems
 */
gboolean
coop_store_check_integrity (CoopStore  *self,
                            char      **report,
                            GError    **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

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

/**
 * coop_store_begin:
 * @self: a #CoopStore
 * @error: return location for a #CoopError
 *
 * Starts a transaction that holds several saves and deletes, such as an
 * import: they become visible in the lists, and durable, together at
 * coop_store_commit(), or not at all.  Calls nest.
 */
gboolean
coop_store_begin (CoopStore  *self,
                  GError    **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  if (self->depth == 0)
    {
      if (self->read_only)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                       _("The database is open read-only; nothing can be changed."));
          return FALSE;
        }
      if (!exec (self, "BEGIN IMMEDIATE", _("Could not start the change"), error))
        return FALSE;
    }

  self->depth++;
  return TRUE;
}

gboolean
coop_store_commit (CoopStore  *self,
                   GError    **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);
  g_return_val_if_fail (self->depth > 1 || self->import == NULL, FALSE);

  if (--self->depth > 0)
    return TRUE;

  if (!exec (self, "COMMIT", _("Could not save the changes"), error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      clear_all_pending (self);
      return FALSE;
    }

  self->generation++;
  apply_all_pending (self);
  return TRUE;
}

/**
 * coop_store_rollback:
 * @self: a #CoopStore
 *
 * Undoes everything since the outermost coop_store_begin(); the lists stay
 * as they were.  Records saved meanwhile keep the ids they were given,
 * which no longer mean anything.
 */
void
coop_store_rollback (CoopStore *self)
{
  g_return_if_fail (COOP_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  self->depth = 0;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  clear_all_pending (self);
  g_clear_pointer (&self->import, import_state_free);
}

/**
 * coop_store_save:
 * @self: a #CoopStore
 * @record: a record to insert (id 0) or update; normally an editor's copy
 * @error: return location for a #CoopError
 *
 * Normalises and validates @record, then writes it, its event attendees or
 * its candidate stage history, and a change log entry in one transaction.
 * @record gets its id; the store's list keeps its own object, which is
 * updated in place.
 *
 * Errors: %COOP_ERROR_VALIDATION for a field that is wrong,
 * %COOP_ERROR_DUPLICATE for a name or number already taken,
 * %COOP_ERROR_CONSTRAINT for a reference to a missing record,
 * %COOP_ERROR_NOT_FOUND when the record was deleted meanwhile,
 * %COOP_ERROR_READ_ONLY, %COOP_ERROR_BUSY, %COOP_ERROR_IO.
 */
gboolean
coop_store_save (CoopStore   *self,
                 CoopRecord  *record,
                 GError     **error)
{
  CoopTable table;
  TableState *state;
  GHashTable *pending[COOP_N_TABLES];
  g_autoptr(CoopRecord) old = NULL;
  g_autofree char *changes = NULL;
  gint64 id;
  gboolean inserting;
  gboolean ok = FALSE;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (COOP_IS_RECORD (record), FALSE);

  table = table_for_type (G_OBJECT_TYPE (record));
  g_return_val_if_fail (table < COOP_N_TABLES && table != COOP_TABLE_ATTENDEE &&
                        table != COOP_TABLE_STAGE_CHANGE, FALSE);
  state = &self->tables[table];

  coop_record_normalize (record);
  if (!coop_record_validate (record, error) || !check_not_own_parent (record, error))
    return FALSE;

  if (!write_begin (self, error))
    return FALSE;

  init_pending (pending);
  id = coop_record_get_id (record);
  inserting = id == 0;

  if (!inserting)
    {
      old = read_one (self, table, id, error);
      if (old == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                         _("“%s” no longer exists; somebody may have deleted it."),
                         coop_record_get_title (record));
          goto out;
        }
    }

  if (!check_unique (self, table, record, error) ||
      !check_agreement_partner (self, record, error))
    goto out;

  if (COOP_IS_CANDIDATE (record))
    {
      CoopCandidate *candidate = COOP_CANDIDATE (record);
      gboolean stage_changed = old == NULL ||
                               coop_candidate_get_stage (COOP_CANDIDATE (old)) !=
                               coop_candidate_get_stage (candidate);

      /* A new stage without its own date happened today. */
      if (stage_changed &&
          (coop_candidate_get_stage_on (candidate) == NULL ||
           (old != NULL && g_strcmp0 (coop_candidate_get_stage_on (candidate),
                                      coop_candidate_get_stage_on (COOP_CANDIDATE (old))) == 0)))
        {
          g_autofree char *today = now_text (self, "%Y-%m-%d");
          coop_candidate_set_stage_on (candidate, today);
        }
    }

  changes = describe_changes (state, old, record);
  if (changes == NULL)
    {
      ok = TRUE;
      goto out;
    }

  if (old != NULL)
    {
      sqlite3_stmt *stmt;

      if (!collect_dependents (self, table, id, pending, error))
        goto out;

      stmt = get_stmt (self, state->update_sql, error);
      if (stmt == NULL)
        goto out;
      bind_record (state, table, stmt, record);
      sqlite3_bind_int64 (stmt, (int) state->stored->len + 2, id);
      if (!step_done (self, stmt, _("Could not save the record"), error))
        goto out;
    }
  else if (!insert_row (self, table, record, error))
    goto out;

  id = coop_record_get_id (record);

  if (COOP_IS_EVENT (record) && !save_attendees (self, COOP_EVENT (record), error))
    goto out;

  if (COOP_IS_CANDIDATE (record) &&
      (old == NULL || coop_candidate_get_stage (COOP_CANDIDATE (old)) !=
                      coop_candidate_get_stage (COOP_CANDIDATE (record))) &&
      !save_stage_change (self, COOP_CANDIDATE (record), error))
    goto out;

  if (!log_change (self, table, id, old ? COOP_CHANGE_UPDATE : COOP_CHANGE_INSERT, changes, error))
    goto out;

  if (!collect_dependents (self, table, id, pending, error))
    goto out;
  add_pending (pending[table], id);
  ok = TRUE;

out:
  ok = write_end (self, ok, pending, error);
  free_pending (pending);

  if (!ok && inserting)
    coop_record_set_id (record, 0);

  return ok;
}

/**
 * coop_store_delete:
 * @self: a #CoopStore
 * @record: a saved record
 * @error: return location for a #CoopError
 *
 * Deletes @record with what belongs to it (a partner's contacts, a pool's
 * candidates, an event's attendees) and logs it.  A partner that still has
 * agreements or pools, a student who is still a candidate and a school that
 * still holds departments are not deleted: %COOP_ERROR_CONSTRAINT says how
 * many there are.
 */
gboolean
coop_store_delete (CoopStore   *self,
                   CoopRecord  *record,
                   GError     **error)
{
  CoopTable table;
  GHashTable *pending[COOP_N_TABLES];
  g_autoptr(CoopRecord) old = NULL;
  g_autofree char *changes = NULL;
  gint64 id;
  gboolean ok = FALSE;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (COOP_IS_RECORD (record), FALSE);

  table = table_for_type (G_OBJECT_TYPE (record));
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, FALSE);

  id = coop_record_get_id (record);
  g_return_val_if_fail (id > 0, FALSE);

  if (!write_begin (self, error))
    return FALSE;

  init_pending (pending);

  old = read_one (self, table, id, error);
  if (old == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                     _("“%s” no longer exists; somebody may have deleted it."),
                     coop_record_get_title (record));
      goto out;
    }

  if (!check_blockers (self, table, old, error) ||
      !collect_dependents (self, table, id, pending, error))
    goto out;

  {
    sqlite3_stmt *stmt = get_stmt (self, self->tables[table].delete_sql, error);

    if (stmt == NULL)
      goto out;
    sqlite3_bind_int64 (stmt, 1, id);
    if (!step_done (self, stmt, _("Could not delete the record"), error))
      goto out;
  }

  changes = describe_changes (&self->tables[table], old, NULL);
  if (!log_change (self, table, id, COOP_CHANGE_DELETE, changes, error))
    goto out;

  add_pending (pending[table], id);
  ok = TRUE;

out:
  ok = write_end (self, ok, pending, error);
  free_pending (pending);
  return ok;
}

/**
 * coop_store_restore:
 * @self: a #CoopStore
 * @record: a copy of a record taken before it was deleted, with its id
 * @error: return location for a #CoopError
 *
 * Puts a deleted record back under its old id, so that what referred to it
 * by id (and the change log) still fits; restore what was deleted with it
 * afterwards, in the same transaction (coop_store_begin()).  Logged as an
 * insert.  %COOP_ERROR_DUPLICATE or %COOP_ERROR_CONSTRAINT when the id or a
 * unique value has been taken since.
 */
gboolean
coop_store_restore (CoopStore   *self,
                    CoopRecord  *record,
                    GError     **error)
{
  CoopTable table;
  TableState *state;
  GHashTable *pending[COOP_N_TABLES];
  g_autofree char *changes = NULL;
  g_autofree char *move_sql = NULL;
  gint64 id;
  gboolean ok = FALSE;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (COOP_IS_RECORD (record), FALSE);

  table = table_for_type (G_OBJECT_TYPE (record));
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, FALSE);
  state = &self->tables[table];

  id = coop_record_get_id (record);
  g_return_val_if_fail (id > 0, FALSE);

  coop_record_normalize (record);
  if (!coop_record_validate (record, error))
    return FALSE;

  if (!write_begin (self, error))
    return FALSE;

  init_pending (pending);

  if (!check_unique (self, table, record, error))
    goto out;

  changes = describe_changes (state, NULL, record);
  if (!insert_row (self, table, record, error))
    goto out;

  if (coop_record_get_id (record) != id)
    {
      sqlite3_stmt *stmt;

      move_sql = g_strdup_printf ("UPDATE %s SET id = ?1 WHERE id = ?2", coop_tables[table].name);
      stmt = get_stmt (self, move_sql, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, coop_record_get_id (record));
      coop_record_set_id (record, id);
      if (!step_done (self, stmt, _("Could not restore the record"), error))
        goto out;
    }

  if (COOP_IS_EVENT (record) && !save_attendees (self, COOP_EVENT (record), error))
    goto out;

  if (COOP_IS_CANDIDATE (record) && !save_stage_change (self, COOP_CANDIDATE (record), error))
    goto out;

  if (!log_change (self, table, id, COOP_CHANGE_INSERT, changes, error))
    goto out;

  if (!collect_dependents (self, table, id, pending, error))
    goto out;
  add_pending (pending[table], id);
  ok = TRUE;

out:
  ok = write_end (self, ok, pending, error);
  free_pending (pending);
  coop_record_set_id (record, id);
  return ok;
}

/* ------------------------------------------------------------------ imports */

/**
 * coop_store_import_begin:
 * @self: a #CoopStore
 * @record_type: the kind of records imported, such as %COOP_TYPE_STUDENT
 * @source: what is imported, such as the file's name, for the change log
 * @error: return location for a #CoopError
 *
 * Starts an import: one transaction in which many records are written by
 * coop_store_import_save(), cheaply, and which the change log records as
 * one line.  Other writes (coop_store_save() of a department the import
 * creates) may happen inside it.  End it with coop_store_import_commit() or
 * coop_store_import_rollback().  It cannot be nested in coop_store_begin().
 */
gboolean
coop_store_import_begin (CoopStore   *self,
                         GType        record_type,
                         const char  *source,
                         GError     **error)
{
  CoopTable table;
  sqlite3_stmt *insert;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (self->depth == 0 && self->import == NULL, FALSE);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, FALSE);

  if (!coop_store_begin (self, error))
    return FALSE;

  insert = get_stmt (self, self->tables[table].insert_sql, error);
  if (insert == NULL)
    {
      coop_store_rollback (self);
      return FALSE;
    }

  self->import = g_new0 (ImportState, 1);
  self->import->table = table;
  self->import->source = g_strdup (source);
  self->import->insert = insert;
  self->import->added = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->import->updates = g_string_new (NULL);
  return TRUE;
}

/* A value that must be unique is taken: the importer checks its own index
 * first, so this is a record stored since that index was made. */
static gboolean
import_step (CoopStore     *self,
             sqlite3_stmt  *stmt,
             CoopRecord    *record,
             GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("%s “%s” has a value that must be unique and that another record "
                   "already has."), coop_record_get_type_label (record),
                 coop_record_get_title (record));
  else if ((rc & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                 _("%s “%s” refers to a record that does not exist, or has a value the "
                   "database does not accept."), coop_record_get_type_label (record),
                 coop_record_get_title (record));
  else
    coop_store_set_sqlite_error (error, self->db, rc, _("Could not save the record"));
  return FALSE;
}

static gboolean
import_update (CoopStore   *self,
               CoopRecord  *record,
               GError     **error)
{
  ImportState *import = self->import;
  TableState *state = &self->tables[import->table];
  gint64 id = coop_record_get_id (record);
  GHashTable *pending[COOP_N_TABLES];
  g_autoptr(CoopRecord) old = NULL;
  g_autofree char *changes = NULL;
  sqlite3_stmt *stmt;

  old = read_one (self, import->table, id, error);
  if (old == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                     _("“%s” no longer exists; somebody may have deleted it."),
                     coop_record_get_title (record));
      return FALSE;
    }

  changes = describe_changes (state, old, record);
  if (changes == NULL)
    return TRUE;

  stmt = get_stmt (self, state->update_sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_record (state, import->table, stmt, record);
  sqlite3_bind_int64 (stmt, (int) state->stored->len + 2, id);
  if (!import_step (self, stmt, record, error))
    return FALSE;

  /* Read back after the commit, with the rows that show its values. */
  for (guint i = 0; i < COOP_N_TABLES; i++)
    pending[i] = self->tables[i].pending;
  if (!collect_dependents (self, import->table, id, pending, error))
    return FALSE;
  if (state->loaded)
    add_pending (state->pending, id);

  g_string_append_printf (import->updates, "%s\"%" G_GINT64_FORMAT "\": %s",
                          import->n_updated > 0 ? ", " : "", id, changes);
  import->n_updated++;
  return TRUE;
}

/**
 * coop_store_import_save:
 * @self: a #CoopStore with an import under way
 * @record: a record of the imported kind, normalised and validated
 *   (coop_record_normalize(), coop_record_validate()): id 0 to add it, else
 *   the id of the stored record it updates
 * @error: return location for a #CoopError
 *
 * Writes one record of an import, without a savepoint or a change log line
 * of its own.  The caller checks beforehand that unique values are free;
 * the database refuses one that is not with %COOP_ERROR_DUPLICATE.  An
 * added record gets its id; ids added one after another are consecutive.
 * After an error the import can only be rolled back.
 *
 * Errors: %COOP_ERROR_DUPLICATE, %COOP_ERROR_CONSTRAINT,
 * %COOP_ERROR_NOT_FOUND for an update of a record deleted meanwhile,
 * %COOP_ERROR_IO.
 */
gboolean
coop_store_import_save (CoopStore   *self,
                        CoopRecord  *record,
                        GError     **error)
{
  ImportState *import;
  gint64 id;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->import != NULL, FALSE);
  g_return_val_if_fail (G_OBJECT_TYPE (record) == coop_tables[self->import->table].get_type (),
                        FALSE);

  import = self->import;
  if (coop_record_get_id (record) != 0)
    return import_update (self, record, error);

  bind_record (&self->tables[import->table], import->table, import->insert, record);
  if (!import_step (self, import->insert, record, error))
    return FALSE;

  id = sqlite3_last_insert_rowid (self->db);
  coop_record_set_id (record, id);
  import->n_added++;

  if (import->added->len > 0 && g_array_index (import->added, gint64, import->added->len - 1) + 1 == id)
    g_array_index (import->added, gint64, import->added->len - 1) = id;
  else
    {
      g_array_append_val (import->added, id);
      g_array_append_val (import->added, id);
    }
  return TRUE;
}

/* {"file": "students.csv", "added": 3, "updated": 1, "added_ids": [[5, 7]],
 *  "updated_ids": {"2": {"phone": ["138…", "139…"]}}} */
static char *
describe_import (ImportState *import)
{
  GString *json = g_string_new ("{\"file\": ");

  json_append_string (json, import->source);
  g_string_append_printf (json, ", \"added\": %u, \"updated\": %u, \"added_ids\": [",
                          import->n_added, import->n_updated);
  for (guint i = 0; i < import->added->len; i += 2)
    g_string_append_printf (json, "%s[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                            i > 0 ? ", " : "", g_array_index (import->added, gint64, i),
                            g_array_index (import->added, gint64, i + 1));
  g_string_append_printf (json, "], \"updated_ids\": {%s}}", import->updates->str);
  return g_string_free (json, FALSE);
}

/* The added rows come after every row of the list, so they are read in one
 * go per run and appended with one items-changed. */
static void
append_imported (CoopStore   *self,
                 ImportState *import)
{
  TableState *state = &self->tables[import->table];
  GListModel *list = G_LIST_MODEL (state->list);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items = g_list_model_get_n_items (list);
  g_autoptr(CoopRecord) last = n_items > 0 ? g_list_model_get_item (list, n_items - 1) : NULL;

  for (guint i = 0; i < import->added->len; i += 2)
    {
      gint64 first = g_array_index (import->added, gint64, i);
      gint64 end = g_array_index (import->added, gint64, i + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) range = NULL;

      /* Ids below the list's last one are read back one by one, in order. */
      if (last != NULL && first <= coop_record_get_id (last))
        {
          for (gint64 id = first; id <= end; id++)
            add_pending (state->pending, id);
          continue;
        }

      range = read_range (self->db, state, import->table, first, end, NULL, &error);
      if (range == NULL)
        {
          g_warning ("Could not read back the imported %s: %s", coop_tables[import->table].name,
                     error->message);
          continue;
        }
      g_ptr_array_extend_and_steal (rows, g_steal_pointer (&range));
    }

  if (rows->len > 0)
    g_list_store_splice (state->list, n_items, 0, rows->pdata, rows->len);
}

/**
 * coop_store_import_commit:
 * @self: a #CoopStore with an import under way
 * @error: return location for a #CoopError
 *
 * Writes the import's line of the change log — record id 0, action
 * %COOP_CHANGE_IMPORT, and as changes a JSON object with the source, the
 * numbers of records added and updated, the runs of ids added
 * ("added_ids": [[first, last], …]) and each updated record's changes by id
 * ("updated_ids": {"id": {"field": [old, new]}}) — and commits.  The added
 * records arrive in a loaded list as one items-changed.  On failure nothing
 * of the import is stored.
 */
gboolean
coop_store_import_commit (CoopStore  *self,
                          GError    **error)
{
  g_autoptr(ImportState) import = NULL;
  g_autofree char *changes = NULL;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->import != NULL && self->depth == 1, FALSE);

  import = g_steal_pointer (&self->import);
  if (import->n_added + import->n_updated > 0)
    {
      changes = describe_import (import);
      if (!log_change (self, import->table, 0, COOP_CHANGE_IMPORT, changes, error))
        {
          coop_store_rollback (self);
          return FALSE;
        }
    }

  self->depth = 0;
  if (!exec (self, "COMMIT", _("Could not save the changes"), error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      clear_all_pending (self);
      return FALSE;
    }

  self->generation++;
  if (self->tables[import->table].loaded)
    append_imported (self, import);
  apply_all_pending (self);
  return TRUE;
}

/**
 * coop_store_import_rollback:
 * @self: a #CoopStore with an import under way
 *
 * Undoes the whole import; the lists stay as they were.
 */
void
coop_store_import_rollback (CoopStore *self)
{
  g_return_if_fail (COOP_IS_STORE (self));
  g_return_if_fail (self->import != NULL);

  coop_store_rollback (self);
}
