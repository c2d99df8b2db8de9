/* coop-store.h — the database, its migrations and its list models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_STORE (coop_store_get_type ())

G_DECLARE_FINAL_TYPE (CoopStore, coop_store, COOP, STORE, GObject)

typedef enum {
  COOP_STORE_OPEN_DEFAULT   = 0,
  COOP_STORE_OPEN_READ_ONLY = 1 << 0, /* never write, not even a migration */
  /* open a file of a newer Coopdesk, or one that cannot be written, read-only
   * instead of failing; coop_store_get_read_only_reason() says which */
  COOP_STORE_OPEN_FALL_BACK_READ_ONLY = 1 << 1,
  /* a file's quick check runs on a connection of its own beside whatever
   * follows the opening, and the first write waits for it; see
   * coop_store_wait_checked_async() */
  COOP_STORE_OPEN_CHECK_BESIDE = 1 << 2,
} CoopStoreFlags;

/**
 * CoopReadOnlyReason:
 * @COOP_READ_ONLY_NONE: the store can be written
 * @COOP_READ_ONLY_REQUESTED: the caller asked for read-only
 * @COOP_READ_ONLY_NEWER_SCHEMA: the file was written by a newer Coopdesk
 * @COOP_READ_ONLY_NOT_WRITABLE: the file or its folder cannot be written
 * @COOP_READ_ONLY_ROLE: the user's role on the database server may only read
 *
 * Why a store is read-only, for the banner that says so.
 */
typedef enum {
  COOP_READ_ONLY_NONE,
  COOP_READ_ONLY_REQUESTED,
  COOP_READ_ONLY_NEWER_SCHEMA,
  COOP_READ_ONLY_NOT_WRITABLE,
  COOP_READ_ONLY_ROLE,
} CoopReadOnlyReason;

/**
 * CoopChangeEntry:
 * @at: when, "YYYY-MM-DD HH:MM:SS" local time
 * @record_type: the type name of the record, "partner"
 * @record_id: its id; 0 for an import, whose @changes name the ids
 * @action: what happened to it
 * @changed_by: who made it: the database role on a server, the login name
 *   for a file; %NULL for changes made before Coopdesk recorded it
 * @changes: a JSON object: for an update each changed field's [old, new],
 *   for an insert or delete every field's value, for an import what
 *   coop_store_import_commit() describes
 *
 * One line of the change log.
 */
typedef struct {
  char             *at;
  char             *record_type;
  gint64            record_id;
  CoopChangeAction  action;
  char             *changes;
  char             *changed_by;
} CoopChangeEntry;

void       coop_change_entry_free        (CoopChangeEntry       *entry);
GPtrArray *coop_change_entry_list_fields (const CoopChangeEntry *entry);
char      *coop_change_entry_dup_source  (const CoopChangeEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopChangeEntry, coop_change_entry_free)

/**
 * CoopStoreCounts:
 *
 * How many records of each kind a database holds.
 */
typedef struct {
  gint64 departments;
  gint64 partners;
  gint64 contacts;
  gint64 agreements;
  gint64 events;
  gint64 attendees;
  gint64 students;
  gint64 pools;
  gint64 candidates;
  gint64 stage_changes;
  gint64 attachments;
  gint64 changes;
} CoopStoreCounts;

gboolean     coop_store_location_is_server      (const char       *location);
char        *coop_store_normalize_location      (const char       *location);
GType        coop_store_record_type_from_name   (const char       *name);
char        *coop_store_describe_location       (const char       *location);
CoopStore   *coop_store_open                    (const char       *path,
                                                 CoopStoreFlags    flags,
                                                 GError          **error);
const char  *coop_store_get_path                (CoopStore        *self);
gboolean     coop_store_get_read_only           (CoopStore        *self);
CoopReadOnlyReason coop_store_get_read_only_reason (CoopStore      *self);
gboolean     coop_store_get_network_file_system (CoopStore        *self);
gboolean     coop_store_get_shared              (CoopStore        *self);
void         coop_store_follow_others           (CoopStore        *self);
gboolean     coop_store_get_connected           (CoopStore        *self);
gboolean     coop_store_get_password_refused    (CoopStore        *self);
void         coop_store_reconnect_async         (CoopStore        *self,
                                                 const char       *uri,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gboolean     coop_store_reconnect_finish        (CoopStore        *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
char        *coop_store_dup_display_name        (CoopStore        *self);
int          coop_store_get_schema_version      (CoopStore        *self);
int          coop_store_get_latest_schema_version (void);
char        *coop_store_dup_pragma              (CoopStore        *self,
                                                 const char       *name);

GListModel  *coop_store_get_list                (CoopStore        *self,
                                                 GType             record_type);
gboolean     coop_store_get_loaded              (CoopStore        *self,
                                                 GType             record_type);
gboolean     coop_store_load                    (CoopStore        *self,
                                                 GType             record_type,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
GPtrArray   *coop_store_read_all                (CoopStore        *self,
                                                 GType             record_type,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
gboolean     coop_store_load_all                (CoopStore        *self,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
void         coop_store_load_all_async          (CoopStore        *self,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gboolean     coop_store_load_all_finish         (CoopStore        *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
void         coop_store_wait_checked_async      (CoopStore        *self,
                                                 GCancellable     *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer          user_data);
gboolean     coop_store_wait_checked_finish     (CoopStore        *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);

CoopRecord  *coop_store_find                    (CoopStore        *self,
                                                 GType             record_type,
                                                 gint64            id);
CoopRecord  *coop_store_read                    (CoopStore        *self,
                                                 GType             record_type,
                                                 gint64            id,
                                                 GError          **error);
GListModel  *coop_store_list_related            (CoopStore        *self,
                                                 GType             record_type,
                                                 const char       *ref_field,
                                                 gint64            id,
                                                 GError          **error);
GListModel  *coop_store_list_stage_history      (CoopStore        *self,
                                                 gint64            candidate_id,
                                                 GError          **error);
GPtrArray   *coop_store_list_changes            (CoopStore        *self,
                                                 GType             record_type,
                                                 gint64            record_id,
                                                 GError          **error);
gboolean     coop_store_count                   (CoopStore        *self,
                                                 CoopStoreCounts  *counts,
                                                 GError          **error);
gboolean     coop_store_check_integrity         (CoopStore        *self,
                                                 char            **report,
                                                 GError          **error);

gboolean     coop_store_begin                   (CoopStore        *self,
                                                 GError          **error);
gboolean     coop_store_commit                  (CoopStore        *self,
                                                 GError          **error);
void         coop_store_rollback                (CoopStore        *self);
gboolean     coop_store_save                    (CoopStore        *self,
                                                 CoopRecord       *record,
                                                 GError          **error);
gboolean     coop_store_delete                  (CoopStore        *self,
                                                 CoopRecord       *record,
                                                 GError          **error);
gboolean     coop_store_restore                 (CoopStore        *self,
                                                 CoopRecord       *record,
                                                 GError          **error);

gboolean     coop_store_attach                  (CoopStore        *self,
                                                 CoopAttachment   *attachment,
                                                 GBytes           *content,
                                                 GError          **error);
gboolean     coop_store_write_attachment        (CoopStore        *self,
                                                 CoopAttachment   *attachment,
                                                 GOutputStream    *out,
                                                 GCancellable     *cancellable,
                                                 GError          **error);
GBytes      *coop_store_read_attachment         (CoopStore        *self,
                                                 CoopAttachment   *attachment,
                                                 GError          **error);

gboolean     coop_store_copy                    (CoopStore        *source,
                                                 CoopStore        *target,
                                                 gboolean          replace,
                                                 GError          **error);

gboolean     coop_store_import_begin            (CoopStore        *self,
                                                 GType             record_type,
                                                 const char       *source,
                                                 GError          **error);
gboolean     coop_store_import_save             (CoopStore        *self,
                                                 CoopRecord       *record,
                                                 GError          **error);
gboolean     coop_store_import_commit           (CoopStore        *self,
                                                 GError          **error);
void         coop_store_import_rollback         (CoopStore        *self);

G_END_DECLS
