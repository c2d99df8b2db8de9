/* coop-record.h — the base class of every record the store keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "coop-types.h"

G_BEGIN_DECLS

/**
 * CoopFieldKind:
 *
 * What a field holds; it decides the property type, the validation and the
 * normalisation applied before a save.
 */
typedef enum {
  COOP_FIELD_STRING,         /* one line of text */
  COOP_FIELD_TEXT,           /* several lines of text */
  COOP_FIELD_PHONE,          /* normalised on save */
  COOP_FIELD_EMAIL,
  COOP_FIELD_URL,
  COOP_FIELD_CREDIT_CODE,    /* unified social credit code, checksum-validated */
  COOP_FIELD_STUDENT_NUMBER, /* text, leading zeros kept */
  COOP_FIELD_DATE,           /* "YYYY-MM-DD" */
  COOP_FIELD_DATETIME,       /* "YYYY-MM-DD HH:MM" */
  COOP_FIELD_COUNT,          /* an int, 0 or more */
  COOP_FIELD_YEAR,           /* an int, 0 (unknown) or a year */
  COOP_FIELD_ENUM,           /* an int of a registered GEnum */
  COOP_FIELD_REF,            /* the gint64 id of another record, 0 for none */
} CoopFieldKind;

/* Which kinds hold text (a char *), an int, or else a gint64 reference. */
#define COOP_FIELD_IS_STRING(kind) ((kind) <= COOP_FIELD_DATETIME)
#define COOP_FIELD_IS_INT(kind)    ((kind) == COOP_FIELD_COUNT || (kind) == COOP_FIELD_YEAR || \
                                    (kind) == COOP_FIELD_ENUM)

typedef enum {
  COOP_FIELD_REQUIRED = 1 << 0, /* may not be empty (or 0 for a REF) */
  COOP_FIELD_DERIVED  = 1 << 1, /* read-only, filled by the store from a related record */
  COOP_FIELD_SHARED   = 1 << 2, /* few distinct values: kept once in memory */
  COOP_FIELD_SPELLED  = 1 << 3, /* a name or title: its pinyin goes into the pinyin key */
  COOP_FIELD_PINYIN   = 1 << 4, /* a pinyin key (coop-pinyin.h), kept for searching: filled
                                 * by the store, never shown, exported or logged */
  COOP_FIELD_HIDDEN   = 1 << 5, /* kept and logged, but set by an action, not in the editor */
} CoopFieldFlags;

/**
 * CoopField:
 * @name: the property name
 * @label: the translatable name users see (mark with N_())
 * @kind: what it holds
 * @flags: #CoopFieldFlags
 * @offset: where the value lives in the instance struct
 * @enum_type: for %COOP_FIELD_ENUM, the get_type function of the enum
 * @ref_type: for %COOP_FIELD_REF, the get_type function of the record referred to
 * @not_before: for a date, the name of a date field it must not precede
 */
typedef struct {
  const char     *name;
  const char     *label;
  CoopFieldKind   kind;
  CoopFieldFlags  flags;
  gsize           offset;
  GType         (*enum_type) (void);
  GType         (*ref_type) (void);
  const char     *not_before;
} CoopField;

#define COOP_TYPE_RECORD (coop_record_get_type ())

G_DECLARE_DERIVABLE_TYPE (CoopRecord, coop_record, COOP, RECORD, GObject)

struct _CoopRecordClass
{
  GObjectClass parent_class;

  /*< private >*/
  const CoopField *fields;
  guint            n_fields;
  const char      *type_label;
  const char      *title_field;
  void           (*copy_children) (CoopRecord *dest,
                                   CoopRecord *src);
  GParamSpec     **pspecs;         /* the property of each field */
  const CoopField *title;          /* the field of title_field, or %NULL */
  const CoopField *pinyin_key;     /* the stored %COOP_FIELD_PINYIN field, or %NULL */
};

gint64           coop_record_get_id             (CoopRecord  *self);
gint64           coop_record_get_revision       (CoopRecord  *self);
gpointer         coop_record_get_search_data    (CoopRecord  *self);
void             coop_record_set_search_data    (CoopRecord  *self,
                                                 gpointer     data);
const char      *coop_record_get_title          (CoopRecord  *self);
const char      *coop_record_get_type_label     (CoopRecord  *self);
CoopRecord      *coop_record_copy               (CoopRecord  *self);
void             coop_record_assign             (CoopRecord  *self,
                                                 CoopRecord  *src);
void             coop_record_normalize          (CoopRecord  *self);
const char      *coop_record_get_pinyin_key     (CoopRecord  *self);
guint            coop_field_kind_max_length     (CoopFieldKind kind);
gboolean         coop_record_validate           (CoopRecord  *self,
                                                 GError     **error);
gboolean         coop_record_validate_field     (CoopRecord  *self,
                                                 const char  *name,
                                                 GError     **error);
gboolean         coop_record_check_field        (CoopRecord      *self,
                                                 const CoopField *field,
                                                 GError         **error);

const CoopField *coop_record_class_get_fields   (CoopRecordClass *klass,
                                                 guint           *n_fields);
const CoopField *coop_record_class_find_field   (CoopRecordClass *klass,
                                                 const char      *name);

const char      *coop_record_get_string         (CoopRecord      *self,
                                                 const CoopField *field);
int              coop_record_get_int            (CoopRecord      *self,
                                                 const CoopField *field);
gint64           coop_record_get_ref            (CoopRecord      *self,
                                                 const CoopField *field);
char            *coop_record_dup_display        (CoopRecord      *self,
                                                 const CoopField *field);
gboolean         coop_record_field_equal        (CoopRecord      *a,
                                                 CoopRecord      *b,
                                                 const CoopField *field);

G_END_DECLS
