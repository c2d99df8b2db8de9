/* coop-search.c — folded search keys cached on records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-search"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pinyin.h"
#include "coop-pool.h"
#include "coop-search.h"
#include "coop-student.h"
#include "coop-text.h"

/* A record matches when the folded text of its searched fields holds the
 * folded query, or, for a query of Latin letters, when the pinyin of its
 * names spells it (coop-pinyin.h).  The search key is made on first use
 * from the record's fields and the pinyin keys the store keeps with it,
 * and dropped when the store reports the record changed, so a keystroke
 * only runs strstr() and coop_pinyin_matches() over ready keys. */

/* The fields a search looks at, the same in lists and pickers. */
static const char * const *
search_properties (CoopRecord *record)
{
  static const char * const partner[] = { "name", "short-name", "credit-code", "industry",
                                          "city", NULL };
  static const char * const contact[] = { "name", "title", "partner-name", "department-name",
                                          "phone", "email", NULL };
  static const char * const agreement[] = { "title", "partner-name", "department-name", "kind",
                                            "status", NULL };
  static const char * const event[] = { "title", "partner-name", "location", "kind",
                                        "starts-at", NULL };
  static const char * const student[] = { "number", "name", "department-name", "major",
                                          "class-name", NULL };
  static const char * const pool[] = { "title", "partner-name", "position", "kind", NULL };
  static const char * const candidate[] = { "student-number", "student-name", "major",
                                            "class-name", "stage", NULL };
  static const char * const other[] = { "name", "title", NULL };

  if (COOP_IS_PARTNER (record))
    return partner;
  if (COOP_IS_CONTACT (record))
    return contact;
  if (COOP_IS_AGREEMENT (record))
    return agreement;
  if (COOP_IS_EVENT (record))
    return event;
  if (COOP_IS_STUDENT (record))
    return student;
  if (COOP_IS_POOL (record))
    return pool;
  if (COOP_IS_CANDIDATE (record))
    return candidate;
  return other;
}

/* What a keystroke reads of a record, in one block: the folded text of
 * the searched fields, then the record's pinyin keys, which the store
 * keeps (coop-pinyin.h), with a mask of the letters their readings start
 * with, which turns most records away at once. */
typedef struct {
  guint32 initials;
  guint32 pinyin_at;   /* where the pinyin keys start in text */
  char    text[];      /* "folded\0pinyin\x1fpinyin" */
} SearchKey;

static SearchKey *
build_key (CoopRecord *record)
{
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (record);
  const char * const *properties = search_properties (record);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) pinyin = g_string_new (NULL);
  g_autofree char *folded = NULL;
  const CoopField *fields;
  guint n_fields;
  SearchKey *key;

  for (guint i = 0; properties[i] != NULL; i++)
    {
      const CoopField *field = coop_record_class_find_field (klass, properties[i]);
      g_autofree char *display = NULL;

      if (field == NULL)
        continue;
      display = coop_record_dup_display (record, field);
      if (display == NULL || display[0] == '\0')
        continue;
      g_string_append (text, display);
      /* Folding drops white space, so fields are kept apart by a control
       * character no search text contains. */
      g_string_append_c (text, '\x1f');
    }

  fields = coop_record_class_get_fields (klass, &n_fields);
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].flags & COOP_FIELD_PINYIN)
      {
        const char *part = coop_record_get_string (record, &fields[i]);

        if (part == NULL)
          continue;
        if (pinyin->len > 0)
          g_string_append_c (pinyin, COOP_PINYIN_FIELD_SEPARATOR);
        g_string_append (pinyin, part);
      }

  folded = coop_text_fold (text->str);
  key = g_malloc (sizeof (SearchKey) + strlen (folded) + 1 + pinyin->len + 1);
  key->initials = coop_pinyin_initials (pinyin->str);
  key->pinyin_at = (guint32) strlen (folded) + 1;
  memcpy (key->text, folded, key->pinyin_at);
  memcpy (key->text + key->pinyin_at, pinyin->str, pinyin->len + 1);
  return key;
}

static SearchKey *
get_key (CoopRecord *record)
{
  SearchKey *key = coop_record_get_search_data (record);

  if (key == NULL)
    {
      key = build_key (record);
      coop_record_set_search_data (record, key);
    }

  return key;
}

const char *
coop_search_get_key (CoopRecord *record)
{
  return get_key (record)->text;
}

void
coop_search_forget_key (CoopRecord *record)
{
  coop_record_set_search_data (record, NULL);
}

static void
on_list_items_changed_cb (GListModel *list,
                          guint       position,
                          guint       removed,
                          guint       added,
                          gpointer    user_data)
{
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (list, position + i);

      coop_search_forget_key (record);
    }
}

/* Drops the cached key of every record the list reports as changed.  The
 * handler runs before the views' own, so they filter on fresh keys. */
void
coop_search_track_list (GListModel *list)
{
  if (g_object_get_data (G_OBJECT (list), "coop-search-tracked") != NULL)
    return;
  g_object_set_data (G_OBJECT (list), "coop-search-tracked", GINT_TO_POINTER (1));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_list_items_changed_cb), NULL);
}

struct _CoopSearchQuery
{
  char *folded;
  char *pinyin;  /* the letters of a Latin query, or NULL */
};

/**
 * coop_search_query_new:
 * @text: (nullable): what the user typed
 *
 * Returns: (transfer full): the query, to be matched against many records
 */
CoopSearchQuery *
coop_search_query_new (const char *text)
{
  CoopSearchQuery *query = g_new0 (CoopSearchQuery, 1);

  query->folded = coop_text_fold (text);
  query->pinyin = coop_pinyin_prepare_query (query->folded);
  return query;
}

void
coop_search_query_free (CoopSearchQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->folded);
  g_free (query->pinyin);
  g_free (query);
}

gboolean
coop_search_query_is_empty (const CoopSearchQuery *query)
{
  return query == NULL || query->folded[0] == '\0';
}

gboolean
coop_search_query_equal (const CoopSearchQuery *a,
                         const CoopSearchQuery *b)
{
  return g_strcmp0 (a != NULL ? a->folded : "", b != NULL ? b->folded : "") == 0;
}

/**
 * coop_search_query_narrows:
 * @before: (nullable): the query the records were matched against
 * @after: (nullable): the new one
 *
 * Returns: whether every record @after matches is sure to match @before
 *   too, so that only the records matched so far need to be tried
 */
gboolean
coop_search_query_narrows (const CoopSearchQuery *before,
                           const CoopSearchQuery *after)
{
  if (coop_search_query_is_empty (before))
    return TRUE;
  if (coop_search_query_is_empty (after))
    return FALSE;

  /* Pinyin spells from the start of a syllable: "han" is inside "zhang"
   * but does not find 张三, which "zhang" finds.  Of two Latin queries
   * only one that starts with the other narrows it. */
  if (before->pinyin != NULL || after->pinyin != NULL)
    return g_str_has_prefix (after->folded, before->folded);
  return strstr (after->folded, before->folded) != NULL;
}

/**
 * coop_search_matches:
 * @record: a record
 * @query: (nullable): a query; %NULL or an empty one matches everything
 *
 * Returns: whether @record is one the user searches for
 */
gboolean
coop_search_matches (CoopRecord      *record,
                     CoopSearchQuery *query)
{
  SearchKey *key;

  if (coop_search_query_is_empty (query))
    return TRUE;

  key = get_key (record);
  if (strstr (key->text, query->folded) != NULL)
    return TRUE;
  return query->pinyin != NULL &&
         (key->initials & (1u << (query->pinyin[0] - 'a'))) != 0 &&
         coop_pinyin_matches (key->text + key->pinyin_at, query->pinyin);
}

typedef struct {
  GListModel *list;
  guint       position;
} PrepareData;

static void
prepare_data_free (gpointer user_data)
{
  PrepareData *data = user_data;

  g_object_unref (data->list);
  g_free (data);
}

static gboolean
prepare_idle_cb (gpointer user_data)
{
  PrepareData *data = user_data;
  guint n = g_list_model_get_n_items (data->list);
  guint end = MIN (n, data->position + 2000);

  for (; data->position < end; data->position++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (data->list, data->position);

      coop_search_get_key (record);
    }

  return data->position < n ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Computes the keys of a large list a little at a time while the user
 * is idle, so that the first keystroke does not pay for all of them. */
void
coop_search_prepare_list (GListModel *list)
{
  PrepareData *data = g_new0 (PrepareData, 1);

  data->list = g_object_ref (list);
  g_idle_add_full (G_PRIORITY_LOW, prepare_idle_cb, data, prepare_data_free);
}
