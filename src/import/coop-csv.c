/* coop-csv.c — decoding and splitting delimited text files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-csv.h"
#include "coop-error.h"

/* ------------------------------------------------------------------ encoding */

static gboolean
has_prefix (const char *data,
            gsize       length,
            const char *prefix,
            gsize       prefix_length)
{
  return length >= prefix_length && memcmp (data, prefix, prefix_length) == 0;
}

/**
 * coop_csv_detect_encoding:
 * @data: the bytes of a whole file
 * @length: their number
 *
 * Looks at the whole file: a byte-order mark decides; otherwise text that is
 * valid UTF-8 is UTF-8, and anything else is taken for GB18030, the superset
 * of GBK that Excel on Chinese Windows writes.
 *
 * Returns: (transfer full): an iconv encoding name
 */
char *
coop_csv_detect_encoding (const char *data,
                          gsize       length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (has_prefix (data, length, "\xef\xbb\xbf", 3))
    return g_strdup ("UTF-8");
  if (has_prefix (data, length, "\xff\xfe", 2))
    return g_strdup ("UTF-16LE");
  if (has_prefix (data, length, "\xfe\xff", 2))
    return g_strdup ("UTF-16BE");
  if (g_utf8_validate_len (data, length, NULL))
    return g_strdup ("UTF-8");
  return g_strdup ("GB18030");
}

static gsize
bom_length (const char *data,
            gsize       length,
            const char *encoding)
{
  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0 && has_prefix (data, length, "\xef\xbb\xbf", 3))
    return 3;
  if (g_ascii_strcasecmp (encoding, "UTF-16LE") == 0 && has_prefix (data, length, "\xff\xfe", 2))
    return 2;
  if (g_ascii_strcasecmp (encoding, "UTF-16BE") == 0 && has_prefix (data, length, "\xfe\xff", 2))
    return 2;
  return 0;
}

/**
 * coop_csv_decode_view:
 * @data: the bytes of a whole file
 * @length: their number
 * @encoding: the file's encoding, an iconv name
 * @valid: whether @data is known to be UTF-8 without a byte-order mark, as
 *   coop_csv_detect_encoding() found it
 * @out_length: (out): the length of the result in bytes
 * @owned: (out) (transfer full): the result when it is a new string, else
 *   %NULL
 * @error: return location for a #CoopError
 *
 * Like coop_csv_decode(), but UTF-8 text is not copied: the result is then
 * @data itself, past its byte-order mark, and is not NUL-terminated.  Most
 * files are UTF-8, and a large one is not held twice.
 *
 * Returns: (transfer none): UTF-8 text of @out_length bytes, or %NULL
 */
const char *
coop_csv_decode_view (const char  *data,
                      gsize        length,
                      const char  *encoding,
                      gboolean     valid,
                      gsize       *out_length,
                      char       **owned,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize skip, written = 0, read = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (out_length != NULL && owned != NULL, NULL);

  *owned = NULL;
  skip = bom_length (data, length, encoding);
  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    {
      const char *end = NULL;

      /* Valid UTF-8 holds no NUL, so there is nothing more to check. */
      if (!(valid && skip == 0) && !g_utf8_validate_len (data + skip, length - skip, &end))
        {
          g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                       _("The file is not valid %s text (at byte %lu). Choose its encoding."),
                       encoding, (unsigned long) (end - data));
          return NULL;
        }
      *out_length = length - skip;
      return data != NULL ? data + skip : "";
    }

  text = g_convert (data + skip, (gssize) (length - skip), "UTF-8", encoding,
                    &read, &written, &local_error);
  if (text == NULL)
    {
      if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
        g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                     _("The encoding %s is not known."), encoding);
      else
        g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                     _("The file is not valid %s text (at byte %lu). Choose its encoding."),
                     encoding, (unsigned long) (read + skip));
      return NULL;
    }

  if (memchr (text, '\0', written) != NULL)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("The file holds binary data, not text in %s."), encoding);
      return NULL;
    }

  *out_length = written;
  *owned = g_steal_pointer (&text);
  return *owned;
}

/**
 * coop_csv_decode:
 * @data: the bytes of a whole file
 * @length: their number
 * @encoding: the file's encoding, an iconv name
 * @out_length: (out) (optional): the length of the result in bytes
 * @error: return location for a #CoopError
 *
 * Converts the file to UTF-8 without its byte-order mark.  NUL characters
 * are not allowed in the result.
 *
 * Returns: (transfer full): UTF-8 text, or %NULL with %COOP_ERROR_VALIDATION
 *   when the bytes are not in @encoding
 */
char *
coop_csv_decode (const char  *data,
                 gsize        length,
                 const char  *encoding,
                 gsize       *out_length,
                 GError     **error)
{
  char *owned = NULL;
  gsize text_length = 0;
  const char *text = coop_csv_decode_view (data, length, encoding, FALSE, &text_length,
                                           &owned, error);

  if (text == NULL)
    return NULL;
  if (out_length != NULL)
    *out_length = text_length;
  return owned != NULL ? owned : g_strndup (text, text_length);
}

/* ------------------------------------------------------------------ splitting */

/**
 * coop_csv_detect_separator:
 * @text: UTF-8 text
 * @length: its length
 *
 * Counts commas, semicolons and tabs outside quotes in the first line (the
 * header): the most frequent one separates the fields.
 *
 * Returns: ',', ';' or '\t'
 */
char
coop_csv_detect_separator (const char *text,
                           gsize       length)
{
  gsize counts[3] = { 0, 0, 0 };
  gboolean quoted = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (c == '\n' || c == '\r')
        break;
      else if (c == ',')
        counts[0]++;
      else if (c == ';')
        counts[1]++;
      else if (c == '\t')
        counts[2]++;
    }

  if (counts[2] > counts[0] && counts[2] >= counts[1])
    return '\t';
  if (counts[1] > counts[0])
    return ';';
  return ',';
}

static gboolean
row_is_blank (char **cells)
{
  for (guint i = 0; cells[i] != NULL; i++)
    for (const char *p = cells[i]; *p != '\0'; p++)
      if (!g_ascii_isspace (*p))
        return FALSE;
  return TRUE;
}

/**
 * coop_csv_reader_init:
 * @reader: (out caller-allocates): a reader
 * @text: UTF-8 text, kept by the caller while @reader is used
 * @length: its length
 * @separator: the field separator
 *
 * Prepares to read @text row by row with coop_csv_reader_next().
 */
void
coop_csv_reader_init (CoopCsvReader *reader,
                      const char    *text,
                      gsize          length,
                      char           separator)
{
  g_return_if_fail (reader != NULL);

  reader->text = text;
  reader->length = length;
  reader->position = 0;
  reader->separator = separator;
  reader->line = 1;
}

/**
 * coop_csv_row_init:
 * @row: (out caller-allocates): a row
 *
 * Prepares a row that coop_csv_reader_split() fills again and again.
 */
void
coop_csv_row_init (CoopCsvRow *row)
{
  memset (row, 0, sizeof *row);
  row->size = 256;
  row->buffer = g_malloc (row->size);
  row->n_slots = 16;
  row->offsets = g_new (gsize, row->n_slots);
  row->cells = g_new (char *, row->n_slots + 1);
}

void
coop_csv_row_clear (CoopCsvRow *row)
{
  g_clear_pointer (&row->buffer, g_free);
  g_clear_pointer (&row->offsets, g_free);
  g_clear_pointer (&row->cells, g_free);
  row->length = row->size = 0;
  row->n_fields = row->n_slots = 0;
}

/* Makes room for @n more bytes in the row's buffer. */
static inline void
reserve (CoopCsvRow *row,
         gsize       n)
{
  if (G_LIKELY (row->length + n <= row->size))
    return;
  while (row->length + n > row->size)
    row->size *= 2;
  row->buffer = g_realloc (row->buffer, row->size);
}

static inline void
append (CoopCsvRow *row,
        const char *text,
        gsize       n)
{
  reserve (row, n);
  memcpy (row->buffer + row->length, text, n);
  row->length += n;
}

/* Ends the field that starts at @start in the row's buffer. */
static void
end_field (CoopCsvRow *row,
           gsize       start)
{
  reserve (row, 1);
  row->buffer[row->length++] = '\0';
  if (row->n_fields == row->n_slots)
    {
      row->n_slots *= 2;
      row->offsets = g_renew (gsize, row->offsets, row->n_slots);
      row->cells = g_renew (char *, row->cells, row->n_slots + 1);
    }
  row->offsets[row->n_fields++] = start;
}

/**
 * coop_csv_reader_split:
 * @reader: a reader
 * @row: a row from coop_csv_row_init(), which gets the fields
 * @line: (out) (optional): the number of the line the row starts on
 *
 * Splits the next row of RFC 4180 text: quoted fields may hold separators,
 * doubled quotes and line breaks; lines end with CRLF, LF or CR.  Rows
 * whose fields are all blank are skipped.  The fields are kept in @row
 * until the next call, so that a long file is split without an allocation
 * for each field.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the fields,
 *   or %NULL at the end
 */
char **
coop_csv_reader_split (CoopCsvReader *reader,
                       CoopCsvRow    *row,
                       guint         *line)
{
  const char *text = reader->text;
  gsize length = reader->length;
  char separator = reader->separator;
  gsize i = reader->position;
  guint row_line = reader->line;

  row->length = 0;
  row->n_fields = 0;

  while (i < length)
    {
      gboolean end_of_row = FALSE;
      gsize start = row->length;

      /* One field. */
      if (text[i] == '"')
        {
          i++;
          while (i < length)
            {
              gsize run = i;

              /* Copied a run at a time, up to a quote or a line break. */
              while (run < length && text[run] != '"' && text[run] != '\n' && text[run] != '\r')
                run++;
              append (row, text + i, run - i);
              i = run;
              if (i >= length)
                break;

              if (text[i] == '"')
                {
                  if (i + 1 < length && text[i + 1] == '"')
                    {
                      append (row, "\"", 1);
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= length || text[i + 1] != '\n')))
                reader->line++;
              append (row, text + i, 1);
              i++;
            }
        }

      /* Unquoted text, or text after the closing quote, which belongs to
       * the same field.  Line breaks are the only stops below '\r' + 1. */
      {
        gsize end = i;

        while (end < length)
          {
            guchar c = (guchar) text[end];

            if (c == (guchar) separator || (c <= '\r' && (c == '\n' || c == '\r')))
              break;
            end++;
          }
        append (row, text + i, end - i);
        i = end;
      }

      end_field (row, start);

      if (i >= length)
        end_of_row = TRUE;
      else if (text[i] == separator)
        {
          i++;
          /* A separator at the very end still opens one more, empty field. */
          if (i >= length)
            end_field (row, row->length);
          end_of_row = i >= length;
        }
      else
        {
          if (text[i] == '\r' && i + 1 < length && text[i + 1] == '\n')
            i++;
          i++;
          reader->line++;
          end_of_row = TRUE;
        }

      if (end_of_row)
        {
          for (guint f = 0; f < row->n_fields; f++)
            row->cells[f] = row->buffer + row->offsets[f];
          row->cells[row->n_fields] = NULL;

          if (!row_is_blank (row->cells))
            {
              reader->position = i;
              if (line != NULL)
                *line = row_line;
              return row->cells;
            }
          row->length = 0;
          row->n_fields = 0;
          row_line = reader->line;
        }
    }

  reader->position = i;
  return NULL;
}

/**
 * coop_csv_reader_next:
 * @reader: a reader
 * @line: (out) (optional): the number of the line the row starts on
 *
 * Like coop_csv_reader_split(), with fields of the caller's own.
 *
 * Returns: (transfer full) (nullable): the fields, or %NULL at the end
 */
char **
coop_csv_reader_next (CoopCsvReader *reader,
                      guint         *line)
{
  CoopCsvRow row;
  char **cells;

  coop_csv_row_init (&row);
  cells = coop_csv_reader_split (reader, &row, line);
  cells = cells != NULL ? g_strdupv (cells) : NULL;
  coop_csv_row_clear (&row);
  return cells;
}

/**
 * coop_csv_parse:
 * @text: UTF-8 text
 * @length: its length
 * @separator: the field separator
 * @line_numbers: (nullable): an array of guint that gets, for each row, the
 *   number of the line it starts on
 *
 * Splits all of @text with coop_csv_reader_next().
 *
 * Returns: (transfer full) (element-type GStrv): the rows
 */
GPtrArray *
coop_csv_parse (const char *text,
                gsize       length,
                char        separator,
                GArray     *line_numbers)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  CoopCsvReader reader;
  char **row;
  guint line;

  coop_csv_reader_init (&reader, text, length, separator);
  while ((row = coop_csv_reader_next (&reader, &line)) != NULL)
    {
      g_ptr_array_add (rows, row);
      if (line_numbers != NULL)
        g_array_append_val (line_numbers, line);
    }
  return rows;
}
