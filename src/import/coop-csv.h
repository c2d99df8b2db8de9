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
  gboolean    partial;   /* more text follows @length */
  gboolean    starved;   /* the last split stopped at the end of partial text */
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

/**
 * CoopCsvStream:
 *
 * Reads a text file in chunks of bounded size: detects and checks its
 * encoding, then decodes and splits it a row at a time, so that a large
 * file is never held whole; see coop_csv_stream_new_for_fd().
 */
typedef struct _CoopCsvStream CoopCsvStream;

CoopCsvStream *coop_csv_stream_new_for_fd     (int             fd,
                                               const char     *name);
CoopCsvStream *coop_csv_stream_new_for_data   (const char     *data,
                                               gsize           length);
void           coop_csv_stream_free           (CoopCsvStream  *stream);
char          *coop_csv_stream_detect_encoding (CoopCsvStream *stream,
                                               gboolean       *valid,
                                               GError        **error);
gboolean       coop_csv_stream_check          (CoopCsvStream  *stream,
                                               const char     *encoding,
                                               GError        **error);
gboolean       coop_csv_stream_start          (CoopCsvStream  *stream,
                                               const char     *encoding,
                                               gboolean        checked,
                                               char            separator,
                                               GError        **error);
char           coop_csv_stream_get_separator  (CoopCsvStream  *stream);
char         **coop_csv_stream_split          (CoopCsvStream  *stream,
                                               CoopCsvRow     *row,
                                               guint          *line,
                                               GError        **error);
void           coop_csv_set_chunk_size        (gsize           size);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopCsvStream, coop_csv_stream_free)

G_END_DECLS
