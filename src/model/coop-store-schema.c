/* coop-store-schema.c — the tables and their relations, in the SQL both backends speak
 *
 * What each table holds and how the tables refer to each other.  The
 * fragments of SQL here are plain SQL that every backend accepts; each
 * backend keeps its own schema and migrations.
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
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-event.h"
#include "coop-id-index.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-record-private.h"
#include "coop-stage-change.h"
#include "coop-store-private.h"
#include "coop-student.h"

/* ------------------------------------------------------------------ tables */

const CoopTableInfo coop_tables[COOP_N_TABLES] = {
  [COOP_TABLE_DEPARTMENT] = { "department", coop_department_get_type,
                              "department t LEFT JOIN department up ON up.id = t.parent_id", TRUE },
  [COOP_TABLE_PARTNER] = { "partner", coop_partner_get_type, "partner t", TRUE },
  [COOP_TABLE_CONTACT] = { "contact", coop_contact_get_type,
                           "contact t LEFT JOIN partner pa ON pa.id = t.partner_id"
                           " LEFT JOIN department d ON d.id = t.department_id", TRUE },
  [COOP_TABLE_AGREEMENT] = { "agreement", coop_agreement_get_type,
                             "agreement t JOIN partner pa ON pa.id = t.partner_id"
                             " LEFT JOIN department d ON d.id = t.department_id", TRUE },
  [COOP_TABLE_EVENT] = { "event", coop_event_get_type,
                         "event t LEFT JOIN partner pa ON pa.id = t.partner_id"
                         " LEFT JOIN agreement a ON a.id = t.agreement_id", TRUE },
  [COOP_TABLE_ATTENDEE] = { "attendee", coop_attendee_get_type, "attendee t", FALSE },
  [COOP_TABLE_STUDENT] = { "student", coop_student_get_type,
                           "student t LEFT JOIN department d ON d.id = t.department_id", TRUE },
  [COOP_TABLE_POOL] = { "pool", coop_pool_get_type,
                        "pool t JOIN partner pa ON pa.id = t.partner_id"
                        " LEFT JOIN agreement a ON a.id = t.agreement_id"
                        " LEFT JOIN event e ON e.id = t.event_id", TRUE },
  [COOP_TABLE_CANDIDATE] = { "candidate", coop_candidate_get_type,
                             "candidate t JOIN student s ON s.id = t.student_id"
                             " JOIN pool p ON p.id = t.pool_id"
                             " JOIN partner pa ON pa.id = p.partner_id"
                             " LEFT JOIN department d ON d.id = s.department_id", TRUE },
  [COOP_TABLE_STAGE_CHANGE] = { "stage_change", coop_stage_change_get_type, "stage_change t",
                                FALSE },
  /* Only what is known of each file: its content is read on its own. */
  [COOP_TABLE_ATTACHMENT] = { "attachment", coop_attachment_get_type, "attachment t", TRUE },
};

/* A released schema step reads this table: append to it, never edit it. */
const CoopPinyinSource coop_pinyin_sources[] = {
  { "partner", { "name", "short_name" } },
  { "contact", { "name" } },
  { "agreement", { "title" } },
  { "event", { "title" } },
  { "student", { "name" } },
  { "pool", { "title" } },
};
const guint coop_n_pinyin_sources = G_N_ELEMENTS (coop_pinyin_sources);

/* "SELECT id, name, short_name FROM partner" */
char *
coop_pinyin_source_select (const CoopPinyinSource *source)
{
  GString *sql = g_string_new ("SELECT id");

  for (guint i = 0; i < G_N_ELEMENTS (source->columns) && source->columns[i] != NULL; i++)
    g_string_append_printf (sql, ", %s", source->columns[i]);
  g_string_append_printf (sql, " FROM %s", source->table);
  return g_string_free (sql, FALSE);
}

static void derive_contract  (GPtrArray **rows, const CoopField *field);
static void count_candidates (GPtrArray **rows, const CoopField *field);
static void count_filled     (GPtrArray **rows, const CoopField *field);

const CoopDerivedColumn coop_derived_columns[] = {
  { COOP_TABLE_DEPARTMENT, "parent-name", "up.name", { "parent-id", "name" } },
  { COOP_TABLE_CONTACT, "partner-name", "pa.name", { "partner-id", "name" } },
  { COOP_TABLE_CONTACT, "department-name", "d.name", { "department-id", "name" } },
  { COOP_TABLE_CONTACT, "partner-pinyin-key", "pa.pinyin_key", { "partner-id", "pinyin-key" } },
  { COOP_TABLE_AGREEMENT, "partner-name", "pa.name", { "partner-id", "name" } },
  { COOP_TABLE_AGREEMENT, "department-name", "d.name", { "department-id", "name" } },
  { COOP_TABLE_AGREEMENT, "partner-pinyin-key", "pa.pinyin_key", { "partner-id", "pinyin-key" } },
  /* Signed is what the status says once it is past negotiating, or a date
   * of signing; the nicks are CoopContractState's.  derive_contract ()
   * says the same. */
  { COOP_TABLE_AGREEMENT, "contract",
    "CASE WHEN t.status IN ('signed', 'active', 'expired', 'terminated')"
    " OR coalesce (t.signed_on, '') <> ''"
    " THEN CASE WHEN EXISTS (SELECT 1 FROM attachment x"
    " WHERE x.agreement_id = t.id AND x.kind = 'contract') THEN 'attached' ELSE 'missing' END"
    " ELSE 'not-signed' END", { NULL }, derive_contract },
  { COOP_TABLE_EVENT, "partner-name", "pa.name", { "partner-id", "name" } },
  { COOP_TABLE_EVENT, "agreement-title", "a.title", { "agreement-id", "title" } },
  { COOP_TABLE_EVENT, "partner-pinyin-key", "pa.pinyin_key", { "partner-id", "pinyin-key" } },
  { COOP_TABLE_STUDENT, "department-name", "d.name", { "department-id", "name" } },
  { COOP_TABLE_POOL, "partner-name", "pa.name", { "partner-id", "name" } },
  { COOP_TABLE_POOL, "agreement-title", "a.title", { "agreement-id", "title" } },
  { COOP_TABLE_POOL, "event-title", "e.title", { "event-id", "title" } },
  { COOP_TABLE_POOL, "partner-pinyin-key", "pa.pinyin_key", { "partner-id", "pinyin-key" } },
  { COOP_TABLE_POOL, "candidate-count",
    "(SELECT count(*) FROM candidate c WHERE c.pool_id = t.id)", { NULL }, count_candidates },
  { COOP_TABLE_POOL, "filled-count",
    "(SELECT count(*) FROM candidate c WHERE c.pool_id = t.id AND c.stage IN ('interning', 'hired'))",
    { NULL }, count_filled },
  { COOP_TABLE_CANDIDATE, "student-number", "s.number", { "student-id", "number" } },
  { COOP_TABLE_CANDIDATE, "student-name", "s.name", { "student-id", "name" } },
  { COOP_TABLE_CANDIDATE, "department-name", "d.name", { "student-id", "department-id", "name" } },
  { COOP_TABLE_CANDIDATE, "major", "s.major", { "student-id", "major" } },
  { COOP_TABLE_CANDIDATE, "class-name", "s.class_name", { "student-id", "class-name" } },
  { COOP_TABLE_CANDIDATE, "pool-title", "p.title", { "pool-id", "title" } },
  { COOP_TABLE_CANDIDATE, "partner-id", "p.partner_id", { "pool-id", "partner-id" } },
  { COOP_TABLE_CANDIDATE, "partner-name", "pa.name", { "pool-id", "partner-id", "name" } },
  { COOP_TABLE_CANDIDATE, "student-pinyin-key", "s.pinyin_key", { "student-id", "pinyin-key" } },
};
const guint coop_n_derived_columns = G_N_ELEMENTS (coop_derived_columns);

const CoopDependency coop_dependencies[] = {
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_DEPARTMENT, "SELECT id FROM department WHERE parent_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_CONTACT, "SELECT id FROM contact WHERE department_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_AGREEMENT, "SELECT id FROM agreement WHERE department_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_STUDENT, "SELECT id FROM student WHERE department_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_CANDIDATE,
    "SELECT c.id FROM candidate c JOIN student s ON s.id = c.student_id WHERE s.department_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_CONTACT, "SELECT id FROM contact WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_AGREEMENT, "SELECT id FROM agreement WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_EVENT, "SELECT id FROM event WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_POOL, "SELECT id FROM pool WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_CANDIDATE,
    "SELECT c.id FROM candidate c JOIN pool p ON p.id = c.pool_id WHERE p.partner_id = ?1" },
  { COOP_TABLE_AGREEMENT, COOP_TABLE_EVENT, "SELECT id FROM event WHERE agreement_id = ?1" },
  { COOP_TABLE_AGREEMENT, COOP_TABLE_POOL, "SELECT id FROM pool WHERE agreement_id = ?1" },
  { COOP_TABLE_EVENT, COOP_TABLE_POOL, "SELECT id FROM pool WHERE event_id = ?1" },
  { COOP_TABLE_STUDENT, COOP_TABLE_CANDIDATE, "SELECT id FROM candidate WHERE student_id = ?1" },
  { COOP_TABLE_POOL, COOP_TABLE_CANDIDATE, "SELECT id FROM candidate WHERE pool_id = ?1" },
  { COOP_TABLE_CANDIDATE, COOP_TABLE_POOL, "SELECT pool_id FROM candidate WHERE id = ?1" },
  { COOP_TABLE_ATTACHMENT, COOP_TABLE_AGREEMENT,
    "SELECT agreement_id FROM attachment WHERE id = ?1 AND agreement_id IS NOT NULL" },
};
const guint coop_n_dependencies = G_N_ELEMENTS (coop_dependencies);

const CoopBlocker coop_blockers[] = {
  { COOP_TABLE_PARTNER, "SELECT count(*) FROM agreement WHERE partner_id = ?1",
    COOP_N_("%d agreement", "%d agreements") },
  { COOP_TABLE_PARTNER, "SELECT count(*) FROM pool WHERE partner_id = ?1",
    COOP_N_("%d recommendation pool", "%d recommendation pools") },
  { COOP_TABLE_DEPARTMENT, "SELECT count(*) FROM department WHERE parent_id = ?1",
    COOP_N_("%d department", "%d departments") },
  { COOP_TABLE_STUDENT, "SELECT count(*) FROM candidate WHERE student_id = ?1",
    COOP_N_("%d recommendation", "%d recommendations") },
  /* A signed contract is not lost with the agreement it belongs to. */
  { COOP_TABLE_AGREEMENT, "SELECT count(*) FROM attachment WHERE agreement_id = ?1",
    COOP_N_("%d attached file", "%d attached files") },
  { COOP_TABLE_EVENT, "SELECT count(*) FROM attachment WHERE event_id = ?1",
    COOP_N_("%d attached file", "%d attached files") },
};
const guint coop_n_blockers = G_N_ELEMENTS (coop_blockers);

/* ------------------------------------------------------------------ statements */

const char coop_sql_unique_partner[] =
  "SELECT name FROM partner WHERE name_key = ?1 AND id <> ?2";

const char coop_sql_unique_student[] =
  "SELECT name FROM student WHERE number = ?1 AND id <> ?2";

const char coop_sql_unique_candidate[] =
  "SELECT s.name || ' / ' || p.title FROM candidate c"
  " JOIN student s ON s.id = c.student_id JOIN pool p ON p.id = c.pool_id"
  " WHERE c.pool_id = ?3 AND c.student_id = ?1 AND c.id <> ?2";

const char coop_sql_agreement_owner[] =
  "SELECT a.partner_id, a.title, p.name FROM agreement a"
  " JOIN partner p ON p.id = a.partner_id WHERE a.id = ?1";

const char coop_sql_delete_attendees[] =
  "DELETE FROM attendee WHERE event_id = ?1";

const char coop_sql_log_change[] =
  "INSERT INTO change_log (at, record_type, record_id, action, changes, changed_by)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

const char coop_sql_change_log[] =
  "SELECT id, at, record_type, record_id, action, changes, changed_by FROM change_log"
  " ORDER BY id";

/* The columns in the order of CoopStoreCounts. */
const char coop_sql_count[] =
  "SELECT (SELECT count(*) FROM department), (SELECT count(*) FROM partner),"
  " (SELECT count(*) FROM contact), (SELECT count(*) FROM agreement),"
  " (SELECT count(*) FROM event), (SELECT count(*) FROM attendee),"
  " (SELECT count(*) FROM student), (SELECT count(*) FROM pool),"
  " (SELECT count(*) FROM candidate), (SELECT count(*) FROM stage_change),"
  " (SELECT count(*) FROM attachment), (SELECT count(*) FROM change_log)";

/* The columns in the order of CoopAttendee's fields. */
const char coop_sql_attendees[] =
  "SELECT t.id, t.revision, t.event_id, t.contact_id, t.name, t.title, t.organization,"
  " t.role FROM attendee t";

char *
coop_sql_column_name (const CoopField *field)
{
  return g_strdelimit (g_strdup (field->name), "-", '_');
}

const char *
coop_sql_derived_expr (CoopTable   table,
                       const char *field)
{
  for (guint i = 0; i < coop_n_derived_columns; i++)
    if (coop_derived_columns[i].table == table &&
        strcmp (coop_derived_columns[i].field, field) == 0)
      return coop_derived_columns[i].expr;

  g_assert_not_reached ();
}

/* Partners are unique by a folded form of their name, kept in a column. */
const char *
coop_sql_key_column (CoopTable table)
{
  return table == COOP_TABLE_PARTNER ? "name_key" : NULL;
}

void
coop_sql_table_init (CoopSqlTable *state,
                     CoopTable     table)
{
  const CoopTableInfo *info = &coop_tables[table];
  g_autoptr(GTypeClass) klass = g_type_class_ref (info->get_type ());
  guint n_fields;
  const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_CLASS (klass), &n_fields);
  GString *select = g_string_new ("SELECT t.id, t.revision");
  GString *list = g_string_new ("SELECT t.id, t.revision");
  GString *insert = g_string_new (NULL);
  GString *values = g_string_new (NULL);
  GString *update = g_string_new (NULL);

  state->stored = g_ptr_array_new ();

  g_string_printf (insert, "INSERT INTO %s (", info->name);
  g_string_printf (update, "UPDATE %s SET ", info->name);

  for (guint i = 0; i < n_fields; i++)
    {
      const CoopField *field = &fields[i];
      g_autofree char *column = NULL;

      if (field->flags & COOP_FIELD_DERIVED)
        {
          g_string_append_printf (select, ", %s", coop_sql_derived_expr (table, field->name));
          g_string_append (list, ", NULL");
          continue;
        }

      column = coop_sql_column_name (field);
      g_string_append_printf (select, ", t.%s", column);
      g_string_append_printf (list, ", t.%s", column);
      g_string_append_printf (insert, "%s%s", state->stored->len ? ", " : "", column);
      g_string_append_printf (values, "%s?%u", state->stored->len ? ", " : "",
                              state->stored->len + 1);
      g_string_append_printf (update, "%s%s = ?%u", state->stored->len ? ", " : "", column,
                              state->stored->len + 1);
      g_ptr_array_add (state->stored, (gpointer) field);
    }

  if (coop_sql_key_column (table) != NULL)
    {
      g_string_append_printf (insert, ", %s", coop_sql_key_column (table));
      g_string_append_printf (values, ", ?%u", state->stored->len + 1);
      g_string_append_printf (update, ", %s = ?%u", coop_sql_key_column (table), state->stored->len + 1);
    }

  g_string_append_printf (select, " FROM %s", info->from);
  state->select_one_sql = g_strdup_printf ("%s WHERE t.id = ?1", select->str);
  g_string_append (select, " ORDER BY t.id");
  state->select_sql = g_string_free (select, FALSE);
  g_string_append_printf (list, " FROM %s t ORDER BY t.id", info->name);
  state->list_sql = g_string_free (list, FALSE);

  /* A copy of a ledger keeps the ids and revisions: the id is the
   * parameter after the fields and the key, as in update_sql, and the
   * revision the next. */
  {
    guint id_param = state->stored->len + (coop_sql_key_column (table) != NULL ? 2 : 1);

    state->insert_id_sql = g_strdup_printf ("%s, id, revision) VALUES (%s, ?%u, ?%u)",
                                            insert->str, values->str, id_param, id_param + 1);
  }
  g_string_append_printf (insert, ") VALUES (%s)", values->str);
  state->insert_sql = g_string_free (insert, FALSE);
  g_string_free (values, TRUE);

  /* A row changed since it was read keeps its revision and is not
   * updated: the caller reports the conflict. */
  state->update_id = state->stored->len + (coop_sql_key_column (table) != NULL ? 2 : 1);
  g_string_append_printf (update, ", revision = revision + 1 WHERE id = ?%u AND revision = ?%u",
                          state->update_id, state->update_id + 1);
  state->update_sql = g_string_free (update, FALSE);

  state->delete_sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1 AND revision = ?2",
                                       info->name);
}

void
coop_sql_table_clear (CoopSqlTable *state)
{
  g_clear_pointer (&state->stored, g_ptr_array_unref);
  g_clear_pointer (&state->select_sql, g_free);
  g_clear_pointer (&state->list_sql, g_free);
  g_clear_pointer (&state->select_one_sql, g_free);
  g_clear_pointer (&state->insert_sql, g_free);
  g_clear_pointer (&state->insert_id_sql, g_free);
  g_clear_pointer (&state->update_sql, g_free);
  g_clear_pointer (&state->delete_sql, g_free);
}


/* ------------------------------------------------------------------ lists read at once */

static CoopTable
table_of_type (GType type)
{
  for (guint i = 0; i < COOP_N_TABLES; i++)
    if (coop_tables[i].get_type () == type)
      return (CoopTable) i;

  g_assert_not_reached ();
}

static const CoopField *
find_field (CoopTable   table,
            const char *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (coop_tables[table].get_type ());
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), name);

  g_assert (field != NULL);
  return field;
}

/* Finds records of one table by id, with an index made at the first
 * lookup. */
typedef struct {
  GPtrArray   *rows;
  CoopIdIndex *index;
} Finder;

static void
finder_init (Finder    *finder,
             GPtrArray *rows)
{
  finder->rows = rows;
  finder->index = NULL;
}

static void
finder_clear (Finder *finder)
{
  g_clear_pointer (&finder->index, coop_id_index_free);
}

static CoopRecord *
finder_find (Finder *finder,
             gint64  id)
{
  gint position;

  if (id == 0 || finder->rows == NULL)
    return NULL;
  if (finder->index == NULL)
    finder->index = coop_id_index_new (finder->rows);
  position = coop_id_index_find (finder->index, id);
  return position >= 0 ? g_ptr_array_index (finder->rows, position) : NULL;
}

/* Follows @column's path from each row of its table to the record it
 * leads to, and copies that record's field.  A reference to nothing
 * leaves the field empty, as the outer joins of the SQL do. */
static void
derive_column (GPtrArray              **rows,
               Finder                  *finders,
               const CoopDerivedColumn *column)
{
  const CoopField *target = find_field (column->table, column->field);
  const CoopField *hops[G_N_ELEMENTS (column->path) - 1];
  Finder *steps[G_N_ELEMENTS (column->path) - 1];
  const CoopField *source;
  CoopTable table = column->table;
  guint n_hops = 0;

  while (n_hops + 1 < G_N_ELEMENTS (column->path) && column->path[n_hops + 1] != NULL)
    {
      hops[n_hops] = find_field (table, column->path[n_hops]);
      g_assert (hops[n_hops]->kind == COOP_FIELD_REF);
      table = table_of_type (hops[n_hops]->ref_type ());
      steps[n_hops++] = &finders[table];
    }
  source = find_field (table, column->path[n_hops]);
  g_assert (n_hops > 0 && !(source->flags & COOP_FIELD_DERIVED));
  g_assert (COOP_FIELD_IS_STRING (target->kind) ? COOP_FIELD_IS_STRING (source->kind)
                                                : target->kind == source->kind);

  for (guint i = 0; i < rows[column->table]->len; i++)
    {
      CoopRecord *record = g_ptr_array_index (rows[column->table], i);
      CoopRecord *related = record;

      for (guint h = 0; h < n_hops && related != NULL; h++)
        related = finder_find (steps[h], *COOP_FIELD_PTR (related, hops[h], gint64));
      if (related == NULL)
        continue;

      if (COOP_FIELD_IS_STRING (target->kind))
        coop_record_init_ref_string (record, target, *COOP_FIELD_PTR (related, source, char *));
      else if (COOP_FIELD_IS_INT (target->kind))
        *COOP_FIELD_PTR (record, target, int) = *COOP_FIELD_PTR (related, source, int);
      else
        *COOP_FIELD_PTR (record, target, gint64) = *COOP_FIELD_PTR (related, source, gint64);
    }
}

static void
derive_contract (GPtrArray       **rows,
                 const CoopField  *field)
{
  GPtrArray *agreements = rows[COOP_TABLE_AGREEMENT];
  GPtrArray *attachments = rows[COOP_TABLE_ATTACHMENT];
  Finder finder;

  for (guint i = 0; i < agreements->len; i++)
    {
      CoopAgreement *agreement = g_ptr_array_index (agreements, i);
      CoopAgreementStatus status = coop_agreement_get_status (agreement);
      const char *signed_on = coop_agreement_get_signed_on (agreement);
      gboolean is_signed = status == COOP_AGREEMENT_STATUS_SIGNED ||
                           status == COOP_AGREEMENT_STATUS_ACTIVE ||
                           status == COOP_AGREEMENT_STATUS_EXPIRED ||
                           status == COOP_AGREEMENT_STATUS_TERMINATED ||
                           (signed_on != NULL && *signed_on != '\0');

      *COOP_FIELD_PTR (agreement, field, int) = is_signed ? COOP_CONTRACT_STATE_MISSING
                                                          : COOP_CONTRACT_STATE_NOT_SIGNED;
    }

  finder_init (&finder, agreements);
  for (guint i = 0; attachments != NULL && i < attachments->len; i++)
    {
      CoopAttachment *attachment = g_ptr_array_index (attachments, i);
      CoopRecord *agreement;

      if (coop_attachment_get_kind (attachment) != COOP_ATTACHMENT_KIND_CONTRACT)
        continue;
      agreement = finder_find (&finder, coop_attachment_get_agreement_id (attachment));
      if (agreement != NULL &&
          *COOP_FIELD_PTR (agreement, field, int) == COOP_CONTRACT_STATE_MISSING)
        *COOP_FIELD_PTR (agreement, field, int) = COOP_CONTRACT_STATE_ATTACHED;
    }
  finder_clear (&finder);
}

/* Counts into @field of each pool its candidates, or those of them
 * @filled (interning or hired). */
static void
count_into_pools (GPtrArray       **rows,
                  const CoopField  *field,
                  gboolean          filled)
{
  GPtrArray *candidates = rows[COOP_TABLE_CANDIDATE];
  Finder finder;

  for (guint i = 0; i < rows[COOP_TABLE_POOL]->len; i++)
    *COOP_FIELD_PTR (g_ptr_array_index (rows[COOP_TABLE_POOL], i), field, int) = 0;

  finder_init (&finder, rows[COOP_TABLE_POOL]);
  for (guint i = 0; i < candidates->len; i++)
    {
      CoopCandidate *candidate = g_ptr_array_index (candidates, i);
      CoopCandidateStage stage = coop_candidate_get_stage (candidate);
      CoopRecord *pool;

      if (filled && stage != COOP_CANDIDATE_STAGE_INTERNING && stage != COOP_CANDIDATE_STAGE_HIRED)
        continue;
      pool = finder_find (&finder, coop_candidate_get_pool_id (candidate));
      if (pool != NULL)
        (*COOP_FIELD_PTR (pool, field, int))++;
    }
  finder_clear (&finder);
}

static void
count_candidates (GPtrArray       **rows,
                  const CoopField  *field)
{
  count_into_pools (rows, field, FALSE);
}

static void
count_filled (GPtrArray       **rows,
              const CoopField  *field)
{
  count_into_pools (rows, field, TRUE);
}

/**
 * coop_derive_lists:
 * @rows: the records of every listed table, indexed by #CoopTable, each
 *   ordered by id, as read with CoopSqlTable.list_sql
 *
 * Fills the derived fields of the records from the records they refer
 * to, as the joins of CoopSqlTable.select_sql would have.  Reading each
 * table alone and joining here costs a database far less than the joins.
 */
void
coop_derive_lists (GPtrArray **rows)
{
  Finder finders[COOP_N_TABLES];

  for (guint i = 0; i < COOP_N_TABLES; i++)
    finder_init (&finders[i], rows[i]);

  for (guint i = 0; i < coop_n_derived_columns; i++)
    {
      const CoopDerivedColumn *column = &coop_derived_columns[i];

      if (column->count != NULL)
        column->count (rows, find_field (column->table, column->field));
      else
        derive_column (rows, finders, column);
    }

  for (guint i = 0; i < COOP_N_TABLES; i++)
    finder_clear (&finders[i]);
}
