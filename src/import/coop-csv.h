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
  GString   *buffer;
  GArray    *offsets;
  GPtrArray *cells;
} CoopCsvRow;

char      *coop_csv_detect_encoding (const char  *data,
                                     gsize        length);
char      *coop_csv_decode          (const char  *data,
                                     gsize        length,
                                     const char  *encoding,
                                     gsize       *out_length,
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
