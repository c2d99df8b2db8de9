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
 * a keystroke.  Opening the transliterator costs far more (ICU compiles its
 * rules, 80 ms or more): ICU's reading of each character is kept in the
 * user's cache folder, so that a process whose characters are all there —
 * an import, a save — never opens it.  The cache is named after the ICU
 * version that wrote it and may be deleted at any time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-pinyin"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/uversion.h>
#include <unistd.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "coop-pinyin.h"

/* The characters of names and titles that have more than one reading once
 * tones are dropped, with every reading: ICU gives one, often not the one
 * a surname has (dan for 单, ceng for 曾, jie for 解) nor the common one
 * (de for 地).  A key holds all of them, so the search never misses because
 * of a guess; a surname's reading comes first, then the most common.
 * Readings with ü are spelt with v; the key also holds them with u. */
static const struct {
  const char *character;
  const char *readings;
} polyphones[] = {
  /* Surnames */
  { "单", "shan|dan" },      { "曾", "zeng|ceng" },     { "解", "xie|jie" },
  { "仇", "qiu|chou" },      { "朴", "piao|pu" },       { "区", "ou|qu" },
  { "查", "zha|cha" },       { "盖", "ge|gai" },        { "尉", "yu|wei" },
  { "乐", "yue|le" },        { "覃", "qin|tan" },       { "翟", "zhai|di" },
  { "缪", "miao|mou|miu" },  { "秘", "bi|mi" },         { "种", "chong|zhong" },
  { "召", "shao|zhao" },     { "长", "chang|zhang" },   { "柏", "bai|bo" },
  { "句", "gou|ju" },        { "贲", "ben|bi" },        { "繁", "po|fan" },
  { "黑", "he|hei" },        { "员", "yun|yuan" },      { "隗", "wei|kui" },
  { "沈", "shen|chen" },     { "石", "shi|dan" },       { "莘", "shen|xin" },
  { "洗", "xian|xi" },       { "阚", "kan|han" },       { "殷", "yin|yan" },
  { "郗", "xi|chi" },        { "谌", "chen|shen" },     { "颉", "xie|jie" },
  { "祭", "zhai|ji" },       { "蔚", "yu|wei" },        { "俟", "qi|si" },
  { "万", "wan|mo" },        { "澹", "tan|dan" },       { "能", "nai|neng" },
  { "番", "pan|fan" },       { "车", "che|ju" },        { "那", "na|nuo" },
  { "叶", "ye|xie" },        { "折", "she|zhe" },       { "盛", "sheng|cheng" },
  { "宿", "su|xiu" },        { "奇", "qi|ji" },         { "贾", "jia|gu" },
  { "沓", "ta|da" },         { "隽", "juan|jun" },      { "强", "qiang|jiang" },
  { "率", "shuai|lv" },      { "炅", "gui|jiong" },
  /* Other common characters */
  { "地", "di|de" },         { "的", "de|di" },         { "了", "le|liao" },
  { "得", "de|dei" },        { "着", "zhe|zhao|zhuo" }, { "大", "da|dai" },
  { "还", "hai|huan" },      { "觉", "jue|jiao" },      { "系", "xi|ji" },
  { "校", "xiao|jiao" },     { "省", "sheng|xing" },    { "便", "bian|pian" },
  { "将", "jiang|qiang" },   { "差", "cha|chai|ci" },   { "没", "mei|mo" },
  { "薄", "bo|bao" },        { "色", "se|shai" },       { "广", "guang|an" },
  { "弹", "dan|tan" },       { "降", "jiang|xiang" },   { "模", "mo|mu" },
  { "露", "lu|lou" },        { "血", "xue|xie" },       { "似", "si|shi" },
  { "给", "gei|ji" },        { "称", "cheng|chen" },    { "卡", "ka|qia" },
  { "壳", "ke|qiao" },       { "南", "nan|na" },        { "属", "shu|zhu" },
  { "和", "he|huo|hu" },     { "合", "he|ge" },         { "识", "shi|zhi" },
  { "伯", "bo|bai" },        { "佛", "fo|fu" },         { "否", "fou|pi" },
  { "泊", "bo|po" },         { "恶", "e|wu" },          { "拓", "tuo|ta" },
  { "吓", "xia|he" },        { "数", "shu|shuo" },      { "仔", "zai|zi" },
  { "厂", "chang|an" },      { "扎", "zha|za" },        { "胖", "pang|pan" },
  { "阿", "a|e" },           { "尾", "wei|yi" },        { "塞", "sai|se" },
  { "粘", "nian|zhan" },     { "乘", "cheng|sheng" },   { "剥", "bo|bao" },
  { "曝", "pu|bao" },        { "缩", "suo|su" },        { "行", "xing|hang" },
  { "重", "zhong|chong" },   { "会", "hui|kuai" },      { "藏", "zang|cang" },
  { "传", "chuan|zhuan" },   { "调", "diao|tiao" },     { "朝", "chao|zhao" },
  { "厦", "xia|sha" },       { "都", "du|dou" },        { "参", "can|shen|cen" },
  { "角", "jiao|jue" },      { "期", "qi|ji" },         { "蕃", "fan|bo" },
  { "茜", "qian|xi" },       { "莞", "guan|wan" },      { "蚌", "beng|bang" },
  { "六", "liu|lu" },        { "荥", "xing|ying" },     { "枞", "zong|cong" },
};

static GMutex lock;
static UTransliterator *transliterator;
static GHashTable *readings;   /* gunichar → "reading|reading…" */
static GHashTable *icu_cache;  /* gunichar → ICU's reading, "" for none: the cache file's */
static gboolean cache_stale;   /* the file is another ICU's: start it again */
static gboolean cache_cut;     /* its last line has no end: end it first */

/* The first line of the cache file; its other lines are "字\treading\n". */
#define CACHE_HEADER "Coopdesk pinyin readings 1, ICU " U_ICU_VERSION "\n"

static const char *
table_readings (gunichar c)
{
  for (gsize i = 0; i < G_N_ELEMENTS (polyphones); i++)
    if (g_utf8_get_char (polyphones[i].character) == c)
      return polyphones[i].readings;
  return NULL;
}

/* ICU's reading of @c without tones, ü spelt v, or NULL. */
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

      /* Decomposed, a tone is a mark after its vowel and ü is u and U+0308. */
      u_uastrcpy (id, "Han-Latin; NFD; Lower");
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
    else if (text[i] == 0x0308 && reading->len > 0 && reading->str[reading->len - 1] == 'u')
      reading->str[reading->len - 1] = 'v';

  return reading->len > 0 ? g_string_free (g_steal_pointer (&reading), FALSE) : NULL;
}

/* ------------------------------------------------------------------ cache */

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "coopdesk", "pinyin-readings", NULL);
}

static void
read_cache (void)
{
  g_autofree char *path = cache_path ();
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *line;

  icu_cache = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return;
  if (!g_str_has_prefix (contents, CACHE_HEADER) || !g_utf8_validate_len (contents, length, NULL))
    {
      cache_stale = TRUE;
      return;
    }

  /* A line cut short by a full disk, or mangled, is skipped: a reading
   * is lower-case letters. */
  cache_cut = contents[length - 1] != '\n';
  for (line = contents + strlen (CACHE_HEADER); *line != '\0'; )
    {
      const char *end = strchr (line, '\n');
      const char *tab = g_utf8_next_char (line);
      gunichar c = g_utf8_get_char (line);
      gboolean letters = TRUE;

      if (end == NULL)
        break;
      for (const char *p = tab + 1; p < end && letters; p++)
        letters = *p >= 'a' && *p <= 'z';
      if (tab < end && *tab == '\t' && letters && g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        g_hash_table_insert (icu_cache, GUINT_TO_POINTER (c),
                             g_strndup (tab + 1, (gsize) (end - tab - 1)));
      line = end + 1;
    }
}

/* Adds a line to the cache file, in one write so that two processes
 * appending at once do not mix their lines.  A cache that cannot be
 * written is only slower. */
static void
append_cache (gunichar    c,
              const char *reading)
{
  g_autofree char *path = cache_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  char character[8] = { 0 };
  g_autofree char *line = NULL;
  struct stat info;
  int fd;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    return;
  fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (cache_stale ? O_TRUNC : 0),
               0600);
  if (fd < 0)
    {
      g_debug ("Could not keep pinyin readings in %s: %s", path, g_strerror (errno));
      return;
    }
  g_unichar_to_utf8 (c, character);
  line = g_strdup_printf ("%s%s\t%s\n",
                          fstat (fd, &info) == 0 && info.st_size == 0 ? CACHE_HEADER
                          : cache_cut && !cache_stale ? "\n" : "",
                          character, reading != NULL ? reading : "");
  cache_stale = cache_cut = FALSE;
  if (write (fd, line, strlen (line)) < 0)
    g_debug ("Could not keep pinyin readings in %s: %s", path, g_strerror (errno));
  close (fd);
}

/* ICU's reading of @c, from the cache or else from ICU, which the cache
 * then keeps; NULL when it has none. */
static char *
icu_reading (gunichar c)
{
  const char *cached;
  char *reading;

  if (icu_cache == NULL)
    read_cache ();
  if (g_hash_table_lookup_extended (icu_cache, GUINT_TO_POINTER (c), NULL, (gpointer *) &cached))
    return cached[0] != '\0' ? g_strdup (cached) : NULL;

  reading = transliterate (c);
  /* Without a transliterator ICU said nothing worth keeping. */
  if (transliterator != NULL)
    {
      g_hash_table_insert (icu_cache, GUINT_TO_POINTER (c), g_strdup (reading ? reading : ""));
      append_cache (c, reading);
    }
  return reading;
}

/* ------------------------------------------------------------------ keys */

/* Appends @reading to the readings in @all unless it is there already. */
static void
add_reading (GString    *all,
             const char *reading,
             gsize       length)
{
  for (const char *p = all->str; *p != '\0'; )
    {
      const char *bar = strchr (p, '|');
      gsize n = bar != NULL ? (gsize) (bar - p) : strlen (p);

      if (n == length && memcmp (p, reading, length) == 0)
        return;
      p += n + (bar != NULL);
    }

  if (all->len > 0)
    g_string_append_c (all, '|');
  g_string_append_len (all, reading, (gssize) length);
}

/* Appends each of the readings "a|b" of @list that @all lacks. */
static void
add_readings (GString    *all,
              const char *list)
{
  if (list == NULL)
    return;

  for (const char *p = list; ; )
    {
      const char *bar = strchr (p, '|');
      gsize n = bar != NULL ? (gsize) (bar - p) : strlen (p);

      add_reading (all, p, n);
      if (bar == NULL)
        break;
      p = bar + 1;
    }
}

/* The readings of the CJK unified ideographs (U+4E00…U+9FFF) found so far,
 * read without the lock, for an import looks up every character of every
 * name: an entry once set never changes, and the strings it points to, the
 * values of @readings, are never freed; no_reading stands for "none known". */
#define FIRST_UNIFIED 0x4e00
#define LAST_UNIFIED 0x9fff
static const char *unified_readings[LAST_UNIFIED - FIRST_UNIFIED + 1];
static const char no_reading[] = "";

/* han_readings() under the lock. */
static const char *
han_readings_locked (gunichar c)
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

  icu = icu_reading (c);
  table = table_readings (c);
  all = g_string_new (NULL);
  add_readings (all, table);
  add_readings (all, icu);

  /* ü is typed v by most and u by some: lv and lu both find 吕. */
  if (strchr (all->str, 'v') != NULL)
    {
      g_autofree char *with_u = g_strdup (all->str);

      g_strdelimit (with_u, "v", 'u');
      add_readings (all, with_u);
    }

  found = all->len > 0 ? g_string_free (all, FALSE) : (g_string_free (all, TRUE), NULL);
  g_hash_table_insert (readings, GUINT_TO_POINTER (c), (gpointer) found);
  return found;
}

/* Every reading of @c, the table's first, as "a|b"; NULL when none is known.
 * Each character is transliterated once, then kept in the cache. */
static const char *
han_readings (gunichar c)
{
  const char **slot;
  const char *found;

  if (c < FIRST_UNIFIED || c > LAST_UNIFIED)
    return han_readings_locked (c);

  slot = &unified_readings[c - FIRST_UNIFIED];
  found = g_atomic_pointer_get (slot);
  if (found == NULL)
    {
      found = han_readings_locked (c);
      g_atomic_pointer_set (slot, found != NULL ? found : no_reading);
    }
  return found != no_reading ? found : NULL;
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

/* A word of ASCII letters, in lower case. */
static void
add_word (GString    *key,
          const char *word,
          gsize       length)
{
  gsize start;

  add_syllable (key, word, (gssize) length);
  start = key->len - length;
  for (gsize i = start; i < key->len; i++)
    key->str[i] = g_ascii_tolower (key->str[i]);
}

/* Whether NFKC leaves @text as it is because it holds only ASCII and CJK
 * unified ideographs (U+4E00…U+9FFF), as most names do: neither has a
 * decomposition, and no pair of them composes.  A key is made for every
 * row of an import, and NFKC is the slow part of making it. */
static gboolean
is_nfkc_stable (const char *text)
{
  const guchar *p = (const guchar *) text;

  while (*p != '\0')
    {
      if (*p < 0x80)
        p++;
      else if (*p >= 0xe4 && *p <= 0xe9 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
        {
          gunichar c = ((gunichar) (p[0] & 0x0f) << 12) | ((gunichar) (p[1] & 0x3f) << 6) |
                       (gunichar) (p[2] & 0x3f);

          if (c < FIRST_UNIFIED || c > LAST_UNIFIED)
            return FALSE;
          p += 3;
        }
      else
        return FALSE;
    }
  return TRUE;
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
  g_autofree char *owned = NULL;
  const char *normal = text;
  const char *word = NULL;
  gsize start;

  if (text == NULL || text[0] == '\0')
    return;

  if (key->len > 0)
    g_string_append_c (key, COOP_PINYIN_FIELD_SEPARATOR);
  start = key->len;

  /* NFKC turns full-width letters into ASCII ones. */
  if (!is_nfkc_stable (text))
    {
      normal = owned = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
      /* Not UTF-8: nothing to spell, and no separator either. */
      if (normal == NULL)
        {
          if (start > 0)
            g_string_truncate (key, start - 1);
          return;
        }
    }

  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_isalpha ((char) c))
        {
          if (word == NULL)
            word = p;
          continue;
        }
      if (word != NULL)
        {
          add_word (key, word, (gsize) (p - word));
          word = NULL;
        }
      /* Every unified ideograph is Han, without a look in the table of scripts. */
      if ((c >= FIRST_UNIFIED && c <= LAST_UNIFIED)
          || g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        {
          const char *all = han_readings (c);

          if (all != NULL)
            add_syllable (key, all, -1);
        }
    }
  if (word != NULL)
    add_word (key, word, strlen (word));

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

/* Most keys and queries fit these; longer ones take the heap. */
#define STACK_SYLLABLES 48
#define STACK_QUERY     32

typedef struct {
  const char   *query;
  gsize         length;
  const char  **syllables;  /* into the key; NULL at a field's end */
  const char  **ends;
  guint8       *tried;      /* (syllable, query position) pairs known to fail */
  guint         n_syllables;
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
  if (s >= m->n_syllables || m->syllables[s] == NULL)
    return FALSE;

  slot = (gsize) s * (m->length + 1) + at;
  if (m->tried[slot])
    return FALSE;
  m->tried[slot] = 1;

  reading = m->syllables[s];
  end = m->ends[s];
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

/* Whether some reading in @key starts with @c: most keys a query is tried
 * on fail here, before anything is set up. */
static gboolean
has_reading_starting (const char *key,
                      char        c,
                      guint      *n_syllables)
{
  gboolean found = key[0] == c;
  guint n = 1;

  for (const char *p = key; *p != '\0'; p++)
    if (*p == ' ' || *p == '|' || *p == COOP_PINYIN_FIELD_SEPARATOR)
      {
        found |= p[1] == c;
        n += *p != '|';
        n += *p == COOP_PINYIN_FIELD_SEPARATOR;
      }

  *n_syllables = n;
  return found;
}

/**
 * coop_pinyin_initials:
 * @key: (nullable): a key from coop_pinyin_key()
 *
 * Returns: a mask of the letters readings in @key start with, bit 0 for a:
 *   a query can only match a key whose mask has its first letter
 */
guint32
coop_pinyin_initials (const char *key)
{
  guint32 mask = 0;
  gboolean at_start = TRUE;

  if (key == NULL)
    return 0;

  for (const char *p = key; *p != '\0'; p++)
    {
      if (at_start && *p >= 'a' && *p <= 'z')
        mask |= 1u << (*p - 'a');
      at_start = *p == ' ' || *p == '|' || *p == COOP_PINYIN_FIELD_SEPARATOR;
    }
  return mask;
}

/* One of 64 bits for a pair of letters: pairs share bits, so a mask only
 * ever tells that a pair is surely absent. */
static guint64
pair_bit (char a,
          char b)
{
  return G_GUINT64_CONSTANT (1) << (((guint) (a - 'a') * 26 + (guint) (b - 'a')) % 64);
}

static gboolean
is_letter (char c)
{
  return c >= 'a' && c <= 'z';
}

/**
 * coop_pinyin_pairs:
 * @key: (nullable): a key from coop_pinyin_key()
 *
 * The first two letters of a query that matches @key are either the first
 * two of one reading, or the first of one syllable's reading and the first
 * of the next syllable's in the same field.
 *
 * Returns: a mask of those pairs of letters, to test coop_pinyin_pair() of
 *   a query against: a query whose pair is not in it cannot match
 */
guint64
coop_pinyin_pairs (const char *key)
{
  guint64 pairs = 0;
  guint32 previous = 0, current = 0;
  const char *reading = key;

  if (key == NULL)
    return 0;

  for (const char *p = key; ; p++)
    {
      if (*p != '|' && *p != ' ' && *p != COOP_PINYIN_FIELD_SEPARATOR && *p != '\0')
        continue;

      if (p > reading && is_letter (reading[0]))
        {
          current |= 1u << (reading[0] - 'a');
          if (p - reading >= 2 && is_letter (reading[1]))
            pairs |= pair_bit (reading[0], reading[1]);
        }
      reading = p + 1;
      if (*p == '|')
        continue;

      /* A syllable ends: pair its readings' first letters with those of
       * the syllable before. */
      for (gint a = g_bit_nth_lsf (previous, -1); a >= 0; a = g_bit_nth_lsf (previous, a))
        for (gint b = g_bit_nth_lsf (current, -1); b >= 0; b = g_bit_nth_lsf (current, b))
          pairs |= pair_bit ((char) ('a' + a), (char) ('a' + b));
      previous = *p == ' ' ? current : 0;
      current = 0;
      if (*p == '\0')
        break;
    }

  return pairs;
}

/**
 * coop_pinyin_pair:
 * @prepared_query: (nullable): from coop_pinyin_prepare_query()
 *
 * Returns: the bit of the query's first two letters in a mask from
 *   coop_pinyin_pairs(), or 0 for a query of fewer letters
 */
guint64
coop_pinyin_pair (const char *prepared_query)
{
  if (prepared_query == NULL || !is_letter (prepared_query[0]) || !is_letter (prepared_query[1]))
    return 0;
  return pair_bit (prepared_query[0], prepared_query[1]);
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
  const char *stack_syllables[2 * STACK_SYLLABLES];
  const char *stack_ends[2 * STACK_SYLLABLES];
  guint8 stack_tried[2 * STACK_SYLLABLES * (STACK_QUERY + 1)];
  g_autofree const char **heap_syllables = NULL;
  g_autofree const char **heap_ends = NULL;
  g_autofree guint8 *heap_tried = NULL;
  guint capacity;
  guint n = 0;
  Match m;

  if (key == NULL || key[0] == '\0' || prepared_query == NULL || prepared_query[0] == '\0')
    return FALSE;
  if (!has_reading_starting (key, prepared_query[0], &capacity))
    return FALSE;
  if (prepared_query[1] == '\0')
    return TRUE;

  m.query = prepared_query;
  m.length = strlen (prepared_query);
  if (capacity <= G_N_ELEMENTS (stack_syllables) && m.length <= STACK_QUERY)
    {
      m.syllables = stack_syllables;
      m.ends = stack_ends;
      m.tried = stack_tried;
    }
  else
    {
      m.syllables = heap_syllables = g_new (const char *, capacity);
      m.ends = heap_ends = g_new (const char *, capacity);
      m.tried = heap_tried = g_new (guint8, (gsize) capacity * (m.length + 1));
    }

  for (const char *p = key; ; )
    {
      const char *end = p + strcspn (p, " \x1f");

      m.syllables[n] = p;
      m.ends[n++] = end;
      if (*end == COOP_PINYIN_FIELD_SEPARATOR)
        {
          m.syllables[n] = NULL;
          m.ends[n++] = NULL;
        }
      if (*end == '\0')
        break;
      p = end + 1;
    }
  g_assert (n <= capacity);
  m.n_syllables = n;
  memset (m.tried, 0, (gsize) n * (m.length + 1));

  for (guint s = 0; s < n; s++)
    if (spell (&m, s, 0))
      return TRUE;
  return FALSE;
}
