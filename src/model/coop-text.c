/* coop-text.c — normalising and checking the text users type
 *
 * Secretaries type on Chinese input methods, which produce full-width digits,
 * letters and spaces as readily as ASCII ones.  Everything here first applies
 * Unicode NFKC, which maps the full-width forms to their ASCII equivalents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-text"

#include "config.h"

#include <string.h>

#include "coop-text.h"

/* ------------------------------------------------------------------ helpers */

static char *
nfkc_strip (const char *text)
{
  char *normalized;

  if (text == NULL)
    return NULL;

  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return NULL;

  return g_strstrip (normalized);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_text_normalize:
 * @text: (nullable): what the user typed
 *
 * Returns: (transfer full) (nullable): @text with full-width forms made
 *   half-width and surrounding white space removed, or %NULL when nothing is
 *   left or @text is not valid UTF-8
 */
char *
coop_text_normalize (const char *text)
{
  g_autofree char *stripped = nfkc_strip (text);

  if (stripped == NULL || *stripped == '\0')
    return NULL;

  return g_steal_pointer (&stripped);
}

/**
 * coop_text_fold:
 * @text: (nullable): a name or search text
 *
 * The key under which two names are "the same": case, full-/half-width form
 * and white space are ignored ("上海 奇利" is "上海奇利": a space typed
 * between Chinese characters is a slip, not part of the name).
 *
 * Returns: (transfer full): the key; "" for %NULL
 */
char *
coop_text_fold (const char *text)
{
  g_autofree char *stripped = nfkc_strip (text);
  g_autofree char *folded = NULL;
  GString *key;

  if (stripped == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (stripped, -1);
  key = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (key, c);
    }

  return g_string_free (key, FALSE);
}

/**
 * coop_text_normalize_phone:
 * @text: (nullable): a phone number as typed
 *
 * Removes spaces, dashes, dots and parentheses and turns full-width digits
 * into ASCII ones: "（０２１）６４５８-１２３４" becomes "02164581234".
 *
 * Returns: (transfer full) (nullable): the normalised number, %NULL if empty
 */
char *
coop_text_normalize_phone (const char *text)
{
  g_autofree char *stripped = nfkc_strip (text);
  GString *phone;

  if (stripped == NULL || *stripped == '\0')
    return NULL;

  phone = g_string_sized_new (strlen (stripped));
  for (const char *p = stripped; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-' || c == '.' || c == '(' || c == ')' ||
          c == 0x2010 || c == 0x2013 || c == 0x2014 || c == 0x2212)
        continue;
      g_string_append_unichar (phone, c);
    }

  if (phone->len == 0)
    {
      g_string_free (phone, TRUE);
      return NULL;
    }

  return g_string_free (phone, FALSE);
}

/**
 * coop_text_is_phone:
 * @text: a normalised phone number
 *
 * Returns: whether @text is an optional "+" followed by 3 to 20 digits
 */
gboolean
coop_text_is_phone (const char *text)
{
  gsize digits = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (*text == '+')
    text++;
  for (; *text != '\0'; text++, digits++)
    if (!g_ascii_isdigit (*text))
      return FALSE;

  return digits >= 3 && digits <= 20;
}

/**
 * coop_text_is_email:
 * @text: an e-mail address
 *
 * A plain check that catches typing mistakes, not a full RFC 5322 parser:
 * one "@", something before it, a dotted domain after it, no spaces.
 */
gboolean
coop_text_is_email (const char *text)
{
  const char *at;
  const char *dot;

  g_return_val_if_fail (text != NULL, FALSE);

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;

  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

/**
 * coop_text_is_student_number:
 * @text: a normalised student number
 *
 * Student numbers are text: digits and Latin letters, perhaps with dashes,
 * and their leading zeros matter.
 */
gboolean
coop_text_is_student_number (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (*text == '\0' || strlen (text) > 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

/**
 * coop_text_parse_date:
 * @text: a date as typed
 * @year: (out): the year
 * @month: (out): the month
 * @day: (out): the day
 *
 * Accepts 2023-05-19, 2023/5/19, 2023.5.19 and 2023年5月19日, in full-width
 * or half-width digits, and only days that exist in the calendar.
 *
 * Returns: whether @text is a real calendar date
 */
gboolean
coop_text_parse_date (const char *text,
                      GDateYear  *year,
                      GDateMonth *month,
                      GDateDay   *day)
{
  g_autofree char *stripped = nfkc_strip (text);
  guint parts[3] = { 0, 0, 0 };
  guint digits[3] = { 0, 0, 0 };
  guint n = 0;
  const char *p;

  if (stripped == NULL || *stripped == '\0')
    return FALSE;

  for (p = stripped; *p != '\0' && n < 3; )
    {
      if (g_ascii_isdigit (*p))
        {
          if (digits[n] >= 4)
            return FALSE;
          parts[n] = parts[n] * 10 + (guint) (*p - '0');
          digits[n]++;
          p++;
          continue;
        }

      if (digits[n] == 0)
        return FALSE;

      if (*p == '-' || *p == '/' || *p == '.')
        p++;
      else if (g_str_has_prefix (p, "年") || g_str_has_prefix (p, "月") ||
               g_str_has_prefix (p, "日"))
        p += strlen ("年");
      else
        return FALSE;
      n++;
    }

  if (n < 3 && digits[n] > 0)
    n++;
  if (n != 3 || *p != '\0')
    return FALSE;
  if (digits[0] != 4 || digits[1] > 2 || digits[2] > 2)
    return FALSE;
  if (parts[0] < 1900 || parts[0] > 2200)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) parts[2], (GDateMonth) parts[1], (GDateYear) parts[0]))
    return FALSE;

  *year = (GDateYear) parts[0];
  *month = (GDateMonth) parts[1];
  *day = (GDateDay) parts[2];
  return TRUE;
}

/**
 * coop_text_normalize_date:
 * @text: (nullable): a date as typed
 *
 * Returns: (transfer full) (nullable): the date as YYYY-MM-DD, or %NULL when
 *   @text is not a real calendar date
 */
char *
coop_text_normalize_date (const char *text)
{
  GDateYear y;
  GDateMonth m;
  GDateDay d;

  if (!coop_text_parse_date (text, &y, &m, &d))
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02u", y, m, d);
}

/**
 * coop_text_normalize_datetime:
 * @text: (nullable): a date, optionally followed by a time HH:MM
 *
 * Returns: (transfer full) (nullable): "YYYY-MM-DD HH:MM", or %NULL when the
 *   date or the time does not exist
 */
char *
coop_text_normalize_datetime (const char *text)
{
  g_autofree char *stripped = nfkc_strip (text);
  g_autofree char *date = NULL;
  char *space;
  guint hour = 0, minute = 0;

  if (stripped == NULL)
    return NULL;

  space = strpbrk (stripped, " T");
  if (space != NULL)
    {
      const char *t;
      char *end = NULL;

      *space = '\0';
      t = space + 1;
      while (*t == ' ')
        t++;
      if (!g_ascii_isdigit (*t))
        return NULL;
      hour = (guint) g_ascii_strtoull (t, &end, 10);
      if (end == t || end - t > 2 || *end != ':')
        return NULL;
      t = end + 1;
      if (!g_ascii_isdigit (*t))
        return NULL;
      minute = (guint) g_ascii_strtoull (t, &end, 10);
      if (end - t != 2 || (*end != '\0' && strcmp (end, ":00") != 0))
        return NULL;
      if (hour > 23 || minute > 59)
        return NULL;
    }

  date = coop_text_normalize_date (stripped);
  if (date == NULL)
    return NULL;

  return g_strdup_printf ("%s %02u:%02u", date, hour, minute);
}

/**
 * coop_text_check_credit_code:
 * @code: an unified social credit code, already normalised
 * @expected_check: (out) (optional): the check character the first 17
 *   characters call for, or '\0' when they hold a character not allowed
 *
 * Checks the 18-character unified social credit code of GB 32100-2015: 17
 * characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" followed by a check
 * character computed with the weights 3^i mod 31.
 *
 * Returns: whether @code is well-formed and its check character matches
 */
gboolean
coop_text_check_credit_code (const char *code,
                             char       *expected_check)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  guint sum = 0;
  guint weight = 1;
  guint check;

  g_return_val_if_fail (code != NULL, FALSE);

  if (expected_check != NULL)
    *expected_check = '\0';

  if (strlen (code) != 18)
    return FALSE;

  for (guint i = 0; i < 17; i++)
    {
      const char *pos = code[i] != '\0' ? strchr (alphabet, code[i]) : NULL;

      if (pos == NULL)
        return FALSE;
      sum += (guint) (pos - alphabet) * weight;
      weight = weight * 3 % 31;
    }

  check = (31 - sum % 31) % 31;
  if (expected_check != NULL)
    *expected_check = alphabet[check];

  return code[17] == alphabet[check];
}
