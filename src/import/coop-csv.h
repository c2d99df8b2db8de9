/* coop-csv.h — decoding and splitting delimited text files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CoopCsvReader:
 *
 * Reads delimited text a row at a time; see coop_csv_reader_init().
 */
typedef struct {
  const char *text;
  gsize       length;
  gsize       position;
  char        separator;
  guint       line;
} CoopCsvReader;

/**
 * CoopCsvRow:
 *
 * The fields of one row, kept from row to row; see coop_csv_reader_split().
 */
typedef struct {
  /*< private >*/
  char      *buffer;     /* the fields, each ended by a NUL */
  gsize      length;
  gsize      size;
  gsize     *offsets;    /* where each field starts in @buffer */
  char     **cells;      /* @n_fields pointers into @buffer, then %NULL */
  guint      n_fields;
  guint      n_slots;    /* of @offsets and @cells, less the final %NULL */
} CoopCsvRow;

char      *coop_csv_detect_encoding (const char  *data,
                                     gsize        length);
char      *coop_csv_decode          (const char  *data,
                                     gsize        length,
                                     const char  *encoding,
                                     gsize       *out_length,
                                     GError     **error);
const char *coop_csv_decode_view    (const char  *data,
                                     gsize        length,
                                     const char  *encoding,
                                     gboolean     valid,
                                     gsize       *out_length,
                                     char       **owned,
                                     GError     **error);
char       coop_csv_detect_separator (const char *text,
                                      gsize       length);
void       coop_csv_reader_init     (CoopCsvReader *reader,
                                     const char    *text,
                                     gsize          length,
                                     char           separator);
char     **coop_csv_reader_next     (CoopCsvReader *reader,
                                     guint         *line);
void       coop_csv_row_init        (CoopCsvRow    *row);
void       coop_csv_row_clear       (CoopCsvRow    *row);
char     **coop_csv_reader_split    (CoopCsvReader *reader,
                                     CoopCsvRow    *row,
                                     guint         *line);
GPtrArray *coop_csv_parse           (const char  *text,
                                     gsize        length,
                                     char         separator,
                                     GArray      *line_numbers);

G_END_DECLS
