/* coop-pinyin.c — finding Chinese names by their pinyin
 *
 * A pinyin key holds, for every Chinese character of a text, the readings it
 * may have, and for every word in Latin letters the word itself:
 *
 *     张三      "zhang san"
 *     单雄信    "shan|dan xiong xin"
 *     Li Ming   "li ming"
 *
 * Syllables are separated by a space, the readings of one character by "|",
 * the keys of two fields by COOP_PINYIN_FIELD_SEPARATOR.  A query of Latin
 * letters matches when it is spelt by consecutive syllables, each by its
 * whole reading or by the start of it: "zhangsan", "zs", "zhangs" and "zsan"
 * all find 张三.
 *
 * Readings come from ICU's Han-Latin transliterator, which gives one reading
 * a character, often not the one a surname has; the table below adds the
 * other readings of the polyphonic surnames and of a few common polyphonic
 * characters, so that a search never misses because of a guess.  Building a
 * key costs microseconds, so keys are kept with the records, never built on
 * a keystroke.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-pinyin"

#include "config.h"

#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "coop-pinyin.h"

/* The reading a surname has comes first. */
static const struct {
  const char *character;
  const char *readings;
} polyphones[] = {
  { "单", "shan|dan" },   { "曾", "zeng|ceng" },  { "解", "xie|jie" },
  { "仇", "qiu|chou" },   { "朴", "piao|pu" },    { "区", "ou|qu" },
  { "查", "zha|cha" },    { "盖", "ge|gai" },     { "尉", "yu|wei" },
  { "乐", "yue|le" },     { "覃", "qin|tan" },    { "翟", "zhai|di" },
  { "缪", "miao|mou" },   { "秘", "bi|mi" },      { "种", "chong|zhong" },
  { "召", "shao|zhao" },  { "长", "chang|zhang" }, { "柏", "bai|bo" },
  { "句", "gou|ju" },     { "贲", "ben|bi" },     { "繁", "po|fan" },
  { "黑", "he|hei" },     { "员", "yun|yuan" },   { "隗", "wei|kui" },
  { "行", "xing|hang" },  { "重", "zhong|chong" }, { "会", "hui|kuai" },
  { "藏", "zang|cang" },  { "传", "chuan|zhuan" }, { "调", "diao|tiao" },
  { "朝", "chao|zhao" },  { "厦", "xia|sha" },    { "都", "du|dou" },
  { "参", "can|shen" },   { "角", "jiao|jue" },   { "曲", "qu" },
};

static GMutex lock;
static UTransliterator *transliterator;
static GHashTable *readings;  /* gunichar → "reading|reading…" */

static const char *
table_readings (gunichar c)
{
  for (gsize i = 0; i < G_N_ELEMENTS (polyphones); i++)
    if (g_utf8_get_char (polyphones[i].character) == c)
      return polyphones[i].readings;
  return NULL;
}

static char *
transliterate (gunichar c)
{
  UChar text[32];
  int32_t length = 0;
  int32_t limit;
  UErrorCode status = U_ZERO_ERROR;
  g_autoptr(GString) reading = g_string_new (NULL);

  if (transliterator == NULL)
    {
      UChar id[64];

      u_uastrcpy (id, "Han-Latin; Latin-ASCII; Lower");
      transliterator = utrans_openU (id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
      if (U_FAILURE (status))
        {
          g_warning ("ICU has no Han-Latin transliterator: %s", u_errorName (status));
          transliterator = NULL;
          return NULL;
        }
    }

  U16_APPEND_UNSAFE (text, length, c);
  limit = length;
  utrans_transUChars (transliterator, text, &length, G_N_ELEMENTS (text) - 1, 0, &limit,
                      &status);
  if (U_FAILURE (status))
    return NULL;

  for (int32_t i = 0; i < length; i++)
    if (text[i] >= 'a' && text[i] <= 'z')
      g_string_append_c (reading, (char) text[i]);

  return reading->len > 0 ? g_string_free (g_steal_pointer (&reading), FALSE) : NULL;
}

/* Every reading of @c, the table's first, as "a|b"; NULL when none is known.
 * Each character is transliterated once per process. */
static const char *
han_readings (gunichar c)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);
  const char *found;
  g_autofree char *icu = NULL;
  const char *table;
  GString *all;

  if (readings == NULL)
    readings = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (g_hash_table_lookup_extended (readings, GUINT_TO_POINTER (c), NULL, (gpointer *) &found))
    return found;

  icu = transliterate (c);
  table = table_readings (c);
  all = g_string_new (table);
  if (icu != NULL)
    {
      g_auto(GStrv) known = g_strsplit (all->str, "|", -1);

      if (!g_strv_contains ((const char * const *) known, icu))
        {
          if (all->len > 0)
            g_string_append_c (all, '|');
          g_string_append (all, icu);
        }
    }

  found = all->len > 0 ? g_string_free (all, FALSE) : (g_string_free (all, TRUE), NULL);
  g_hash_table_insert (readings, GUINT_TO_POINTER (c), (gpointer) found);
  return found;
}

static void
add_syllable (GString    *key,
              const char *syllable,
              gssize      length)
{
  if (key->len > 0 && key->str[key->len - 1] != COOP_PINYIN_FIELD_SEPARATOR)
    g_string_append_c (key, ' ');
  g_string_append_len (key, syllable, length);
}

/**
 * coop_pinyin_append_key:
 * @key: the key being built
 * @text: one field's text
 *
 * Appends the key of @text to @key, after a field separator when @key is
 * not empty.  A text with no Chinese character and no Latin letter adds
 * nothing.
 */
void
coop_pinyin_append_key (GString    *key,
                        const char *text)
{
  g_autofree char *normal = NULL;
  g_autoptr(GString) word = g_string_new (NULL);
  gsize start = key->len;

  if (text == NULL || text[0] == '\0')
    return;

  if (key->len > 0)
    g_string_append_c (key, COOP_PINYIN_FIELD_SEPARATOR);
  start = key->len;

  /* NFKC turns full-width letters into ASCII ones. */
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (normal == NULL)
    return;

  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_isalpha ((char) c))
        {
          g_string_append_c (word, g_ascii_tolower ((char) c));
          continue;
        }
      if (word->len > 0)
        {
          add_syllable (key, word->str, (gssize) word->len);
          g_string_truncate (word, 0);
        }
      if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        {
          const char *all = han_readings (c);

          if (all != NULL)
            add_syllable (key, all, -1);
        }
    }
  if (word->len > 0)
    add_syllable (key, word->str, (gssize) word->len);

  /* Nothing to spell: no separator either. */
  if (key->len == start && start > 0)
    g_string_truncate (key, start - 1);
}

/**
 * coop_pinyin_key:
 * @text: (nullable): a name or title
 *
 * Returns: (transfer full): the pinyin key of @text, "" when it has none
 */
char *
coop_pinyin_key (const char *text)
{
  GString *key = g_string_new (NULL);

  coop_pinyin_append_key (key, text);
  return g_string_free (key, FALSE);
}

/**
 * coop_pinyin_prepare_query:
 * @query: what the user typed
 *
 * Returns: (transfer full) (nullable): the query's letters in lower case,
 *   or %NULL when it is not a query in Latin letters (spaces and
 *   apostrophes between syllables allowed)
 */
char *
coop_pinyin_prepare_query (const char *query)
{
  g_autofree char *normal = NULL;
  GString *letters;

  if (query == NULL)
    return NULL;
  normal = g_utf8_normalize (query, -1, G_NORMALIZE_NFKC);
  if (normal == NULL)
    return NULL;

  letters = g_string_new (NULL);
  for (const char *p = normal; *p != '\0'; p++)
    {
      if (g_ascii_isalpha (*p))
        g_string_append_c (letters, g_ascii_tolower (*p));
      else if (*p != ' ' && *p != '\'')
        {
          g_string_free (letters, TRUE);
          return NULL;
        }
    }

  if (letters->len == 0)
    {
      g_string_free (letters, TRUE);
      return NULL;
    }
  return g_string_free (letters, FALSE);
}

typedef struct {
  const char  *query;
  gsize        length;
  GPtrArray   *syllables;  /* of const char *, into the key; NULL at a field's end */
  GPtrArray   *ends;
  guint8      *tried;      /* (syllable, query position) pairs known to fail */
} Match;

/* Whether the query from @at is spelt by the syllables from @s on. */
static gboolean
spell (Match *m,
       guint  s,
       gsize  at)
{
  const char *reading;
  const char *end;
  gsize slot;

  if (at == m->length)
    return TRUE;
  if (s >= m->syllables->len || g_ptr_array_index (m->syllables, s) == NULL)
    return FALSE;

  slot = (gsize) s * (m->length + 1) + at;
  if (m->tried[slot])
    return FALSE;
  m->tried[slot] = 1;

  reading = g_ptr_array_index (m->syllables, s);
  end = g_ptr_array_index (m->ends, s);
  while (reading < end)
    {
      const char *bar = memchr (reading, '|', (gsize) (end - reading));
      gsize n = 0;

      if (bar == NULL)
        bar = end;
      /* The whole reading first, then ever shorter starts of it. */
      while (reading + n < bar && at + n < m->length && reading[n] == m->query[at + n])
        n++;
      for (; n > 0; n--)
        if (spell (m, s + 1, at + n))
          return TRUE;
      reading = bar + 1;
    }

  return FALSE;
}

/**
 * coop_pinyin_matches:
 * @key: a key from coop_pinyin_key()
 * @prepared_query: from coop_pinyin_prepare_query()
 *
 * Returns: whether consecutive syllables of one field of @key, each whole
 *   or by its start, spell @prepared_query
 */
gboolean
coop_pinyin_matches (const char *key,
                     const char *prepared_query)
{
  g_autoptr(GPtrArray) syllables = NULL;
  g_autoptr(GPtrArray) ends = NULL;
  g_autofree guint8 *tried = NULL;
  Match m;

  if (key == NULL || key[0] == '\0' || prepared_query == NULL || prepared_query[0] == '\0')
    return FALSE;

  syllables = g_ptr_array_new ();
  ends = g_ptr_array_new ();
  for (const char *p = key; ; )
    {
      const char *end = p + strcspn (p, " \x1f");

      g_ptr_array_add (syllables, (gpointer) p);
      g_ptr_array_add (ends, (gpointer) end);
      if (*end == COOP_PINYIN_FIELD_SEPARATOR)
        {
          g_ptr_array_add (syllables, NULL);
          g_ptr_array_add (ends, NULL);
        }
      if (*end == '\0')
        break;
      p = end + 1;
    }

  m.query = prepared_query;
  m.length = strlen (prepared_query);
  m.syllables = syllables;
  m.ends = ends;
  m.tried = tried = g_malloc0 ((gsize) syllables->len * (m.length + 1));

  for (guint s = 0; s < syllables->len; s++)
    if (spell (&m, s, 0))
      return TRUE;
  return FALSE;
}
