/* coop-backend.h — what the store asks of a kind of database
 *
 * The store keeps what is the same for every database: the lists and their
 * items-changed, validation, the change log's contents, undo and the
 * import's checks.  A backend holds the connection and every statement:
 * one subclass per kind of database, each in a file of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-store-private.h"

G_BEGIN_DECLS

#define COOP_TYPE_BACKEND (coop_backend_get_type ())

G_DECLARE_DERIVABLE_TYPE (CoopBackend, coop_backend, COOP, BACKEND, GObject)

/* Called from the main loop with what another client's write touched, as
 * coop_store.c wrote it for notify; with %NULL when the connection to the
 * server was lost, with "*" when it is back and every list must be read
 * again (what others wrote meanwhile was not heard), and with
 * %COOP_BACKEND_PASSWORD_REFUSED when the server refused the password as
 * the backend reconnected: it stops trying until reconnect is called with
 * another.  Other clients' payloads never start with "!". */
typedef void (*CoopBackendNotifyFunc) (const char *payload,
                                       gpointer    user_data);

/* Given each piece of an attachment's content in turn; returning %FALSE
 * with @error stops the reading. */
typedef gboolean (*CoopBackendChunkFunc) (const guint8  *data,
                                          gsize          size,
                                          gpointer       user_data,
                                          GError       **error);

#define COOP_BACKEND_PASSWORD_REFUSED "!password-refused"

/**
 * CoopBackendClass:
 * @begin: starts the outermost transaction, taking the write lock at once
 * @begin_snapshot: starts a transaction that only reads, and reads one
 *   moment of the database however others write meanwhile; end it with
 *   @rollback
 * @commit: commits it
 * @rollback: undoes it; does nothing outside a transaction
 * @savepoint: starts a nested write inside the transaction
 * @release: ends the nested write, keeping it
 * @rollback_to: undoes the nested write and ends it
 * @read_one: one row with its derived fields (and an event's attendees);
 *   %NULL without error when there is no such row
 * @read_range: the rows whose ids lie in [first, last], ordered by id
 * @load_lists: fills @rows[table] for every listed table from one moment
 *   of the database, without their derived fields (CoopSqlTable.list_sql;
 *   the store fills them); runs in a worker thread, on connections of its
 *   own
 * @read_related: the rows whose @field (a reference, possibly derived)
 *   is @id, ordered by id
 * @find_dependents: appends to @ids the rows of @dependency's dependent
 *   table that show values of the row @id
 * @count_blockers: how many rows of @blocker keep the row @id
 * @find_duplicate: the title of another row that has @record's unique
 *   value, or %NULL in @other
 * @read_agreement_owner: an agreement's partner (0 for no such agreement),
 *   the agreement's title and the partner's name
 * @insert: adds a row, giving @record its new id; %COOP_ERROR_DUPLICATE
 *   for a unique value taken, %COOP_ERROR_CONSTRAINT for another refusal
 * @update: writes every stored field of the row @record's id, if the row
 *   still has @record's revision (else %COOP_ERROR_CONFLICT)
 * @remove: deletes a row (and what cascades from it) if it still has
 *   @revision (else %COOP_ERROR_CONFLICT)
 * @change_id: gives a row another id
 * @delete_attendees: deletes an event's attendees
 * @log_change: appends a line to the change log
 * @log_changes: appends the lines @entries to the change log, in their
 *   order, as many calls of @log_change would, for a copy of a ledger; by
 *   default it calls @log_change for each
 * @list_changes: one record's lines of the change log, oldest first
 * @count: the number of rows of every table
 * @check_integrity: the database's own checks, %FALSE with a report of
 *   what they found
 * @dup_setting: a connection setting as text, for diagnostics
 * @insert_copy: adds a row under @record's own id, for a copy of a ledger
 * @insert_bulk: (nullable): adds a row as insert (id 0: a new id, given to
 *   @record at once) or insert_copy does, for many rows in a row: the row
 *   may reach the database only with the next statement, and a refusal is
 *   reported then
 * @read_change_log: every line of the change log, oldest first
 * @clear: deletes every row of every table and the change log
 * @finish_copy: (nullable): after rows were added under their own ids,
 *   makes new rows get ids after them
 * @notify: (nullable): tells the other clients what the transaction under
 *   way touched, when it commits; %NULL for a database only one program
 *   writes
 * @follow: (nullable): from now on, calls @func from the main loop with
 *   what other clients' committed writes touched
 * @write_attachment: stores @content as the content of the attachment row
 *   @id, which the transaction under way has written
 * @read_attachment: gives @func the content of the attachment row @id in
 *   pieces of at most a megabyte, never all of it at once;
 *   %COOP_ERROR_NOT_FOUND when there is no such row, %COOP_ERROR_CORRUPT
 *   when it has no content
 * @reconnect_async: (nullable): connects again with @uri (another
 *   password) in a worker thread, after the connection was lost
 * @reconnect_finish: on the main thread, puts the new connection in place
 *   of the lost one, which then follows as before and has every list read
 *   again (a "*" for @follow's function); %COOP_ERROR_AUTHENTICATION when
 *   the server refuses @uri's password too
 * @wait_checked: (nullable): waits for the check of the database that
 *   runs beside the load (%COOP_STORE_OPEN_CHECK_BESIDE) and returns its
 *   outcome, %COOP_ERROR_CORRUPT for a damaged file; may be called from
 *   any thread, any number of times
 *
 * Errors are #CoopError codes; a backend words the ones its database
 * gives in terms a secretary understands.
 */
struct _CoopBackendClass
{
  GObjectClass parent_class;

  gboolean     (*begin)                (CoopBackend      *self,
                                        GError          **error);
  gboolean     (*begin_snapshot)       (CoopBackend      *self,
                                        GError          **error);
  gboolean     (*commit)               (CoopBackend      *self,
                                        GError          **error);
  void         (*rollback)             (CoopBackend      *self);
  gboolean     (*savepoint)            (CoopBackend      *self,
                                        GError          **error);
  gboolean     (*release)              (CoopBackend      *self,
                                        GError          **error);
  void         (*rollback_to)          (CoopBackend      *self);

  CoopRecord  *(*read_one)             (CoopBackend      *self,
                                        CoopTable         table,
                                        gint64            id,
                                        GError          **error);
  GPtrArray   *(*read_range)           (CoopBackend      *self,
                                        CoopTable         table,
                                        gint64            first,
                                        gint64            last,
                                        GCancellable     *cancellable,
                                        GError          **error);
  gboolean     (*load_lists)           (CoopBackend      *self,
                                        GPtrArray       **rows,
                                        GCancellable     *cancellable,
                                        GError          **error);
  GPtrArray   *(*read_related)         (CoopBackend      *self,
                                        CoopTable         table,
                                        const CoopField  *field,
                                        gint64            id,
                                        GError          **error);
  gboolean     (*find_dependents)      (CoopBackend      *self,
                                        guint             dependency,
                                        gint64            id,
                                        GArray           *ids,
                                        GError          **error);
  gboolean     (*count_blockers)       (CoopBackend      *self,
                                        guint             blocker,
                                        gint64            id,
                                        gint64           *count,
                                        GError          **error);
  gboolean     (*find_duplicate)       (CoopBackend      *self,
                                        CoopTable         table,
                                        CoopRecord       *record,
                                        char            **other,
                                        GError          **error);
  gboolean     (*read_agreement_owner) (CoopBackend      *self,
                                        gint64            agreement_id,
                                        gint64           *partner_id,
                                        char            **title,
                                        char            **partner_name,
                                        GError          **error);

  gboolean     (*insert)               (CoopBackend      *self,
                                        CoopTable         table,
                                        CoopRecord       *record,
                                        GError          **error);
  gboolean     (*update)               (CoopBackend      *self,
                                        CoopTable         table,
                                        CoopRecord       *record,
                                        GError          **error);
  gboolean     (*remove)               (CoopBackend      *self,
                                        CoopTable         table,
                                        gint64            id,
                                        gint64            revision,
                                        GError          **error);
  gboolean     (*change_id)            (CoopBackend      *self,
                                        CoopTable         table,
                                        gint64            from,
                                        gint64            to,
                                        GError          **error);
  gboolean     (*delete_attendees)     (CoopBackend      *self,
                                        gint64            event_id,
                                        GError          **error);
  gboolean     (*log_change)           (CoopBackend      *self,
                                        const CoopChangeEntry *entry,
                                        GError          **error);
  gboolean     (*log_changes)          (CoopBackend      *self,
                                        GPtrArray        *entries,
                                        GError          **error);
  GPtrArray   *(*list_changes)         (CoopBackend      *self,
                                        CoopTable         table,
                                        gint64            id,
                                        GError          **error);
  gboolean     (*count)                (CoopBackend      *self,
                                        CoopStoreCounts  *counts,
                                        GError          **error);
  gboolean     (*check_integrity)      (CoopBackend      *self,
                                        char            **report,
                                        GError          **error);
  char        *(*dup_setting)          (CoopBackend      *self,
                                        const char       *name);
  gboolean     (*insert_copy)          (CoopBackend      *self,
                                        CoopTable         table,
                                        CoopRecord       *record,
                                        GError          **error);
  gboolean     (*insert_bulk)          (CoopBackend      *self,
                                        CoopTable         table,
                                        CoopRecord       *record,
                                        GError          **error);
  GPtrArray   *(*read_change_log)      (CoopBackend      *self,
                                        GError          **error);
  gboolean     (*clear)                (CoopBackend      *self,
                                        GError          **error);
  gboolean     (*finish_copy)          (CoopBackend      *self,
                                        GError          **error);
  gboolean     (*notify)               (CoopBackend      *self,
                                        const char       *payload,
                                        GError          **error);
  void         (*follow)               (CoopBackend      *self,
                                        CoopBackendNotifyFunc func,
                                        gpointer          user_data);
  gboolean     (*write_attachment)     (CoopBackend      *self,
                                        gint64            id,
                                        GBytes           *content,
                                        GError          **error);
  gboolean     (*read_attachment)      (CoopBackend      *self,
                                        gint64            id,
                                        CoopBackendChunkFunc func,
                                        gpointer          user_data,
                                        GCancellable     *cancellable,
                                        GError          **error);
  void         (*reconnect_async)      (CoopBackend      *self,
                                        const char       *uri,
                                        GCancellable     *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer          user_data);
  gboolean     (*reconnect_finish)     (CoopBackend      *self,
                                        GAsyncResult     *result,
                                        GError          **error);
  gboolean     (*wait_checked)         (CoopBackend      *self,
                                        GError          **error);
};

/* The pieces read_attachment gives. */
#define COOP_BACKEND_CHUNK_SIZE (1024 * 1024)

/**
 * CoopBackendState:
 *
 * What the store tells its callers about the database it has open.
 */
typedef struct
{
  char               *location;         /* the file's path */
  gboolean            read_only;
  CoopReadOnlyReason  read_only_reason;
  gboolean            network_fs;
  int                 schema_version;
  char               *user;             /* who the change log names */
} CoopBackendState;

CoopBackendState *coop_backend_get_state (CoopBackend *self);
gboolean          coop_backend_wait_checked (CoopBackend  *self,
                                             GError      **error);

G_END_DECLS
