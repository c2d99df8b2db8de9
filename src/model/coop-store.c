/* coop-store.c — the database, its transactions and its list models
 *
 * The store keeps, for each kind of record, a list ordered by id
 * (coop-record-list.c); every statement is its backend's
 * (coop-sqlite-backend.c for a file).  A write is validated here, then run
 * as one transaction, and only once it is committed are the rows it
 * touched (and the rows that show values of them, such as a partner's name
 * on its agreements) read back and put into the lists, each with an exact
 * items-changed.  A rolled back write leaves the lists as they were.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-attachment.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-department.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pg-backend.h"
#include "coop-pool.h"
#include "coop-record-list.h"
#include "coop-record-private.h"
#include "coop-sqlite-backend.h"
#include "coop-stage-change.h"
#include "coop-student.h"

#define BACKEND(self) COOP_BACKEND_GET_CLASS ((self)->backend)

/* An import under way: see coop_store_import_begin(). */
typedef struct
{
  CoopTable         table;
  char             *source;
  guint             n_added;
  guint             n_updated;
  GArray           *added;        /* gint64 pairs: the first and last id of each run */
  GString          *updates;      /* "\"id\": {changes}" for each updated record */
} ImportState;

typedef struct
{
  CoopRecordList   *list;
  gboolean          loaded;
  GHashTable       *pending;      /* ids to read back after the commit */
  GPtrArray        *stored;       /* the CoopFields the change log describes */
} TableState;

struct _CoopStore
{
  GObject     parent_instance;

  CoopBackend *backend;
  CoopBackendState *state;        /* the backend's */
  int         depth;              /* nesting of coop_store_begin() */
  guint       n_savepoints;
  guint64     generation;         /* counts committed writes */
  /* On a database others write too: every row the transaction under way
   * touched, in every table, for the other clients to read back. */
  gboolean    notifies;
  gboolean    disconnected;
  gboolean    password_refused;
  GHashTable *touched[COOP_N_TABLES];
  GTimeZone  *local_zone;
  ImportState *import;
  TableState  tables[COOP_N_TABLES];
};

G_DEFINE_FINAL_TYPE (CoopStore, coop_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTED,
  PROP_PASSWORD_REFUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ helpers */

static CoopTable
table_for_type (GType type)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    if (coop_tables[i].get_type () == type)
      return (CoopTable) i;

  return COOP_N_TABLES;
}

static void
table_state_init (TableState *state,
                  CoopTable   table)
{
  const CoopTableInfo *info = &coop_tables[table];
  g_autoptr(GTypeClass) klass = g_type_class_ref (info->get_type ());
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_CLASS (klass), &n_fields);

  state->list = coop_record_list_new (info->get_type ());
  state->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  state->stored = g_ptr_array_new ();

  for (guint i = 0; i < n_fields; i++)
    if (!(fields[i].flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN)))
      g_ptr_array_add (state->stored, (gpointer) &fields[i]);
}

static void
table_state_clear (TableState *state)
{
  g_clear_object (&state->list);
  g_clear_pointer (&state->pending, g_hash_table_unref);
  g_clear_pointer (&state->stored, g_ptr_array_unref);
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
  g_autofree char *at = now_text (self, "%Y-%m-%d %H:%M:%S");
  CoopChangeEntry entry = {
    .at = at,
    .record_type = (char *) coop_tables[table].name,
    .record_id = id,
    .action = action,
    .changes = (char *) changes,
    .changed_by = self->state->user,
  };

  return BACKEND (self)->log_change (self->backend, &entry, error);
}

static CoopRecord *
read_one (CoopStore  *self,
          CoopTable   table,
          gint64      id,
          GError    **error)
{
  return BACKEND (self)->read_one (self->backend, table, id, error);
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
          coop_record_list_splice (state->list, g_list_model_get_n_items (list), 0,
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
          coop_record_list_splice (state->list, position, 1, (gpointer *) &current, 1);
        }
      else if (row != NULL)
        coop_record_list_splice (state->list, position, 0, (gpointer *) &row, 1);
      else if (present)
        coop_record_list_splice (state->list, position, 1, NULL, 0);
    }

  if (appended->len > 0)
    coop_record_list_splice (state->list, g_list_model_get_n_items (list), 0,
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
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < coop_n_dependencies; i++)
    {
      const CoopDependency *dep = &coop_dependencies[i];

      /* Other clients may show any list. */
      if (dep->changed != table || (!self->tables[dep->dependent].loaded && !self->notifies))
        continue;

      g_array_set_size (ids, 0);
      if (!BACKEND (self)->find_dependents (self->backend, i, id, ids, error))
        return FALSE;
      for (guint j = 0; j < ids->len; j++)
        add_pending (pending[dep->dependent], g_array_index (ids, gint64, j));
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
  g_autofree char *other = NULL;

  if (!BACKEND (self)->find_duplicate (self->backend, table, record, &other, error))
    return FALSE;
  if (other == NULL)
    return TRUE;

  if (table == COOP_TABLE_PARTNER)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("A partner named “%s” already exists."), other);
  else if (table == COOP_TABLE_STUDENT)
    g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                 _("Student number %s is already used by %s."),
                 coop_student_get_number (COOP_STUDENT (record)), other);
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
  gint64 agreement_id = 0, partner_id = 0, owner = 0;
  g_autofree char *agreement_title = NULL;
  g_autofree char *owner_name = NULL;

  if (!COOP_IS_EVENT (record) && !COOP_IS_POOL (record))
    return TRUE;
  g_assert (g_object_class_find_property (klass, "agreement-id") != NULL);

  g_object_get (record, "agreement-id", &agreement_id, "partner-id", &partner_id, NULL);
  if (agreement_id == 0)
    return TRUE;

  if (!BACKEND (self)->read_agreement_owner (self->backend, agreement_id, &owner,
                                             &agreement_title, &owner_name, error))
    return FALSE;
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
      if (!BACKEND (self)->count_blockers (self->backend, i, coop_record_get_id (record), &count,
                                           error))
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
  if (self->state->read_only)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                   _("The database is open read-only; nothing can be changed."));
      return FALSE;
    }

  if (self->depth == 0)
    return BACKEND (self)->begin (self->backend, error);

  self->n_savepoints++;
  if (!BACKEND (self)->savepoint (self->backend, error))
    {
      self->n_savepoints--;
      return FALSE;
    }
  return TRUE;
}

static void
touch_all (CoopStore   *self,
           GHashTable **pending)
{
  if (!self->notifies)
    return;

  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, pending[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        add_pending (self->touched[i], *(gint64 *) key);
    }
}

static void
clear_touched (CoopStore *self)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_hash_table_remove_all (self->touched[i]);
}

/* Appends "first-last" or "id" for each run of consecutive ids. */
static void
append_runs (GString      *payload,
             const gint64 *ids,
             guint         n)
{
  for (guint i = 0; i < n; )
    {
      guint j = i;

      while (j + 1 < n && ids[j + 1] == ids[j] + 1)
        j++;
      if (payload->str[payload->len - 1] != ':')
        g_string_append_c (payload, ',');
      if (j > i)
        g_string_append_printf (payload, "%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, ids[i], ids[j]);
      else
        g_string_append_printf (payload, "%" G_GINT64_FORMAT, ids[i]);
      i = j + 1;
    }
}

/* A notification's payload: "partner:5;agreement:7,9-12" — the rows
 * touched, by table.  A server takes at most 8000 bytes: a table whose ids
 * do not fit is named as "student:*", to be read again whole. */
#define MAX_PAYLOAD 7800

static char *
describe_touched (CoopStore *self,
                  GArray    *import_runs,
                  CoopTable  import_table)
{
  GString *payload = g_string_new (NULL);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      GHashTableIter iter;
      gpointer key;
      gsize start = payload->len;

      g_hash_table_iter_init (&iter, self->touched[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_array_append_val (ids, *(gint64 *) key);
      if (import_runs != NULL && (CoopTable) i == import_table)
        for (guint r = 0; r < import_runs->len; r += 2)
          for (gint64 id = g_array_index (import_runs, gint64, r);
               id <= g_array_index (import_runs, gint64, r + 1); id++)
            g_array_append_val (ids, id);
      if (ids->len == 0)
        continue;
      g_array_sort (ids, compare_ids);

      g_string_append_printf (payload, "%s%s:", payload->len > 0 ? ";" : "", coop_tables[i].name);
      append_runs (payload, (const gint64 *) (gpointer) ids->data, ids->len);
      if (payload->len > MAX_PAYLOAD / 2)
        {
          g_string_truncate (payload, start);
          g_string_append_printf (payload, "%s%s:*", start > 0 ? ";" : "", coop_tables[i].name);
        }
    }

  return g_string_free (payload, FALSE);
}

/* Tells the other clients, inside the transaction about to commit, what
 * it touched. */
static gboolean
send_touched (CoopStore   *self,
              GArray      *import_runs,
              CoopTable    import_table,
              GError     **error)
{
  g_autofree char *payload = NULL;

  if (!self->notifies)
    return TRUE;

  payload = describe_touched (self, import_runs, import_table);
  clear_touched (self);
  if (*payload == '\0')
    return TRUE;
  return BACKEND (self)->notify (self->backend, payload, error);
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
          BACKEND (self)->rollback_to (self->backend);
          return FALSE;
        }
      if (!BACKEND (self)->release (self->backend, error))
        return FALSE;
      touch_all (self, pending);
    }
  else
    {
      if (ok)
        touch_all (self, pending);
      if (ok && (!send_touched (self, NULL, COOP_N_TABLES, error) ||
                 !BACKEND (self)->commit (self->backend, error)))
        ok = FALSE;
      if (!ok)
        {
          BACKEND (self)->rollback (self->backend);
          clear_touched (self);
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

/* A record saved or deleted from a copy must still be the revision the
 * copy was made of; a copy that never was read (revision 0) takes the
 * stored one.  The backend's write checks the revision again, for a
 * server where another client may write between the two. */
static gboolean
check_revision (CoopStore   *self,
                CoopTable    table,
                CoopRecord  *record,
                CoopRecord  *stored,
                GError     **error)
{
  g_autoptr(GPtrArray) log = NULL;
  const CoopChangeEntry *last = NULL;

  if (coop_record_get_revision (record) == 0)
    coop_record_set_revision (record, coop_record_get_revision (stored));
  if (coop_record_get_revision (record) == coop_record_get_revision (stored))
    return TRUE;

  log = BACKEND (self)->list_changes (self->backend, table, coop_record_get_id (record), NULL);
  if (log != NULL && log->len > 0)
    last = g_ptr_array_index (log, log->len - 1);

  if (last != NULL && last->changed_by != NULL)
    g_set_error (error, COOP_ERROR, COOP_ERROR_CONFLICT,
                 _("“%s” was changed by %s at %s, after you opened it; your changes were not "
                   "saved. Your text is still here: compare it with theirs and save again."),
                 coop_record_get_title (stored), last->changed_by, last->at);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_CONFLICT,
                 _("“%s” was changed by somebody else after you opened it; your changes were "
                   "not saved. Your text is still here: compare it with theirs and save again."),
                 coop_record_get_title (stored));
  return FALSE;
}

/* A refusal of the database reads the same whatever it was: a unique value
 * was checked before the write. */
static gboolean
reword_refusal (GError     **error,
                const char  *doing)
{
  if (error != NULL && *error != NULL &&
      ((*error)->code == COOP_ERROR_DUPLICATE || (*error)->code == COOP_ERROR_CONSTRAINT) &&
      (*error)->domain == COOP_ERROR)
    {
      g_clear_error (error);
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                   _("%s: a record it refers to does not exist, or another record still "
                     "refers to it."), doing);
    }
  return FALSE;
}

static gboolean
insert_row (CoopStore   *self,
            CoopTable    table,
            CoopRecord  *record,
            GError     **error)
{
  if (!BACKEND (self)->insert (self->backend, table, record, error))
    return reword_refusal (error, _("Could not save the record"));
  coop_record_set_revision (record, 1);
  return TRUE;
}

static gboolean
save_attendees (CoopStore   *self,
                CoopEvent   *event,
                GError     **error)
{
  GListModel *attendees = coop_event_get_attendees (event);
  gint64 event_id = coop_record_get_id (COOP_RECORD (event));

  if (!BACKEND (self)->delete_attendees (self->backend, event_id, error))
    return reword_refusal (error, _("Could not save the attendees"));

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

/* ------------------------------------------------------------------ loading */

typedef struct
{
  GPtrArray *rows[COOP_N_TABLES];
  guint64    generation;
} LoadData;

static void
load_data_free (LoadData *data)
{
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
  coop_record_list_replace (state->list, rows);
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

  if (BACKEND (self)->load_lists (self->backend, data->rows, cancellable, &error))
    {
      coop_derive_lists (data->rows);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------ overrides */

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
  g_clear_pointer (&self->local_zone, g_time_zone_unref);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_clear_pointer (&self->touched[i], g_hash_table_unref);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (coop_store_parent_class)->finalize (object);
}

static void
coop_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CoopStore *self = COOP_STORE (object);

  switch (prop_id)
    {
    case PROP_CONNECTED:
      g_value_set_boolean (value, !self->disconnected);
      break;

    case PROP_PASSWORD_REFUSED:
      g_value_set_boolean (value, self->password_refused);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_store_class_init (CoopStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = coop_store_finalize;
  object_class->get_property = coop_store_get_property;

  /**
   * CoopStore:connected:
   *
   * Whether the database can be reached: %FALSE from the moment the
   * connection to a server is found lost until it is back, while saves
   * fail with %COOP_ERROR_CONNECTION and change nothing.  Always %TRUE for
   * a file.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CoopStore:password-refused:
   *
   * Whether the server refused the password when the store reconnected
   * after the connection was lost — it was changed meanwhile, or the
   * remembered one became wrong.  The store then stops trying, stays
   * disconnected, and goes on once coop_store_reconnect_async() is given
   * the new password.
   */
  properties[PROP_PASSWORD_REFUSED] =
    g_param_spec_boolean ("password-refused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
coop_store_init (CoopStore *self)
{
  self->local_zone = g_time_zone_new_local ();
  for (guint i = 0; i < COOP_N_TABLES; i++)
    self->touched[i] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < COOP_N_TABLES; i++)
    table_state_init (&self->tables[i], (CoopTable) i);
}

/* ------------------------------------------------------------------ public */

/* Reads a JSON string that starts at *p (on its quote) and moves past it. */
static char *
read_json_string (const char **p)
{
  GString *text = g_string_new (NULL);
  const char *q = *p + 1;

  for (; *q != '\0' && *q != '"'; q++)
    {
      if (*q != '\\' || q[1] == '\0')
        {
          g_string_append_c (text, *q);
          continue;
        }
      q++;
      switch (*q)
        {
        case 'n': g_string_append_c (text, '\n'); break;
        case 't': g_string_append_c (text, '\t'); break;
        case 'u':
          if (g_ascii_isxdigit (q[1]) && g_ascii_isxdigit (q[2]) && g_ascii_isxdigit (q[3]) &&
              g_ascii_isxdigit (q[4]))
            {
              g_string_append_unichar (text, (gunichar) g_ascii_strtoull (q + 1, NULL, 16) & 0xffff);
              q += 4;
            }
          break;
        default: g_string_append_c (text, *q); break;
        }
    }
  *p = *q == '"' ? q + 1 : q;
  return g_string_free (text, FALSE);
}

/* Calls @func for each key of the outermost JSON object of @json, with the
 * text after its colon; the change log writes its JSON itself, so this
 * reads only what describe_changes() and describe_import() write. */
static void
foreach_json_key (const char  *json,
                  void       (*func) (const char *key, const char *value, gpointer data),
                  gpointer     data)
{
  int depth = 0;

  for (const char *p = json; p != NULL && *p != '\0'; )
    {
      if (*p == '"')
        {
          g_autofree char *key = read_json_string (&p);

          while (*p == ' ')
            p++;
          if (depth == 1 && *p == ':')
            {
              p++;
              while (*p == ' ')
                p++;
              func (key, p, data);
            }
          continue;
        }
      if (*p == '{' || *p == '[')
        depth++;
      else if (*p == '}' || *p == ']')
        depth--;
      p++;
    }
}

static void
add_field_key (const char *key,
               const char *value,
               gpointer    data)
{
  g_ptr_array_add (data, g_strdup (key));
}

/**
 * coop_change_entry_list_fields:
 * @entry: a line of the change log
 *
 * Returns: (transfer full) (element-type utf8): the names of the fields an
 *   update changed, or that an insert or delete describes; none for an
 *   import
 */
GPtrArray *
coop_change_entry_list_fields (const CoopChangeEntry *entry)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (entry != NULL, fields);

  if (entry->action != COOP_CHANGE_IMPORT)
    foreach_json_key (entry->changes, add_field_key, fields);
  return fields;
}

static void
find_source (const char *key,
             const char *value,
             gpointer    data)
{
  char **source = data;

  if (*source == NULL && g_str_equal (key, "file") && *value == '"')
    *source = read_json_string (&value);
}

/**
 * coop_change_entry_dup_source:
 * @entry: a line of the change log
 *
 * Returns: (transfer full) (nullable): the file an import read
 */
char *
coop_change_entry_dup_source (const CoopChangeEntry *entry)
{
  char *source = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->action == COOP_CHANGE_IMPORT)
    foreach_json_key (entry->changes, find_source, &source);
  return source;
}

void
coop_change_entry_free (CoopChangeEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->at);
  g_free (entry->record_type);
  g_free (entry->changes);
  g_free (entry->changed_by);
  g_free (entry);
}

/**
 * coop_store_location_is_server:
 * @location: what --database names
 *
 * Returns: whether @location is a database server's connection URI
 *   (postgresql://…) rather than a file
 */
gboolean
coop_store_location_is_server (const char *location)
{
  return coop_pg_backend_is_uri (location);
}

/**
 * coop_store_record_type_from_name:
 * @name: a record type's name, as g_type_name() gives it ("CoopAgreement")
 *
 * What a notification's target names, in a process that may not have met
 * that type yet.
 *
 * Returns: the type of a record kept in a table of its own, or
 *   %G_TYPE_INVALID
 */
GType
coop_store_record_type_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      GType type = coop_tables[i].get_type ();

      if (g_str_equal (g_type_name (type), name))
        return type;
    }
  return G_TYPE_INVALID;
}

/**
 * coop_store_normalize_location:
 * @location: a file's path, relative or not, or a server's URI
 *
 * Returns: (transfer full): an absolute path for a file, the URI as it is
 */
char *
coop_store_normalize_location (const char *location)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (coop_store_location_is_server (location) || strstr (location, "://") != NULL)
    return g_strdup (location);
  return g_canonicalize_filename (location, NULL);
}

/**
 * coop_store_describe_location:
 * @location: a file's path or a server's URI
 *
 * Returns: (transfer full): @location as it may be shown or written down:
 *   a server's URI without its password
 */
char *
coop_store_describe_location (const char *location)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (coop_store_location_is_server (location))
    return coop_pg_backend_display (location);
  return g_strdup (location);
}

/**
 * coop_store_open:
 * @path: the database file, created (mode 0600) when it does not exist; or
 *   a shared database on a PostgreSQL server as a libpq connection URI,
 *   postgresql://[USER@]HOST[:PORT]/DATABASE[?…]
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
 * of them is changed.  With %COOP_STORE_OPEN_CHECK_BESIDE the quick check
 * that finds a damaged file runs in a thread beside whatever the caller
 * does next, unless the schema must be brought up to date first; until it
 * has passed nothing is written, and a write fails with
 * %COOP_ERROR_CORRUPT if it does not (see coop_store_wait_checked_async()).  On a network or FUSE file system WAL is not used and
 * coop_store_get_network_file_system() returns %TRUE.  A server that cannot
 * be reached, or refuses the user, fails with %COOP_ERROR_CONNECTION, one
 * that wants a password it was not given, or refuses the one given, with
 * %COOP_ERROR_AUTHENTICATION; a
 * role that may only read opens the ledger read-only (%COOP_READ_ONLY_ROLE).
 * An address of another kind (http://…) is refused, never taken for a file.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL on error
 */
CoopStore *
coop_store_open (const char      *path,
                 CoopStoreFlags   flags,
                 GError         **error)
{
  g_autoptr(CoopBackend) backend = NULL;
  CoopStore *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (coop_pg_backend_is_uri (path))
    backend = coop_pg_backend_open (path, flags, error);
  else if (strstr (path, "://") != NULL && g_uri_is_valid (path, G_URI_FLAGS_NONE, NULL))
    {
      g_autofree char *scheme = g_uri_parse_scheme (path);

      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                   _("“%s” is an address of a kind Coopdesk does not know (%s://): give a "
                     "file, or a shared database as postgresql://HOST/DATABASE."), path, scheme);
      return NULL;
    }
  else
    backend = coop_sqlite_backend_open (path, flags, error);
  if (backend == NULL)
    return NULL;

  self = g_object_new (COOP_TYPE_STORE, NULL);
  self->backend = g_steal_pointer (&backend);
  self->state = coop_backend_get_state (self->backend);
  self->notifies = BACKEND (self)->notify != NULL;
  return self;
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

  return self->state->read_only_reason;
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

  return self->state->network_fs;
}

/* Another client committed a write: read back the rows of the loaded
 * lists it names, as after a write of this store's own. */
static void
on_backend_notified_cb (const char *payload,
                        gpointer    user_data)
{
  CoopStore *self = user_data;
  g_auto(GStrv) parts = NULL;

  if (g_strcmp0 (payload, COOP_BACKEND_PASSWORD_REFUSED) == 0)
    {
      self->password_refused = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD_REFUSED]);
      return;
    }

  if (payload == NULL || g_strcmp0 (payload, "*") == 0)
    {
      self->disconnected = payload == NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
      if (payload != NULL && self->password_refused)
        {
          self->password_refused = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD_REFUSED]);
        }
      if (payload == NULL)
        return;

      /* Back: what others wrote meanwhile was not heard. */
      for (guint i = 0; i < COOP_N_TABLES; i++)
        if (self->tables[i].loaded)
          {
            g_autoptr(GError) error = NULL;
            if (!coop_store_load (self, coop_tables[i].get_type (), NULL, &error))
              g_warning ("Could not read the %s list again: %s", coop_tables[i].name,
                         error->message);
          }
      self->generation++;
      return;
    }

  parts = g_strsplit (payload, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) table_ids = g_strsplit (parts[i], ":", 2);
      CoopTable table = COOP_N_TABLES;

      for (guint t = 0; t < COOP_N_TABLES && table_ids[0] != NULL; t++)
        if (g_strcmp0 (coop_tables[t].name, table_ids[0]) == 0)
          table = (CoopTable) t;
      if (table == COOP_N_TABLES || table_ids[1] == NULL || !self->tables[table].loaded)
        continue;

      if (g_strcmp0 (table_ids[1], "*") == 0)
        {
          g_autoptr(GError) error = NULL;

          if (!coop_store_load (self, coop_tables[table].get_type (), NULL, &error))
            g_warning ("Could not read the %s list again: %s", coop_tables[table].name,
                       error->message);
          continue;
        }

      {
        g_auto(GStrv) runs = g_strsplit (table_ids[1], ",", -1);

        for (guint r = 0; runs[r] != NULL; r++)
          {
            char *dash = NULL;
            gint64 first = g_ascii_strtoll (runs[r], &dash, 10);
            gint64 last = dash != NULL && *dash == '-' ? g_ascii_strtoll (dash + 1, NULL, 10) : first;

            for (gint64 id = first; id <= last && id - first < 100000; id++)
              add_pending (self->tables[table].pending, id);
          }
      }
    }

  /* A load under way read from an earlier moment: its finish reads
   * again (see coop_store_load_all_finish()). */
  self->generation++;

  /* Inside a transaction of this store's own they wait for its end. */
  if (self->depth == 0)
    apply_all_pending (self);
}

/**
 * coop_store_follow_others:
 * @self: a #CoopStore
 *
 * On a database that other people write at the same time (a server), the
 * loaded lists follow their committed writes from now on, with exact
 * items-changed, read back from the main loop.  Does nothing for a file,
 * which one Coopdesk writes at a time.  Call it only for a store used on
 * the main thread.
 */
void
coop_store_follow_others (CoopStore *self)
{
  g_return_if_fail (COOP_IS_STORE (self));

  if (BACKEND (self)->follow != NULL)
    BACKEND (self)->follow (self->backend, on_backend_notified_cb, self);
}

gboolean
coop_store_get_connected (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  return !self->disconnected;
}

gboolean
coop_store_get_password_refused (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  return self->password_refused;
}

/**
 * coop_store_reconnect_async:
 * @self: a #CoopStore on a server
 * @uri: the server's URI as opened, with the new password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main thread once connected, or refused
 * @user_data: for @callback
 *
 * After #CoopStore:password-refused, connects again with @uri, in a
 * worker thread.  The store, its lists and whatever holds them stay as
 * they are; once back the lists are read again and follow again, and
 * #CoopStore:connected turns %TRUE.
 */
void
coop_store_reconnect_async (CoopStore           *self,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (COOP_IS_STORE (self));
  g_return_if_fail (BACKEND (self)->reconnect_async != NULL);
  g_return_if_fail (uri != NULL);

  BACKEND (self)->reconnect_async (self->backend, uri, cancellable, callback, user_data);
}

/**
 * coop_store_reconnect_finish:
 * @self: a #CoopStore
 * @result: the result given to the callback
 * @error: return location for a #CoopError: %COOP_ERROR_AUTHENTICATION
 *   when the server refuses this password too, %COOP_ERROR_CONNECTION when
 *   it cannot be reached
 *
 * Returns: whether the store is connected again; on failure nothing
 *   changed
 */
gboolean
coop_store_reconnect_finish (CoopStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  return BACKEND (self)->reconnect_finish (self->backend, result, error);
}

/**
 * coop_store_get_shared:
 * @self: a #CoopStore
 *
 * Returns: whether the ledger is on a database server rather than in a
 *   file: it has no lock file and no backups folder of its own
 */
gboolean
coop_store_get_shared (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);

  return COOP_IS_PG_BACKEND (self->backend);
}

/**
 * coop_store_dup_display_name:
 * @self: a #CoopStore
 *
 * Returns: (transfer full): the file's path, or the server's address
 *   without a password, for titles and messages
 */
char *
coop_store_dup_display_name (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  return coop_store_describe_location (self->state->location);
}

/**
 * coop_store_get_path:
 * @self: a #CoopStore
 *
 * Returns: what the store was opened with: a file's path or a server's
 *   connection URI
 */
const char *
coop_store_get_path (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  return self->state->location;
}

gboolean
coop_store_get_read_only (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), TRUE);

  return self->state->read_only;
}

int
coop_store_get_schema_version (CoopStore *self)
{
  g_return_val_if_fail (COOP_IS_STORE (self), 0);

  return self->state->schema_version;
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
  g_return_val_if_fail (COOP_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return BACKEND (self)->dup_setting (self->backend, name);
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

  rows = BACKEND (self)->read_range (self->backend, table, 0, G_MAXINT64, cancellable, error);
  if (rows == NULL)
    return FALSE;

  install_rows (self, table, rows);
  return TRUE;
}

/**
 * coop_store_read_all:
 * @self: a #CoopStore
 * @record_type: a listed record type, such as %COOP_TYPE_STUDENT, or
 *   %COOP_TYPE_STAGE_CHANGE for every candidate's history
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
  g_return_val_if_fail (table < COOP_N_TABLES &&
                        (coop_tables[table].listed || table == COOP_TABLE_STAGE_CHANGE), NULL);

  return BACKEND (self)->read_range (self->backend, table, 0, G_MAXINT64, cancellable, error);
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

static void
wait_checked_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CoopStore *self = source_object;
  GError *error = NULL;

  if (coop_backend_wait_checked (self->backend, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * coop_store_wait_checked_async:
 * @self: a #CoopStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the check is done
 * @user_data: for @callback
 *
 * Waits, in a worker thread, for the quick check of a file opened with
 * %COOP_STORE_OPEN_CHECK_BESIDE; any other store is done at once.
 */
void
coop_store_wait_checked_async (CoopStore           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (COOP_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, coop_store_wait_checked_async);
  g_task_run_in_thread (task, wait_checked_thread);
}

/**
 * coop_store_wait_checked_finish:
 * @self: a #CoopStore
 * @result: the result given to the callback
 * @error: return location for a #CoopError; %COOP_ERROR_CORRUPT when the
 *   file is damaged, which is then to be dealt with as coop_store_open()'s
 *   own error would be
 *
 * Returns: %TRUE when the database is sound
 */
gboolean
coop_store_wait_checked_finish (CoopStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  g_autoptr(GPtrArray) rows = NULL;
  GListStore *result;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES, NULL);

  klass = g_type_class_ref (record_type);
  field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), ref_field);
  g_return_val_if_fail (field != NULL && field->kind == COOP_FIELD_REF, NULL);

  rows = BACKEND (self)->read_related (self->backend, table, field, id, error);
  if (rows == NULL)
    return NULL;

  result = g_list_store_new (record_type);
  g_list_store_splice (result, 0, 0, rows->pdata, rows->len);
  return G_LIST_MODEL (result);
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
  CoopTable table;

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES, NULL);

  return BACKEND (self)->list_changes (self->backend, table, record_id, error);
}

gboolean
coop_store_count (CoopStore        *self,
                  CoopStoreCounts  *counts,
                  GError          **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  return BACKEND (self)->count (self->backend, counts, error);
}

static gboolean check_attachments (CoopStore  *self,
                                   GString    *problems,
                                   GError    **error);

/**
 * coop_store_check_integrity:
 * @self: a #CoopStore
 * @report: (out) (transfer full): what the checks found, one problem a line,
 *   or "ok"
 * @error: return location for a #CoopError
 *
 * Runs the database's own checks (SQLite's integrity_check and
 * foreign_key_check) and, when they pass, reads every attached file to
 * check it is the file that was attached.
 *
 * Returns: whether the file is sound; %FALSE with @error unset when the
 *   checks ran and found problems
 */
gboolean
coop_store_check_integrity (CoopStore  *self,
                            char      **report,
                            GError    **error)
{
  g_autoptr(GString) problems = NULL;
  gboolean sound;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  sound = BACKEND (self)->check_integrity (self->backend, report, error);
  if (!sound)
    return FALSE;

  /* A file whose pages are sound may still not hold what was attached. */
  problems = g_string_new (NULL);
  if (!check_attachments (self, problems, error))
    {
      g_clear_pointer (report, g_free);
      return FALSE;
    }
  if (problems->len == 0)
    return TRUE;
  g_free (*report);
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
      if (self->state->read_only)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                       _("The database is open read-only; nothing can be changed."));
          return FALSE;
        }
      if (!BACKEND (self)->begin (self->backend, error))
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

  if (!send_touched (self, NULL, COOP_N_TABLES, error) ||
      !BACKEND (self)->commit (self->backend, error))
    {
      BACKEND (self)->rollback (self->backend);
      clear_all_pending (self);
      clear_touched (self);
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
  BACKEND (self)->rollback (self->backend);
  clear_touched (self);
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
  /* A file is added with its content by coop_store_attach(). */
  g_return_val_if_fail (table != COOP_TABLE_ATTACHMENT || coop_record_get_id (record) != 0, FALSE);
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
      if (!check_revision (self, table, record, old, error))
        goto out;
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
      if (!collect_dependents (self, table, id, pending, error))
        goto out;

      if (!BACKEND (self)->update (self->backend, table, record, error))
        {
          reword_refusal (error, _("Could not save the record"));
          goto out;
        }
      coop_record_set_revision (record, coop_record_get_revision (record) + 1);
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

  if (!check_revision (self, table, record, old, error) ||
      !check_blockers (self, table, old, error) ||
      !collect_dependents (self, table, id, pending, error))
    goto out;

  if (!BACKEND (self)->remove (self->backend, table, id, coop_record_get_revision (old), error))
    {
      reword_refusal (error, _("Could not delete the record"));
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
  gint64 id;
  gboolean ok = FALSE;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (COOP_IS_RECORD (record), FALSE);

  table = table_for_type (G_OBJECT_TYPE (record));
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed, FALSE);
  /* An attachment comes back with its content: coop_store_attach(). */
  g_return_val_if_fail (table != COOP_TABLE_ATTACHMENT, FALSE);
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
      gint64 given = coop_record_get_id (record);

      coop_record_set_id (record, id);
      if (!BACKEND (self)->change_id (self->backend, table, given, id, error))
        {
          reword_refusal (error, _("Could not restore the record"));
          goto out;
        }
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

/* ------------------------------------------------------------------ attachments */

typedef struct
{
  GChecksum     *checksum;
  gsize          size;
  GOutputStream *out;            /* (nullable) where the content goes */
  GCancellable  *cancellable;
} ContentReader;

static gboolean
take_chunk (const guint8  *data,
            gsize          size,
            gpointer       user_data,
            GError       **error)
{
  ContentReader *reader = user_data;
  g_autoptr(GError) write_error = NULL;

  g_checksum_update (reader->checksum, data, (gssize) size);
  reader->size += size;
  if (reader->out == NULL ||
      g_output_stream_write_all (reader->out, data, size, NULL, reader->cancellable,
                                 &write_error))
    return TRUE;

  if (g_error_matches (write_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, COOP_ERROR, COOP_ERROR_CANCELLED, _("Cancelled."));
  else if (g_error_matches (write_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO,
                 _("Could not write the file: the disk is full."));
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not write the file: %s."),
                 write_error->message);
  return FALSE;
}

static gboolean
set_damaged (GError         **error,
             CoopAttachment  *attachment)
{
  g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
               _("“%s” is damaged: what the database holds is not the file that was attached."),
               coop_attachment_get_name (attachment));
  return FALSE;
}

/* Reads an attachment's content into @out, if given, and checks it is the
 * file that was attached: its size and SHA-256 as recorded. */
static gboolean
read_content (CoopStore       *self,
              CoopAttachment  *attachment,
              GOutputStream   *out,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  ContentReader reader = { checksum, 0, out, cancellable };
  g_autoptr(GError) read_error = NULL;

  if (!BACKEND (self)->read_attachment (self->backend, coop_record_get_id (COOP_RECORD (attachment)),
                                        take_chunk, &reader, cancellable, &read_error))
    {
      if (!g_error_matches (read_error, COOP_ERROR, COOP_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
    }
  else if (reader.size == (gsize) coop_attachment_get_size (attachment) &&
           g_strcmp0 (g_checksum_get_string (checksum),
                      coop_attachment_get_sha256 (attachment)) == 0)
    return TRUE;

  return set_damaged (error, attachment);
}

static gboolean
keep_chunk (const guint8  *data,
            gsize          size,
            gpointer       user_data,
            GError       **error)
{
  g_byte_array_append (user_data, data, (guint) size);
  return TRUE;
}

/* An attachment's content as the database holds it, damaged or not: its
 * SHA-256 ("" when it has none), and the content itself in @keep. */
static char *
read_raw (CoopStore   *self,
          gint64       id,
          GByteArray  *keep,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) bytes = keep != NULL ? g_byte_array_ref (keep) : g_byte_array_new ();

  if (BACKEND (self)->read_attachment (self->backend, id, keep_chunk, bytes, NULL, &local_error))
    return g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes->data, bytes->len);
  if (g_error_matches (local_error, COOP_ERROR, COOP_ERROR_CORRUPT))
    return g_strdup ("");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* What check_integrity adds for attachments: one line for each whose
 * content is missing or not the file attached. */
static gboolean
check_attachments (CoopStore  *self,
                   GString    *problems,
                   GError    **error)
{
  g_autoptr(GPtrArray) rows = BACKEND (self)->read_range (self->backend, COOP_TABLE_ATTACHMENT,
                                                          0, G_MAXINT64, NULL, error);

  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      CoopAttachment *attachment = g_ptr_array_index (rows, i);
      g_autoptr(GError) local_error = NULL;
      GType owner_type;
      gint64 owner = coop_attachment_get_owner_id (attachment, &owner_type);

      /* A file deleted since the list was read is no problem. */
      if (read_content (self, attachment, NULL, NULL, &local_error) ||
          g_error_matches (local_error, COOP_ERROR, COOP_ERROR_NOT_FOUND))
        continue;
      if (!g_error_matches (local_error, COOP_ERROR, COOP_ERROR_CORRUPT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             coop_record_get_id (COOP_RECORD (attachment)));
      g_autofree char *owner_id = g_strdup_printf ("%" G_GINT64_FORMAT, owner);

      g_string_append_printf (problems,
                              owner_type == COOP_TYPE_EVENT
                              /* Translators: the first %s is a file's name, then the ids of
                               * the attachment and of its event */
                              ? _("the attached file “%s” (attachment %s) of event %s is damaged: "
                                  "its content is missing or not the file that was attached\n")
                              /* Translators: the first %s is a file's name, then the ids of
                               * the attachment and of its agreement */
                              : _("the attached file “%s” (attachment %s) of agreement %s is "
                                  "damaged: its content is missing or not the file that was "
                                  "attached\n"),
                              coop_attachment_get_name (attachment), id, owner_id);
    }
  return TRUE;
}

/**
 * coop_store_attach:
 * @self: a #CoopStore
 * @attachment: a new attachment (id 0) with its owner (coop_attachment_set_owner()),
 *   its name and its kind; or one deleted before, with its id, to put back
 * @content: the file
 * @error: return location for a #CoopError
 *
 * Keeps @content in the database as a file of @attachment's agreement or
 * event, and logs it, in one transaction.  The store records its size, its
 * SHA-256, its content type when none is given, and when it was added.  A
 * file larger than %COOP_ATTACHMENT_MAX_SIZE is refused with
 * %COOP_ERROR_VALIDATION; an owner that no longer exists gives
 * %COOP_ERROR_CONSTRAINT.  Putting back a deleted attachment (undo) checks
 * that @content is the file it held.
 */
gboolean
coop_store_attach (CoopStore       *self,
                   CoopAttachment  *attachment,
                   GBytes          *content,
                   GError         **error)
{
  CoopRecord *record = (CoopRecord *) attachment;
  GHashTable *pending[COOP_N_TABLES];
  g_autofree char *changes = NULL;
  g_autofree char *digest = NULL;
  gint64 id, given_id, given_revision;
  gsize size;
  gboolean ok = FALSE;

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (COOP_IS_ATTACHMENT (attachment), FALSE);
  g_return_val_if_fail (content != NULL, FALSE);
  g_return_val_if_fail ((coop_attachment_get_agreement_id (attachment) != 0) !=
                        (coop_attachment_get_event_id (attachment) != 0), FALSE);

  id = given_id = coop_record_get_id (record);
  given_revision = coop_record_get_revision (record);
  size = g_bytes_get_size (content);
  if (size > COOP_ATTACHMENT_MAX_SIZE)
    {
      g_autofree char *message = coop_attachment_describe_too_large (
                                   coop_attachment_get_name (attachment), (goffset) size);

      g_set_error_literal (error, COOP_ERROR, COOP_ERROR_VALIDATION, message);
      return FALSE;
    }

  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  if (id != 0 && g_strcmp0 (digest, coop_attachment_get_sha256 (attachment)) != 0)
    return set_damaged (error, attachment);
  if (coop_attachment_get_content_type (attachment) == NULL)
    {
      g_autofree char *type = coop_attachment_guess_content_type (coop_attachment_get_name (attachment), content);
      coop_attachment_set_content_type (attachment, type);
    }
  {
    g_autofree char *added_at = id == 0 ? now_text (self, "%Y-%m-%d %H:%M")
                                        : g_strdup (coop_attachment_get_added_at (attachment));
    coop_attachment_set_content (attachment, (int) size, digest, added_at);
  }

  coop_record_normalize (record);
  if (!coop_record_validate (record, error))
    return FALSE;

  if (!write_begin (self, error))
    return FALSE;
  init_pending (pending);

  changes = describe_changes (&self->tables[COOP_TABLE_ATTACHMENT], NULL, record);
  if (!insert_row (self, COOP_TABLE_ATTACHMENT, record, error))
    goto out;
  /* A file put back takes its old id, unless a file added since has it:
   * nothing refers to an attachment by its id. */
  if (id != 0 && coop_record_get_id (record) != id)
    {
      gint64 given = coop_record_get_id (record);
      g_autoptr(GError) taken_error = NULL;
      g_autoptr(CoopRecord) taken = read_one (self, COOP_TABLE_ATTACHMENT, id, &taken_error);

      if (taken_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&taken_error));
          goto out;
        }
      if (taken == NULL)
        {
          coop_record_set_id (record, id);
          if (!BACKEND (self)->change_id (self->backend, COOP_TABLE_ATTACHMENT, given, id, error))
            {
              reword_refusal (error, _("Could not restore the record"));
              goto out;
            }
        }
    }
  id = coop_record_get_id (record);

  if (!BACKEND (self)->write_attachment (self->backend, id, content, error) ||
      !log_change (self, COOP_TABLE_ATTACHMENT, id, COOP_CHANGE_INSERT, changes, error) ||
      !collect_dependents (self, COOP_TABLE_ATTACHMENT, id, pending, error))
    goto out;
  add_pending (pending[COOP_TABLE_ATTACHMENT], id);
  ok = TRUE;

out:
  ok = write_end (self, ok, pending, error);
  free_pending (pending);
  /* What was rolled back gave it nothing. */
  if (!ok)
    {
      coop_record_set_id (record, given_id);
      coop_record_set_revision (record, given_revision);
    }
  return ok;
}

/**
 * coop_store_write_attachment:
 * @self: a #CoopStore
 * @attachment: a saved attachment
 * @out: where its content goes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #CoopError
 *
 * Writes the file @attachment holds to @out, a piece at a time, and checks
 * that it is the file that was attached.  %COOP_ERROR_CORRUPT when it is not
 * (what was written to @out is then of no use), %COOP_ERROR_NOT_FOUND when
 * the attachment was deleted meanwhile, %COOP_ERROR_IO when @out fails.
 */
gboolean
coop_store_write_attachment (CoopStore       *self,
                             CoopAttachment  *attachment,
                             GOutputStream   *out,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (COOP_IS_ATTACHMENT (attachment), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  return read_content (self, attachment, out, cancellable, error);
}

/**
 * coop_store_read_attachment:
 * @self: a #CoopStore
 * @attachment: a saved attachment
 * @error: return location for a #CoopError
 *
 * The file @attachment holds, checked as coop_store_write_attachment() does;
 * kept before a deletion so that it can be undone.
 *
 * Returns: (transfer full) (nullable): its content
 */
GBytes *
coop_store_read_attachment (CoopStore       *self,
                            CoopAttachment  *attachment,
                            GError         **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_return_val_if_fail (COOP_IS_STORE (self), NULL);
  g_return_val_if_fail (COOP_IS_ATTACHMENT (attachment), NULL);

  if (!read_content (self, attachment, out, NULL, error) ||
      !g_output_stream_close (out, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* ------------------------------------------------------------------ copies */

/* A digest of every row of @rows, in their order: the id and every stored
 * field, as the change log would describe the record. */
static char *
digest_rows (CoopStore *self,
             CoopTable  table,
             GPtrArray *rows)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < rows->len; i++)
    {
      CoopRecord *record = g_ptr_array_index (rows, i);
      g_autofree char *fields = describe_changes (&self->tables[table], NULL, record);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT "\t", coop_record_get_id (record));

      g_checksum_update (checksum, (const guchar *) id, -1);
      if (fields != NULL)
        g_checksum_update (checksum, (const guchar *) fields, -1);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* Departments hold departments: each comes after the one it belongs to. */
static GPtrArray *
parents_first (GPtrArray  *departments,
               GError    **error)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) placed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean moved = TRUE;

  while (sorted->len < departments->len && moved)
    {
      moved = FALSE;
      for (guint i = 0; i < departments->len; i++)
        {
          CoopDepartment *department = g_ptr_array_index (departments, i);
          gint64 id = coop_record_get_id (COOP_RECORD (department));
          gint64 parent = coop_department_get_parent_id (department);

          if (g_hash_table_contains (placed, &id) ||
              (parent != 0 && !g_hash_table_contains (placed, &parent)))
            continue;
          g_hash_table_add (placed, g_memdup2 (&id, sizeof id));
          g_ptr_array_add (sorted, g_object_ref (department));
          moved = TRUE;
        }
    }

  if (sorted->len < departments->len)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("The departments of the source hold each other in a circle; it cannot be "
                     "copied."));
      return NULL;
    }
  return g_steal_pointer (&sorted);
}

/**
 * coop_store_copy:
 * @source: the ledger to copy, which is only read
 * @target: a writable ledger, empty unless @replace
 * @replace: whether to replace what @target holds
 * @error: return location for a #CoopError
 *
 * Copies every record, under its own id, every attached file (as it is,
 * damaged or not) and the whole change log from
 * @source into @target, in one transaction on @target, and then checks
 * the copy: the same number of rows in every table and the same SHA-256 of
 * their contents.  Either kind of database may be either side.  A target
 * that holds records is refused with %COOP_ERROR_CONSTRAINT unless
 * @replace; on any failure the target is left as it was.  Lists of
 * @target loaded before are read again.
 */
gboolean
coop_store_copy (CoopStore  *source,
                 CoopStore  *target,
                 gboolean    replace,
                 GError    **error)
{
  CoopStoreCounts counts = { 0 }, copied = { 0 };
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func (g_free);
  char *digests[COOP_N_TABLES] = { NULL };
  gboolean ok = FALSE;

  g_return_val_if_fail (COOP_IS_STORE (source), FALSE);
  g_return_val_if_fail (COOP_IS_STORE (target), FALSE);
  g_return_val_if_fail (target->depth == 0, FALSE);

  if (target->state->read_only)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_READ_ONLY,
                   _("The database is open read-only; nothing can be changed."));
      return FALSE;
    }

  if (!coop_store_count (target, &counts, error))
    return FALSE;
  if (!replace && counts.departments + counts.partners + counts.contacts + counts.agreements +
                  counts.events + counts.students + counts.pools + counts.candidates +
                  counts.attachments + counts.changes > 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                   _("The target already holds records; copy into an empty database, or "
                     "replace what it holds."));
      return FALSE;
    }

  /* The source is read as one moment, however others write meanwhile. */
  if (!BACKEND (source)->begin_snapshot (source->backend, error))
    return FALSE;
  if (!BACKEND (target)->begin (target->backend, error))
    {
      BACKEND (source)->rollback (source->backend);
      return FALSE;
    }
  if (replace && !BACKEND (target)->clear (target->backend, error))
    goto out;

  for (guint i = 0; i < COOP_N_TABLES; i++)
    {
      g_autoptr(GPtrArray) rows = BACKEND (source)->read_range (source->backend, (CoopTable) i,
                                                                0, G_MAXINT64, NULL, error);

      if (rows == NULL)
        goto out;
      digests[i] = digest_rows (source, (CoopTable) i, rows);

      /* The tables come in an order in which every row's references are
       * there before it. */
      if (i == COOP_TABLE_DEPARTMENT)
        {
          GPtrArray *sorted = parents_first (rows, error);

          if (sorted == NULL)
            goto out;
          g_ptr_array_unref (rows);
          rows = sorted;
        }

      for (guint r = 0; r < rows->len; r++)
        if (!(BACKEND (target)->insert_bulk != NULL
              ? BACKEND (target)->insert_bulk (target->backend, (CoopTable) i,
                                               g_ptr_array_index (rows, r), error)
              : BACKEND (target)->insert_copy (target->backend, (CoopTable) i,
                                               g_ptr_array_index (rows, r), error)))
          goto out;

      /* The files follow what is known of them, one at a time, as they
       * are: a damaged one stays damaged, for check to name, rather than
       * keeping the rest of the ledger from being copied or backed up. */
      for (guint r = 0; i == COOP_TABLE_ATTACHMENT && r < rows->len; r++)
        {
          gint64 id = coop_record_get_id (g_ptr_array_index (rows, r));
          g_autoptr(GByteArray) content = g_byte_array_new ();
          char *digest = read_raw (source, id, content, error);

          if (digest == NULL)
            goto out;
          g_ptr_array_add (contents, digest);
          if (*digest != '\0')
            {
              g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&content));

              if (!BACKEND (target)->write_attachment (target->backend, id, bytes, error))
                goto out;
            }
        }
    }

  /* The change log in one go: on a server, one round trip a line took
   * longer than all the tables. */
  log = BACKEND (source)->read_change_log (source->backend, error);
  BACKEND (source)->rollback (source->backend);
  if (log == NULL || !BACKEND (target)->log_changes (target->backend, log, error))
    goto out;

  if ((BACKEND (target)->finish_copy != NULL &&
       !BACKEND (target)->finish_copy (target->backend, error)) ||
      !BACKEND (target)->commit (target->backend, error))
    goto out;
  target->generation++;
  ok = TRUE;

out:
  if (!ok)
    {
      BACKEND (source)->rollback (source->backend);
      BACKEND (target)->rollback (target->backend);
    }

  /* The copy, read back, must be the source. */
  for (guint i = 0; i < COOP_N_TABLES && ok; i++)
    {
      g_autoptr(GPtrArray) rows = BACKEND (target)->read_range (target->backend, (CoopTable) i,
                                                                0, G_MAXINT64, NULL, error);
      g_autofree char *digest = rows != NULL ? digest_rows (target, (CoopTable) i, rows) : NULL;

      if (digest == NULL)
        ok = FALSE;
      else if (g_strcmp0 (digest, digests[i]) != 0)
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                       _("The copy differs from the source in the table %s; do not rely on it."),
                       coop_tables[i].name);
          ok = FALSE;
        }
    }
  if (ok && !coop_store_count (target, &copied, error))
    ok = FALSE;
  if (ok && (gint64) log->len != copied.changes)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                   _("The copy differs from the source in its change log; do not rely on it."));
      ok = FALSE;
    }
  if (ok)
    {
      g_autoptr(GPtrArray) rows = BACKEND (target)->read_range (target->backend,
                                                                COOP_TABLE_ATTACHMENT, 0,
                                                                G_MAXINT64, NULL, error);

      ok = rows != NULL;
      for (guint r = 0; ok && r < rows->len; r++)
        {
          g_autofree char *digest = read_raw (target, coop_record_get_id (g_ptr_array_index (rows, r)),
                                              NULL, error);

          if (digest == NULL)
            ok = FALSE;
          else if (r >= contents->len || g_strcmp0 (digest, g_ptr_array_index (contents, r)) != 0)
            {
              g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
                           _("The copy differs from the source in its attached files; do not "
                             "rely on it."));
              ok = FALSE;
            }
        }
    }

  for (guint i = 0; i < COOP_N_TABLES; i++)
    g_free (digests[i]);

  /* What the target showed is gone. */
  for (guint i = 0; i < COOP_N_TABLES && replace; i++)
    if (target->tables[i].loaded)
      {
        g_autoptr(GError) load_error = NULL;
        if (!coop_store_load (target, coop_tables[i].get_type (), NULL, &load_error))
          g_warning ("Could not read the %s list again: %s", coop_tables[i].name,
                     load_error->message);
      }

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

  g_return_val_if_fail (COOP_IS_STORE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (self->depth == 0 && self->import == NULL, FALSE);

  table = table_for_type (record_type);
  g_return_val_if_fail (table < COOP_N_TABLES && coop_tables[table].listed &&
                        table != COOP_TABLE_ATTACHMENT, FALSE);

  if (!coop_store_begin (self, error))
    return FALSE;

  self->import = g_new0 (ImportState, 1);
  self->import->table = table;
  self->import->source = g_strdup (source);
  self->import->added = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->import->updates = g_string_new (NULL);
  return TRUE;
}

/* A value that must be unique is taken: the importer checks its own index
 * first, so this is a record stored since that index was made. */
static gboolean
reword_import_refusal (CoopRecord  *record,
                       GError     **error)
{
  if (error == NULL || *error == NULL || (*error)->domain != COOP_ERROR)
    return FALSE;

  if ((*error)->code == COOP_ERROR_DUPLICATE)
    {
      g_clear_error (error);
      g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                   _("%s “%s” has a value that must be unique and that another record "
                     "already has."), coop_record_get_type_label (record),
                   coop_record_get_title (record));
    }
  else if ((*error)->code == COOP_ERROR_CONSTRAINT)
    {
      g_clear_error (error);
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                   _("%s “%s” refers to a record that does not exist, or has a value the "
                     "database does not accept."), coop_record_get_type_label (record),
                   coop_record_get_title (record));
    }
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

  old = read_one (self, import->table, id, error);
  if (old == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                     _("“%s” no longer exists; somebody may have deleted it."),
                     coop_record_get_title (record));
      return FALSE;
    }

  if (!check_revision (self, import->table, record, old, error))
    return FALSE;

  changes = describe_changes (state, old, record);
  if (changes == NULL)
    return TRUE;

  if (!BACKEND (self)->update (self->backend, import->table, record, error))
    return reword_import_refusal (record, error);
  coop_record_set_revision (record, coop_record_get_revision (record) + 1);

  /* Read back after the commit, with the rows that show its values. */
  for (guint i = 0; i < COOP_N_TABLES; i++)
    pending[i] = self->tables[i].pending;
  if (!collect_dependents (self, import->table, id, pending, error))
    return FALSE;
  if (state->loaded)
    add_pending (state->pending, id);
  if (self->notifies)
    add_pending (self->touched[import->table], id);

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

  /* A server takes the rows in bulk (COPY); a refusal then comes at the
   * commit, and the database's UNIQUE backs the importer's own checks. */
  if (!(BACKEND (self)->insert_bulk != NULL
        ? BACKEND (self)->insert_bulk (self->backend, import->table, record, error)
        : BACKEND (self)->insert (self->backend, import->table, record, error)))
    return reword_import_refusal (record, error);
  coop_record_set_revision (record, 1);

  id = coop_record_get_id (record);
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

      range = BACKEND (self)->read_range (self->backend, import->table, first, end, NULL, &error);
      if (range == NULL)
        {
          g_warning ("Could not read back the imported %s: %s", coop_tables[import->table].name,
                     error->message);
          continue;
        }
      g_ptr_array_extend_and_steal (rows, g_steal_pointer (&range));
    }

  if (rows->len > 0)
    coop_record_list_splice (state->list, n_items, 0, rows->pdata, rows->len);
}

/* Rows sent in bulk are refused all together, at the commit. */
static gboolean
reword_bulk_refusal (GError **error)
{
  if (error == NULL || *error == NULL || (*error)->domain != COOP_ERROR)
    return FALSE;

  if ((*error)->code == COOP_ERROR_DUPLICATE)
    {
      g_clear_error (error);
      g_set_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE,
                   _("A value that must be unique, such as a student number, was taken by "
                     "another record while the import ran; nothing was imported."));
    }
  else if ((*error)->code == COOP_ERROR_CONSTRAINT)
    {
      g_clear_error (error);
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                   _("A row refers to a record that was deleted while the import ran, or has "
                     "a value the database does not accept; nothing was imported."));
    }
  return FALSE;
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
          return reword_bulk_refusal (error);
        }
    }

  self->depth = 0;
  if (!send_touched (self, import->added, import->table, error) ||
      !BACKEND (self)->commit (self->backend, error))
    {
      BACKEND (self)->rollback (self->backend);
      clear_touched (self);
      clear_all_pending (self);
      return reword_bulk_refusal (error);
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
