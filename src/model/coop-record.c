/* coop-record.c — the base class of every record the store keeps
 *
 * Each record class describes its fields once, in a CoopField table.  From
 * that table this file installs one GObject property per field, copies and
 * compares records, normalises and validates what users typed; the store uses
 * the same table to read and write rows.  String fields hold GRefStrings so
 * that copies are cheap and the many repeated values of a large database (a
 * major, a class, a partner's name on 200,000 candidates) are kept once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-record"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-error.h"
#include "coop-pinyin.h"
#include "coop-record-private.h"
#include "coop-text.h"

typedef struct
{
  gint64 id;
  gint64 revision;      /* of the row it was read from; 0 when not saved */
  gpointer search_data; /* see coop_record_set_search_data() */
} CoopRecordPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CoopRecord, coop_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ helpers */

static char *
ref_string_new (const CoopField *field,
                const char      *value,
                gssize           len)
{
  if (value == NULL || len == 0 || (len < 0 && *value == '\0'))
    return NULL;

  if (field->flags & (COOP_FIELD_SHARED | COOP_FIELD_DERIVED))
    {
      if (len >= 0)
        {
          g_autofree char *copy = g_strndup (value, (gsize) len);
          return g_ref_string_new_intern (copy);
        }
      return g_ref_string_new_intern (value);
    }

  return len >= 0 ? g_ref_string_new_len (value, len) : g_ref_string_new (value);
}

/* Whether @text is what coop_text_normalize() makes of it: printable ASCII
 * and CJK unified ideographs (U+4E00…U+9FFF), which NFKC leaves as they are,
 * with no white space at either end.  Most values typed or imported are
 * such text, and NFKC is the slow part of checking them. */
static gboolean
is_normal_text (const char *text)
{
  const guchar *p = (const guchar *) text;

  if (*p == ' ')
    return FALSE;

  while (*p != '\0')
    {
      if (*p >= 0x20 && *p <= 0x7e)
        {
          if (*p == ' ' && p[1] == '\0')
            return FALSE;
          p++;
        }
      else if (*p >= 0xe4 && *p <= 0xe9 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
        {
          gunichar c = ((gunichar) (p[0] & 0x0f) << 12) | ((gunichar) (p[1] & 0x3f) << 6) |
                       (gunichar) (p[2] & 0x3f);

          if (c < 0x4e00 || c > 0x9fff)
            return FALSE;
          p += 3;
        }
      else
        return FALSE;
    }

  return TRUE;
}

/* Digits with perhaps a leading "+": a phone number as
 * coop_text_normalize_phone() leaves it. */
static gboolean
is_normal_phone (const char *text)
{
  const char *p = *text == '+' ? text + 1 : text;

  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static GParamSpec *
param_spec_for_field (const CoopField *field)
{
  GParamFlags flags = G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  flags |= (field->flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN)) ? G_PARAM_READABLE
                                                                    : G_PARAM_READWRITE;

  switch (field->kind)
    {
    case COOP_FIELD_STRING:
    case COOP_FIELD_TEXT:
    case COOP_FIELD_PHONE:
    case COOP_FIELD_EMAIL:
    case COOP_FIELD_URL:
    case COOP_FIELD_CREDIT_CODE:
    case COOP_FIELD_STUDENT_NUMBER:
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
      return g_param_spec_string (field->name, NULL, NULL, NULL, flags);

    case COOP_FIELD_COUNT:
      return g_param_spec_int (field->name, NULL, NULL, 0, G_MAXINT, 0, flags);

    case COOP_FIELD_YEAR:
      return g_param_spec_int (field->name, NULL, NULL, 0, 9999, 0, flags);

    case COOP_FIELD_ENUM:
      return g_param_spec_enum (field->name, NULL, NULL, field->enum_type (), 0, flags);

    case COOP_FIELD_REF:
      return g_param_spec_int64 (field->name, NULL, NULL, 0, G_MAXINT64, 0, flags);

    default:
      g_assert_not_reached ();
    }
}

/* The property is found by the field's place in the class's table, not by
 * its name: a lookup by name takes a lock, and setters run for every row of
 * an import. */
static void
notify_field (CoopRecord      *self,
              const CoopField *field)
{
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self);

  g_assert (field >= klass->fields && field < klass->fields + klass->n_fields);
  g_object_notify_by_pspec (G_OBJECT (self), klass->pspecs[field - klass->fields]);

  if (field == klass->title)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static GError *
field_error (const CoopField *field,
             const char      *format,
             ...) G_GNUC_PRINTF (2, 3);

static GError *
field_error (const CoopField *field,
             const char      *format,
             ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* TRANSLATORS: "Ends on: 2023-02-30 is not a date in the calendar." */
  return g_error_new (COOP_ERROR, COOP_ERROR_VALIDATION, _("%s: %s"),
                      g_dgettext (GETTEXT_PACKAGE, field->label), reason);
}

/* ------------------------------------------------------------------ overrides */

static void
coop_record_finalize (GObject *object)
{
  CoopRecord *self = COOP_RECORD (object);
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self);
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  g_clear_pointer (&priv->search_data, g_atomic_rc_box_release);
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CoopField *field = &klass->fields[i];

      if (COOP_FIELD_IS_STRING (field->kind))
        g_clear_pointer (COOP_FIELD_PTR (self, field, char *), g_ref_string_release);
    }

  G_OBJECT_CLASS (coop_record_parent_class)->finalize (object);
}

static void
coop_record_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CoopRecord *self = COOP_RECORD (object);
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, priv->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, coop_record_get_title (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
coop_record_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CoopRecord *self = COOP_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      coop_record_set_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The property handlers of the subclasses: prop_id is the index in the
 * class's field table plus one. */
static void
coop_record_get_field_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CoopRecord *self = COOP_RECORD (object);
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self);
  const CoopField *field;

  g_assert (prop_id >= 1 && prop_id <= klass->n_fields);
  field = &klass->fields[prop_id - 1];

  if (COOP_FIELD_IS_STRING (field->kind))
    g_value_set_string (value, *COOP_FIELD_PTR (self, field, char *));
  else if (field->kind == COOP_FIELD_ENUM)
    g_value_set_enum (value, *COOP_FIELD_PTR (self, field, int));
  else if (COOP_FIELD_IS_INT (field->kind))
    g_value_set_int (value, *COOP_FIELD_PTR (self, field, int));
  else
    g_value_set_int64 (value, *COOP_FIELD_PTR (self, field, gint64));
}

static void
coop_record_set_field_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CoopRecord *self = COOP_RECORD (object);
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self);
  const CoopField *field;

  g_assert (prop_id >= 1 && prop_id <= klass->n_fields);
  field = &klass->fields[prop_id - 1];

  if (COOP_FIELD_IS_STRING (field->kind))
    coop_record_set_string (self, field, g_value_get_string (value));
  else if (field->kind == COOP_FIELD_ENUM)
    coop_record_set_int (self, field, g_value_get_enum (value));
  else if (COOP_FIELD_IS_INT (field->kind))
    coop_record_set_int (self, field, g_value_get_int (value));
  else
    coop_record_set_ref (self, field, g_value_get_int64 (value));
}

static void
coop_record_class_init (CoopRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = coop_record_finalize;
  object_class->get_property = coop_record_get_property;
  object_class->set_property = coop_record_set_property;

  /**
   * CoopRecord:id:
   *
   * The row id in the store; 0 for a record not saved yet.
   */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CoopRecord:title:
   *
   * The text that names the record to users: a partner's name, an
   * agreement's title, a candidate's student.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
coop_record_init (CoopRecord *self)
{
}

/* ------------------------------------------------------------------ private */

void
coop_record_class_install_fields (CoopRecordClass *klass,
                                  const CoopField *fields,
                                  guint            n_fields,
                                  const char      *type_label,
                                  const char      *title_field)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  klass->fields = fields;
  klass->n_fields = n_fields;
  klass->type_label = type_label;
  klass->title_field = title_field;

  object_class->get_property = coop_record_get_field_property;
  object_class->set_property = coop_record_set_field_property;

  /* Kept for the life of the program, as classes are. */
  klass->pspecs = g_new (GParamSpec *, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      klass->pspecs[i] = param_spec_for_field (&fields[i]);
      g_object_class_install_property (object_class, i + 1, klass->pspecs[i]);
    }
  klass->title = coop_record_class_find_field (klass, title_field);
  for (guint i = 0; i < n_fields; i++)
    if ((fields[i].flags & COOP_FIELD_PINYIN) && !(fields[i].flags & COOP_FIELD_DERIVED))
      klass->pinyin_key = &fields[i];
}

void
coop_record_set_id (CoopRecord *self,
                    gint64      id)
{
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  if (priv->id == id)
    return;

  priv->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

/* The revision counts the saves of the row: a save or delete made from a
 * copy of an older revision is refused as a conflict.  It is not a field:
 * no list shows it and the change log does not describe it. */
void
coop_record_set_revision (CoopRecord *self,
                          gint64      revision)
{
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  priv->revision = revision;
}

/**
 * coop_record_get_revision:
 * @self: a #CoopRecord
 *
 * Returns: how many times the row this record was read from had been
 *   saved; 0 for a record not saved yet
 */
gint64
coop_record_get_revision (CoopRecord *self)
{
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  return priv->revision;
}

/**
 * coop_record_get_search_data:
 * @self: a #CoopRecord
 *
 * Returns: (transfer none) (nullable): what coop_record_set_search_data()
 *   left
 */
gpointer
coop_record_get_search_data (CoopRecord *self)
{
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  return priv->search_data;
}

/**
 * coop_record_set_search_data:
 * @self: a #CoopRecord
 * @data: (transfer full) (nullable): a block from g_atomic_rc_box_alloc()
 *
 * Keeps what a search derives from the record's fields with it, where
 * matching a query against many records finds it without a lookup; the
 * record's reference to the block given before, and to this one when the
 * record goes, is released with g_atomic_rc_box_release(), so others may
 * hold on to a block of their own.  The record itself never looks at it:
 * whoever keeps it drops it when the record changes.
 */
void
coop_record_set_search_data (CoopRecord *self,
                             gpointer    data)
{
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  g_clear_pointer (&priv->search_data, g_atomic_rc_box_release);
  priv->search_data = data;
}

/* Stores a value read from the database without notifying: the record is
 * not visible to anyone yet. */
void
coop_record_init_string (CoopRecord      *self,
                         const CoopField *field,
                         const char      *value,
                         gssize           len)
{
  char **slot = COOP_FIELD_PTR (self, field, char *);

  g_clear_pointer (slot, g_ref_string_release);
  *slot = ref_string_new (field, value, len);
}

/* A table read keeps one GRefString for each value of a field with few
 * distinct values (a department, a partner's name on each of its
 * candidates), so that each value is looked up in GLib's table of interned
 * strings, behind its lock, once per read rather than once per row. */
struct _CoopStringShare
{
  GHashTable *strings;   /* GRefString, one reference each */
};

CoopStringShare *
coop_string_share_new (void)
{
  CoopStringShare *share = g_new0 (CoopStringShare, 1);

  share->strings = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          (GDestroyNotify) g_ref_string_release, NULL);
  return share;
}

void
coop_string_share_free (CoopStringShare *share)
{
  if (share == NULL)
    return;
  g_hash_table_unref (share->strings);
  g_free (share);
}

/* Sets @field of a record being built to @value, from @share. */
void
coop_record_init_shared (CoopRecord      *self,
                         const CoopField *field,
                         CoopStringShare *share,
                         const char      *value)
{
  char *found = g_hash_table_lookup (share->strings, value);

  if (found == NULL)
    {
      found = g_ref_string_new_intern (value);
      g_hash_table_add (share->strings, found);
    }

  g_clear_pointer (COOP_FIELD_PTR (self, field, char *), g_ref_string_release);
  *COOP_FIELD_PTR (self, field, char *) = g_ref_string_acquire (found);
}

/* Like coop_record_init_string(), with a GRefString of the caller's, of
 * which @self takes a reference: an import keeps the few values of a
 * shared field (a major, a class) rather than making them anew for each
 * row. */
void
coop_record_init_ref_string (CoopRecord      *self,
                             const CoopField *field,
                             char            *value)
{
  char **slot = COOP_FIELD_PTR (self, field, char *);

  g_assert (COOP_FIELD_IS_STRING (field->kind));
  if (*slot == value)
    return;
  g_clear_pointer (slot, g_ref_string_release);
  *slot = value != NULL && *value != '\0' ? g_ref_string_acquire (value) : NULL;
}

/* Gives @self the id and values of @src, or none when @src is %NULL,
 * without notifying: for a record that nobody watches, such as the one an
 * import fills row after row. */
void
coop_record_load (CoopRecord *self,
                  CoopRecord *src)
{
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self);
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  g_return_if_fail (src == NULL || G_OBJECT_TYPE (self) == G_OBJECT_TYPE (src));

  priv->id = src != NULL ? coop_record_get_id (src) : 0;
  priv->revision = src != NULL ? coop_record_get_revision (src) : 0;
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CoopField *field = &klass->fields[i];

      if (COOP_FIELD_IS_STRING (field->kind))
        {
          char **slot = COOP_FIELD_PTR (self, field, char *);
          char *value = src != NULL ? *COOP_FIELD_PTR (src, field, char *) : NULL;

          g_clear_pointer (slot, g_ref_string_release);
          *slot = value != NULL ? g_ref_string_acquire (value) : NULL;
        }
      else if (COOP_FIELD_IS_INT (field->kind))
        *COOP_FIELD_PTR (self, field, int) = src != NULL ? *COOP_FIELD_PTR (src, field, int) : 0;
      else
        *COOP_FIELD_PTR (self, field, gint64) =
          src != NULL ? *COOP_FIELD_PTR (src, field, gint64) : 0;
    }
}

void
coop_record_set_string (CoopRecord      *self,
                        const CoopField *field,
                        const char      *value)
{
  char **slot = COOP_FIELD_PTR (self, field, char *);

  g_return_if_fail (COOP_FIELD_IS_STRING (field->kind));

  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*slot, value) == 0)
    return;

  g_clear_pointer (slot, g_ref_string_release);
  *slot = ref_string_new (field, value, -1);
  notify_field (self, field);
}

/* Takes a plain g_malloc()ed string. */
void
coop_record_take_string (CoopRecord      *self,
                         const CoopField *field,
                         char            *value)
{
  coop_record_set_string (self, field, value);
  g_free (value);
}

void
coop_record_set_int (CoopRecord      *self,
                     const CoopField *field,
                     int              value)
{
  int *slot = COOP_FIELD_PTR (self, field, int);

  g_return_if_fail (COOP_FIELD_IS_INT (field->kind));

  if (*slot == value)
    return;

  *slot = value;
  notify_field (self, field);
}

void
coop_record_set_ref (CoopRecord      *self,
                     const CoopField *field,
                     gint64           value)
{
  gint64 *slot = COOP_FIELD_PTR (self, field, gint64);

  g_return_if_fail (field->kind == COOP_FIELD_REF);

  if (*slot == value)
    return;

  *slot = value;
  notify_field (self, field);
}

/* ------------------------------------------------------------------ public */

gint64
coop_record_get_id (CoopRecord *self)
{
  CoopRecordPrivate *priv = coop_record_get_instance_private (self);

  g_return_val_if_fail (COOP_IS_RECORD (self), 0);

  return priv->id;
}

/**
 * coop_record_get_title:
 * @self: a #CoopRecord
 *
 * Returns: (nullable): the text that names the record to users
 */
const char *
coop_record_get_title (CoopRecord *self)
{
  CoopRecordClass *klass;
  const CoopField *field;

  g_return_val_if_fail (COOP_IS_RECORD (self), NULL);

  klass = COOP_RECORD_GET_CLASS (self);
  field = klass->title;
  return field != NULL ? coop_record_get_string (self, field) : NULL;
}

/**
 * coop_record_get_type_label:
 *
 * Returns: the translated name of the kind of record, "Partner"
 */
const char *
coop_record_get_type_label (CoopRecord *self)
{
  g_return_val_if_fail (COOP_IS_RECORD (self), NULL);

  return g_dgettext (GETTEXT_PACKAGE, COOP_RECORD_GET_CLASS (self)->type_label);
}

const CoopField *
coop_record_class_get_fields (CoopRecordClass *klass,
                              guint           *n_fields)
{
  g_return_val_if_fail (COOP_IS_RECORD_CLASS (klass), NULL);

  if (n_fields != NULL)
    *n_fields = klass->n_fields;
  return klass->fields;
}

/**
 * coop_record_class_find_field:
 *
 * Returns: (nullable): the field named @name, or %NULL
 */
const CoopField *
coop_record_class_find_field (CoopRecordClass *klass,
                              const char      *name)
{
  g_return_val_if_fail (COOP_IS_RECORD_CLASS (klass), NULL);

  if (name == NULL)
    return NULL;

  for (guint i = 0; i < klass->n_fields; i++)
    if (strcmp (klass->fields[i].name, name) == 0)
      return &klass->fields[i];

  return NULL;
}

const char *
coop_record_get_string (CoopRecord      *self,
                        const CoopField *field)
{
  g_return_val_if_fail (COOP_IS_RECORD (self), NULL);
  g_return_val_if_fail (COOP_FIELD_IS_STRING (field->kind), NULL);

  return *COOP_FIELD_PTR (self, field, char *);
}

int
coop_record_get_int (CoopRecord      *self,
                     const CoopField *field)
{
  g_return_val_if_fail (COOP_IS_RECORD (self), 0);
  g_return_val_if_fail (COOP_FIELD_IS_INT (field->kind), 0);

  return *COOP_FIELD_PTR (self, field, int);
}

gint64
coop_record_get_ref (CoopRecord      *self,
                     const CoopField *field)
{
  g_return_val_if_fail (COOP_IS_RECORD (self), 0);
  g_return_val_if_fail (field->kind == COOP_FIELD_REF, 0);

  return *COOP_FIELD_PTR (self, field, gint64);
}

/**
 * coop_record_dup_display:
 * @self: a #CoopRecord
 * @field: one of its fields
 *
 * Returns: (transfer full) (nullable): the value as users read it: the
 *   translated label of an enum, a number in decimal, text as it is
 */
char *
coop_record_dup_display (CoopRecord      *self,
                         const CoopField *field)
{
  g_return_val_if_fail (COOP_IS_RECORD (self), NULL);

  switch (field->kind)
    {
    case COOP_FIELD_ENUM:
      return g_strdup (coop_enum_get_label (field->enum_type (),
                                            coop_record_get_int (self, field)));

    case COOP_FIELD_COUNT:
    case COOP_FIELD_YEAR:
      {
        int value = coop_record_get_int (self, field);
        return field->kind == COOP_FIELD_YEAR && value == 0 ? NULL : g_strdup_printf ("%d", value);
      }

    case COOP_FIELD_REF:
      {
        gint64 value = coop_record_get_ref (self, field);
        return value == 0 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, value);
      }

    case COOP_FIELD_STRING:
    case COOP_FIELD_TEXT:
    case COOP_FIELD_PHONE:
    case COOP_FIELD_EMAIL:
    case COOP_FIELD_URL:
    case COOP_FIELD_CREDIT_CODE:
    case COOP_FIELD_STUDENT_NUMBER:
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
    default:
      return g_strdup (coop_record_get_string (self, field));
    }
}

gboolean
coop_record_field_equal (CoopRecord      *a,
                         CoopRecord      *b,
                         const CoopField *field)
{
  if (COOP_FIELD_IS_STRING (field->kind))
    return g_strcmp0 (coop_record_get_string (a, field), coop_record_get_string (b, field)) == 0;
  if (COOP_FIELD_IS_INT (field->kind))
    return coop_record_get_int (a, field) == coop_record_get_int (b, field);
  return coop_record_get_ref (a, field) == coop_record_get_ref (b, field);
}

/**
 * coop_record_copy:
 * @self: a #CoopRecord
 *
 * Editors change a copy and hand it to the store to save.
 *
 * Returns: (transfer full): a new record of the same type with the same id
 *   and the same values
 */
CoopRecord *
coop_record_copy (CoopRecord *self)
{
  CoopRecordClass *klass;
  CoopRecord *copy;

  g_return_val_if_fail (COOP_IS_RECORD (self), NULL);

  klass = COOP_RECORD_GET_CLASS (self);
  copy = g_object_new (G_OBJECT_TYPE (self), NULL);
  coop_record_set_id (copy, coop_record_get_id (self));
  coop_record_set_revision (copy, coop_record_get_revision (self));

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CoopField *field = &klass->fields[i];

      if (COOP_FIELD_IS_STRING (field->kind))
        {
          char *value = *COOP_FIELD_PTR (self, field, char *);
          *COOP_FIELD_PTR (copy, field, char *) = value ? g_ref_string_acquire (value) : NULL;
        }
      else if (COOP_FIELD_IS_INT (field->kind))
        *COOP_FIELD_PTR (copy, field, int) = *COOP_FIELD_PTR (self, field, int);
      else
        *COOP_FIELD_PTR (copy, field, gint64) = *COOP_FIELD_PTR (self, field, gint64);
    }

  if (klass->copy_children != NULL)
    klass->copy_children (copy, self);

  return copy;
}

/**
 * coop_record_assign:
 * @self: a #CoopRecord
 * @src: a record of the same type
 *
 * Gives @self the values of @src, notifying each property that changes.
 */
void
coop_record_assign (CoopRecord *self,
                    CoopRecord *src)
{
  CoopRecordClass *klass;

  g_return_if_fail (COOP_IS_RECORD (self));
  g_return_if_fail (G_OBJECT_TYPE (self) == G_OBJECT_TYPE (src));

  klass = COOP_RECORD_GET_CLASS (self);
  g_object_freeze_notify (G_OBJECT (self));

  coop_record_set_id (self, coop_record_get_id (src));
  coop_record_set_revision (self, coop_record_get_revision (src));
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CoopField *field = &klass->fields[i];

      if (coop_record_field_equal (self, src, field))
        continue;

      if (COOP_FIELD_IS_STRING (field->kind))
        {
          char **slot = COOP_FIELD_PTR (self, field, char *);
          char *value = *COOP_FIELD_PTR (src, field, char *);

          g_clear_pointer (slot, g_ref_string_release);
          *slot = value ? g_ref_string_acquire (value) : NULL;
        }
      else if (COOP_FIELD_IS_INT (field->kind))
        *COOP_FIELD_PTR (self, field, int) = *COOP_FIELD_PTR (src, field, int);
      else
        *COOP_FIELD_PTR (self, field, gint64) = *COOP_FIELD_PTR (src, field, gint64);

      notify_field (self, field);
    }

  if (klass->copy_children != NULL)
    klass->copy_children (self, src);

  g_object_thaw_notify (G_OBJECT (self));
}

/* The stored form of @value for @field: @value itself when it is in that
 * form already, else a new string put in @owned (%NULL when nothing is
 * left).  A value that cannot be normalised (a date that does not exist)
 * is only trimmed, for validation to report. */
const char *
coop_record_normalize_value (const CoopField  *field,
                             const char       *value,
                             char            **owned)
{
  char *normalized = NULL;

  *owned = NULL;
  if (value == NULL)
    return NULL;

  switch (field->kind)
    {
    case COOP_FIELD_TEXT:
      if (!g_ascii_isspace (value[0]) && (value[0] == '\0' ||
                                         !g_ascii_isspace (value[strlen (value) - 1])))
        return value;
      normalized = g_strstrip (g_strdup (value));
      break;

    case COOP_FIELD_PHONE:
      if (is_normal_phone (value))
        return value;
      normalized = coop_text_normalize_phone (value);
      break;

    case COOP_FIELD_CREDIT_CODE:
      {
        g_autofree char *plain = coop_text_normalize_phone (value);
        normalized = plain ? g_ascii_strup (plain, -1) : NULL;
      }
      break;

    case COOP_FIELD_DATE:
      normalized = coop_text_normalize_date (value);
      if (normalized == NULL)
        normalized = coop_text_normalize (value);
      break;

    case COOP_FIELD_DATETIME:
      normalized = coop_text_normalize_datetime (value);
      if (normalized == NULL)
        normalized = coop_text_normalize (value);
      break;

    case COOP_FIELD_STRING:
    case COOP_FIELD_EMAIL:
    case COOP_FIELD_URL:
    case COOP_FIELD_STUDENT_NUMBER:
      if (is_normal_text (value))
        return value;
      normalized = coop_text_normalize (value);
      break;

    case COOP_FIELD_COUNT:
    case COOP_FIELD_YEAR:
    case COOP_FIELD_ENUM:
    case COOP_FIELD_REF:
    default:
      g_assert_not_reached ();
    }

  *owned = normalized;
  return normalized;
}

/* The key holds the pinyin of every spelled field, in the class's order;
 * a record whose names have no letters has none (NULL, not ""). */
static void
update_pinyin_key (CoopRecord *self)
{
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (self);
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint i = 0; i < klass->n_fields; i++)
    if (klass->fields[i].flags & COOP_FIELD_SPELLED)
      coop_pinyin_append_key (key, *COOP_FIELD_PTR (self, &klass->fields[i], char *));

  coop_record_set_string (self, klass->pinyin_key, key->len > 0 ? key->str : NULL);
}

/**
 * coop_record_normalize:
 * @self: a #CoopRecord
 *
 * Puts what users typed into the stored form: surrounding spaces go, dates
 * become YYYY-MM-DD, phone numbers and codes lose full-width forms and
 * separators.  A value that cannot be normalised (a date that does not
 * exist) is left as typed, for validation to report.
 */
void
coop_record_normalize (CoopRecord *self)
{
  CoopRecordClass *klass;

  g_return_if_fail (COOP_IS_RECORD (self));

  klass = COOP_RECORD_GET_CLASS (self);
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const CoopField *field = &klass->fields[i];
      const char *value;
      const char *normalized;
      char *owned = NULL;

      if (!COOP_FIELD_IS_STRING (field->kind) ||
          (field->flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN)))
        continue;

      value = *COOP_FIELD_PTR (self, field, char *);
      normalized = coop_record_normalize_value (field, value, &owned);
      if (normalized != value)
        coop_record_take_string (self, field, owned);
    }

  if (klass->pinyin_key != NULL)
    update_pinyin_key (self);
}

/**
 * coop_record_get_pinyin_key:
 * @self: a #CoopRecord
 *
 * Returns: (nullable): the pinyin key of the record's names and titles, as
 *   the store keeps it, or %NULL for a record without one
 */
const char *
coop_record_get_pinyin_key (CoopRecord *self)
{
  CoopRecordClass *klass;

  g_return_val_if_fail (COOP_IS_RECORD (self), NULL);

  klass = COOP_RECORD_GET_CLASS (self);
  if (klass->pinyin_key == NULL)
    return NULL;
  return *COOP_FIELD_PTR (self, klass->pinyin_key, char *);
}

/**
 * coop_record_validate_field:
 * @self: a #CoopRecord, normalised
 * @name: the name of one of its fields
 * @error: return location for a %COOP_ERROR_VALIDATION error
 *
 * Checks one field on its own terms: required, a real date, not before the
 * date it follows, a valid code or address.  Uniqueness needs the database
 * and is checked by the store.
 *
 * Returns: whether the value may be stored
 */
gboolean
coop_record_validate_field (CoopRecord  *self,
                            const char  *name,
                            GError     **error)
{
  const CoopField *field;

  g_return_val_if_fail (COOP_IS_RECORD (self), FALSE);

  field = coop_record_class_find_field (COOP_RECORD_GET_CLASS (self), name);
  g_return_val_if_fail (field != NULL, FALSE);

  return coop_record_check_field (self, field, error);
}

/**
 * coop_field_kind_max_length:
 * @kind: the kind of a text field
 *
 * The most characters a field of @kind may hold, so that no value is too
 * long for the lists and sheets it appears in: 200 for one line of text (a
 * name, a title, a place), 10,000 for several lines (notes, a summary), 40
 * for a phone number or a student number, 254 for an e-mail address (the
 * most SMTP carries) and 2,048 for a web address.  Dates, and the credit
 * code of 18 characters, have their own form.
 *
 * Returns: the limit in characters, or 0 for a field of no text
 */
guint
coop_field_kind_max_length (CoopFieldKind kind)
{
  switch (kind)
    {
    case COOP_FIELD_STRING:
      return 200;
    case COOP_FIELD_TEXT:
      return 10000;
    case COOP_FIELD_PHONE:
    case COOP_FIELD_STUDENT_NUMBER:
      return 40;
    case COOP_FIELD_EMAIL:
      return 254;
    case COOP_FIELD_URL:
      return 2048;
    case COOP_FIELD_CREDIT_CODE:
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
    case COOP_FIELD_COUNT:
    case COOP_FIELD_YEAR:
    case COOP_FIELD_ENUM:
    case COOP_FIELD_REF:
    default:
      return 0;
    }
}

/**
 * coop_record_check_field:
 * @self: a #CoopRecord, normalised
 * @field: one of its fields
 * @error: return location for a %COOP_ERROR_VALIDATION error
 *
 * coop_record_validate_field() for a field in hand, as an import checks
 * every field of many rows.
 *
 * Returns: whether the value may be stored
 */
gboolean
coop_record_check_field (CoopRecord       *self,
                         const CoopField  *field,
                         GError          **error)
{
  const char *text = NULL;
  guint limit;

  if (field->flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN))
    return TRUE;

  if (COOP_FIELD_IS_STRING (field->kind))
    text = *COOP_FIELD_PTR (self, field, char *);

  if (field->flags & COOP_FIELD_REQUIRED)
    {
      gboolean empty;

      if (COOP_FIELD_IS_STRING (field->kind) && text != NULL && is_normal_text (text))
        empty = text[0] == '\0';
      else if (COOP_FIELD_IS_STRING (field->kind))
        {
          g_autofree char *stripped = coop_text_normalize (text);
          empty = stripped == NULL;
        }
      else if (field->kind == COOP_FIELD_REF)
        empty = *COOP_FIELD_PTR (self, field, gint64) == 0;
      else
        empty = FALSE;

      if (empty)
        {
          g_propagate_error (error, field_error (field, "%s", _("this field is required.")));
          return FALSE;
        }
    }

  if (field->kind == COOP_FIELD_YEAR)
    {
      int year = *COOP_FIELD_PTR (self, field, int);

      if (year != 0 && (year < 1950 || year > 2100))
        {
          g_propagate_error (error, field_error (field, _("%d is not a plausible year."), year));
          return FALSE;
        }
    }

  if (text == NULL)
    return TRUE;

  /* Bytes are never fewer than characters: only a long text is counted. */
  limit = coop_field_kind_max_length (field->kind);
  if (limit > 0 && strlen (text) > limit && g_utf8_strlen (text, -1) > (glong) limit)
    {
      g_propagate_error (error,
                         field_error (field, _("%ld characters, more than the %u it may hold."),
                                      g_utf8_strlen (text, -1), limit));
      return FALSE;
    }

  switch (field->kind)
    {
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
      {
        g_autofree char *normalized = field->kind == COOP_FIELD_DATE
                                      ? coop_text_normalize_date (text)
                                      : coop_text_normalize_datetime (text);
        const CoopField *before;
        const char *before_text;

        if (normalized == NULL)
          {
            g_propagate_error (error,
                               field_error (field,
                                            field->kind == COOP_FIELD_DATE
                                            ? _("“%s” is not a date in the calendar "
                                                "(dates are written like 2024-05-19).")
                                            : _("“%s” is not a date and time in the "
                                                "calendar (written like 2024-05-19 14:30)."),
                                            text));
            return FALSE;
          }

        before = coop_record_class_find_field (COOP_RECORD_GET_CLASS (self), field->not_before);
        before_text = before ? coop_record_get_string (self, before) : NULL;
        if (before_text != NULL && strcmp (normalized, before_text) < 0 &&
            coop_text_parse_date (before_text, &(GDateYear) { 0 }, &(GDateMonth) { 0 },
                                  &(GDateDay) { 0 }))
          {
            g_propagate_error (error,
                               field_error (field, _("%s is before %s (%s)."), normalized,
                                            g_dgettext (GETTEXT_PACKAGE, before->label),
                                            before_text));
            return FALSE;
          }
      }
      break;

    case COOP_FIELD_PHONE:
      if (!coop_text_is_phone (text))
        {
          g_propagate_error (error,
                             field_error (field, _("“%s” is not a phone number; use digits, "
                                                   "optionally starting with +."), text));
          return FALSE;
        }
      break;

    case COOP_FIELD_EMAIL:
      if (!coop_text_is_email (text))
        {
          g_propagate_error (error,
                             field_error (field, _("“%s” is not an e-mail address."), text));
          return FALSE;
        }
      break;

    case COOP_FIELD_STUDENT_NUMBER:
      if (!coop_text_is_student_number (text))
        {
          g_propagate_error (error,
                             field_error (field, _("“%s” is not a student number; use digits "
                                                   "and Latin letters only."), text));
          return FALSE;
        }
      break;

    case COOP_FIELD_CREDIT_CODE:
      {
        char expected = '\0';

        if (strlen (text) != 18)
          {
            g_propagate_error (error,
                               field_error (field, _("“%s” has %d characters; a unified social "
                                                     "credit code has 18."),
                                            text, (int) g_utf8_strlen (text, -1)));
            return FALSE;
          }
        if (!coop_text_check_credit_code (text, &expected))
          {
            if (expected == '\0')
              g_propagate_error (error,
                                 field_error (field, _("“%s” contains a character that a "
                                                       "unified social credit code never has "
                                                       "(I, O, S, V, Z or a symbol)."), text));
            else
              g_propagate_error (error,
                                 field_error (field, _("the check character of “%s” should be "
                                                       "%c; please look at the code again."),
                                              text, expected));
            return FALSE;
          }
      }
      break;

    case COOP_FIELD_URL:
      if (strchr (text, ' ') != NULL || strchr (text, '.') == NULL)
        {
          g_propagate_error (error, field_error (field, _("“%s” is not a web address."), text));
          return FALSE;
        }
      break;

    case COOP_FIELD_STRING:
    case COOP_FIELD_TEXT:
    case COOP_FIELD_COUNT:
    case COOP_FIELD_YEAR:
    case COOP_FIELD_ENUM:
    case COOP_FIELD_REF:
    default:
      break;
    }

  return TRUE;
}

/**
 * coop_record_validate:
 * @self: a #CoopRecord, normalised
 * @error: return location for the first %COOP_ERROR_VALIDATION error
 *
 * Returns: whether every field may be stored
 */
gboolean
coop_record_validate (CoopRecord  *self,
                      GError     **error)
{
  CoopRecordClass *klass;

  g_return_val_if_fail (COOP_IS_RECORD (self), FALSE);

  klass = COOP_RECORD_GET_CLASS (self);
  for (guint i = 0; i < klass->n_fields; i++)
    {
      if (!coop_record_check_field (self, &klass->fields[i], error))
        return FALSE;
    }

  return TRUE;
}
