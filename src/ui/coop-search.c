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
 * keeps (coop-pinyin.h), with masks of the letters their readings start
 * with and of the pairs a query can start with, which turn most records
 * away at once.  The record keeps it in
 * an atomic reference-counted box (coop_record_set_search_data()), and a
 * block of keys keeps copies (CoopSearchBlock). */
typedef struct {
  guint64 pairs;       /* coop_pinyin_pairs() */
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
  key = g_atomic_rc_box_alloc (sizeof (SearchKey) + strlen (folded) + 1 + pinyin->len + 1);
  key->initials = coop_pinyin_initials (pinyin->str);
  key->pairs = coop_pinyin_pairs (pinyin->str);
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

      coop_record_set_search_data (record, NULL);
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
  guint64 pair;  /* coop_pinyin_pair() */
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
  query->pair = coop_pinyin_pair (query->pinyin);
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

static gboolean key_matches (const SearchKey       *key,
                             const CoopSearchQuery *query);

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
  if (coop_search_query_is_empty (query))
    return TRUE;
  return key_matches (get_key (record), query);
}

static gboolean
key_matches (const SearchKey       *key,
             const CoopSearchQuery *query)
{
  if (strstr (key->text, query->folded) != NULL)
    return TRUE;
  return query->pinyin != NULL &&
         (key->initials & (1u << (query->pinyin[0] - 'a'))) != 0 &&
         (query->pair == 0 || (key->pairs & query->pair) != 0) &&
         coop_pinyin_matches (key->text + key->pinyin_at, query->pinyin);
}

/* ------------------------------------------------------------------ blocks */

/* A keystroke over hundreds of thousands of records spends its time
 * fetching each record and then its key from wherever they were
 * allocated.  A block keeps copies of the keys of a list's records, one
 * after another in the list's order, so matching reads one run of memory
 * from start to end.  Each key sits in the block as it does in its box,
 * at an offset kept for each position of the list. */

#define MISSING G_MAXUINT32

struct _CoopSearchBlock
{
  char   *text;
  gsize   length;
  gsize   capacity;
  gsize   live;      /* bytes of keys still in the list; the rest is left over */
  GArray *offsets;   /* of guint32, one for each position, MISSING for a key not copied yet */
};

static gsize
key_size (const SearchKey *key)
{
  gsize size = sizeof (SearchKey) + key->pinyin_at + strlen (key->text + key->pinyin_at) + 1;

  /* Keys start on a boundary their numbers may be read at. */
  return (size + G_ALIGNOF (SearchKey) - 1) & ~(gsize) (G_ALIGNOF (SearchKey) - 1);
}

static guint32
block_append (CoopSearchBlock *block,
              const SearchKey *key)
{
  gsize size = key_size (key);
  gsize at = block->length;

  if (at + size > block->capacity)
    {
      block->capacity = MAX (MAX (block->capacity + block->capacity / 2, at + size), 65536);
      block->text = g_realloc (block->text, block->capacity);
    }
  memcpy (block->text + at, key, size);
  block->length += size;
  block->live += size;
  return (guint32) at;
}

static const SearchKey *
block_key (const CoopSearchBlock *block,
           guint                  position)
{
  guint32 offset = g_array_index (block->offsets, guint32, position);

  return offset != MISSING ? (const SearchKey *) (gconstpointer) (block->text + offset) : NULL;
}

/* Copies the keys into a new run in the list's order, leaving out what
 * the keys of records gone or changed took. */
static void
block_compact (CoopSearchBlock *block)
{
  char *old = block->text;

  block->capacity = block->live + block->live / 8;
  block->text = g_malloc (MAX (block->capacity, 1));
  block->length = block->live = 0;
  for (guint i = 0; i < block->offsets->len; i++)
    {
      guint32 *offset = &g_array_index (block->offsets, guint32, i);

      if (*offset != MISSING)
        *offset = block_append (block, (const SearchKey *) (gconstpointer) (old + *offset));
    }
  g_free (old);
}

CoopSearchBlock *
coop_search_block_new (void)
{
  CoopSearchBlock *block = g_new0 (CoopSearchBlock, 1);

  block->offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  return block;
}

void
coop_search_block_free (CoopSearchBlock *block)
{
  if (block == NULL)
    return;
  g_array_unref (block->offsets);
  g_free (block->text);
  g_free (block);
}

/**
 * coop_search_block_splice:
 * @block: a block
 * @position: where the list changed
 * @removed: how many records went from there
 * @added: (array length=n_added): the records that came in their place
 * @n_added: how many came
 *
 * Follows a change of the list, as "items-changed" reports it.  A record
 * the list reports again may have changed, and the search has dropped
 * its key then (coop_search_track_list()), so its key is copied anew.
 *
 * Returns: whether some of @added have no key yet, for
 *   coop_search_block_fill() to make
 */
gboolean
coop_search_block_splice (CoopSearchBlock   *block,
                          guint              position,
                          guint              removed,
                          CoopRecord * const *added,
                          guint              n_added)
{
  gboolean missing = FALSE;

  g_return_val_if_fail (position + removed <= block->offsets->len, FALSE);

  for (guint i = position; i < position + removed; i++)
    {
      const SearchKey *key = block_key (block, i);

      if (key != NULL)
        block->live -= key_size (key);
    }
  g_array_remove_range (block->offsets, position, removed);
  g_array_set_size (block->offsets, block->offsets->len + n_added);
  if (n_added > 0 && block->offsets->len > position + n_added)
    memmove (&g_array_index (block->offsets, guint32, position + n_added),
             &g_array_index (block->offsets, guint32, position),
             (block->offsets->len - n_added - position) * sizeof (guint32));
  for (guint i = 0; i < n_added; i++)
    {
      const SearchKey *key = coop_record_get_search_data (added[i]);

      g_array_index (block->offsets, guint32, position + i) = key != NULL
                                                              ? block_append (block, key)
                                                              : MISSING;
      missing |= key == NULL;
    }

  if (block->length - block->live > block->live)
    block_compact (block);
  return missing;
}

/**
 * coop_search_block_fill:
 * @block: a block
 * @records: (array length=n_records): the list's records, in its order
 * @n_records: as many as @block has positions
 * @from: the first position to look at
 * @most: how many keys to make at most
 *
 * Makes the keys still missing from @from on, at most @most of them.
 *
 * Returns: the position it stopped at: @n_records when no key is missing
 *   from @from on
 */
guint
coop_search_block_fill (CoopSearchBlock   *block,
                        CoopRecord * const *records,
                        guint              n_records,
                        guint              from,
                        guint              most)
{
  guint made = 0;

  g_return_val_if_fail (n_records == block->offsets->len, n_records);

  for (; from < n_records && made < most; from++)
    if (g_array_index (block->offsets, guint32, from) == MISSING)
      {
        guint32 offset = block_append (block, get_key (records[from]));

        g_array_index (block->offsets, guint32, from) = offset;
        made++;
      }

  /* Every key is in: give back the room left for more. */
  if (from == n_records && made > 0 && block->capacity > block->length)
    {
      block->capacity = block->length;
      block->text = g_realloc (block->text, MAX (block->capacity, 1));
    }
  return from;
}

/**
 * coop_search_block_matches:
 * @block: a block
 * @position: a position in the list
 * @record: the record there
 * @query: a query
 *
 * The same as coop_search_matches(), from the copy of the key in @block
 * when it has one.  Only reads the block, so it may run in several
 * threads as long as nothing changes the block.
 *
 * Returns: whether @record is one the user searches for
 */
gboolean
coop_search_block_matches (const CoopSearchBlock *block,
                           guint                  position,
                           CoopRecord            *record,
                           CoopSearchQuery       *query)
{
  const SearchKey *key;

  if (coop_search_query_is_empty (query))
    return TRUE;
  key = block_key (block, position);
  return key != NULL ? key_matches (key, query) : coop_search_matches (record, query);
}
