/* coop-export-cell.c — text fit for a cell: clean, measured, masked
 *
 * Records hold what users typed and what imports brought in, so nothing is
 * trusted to be valid UTF-8 or free of control characters.  Text reaches a
 * workbook or a CSV file only through coop_export_clean_text().  Most text
 * needs no change, and then it is not copied: an export of 200,000 rows
 * would otherwise spend its time in malloc.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-candidate.h"
#include "coop-export-private.h"

/* ------------------------------------------------------------------ helpers */

/* Excel reads "_x0041_" in a cell's text as the character U+0041, so such a
 * sequence typed by a user has its underscore escaped as "_x005F_". */
static gboolean
is_escape_sequence (const char *p)
{
  if (p[0] != '_' || p[1] != 'x')
    return FALSE;

  for (guint i = 2; i < 6; i++)
    if (!g_ascii_isxdigit (p[i]))
      return FALSE;

  return p[6] == '_';
}

/* The candidate's copy of its student's number, a string field. */
static const CoopField *
candidate_student_number (void)
{
  static gsize field = 0;

  if (g_once_init_enter (&field))
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (COOP_TYPE_CANDIDATE);

      g_once_init_leave (&field, (gsize) coop_record_class_find_field (COOP_RECORD_CLASS (klass),
                                                                       "student-number"));
    }

  return (const CoopField *) field;
}

/* The columns a character takes in Excel's units: two for a Chinese
 * character (and any other wide or ambiguous one), one otherwise.  The
 * ranges tested first are wide in every version of Unicode; the rest is
 * left to GLib's tables. */
static guint
char_width (gunichar c)
{
  if ((c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK unified ideographs */
      (c >= 0x3000 && c <= 0x303E) ||   /* CJK symbols and punctuation */
      (c >= 0xFF01 && c <= 0xFF60))     /* fullwidth forms */
    return 2;
  /* What g_unichar_iswide () finds wide, this does too. */
  return g_unichar_iswide_cjk (c) ? 2 : 1;
}

/* Ends a line @width wide of text in a column @cap wide. */
static inline void
end_line (guint  width,
          guint  cap,
          guint *widest,
          guint *n_lines)
{
  *widest = MAX (*widest, width);
  /* A column is the cap wide plus a little padding. */
  *n_lines += width > cap ? (width + cap + 1) / (cap + 2) : 1;
}

/* The one pass of coop_export_measure_clean (); with @measure %FALSE it
 * only finds out whether @text needs cleaning, as the CSV export asks. */
static inline gboolean
scan_text (const char *text,
           gboolean    measure,
           guint       cap,
           guint      *width,
           guint      *lines)
{
  const guchar *p = (const guchar *) text;
  guint widest = 0, line = 0, n_lines = 0;

  for (;;)
    {
      guchar c = *p;
      gunichar u;

      if (G_LIKELY (c >= 0x20 && c < 0x7f))
        {
          if (c == '_' && is_escape_sequence ((const char *) p))
            return FALSE;
          line++;
          p++;
          continue;
        }

      if (c == '\0' || c == '\n')
        {
          if (measure)
            end_line (line, cap, &widest, &n_lines);
          line = 0;
          if (c == '\0')
            break;
          p++;
          continue;
        }

      if (c == '\t')
        {
          line++;
          p++;
          continue;
        }

      /* Other control characters, DEL, and what is not UTF-8: a stray
       * continuation byte, an overlong form, a surrogate, beyond U+10FFFF.
       * Each byte is looked at only once the one before it has been found
       * to continue the sequence, so a sequence cut short by the end of
       * the text is never read past. */
#define CONTINUES(i) ((p[i] & 0xC0) == 0x80)
      if (c < 0xC2 || c > 0xF4)
        return FALSE;
      if (c < 0xE0)
        {
          if (!CONTINUES (1))
            return FALSE;
          u = ((gunichar) (c & 0x1F) << 6) | (p[1] & 0x3F);
          p += 2;
        }
      else if (c < 0xF0)
        {
          if (!CONTINUES (1) || (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
              !CONTINUES (2))
            return FALSE;
          u = ((gunichar) (c & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
          p += 3;
        }
      else
        {
          if (!CONTINUES (1) || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F) ||
              !CONTINUES (2) || !CONTINUES (3))
            return FALSE;
          u = ((gunichar) (c & 0x07) << 18) | ((gunichar) (p[1] & 0x3F) << 12) |
              ((gunichar) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
          p += 4;
        }
#undef CONTINUES
      if (measure)
        line += char_width (u);
    }

  if ((gsize) ((const char *) p - text) > COOP_EXPORT_MAX_CELL_CHARS)
    return FALSE;

  *width = MIN (widest, cap);
  *lines = n_lines;
  return TRUE;
}

/**
 * coop_export_measure_clean:
 * @text: text from a record
 * @cap: the widest a column gets
 * @width: (out): as coop_export_display_width() measures @text
 * @lines: (out): as coop_export_display_width() counts them
 *
 * Most text needs no cleaning, and this finds that out and measures it in
 * one pass over it.
 *
 * Returns: whether @text is one coop_export_clean_text() would return as
 *   it is: valid UTF-8 that fits a cell, without control characters other
 *   than tab and newline and without "_xHHHH_" escapes.  When it returns
 *   %FALSE, @width and @lines are not set.
 */
gboolean
coop_export_measure_clean (const char *text,
                           guint       cap,
                           guint      *width,
                           guint      *lines)
{
  return scan_text (text, TRUE, cap, width, lines);
}

/* ------------------------------------------------------------------ public */

static const char *
clean_text (const char  *text,
            gboolean     for_xlsx,
            char       **owned)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gsize length;
  guint n_chars = 0;
  guint max_chars = for_xlsx ? COOP_EXPORT_MAX_CELL_CHARS : G_MAXUINT;
  guint width, lines;

  *owned = NULL;
  if (text == NULL)
    return "";
  if (scan_text (text, FALSE, 1, &width, &lines))
    return text;

  length = strlen (text);

  if (!g_utf8_validate_len (text, length, NULL))
    text = valid = g_utf8_make_valid (text, (gssize) length);

  clean = g_string_sized_new (length + 16);
  for (const char *p = text; *p != '\0' && n_chars < max_chars; p = g_utf8_next_char (p))
    {
      guchar c = (guchar) *p;

      if (c == '\r')
        {
          if (p[1] != '\n')
            g_string_append_c (clean, '\n');
          continue;
        }
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
        continue;

      if (for_xlsx && c == '_' && is_escape_sequence (p))
        {
          g_string_append (clean, "_x005F");
          n_chars += 6;
        }

      g_string_append_len (clean, p, g_utf8_next_char (p) - p);
      n_chars++;
    }

  *owned = g_string_free (clean, FALSE);
  return *owned;
}

/**
 * coop_export_clean_text:
 * @text: (nullable): text from a record
 * @owned: (out) (transfer full): set to the cleaned copy when one was
 *   needed, to %NULL otherwise; free it after using the result
 *
 * Makes text safe for a cell: invalid UTF-8 becomes U+FFFD, control
 * characters other than tab and newline go (a carriage return becomes a
 * newline), Excel's "_xHHHH_" escapes are themselves escaped, and the text is
 * cut at the 32,767 characters a cell can hold.
 *
 * Returns: (transfer none): @text or *@owned; "" for %NULL
 */
const char *
coop_export_clean_text (const char  *text,
                        char       **owned)
{
  return clean_text (text, TRUE, owned);
}

/**
 * coop_export_display_width:
 * @text: valid UTF-8
 * @cap: the widest a column gets
 * @lines: (out) (optional): how many lines @text takes in a column @cap
 *   wide: its own lines, each wrapped at @cap
 *
 * Returns: the width of the longest line of @text in Excel's character
 *   units, where a Chinese character counts double; at most @cap
 */
guint
coop_export_display_width (const char *text,
                           guint       cap,
                           guint      *lines)
{
  guint widest = 0;
  guint width = 0;
  guint n_lines = 0;

  for (const guchar *p = (const guchar *) text; ; )
    {
      if (*p == '\n' || *p == '\0')
        {
          end_line (width, cap, &widest, &n_lines);
          width = 0;
          if (*p == '\0')
            break;
          p++;
        }
      else if (*p < 0x80)
        {
          width++;
          p++;
        }
      else
        {
          width += char_width (g_utf8_get_char ((const char *) p));
          p = (const guchar *) g_utf8_next_char ((const char *) p);
        }

      /* Without @lines only the width matters: stop at the cap. */
      if (lines == NULL && width >= cap)
        return cap;
    }

  if (lines != NULL)
    *lines = n_lines;
  return MIN (widest, cap);
}

/**
 * coop_export_parse_date:
 * @text: a date as the store keeps it, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
 * @datetime: (out): the date for libxlsxwriter
 * @has_time: (out) (optional): whether @text had a time of day
 *
 * Returns: whether @text is such a date, on or after 1900-01-01 (Excel
 *   knows no earlier dates)
 */
gboolean
coop_export_parse_date (const char   *text,
                        lxw_datetime *datetime,
                        gboolean     *has_time)
{
  const char *p = text;
  int year, month, day, hour = 0, minute = 0;
  gboolean timed = FALSE;

#define DIGIT(i) (g_ascii_isdigit (p[i]) ? p[i] - '0' : -1000)

  if (text == NULL || strlen (text) < 10 || p[4] != '-' || p[7] != '-')
    return FALSE;

  year = DIGIT (0) * 1000 + DIGIT (1) * 100 + DIGIT (2) * 10 + DIGIT (3);
  month = DIGIT (5) * 10 + DIGIT (6);
  day = DIGIT (8) * 10 + DIGIT (9);

  if (p[10] == ' ' && strlen (text) == 16 && p[13] == ':')
    {
      hour = DIGIT (11) * 10 + DIGIT (12);
      minute = DIGIT (14) * 10 + DIGIT (15);
      timed = TRUE;
    }
  else if (p[10] != '\0')
    return FALSE;

#undef DIGIT

  if (year < 1900 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  datetime->year = year;
  datetime->month = (uint8_t) month;
  datetime->day = (uint8_t) day;
  datetime->hour = (uint8_t) hour;
  datetime->min = (uint8_t) minute;
  datetime->sec = 0;
  if (has_time != NULL)
    *has_time = timed;
  return TRUE;
}

/* Replaces the characters of @text from @head to @n - @tail by '*'; only
 * digits when @digits_only, so that a phone keeps its "+" and separators. */
static char *
mask_middle (const char *text,
             guint       head,
             guint       tail,
             gboolean    digits_only)
{
  GString *masked = g_string_sized_new (strlen (text));
  guint n = 0;
  guint i = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!digits_only || g_ascii_isdigit (*p))
      n++;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gboolean counted = !digits_only || g_ascii_isdigit (*p);

      if (counted && i >= head && i + tail < n)
        g_string_append_c (masked, '*');
      else
        g_string_append_len (masked, p, g_utf8_next_char (p) - p);

      if (counted)
        i++;
    }

  return g_string_free (masked, FALSE);
}

/**
 * coop_export_mask_phone:
 *
 * "13816203301" becomes "138****3301", "02164581201" "021****1201".
 *
 * Returns: (transfer full): the phone with its middle digits hidden
 */
char *
coop_export_mask_phone (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      n++;

  if (n >= 9)
    return mask_middle (text, 3, 4, TRUE);
  if (n >= 5)
    return mask_middle (text, 2, 2, TRUE);
  return mask_middle (text, 0, 0, TRUE);
}

/**
 * coop_export_mask_email:
 *
 * "wang.jianguo@qili-film.example.cn" becomes "w***@qili-film.example.cn".
 *
 * Returns: (transfer full): the address with its mailbox hidden
 */
char *
coop_export_mask_email (const char *text)
{
  const char *at = strrchr (text, '@');
  const char *second = *text != '\0' ? g_utf8_next_char (text) : text;

  if (at == NULL)
    at = text + strlen (text);
  if (second > at)
    second = at;

  return g_strdup_printf ("%.*s***%s", (int) (second - text), text, at);
}

/**
 * coop_export_mask_student_number:
 *
 * "0192010101" becomes "0192****01".
 *
 * Returns: (transfer full): the number with its middle hidden
 */
char *
coop_export_mask_student_number (const char *text)
{
  glong n = g_utf8_strlen (text, -1);
  guint head = n >= 8 ? 4 : (guint) n / 3;
  guint tail = n >= 6 ? 2 : (n >= 3 ? 1 : 0);

  return mask_middle (text, head, tail, FALSE);
}

/**
 * coop_export_mask_field:
 * @field: the field @text comes from
 * @text: its value
 *
 * Returns: (transfer full) (nullable): @text masked when @field holds
 *   personal data (a phone, an e-mail address, a student number), else %NULL
 */
char *
coop_export_mask_field (const CoopField *field,
                        const char      *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  switch (field->kind)
    {
    case COOP_FIELD_PHONE:
      return coop_export_mask_phone (text);

    case COOP_FIELD_EMAIL:
      return coop_export_mask_email (text);

    case COOP_FIELD_STUDENT_NUMBER:
      return coop_export_mask_student_number (text);

    case COOP_FIELD_STRING:
      /* A candidate shows its student's number as a derived string. */
      if (field == candidate_student_number ())
        return coop_export_mask_student_number (text);
      return NULL;

    case COOP_FIELD_TEXT:
    case COOP_FIELD_URL:
    case COOP_FIELD_CREDIT_CODE:
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
    case COOP_FIELD_COUNT:
    case COOP_FIELD_YEAR:
    case COOP_FIELD_ENUM:
    case COOP_FIELD_REF:
    default:
      return NULL;
    }
}

/**
 * coop_export_render_field:
 * @record: a record
 * @field: one of its fields
 * @mask: hide part of personal data (see coop_export_mask_field())
 * @cell: (out caller-allocates): the cell; clear it with
 *   coop_export_cell_clear()
 *
 * Dates become date cells, counts and years numbers, enums their
 * translated label (the text coop_record_dup_display() gives, without a
 * copy), phones, codes and student numbers text that stays text.
 */
void
coop_export_render_field (CoopRecord      *record,
                          const CoopField *field,
                          gboolean         mask,
                          CoopExportCell  *cell)
{
  memset (cell, 0, sizeof *cell);
  cell->type = COOP_EXPORT_CELL_TEXT;
  cell->style = COOP_CELL_TEXT;

  switch (field->kind)
    {
    case COOP_FIELD_DATE:
    case COOP_FIELD_DATETIME:
      cell->type = COOP_EXPORT_CELL_DATE;
      cell->text = coop_record_get_string (record, field);
      break;

    case COOP_FIELD_PHONE:
    case COOP_FIELD_STUDENT_NUMBER:
    case COOP_FIELD_CREDIT_CODE:
      cell->style = COOP_CELL_CODE;
      cell->text = coop_record_get_string (record, field);
      break;

    case COOP_FIELD_TEXT:
      cell->style = COOP_CELL_WRAP;
      cell->text = coop_record_get_string (record, field);
      break;

    case COOP_FIELD_STRING:
    case COOP_FIELD_EMAIL:
    case COOP_FIELD_URL:
      /* A candidate shows its student's number as a derived string. */
      if (field == candidate_student_number ())
        cell->style = COOP_CELL_CODE;
      cell->text = coop_record_get_string (record, field);
      break;

    case COOP_FIELD_COUNT:
      cell->type = COOP_EXPORT_CELL_NUMBER;
      cell->number = coop_record_get_int (record, field);
      return;

    case COOP_FIELD_YEAR:
      cell->number = coop_record_get_int (record, field);
      cell->type = cell->number != 0 ? COOP_EXPORT_CELL_NUMBER : COOP_EXPORT_CELL_BLANK;
      return;

    case COOP_FIELD_REF:
      cell->number = (double) coop_record_get_ref (record, field);
      cell->type = cell->number != 0 ? COOP_EXPORT_CELL_NUMBER : COOP_EXPORT_CELL_BLANK;
      return;

    case COOP_FIELD_ENUM:
    default:
      cell->text = coop_enum_get_label (field->enum_type (), coop_record_get_int (record, field));
      break;
    }

  if (cell->text == NULL || *cell->text == '\0')
    {
      cell->type = COOP_EXPORT_CELL_BLANK;
      return;
    }

  if (mask)
    {
      cell->owned = coop_export_mask_field (field, cell->text);
      if (cell->owned != NULL)
        cell->text = cell->owned;
    }
}

void
coop_export_cell_clear (CoopExportCell *cell)
{
  g_clear_pointer (&cell->owned, g_free);
}

/**
 * coop_export_csv_append_cell:
 * @line: the line being built
 * @text: (nullable): the cell's text
 *
 * Appends one RFC 4180 field.  Text that a spreadsheet would take for a
 * formula (it starts with =, +, -, @, a tab or a carriage return) is
 * prefixed with an apostrophe, which spreadsheets show as text.
 */
void
coop_export_csv_append_cell (GString    *line,
                             const char *text)
{
  g_autofree char *owned = NULL;
  gboolean formula_like;

  if (text == NULL || *text == '\0')
    return;

  /* Looked at before cleaning, which turns a leading carriage return into a
   * newline. */
  formula_like = strchr ("=+-@\t\r", text[0]) != NULL;
  text = clean_text (text, FALSE, &owned);
  if (*text == '\0')
    return;

  if (!formula_like && strpbrk (text, ",\"\n") == NULL && text[0] != ' ' &&
      text[strlen (text) - 1] != ' ')
    {
      g_string_append (line, text);
      return;
    }

  g_string_append_c (line, '"');
  if (formula_like)
    g_string_append_c (line, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}
