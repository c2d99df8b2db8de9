/* coop-record-private.h — what record classes, the store and the importer
 * (which fills one record row after row) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_FIELD_PTR(record, field, ctype) \
  ((ctype *) (gpointer) ((guint8 *) (record) + (field)->offset))

void coop_record_class_install_fields (CoopRecordClass *klass,
                                       const CoopField *fields,
                                       guint            n_fields,
                                       const char      *type_label,
                                       const char      *title_field);
void coop_record_set_revision         (CoopRecord      *self,
                                       gint64           revision);
void coop_record_set_id               (CoopRecord      *self,
                                       gint64           id);
void coop_record_take_string          (CoopRecord      *self,
                                       const CoopField *field,
                                       char            *value);
void coop_record_set_string           (CoopRecord      *self,
                                       const CoopField *field,
                                       const char      *value);
void coop_record_set_int              (CoopRecord      *self,
                                       const CoopField *field,
                                       int              value);
void coop_record_set_ref              (CoopRecord      *self,
                                       const CoopField *field,
                                       gint64           value);
void coop_record_init_string          (CoopRecord      *self,
                                       const CoopField *field,
                                       const char      *value,
                                       gssize           len);

/* One copy of each value of the fields with few distinct values, while a
 * backend reads a whole table: see coop-record.c. */
typedef struct _CoopStringShare CoopStringShare;

CoopStringShare *coop_string_share_new   (void);
void             coop_string_share_free  (CoopStringShare *share);
void             coop_record_init_shared (CoopRecord      *self,
                                          const CoopField *field,
                                          CoopStringShare *share,
                                          const char      *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopStringShare, coop_string_share_free)
void coop_record_init_ref_string      (CoopRecord      *self,
                                       const CoopField *field,
                                       char            *value);
void coop_record_load                 (CoopRecord      *self,
                                       CoopRecord      *src);
const char *coop_record_normalize_value (const CoopField *field,
                                         const char      *value,
                                         char           **owned);

/* Typed getters and setters of the record classes, defined from the field
 * table so that each is one line. */
#define COOP_DEFINE_STRING_ACCESSORS(Type, prefix, member, index)                \
  const char *prefix##_get_##member (Type *self)                                  \
  {                                                                               \
    return self->member;                                                          \
  }                                                                               \
  void prefix##_set_##member (Type *self, const char *value)                      \
  {                                                                               \
    coop_record_set_string ((CoopRecord *) self, &fields[index], value);          \
  }

#define COOP_DEFINE_INT_ACCESSORS(Type, prefix, member, ctype, index)            \
  ctype prefix##_get_##member (Type *self)                                        \
  {                                                                               \
    return (ctype) self->member;                                                  \
  }                                                                               \
  void prefix##_set_##member (Type *self, ctype value)                            \
  {                                                                               \
    coop_record_set_int ((CoopRecord *) self, &fields[index], (int) value);       \
  }

#define COOP_DEFINE_REF_ACCESSORS(Type, prefix, member, index)                   \
  gint64 prefix##_get_##member (Type *self)                                       \
  {                                                                               \
    return self->member;                                                          \
  }                                                                               \
  void prefix##_set_##member (Type *self, gint64 value)                           \
  {                                                                               \
    coop_record_set_ref ((CoopRecord *) self, &fields[index], value);             \
  }

#define COOP_DEFINE_DERIVED_GETTER(Type, prefix, member)                         \
  const char *prefix##_get_##member (Type *self)                                  \
  {                                                                               \
    return self->member;                                                          \
  }

G_END_DECLS
