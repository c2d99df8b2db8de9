/* coop-csv.c — decoding and splitting delimited text files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-import"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

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

/* How much of a file the look for UTF-16 without a byte-order mark reads. */
#define UTF16_SNIFF_LENGTH 4096

/* UTF-16 without a byte-order mark gives itself away by its zero bytes: a
 * CSV file has separators, digits and line breaks, whose other byte is
 * zero, while Chinese characters have none.  It is taken for UTF-16 in one
 * byte order when its first 4 KiB have zero bytes only on one side of the
 * pairs, in at least one pair in eight and at least twice, and a line break
 * in that order; a stray NUL in other text does not look like that. */
static const char *
sniff_utf16 (const char *data,
             gsize       length)
{
  gsize n = MIN (length, UTF16_SNIFF_LENGTH) & ~(gsize) 1;
  gsize zeros[2] = { 0, 0 };
  gboolean line_break[2] = { FALSE, FALSE };

  for (gsize i = 0; i < n; i += 2)
    {
      zeros[0] += data[i] == '\0';
      zeros[1] += data[i + 1] == '\0';
      line_break[0] = line_break[0] || (data[i] == '\0' && data[i + 1] == '\n');
      line_break[1] = line_break[1] || (data[i] == '\n' && data[i + 1] == '\0');
    }
  for (guint high = 0; high < 2; high++)
    if (zeros[1 - high] == 0 && zeros[high] >= 2 && zeros[high] * 8 >= n / 2 && line_break[high])
      return high == 0 ? "UTF-16BE" : "UTF-16LE";
  return NULL;
}

/* Whether @data is UTF-8 but for NUL bytes, which are a fault of the file
 * rather than a sign of another encoding. */
static gboolean
utf8_but_for_nul (const char *data,
                  gsize       length)
{
  const char *end = NULL;

  while (!g_utf8_validate_len (data, length, &end))
    {
      if (*end != '\0')
        return FALSE;
      length -= end + 1 - data;
      data = end + 1;
    }
  return TRUE;
}

/**
 * coop_csv_detect_encoding:
 * @data: the bytes of a whole file
 * @length: their number
 *
 * Looks at the whole file: a byte-order mark decides; then zero bytes on
 * one side of the pairs in its first 4 KiB make it UTF-16; otherwise text
 * that is valid UTF-8 (but for NUL bytes, which decoding then reports) is
 * UTF-8, and anything else is taken for GB18030, the superset of GBK that
 * Excel on Chinese Windows writes.
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
  if (sniff_utf16 (data, length) != NULL)
    return g_strdup (sniff_utf16 (data, length));
  if (utf8_but_for_nul (data, length))
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

static void
set_unknown_error (GError     **error,
                   const char  *encoding)
{
  g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
               _("The encoding %s is not known."), encoding);
}

static gboolean
is_utf8 (const char *encoding)
{
  return g_ascii_strcasecmp (encoding, "UTF-8") == 0;
}

/* The errors of decoding, the same whether a file is decoded whole or in
 * chunks: they are placed by reading the file again; see "Placing errors". */
static void set_invalid_error (GError        **error,
                               CoopCsvStream  *source,
                               const char     *encoding,
                               guint64         offset);
static void set_nul_error     (GError        **error,
                               CoopCsvStream  *source,
                               const char     *encoding);

/**
 * coop_csv_decode_view:
 * @data: the bytes of a whole file
 * @length: their number
 * @encoding: the file's encoding, an iconv name
 * @valid: whether @data is known to be UTF-8 without a byte-order mark, as
 *   coop_csv_detect_encoding() found it (but for NUL bytes, still checked)
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
  GIConv cd;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (out_length != NULL && owned != NULL, NULL);

  *owned = NULL;
  skip = bom_length (data, length, encoding);
  if (is_utf8 (encoding))
    {
      const char *end = NULL;

      /* Valid UTF-8 holds no NUL; text found valid by detection may, as
       * detection lets a NUL pass for this error to name. */
      if (valid && skip == 0)
        end = memchr (data, '\0', length);
      else if (g_utf8_validate_len (data + skip, length - skip, &end))
        end = NULL;
      if (end != NULL)
        {
          g_autoptr(CoopCsvStream) source = coop_csv_stream_new_for_data (data, length);

          if (*end == '\0')
            set_nul_error (error, source, encoding);
          else
            set_invalid_error (error, source, encoding, end - data);
          return NULL;
        }
      *out_length = length - skip;
      return data != NULL ? data + skip : "";
    }

  /* Opened here rather than by g_convert(), whose error for an encoding
   * iconv does not know depends on errno after a look-up of aliases. */
  cd = g_iconv_open ("UTF-8", encoding);
  if (cd == (GIConv) -1)
    {
      set_unknown_error (error, encoding);
      return NULL;
    }
  text = g_convert_with_iconv (data + skip, (gssize) (length - skip), cd,
                               &read, &written, &local_error);
  g_iconv_close (cd);
  if (text == NULL)
    {
      g_autoptr(CoopCsvStream) source = coop_csv_stream_new_for_data (data, length);

      set_invalid_error (error, source, encoding, read + skip);
      return NULL;
    }

  if (memchr (text, '\0', written) != NULL)
    {
      g_autoptr(CoopCsvStream) source = coop_csv_stream_new_for_data (data, length);

      set_nul_error (error, source, encoding);
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

/* What coop_csv_detect_separator() counts, kept across chunks of text. */
typedef struct {
  gsize    counts[3];   /* commas, semicolons, tabs */
  gboolean quoted;
} SeparatorCount;

/* Counts on in @text; returns whether the first line ended there. */
static gboolean
count_separators (SeparatorCount *count,
                  const char     *text,
                  gsize           length)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        count->quoted = !count->quoted;
      else if (count->quoted)
        continue;
      else if (c == '\n' || c == '\r')
        return TRUE;
      else if (c == ',')
        count->counts[0]++;
      else if (c == ';')
        count->counts[1]++;
      else if (c == '\t')
        count->counts[2]++;
    }
  return FALSE;
}

static char
pick_separator (const SeparatorCount *count)
{
  const gsize *counts = count->counts;

  if (counts[2] > counts[0] && counts[2] >= counts[1])
    return '\t';
  if (counts[1] > counts[0])
    return ';';
  return ',';
}

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
  SeparatorCount count = { { 0, 0, 0 }, FALSE };

  count_separators (&count, text, length);
  return pick_separator (&count);
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
  reader->partial = FALSE;
  reader->starved = FALSE;
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
 * When the reader's text is partial (more follows), a row that reaches its
 * end, or that a character after its end could change (a quote, a CR, a
 * separator), is not split: the reader is left at the row's start with
 * @starved set, to be given the rest of the row and the text after it.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the fields,
 *   or %NULL at the end of the text
 */
char **
coop_csv_reader_split (CoopCsvReader *reader,
                       CoopCsvRow    *row,
                       guint         *line)
{
  const char *text = reader->text;
  gsize length = reader->length;
  char separator = reader->separator;
  gboolean partial = reader->partial;
  gsize i = reader->position;
  gsize row_start = i;
  guint row_line = reader->line;

  row->length = 0;
  row->n_fields = 0;
  reader->starved = FALSE;

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
        /* The field may go on, and so may a quoted one that reached the
         * end or whose closing quote is the last character (it may be the
         * first of two). */
        if (end >= length && partial)
          goto starved;
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
            {
              if (partial)
                goto starved;
              end_field (row, row->length);
            }
          end_of_row = i >= length;
        }
      else
        {
          if (text[i] == '\r' && i + 1 >= length && partial)
            goto starved;
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
          row_start = i;
          row_line = reader->line;
        }
    }

  if (partial)
    goto starved;
  reader->position = i;
  return NULL;

starved:
  reader->position = row_start;
  reader->line = row_line;
  reader->starved = TRUE;
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

/* ------------------------------------------------------------------ streaming */

/* What a read asks for: the importer's own memory for a file is about two
 * chunks and the longest row, whatever the size of the file. */
#define DEFAULT_CHUNK_SIZE (64 * 1024)

static gsize chunk_size = DEFAULT_CHUNK_SIZE;

struct _CoopCsvStream
{
  /* The source: a file descriptor read with pread(), or bytes in memory. */
  int           fd;
  const char   *data;
  gsize         data_length;
  char         *name;         /* of the file, for messages */
  gsize         chunk;
  guint64       offset;       /* of the next byte to read */
  guint64       limit;        /* no byte is read from here on */
  gboolean      quiet;        /* errors are not shown: not worth placing */
  gboolean      eof;          /* a read found the end */

  /* Bytes read, not decoded yet: raw[raw_start, raw_end) from raw_offset. */
  char         *raw;
  gsize         raw_size;
  gsize         raw_start;
  gsize         raw_end;
  guint64       raw_offset;
  gboolean      incomplete;   /* they end in part of a character */

  /* Decoding. */
  char         *encoding;
  GIConv        cd;           /* (GIConv) -1 for UTF-8, which is read as it is */
  gboolean      validate;     /* whether UTF-8 is checked as it is read */
  gboolean      allow_nul;    /* a NUL in UTF-8 is only noted, for detection */
  gboolean      checking;     /* a NUL is reported at the end, as coop_csv_decode() does */
  gboolean      nul;          /* a NUL was decoded */
  gboolean      done;         /* all of the text is in @text or was consumed */

  /* Decoded text: text[0, text_length), from text_offset in a UTF-8 file. */
  char         *text;
  gsize         text_size;
  gsize         text_length;
  gsize         valid_end;    /* UTF-8 checked up to here */
  guint64       text_offset;

  CoopCsvReader reader;
};

/**
 * coop_csv_set_chunk_size:
 * @size: the number of bytes a stream reads at a time, 0 for the default
 *
 * For tests only: tiny chunks make every row, quote and character cross
 * the boundary between two chunks.  Applies to streams created afterwards.
 */
void
coop_csv_set_chunk_size (gsize size)
{
  chunk_size = size > 0 ? size : DEFAULT_CHUNK_SIZE;
}

static CoopCsvStream *
stream_new (void)
{
  CoopCsvStream *stream = g_new0 (CoopCsvStream, 1);

  stream->fd = -1;
  stream->limit = G_MAXUINT64;
  stream->cd = (GIConv) -1;
  stream->chunk = chunk_size;
  /* Never NULL, for memmove() and friends; they grow as they are used. */
  stream->raw_size = stream->text_size = 16;
  stream->raw = g_malloc (stream->raw_size);
  stream->text = g_malloc (stream->text_size);
  return stream;
}

/**
 * coop_csv_stream_new_for_fd:
 * @fd: a file opened for reading, kept open by the caller while the stream
 *   is used; it is read with pread(), so streams over one file do not
 *   disturb each other
 * @name: the file's name, for messages
 *
 * Returns: (transfer full): a stream over the file
 */
CoopCsvStream *
coop_csv_stream_new_for_fd (int         fd,
                            const char *name)
{
  CoopCsvStream *stream;

  g_return_val_if_fail (fd >= 0, NULL);

  stream = stream_new ();
  stream->fd = fd;
  stream->name = g_strdup (name);
  return stream;
}

/**
 * coop_csv_stream_new_for_data:
 * @data: bytes kept by the caller while the stream is used
 * @length: their number
 *
 * A stream over bytes in memory, read in chunks as a file is, so that
 * tests and fuzzers can compare it with the readers of whole files.
 *
 * Returns: (transfer full): a stream over @data
 */
CoopCsvStream *
coop_csv_stream_new_for_data (const char *data,
                              gsize       length)
{
  CoopCsvStream *stream;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  stream = stream_new ();
  stream->data = data != NULL ? data : "";
  stream->data_length = length;
  return stream;
}

static void
close_converter (CoopCsvStream *stream)
{
  if (stream->cd != (GIConv) -1)
    g_iconv_close (stream->cd);
  stream->cd = (GIConv) -1;
}

void
coop_csv_stream_free (CoopCsvStream *stream)
{
  if (stream == NULL)
    return;
  close_converter (stream);
  g_free (stream->name);
  g_free (stream->encoding);
  g_free (stream->raw);
  g_free (stream->text);
  g_free (stream);
}

/* Reads up to @size bytes at the stream's offset; returns how many, 0 at
 * the end of the file, -1 on error. */
static gssize
source_read (CoopCsvStream  *stream,
             char           *buffer,
             gsize           size,
             GError        **error)
{
  gssize n;

  if (stream->offset >= stream->limit)
    size = 0;
  else
    size = (gsize) MIN ((guint64) size, stream->limit - stream->offset);

  if (stream->data != NULL)
    {
      n = (gssize) MIN (size, stream->data_length - stream->offset);
      memcpy (buffer, stream->data + stream->offset, n);
    }
  else
    {
      do
        n = pread (stream->fd, buffer, size, (off_t) stream->offset);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, COOP_ERROR, COOP_ERROR_IO, _("Could not read %s: %s"),
                       stream->name != NULL ? stream->name : "", g_strerror (saved_errno));
          return -1;
        }
    }
  stream->offset += n;
  if (n == 0)
    stream->eof = TRUE;
  return n;
}

/* Reads a chunk after the undecoded bytes, which move to the front. */
static gboolean
read_raw (CoopCsvStream  *stream,
          GError        **error)
{
  gsize left = stream->raw_end - stream->raw_start;
  gssize n;

  memmove (stream->raw, stream->raw + stream->raw_start, left);
  stream->raw_start = 0;
  stream->raw_end = left;
  if (stream->raw_size < left + stream->chunk)
    {
      stream->raw_size = left + stream->chunk;
      stream->raw = g_realloc (stream->raw, stream->raw_size);
    }
  n = source_read (stream, stream->raw + left, stream->chunk, error);
  if (n < 0)
    return FALSE;
  stream->raw_end += n;
  return TRUE;
}

/* Makes room for @n more bytes of text. */
static void
reserve_text (CoopCsvStream *stream,
              gsize          n)
{
  if (stream->text_length + n <= stream->text_size)
    return;
  stream->text_size = MAX (stream->text_size * 2, stream->text_length + n);
  stream->text = g_realloc (stream->text, stream->text_size);
}

/* Drops the first @n bytes of text, which have been used. */
static void
consume_text (CoopCsvStream *stream,
              gsize          n)
{
  g_assert (n <= stream->text_length);

  memmove (stream->text, stream->text + n, stream->text_length - n);
  stream->text_length -= n;
  stream->text_offset += n;
  stream->valid_end = stream->valid_end > n ? stream->valid_end - n : 0;
}

/* Checks the UTF-8 text read since the last check.  A character that the
 * end of a chunk cut is checked again with the next one. */
static gboolean
validate_text (CoopCsvStream  *stream,
               GError        **error)
{
  const char *end = NULL;
  gsize position;

  while (!g_utf8_validate_len (stream->text + stream->valid_end,
                               stream->text_length - stream->valid_end, &end))
    {
      position = end - stream->text;
      if (stream->text[position] == '\0' && stream->allow_nul)
        {
          stream->nul = TRUE;
          stream->valid_end = position + 1;
          continue;
        }

      /* A UTF-8 character has at most four bytes: a longer rest is wrong. */
      if (!stream->eof && stream->text_length - position < 4)
        {
          stream->valid_end = position;
          return TRUE;
        }
      if (stream->text[position] == '\0')
        set_nul_error (error, stream, stream->encoding);
      else
        set_invalid_error (error, stream, stream->encoding, stream->text_offset + position);
      return FALSE;
    }
  stream->valid_end = stream->text_length;
  return TRUE;
}

static gboolean
fill_utf8 (CoopCsvStream  *stream,
           GError        **error)
{
  gssize n;

  reserve_text (stream, stream->chunk);
  n = source_read (stream, stream->text + stream->text_length, stream->chunk, error);
  if (n < 0)
    return FALSE;
  stream->text_length += n;
  if (stream->validate && !validate_text (stream, error))
    return FALSE;
  stream->done = stream->eof;
  return TRUE;
}

/* Takes @n bytes that iconv wrote after the text. */
static gboolean
add_converted (CoopCsvStream  *stream,
               gsize           n,
               GError        **error)
{
  if (memchr (stream->text + stream->text_length, '\0', n) != NULL)
    {
      if (!stream->checking)
        {
          set_nul_error (error, stream, stream->encoding);
          return FALSE;
        }
      stream->nul = TRUE;
    }
  stream->text_length += n;
  return TRUE;
}

/* Decodes what was read with iconv, reading more when it is used up; as
 * g_convert() does, an incomplete character at the very end is dropped. */
static gboolean
fill_converted (CoopCsvStream  *stream,
                GError        **error)
{
  char *in, *out;
  gsize in_left, out_left, result, written;
  int saved_errno;

  if ((stream->raw_start == stream->raw_end || stream->incomplete) && !stream->eof)
    {
      if (!read_raw (stream, error))
        return FALSE;
      stream->incomplete = FALSE;
    }

  /* Room for a few characters at least, however small the chunks. */
  reserve_text (stream, MAX (stream->chunk, 16));
  out = stream->text + stream->text_length;
  out_left = stream->text_size - stream->text_length;

  if (stream->eof && (stream->raw_start == stream->raw_end || stream->incomplete))
    {
      /* The end: iconv writes what ends a shift state, if any. */
      g_iconv (stream->cd, NULL, NULL, &out, &out_left);
      stream->raw_start = stream->raw_end;
      stream->done = TRUE;
      return add_converted (stream, out - (stream->text + stream->text_length), error);
    }

  in = stream->raw + stream->raw_start;
  in_left = stream->raw_end - stream->raw_start;
  result = g_iconv (stream->cd, &in, &in_left, &out, &out_left);
  saved_errno = errno;
  stream->raw_offset += in - (stream->raw + stream->raw_start);
  stream->raw_start = in - stream->raw;
  written = out - (stream->text + stream->text_length);
  if (!add_converted (stream, written, error))
    return FALSE;
  if (result != (gsize) -1)
    return TRUE;

  switch (saved_errno)
    {
    case E2BIG:
      /* The text is full: the rest waits for the next call, with more room
       * if not even one character fitted. */
      if (written == 0)
        reserve_text (stream, stream->text_size - stream->text_length + 16);
      return TRUE;
    case EINVAL:
      stream->incomplete = TRUE;
      return TRUE;
    default:
      set_invalid_error (error, stream, stream->encoding, stream->raw_offset);
      return FALSE;
    }
}

/* Adds at least one byte to the text, or reaches the end. */
static gboolean
fill_text (CoopCsvStream  *stream,
           GError        **error)
{
  gsize before = stream->text_length;

  while (stream->text_length == before && !stream->done)
    if (!(stream->cd == (GIConv) -1 ? fill_utf8 (stream, error)
                                     : fill_converted (stream, error)))
      return FALSE;
  return TRUE;
}

/* Reads from the start of the file again, up to three bytes at least, for
 * a byte-order mark. */
static gboolean
rewind_stream (CoopCsvStream  *stream,
               GError        **error)
{
  close_converter (stream);
  stream->offset = 0;
  stream->eof = FALSE;
  stream->raw_start = stream->raw_end = 0;
  stream->raw_offset = 0;
  stream->incomplete = FALSE;
  stream->nul = FALSE;
  stream->done = FALSE;
  stream->text_length = 0;
  stream->valid_end = 0;
  stream->text_offset = 0;
  while (stream->raw_end < 3 && !stream->eof)
    if (!read_raw (stream, error))
      return FALSE;
  return TRUE;
}

/* Starts decoding from the start of the file, past its byte-order mark. */
static gboolean
begin_decoding (CoopCsvStream  *stream,
                const char     *encoding,
                gboolean        validate,
                gboolean        checking,
                GError        **error)
{
  gsize skip;

  if (!rewind_stream (stream, error))
    return FALSE;

  g_free (stream->encoding);
  stream->encoding = g_strdup (encoding);
  stream->validate = validate;
  stream->checking = checking;
  skip = bom_length (stream->raw, stream->raw_end, encoding);
  stream->raw_start = skip;
  stream->raw_offset = skip;

  if (!is_utf8 (encoding))
    {
      stream->cd = g_iconv_open ("UTF-8", encoding);
      if (stream->cd == (GIConv) -1)
        {
          set_unknown_error (error, encoding);
          return FALSE;
        }
      return TRUE;
    }

  /* UTF-8 is read straight into the text: the bytes read so far first. */
  reserve_text (stream, stream->raw_end - skip);
  memcpy (stream->text, stream->raw + skip, stream->raw_end - skip);
  stream->text_length = stream->raw_end - skip;
  stream->text_offset = skip;
  stream->raw_start = stream->raw_end;
  if (validate && !validate_text (stream, error))
    return FALSE;
  stream->done = stream->eof;
  return TRUE;
}

/* Decodes the whole file, keeping no more than a chunk of it. */
static gboolean
decode_all (CoopCsvStream  *stream,
            GError        **error)
{
  while (!stream->done)
    {
      consume_text (stream, stream->cd == (GIConv) -1 && stream->validate ? stream->valid_end
                                                                          : stream->text_length);
      if (!fill_text (stream, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * coop_csv_stream_detect_encoding:
 * @stream: a stream
 * @valid: (out): whether the file was found to be UTF-8 without a
 *   byte-order mark, so that it need not be checked again
 * @error: return location for a %COOP_ERROR_IO
 *
 * Like coop_csv_detect_encoding(), reading the whole file a chunk at a
 * time (or up to the first byte that is not UTF-8).
 *
 * Returns: (transfer full): an iconv encoding name, or %NULL when the file
 *   could not be read
 */
char *
coop_csv_stream_detect_encoding (CoopCsvStream  *stream,
                                 gboolean       *valid,
                                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *raw;
  gsize length;

  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (valid != NULL, NULL);

  *valid = FALSE;
  if (!rewind_stream (stream, error))
    return NULL;

  while (stream->raw_end < UTF16_SNIFF_LENGTH && !stream->eof)
    if (!read_raw (stream, error))
      return NULL;

  raw = stream->raw;
  length = stream->raw_end;
  if (has_prefix (raw, length, "\xef\xbb\xbf", 3))
    return g_strdup ("UTF-8");
  if (has_prefix (raw, length, "\xff\xfe", 2))
    return g_strdup ("UTF-16LE");
  if (has_prefix (raw, length, "\xfe\xff", 2))
    return g_strdup ("UTF-16BE");
  if (sniff_utf16 (raw, length) != NULL)
    return g_strdup (sniff_utf16 (raw, length));

  /* The error of a file that is not UTF-8 is not shown; a NUL is reported
   * when the file is checked. */
  stream->quiet = TRUE;
  stream->allow_nul = TRUE;
  if (begin_decoding (stream, "UTF-8", TRUE, TRUE, &local_error) &&
      decode_all (stream, &local_error))
    {
      stream->quiet = stream->allow_nul = FALSE;
      *valid = !stream->nul;
      return g_strdup ("UTF-8");
    }
  stream->quiet = stream->allow_nul = FALSE;
  if (g_error_matches (local_error, COOP_ERROR, COOP_ERROR_VALIDATION))
    return g_strdup ("GB18030");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * coop_csv_stream_check:
 * @stream: a stream
 * @encoding: the file's encoding, an iconv name
 * @error: return location for a #CoopError
 *
 * Decodes the whole file a chunk at a time and keeps none of it, to find
 * the error coop_csv_decode() would find, at the same byte.
 *
 * Returns: whether the file is text in @encoding; %COOP_ERROR_VALIDATION
 *   as for coop_csv_decode(), %COOP_ERROR_IO when it could not be read
 */
gboolean
coop_csv_stream_check (CoopCsvStream  *stream,
                       const char     *encoding,
                       GError        **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (encoding != NULL, FALSE);

  if (!begin_decoding (stream, encoding, TRUE, TRUE, error) || !decode_all (stream, error))
    return FALSE;
  if (stream->nul)
    {
      set_nul_error (error, stream, encoding);
      return FALSE;
    }
  return TRUE;
}

/**
 * coop_csv_stream_start:
 * @stream: a stream
 * @encoding: the file's encoding, an iconv name
 * @checked: whether the file was checked already, by
 *   coop_csv_stream_check() or coop_csv_stream_detect_encoding()
 * @separator: the field separator, or '\0' to detect it as
 *   coop_csv_detect_separator() does
 * @error: return location for a #CoopError
 *
 * Starts splitting the file from its first row.  Without @checked, errors
 * in the text are reported by coop_csv_stream_split() when it meets them.
 *
 * Returns: whether the file could be read
 */
gboolean
coop_csv_stream_start (CoopCsvStream  *stream,
                       const char     *encoding,
                       gboolean        checked,
                       char            separator,
                       GError        **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (encoding != NULL, FALSE);

  if (!begin_decoding (stream, encoding, !checked, FALSE, error))
    return FALSE;

  if (separator == '\0')
    {
      SeparatorCount count = { { 0, 0, 0 }, FALSE };
      gsize counted = 0;

      /* The first line is kept in the text, to be split next. */
      while (!count_separators (&count, stream->text + counted, stream->text_length - counted)
             && !stream->done)
        {
          counted = stream->text_length;
          if (!fill_text (stream, error))
            return FALSE;
        }
      separator = pick_separator (&count);
    }

  coop_csv_reader_init (&stream->reader, stream->text, stream->text_length, separator);
  stream->reader.partial = !stream->done;
  return TRUE;
}

/**
 * coop_csv_stream_get_separator:
 * @stream: a stream started with coop_csv_stream_start()
 *
 * Returns: the field separator, given or detected
 */
char
coop_csv_stream_get_separator (CoopCsvStream *stream)
{
  g_return_val_if_fail (stream != NULL, ',');

  return stream->reader.separator;
}

/**
 * coop_csv_stream_split:
 * @stream: a stream started with coop_csv_stream_start()
 * @row: a row from coop_csv_row_init(), which gets the fields
 * @line: (out) (optional): the number of the line the row starts on
 * @error: return location for a #CoopError
 *
 * Like coop_csv_reader_split(), reading and decoding more of the file as
 * the rows need it: the same rows with the same line numbers, however the
 * chunks cut quoted fields, line ends and characters.
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the fields,
 *   or %NULL at the end or with @error set
 */
char **
coop_csv_stream_split (CoopCsvStream  *stream,
                       CoopCsvRow     *row,
                       guint          *line,
                       GError        **error)
{
  CoopCsvReader *reader;
  gsize partial;

  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (row != NULL, NULL);

  reader = &stream->reader;
  for (;;)
    {
      char **cells = coop_csv_reader_split (reader, row, line);

      if (cells != NULL || !reader->starved)
        return cells;

      /* The rows before the one cut are used: make room for the rest.  A
       * row longer than a chunk is read on in ever larger steps, so that
       * splitting it again each time costs no more than twice its length. */
      partial = stream->text_length - reader->position;
      consume_text (stream, reader->position);
      do
        if (!fill_text (stream, error))
          return NULL;
      while (partial > DEFAULT_CHUNK_SIZE && stream->text_length < 2 * partial && !stream->done);
      reader->text = stream->text;
      reader->length = stream->text_length;
      reader->position = 0;
      reader->partial = !stream->done;
    }
}

/* ------------------------------------------------------------------ placing errors */

/* The place of a character in a file, as the importer names it: the row by
 * the line it starts on, and the field in that row.  It follows the quotes
 * as coop_csv_reader_split() does, a character at a time, so that text fed
 * in chunks of any size gives the same place. */
typedef enum {
  PLACE_FIELD_START,
  PLACE_UNQUOTED,
  PLACE_QUOTED,
  PLACE_QUOTE_IN_QUOTED,   /* a quote in a quoted field: its end, or the first of two */
} PlaceState;

typedef struct {
  char       separator;
  PlaceState state;
  guint      line;         /* of the next character */
  guint      row_line;     /* the line the row starts on */
  guint      field;        /* from 0 */
  gboolean   cr;           /* the last character was a CR */
} Place;

static void
place_feed (Place      *place,
            const char *text,
            gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      gboolean after_cr = place->cr;

      place->cr = c == '\r';
      if (place->state == PLACE_QUOTE_IN_QUOTED)
        {
          if (c == '"')
            {
              place->state = PLACE_QUOTED;
              continue;
            }
          place->state = PLACE_UNQUOTED;
        }

      if (c == '\n' || c == '\r')
        {
          if (!(c == '\n' && after_cr))
            place->line++;
          if (place->state != PLACE_QUOTED)
            {
              place->state = PLACE_FIELD_START;
              place->field = 0;
              place->row_line = place->line;
            }
          continue;
        }

      switch (place->state)
        {
        case PLACE_FIELD_START:
          if (c == '"')
            place->state = PLACE_QUOTED;
          else if (c == place->separator)
            place->field++;
          else
            place->state = PLACE_UNQUOTED;
          break;
        case PLACE_UNQUOTED:
          if (c == place->separator)
            {
              place->field++;
              place->state = PLACE_FIELD_START;
            }
          break;
        case PLACE_QUOTED:
          if (c == '"')
            place->state = PLACE_QUOTE_IN_QUOTED;
          break;
        case PLACE_QUOTE_IN_QUOTED:
        default:
          g_assert_not_reached ();
        }
    }
}

/* A new stream over the same file or bytes, to read it again. */
static CoopCsvStream *
stream_new_sibling (CoopCsvStream *stream)
{
  CoopCsvStream *sibling = stream_new ();

  sibling->fd = stream->fd;
  sibling->data = stream->data;
  sibling->data_length = stream->data_length;
  sibling->chunk = stream->chunk;
  return sibling;
}

/* Decodes the file up to @offset, a byte where an error starts or
 * G_MAXUINT64, and stops at a NUL: the place is that of the next
 * character.  The separator is picked from the first line as
 * coop_csv_stream_start() picks it, so every candidate is followed. */
static void
locate (CoopCsvStream *stream,
        const char    *encoding,
        guint64        offset,
        guint         *row,
        guint         *column)
{
  static const char separators[] = { ',', ';', '\t' };
  g_autoptr(CoopCsvStream) sibling = stream_new_sibling (stream);
  SeparatorCount count = { { 0, 0, 0 }, FALSE };
  gboolean counted = FALSE;
  Place places[G_N_ELEMENTS (separators)];
  char separator;
  guint which = 0;

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    places[i] = (Place) { separators[i], PLACE_FIELD_START, 1, 1, 0, FALSE };

  sibling->limit = offset;
  if (begin_decoding (sibling, encoding, FALSE, TRUE, NULL))
    for (;;)
      {
        const char *nul = memchr (sibling->text, '\0', sibling->text_length);
        gsize n = nul != NULL ? (gsize) (nul - sibling->text) : sibling->text_length;

        if (!counted)
          counted = count_separators (&count, sibling->text, n);
        for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
          place_feed (&places[i], sibling->text, n);
        consume_text (sibling, sibling->text_length);
        if (nul != NULL || sibling->done || !fill_text (sibling, NULL))
          break;
      }

  separator = pick_separator (&count);
  while (separators[which] != separator)
    which++;
  *row = places[which].row_line;
  *column = places[which].field + 1;
}

/* Whether the start of the file looks like UTF-16 without a byte-order
 * mark: its name, or %NULL. */
static const char *
looks_like_utf16 (CoopCsvStream *stream)
{
  g_autoptr(CoopCsvStream) sibling = stream_new_sibling (stream);

  while (sibling->raw_end < UTF16_SNIFF_LENGTH && !sibling->eof)
    if (!read_raw (sibling, NULL))
      break;
  return sniff_utf16 (sibling->raw, sibling->raw_end);
}

static gboolean
is_utf16 (const char *encoding)
{
  return g_ascii_strncasecmp (encoding, "UTF-16", 6) == 0 ||
         g_ascii_strncasecmp (encoding, "UCS-2", 5) == 0;
}

static void
set_invalid_error (GError        **error,
                   CoopCsvStream  *source,
                   const char     *encoding,
                   guint64         offset)
{
  const char *looks_like = NULL;
  guint row = 0, column = 0;

  if (error == NULL)
    return;
  if (source->quiet)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("The file is not valid %s text."), encoding);
      return;
    }

  locate (source, encoding, offset, &row, &column);
  if (!is_utf16 (encoding))
    looks_like = looks_like_utf16 (source);
  if (looks_like != NULL)
    g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                 _("Row %u, column %u (byte %lu): the file is not valid %s text here. "
                   "It looks like %s text: choose that encoding."),
                 row, column, (unsigned long) offset, encoding, looks_like);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                 _("Row %u, column %u (byte %lu): the file is not valid %s text here. "
                   "Choose its encoding."),
                 row, column, (unsigned long) offset, encoding);
}

/* How many bytes a NUL is in @encoding. */
static guint
nul_width (const char *encoding)
{
  if (is_utf16 (encoding))
    return 2;
  if (g_ascii_strncasecmp (encoding, "UTF-32", 6) == 0 ||
      g_ascii_strncasecmp (encoding, "UCS-4", 5) == 0)
    return 4;
  return 1;
}

/* Finds the first NUL of the file in @encoding, as zero bytes at a
 * character's place.  Returns G_MAXUINT64 when the NUL is not made of zero
 * bytes. */
static guint64
find_nul (CoopCsvStream *stream,
          const char    *encoding)
{
  g_autoptr(CoopCsvStream) sibling = stream_new_sibling (stream);
  guint width = nul_width (encoding);
  gboolean zero = TRUE;
  guint64 position = 0;

  while (!sibling->eof)
    {
      if (!read_raw (sibling, NULL))
        break;
      for (gsize i = 0; i < sibling->raw_end; i++, position++)
        {
          if (position % width == 0)
            zero = TRUE;
          zero = zero && sibling->raw[i] == '\0';
          if (zero && position % width == width - 1)
            return position + 1 - width;
        }
      sibling->raw_start = sibling->raw_end;
    }
  return G_MAXUINT64;
}

static void
set_nul_error (GError        **error,
               CoopCsvStream  *source,
               const char     *encoding)
{
  const char *looks_like = NULL;
  guint row = 0, column = 0;
  guint64 offset;

  if (error == NULL)
    return;
  if (source->quiet)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                   _("The file holds a NUL byte, which text never has."));
      return;
    }

  offset = find_nul (source, encoding);
  locate (source, encoding, offset, &row, &column);
  if (!is_utf16 (encoding))
    looks_like = looks_like_utf16 (source);
  if (looks_like != NULL)
    g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                 _("Row %u, column %u (byte %lu): the file holds a NUL byte, which text in %s "
                   "never has. It looks like %s text: choose that encoding."),
                 row, column, (unsigned long) offset, encoding, looks_like);
  else if (offset != G_MAXUINT64)
    g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                 _("Row %u, column %u (byte %lu): the file holds a NUL byte, which text never "
                   "has. It is damaged or not a text file."),
                 row, column, (unsigned long) offset);
  else
    g_set_error (error, COOP_ERROR, COOP_ERROR_VALIDATION,
                 _("Row %u, column %u: the file holds a NUL character, which text never "
                   "has. It is damaged or not a text file."),
                 row, column);
}
