/* coop-store-private.h — what the parts of the store share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-store.h"

G_BEGIN_DECLS

typedef enum {
  COOP_TABLE_DEPARTMENT,
  COOP_TABLE_PARTNER,
  COOP_TABLE_CONTACT,
  COOP_TABLE_AGREEMENT,
  COOP_TABLE_EVENT,
  COOP_TABLE_ATTENDEE,
  COOP_TABLE_STUDENT,
  COOP_TABLE_POOL,
  COOP_TABLE_CANDIDATE,
  COOP_TABLE_STAGE_CHANGE,
  COOP_TABLE_ATTACHMENT,
  COOP_N_TABLES
} CoopTable;

typedef struct {
  const char  *name;          /* the SQL table, also the record type in the change log */
  GType      (*get_type) (void);
  const char  *from;          /* FROM clause; the table itself is "t" */
  gboolean     listed;        /* has a list model */
} CoopTableInfo;

/* A field of @table that the store fills from other rows: @expr is its
 * value in SQL, over the joins of CoopTableInfo.from.  When every list is
 * read at once, the value is taken from the records read instead (see
 * coop_derive_lists()): @path names the references to follow from a row,
 * one or two, then the stored field of the record they lead to; or else
 * @count works @field out over the lists, indexed by CoopTable. */
typedef struct {
  CoopTable    table;
  const char  *field;
  const char  *expr;
  const char  *path[3];
  void       (*count) (GPtrArray       **rows,
                       const CoopField  *field);
} CoopDerivedColumn;

/* When a row of @changed changes, rows of @dependent show derived values of
 * it: @sql selects their ids, given the changed row's id as ?1. */
typedef struct {
  CoopTable   changed;
  CoopTable   dependent;
  const char *sql;
} CoopDependency;

/* Marks a singular and plural pair for xgettext (--keyword=COOP_N_:1,2). */
#define COOP_N_(singular, plural) singular, plural

/* A relation that keeps a row from being deleted. */
typedef struct {
  CoopTable   parent;
  const char *count_sql;
  const char *singular;
  const char *plural;
} CoopBlocker;

/* Schema 5 keeps the pinyin key (coop-pinyin.h) of each row's names and
 * titles in a column pinyin_key: @columns are those names, in the order the
 * records spell them.  The migration fills the keys of existing rows from
 * this table; the store keeps them current from then on. */
typedef struct {
  const char *table;
  const char *columns[3];
} CoopPinyinSource;

extern const CoopTableInfo     coop_tables[COOP_N_TABLES];
extern const CoopPinyinSource  coop_pinyin_sources[];
extern const guint             coop_n_pinyin_sources;
extern const CoopDerivedColumn coop_derived_columns[];
extern const guint             coop_n_derived_columns;
extern const CoopDependency    coop_dependencies[];
extern const guint             coop_n_dependencies;
extern const CoopBlocker       coop_blockers[];
extern const guint             coop_n_blockers;

int      coop_store_schema_latest_version (void);
char    *coop_pinyin_source_select        (const CoopPinyinSource *source);

/* The statements of one table, built from its record's fields, with
 * the id and the revision as the first two columns of a select, and
 * parameters written ?1, ?2, … (a backend may spell them its own way). */
typedef struct
{
  char             *select_sql;   /* every row, ordered by id */
  char             *list_sql;     /* the same without joins: NULL for each derived
                                   * field, which coop_derive_lists() fills */
  char             *select_one_sql;
  char             *insert_sql;
  char             *insert_id_sql;  /* with the id and revision as update_sql has them */
  char             *update_sql;
  guint             update_id;    /* the parameter that is the id in update_sql, the
                                   * revision read is the next */
  char             *delete_sql;
  GPtrArray        *stored;       /* the CoopFields with a column, in column order */
} CoopSqlTable;

extern const char coop_sql_unique_partner[];
extern const char coop_sql_unique_student[];
extern const char coop_sql_unique_candidate[];
extern const char coop_sql_agreement_owner[];
extern const char coop_sql_delete_attendees[];
extern const char coop_sql_log_change[];
extern const char coop_sql_count[];
extern const char coop_sql_change_log[];
extern const char coop_sql_attendees[];

/* What coop_store_attach() learns from the file itself. */
void coop_attachment_set_content (CoopAttachment *self,
                                  int             size,
                                  const char     *sha256,
                                  const char     *added_at);

void         coop_sql_table_init   (CoopSqlTable    *state,
                                    CoopTable        table);
void         coop_sql_table_clear  (CoopSqlTable    *state);
char        *coop_sql_column_name  (const CoopField *field);
const char  *coop_sql_derived_expr (CoopTable        table,
                                    const char      *field);
const char  *coop_sql_key_column   (CoopTable        table);

void         coop_derive_lists     (GPtrArray      **rows);

G_END_DECLS
