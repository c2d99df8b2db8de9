/* coop-pg-backend.c — a ledger shared on a PostgreSQL server
 *
 * Every statement the store runs on a server is here.  The statements are
 * those of coop-store-schema.c, with their parameters spelled $1, $2, …,
 * prepared once per connection.  Values travel as text, the way they are
 * stored; an id is a bigint.  The lists are read on a second connection in
 * one REPEATABLE READ transaction, so that they show one moment of the
 * ledger even while other people write.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pg-backend.h"
#include "coop-pg-private.h"
#include "coop-pinyin.h"
#include "coop-record-private.h"
#include "coop-student.h"
#include "coop-text.h"

struct _CoopPgBackend
{
  CoopBackend   parent_instance;

  char         *uri;
  char         *server;             /* "database on host", for messages */
  PGconn       *conn;
  GHashTable   *statements;         /* SQL text as written → prepared statement's name */
  CoopSqlTable  tables[COOP_N_TABLES];

  /* Following the other clients' writes */
  CoopBackendNotifyFunc notify_func;
  gpointer      notify_data;
  guint         socket_source;
  guint         deliver_source;
  guint         reconnect_source;
  gboolean      resetting;          /* a reconnection under way */
  gboolean      refused;            /* the server refused the password: no more retries */
  GPtrArray    *retired_uris;       /* earlier passwords' URIs, which a worker may still read */
  gint64        next_attempt;
  GQueue        notified;           /* payloads not delivered yet */

  /* Rows added in bulk go out in one COPY, in its text format, which the
   * next statement ends. */
  gboolean      copying;
  CoopTable     bulk_table;
  GString      *bulk;               /* rows not sent yet */
  GArray       *reserved[COOP_N_TABLES];  /* ids taken from the identity, unused yet */
  char         *sequence[COOP_N_TABLES];  /* the identity's sequence, a quoted literal */
  guint         reserve_size;
};

#define BULK_SEND_BYTES (64 * 1024)
#define RESERVE_IDS 1000

static gboolean flush_bulk (CoopPgBackend *self, GError **error);

/* The channel every Coopdesk of a ledger listens on. */
#define CHANNEL "coopdesk"

G_DEFINE_FINAL_TYPE (CoopPgBackend, coop_pg_backend, COOP_TYPE_BACKEND)

/* A row's values as text, and the strings that hold the numbers. */
typedef struct
{
  const char *values[64];
  char        numbers[64][24];
  int         n;
} Params;

/* ------------------------------------------------------------------ helpers */

/* ?1 → $1: the shared statements are written for SQLite's spelling; none
 * of them has a question mark inside a string. */
static char *
spell_parameters (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql) + 8);

  for (const char *p = sql; *p != '\0'; p++)
    g_string_append_c (out, *p == '?' && g_ascii_isdigit (p[1]) ? '$' : *p);

  return g_string_free (out, FALSE);
}

static const char *
first_line (const char *message,
            char      **copy)
{
  const char *end = message != NULL ? strchr (message, '\n') : NULL;

  *copy = message == NULL ? g_strdup ("")
          : end != NULL ? g_strndup (message, end - message) : g_strdup (message);
  return *copy;
}

static void connection_lost (CoopPgBackend *self);

/* Words what the server said in terms of CoopError codes. */
static void
set_pg_error (GError          **error,
              CoopPgBackend    *self,
              const PGresult   *result,
              const char       *doing)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *detail = NULL;

  first_line (result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY)
                             : PQerrorMessage (self->conn), &detail);

  if (PQstatus (self->conn) == CONNECTION_BAD && self->refused)
    g_set_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION,
                 _("%s: the shared database %s refused the password when Coopdesk reconnected; "
                   "nothing was changed. Connect again with the new password."),
                 doing, self->server);
  else if (PQstatus (self->conn) == CONNECTION_BAD)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONNECTION,
                   _("%s: the connection to the shared database %s was lost; nothing was "
                     "changed. Coopdesk reconnects by itself."), doing, self->server);
      if (self->notify_func != NULL)
        connection_lost (self);
    }
  else if (g_strcmp0 (state, "23505") == 0)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE, _("%s: %s."), doing, detail);
  else if (state != NULL && g_str_has_prefix (state, "23"))
    g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT, _("%s: %s."), doing, detail);
  else if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0 ||
           g_strcmp0 (state, "55P03") == 0)
    g_set_error (error, COOP_ERROR, COOP_ERROR_BUSY,
                 _("%s: another person is changing the same records; try again in a moment."),
                 doing);
  else if (g_strcmp0 (state, "25006") == 0 || g_strcmp0 (state, "42501") == 0)
    g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                 _("%s: your role on %s may only read the ledger."), doing, self->server);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_FAILED, _("%s: %s."), doing, detail);
}

static void
params_add (Params     *params,
            const char *text)
{
  g_assert (params->n < (int) G_N_ELEMENTS (params->values));
  params->values[params->n++] = text;
}

static void
params_add_int (Params *params,
                gint64  value)
{
  char *end;
  char *p;
  guint64 magnitude = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;

  g_assert (params->n < (int) G_N_ELEMENTS (params->values));

  /* Written by hand: an import writes a few numbers a row, and printf's
   * machinery costs more than the rest of the row. */
  end = params->numbers[params->n] + sizeof params->numbers[0] - 1;
  *end = '\0';
  p = end;
  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';
  params->values[params->n] = p;
  params->n++;
}

/* ------------------------------------------------------------------ following */

static gboolean
deliver_cb (gpointer user_data)
{
  CoopPgBackend *self = user_data;
  char *payload;

  self->deliver_source = 0;
  while ((payload = g_queue_pop_head (&self->notified)) != NULL)
    {
      self->notify_func (payload, self->notify_data);
      g_free (payload);
    }
  return G_SOURCE_REMOVE;
}

/* Notifications arrive with any result: they are taken whenever libpq
 * has read from the server, and handed on from an idle callback, never in
 * the middle of the store's own statement. */
static void
take_notifications (CoopPgBackend *self)
{
  PGnotify *notify;

  if (self->notify_func == NULL)
    return;

  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      /* A session hears its own notifications too. */
      if (notify->be_pid != PQbackendPID (self->conn) && g_strcmp0 (notify->relname, CHANNEL) == 0 &&
          notify->extra[0] != '!')
        g_queue_push_tail (&self->notified, g_strdup (notify->extra));
      PQfreemem (notify);
    }

  if (!g_queue_is_empty (&self->notified) && self->deliver_source == 0)
    self->deliver_source = g_idle_add (deliver_cb, self);
}

static gboolean on_socket_readable_cb (int fd, GIOCondition condition, gpointer user_data);
static gboolean password_refused (PGconn *conn);

/* Listens again on a new session, as the one lost did, and has every list
 * read again: what others wrote meanwhile was not heard. */
static gboolean
start_following_again (CoopPgBackend *self)
{
  g_autoptr(PGresult) result = NULL;

  /* The statements were prepared on the old session. */
  g_hash_table_remove_all (self->statements);
  result = PQexec (self->conn, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;"
                               " SET TIME ZONE 'UTC'; LISTEN " CHANNEL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return FALSE;
  if (coop_backend_get_state (COOP_BACKEND (self))->read_only)
    {
      PQclear (PQexec (self->conn, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
    }

  g_debug ("Reconnected to the shared database %s", self->server);
  g_clear_handle_id (&self->socket_source, g_source_remove);
  self->socket_source = g_unix_fd_add (PQsocket (self->conn), G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       on_socket_readable_cb, self);
  g_queue_clear_full (&self->notified, g_free);
  g_queue_push_tail (&self->notified, g_strdup ("*"));
  if (self->deliver_source == 0)
    self->deliver_source = g_idle_add (deliver_cb, self);
  return TRUE;
}

/* Tries to reach the server again every two seconds, without blocking
 * the main loop (libpq's non-blocking reset, polled); once back, listens
 * again and has every list read again.  A server that refuses the
 * password (changed meanwhile) would refuse it forever: that ends the
 * retries, and the store is told, so that somebody types the new one
 * (coop_pg_backend_reconnect_async()). */
static gboolean
reconnect_cb (gpointer user_data)
{
  CoopPgBackend *self = user_data;

  if (!self->resetting)
    {
      if (g_get_monotonic_time () < self->next_attempt)
        return G_SOURCE_CONTINUE;
      /* Only a verbose message carries the SQLSTATE of a refused password. */
      PQsetErrorVerbosity (self->conn, PQERRORS_VERBOSE);
      if (!PQresetStart (self->conn))
        return G_SOURCE_CONTINUE;
      self->resetting = TRUE;
    }

  switch (PQresetPoll (self->conn))
    {
    case PGRES_POLLING_OK:
      self->resetting = FALSE;
      PQsetErrorVerbosity (self->conn, PQERRORS_DEFAULT);
      break;
    case PGRES_POLLING_FAILED:
      self->resetting = FALSE;
      self->next_attempt = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      if (password_refused (self->conn))
        {
          g_debug ("The shared database %s refused the password; not reconnecting again",
                   self->server);
          self->refused = TRUE;
          self->reconnect_source = 0;
          self->notify_func (COOP_BACKEND_PASSWORD_REFUSED, self->notify_data);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    case PGRES_POLLING_READING:
    case PGRES_POLLING_WRITING:
    case PGRES_POLLING_ACTIVE:
    default:
      return G_SOURCE_CONTINUE;
    }

  if (!start_following_again (self))
    return G_SOURCE_CONTINUE;
  self->reconnect_source = 0;
  return G_SOURCE_REMOVE;
}

static void
connection_lost (CoopPgBackend *self)
{
  /* Retrying with a refused password would only be refused again. */
  if (self->reconnect_source != 0 || self->refused)
    return;

  g_debug ("The connection to the shared database %s was lost: %s", self->server,
           PQerrorMessage (self->conn));
  g_clear_handle_id (&self->socket_source, g_source_remove);
  self->resetting = FALSE;
  self->next_attempt = 0;
  self->reconnect_source = g_timeout_add (100, reconnect_cb, self);
  self->notify_func (NULL, self->notify_data);
}

static gboolean
on_socket_readable_cb (int           fd,
                       GIOCondition  condition,
                       gpointer      user_data)
{
  CoopPgBackend *self = user_data;

  if (!PQconsumeInput (self->conn) || PQstatus (self->conn) == CONNECTION_BAD)
    {
      self->socket_source = 0;
      connection_lost (self);
      return G_SOURCE_REMOVE;
    }
  take_notifications (self);
  return G_SOURCE_CONTINUE;
}

/* Runs a statement of the shared spelling, prepared once. */
static PGresult *
run (CoopPgBackend  *self,
     const char     *sql,
     const Params   *params,
     const char     *doing,
     GError        **error)
{
  const char *name = g_hash_table_lookup (self->statements, sql);
  PGresult *result;
  ExecStatusType status;

  if (!flush_bulk (self, error))
    return NULL;

  if (name == NULL)
    {
      g_autofree char *spelled = spell_parameters (sql);
      g_autofree char *new_name = g_strdup_printf ("coop_%u", g_hash_table_size (self->statements));
      g_autoptr(PGresult) prepared = PQprepare (self->conn, new_name, spelled, 0, NULL);

      if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
        {
          set_pg_error (error, self, prepared, doing);
          return NULL;
        }
      name = new_name;
      g_hash_table_insert (self->statements, g_strdup (sql), g_steal_pointer (&new_name));
    }

  result = PQexecPrepared (self->conn, name, params ? params->n : 0,
                           params ? params->values : NULL, NULL, NULL, 0);
  take_notifications (self);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_pg_error (error, self, result, doing);
      PQclear (result);
      return NULL;
    }
  return result;
}

static gboolean
exec (CoopPgBackend  *self,
      const char     *sql,
      const char     *doing,
      GError        **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!flush_bulk (self, error))
    return FALSE;

  result = PQexec (self->conn, sql);
  take_notifications (self);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      set_pg_error (error, self, result, doing);
      return FALSE;
    }
  return TRUE;
}

static gint64
value_int64 (const PGresult *result,
             int             row,
             int             col)
{
  return PQgetisnull (result, row, col) ? 0 : g_ascii_strtoll (PQgetvalue (result, row, col),
                                                                NULL, 10);
}

static int
enum_from_nick (GType       enum_type,
                const char *nick)
{
  int value = 0;

  coop_enum_from_nick (enum_type, nick, &value);
  return value;
}

/* Builds a record from a row of a statement made from CoopSqlTable's
 * select: the id, the revision, then one column per field.  @shared, as in
 * the SQLite backend, keeps one copy of the strings of fields with few
 * distinct values while a whole table is read. */
static CoopRecord *
record_from_row (CoopTable        table,
                 const PGresult  *result,
                 int              row,
                 CoopStringShare *shared)
{
  CoopRecord *record = g_object_new (coop_tables[table].get_type (), NULL);
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_GET_CLASS (record),
                                                          &n_fields);

  coop_record_set_id (record, value_int64 (result, row, 0));
  coop_record_set_revision (record, value_int64 (result, row, 1));

  for (guint i = 0; i < n_fields; i++)
    {
      const CoopField *field = &fields[i];
      int col = (int) i + 2;
      const char *text;

      if (PQgetisnull (result, row, col))
        continue;
      text = PQgetvalue (result, row, col);

      if (COOP_FIELD_IS_STRING (field->kind))
        {
          if (shared == NULL || !(field->flags & (COOP_FIELD_SHARED | COOP_FIELD_DERIVED)))
            {
              coop_record_init_string (record, field, text, PQgetlength (result, row, col));
              continue;
            }

          coop_record_init_shared (record, field, shared, text);
        }
      else if (field->kind == COOP_FIELD_ENUM)
        *COOP_FIELD_PTR (record, field, int) = enum_from_nick (field->enum_type (), text);
      else if (COOP_FIELD_IS_INT (field->kind))
        *COOP_FIELD_PTR (record, field, int) = atoi (text);
      else
        *COOP_FIELD_PTR (record, field, gint64) = g_ascii_strtoll (text, NULL, 10);
    }

  return record;
}

/* The stored fields as $1…$n and a table's key column as $n+1; @key holds
 * the key's text until the statement has run. */
static void
params_from_record (Params        *params,
                    CoopSqlTable  *state,
                    CoopTable      table,
                    CoopRecord    *record,
                    char         **key)
{
  for (guint i = 0; i < state->stored->len; i++)
    {
      const CoopField *field = g_ptr_array_index (state->stored, i);

      if (COOP_FIELD_IS_STRING (field->kind))
        params_add (params, *COOP_FIELD_PTR (record, field, char *));
      else if (field->kind == COOP_FIELD_ENUM)
        params_add (params, coop_enum_get_nick (field->enum_type (),
                                                *COOP_FIELD_PTR (record, field, int)));
      else if (COOP_FIELD_IS_INT (field->kind))
        params_add_int (params, *COOP_FIELD_PTR (record, field, int));
      else if (*COOP_FIELD_PTR (record, field, gint64) == 0)
        params_add (params, NULL);
      else
        params_add_int (params, *COOP_FIELD_PTR (record, field, gint64));
    }

  if (coop_sql_key_column (table) != NULL)
    {
      *key = coop_text_fold (coop_record_get_title (record));
      params_add (params, *key);
    }
}

/* An update or delete that found no row of the revision it was given. */
static gboolean
check_changed (const PGresult  *result,
               GError         **error)
{
  if (g_strcmp0 (PQcmdTuples ((PGresult *) result), "0") != 0)
    return TRUE;

  g_set_error (error, COOP_ERROR, COOP_ERROR_CONFLICT,
               _("The record was changed by somebody else since it was read."));
  return FALSE;
}

/* ------------------------------------------------------------------ bulk rows */

static void
append_copy_value (GString    *line,
                   const char *value)
{
  if (value == NULL)
    {
      g_string_append (line, "\\N");
      return;
    }

  /* Runs without a character COPY escapes go in at once. */
  while (*value != '\0')
    {
      size_t plain = strcspn (value, "\\\t\n\r");

      g_string_append_len (line, value, (gssize) plain);
      value += plain;
      switch (*value)
        {
        case '\\':
          g_string_append (line, "\\\\");
          break;
        case '\t':
          g_string_append (line, "\\t");
          break;
        case '\n':
          g_string_append (line, "\\n");
          break;
        case '\r':
          g_string_append (line, "\\r");
          break;
        default:
          return;
        }
      value++;
    }
}

static char *
copy_sql (CoopPgBackend *self,
          CoopTable      table)
{
  CoopSqlTable *state = &self->tables[table];
  GString *sql = g_string_new (NULL);

  g_string_printf (sql, "COPY %s (", coop_tables[table].name);
  for (guint i = 0; i < state->stored->len; i++)
    {
      g_autofree char *column = coop_sql_column_name (g_ptr_array_index (state->stored, i));
      g_string_append_printf (sql, "%s, ", column);
    }
  if (coop_sql_key_column (table) != NULL)
    g_string_append_printf (sql, "%s, ", coop_sql_key_column (table));
  g_string_append (sql, "id, revision) FROM STDIN");
  return g_string_free (sql, FALSE);
}

/* Reads the results of the COPY that ended, keeping the first error. */
static gboolean
finish_copy (CoopPgBackend  *self,
             GError        **error)
{
  gboolean ok = TRUE;

  for (PGresult *result; (result = PQgetResult (self->conn)) != NULL; PQclear (result))
    if (ok && PQresultStatus (result) != PGRES_COMMAND_OK)
      {
        set_pg_error (error, self, result, _("Could not save the records"));
        ok = FALSE;
      }
  return ok;
}

/* Ends the COPY under way, sending what waits. */
static gboolean
flush_bulk (CoopPgBackend  *self,
            GError        **error)
{
  gboolean sent;

  if (!self->copying)
    return TRUE;

  self->copying = FALSE;
  sent = (self->bulk->len == 0 ||
          PQputCopyData (self->conn, self->bulk->str, (int) self->bulk->len) == 1) &&
         PQputCopyEnd (self->conn, NULL) == 1;
  g_string_truncate (self->bulk, 0);
  if (!sent)
    {
      set_pg_error (error, self, NULL, _("Could not save the records"));
      finish_copy (self, NULL);
      return FALSE;
    }
  return finish_copy (self, error);
}

/* Abandons the COPY under way: the transaction is being rolled back. */
static void
drop_bulk (CoopPgBackend *self)
{
  if (self->copying)
    {
      self->copying = FALSE;
      PQputCopyEnd (self->conn, "rolled back");
      finish_copy (self, NULL);
    }
  if (self->bulk != NULL)
    g_string_truncate (self->bulk, 0);
}

/* Ids for new rows, taken from the identity in blocks that grow from a
 * thousand to 64 thousand, so that a large import stops its COPY for new
 * ids a few times only; with other clients adding rows too they need not be
 * consecutive. */
static gint64
take_id (CoopPgBackend  *self,
         CoopTable       table,
         GError        **error)
{
  GArray *reserved = self->reserved[table];
  gint64 id;

  if (reserved == NULL)
    reserved = self->reserved[table] = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (reserved->len == 0)
    {
      g_autofree char *sql = NULL;
      g_autoptr(PGresult) result = NULL;

      self->reserve_size = CLAMP (self->reserve_size * 2, RESERVE_IDS, 64 * RESERVE_IDS);
      /* The sequence is looked up once: looked up for every id, it took
       * five times as long as the ids themselves. */
      if (self->sequence[table] == NULL)
        {
          g_autofree char *lookup = g_strdup_printf ("SELECT pg_get_serial_sequence ('%s', 'id')",
                                                     coop_tables[table].name);
          g_autoptr(PGresult) found = run (self, lookup, NULL, _("Could not save the records"),
                                           error);
          char *literal;

          if (found == NULL)
            return 0;
          literal = PQescapeLiteral (self->conn, PQgetvalue (found, 0, 0),
                                     strlen (PQgetvalue (found, 0, 0)));
          self->sequence[table] = g_strdup (literal);
          PQfreemem (literal);
        }
      sql = g_strdup_printf ("SELECT nextval (%s::regclass) FROM generate_series (1, %u)",
                             self->sequence[table], self->reserve_size);
      result = run (self, sql, NULL, _("Could not save the records"), error);
      if (result == NULL)
        return 0;
      for (int i = PQntuples (result) - 1; i >= 0; i--)
        {
          id = value_int64 (result, i, 0);
          g_array_append_val (reserved, id);
        }
    }

  id = g_array_index (reserved, gint64, reserved->len - 1);
  g_array_set_size (reserved, reserved->len - 1);
  return id;
}

/* The rows stream to the server in one COPY while the caller reads and
 * checks the next ones, so that its work and the server's overlap. */
static gboolean
coop_pg_backend_insert_bulk (CoopBackend  *backend,
                             CoopTable     table,
                             CoopRecord   *record,
                             GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  g_autofree char *key = NULL;
  Params params = { 0 };

  if (self->copying && self->bulk_table != table && !flush_bulk (self, error))
    return FALSE;

  if (coop_record_get_id (record) == 0)
    {
      gint64 id = take_id (self, table, error);

      if (id == 0)
        return FALSE;
      coop_record_set_id (record, id);
      coop_record_set_revision (record, 1);
    }

  if (!self->copying)
    {
      g_autofree char *sql = copy_sql (self, table);
      g_autoptr(PGresult) started = NULL;

      if (!flush_bulk (self, error))
        return FALSE;
      started = PQexec (self->conn, sql);
      if (PQresultStatus (started) != PGRES_COPY_IN)
        {
          set_pg_error (error, self, started, _("Could not save the records"));
          return FALSE;
        }
      self->copying = TRUE;
      self->bulk_table = table;
      if (self->bulk == NULL)
        self->bulk = g_string_sized_new (BULK_SEND_BYTES + 4096);
    }

  params_from_record (&params, state, table, record, &key);
  params_add_int (&params, coop_record_get_id (record));
  params_add_int (&params, MAX (coop_record_get_revision (record), 1));
  for (int i = 0; i < params.n; i++)
    {
      if (i > 0)
        g_string_append_c (self->bulk, '\t');
      append_copy_value (self->bulk, params.values[i]);
    }
  g_string_append_c (self->bulk, '\n');

  if (self->bulk->len >= BULK_SEND_BYTES)
    {
      int sent = PQputCopyData (self->conn, self->bulk->str, (int) self->bulk->len);

      g_string_truncate (self->bulk, 0);
      if (sent != 1)
        {
          set_pg_error (error, self, NULL, _("Could not save the records"));
          return FALSE;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------ reading */

/* What a read brought: the rows of a table and, for events, their
 * attendees.  A completed PGresult only gets read, in any thread. */
typedef struct {
  CoopTable  table;
  PGresult  *result;
  PGresult  *attendees;
  gboolean   share;
} Fetched;

static void
fetched_free (Fetched *fetched)
{
  g_clear_pointer (&fetched->result, PQclear);
  g_clear_pointer (&fetched->attendees, PQclear);
  g_free (fetched);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetched, fetched_free)

/* Runs @sql (parameters @params) and, for events, the read of their
 * attendees, on whichever connection @self names. */
static Fetched *
fetch_rows (CoopPgBackend  *self,
            CoopTable       table,
            const char     *sql,
            const Params   *params,
            gboolean        share,
            GError        **error)
{
  g_autoptr(Fetched) fetched = g_new0 (Fetched, 1);
  int n;

  fetched->table = table;
  fetched->share = share;
  fetched->result = run (self, sql, params, _("Could not read the database"), error);
  if (fetched->result == NULL)
    return NULL;

  n = PQntuples (fetched->result);
  if (table == COOP_TABLE_EVENT && n > 0)
    {
      g_autofree char *attendee_sql = NULL;
      Params range = { 0 };

      /* The events are ordered by id: their attendees lie between the
       * first and the last. */
      params_add_int (&range, value_int64 (fetched->result, 0, 0));
      params_add_int (&range, value_int64 (fetched->result, n - 1, 0));
      attendee_sql = g_strconcat (coop_sql_attendees,
                                  " WHERE t.event_id BETWEEN ?1 AND ?2 ORDER BY t.event_id, t.id",
                                  NULL);
      fetched->attendees = run (self, attendee_sql, &range, _("Could not read the attendees"),
                                error);
      if (fetched->attendees == NULL)
        return NULL;
    }

  return g_steal_pointer (&fetched);
}

/* Rows of a table this long are made into records by two threads, each
 * half of them. */
#define BUILD_IN_HALVES 20000

typedef struct {
  const Fetched *fetched;
  int            first;
  int            end;
} Half;

static gpointer
build_half (gpointer data)
{
  Half *half = data;
  g_autoptr(CoopStringShare) shared = half->fetched->share ? coop_string_share_new () : NULL;
  GPtrArray *rows = g_ptr_array_new_full (half->end - half->first, g_object_unref);

  for (int i = half->first; i < half->end; i++)
    g_ptr_array_add (rows, record_from_row (half->fetched->table, half->fetched->result, i,
                                            shared));
  return rows;
}

/* Makes the records of what fetch_rows () brought. */
static GPtrArray *
build_rows (const Fetched *fetched)
{
  int n = PQntuples (fetched->result);
  Half first = { fetched, 0, n };
  Half second = { fetched, n, n };
  GThread *thread = NULL;
  GPtrArray *rows;

  if (n >= BUILD_IN_HALVES)
    {
      first.end = second.first = n / 2;
      thread = g_thread_new ("coop-pg-build", build_half, &second);
    }
  rows = build_half (&first);
  if (thread != NULL)
    g_ptr_array_extend_and_steal (rows, g_thread_join (thread));

  if (fetched->attendees != NULL)
    {
      g_autoptr(GHashTable) events = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autofree gint64 *keys = g_new (gint64, rows->len);

      for (guint i = 0; i < rows->len; i++)
        {
          keys[i] = coop_record_get_id (g_ptr_array_index (rows, i));
          g_hash_table_insert (events, &keys[i], g_ptr_array_index (rows, i));
        }

      for (int i = 0; i < PQntuples (fetched->attendees); i++)
        {
          g_autoptr(CoopRecord) attendee = record_from_row (COOP_TABLE_ATTENDEE,
                                                            fetched->attendees, i, NULL);
          CoopEvent *event = g_hash_table_lookup (events, &(gint64) {
                                                    coop_attendee_get_event_id (COOP_ATTENDEE (attendee)) });

          if (event != NULL)
            g_list_store_append (G_LIST_STORE (coop_event_get_attendees (event)), attendee);
        }
    }

  return rows;
}

/* Makes records of the tables fetched, in their order, until one that
 * holds nothing: the loader's second thread. */
typedef struct {
  GPtrArray   **rows;
  GAsyncQueue  *fetched;   /* Fetched, to build */
  GAsyncQueue  *built;     /* a token for each built */
} Builder;

static gpointer
build_lists (gpointer data)
{
  Builder *builder = data;

  for (;;)
    {
      g_autoptr(Fetched) fetched = g_async_queue_pop (builder->fetched);

      if (fetched->result == NULL)
        return NULL;
      builder->rows[fetched->table] = build_rows (fetched);
      g_async_queue_push (builder->built, GINT_TO_POINTER (1));
    }
}

/* Reads rows with @sql (parameters @params) and, for events, their
 * attendees, on whichever connection @self names. */
static GPtrArray *
read_rows (CoopPgBackend  *self,
           CoopTable       table,
           const char     *sql,
           const Params   *params,
           gboolean        share,
           GError        **error)
{
  g_autoptr(Fetched) fetched = fetch_rows (self, table, sql, params, share, error);

  return fetched != NULL ? build_rows (fetched) : NULL;
}

static char *
range_sql (CoopSqlTable *state)
{
  const char *order = strstr (state->select_sql, " ORDER BY");

  return g_strdup_printf ("%.*s WHERE t.id BETWEEN ?1 AND ?2%s",
                          (int) (order - state->select_sql), state->select_sql, order);
}

static GPtrArray *
read_range (CoopPgBackend  *self,
            CoopTable       table,
            gint64          first,
            gint64          last,
            GError        **error)
{
  g_autofree char *sql = range_sql (&self->tables[table]);
  Params params = { 0 };

  params_add_int (&params, first);
  params_add_int (&params, last);
  return read_rows (self, table, sql, &params, TRUE, error);
}

/* The rows of a select of change_log's id, at, record_type, record_id,
 * action, changes and changed_by. */
static void
add_change_entries (GPtrArray      *entries,
                    const PGresult *result)
{
  for (int i = 0; i < PQntuples (result); i++)
    {
      CoopChangeEntry *entry = g_new0 (CoopChangeEntry, 1);
      int action = 0;

      entry->at = g_strdup (PQgetvalue (result, i, 1));
      entry->record_type = g_strdup (PQgetvalue (result, i, 2));
      entry->record_id = value_int64 (result, i, 3);
      coop_enum_from_nick (COOP_TYPE_CHANGE_ACTION, PQgetvalue (result, i, 4), &action);
      entry->action = (CoopChangeAction) action;
      entry->changes = g_strdup (PQgetvalue (result, i, 5));
      entry->changed_by = PQgetisnull (result, i, 6) ? NULL : g_strdup (PQgetvalue (result, i, 6));
      g_ptr_array_add (entries, entry);
    }
}

/* ------------------------------------------------------------------ connecting */

static char *
describe_server (PGconn *conn)
{
  const char *host = PQhost (conn);

  if (host == NULL || *host == '\0' || *host == '/')
    host = "localhost";
  return g_strdup_printf (_("“%s” on %s"), PQdb (conn), host);
}

/* connect_timeout (or PGCONNECT_TIMEOUT) as PQconnectdb () takes it: whole
 * seconds, at least two; -1 to wait as long as the system does. */
static int
connect_timeout_ms (PGconn *conn)
{
  PQconninfoOption *options = PQconninfo (conn);
  int ms = -1;

  for (PQconninfoOption *option = options; option != NULL && option->keyword != NULL; option++)
    if (g_str_equal (option->keyword, "connect_timeout") && option->val != NULL &&
        atoi (option->val) > 0)
      ms = MAX (atoi (option->val), 2) * 1000;
  PQconninfoFree (options);
  return ms;
}

/* Like PQconnectdb (), but with the server's SQLSTATE in the message: only
 * that tells a refused password (28P01) from the other refusals that come
 * after the password was accepted, such as a database that does not exist.
 * @timed_out says when the server did not answer within connect_timeout. */
static PGconn *
connect_verbosely (const char *uri,
                   gboolean   *timed_out)
{
  PGconn *conn = PQconnectStart (uri);
  PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
  int timeout;

  *timed_out = FALSE;
  if (conn == NULL || PQstatus (conn) == CONNECTION_BAD)
    return conn;

  timeout = connect_timeout_ms (conn);
  PQsetErrorVerbosity (conn, PQERRORS_VERBOSE);
  while (polling == PGRES_POLLING_READING || polling == PGRES_POLLING_WRITING)
    {
      struct pollfd pfd = { PQsocket (conn), polling == PGRES_POLLING_READING ? POLLIN : POLLOUT,
                            0 };
      int ready = pfd.fd >= 0 ? poll (&pfd, 1, timeout) : 1;

      if (ready == 0)
        {
          *timed_out = TRUE;
          break;
        }
      if (ready < 0 && errno != EINTR)
        break;
      polling = PQconnectPoll (conn);
    }
  PQsetErrorVerbosity (conn, PQERRORS_DEFAULT);
  return conn;
}

/* Takes the "28P01: " a verbose message starts with off @line. */
static char *
take_sqlstate (char *line,
               char  state[6])
{
  state[0] = '\0';
  for (guint i = 0; i < 5; i++)
    if (!g_ascii_isdigit (line[i]) && !g_ascii_isupper (line[i]))
      return line;
  if (line[5] != ':')
    return line;
  memcpy (state, line, 5);
  state[5] = '\0';
  return g_strchug (line + 6);
}

/* Why @conn could not connect: the first line of libpq's message without
 * the "connection to server … failed: " and "FATAL:" around the server's
 * words, and in @state the SQLSTATE a verbose message starts with. */
static char *
describe_refusal (PGconn *conn,
                  char    state[6])
{
  g_autofree char *line = NULL;
  char *reason;

  first_line (conn != NULL ? PQerrorMessage (conn) : NULL, &line);
  reason = line;
  if (g_str_has_prefix (reason, "connection to server ") && strstr (reason, "failed: ") != NULL)
    reason = strstr (reason, "failed: ") + strlen ("failed: ");
  if (g_str_has_prefix (reason, "FATAL:"))
    reason = g_strchug (reason + strlen ("FATAL:"));
  return g_strdup (take_sqlstate (reason, state));
}

/* Whether the server wants a password @conn did not give, or refused the
 * one it gave. */
static gboolean
password_refused (PGconn *conn)
{
  char state[6] = "";
  g_autofree char *reason = describe_refusal (conn, state);

  return PQconnectionNeedsPassword (conn) || g_str_equal (state, "28P01");
}

/* Connects with libpq's own rules, so that ~/.pgpass, PGSERVICE and the
 * other PG* settings apply.  A server that wants a password and got none,
 * or refused the one given, fails with %COOP_ERROR_AUTHENTICATION: the
 * message names the server and the user, never the password. */
static PGconn *
connect_to (const char  *uri,
            GError     **error)
{
  gboolean timed_out;
  g_autoptr(PGconn) conn = connect_verbosely (uri, &timed_out);
  g_autoptr(PGresult) result = NULL;

  if (conn == NULL || timed_out || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *where = conn != NULL ? describe_server (conn)
                                            : coop_pg_backend_display (uri);
      char state[6] = "";
      g_autofree char *reason = describe_refusal (conn, state);

      if (timed_out)
        g_set_error (error, COOP_ERROR, COOP_ERROR_CONNECTION,
                     _("Could not connect to the shared database %s: %s."), where,
                     _("the server did not answer in time"));
      else if (conn != NULL && PQconnectionNeedsPassword (conn))
        g_set_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION,
                     _("The shared database %s wants a password for “%s”."), where,
                     PQuser (conn));
      else if (conn != NULL && g_str_equal (state, "28P01"))
        g_set_error (error, COOP_ERROR, COOP_ERROR_AUTHENTICATION,
                     _("The shared database %s refused the password of “%s”."), where,
                     PQuser (conn));
      else
        g_set_error (error, COOP_ERROR, COOP_ERROR_CONNECTION,
                     _("Could not connect to the shared database %s: %s."), where, reason);
      return NULL;
    }

  /* Text as the records hold it, and no setting of the server's that
   * changes what a statement means. */
  result = PQexec (conn, "SET client_encoding = 'UTF8'; SET standard_conforming_strings = on;"
                         " SET TIME ZONE 'UTC'");
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      g_autofree char *where = describe_server (conn);
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONNECTION,
                   _("Could not connect to the shared database %s: %s."), where,
                   PQerrorMessage (conn));
      return NULL;
    }

  return g_steal_pointer (&conn);
}

static gboolean
query_int (CoopPgBackend  *self,
           const char     *sql,
           gint64         *value,
           GError        **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, sql);

  if (PQresultStatus (result) != PGRES_TUPLES_OK || PQntuples (result) != 1)
    {
      set_pg_error (error, self, result, _("Could not open the database"));
      return FALSE;
    }
  *value = value_int64 (result, 0, 0);
  return TRUE;
}

/* The version of the schema, 0 for an empty database, and whether the
 * database holds tables of another program. */
static gboolean
read_version (CoopPgBackend  *self,
              int            *version,
              GError        **error)
{
  gint64 has_schema = 0, n_tables = 0, value = 0;

  if (!query_int (self, "SELECT count(*) FROM pg_catalog.pg_tables"
                        " WHERE schemaname = current_schema() AND tablename = 'coop_schema'",
                  &has_schema, error) ||
      !query_int (self, "SELECT count(*) FROM pg_catalog.pg_tables"
                        " WHERE schemaname = current_schema()", &n_tables, error))
    return FALSE;

  if (!has_schema)
    {
      if (n_tables > 0)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_COOPDESK,
                       _("The shared database %s holds the tables of another program, not a "
                         "Coopdesk ledger; it was left unchanged."), self->server);
          return FALSE;
        }
      *version = 0;
      return TRUE;
    }

  if (!query_int (self, "SELECT max(version) FROM coop_schema", &value, error))
    return FALSE;
  *version = (int) value;
  return TRUE;
}

/* Schema 5: the keys of every existing row, sent in one COPY into a
 * temporary table per source and set from it by one UPDATE. */
static gboolean
fill_pinyin_keys (CoopPgBackend  *self,
                  GError        **error)
{
  const char *doing = _("Could not update the database");

  if (!exec (self, "CREATE TEMPORARY TABLE coop_pinyin (id bigint PRIMARY KEY, key text)"
                   " ON COMMIT DROP", doing, error))
    return FALSE;

  for (guint i = 0; i < coop_n_pinyin_sources; i++)
    {
      const CoopPinyinSource *source = &coop_pinyin_sources[i];
      g_autofree char *select_sql = coop_pinyin_source_select (source);
      g_autofree char *update_sql = g_strdup_printf ("UPDATE %s t SET pinyin_key = k.key"
                                                     " FROM coop_pinyin k WHERE k.id = t.id",
                                                     source->table);
      g_autoptr(PGresult) rows = NULL;
      g_autoptr(PGresult) copy = NULL;
      g_autoptr(GString) lines = g_string_new (NULL);
      g_autoptr(GString) key = g_string_new (NULL);
      gboolean sent;

      rows = run (self, select_sql, NULL, doing, error);
      if (rows == NULL)
        return FALSE;
      for (int r = 0; r < PQntuples (rows); r++)
        {
          g_string_truncate (key, 0);
          for (int c = 1; c < PQnfields (rows); c++)
            if (!PQgetisnull (rows, r, c))
              coop_pinyin_append_key (key, PQgetvalue (rows, r, c));
          if (key->len == 0)
            continue;
          g_string_append_printf (lines, "%s\t", PQgetvalue (rows, r, 0));
          append_copy_value (lines, key->str);
          g_string_append_c (lines, '\n');
        }
      if (lines->len == 0)
        continue;

      copy = PQexec (self->conn, "COPY coop_pinyin (id, key) FROM STDIN");
      if (PQresultStatus (copy) != PGRES_COPY_IN)
        {
          set_pg_error (error, self, copy, doing);
          return FALSE;
        }
      sent = PQputCopyData (self->conn, lines->str, (int) lines->len) == 1 &&
             PQputCopyEnd (self->conn, NULL) == 1;
      if (!sent)
        set_pg_error (error, self, NULL, doing);
      if (!finish_copy (self, sent ? error : NULL) || !sent ||
          !exec (self, update_sql, doing, error) ||
          !exec (self, "TRUNCATE coop_pinyin", doing, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (CoopPgBackend  *self,
         gboolean        read_only,
         int            *version,
         GError        **error)
{
  int latest = coop_store_schema_latest_version ();
  int current = 0;

  if (!read_version (self, &current, error))
    return FALSE;

  if (current > latest)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_SCHEMA_TOO_NEW,
                   _("The shared database %s was written by a newer version of Coopdesk "
                     "(schema %d; this version knows schema %d at most). Update Coopdesk to "
                     "open it."), self->server, current, latest);
      return FALSE;
    }

  if (current < latest && read_only)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                   _("The shared database %s needs to be updated to schema %d, but it is "
                     "open read-only."), self->server, latest);
      return FALSE;
    }

  while (current < latest)
    {
      g_autofree char *stamp = NULL;
      g_autofree char *lock = g_strdup_printf ("SELECT pg_advisory_xact_lock (%d)",
                                               COOP_PG_MIGRATION_LOCK);
      int again = 0;

      if (!exec (self, "BEGIN", _("Could not update the database"), error))
        return FALSE;

      /* Another client may have migrated while this one waited. */
      if (!exec (self, lock, _("Could not update the database"), error) ||
          !read_version (self, &again, error))
        goto fail;
      if (again != current)
        {
          exec (self, "ROLLBACK", _("Could not update the database"), NULL);
          current = again;
          continue;
        }

      stamp = g_strdup_printf ("UPDATE coop_schema SET version = %d", current + 1);
      if ((*coop_pg_schema_step (current) != '\0' &&
           !exec (self, coop_pg_schema_step (current), _("Could not update the database"),
                  error)) ||
          (coop_pg_schema_step_fills_pinyin (current) && !fill_pinyin_keys (self, error)) ||
          !exec (self, stamp, _("Could not update the database"), error) ||
          !exec (self, "COMMIT", _("Could not update the database"), error))
        goto fail;

      current++;
      g_debug ("Shared database migrated to schema %d", current);
      continue;

    fail:
      exec (self, "ROLLBACK", _("Could not update the database"), NULL);
      return FALSE;
    }

  *version = current;
  return TRUE;
}

/* ------------------------------------------------------------------ CoopBackend */

static gboolean
coop_pg_backend_begin (CoopBackend  *backend,
                       GError      **error)
{
  return exec (COOP_PG_BACKEND (backend), "BEGIN", _("Could not start the change"), error);
}

static gboolean
coop_pg_backend_begin_snapshot (CoopBackend  *backend,
                                GError      **error)
{
  return exec (COOP_PG_BACKEND (backend), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
               _("Could not read the database"), error);
}

static gboolean
coop_pg_backend_commit (CoopBackend  *backend,
                        GError      **error)
{
  return exec (COOP_PG_BACKEND (backend), "COMMIT", _("Could not save the changes"), error);
}

static void
coop_pg_backend_rollback (CoopBackend *backend)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);

  drop_bulk (self);
  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE &&
      PQtransactionStatus (self->conn) != PQTRANS_UNKNOWN)
    exec (self, "ROLLBACK", _("Could not undo the change"), NULL);
}

static gboolean
coop_pg_backend_savepoint (CoopBackend  *backend,
                           GError      **error)
{
  return exec (COOP_PG_BACKEND (backend), "SAVEPOINT coop_write", _("Could not start the change"),
               error);
}

static gboolean
coop_pg_backend_release (CoopBackend  *backend,
                         GError      **error)
{
  return exec (COOP_PG_BACKEND (backend), "RELEASE coop_write", _("Could not save the change"),
               error);
}

static void
coop_pg_backend_rollback_to (CoopBackend *backend)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);

  drop_bulk (self);
  exec (self, "ROLLBACK TO coop_write", _("Could not undo the change"), NULL);
  exec (self, "RELEASE coop_write", _("Could not undo the change"), NULL);
}

static CoopRecord *
coop_pg_backend_read_one (CoopBackend  *backend,
                          CoopTable     table,
                          gint64        id,
                          GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(GPtrArray) rows = NULL;
  Params params = { 0 };

  params_add_int (&params, id);
  rows = read_rows (self, table, self->tables[table].select_one_sql, &params, FALSE, error);
  if (rows == NULL || rows->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (rows, 0));
}

static GPtrArray *
coop_pg_backend_read_range (CoopBackend   *backend,
                            CoopTable      table,
                            gint64         first,
                            gint64         last,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return read_range (COOP_PG_BACKEND (backend), table, first, last, error);
}

/* Runs in a worker thread: a connection of its own, and a backend object
 * around it that shares nothing with the store's but the SQL text. */
static gboolean
coop_pg_backend_load_lists (CoopBackend   *backend,
                            GPtrArray    **rows,
                            GCancellable  *cancellable,
                            GError       **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(CoopPgBackend) reader = g_object_new (COOP_TYPE_PG_BACKEND, NULL);
  Builder builder;
  GThread *thread;
  gboolean read = TRUE;
  guint ahead = 0;

  reader->server = g_strdup (self->server);
  reader->conn = connect_to (self->uri, error);
  if (reader->conn == NULL)
    return FALSE;

  if (!exec (reader, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
             _("Could not read the database"), error))
    return FALSE;

  /* One table's rows are made into records while the next is read. */
  builder.rows = rows;
  builder.fetched = g_async_queue_new ();
  builder.built = g_async_queue_new ();
  thread = g_thread_new ("coop-pg-build", build_lists, &builder);

  for (guint i = 0; i < COOP_N_TABLES && read; i++)
    {
      Fetched *fetched;

      if (!coop_tables[i].listed)
        continue;
      /* At most one table waits to be built, besides the one being built:
       * a PGresult holds the whole table as text. */
      if (ahead == 2)
        {
          g_async_queue_pop (builder.built);
          ahead--;
        }
      read = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
             (fetched = fetch_rows (reader, (CoopTable) i, reader->tables[i].list_sql, NULL,
                                    TRUE, error)) != NULL;
      if (read)
        {
          g_async_queue_push (builder.fetched, fetched);
          ahead++;
        }
    }

  /* The end. */
  g_async_queue_push (builder.fetched, g_new0 (Fetched, 1));
  g_thread_join (thread);
  g_async_queue_unref (builder.fetched);
  g_async_queue_unref (builder.built);

  return read && exec (reader, "COMMIT", _("Could not read the database"), error);
}

static GPtrArray *
coop_pg_backend_read_related (CoopBackend      *backend,
                              CoopTable         table,
                              const CoopField  *field,
                              gint64            id,
                              GError          **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  const char *select = self->tables[table].select_sql;
  g_autofree char *column = NULL;
  g_autofree char *sql = NULL;
  Params params = { 0 };

  column = (field->flags & COOP_FIELD_DERIVED)
           ? g_strdup (coop_sql_derived_expr (table, field->name))
           : g_strconcat ("t.", field->name, NULL);
  g_strdelimit (column, "-", '_');
  sql = g_strdup_printf ("%.*s WHERE %s = ?1 ORDER BY t.id",
                         (int) (strstr (select, " ORDER BY") - select), select, column);

  params_add_int (&params, id);
  return read_rows (self, table, sql, &params, FALSE, error);
}

static gboolean
coop_pg_backend_find_dependents (CoopBackend  *backend,
                                 guint         dependency,
                                 gint64        id,
                                 GArray       *ids,
                                 GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add_int (&params, id);
  result = run (self, coop_dependencies[dependency].sql, &params,
                _("Could not read the database"), error);
  if (result == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 dependent = value_int64 (result, i, 0);
      g_array_append_val (ids, dependent);
    }
  return TRUE;
}

static gboolean
coop_pg_backend_count_blockers (CoopBackend  *backend,
                                guint         blocker,
                                gint64        id,
                                gint64       *count,
                                GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add_int (&params, id);
  result = run (self, coop_blockers[blocker].count_sql, &params, _("Could not read the database"),
                error);
  if (result == NULL)
    return FALSE;
  *count = value_int64 (result, 0, 0);
  return TRUE;
}

static gboolean
coop_pg_backend_find_duplicate (CoopBackend  *backend,
                                CoopTable     table,
                                CoopRecord   *record,
                                char        **other,
                                GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  g_autofree char *key = NULL;
  const char *sql;
  Params params = { 0 };

  *other = NULL;

  switch (table)
    {
    case COOP_TABLE_PARTNER:
      sql = coop_sql_unique_partner;
      key = coop_text_fold (coop_partner_get_name (COOP_PARTNER (record)));
      params_add (&params, key);
      break;

    case COOP_TABLE_STUDENT:
      sql = coop_sql_unique_student;
      params_add (&params, coop_student_get_number (COOP_STUDENT (record)));
      break;

    case COOP_TABLE_CANDIDATE:
      sql = coop_sql_unique_candidate;
      params_add_int (&params, coop_candidate_get_student_id (COOP_CANDIDATE (record)));
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

  params_add_int (&params, coop_record_get_id (record));
  if (table == COOP_TABLE_CANDIDATE)
    params_add_int (&params, coop_candidate_get_pool_id (COOP_CANDIDATE (record)));

  result = run (self, sql, &params, _("Could not read the database"), error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *other = g_strdup (PQgetvalue (result, 0, 0));
  return TRUE;
}

static gboolean
coop_pg_backend_read_agreement_owner (CoopBackend  *backend,
                                      gint64        agreement_id,
                                      gint64       *partner_id,
                                      char        **title,
                                      char        **partner_name,
                                      GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  *partner_id = 0;
  *title = *partner_name = NULL;

  params_add_int (&params, agreement_id);
  result = run (self, coop_sql_agreement_owner, &params, _("Could not read the database"), error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *partner_id = value_int64 (result, 0, 0);
      *title = g_strdup (PQgetvalue (result, 0, 1));
      *partner_name = g_strdup (PQgetvalue (result, 0, 2));
    }
  return TRUE;
}

static gboolean
coop_pg_backend_insert (CoopBackend  *backend,
                        CoopTable     table,
                        CoopRecord   *record,
                        GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  g_autofree char *sql = g_strconcat (state->insert_sql, " RETURNING id", NULL);
  g_autofree char *key = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_from_record (&params, state, table, record, &key);
  result = run (self, sql, &params, _("Could not save the record"), error);
  if (result == NULL)
    return FALSE;

  coop_record_set_id (record, value_int64 (result, 0, 0));
  return TRUE;
}

static gboolean
coop_pg_backend_update (CoopBackend  *backend,
                        CoopTable     table,
                        CoopRecord   *record,
                        GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  g_autofree char *key = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_from_record (&params, state, table, record, &key);
  g_assert (params.n + 1 == (int) state->update_id);
  params_add_int (&params, coop_record_get_id (record));
  params_add_int (&params, coop_record_get_revision (record));

  result = run (self, state->update_sql, &params, _("Could not save the record"), error);
  return result != NULL && check_changed (result, error);
}

static gboolean
coop_pg_backend_remove (CoopBackend  *backend,
                        CoopTable     table,
                        gint64        id,
                        gint64        revision,
                        GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add_int (&params, id);
  params_add_int (&params, revision);
  result = run (self, self->tables[table].delete_sql, &params, _("Could not delete the record"),
                error);
  return result != NULL && check_changed (result, error);
}

static gboolean
coop_pg_backend_change_id (CoopBackend  *backend,
                           CoopTable     table,
                           gint64        from,
                           gint64        to,
                           GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET id = ?1 WHERE id = ?2",
                                          coop_tables[table].name);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add_int (&params, to);
  params_add_int (&params, from);
  result = run (self, sql, &params, _("Could not restore the record"), error);
  return result != NULL;
}

static gboolean
coop_pg_backend_delete_attendees (CoopBackend  *backend,
                                  gint64        event_id,
                                  GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add_int (&params, event_id);
  result = run (self, coop_sql_delete_attendees, &params, _("Could not save the attendees"),
                error);
  return result != NULL;
}

static gboolean
coop_pg_backend_log_change (CoopBackend            *backend,
                            const CoopChangeEntry  *entry,
                            GError                **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add (&params, entry->at);
  params_add (&params, entry->record_type);
  params_add_int (&params, entry->record_id);
  params_add (&params, coop_enum_get_nick (COOP_TYPE_CHANGE_ACTION, entry->action));
  params_add (&params, entry->changes);
  params_add (&params, entry->changed_by);
  result = run (self, coop_sql_log_change, &params, _("Could not write the change log"), error);
  return result != NULL;
}

/* Every line in one COPY: one round trip a line took most of the time of
 * a copy to a server. */
static gboolean
coop_pg_backend_log_changes (CoopBackend  *backend,
                             GPtrArray    *entries,
                             GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  const char *doing = _("Could not write the change log");
  g_autoptr(PGresult) started = NULL;
  g_autoptr(GString) lines = NULL;
  gboolean sent = TRUE;

  if (entries->len == 0)
    return TRUE;
  if (!flush_bulk (self, error))
    return FALSE;

  started = PQexec (self->conn, "COPY change_log (at, record_type, record_id, action, changes,"
                                " changed_by) FROM STDIN");
  if (PQresultStatus (started) != PGRES_COPY_IN)
    {
      set_pg_error (error, self, started, doing);
      return FALSE;
    }

  lines = g_string_sized_new (BULK_SEND_BYTES + 4096);
  for (guint i = 0; i < entries->len && sent; i++)
    {
      const CoopChangeEntry *entry = g_ptr_array_index (entries, i);

      append_copy_value (lines, entry->at);
      g_string_append_c (lines, '\t');
      append_copy_value (lines, entry->record_type);
      g_string_append_printf (lines, "\t%" G_GINT64_FORMAT "\t", entry->record_id);
      append_copy_value (lines, coop_enum_get_nick (COOP_TYPE_CHANGE_ACTION, entry->action));
      g_string_append_c (lines, '\t');
      append_copy_value (lines, entry->changes);
      g_string_append_c (lines, '\t');
      append_copy_value (lines, entry->changed_by);
      g_string_append_c (lines, '\n');

      if (lines->len >= BULK_SEND_BYTES)
        {
          sent = PQputCopyData (self->conn, lines->str, (int) lines->len) == 1;
          g_string_truncate (lines, 0);
        }
    }
  sent = sent && (lines->len == 0 ||
                  PQputCopyData (self->conn, lines->str, (int) lines->len) == 1) &&
         PQputCopyEnd (self->conn, NULL) == 1;
  if (!sent)
    {
      set_pg_error (error, self, NULL, doing);
      finish_copy (self, NULL);
      return FALSE;
    }
  return finish_copy (self, error);
}

static gboolean
coop_pg_backend_insert_copy (CoopBackend  *backend,
                             CoopTable     table,
                             CoopRecord   *record,
                             GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  CoopSqlTable *state = &self->tables[table];
  g_autofree char *key = NULL;
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_from_record (&params, state, table, record, &key);
  g_assert (params.n + 1 == (int) state->update_id);
  params_add_int (&params, coop_record_get_id (record));
  params_add_int (&params, MAX (coop_record_get_revision (record), 1));
  result = run (self, state->insert_id_sql, &params, _("Could not save the record"), error);
  return result != NULL;
}

static GPtrArray *
coop_pg_backend_read_change_log (CoopBackend  *backend,
                                 GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_change_entry_free);
  g_autoptr(PGresult) result = run (self, coop_sql_change_log, NULL,
                                    _("Could not read the change log"), error);

  if (result == NULL)
    return NULL;
  add_change_entries (entries, result);
  return g_steal_pointer (&entries);
}

static gboolean
coop_pg_backend_clear (CoopBackend  *backend,
                       GError      **error)
{
  GString *sql = g_string_new ("TRUNCATE change_log");

  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_string_append_printf (sql, ", %s", coop_tables[i].name);
  g_string_append (sql, " RESTART IDENTITY");
  {
    g_autofree char *text = g_string_free (sql, FALSE);
    return exec (COOP_PG_BACKEND (backend), text, _("Could not empty the database"), error);
  }
}

/* Rows added under their own ids leave the identity behind them. */
static gboolean
coop_pg_backend_finish_copy (CoopBackend  *backend,
                             GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', 'id'),"
                         " coalesce ((SELECT max (id) FROM %s), 0) + 1, false)",
                         coop_tables[i].name, coop_tables[i].name);

      if (!exec (self, sql, _("Could not save the changes"), error))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
coop_pg_backend_list_changes (CoopBackend  *backend,
                              CoopTable     table,
                              gint64        record_id,
                              GError      **error)
{
  /* As in the SQLite backend: an import's line has record_id 0 and names
   * the ids it added as runs and the ids it updated as keys. */
  static const char sql[] =
    "SELECT id, at, record_type, record_id, action, changes, changed_by FROM change_log"
    " WHERE record_type = ?1 AND record_id = ?2"
    " UNION ALL "
    "SELECT id, at, record_type, record_id, action, changes, changed_by FROM change_log c"
    " WHERE record_type = ?1 AND record_id = 0 AND action = 'import'"
    "   AND (EXISTS (SELECT 1 FROM jsonb_array_elements (c.changes::jsonb -> 'added_ids') r"
    "                WHERE ?2 BETWEEN (r ->> 0)::bigint AND (r ->> 1)::bigint)"
    "        OR (c.changes::jsonb -> 'updated_ids') \? ?3)"
    " ORDER BY 1";
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_change_entry_free);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add (&params, coop_tables[table].name);
  params_add_int (&params, record_id);
  params_add_int (&params, record_id);
  result = run (self, sql, &params, _("Could not read the change log"), error);
  if (result == NULL)
    return NULL;

  add_change_entries (entries, result);

  return g_steal_pointer (&entries);
}

static gboolean
coop_pg_backend_count (CoopBackend      *backend,
                       CoopStoreCounts  *counts,
                       GError          **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  gint64 *fields[] = {
    &counts->departments, &counts->partners, &counts->contacts, &counts->agreements,
    &counts->events, &counts->attendees, &counts->students, &counts->pools,
    &counts->candidates, &counts->stage_changes, &counts->attachments, &counts->changes,
  };
  g_autoptr(PGresult) result = run (self, coop_sql_count, NULL, _("Could not count the records"),
                                    error);

  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = value_int64 (result, 0, (int) i);
  return TRUE;
}

/* The server keeps its own pages sound and enforces every foreign key as
 * it writes; what can still be checked is that the schema is whole. */
static gboolean
coop_pg_backend_check_integrity (CoopBackend  *backend,
                                 char        **report,
                                 GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(GString) problems = g_string_new (NULL);

  *report = NULL;
  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT to_regclass ('%s') IS NOT NULL",
                                              coop_tables[i].name);
      g_autoptr(PGresult) result = PQexec (self->conn, sql);

      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        {
          set_pg_error (error, self, result, _("Could not check the database"));
          return FALSE;
        }
      if (g_strcmp0 (PQgetvalue (result, 0, 0), "t") != 0)
        g_string_append_printf (problems, _("the table %s is missing\n"), coop_tables[i].name);
    }

  if (problems->len == 0)
    {
      *report = g_strdup ("ok");
      return TRUE;
    }
  *report = g_string_free (g_steal_pointer (&problems), FALSE);
  return FALSE;
}

/* The content goes as one binary parameter: no escaping, no copy. */
static gboolean
coop_pg_backend_write_attachment (CoopBackend  *backend,
                                  gint64        id,
                                  GBytes       *content,
                                  GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  gsize size;
  const char *data = g_bytes_get_data (content, &size);
  const char *values[2] = { id_text, data != NULL ? data : "" };
  int lengths[2] = { 0, (int) size };
  int formats[2] = { 0, 1 };
  g_autoptr(PGresult) result = NULL;

  if (!flush_bulk (self, error))
    return FALSE;

  result = PQexecParams (self->conn, "UPDATE attachment SET data = $2 WHERE id = $1",
                         2, NULL, values, lengths, formats, 0);
  take_notifications (self);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      set_pg_error (error, self, result, _("Could not save the file"));
      return FALSE;
    }
  if (g_strcmp0 (PQcmdTuples (result), "0") == 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                   _("The attachment no longer exists; somebody may have deleted it."));
      return FALSE;
    }
  return TRUE;
}

/* A piece at a time with substring(), in binary: the server sends only
 * that piece, and the client never holds the whole file. */
static gboolean
coop_pg_backend_read_attachment (CoopBackend           *backend,
                                 gint64                 id,
                                 CoopBackendChunkFunc   func,
                                 gpointer               user_data,
                                 GCancellable          *cancellable,
                                 GError               **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  gint64 size = -1;

  if (!flush_bulk (self, error))
    return FALSE;

  for (gint64 offset = 0; size < 0 || offset < size; )
    {
      g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, offset + 1);
      g_autofree char *length = g_strdup_printf ("%d", COOP_BACKEND_CHUNK_SIZE);
      const char *values[3] = { id_text, from, length };
      g_autoptr(PGresult) result = NULL;
      int n;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_CANCELLED, _("Cancelled."));
          return FALSE;
        }

      result = PQexecParams (self->conn,
                             "SELECT octet_length (data)::bigint, substring (data FROM $2::integer"
                             " FOR $3::integer) FROM attachment WHERE id = $1::bigint",
                             3, NULL, values, NULL, NULL, 1);
      take_notifications (self);
      if (PQresultStatus (result) != PGRES_TUPLES_OK)
        {
          set_pg_error (error, self, result, _("Could not read the file"));
          return FALSE;
        }
      if (PQntuples (result) == 0)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                       _("The attachment no longer exists; somebody may have deleted it."));
          return FALSE;
        }
      if (PQgetisnull (result, 0, 0))
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT, _("The file’s content is missing."));
          return FALSE;
        }

      /* A binary bigint is eight bytes in network order. */
      if (size < 0)
        {
          guint64 big;

          memcpy (&big, PQgetvalue (result, 0, 0), sizeof big);
          size = (gint64) GUINT64_FROM_BE (big);
        }
      n = PQgetlength (result, 0, 1);
      if (n == 0)
        break;
      if (!func ((const guint8 *) PQgetvalue (result, 0, 1), (gsize) n, user_data, error))
        return FALSE;
      offset += n;
    }
  return TRUE;
}

static char *
coop_pg_backend_dup_setting (CoopBackend *backend,
                             const char  *name)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  const char *value;

  if (g_strcmp0 (name, "server_version") == 0 || g_strcmp0 (name, "client_encoding") == 0 ||
      g_strcmp0 (name, "default_transaction_read_only") == 0)
    {
      value = PQparameterStatus (self->conn, name);
      if (value == NULL && g_strcmp0 (name, "default_transaction_read_only") == 0)
        {
          g_autoptr(PGresult) result = PQexec (self->conn, "SHOW default_transaction_read_only");
          return PQresultStatus (result) == PGRES_TUPLES_OK ? g_strdup (PQgetvalue (result, 0, 0))
                                                             : NULL;
        }
      return g_strdup (value);
    }
  return NULL;
}

/* The notification is part of the transaction: the other clients hear of
 * the write only if it commits. */
static gboolean
coop_pg_backend_notify (CoopBackend  *backend,
                        const char   *payload,
                        GError      **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  Params params = { 0 };

  params_add (&params, payload);
  result = run (self, "SELECT pg_notify ('" CHANNEL "', ?1)", &params,
                _("Could not save the changes"), error);
  return result != NULL;
}

static void
coop_pg_backend_follow (CoopBackend           *backend,
                        CoopBackendNotifyFunc  func,
                        gpointer               user_data)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->notify_func == NULL);

  if (!exec (self, "LISTEN " CHANNEL, _("Could not follow the other clients' changes"), &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  self->notify_func = func;
  self->notify_data = user_data;
  self->socket_source = g_unix_fd_add (PQsocket (self->conn), G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       on_socket_readable_cb, self);
}

static void
connect_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  PGconn *conn = connect_to (task_data, &error);

  if (conn == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conn, (GDestroyNotify) PQfinish);
}

static void
coop_pg_backend_reconnect_async (CoopBackend         *backend,
                                 const char          *uri,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (backend, cancellable, callback, user_data);

  g_task_set_source_tag (task, coop_pg_backend_reconnect_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_task_run_in_thread (task, connect_in_thread);
}

static gboolean
coop_pg_backend_reconnect_finish (CoopBackend   *backend,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  CoopPgBackend *self = COOP_PG_BACKEND (backend);
  CoopBackendState *state = coop_backend_get_state (backend);
  PGconn *conn;

  g_return_val_if_fail (g_task_is_valid (result, backend), FALSE);

  conn = g_task_propagate_pointer (G_TASK (result), error);
  if (conn == NULL)
    return FALSE;

  /* The lost session's retries, bulk rows and statements go with it. */
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  self->resetting = FALSE;
  self->refused = FALSE;
  self->copying = FALSE;
  if (self->bulk != NULL)
    g_string_truncate (self->bulk, 0);
  PQfinish (self->conn);
  self->conn = conn;
  g_hash_table_remove_all (self->statements);

  /* A list loading in a worker may still be reading the old URI. */
  if (self->retired_uris == NULL)
    self->retired_uris = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->retired_uris, self->uri);
  g_ptr_array_add (self->retired_uris, state->location);
  self->uri = g_strdup (g_task_get_task_data (G_TASK (result)));
  state->location = g_strdup (self->uri);

  if (self->notify_func != NULL && !start_following_again (self))
    {
      set_pg_error (error, self, NULL, _("Could not follow the other clients' changes"));
      return FALSE;
    }
  if (self->notify_func == NULL && state->read_only)
    PQclear (PQexec (self->conn, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"));
  return TRUE;
}

/* ------------------------------------------------------------------ GObject */

static void
coop_pg_backend_finalize (GObject *object)
{
  CoopPgBackend *self = COOP_PG_BACKEND (object);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    coop_sql_table_clear (&self->tables[i]);

  g_clear_handle_id (&self->socket_source, g_source_remove);
  g_clear_handle_id (&self->deliver_source, g_source_remove);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  g_queue_clear_full (&self->notified, g_free);
  if (self->bulk != NULL)
    g_string_free (self->bulk, TRUE);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_clear_pointer (&self->reserved[i], g_array_unref);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_clear_pointer (&self->sequence[i], g_free);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->retired_uris, g_ptr_array_unref);
  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->uri);
  g_free (self->server);

  G_OBJECT_CLASS (coop_pg_backend_parent_class)->finalize (object);
}

static void
coop_pg_backend_class_init (CoopPgBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CoopBackendClass *backend_class = COOP_BACKEND_CLASS (klass);

  object_class->finalize = coop_pg_backend_finalize;

  backend_class->begin = coop_pg_backend_begin;
  backend_class->begin_snapshot = coop_pg_backend_begin_snapshot;
  backend_class->commit = coop_pg_backend_commit;
  backend_class->rollback = coop_pg_backend_rollback;
  backend_class->savepoint = coop_pg_backend_savepoint;
  backend_class->release = coop_pg_backend_release;
  backend_class->rollback_to = coop_pg_backend_rollback_to;
  backend_class->read_one = coop_pg_backend_read_one;
  backend_class->read_range = coop_pg_backend_read_range;
  backend_class->load_lists = coop_pg_backend_load_lists;
  backend_class->read_related = coop_pg_backend_read_related;
  backend_class->find_dependents = coop_pg_backend_find_dependents;
  backend_class->count_blockers = coop_pg_backend_count_blockers;
  backend_class->find_duplicate = coop_pg_backend_find_duplicate;
  backend_class->read_agreement_owner = coop_pg_backend_read_agreement_owner;
  backend_class->insert = coop_pg_backend_insert;
  backend_class->update = coop_pg_backend_update;
  backend_class->remove = coop_pg_backend_remove;
  backend_class->change_id = coop_pg_backend_change_id;
  backend_class->delete_attendees = coop_pg_backend_delete_attendees;
  backend_class->log_change = coop_pg_backend_log_change;
  backend_class->log_changes = coop_pg_backend_log_changes;
  backend_class->list_changes = coop_pg_backend_list_changes;
  backend_class->count = coop_pg_backend_count;
  backend_class->check_integrity = coop_pg_backend_check_integrity;
  backend_class->dup_setting = coop_pg_backend_dup_setting;
  backend_class->insert_copy = coop_pg_backend_insert_copy;
  backend_class->insert_bulk = coop_pg_backend_insert_bulk;
  backend_class->read_change_log = coop_pg_backend_read_change_log;
  backend_class->clear = coop_pg_backend_clear;
  backend_class->finish_copy = coop_pg_backend_finish_copy;
  backend_class->notify = coop_pg_backend_notify;
  backend_class->follow = coop_pg_backend_follow;
  backend_class->write_attachment = coop_pg_backend_write_attachment;
  backend_class->read_attachment = coop_pg_backend_read_attachment;
  backend_class->reconnect_async = coop_pg_backend_reconnect_async;
  backend_class->reconnect_finish = coop_pg_backend_reconnect_finish;
}

static void
coop_pg_backend_init (CoopPgBackend *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    coop_sql_table_init (&self->tables[i], (CoopTable) i);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_pg_backend_is_uri:
 * @location: what --database names
 *
 * Returns: whether @location is a PostgreSQL connection URI
 *   (postgresql:// or postgres://) rather than a file
 */
gboolean
coop_pg_backend_is_uri (const char *location)
{
  return location != NULL &&
         (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"));
}

/**
 * coop_pg_backend_display:
 * @uri: a connection URI
 *
 * Returns: (transfer full): @uri without its password, for titles and
 *   messages
 */
char *
coop_pg_backend_display (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
                                        NULL);
  g_autoptr(GUri) shown = NULL;
  g_autoptr(GString) query = g_string_new (NULL);
  g_auto(GStrv) params = NULL;

  if (parsed == NULL)
    return g_strdup (uri);

  /* libpq takes a password in the user part or as ?password=… */
  if (g_uri_get_query (parsed) != NULL)
    params = g_strsplit (g_uri_get_query (parsed), "&", -1);
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    if (!g_str_has_prefix (params[i], "password="))
      g_string_append_printf (query, "%s%s", query->len > 0 ? "&" : "", params[i]);

  shown = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (parsed), g_uri_get_user (parsed),
                       g_uri_get_host (parsed), g_uri_get_port (parsed), g_uri_get_path (parsed),
                       query->len > 0 ? query->str : NULL, g_uri_get_fragment (parsed));
  return g_uri_to_string (shown);
}

/**
 * coop_pg_backend_open:
 * @uri: a libpq connection URI
 * @flags: #CoopStoreFlags
 * @error: return location for a #CoopError; %COOP_ERROR_CONNECTION when
 *   the server cannot be reached or refuses the user,
 *   %COOP_ERROR_AUTHENTICATION when it wants a password it was not given or
 *   refuses the one given
 *
 * Connects, checks that the database is empty or a Coopdesk ledger, and
 * brings its schema up to date.  A role that may not write opens the
 * ledger read-only (%COOP_READ_ONLY_ROLE).
 *
 * Returns: (transfer full) (nullable): the backend, or %NULL on error
 */
CoopBackend *
coop_pg_backend_open (const char      *uri,
                      CoopStoreFlags   flags,
                      GError         **error)
{
  g_autoptr(CoopPgBackend) self = NULL;
  CoopBackendState *state;
  gboolean read_only = (flags & COOP_STORE_OPEN_READ_ONLY) != 0;
  gboolean fall_back = (flags & COOP_STORE_OPEN_FALL_BACK_READ_ONLY) != 0;
  int version = 0;

  g_return_val_if_fail (coop_pg_backend_is_uri (uri), NULL);

  self = g_object_new (COOP_TYPE_PG_BACKEND, NULL);
  self->uri = g_strdup (uri);
  self->conn = connect_to (uri, error);
  if (self->conn == NULL)
    return NULL;
  self->server = describe_server (self->conn);

  state = coop_backend_get_state (COOP_BACKEND (self));
  state->location = g_strdup (uri);
  state->user = g_strdup (PQuser (self->conn));
  state->read_only = read_only;
  state->read_only_reason = read_only ? COOP_READ_ONLY_REQUESTED : COOP_READ_ONLY_NONE;

  if (!read_version (self, &version, error))
    return NULL;

  if (version > coop_store_schema_latest_version () && (read_only || fall_back))
    {
      state->read_only = TRUE;
      state->read_only_reason = COOP_READ_ONLY_NEWER_SCHEMA;
      state->schema_version = version;
    }
  else
    {
      gint64 may_write = 0;

      if (!migrate (self, read_only, &state->schema_version, error))
        return NULL;

      /* A manager's role may only read: say so rather than fail at the
       * first save. */
      if (!read_only &&
          query_int (self, "SELECT count(*) FROM pg_catalog.pg_tables t"
                           " WHERE t.schemaname = current_schema() AND t.tablename = 'partner'"
                           " AND has_table_privilege (format ('%I.%I', t.schemaname, t.tablename),"
                           "                          'INSERT')", &may_write, error) &&
          may_write == 0)
        {
          state->read_only = TRUE;
          state->read_only_reason = COOP_READ_ONLY_ROLE;
        }
      else if (error != NULL && *error != NULL)
        return NULL;
    }

  if (state->read_only &&
      !exec (self, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
             _("Could not open the database"), error))
    return NULL;

  return COOP_BACKEND (g_steal_pointer (&self));
}
