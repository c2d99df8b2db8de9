/* test-import.c — reading CSV and XLSX files, planning and committing imports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>

#include "coop-test-util.h"
#include "coop-candidate.h"
#include "coop-csv.h"
#include "coop-department.h"
#include "coop-error.h"
#include "coop-import.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-store.h"
#include "coop-student.h"
#include "coop-xlsx.h"

/* ------------------------------------------------------------------ helpers */

static char *
data_path (const char *name)
{
  const char *dir = g_getenv ("COOP_TEST_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static CoopImportTable *
read_fixture (const char *name,
              const char *encoding,
              const char *sheet)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  CoopImportTable *table = coop_import_table_read (path, encoding, sheet, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static const char *
cell (const CoopImportTable *table,
      guint                  row,
      guint                  column)
{
  char **cells = g_ptr_array_index (table->rows, row);

  g_assert_cmpuint (column, <, g_strv_length (cells));
  return cells[column];
}

/* A ZIP package in memory with the given parts, written by libarchive. */
static GBytes *
make_zip (const char * const *parts)
{
  struct archive *zip = archive_write_new ();
  gsize size = 1024 * 1024;
  g_autofree char *buffer = g_malloc (size);
  size_t used = 0;

  archive_write_set_format_zip (zip);
  g_assert_cmpint (archive_write_open_memory (zip, buffer, size, &used), ==, ARCHIVE_OK);
  for (guint i = 0; parts[i] != NULL; i += 2)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize length = strlen (parts[i + 1]);

      archive_entry_set_pathname (entry, parts[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, (la_int64_t) length);
      g_assert_cmpint (archive_write_header (zip, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (zip, parts[i + 1], length), ==, (la_ssize_t) length);
      archive_entry_free (entry);
    }
  archive_write_close (zip);
  archive_write_free (zip);
  return g_bytes_new (buffer, used);
}

#define WORKBOOK \
  "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"" \
  " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" \
  "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS \
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
  "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define SHEET(rows) \
  "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
  "<sheetData>" rows "</sheetData></worksheet>"

typedef struct {
  char      *dir;
  char      *path;
  CoopStore *store;
} Fixture;

/* With COOP_TEST_POSTGRESQL set (under pg_virtualenv, see meson.build)
 * every import runs into a new database of the server instead of a file. */
static gboolean
on_server (void)
{
  return g_getenv ("COOP_TEST_POSTGRESQL") != NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("coop-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = on_server () ? coop_test_new_server_database ("import")
                         : g_build_filename (f->dir, "coopdesk.db", NULL);
  f->store = coop_store_open (f->path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_store_load_all (f->store, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  coop_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static CoopImportPlan *
plan_fixture (Fixture         *f,
              const char      *name,
              CoopImportTable **out_table)
{
  g_autoptr(CoopImportTable) table = read_fixture (name, NULL, NULL);
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(GError) error = NULL;
  CoopImportPlan *plan;
  int columns[COOP_IMPORT_N_FIELDS];

  existing = coop_import_existing_new (f->store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);
  plan = coop_import_plan_new (table, columns, existing, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  if (out_table != NULL)
    *out_table = g_steal_pointer (&table);
  return plan;
}

static guint
n_students (Fixture *f)
{
  return g_list_model_get_n_items (coop_store_get_list (f->store, COOP_TYPE_STUDENT));
}

static CoopStudent *
student_at (Fixture *f,
            guint    position)
{
  g_autoptr(CoopStudent) student =
    g_list_model_get_item (coop_store_get_list (f->store, COOP_TYPE_STUDENT), position);

  return student;
}

/* ------------------------------------------------------------------ encoding, CSV */

static void
test_encoding_detect (void)
{
  static const struct {
    const char *bytes;
    gsize       length;
    const char *encoding;
  } cases[] = {
    { "\xef\xbb\xbf" "a,b", 6, "UTF-8" },
    { "\xff\xfe" "a\0", 4, "UTF-16LE" },
    { "\xfe\xff" "\0a", 4, "UTF-16BE" },
    { "学号", 6, "UTF-8" },
    { "\xd1\xa7\xba\xc5", 4, "GB18030" },  /* 学号 in GBK */
    { "", 0, "UTF-8" },
    /* UTF-16 without a byte-order mark: 学号,姓名 and a line break. */
    { "\x66\x5b\xf7\x53,\0\xd3\x59\x0d\x54\n\0", 12, "UTF-16LE" },
    { "\x5b\x66\x53\xf7\0,\x59\xd3\x54\x0d\0\n", 12, "UTF-16BE" },
    /* A stray NUL makes neither UTF-16 nor GB18030 of UTF-8. */
    { "a,b\n\xd1\xa7\0,x\n", 10, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *encoding = coop_csv_detect_encoding (cases[i].bytes, cases[i].length);

      g_assert_cmpstr (encoding, ==, cases[i].encoding);
    }
}

static void
test_encoding_wrong (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = coop_csv_decode ("\xd1\xa7\xba\xc5", 4, "UTF-8", NULL, &error);

  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_null (text);
  g_clear_error (&error);

  text = coop_csv_decode ("abc", 3, "NO-SUCH-ENCODING", NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);

  text = coop_csv_decode ("a\0b", 3, "UTF-8", NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
}

static void
test_csv_parse (void)
{
  static const char text[] =
    "a;b;c\r\n"
    "\"x;y\";\"say \"\"hi\"\"\";\"two\nlines\"\r"
    "\r\n"
    ";;\n"
    "1;2;\n"
    "last;row;end";
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) rows = NULL;
  char **row;

  g_assert_cmpint (coop_csv_detect_separator (text, strlen (text)), ==, ';');
  g_assert_cmpint (coop_csv_detect_separator ("a\tb\tc", 5), ==, '\t');
  g_assert_cmpint (coop_csv_detect_separator ("\"a;b\",c", 7), ==, ',');

  rows = coop_csv_parse (text, strlen (text), ';', lines);
  g_assert_cmpuint (rows->len, ==, 4);
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpuint (g_strv_length (row), ==, 3);
  g_assert_cmpstr (row[0], ==, "x;y");
  g_assert_cmpstr (row[1], ==, "say \"hi\"");
  g_assert_cmpstr (row[2], ==, "two\nlines");
  row = g_ptr_array_index (rows, 2);
  g_assert_cmpuint (g_strv_length (row), ==, 3);
  g_assert_cmpstr (row[2], ==, "");
  row = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (row[2], ==, "end");
  g_assert_cmpuint (g_array_index (lines, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (lines, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (lines, guint, 2), ==, 6);
  g_assert_cmpuint (g_array_index (lines, guint, 3), ==, 7);
}

/* ------------------------------------------------------------------ streaming */

/* Chunks of 1 to 7 bytes put a boundary inside every quote, line end and
 * character of the samples; 0 is the default size, larger than they are. */
static const gsize chunk_sizes[] = { 1, 2, 3, 4, 5, 6, 7, 0 };

/* One line for the encoding, then the error or the separator and every
 * row as "line: cell | cell", escaped. */
static void
describe_rows (GString    *out,
               char        separator,
               guint       line,
               char      **cells)
{
  static char exceptions[0x81];

  if (cells == NULL)
    {
      if (separator == '\t')
        g_string_append (out, "separator tab\n");
      else
        g_string_append_printf (out, "separator %c\n", separator);
      return;
    }
  /* Control characters escaped, UTF-8 left as it is. */
  if (exceptions[0] == '\0')
    for (guint i = 0x80; i <= 0xff; i++)
      exceptions[i - 0x80] = (char) i;
  g_string_append_printf (out, "%u:", line);
  for (guint i = 0; cells[i] != NULL; i++)
    {
      g_autofree char *escaped = g_strescape (cells[i], exceptions);

      g_string_append_printf (out, i > 0 ? " | %s" : " %s", escaped);
    }
  g_string_append_c (out, '\n');
}

static void
describe_error (GString *out,
                GError  *error)
{
  g_string_append_printf (out, "error %s %d: %s\n", g_quark_to_string (error->domain), error->code,
                          error->message);
}

/* As the whole-file readers see @data. */
static char *
read_whole (const char *data,
            gsize       length,
            const char *encoding)
{
  GString *out = g_string_new (NULL);
  g_autofree char *detected = encoding != NULL ? g_strdup (encoding)
                                               : coop_csv_detect_encoding (data, length);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *text = NULL;
  gsize text_length = 0;
  char separator;

  g_string_append_printf (out, "encoding %s\n", detected);
  text = coop_csv_decode (data, length, detected, &text_length, &error);
  if (text == NULL)
    {
      describe_error (out, error);
      return g_string_free (out, FALSE);
    }
  separator = coop_csv_detect_separator (text, text_length);
  describe_rows (out, separator, 0, NULL);
  rows = coop_csv_parse (text, text_length, separator, lines);
  for (guint i = 0; i < rows->len; i++)
    describe_rows (out, separator, g_array_index (lines, guint, i), g_ptr_array_index (rows, i));
  return g_string_free (out, FALSE);
}

/* As a stream reads @data, @chunk bytes at a time. */
static char *
read_streamed (const char *data,
               gsize       length,
               const char *encoding,
               gsize       chunk)
{
  GString *out = g_string_new (NULL);
  g_autoptr(CoopCsvStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detected = NULL;
  gboolean valid = FALSE;
  CoopCsvRow row;
  char **cells;
  guint line;

  coop_csv_set_chunk_size (chunk);
  stream = coop_csv_stream_new_for_data (data, length);
  coop_csv_set_chunk_size (0);

  detected = encoding != NULL ? g_strdup (encoding)
                              : coop_csv_stream_detect_encoding (stream, &valid, &error);
  g_assert_no_error (error);
  g_string_append_printf (out, "encoding %s\n", detected);
  if ((!valid && !coop_csv_stream_check (stream, detected, &error)) ||
      !coop_csv_stream_start (stream, detected, TRUE, '\0', &error))
    {
      describe_error (out, error);
      return g_string_free (out, FALSE);
    }
  describe_rows (out, coop_csv_stream_get_separator (stream), 0, NULL);
  coop_csv_row_init (&row);
  while ((cells = coop_csv_stream_split (stream, &row, &line, &error)) != NULL)
    describe_rows (out, 0, line, cells);
  g_assert_no_error (error);
  coop_csv_row_clear (&row);
  return g_string_free (out, FALSE);
}

static char *
convert (const char *text,
         const char *encoding,
         gssize     *length)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  char *converted = g_convert (text, -1, encoding, "UTF-8", NULL, &written, &error);

  g_assert_no_error (error);
  *length = (gssize) written;
  return converted;
}

/* A file that cannot be decoded is refused with the row and column of the
 * fault, as a table's rows are numbered (by the line a row starts on), and
 * the byte; the same whether it is read whole or in chunks of any size. */
static void
test_encoding_placed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-import-XXXXXX", NULL);
  g_autoptr(CoopImportExisting) existing = coop_import_existing_new (NULL, NULL);
  gssize utf16_length;
  g_autofree char *utf16 = convert ("学号,姓名\n2023001,张三\n", "UTF-16LE", &utf16_length);
  const struct {
    const char *data;
    gssize      length;
    const char *encoding;
    const char *message;
  } cases[] = {
    { "a,b,c\n1,2,3\n4,x\0y,6\n", 20, NULL,
      "Row 3, column 2 (byte 15): the file holds a NUL byte, which text never has. "
      "It is damaged or not a text file." },
    /* The row of a field over two lines starts on line 2; the next on line 4. */
    { "a,b,c\n1,2,\"two\nlines\"\n5,6,\xff\n", -1, "UTF-8",
      "Row 4, column 3 (byte 26): the file is not valid UTF-8 text here. "
      "Choose its encoding." },
    { "a;b;c\n1;\"x;\xff\";3\n", -1, "UTF-8",
      "Row 2, column 2 (byte 11): the file is not valid UTF-8 text here. "
      "Choose its encoding." },
    { "学号,姓名\n2023001,张三\0\n", 30, NULL,
      "Row 2, column 2 (byte 28): the file holds a NUL byte, which text never has. "
      "It is damaged or not a text file." },
    { utf16, utf16_length, "UTF-8",
      "Row 1, column 1 (byte 2): the file is not valid UTF-8 text here. "
      "It looks like UTF-16LE text: choose that encoding." },
    { utf16, utf16_length, "GBK",
      "Row 1, column 2 (byte 5): the file holds a NUL byte, which text in GBK never has. "
      "It looks like UTF-16LE text: choose that encoding." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, "placed.csv", NULL);
      g_autoptr(CoopImportTable) table = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("case %u", i);
      g_assert_true (g_file_set_contents (path, cases[i].data, cases[i].length, NULL));
      table = coop_import_table_read (path, cases[i].encoding, NULL, &error);
      g_assert_null (table);
      g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_clear_error (&error);

      for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
        {
          coop_csv_set_chunk_size (chunk_sizes[c]);
          table = coop_import_table_open (path, cases[i].encoding, NULL, &error);
          if (table != NULL)
            {
              CoopImportOptions options = { .update_existing = TRUE };
              CoopImportResult result;
              int columns[COOP_IMPORT_N_FIELDS];

              coop_import_guess_mapping (table, NULL, columns);
              g_assert_false (coop_import_run (table, columns, existing, NULL, &options,
                                               NULL, NULL, &result, &error));
              g_clear_pointer (&table, coop_import_table_free);
            }
          g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_clear_error (&error);
        }
      coop_csv_set_chunk_size (0);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* UTF-16 files without a byte-order mark are read as UTF-16. */
static void
test_table_utf16_no_bom (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "utf16.csv", NULL);
  const char *encodings[] = { "UTF-16LE", "UTF-16BE" };

  for (guint i = 0; i < G_N_ELEMENTS (encodings); i++)
    {
      gssize length;
      g_autofree char *data = convert ("学号,姓名\n2023001,张三\n", encodings[i], &length);
      g_autoptr(CoopImportTable) table = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (path, data, length, NULL));
      table = coop_import_table_read (path, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (table->encoding, ==, encodings[i]);
      g_assert_cmpstr (table->header[1], ==, "姓名");
      g_assert_cmpuint (table->rows->len, ==, 1);
      g_assert_cmpstr (cell (table, 0, 1), ==, "张三");
      g_clear_pointer (&table, coop_import_table_free);

      table = coop_import_table_open (path, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (table->encoding, ==, encodings[i]);
      g_unlink (path);
    }
  g_rmdir (dir);
}

#define SAMPLE \
  "学号;姓名;备注\r\n" \
  "001;\"林\"\"雨\"\"萱\";\"两行\r\n𠀀 € 😀\"\r\n" \
  ";;\r\n" \
  "\r\n" \
  "002;王磊;\"a;b\"\"\"\r" \
  "003;\"\"\"\";\n" \
  "004;张;多;余;\n" \
  "005;\"未闭合\n的引号"

/* A stream splits what the whole-file reader splits, in the same rows on
 * the same lines, and fails where it fails with the same message: quoted
 * fields with line breaks, doubled quotes, CR, LF and CRLF, a 4-byte
 * GB18030 character and a UTF-16 surrogate pair (𠀀, 😀) all cut by the
 * chunks' ends. */
static void
test_csv_stream (void)
{
  gssize gb_length, le_length, be_length;
  g_autofree char *gb18030 = convert (SAMPLE, "GB18030", &gb_length);
  g_autofree char *utf16le = convert ("\xef\xbb\xbf" SAMPLE, "UTF-16LE", &le_length);
  g_autofree char *utf16be = convert ("\xef\xbb\xbf" "a\tb\n😀\t\"x\r\n\"\r\n", "UTF-16BE",
                                      &be_length);
  g_autofree char *gb_partial = g_strconcat (gb18030, "\xd1", NULL);
  g_autofree char *gb_wrong = g_strconcat (gb18030, "\x80\xff", NULL);
  const char gb_nul[] = "a,b\n\xd1\xa7\0,x\n";
  const char gb_nul_then_wrong[] = "a,b\n\xd1\xa7\0,x\n\xff\xff";
  const char lone_surrogate[] = "\xff\xfe" "a\0\n\0\x00\xd8" "b\0";
  const struct {
    const char *data;
    gssize      length;   /* -1 for a string */
    const char *encoding; /* NULL to detect */
  } cases[] = {
    { SAMPLE, -1, NULL },
    { "\xef\xbb\xbf" SAMPLE, -1, NULL },
    { "\xef\xbb\xbf" SAMPLE, -1, "UTF-8" },
    { gb18030, gb_length, NULL },
    { gb18030, gb_length, "GBK" },
    { gb_partial, -1, NULL },                         /* an incomplete character at the end */
    { gb_wrong, -1, NULL },
    { utf16le, le_length, NULL },
    { utf16le, le_length, "UTF-16" },                 /* iconv reads the mark */
    { utf16le, le_length - 1, NULL },                 /* an incomplete character at the end */
    { utf16be, be_length, NULL },
    { lone_surrogate, sizeof lone_surrogate - 1, NULL },
    { "学号,姓名\n001,\xe6\x9e\x97\xff 雨\n", -1, "UTF-8" },
    { "\xef\xbb\xbf学号,姓名\n001,林雨\xe8\x90", -1, NULL },   /* cut at the end */
    { "学号,姓名\n001,林雨\xe8\x90", -1, NULL },             /* so not UTF-8 */
    { gb_nul, sizeof gb_nul - 1, NULL },
    { gb_nul_then_wrong, sizeof gb_nul_then_wrong - 1, NULL },
    { "a,b\n1,2", -1, "NO-SUCH-ENCODING" },
    { "\x80\x80\x80\x80\x80\x80\x80,\x80\n", -1, "WINDOWS-1252" },  /* € is 3 bytes in UTF-8 */
    { "", 0, NULL },
    { "\n\r\n \t\n", -1, NULL },
    { "\"a\tb;c\",d;e\tf\tg\n1\t2\t3", -1, NULL },
    { "a,b,\n1,2,", -1, NULL },
    { "a\tb\r", -1, NULL },
  };

  /* The samples have what they are meant to have. */
  g_assert_nonnull (strstr (gb18030, "\x95\x32\x82\x36"));       /* 𠀀 in GB18030 */
  g_assert_nonnull (memmem (utf16le, le_length, "\x3d\xd8\x00\xde", 4));          /* 😀 */

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].length >= 0 ? (gsize) cases[i].length : strlen (cases[i].data);
      g_autofree char *whole = read_whole (cases[i].data, length, cases[i].encoding);

      for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
        {
          g_autofree char *streamed = read_streamed (cases[i].data, length, cases[i].encoding,
                                                     chunk_sizes[c]);

          g_test_message ("case %u, chunks of %" G_GSIZE_FORMAT, i, chunk_sizes[c]);
          g_assert_cmpstr (streamed, ==, whole);
        }
    }
}

static void
test_table_utf8_bom (void)
{
  g_autoptr(CoopImportTable) table = read_fixture ("import-utf8-bom.csv", NULL, NULL);

  g_assert_cmpstr (table->encoding, ==, "UTF-8");
  g_assert_cmpint (table->separator, ==, ',');
  g_assert_cmpstr (table->header[0], ==, "学号");
  g_assert_cmpuint (g_strv_length (table->header), ==, 10);
  g_assert_cmpuint (table->rows->len, ==, 3);
  g_assert_cmpstr (cell (table, 0, 0), ==, "00231001");
  g_assert_cmpstr (cell (table, 1, 5), ==, "数媒2101, 一班");
  g_assert_cmpstr (cell (table, 1, 9), ==, "说\"好\"的");
  g_assert_cmpstr (cell (table, 2, 9), ==, "第一行\r\n第二行");
  g_assert_cmpuint (g_array_index (table->row_numbers, guint, 2), ==, 5);
}

static void
test_table_gbk (void)
{
  g_autoptr(CoopImportTable) table = read_fixture ("import-gbk.csv", NULL, NULL);
  g_autoptr(CoopImportTable) forced = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = data_path ("import-gbk.csv");

  g_assert_cmpstr (table->encoding, ==, "GB18030");
  g_assert_cmpint (table->separator, ==, ';');
  g_assert_cmpstr (table->header[1], ==, "姓名");
  g_assert_cmpuint (table->rows->len, ==, 3);
  g_assert_cmpstr (cell (table, 0, 1), ==, "陈静");
  g_assert_cmpstr (cell (table, 2, 3), ==, "机械工程学院");

  forced = coop_import_table_read (path, "GBK", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cell (forced, 0, 1), ==, "陈静");
  g_clear_pointer (&forced, coop_import_table_free);

  forced = coop_import_table_read (path, "UTF-8", NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_null (forced);
}

static void
test_table_utf16 (void)
{
  g_autoptr(CoopImportTable) table = read_fixture ("import-utf16.csv", NULL, NULL);
  int columns[COOP_IMPORT_N_FIELDS];

  g_assert_cmpstr (table->encoding, ==, "UTF-16LE");
  g_assert_cmpint (table->separator, ==, '\t');
  g_assert_cmpuint (table->rows->len, ==, 2);
  g_assert_cmpstr (cell (table, 0, 0), ==, "0042");
  g_assert_cmpstr (cell (table, 1, 1), ==, "Bob Li");

  coop_import_guess_mapping (table, NULL, columns);
  for (guint f = 0; f < COOP_IMPORT_FIELD_NOTES; f++)
    g_assert_cmpint (columns[f], ==, (int) f);
  g_assert_cmpint (columns[COOP_IMPORT_FIELD_NOTES], ==, -1);
}

static void
test_table_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopImportTable) table = coop_import_table_read ("/nonexistent/students.csv",
                                                             NULL, NULL, &error);

  g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
  g_assert_null (table);
  g_clear_error (&error);

  table = coop_import_table_read_data ("\n\n", 2, NULL, NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
}

static void
test_mapping_remembered (void)
{
  g_autoptr(CoopImportTable) table = read_fixture ("import-utf8-bom.csv", NULL, NULL);
  const char *remembered[COOP_IMPORT_N_FIELDS] = { NULL };
  int columns[COOP_IMPORT_N_FIELDS];

  /* The remembered title wins over the field's usual name. */
  remembered[COOP_IMPORT_FIELD_NOTES] = "邮箱";
  coop_import_guess_mapping (table, remembered, columns);
  g_assert_cmpint (columns[COOP_IMPORT_FIELD_NOTES], ==, 8);
  g_assert_cmpint (columns[COOP_IMPORT_FIELD_EMAIL], ==, -1);
  g_assert_cmpint (columns[COOP_IMPORT_FIELD_NUMBER], ==, 0);
}

/* ------------------------------------------------------------------ XLSX */

static void
test_xlsx_libreoffice (void)
{
  g_autoptr(CoopImportTable) table = read_fixture ("import-libreoffice.xlsx", NULL, NULL);
  g_autoptr(CoopImportTable) second = read_fixture ("import-libreoffice.xlsx", NULL, "Sheet2");

  g_assert_null (table->encoding);
  g_assert_cmpstr (table->sheet, ==, "学生名单");
  g_assert_cmpuint (g_strv_length (table->sheets), ==, 2);
  g_assert_cmpstr (table->sheets[1], ==, "Sheet2");
  g_assert_cmpuint (table->rows->len, ==, 3);
  g_assert_cmpstr (cell (table, 0, 0), ==, "00231001");    /* number with format 00000000 */
  g_assert_cmpstr (cell (table, 0, 7), ==, "13800138000"); /* no 1.38E+10 */
  g_assert_cmpstr (cell (table, 0, 9), ==, "2021-09-01");  /* date */
  g_assert_cmpstr (cell (table, 1, 6), ==, "2025");        /* formula's cached value */
  g_assert_cmpstr (cell (table, 1, 7), ==, "13900139001");
  g_assert_cmpstr (cell (table, 2, 0), ==, "00231003");    /* text cell */
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (table->rows, 2)), ==, 11);
  g_assert_cmpuint (g_array_index (table->row_numbers, guint, 2), ==, 4);

  g_assert_cmpstr (second->sheet, ==, "Sheet2");
  g_assert_cmpuint (second->rows->len, ==, 1);
  g_assert_cmpstr (cell (second, 0, 0), ==, "0099");
}

static void
test_xlsx_cells (void)
{
  const char *parts[] = {
    "[Content_Types].xml", "<Types/>",
    "xl/workbook.xml", WORKBOOK,
    "xl/_rels/workbook.xml.rels", RELS,
    "xl/sharedStrings.xml",
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>学号</t></si><si><r><t>姓</t></r><r><t>名</t></r><rPh><t>xing</t></rPh></si></sst>",
    "xl/styles.xml",
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"49\"/></cellXfs></styleSheet>",
    "xl/worksheets/sheet1.xml",
    SHEET ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
           "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>007</t></is></c>"
           "<c r=\"B3\" t=\"b\"><v>1</v></c><c r=\"C3\" t=\"str\"><f>A3</f><v>x</v></c>"
           "<c r=\"D3\" s=\"1\"><v>61</v></c><c r=\"E3\"><v>1.5E+3</v></c>"
           "<c r=\"F3\"><v>0.1</v></c><c r=\"G3\" t=\"inlineStr\"/></row>"
           "<row r=\"4\"><c r=\"A4\"><v></v></c></row>"),
    NULL
  };
  g_autoptr(GBytes) zip = make_zip (parts);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopImportTable) table = NULL;
  gsize length;
  const char *data = g_bytes_get_data (zip, &length);

  table = coop_import_table_read_data (data, length, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table->header[0], ==, "学号");
  g_assert_cmpstr (table->header[1], ==, "");
  g_assert_cmpstr (table->header[2], ==, "姓名");
  g_assert_cmpuint (table->rows->len, ==, 1);
  g_assert_cmpuint (g_array_index (table->row_numbers, guint, 0), ==, 3);
  g_assert_cmpstr (cell (table, 0, 0), ==, "007");
  g_assert_cmpstr (cell (table, 0, 1), ==, "TRUE");
  g_assert_cmpstr (cell (table, 0, 2), ==, "x");
  g_assert_cmpstr (cell (table, 0, 3), ==, "1900-03-01");
  g_assert_cmpstr (cell (table, 0, 4), ==, "1500");
  g_assert_cmpstr (cell (table, 0, 5), ==, "0.1");
  g_assert_cmpstr (cell (table, 0, 6), ==, "");
}

static void
test_xlsx_hostile (void)
{
  g_autofree char *zeros = g_malloc0 (8 * 1024 * 1024 + 1);
  g_autofree char *bomb = NULL;
  const char *entity[] = {
    "xl/workbook.xml",
    "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
    "<workbook><sheets><sheet name=\"&b;\"/></sheets></workbook>",
    NULL
  };
  const char *external[] = {
    "xl/workbook.xml", WORKBOOK,
    "xl/_rels/workbook.xml.rels", RELS,
    "xl/worksheets/sheet1.xml",
    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
    "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&e;</t></is></c></row></sheetData></worksheet>",
    NULL
  };
  const char *traversal[] = {
    "xl/workbook.xml", WORKBOOK,
    "xl/_rels/workbook.xml.rels",
    "<Relationships><Relationship Id=\"rId1\" Target=\"../../etc/passwd\"/></Relationships>",
    NULL
  };
  const char *utf7[] = {
    "xl/workbook.xml",
    "<?xml version=\"1.0\" encoding=\"UTF-7\"?>+ADw-+ACE-DOCTYPE x +AFs-+ADw-+ACE-ENTITY a "
    "+ACI-aa+ACI-+AD4-+AF0-+AD4-<workbook/>",
    NULL
  };
  const char *no_workbook[] = { "word/document.xml", "<w/>", NULL };
  const char * const *cases[] = { entity, external, traversal, utf7, no_workbook };
  g_autoptr(GString) wide = g_string_new ("<row r=\"1\">");
  g_autofree char *wide_sheet = NULL;
  const char *far[] = {
    "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
    "xl/worksheets/sheet1.xml",
    SHEET ("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>学号</t></is></c>"
           "<c r=\"BDWGN1\"><v>1</v></c></row>"),
    NULL
  };
  const char *wide_parts[] = {
    "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
    "xl/worksheets/sheet1.xml", NULL, NULL
  };
  const char *missing_string[] = {
    "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
    "xl/sharedStrings.xml",
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>学号</t></si></sst>",
    "xl/worksheets/sheet1.xml",
    SHEET ("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
           "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4294967296</v></c></row>"),
    NULL
  };
  const char *evil_entry[] = {
    "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
    "xl/worksheets/sheet1.xml",
    SHEET ("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>学号</t></is></c></row>"),
    "../../evil.txt", "evil",
    NULL
  };
  const struct {
    const char * const *parts;
    const char         *message;
  } refused[] = {
    { far, "The workbook cannot be read: row 1 has a cell (BDWGN1) beyond the 1024 columns a "
           "list may have." },
    { wide_parts, "The workbook cannot be read: row 1 has a cell (?) beyond the 1024 columns a "
                  "list may have." },
    { missing_string, "The workbook cannot be read: row 2, cell A2, refers to text 4294967296 "
                      "of the shared strings, which has 1." },
  };

  /* The millionth column above, and here 2,000 cells in one row without
   * references, small enough for the size guard to let them through. */
  for (guint i = 0; i < 2000; i++)
    g_string_append (wide, "<c><v>1</v></c>");
  g_string_append (wide, "</row>");
  wide_sheet = g_strdup_printf (SHEET ("%s"), wide->str);
  wide_parts[5] = wide_sheet;
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) zip = make_zip (refused[i].parts);
      g_autoptr(GError) error = NULL;
      g_autoptr(CoopImportTable) table = NULL;
      gsize length;
      const char *data = g_bytes_get_data (zip, &length);

      table = coop_import_table_read_data (data, length, NULL, NULL, &error);
      g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
      g_assert_cmpstr (error->message, ==, refused[i].message);
      g_assert_null (table);
    }

  /* An entry named to climb out of a folder is never written anywhere:
   * only the parts a workbook has are read, into memory. */
  {
    g_autoptr(GBytes) zip = make_zip (evil_entry);
    g_autoptr(GError) error = NULL;
    g_autoptr(CoopImportTable) table = NULL;
    g_autofree char *cwd = g_get_current_dir ();
    g_autofree char *evil = g_build_filename (cwd, "..", "..", "evil.txt", NULL);
    gsize length;
    const char *data = g_bytes_get_data (zip, &length);

    table = coop_import_table_read_data (data, length, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (table->header[0], ==, "学号");
    g_assert_false (g_file_test (evil, G_FILE_TEST_EXISTS));
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) zip = make_zip (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CoopImportTable) table = NULL;
      gsize length;
      const char *data = g_bytes_get_data (zip, &length);

      table = coop_import_table_read_data (data, length, NULL, NULL, &error);
      g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
      g_assert_null (table);
    }

  /* A sheet of 200 MB of zeros compresses to almost nothing; the reader
   * stops at the compression ratio limit, long before the memory runs out. */
  memset (zeros, ' ', 8 * 1024 * 1024);
  bomb = g_strconcat (SHEET (""), zeros, NULL);
  {
    const char *parts[] = {
      "xl/workbook.xml", WORKBOOK, "xl/_rels/workbook.xml.rels", RELS,
      "xl/worksheets/sheet1.xml", bomb, NULL
    };
    g_autoptr(GBytes) zip = make_zip (parts);
    g_autoptr(GError) error = NULL;
    g_autoptr(CoopImportTable) table = NULL;
    gsize length;
    const char *data = g_bytes_get_data (zip, &length);

    table = coop_import_table_read_data (data, length, NULL, NULL, &error);
    g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CoopImportTable) table = NULL;

    table = coop_import_table_read_data ("PK\003\004garbage", 11, NULL, NULL, &error);
    g_assert_error (error, COOP_ERROR, COOP_ERROR_CORRUPT);
  }
}

/* ------------------------------------------------------------------ plan and commit */

static void
test_plan_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CoopImportPlan) plan = plan_fixture (f, "import-errors.csv", NULL);
  static const CoopImportStatus expected[] = {
    COOP_IMPORT_STATUS_NEW,    /* row 2 */
    COOP_IMPORT_STATUS_ERROR,  /* row 3: no name */
    COOP_IMPORT_STATUS_ERROR,  /* row 4: no number */
    COOP_IMPORT_STATUS_ERROR,  /* row 5: not a year */
    COOP_IMPORT_STATUS_ERROR,  /* row 6: not an e-mail address */
    COOP_IMPORT_STATUS_ERROR,  /* row 7: number twice */
    COOP_IMPORT_STATUS_ERROR,  /* row 8: too few fields */
    COOP_IMPORT_STATUS_ERROR,  /* row 9: too many fields */
  };

  g_assert_cmpuint (plan->rows->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (plan->n_new, ==, 1);
  g_assert_cmpuint (plan->n_error, ==, 7);
  for (guint i = 0; i < plan->rows->len; i++)
    {
      CoopImportRow *row = g_ptr_array_index (plan->rows, i);

      g_assert_cmpuint (row->row, ==, i + 2);
      g_assert_cmpint (row->status, ==, expected[i]);
      g_assert_cmpuint (row->problems->len, ==, expected[i] == COOP_IMPORT_STATUS_ERROR ? 1 : 0);
    }
}

static void
test_commit_blocked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CoopImportPlan) plan = plan_fixture (f, "import-errors.csv", NULL);
  g_autoptr(GError) error = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;

  g_assert_false (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_cmpuint (result.skipped_errors, ==, 7);
  g_assert_cmpuint (result.added, ==, 0);
  g_assert_cmpuint (n_students (f), ==, 0);
  g_clear_error (&error);

  options.valid_only = TRUE;
  g_assert_true (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 1);
  g_assert_cmpuint (result.skipped_errors, ==, 7);
  g_assert_cmpuint (n_students (f), ==, 1);
  g_assert_cmpstr (coop_student_get_number (student_at (f, 0)), ==, "10001");
}

static void
test_commit_update (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CoopImportPlan) plan = plan_fixture (f, "import-utf8-bom.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  CoopStudent *student;
  CoopImportRow *row;
  int columns[COOP_IMPORT_N_FIELDS];
  char **cells;

  g_assert_true (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 3);
  g_assert_cmpuint (n_students (f), ==, 3);
  student = student_at (f, 1);
  g_assert_cmpstr (coop_student_get_number (student), ==, "00231002");
  g_assert_cmpstr (coop_student_get_name (student), ==, "李娜");
  g_assert_cmpint (coop_student_get_gender (student), ==, COOP_GENDER_FEMALE);
  g_assert_cmpint (coop_student_get_graduation_year (student), ==, 2025);
  g_assert_cmpstr (coop_student_get_department_name (student), ==, "艺术设计学院");
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store,
                                                                   COOP_TYPE_DEPARTMENT)), ==, 2);

  /* The same file again, one phone changed. */
  table = read_fixture ("import-utf8-bom.csv", NULL, NULL);
  cells = g_ptr_array_index (table->rows, 0);
  g_free (cells[7]);
  cells[7] = g_strdup ("13911112222");
  existing = coop_import_existing_new (f->store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);
  g_clear_pointer (&plan, coop_import_plan_free);
  plan = coop_import_plan_new (table, columns, existing, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan->n_update, ==, 1);
  g_assert_cmpuint (plan->n_unchanged, ==, 2);
  row = g_ptr_array_index (plan->rows, 0);
  g_assert_cmpint (row->status, ==, COOP_IMPORT_STATUS_UPDATE);
  g_assert_nonnull (strstr (row->changes, "13911112222"));

  options.update_existing = FALSE;
  g_assert_true (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_cmpuint (result.skipped_existing, ==, 1);
  g_assert_cmpuint (result.unchanged, ==, 2);
  g_assert_cmpstr (coop_student_get_phone (student_at (f, 0)), ==, "13800138000");

  options.update_existing = TRUE;
  g_assert_true (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpuint (result.added, ==, 0);
  g_assert_cmpuint (n_students (f), ==, 3);
  g_assert_cmpstr (coop_student_get_phone (student_at (f, 0)), ==, "13911112222");
}

static void
test_commit_pool (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CoopImportPlan) plan = plan_fixture (f, "import-gbk.csv", NULL);
  g_autoptr(CoopPool) pool = coop_pool_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) candidates = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  g_autoptr(CoopPartner) partner = coop_partner_new ();

  coop_partner_set_name (partner, "影视科技有限公司");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (partner), &error));
  coop_pool_set_partner_id (pool, coop_record_get_id (COOP_RECORD (partner)));
  coop_pool_set_title (pool, "实习推荐");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (pool), &error));
  g_assert_no_error (error);
  options.pool_id = coop_record_get_id (COOP_RECORD (pool));

  g_assert_true (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 3);
  g_assert_cmpuint (result.pooled, ==, 3);
  candidates = coop_store_list_related (f->store, COOP_TYPE_CANDIDATE, "pool-id",
                                        options.pool_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (candidates), ==, 3);
}

static void
test_commit_rollback (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CoopImportPlan) plan = plan_fixture (f, "import-utf8-bom.csv", NULL);
  g_autoptr(CoopStudent) intruder = coop_student_new ();
  g_autoptr(GError) error = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  CoopStoreCounts counts;

  /* Someone stores the third student after the preview: the commit fails
   * at that row and nothing of the first two stays. */
  coop_student_set_number (intruder, "00231003");
  coop_student_set_name (intruder, "王芳");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (intruder), &error));
  g_assert_no_error (error);

  g_assert_false (coop_import_plan_commit (plan, f->store, &options, &result, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
  g_assert_cmpuint (n_students (f), ==, 1);
  g_assert_true (coop_store_count (f->store, &counts, NULL));
  g_assert_cmpint (counts.students, ==, 1);
  g_assert_cmpint (counts.departments, ==, 0);
}

static void
test_plan_no_number_column (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CoopImportTable) table = read_fixture ("import-utf8-bom.csv", NULL, NULL);
  g_autoptr(CoopImportExisting) existing = coop_import_existing_new (NULL, NULL);
  g_autoptr(CoopImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  int columns[COOP_IMPORT_N_FIELDS];

  coop_import_guess_mapping (table, NULL, columns);
  columns[COOP_IMPORT_FIELD_NUMBER] = -1;
  plan = coop_import_plan_new (table, columns, existing, NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_null (plan);
}

static void
collect_names_cb (const CoopImportRow *row,
                  gpointer             user_data)
{
  g_ptr_array_add (user_data, g_strdup (coop_student_get_name (row->student)));
}

static void
count_rows_cb (const CoopImportRow *row,
               gpointer             user_data)
{
  guint *counts = user_data;

  counts[row->status]++;
}

static void
test_run_streaming (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = data_path ("import-errors.csv");
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(GError) error = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  guint counts[COOP_IMPORT_STATUS_ERROR + 1] = { 0 };
  int columns[COOP_IMPORT_N_FIELDS];

  table = coop_import_table_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (table->rows);
  g_assert_cmpstr (table->header[0], ==, "学号");
  existing = coop_import_existing_new (f->store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);

  /* Without a store, only checked. */
  g_assert_false (coop_import_run (table, columns, existing, NULL, &options,
                                   count_rows_cb, counts, &result, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_cmpuint (counts[COOP_IMPORT_STATUS_NEW], ==, 1);
  g_assert_cmpuint (counts[COOP_IMPORT_STATUS_ERROR], ==, 7);
  g_assert_cmpuint (result.skipped_errors, ==, 7);

  /* Blocked: nothing stored. */
  g_assert_false (coop_import_run (table, columns, existing, f->store, &options,
                                   NULL, NULL, &result, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);
  g_assert_cmpuint (n_students (f), ==, 0);

  options.valid_only = TRUE;
  g_assert_true (coop_import_run (table, columns, existing, f->store, &options,
                                  NULL, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 1);
  g_assert_cmpuint (result.skipped_errors, ==, 7);
  g_assert_cmpuint (n_students (f), ==, 1);
  g_assert_cmpstr (coop_student_get_name (student_at (f, 0)), ==, "周一");
}

static void
test_run_rollback (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = data_path ("import-gbk.csv");
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopStudent) intruder = coop_student_new ();
  g_autoptr(GError) error = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  CoopStoreCounts counts;
  int columns[COOP_IMPORT_N_FIELDS];

  table = coop_import_table_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  existing = coop_import_existing_new (f->store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);

  /* The last row's number is taken after the check: the commit fails there
   * and the first two rows and their departments are undone. */
  coop_student_set_number (intruder, "20230103");
  coop_student_set_name (intruder, "赵磊");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (intruder), &error));

  g_assert_false (coop_import_run (table, columns, existing, f->store, &options,
                                   NULL, NULL, &result, &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_DUPLICATE);
  g_assert_true (coop_store_count (f->store, &counts, NULL));
  g_assert_cmpint (counts.students, ==, 1);
  g_assert_cmpint (counts.departments, ==, 0);
}

static void
on_items_changed_cb (GListModel *list,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GString    *log)
{
  g_string_append_printf (log, "(%u,%u,%u)", position, removed, added);
}

static void
test_run_change_log (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = data_path ("import-utf8-bom.csv");
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopStudent) first = coop_student_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  CoopStoreCounts before, after;
  CoopChangeEntry *entry;
  GListModel *list = coop_store_get_list (f->store, COOP_TYPE_STUDENT);
  int columns[COOP_IMPORT_N_FIELDS];
  gint64 first_id;

  coop_student_set_number (first, "1");
  coop_student_set_name (first, "先来");
  g_assert_true (coop_store_save (f->store, COOP_RECORD (first), &error));
  first_id = coop_record_get_id (COOP_RECORD (first));
  g_assert_true (coop_store_count (f->store, &before, NULL));

  table = coop_import_table_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table->source, ==, "import-utf8-bom.csv");
  existing = coop_import_existing_new (f->store, &error);
  coop_import_guess_mapping (table, NULL, columns);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), log);
  g_assert_true (coop_import_run (table, columns, existing, f->store, &options, NULL, NULL,
                                  &result, &error));
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (list, log);

  /* Three students in one signal; two new departments with their own
   * lines, and one line for the import. */
  g_assert_cmpuint (result.added, ==, 3);
  g_assert_cmpstr (log->str, ==, "(1,0,3)");
  g_assert_true (coop_store_count (f->store, &after, NULL));
  g_assert_cmpint (after.students, ==, before.students + 3);
  g_assert_cmpint (after.departments, ==, before.departments + 2);
  g_assert_cmpint (after.changes, ==, before.changes + 3);

  entries = coop_store_list_changes (f->store, COOP_TYPE_STUDENT, first_id + 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->action, ==, COOP_CHANGE_IMPORT);
  expected = g_strdup_printf ("{\"file\": \"import-utf8-bom.csv\", \"added\": 3, \"updated\": 0,"
                              " \"added_ids\": [[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]],"
                              " \"updated_ids\": {}}", first_id + 1, first_id + 3);
  g_assert_cmpstr (entry->changes, ==, expected);
  g_assert_cmpstr (coop_student_get_number (student_at (f, 1)), ==, "00231001");
}

static void
test_table_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-import-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopImportTable) table = coop_import_table_open (dir, NULL, NULL, &error);

  g_assert_null (table);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_IO);
  g_assert_nonnull (strstr (error->message, dir));
  g_rmdir (dir);
}

/* ------------------------------------------------------------------ command line */

static int
run_cli (const char *database,
         const char *option,
         const char *fixture,
         char      **out)
{
  g_autofree char *path = data_path (fixture);
  const char *argv[] = { g_getenv ("COOPDESK"), "import-students", "--database", database,
                         path, option, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, NULL,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The UTF-8 text of a file is read where it is mapped: still checked when
 * a byte-order mark decided the encoding or the user named it, and kept
 * mapped by a streamed table after the file is gone. */
static void
test_table_utf8_in_place (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-import-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "students.csv", NULL);
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = coop_import_existing_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  CoopImportOptions options = { 0 };
  CoopImportResult result;
  int columns[COOP_IMPORT_N_FIELDS];

  g_assert_true (g_file_set_contents (path, "\xef\xbb\xbf学号,姓名\n001,\xff\n", -1, NULL));
  table = coop_import_table_open (path, NULL, NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_null (table);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "学号,姓名\n001,\xc4\xe3\xba\xc3\n", -1, NULL));
  table = coop_import_table_open (path, "UTF-8", NULL, &error);
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_assert_null (table);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "学号,姓名\n001,林雨萱\n002,王磊", -1, NULL));
  table = coop_import_table_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_remove (path);
  g_rmdir (dir);

  coop_import_guess_mapping (table, NULL, columns);
  g_assert_true (coop_import_run (table, columns, existing, NULL, &options,
                                  collect_names_cb, names, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 2);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "林雨萱");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "王磊");
}

/* A row as the preview shows it: its row, status, problems and fields. */
static void
describe_import_row (const CoopImportRow *row,
                     gpointer             user_data)
{
  GString *out = user_data;
  g_autofree char *problems = coop_import_row_describe (row);

  g_string_append_printf (out, "%u %s [%s] %s|%s|%s|%d|%s\n", row->row,
                          coop_import_status_label (row->status),
                          problems != NULL ? problems : "",
                          coop_student_get_number (row->student),
                          coop_student_get_name (row->student),
                          row->department_name,
                          coop_student_get_graduation_year (row->student),
                          coop_student_get_notes (row->student));
}

static char *
describe_table (const CoopImportTable *table)
{
  g_autofree char *header = g_strjoinv ("|", table->header);

  return g_strdup_printf ("%s %c %s\n", table->encoding, table->separator, header);
}

#define STUDENTS \
  "学号;姓名;院系;届;备注\r\n" \
  "001;林雨萱;艺术学院;2025;\"两行\r\n𠀀 “引号” 😀\"\r\n" \
  ";;;;\r\n" \
  "\r\n" \
  "002;\"王\"\"磊\"\"\";艺术学院;二〇二五;\"a;b\"\r" \
  "001;张三;;2026;\n" \
  "003;李四;理学院;2025\n" \
  "004;赵五;理学院;2025;多;余\n" \
  "005;\"未闭合\n的引号;;2024"

/* The command line's path reads a file in chunks, the dialog's reads it
 * whole: for UTF-8, GB18030 and UTF-16 files with every boundary cut by
 * chunks of 1 to 7 bytes, they give the same header, the same rows with
 * the same row numbers, the same problems, and fail with the same error. */
static void
test_run_chunks (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coop-import-XXXXXX", NULL);
  g_autoptr(CoopImportExisting) existing = coop_import_existing_new (NULL, NULL);
  gssize gb_length, utf16_length;
  g_autofree char *gb18030 = convert (STUDENTS, "GB18030", &gb_length);
  g_autofree char *utf16 = convert ("\xef\xbb\xbf" STUDENTS, "UTF-16LE", &utf16_length);
  const struct {
    const char *name;
    const char *data;
    gssize      length;
    const char *encoding;
  } files[] = {
    { "utf8.csv", "\xef\xbb\xbf" STUDENTS, -1, NULL },
    { "gb18030.csv", gb18030, gb_length, NULL },
    { "gb18030.csv", gb18030, gb_length, "GB18030" },
    { "utf16.csv", utf16, utf16_length, NULL },
    /* Errors: not the encoding given, binary, no header. */
    { "gb18030.csv", gb18030, gb_length, "UTF-8" },
    { "binary.csv", "a,b\n\xd1\xa7\0,x\n", 10, NULL },
    { "blank.csv", "\r\n , \r\n\t\r\n", -1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
      g_autoptr(CoopImportTable) whole = NULL;
      g_autoptr(CoopImportPlan) plan = NULL;
      g_autoptr(GError) whole_error = NULL;
      g_autoptr(GString) expected = g_string_new (NULL);
      int columns[COOP_IMPORT_N_FIELDS];

      g_assert_true (g_file_set_contents (path, files[i].data, files[i].length, NULL));
      whole = coop_import_table_read (path, files[i].encoding, NULL, &whole_error);
      if (whole != NULL)
        {
          g_autofree char *table = describe_table (whole);

          g_string_append (expected, table);
          coop_import_guess_mapping (whole, NULL, columns);
          plan = coop_import_plan_new (whole, columns, existing, NULL, &whole_error);
          g_assert_no_error (whole_error);
          for (guint r = 0; r < plan->rows->len; r++)
            describe_import_row (g_ptr_array_index (plan->rows, r), expected);
          g_string_append_printf (expected, "%u errors\n", plan->n_error);
        }
      else
        g_string_append_printf (expected, "error %d: %s\n", whole_error->code,
                                whole_error->message);

      for (guint c = 0; c < G_N_ELEMENTS (chunk_sizes); c++)
        {
          g_autoptr(CoopImportTable) streamed = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(GString) got = g_string_new (NULL);
          CoopImportOptions options = { .update_existing = TRUE };
          CoopImportResult result;

          g_test_message ("%s in %s, chunks of %" G_GSIZE_FORMAT, files[i].name,
                          files[i].encoding != NULL ? files[i].encoding : "(detected)",
                          chunk_sizes[c]);
          coop_csv_set_chunk_size (chunk_sizes[c]);
          streamed = coop_import_table_open (path, files[i].encoding, NULL, &error);
          if (streamed != NULL)
            {
              g_autofree char *table = describe_table (streamed);

              g_assert_null (streamed->rows);
              g_string_append (got, table);
              coop_import_guess_mapping (streamed, NULL, columns);
              /* Twice: a table's rows can be read again. */
              for (guint pass = 0; pass < 2; pass++)
                {
                  g_string_truncate (got, strlen (table));
                  g_assert_false (coop_import_run (streamed, columns, existing, NULL, &options,
                                                   describe_import_row, got, &result, &error));
                  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
                  g_clear_error (&error);
                  g_string_append_printf (got, "%u errors\n", result.skipped_errors);
                }
            }
          else
            g_string_append_printf (got, "error %d: %s\n", error->code, error->message);
          coop_csv_set_chunk_size (0);

          g_assert_cmpstr (got->str, ==, expected->str);
        }
      g_remove (path);
    }
  g_rmdir (dir);
}

/* Every stored student, a line each, as users see them. */
static char *
dump_students (CoopStore *store)
{
  GListModel *list = coop_store_get_list (store, COOP_TYPE_STUDENT);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopStudent) student = g_list_model_get_item (list, i);

      g_string_append_printf (text, "%s|%s|%d|%s|%s|%s|%d|%s|%s|%s\n",
                              coop_student_get_number (student),
                              coop_student_get_name (student),
                              (int) coop_student_get_gender (student),
                              coop_student_get_department_name (student),
                              coop_student_get_major (student),
                              coop_student_get_class_name (student),
                              coop_student_get_graduation_year (student),
                              coop_student_get_phone (student),
                              coop_student_get_email (student),
                              coop_student_get_notes (student));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static CoopImportTable *
import_into (CoopStore  *store,
             const char *path,
             gboolean    with_plan)
{
  g_autoptr(CoopImportTable) table = NULL;
  g_autoptr(CoopImportExisting) existing = NULL;
  g_autoptr(CoopImportPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopDepartment) department = coop_department_new ();
  CoopImportOptions options = { .update_existing = TRUE };
  CoopImportResult result;
  int columns[COOP_IMPORT_N_FIELDS];

  coop_department_set_name (department, "艺术设计学院");
  g_assert_true (coop_store_save (store, COOP_RECORD (department), &error));
  table = with_plan ? coop_import_table_read (path, NULL, NULL, &error)
                    : coop_import_table_open (path, NULL, NULL, &error);
  g_assert_no_error (error);
  existing = coop_import_existing_new (store, &error);
  g_assert_no_error (error);
  coop_import_guess_mapping (table, NULL, columns);
  if (with_plan)
    {
      plan = coop_import_plan_new (table, columns, existing, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (plan->n_new, ==, 5000);
      g_assert_true (coop_import_plan_commit (plan, store, &options, &result, &error));
    }
  else
    g_assert_true (coop_import_run (table, columns, existing, store, &options, NULL, NULL,
                                    &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.added, ==, 5000);
  return g_steal_pointer (&table);
}

/* The command line (one row at a time) and the dialog (a plan, then a
 * commit) store the same rows: majors and classes (more different ones
 * than the importer keeps once), a department named two ways and created
 * once, a stored one, and values that need normalising. */
static void
test_run_same_as_plan (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "many.csv", NULL);
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);
  g_autoptr(GString) text = g_string_new ("学号,姓名,性别,院系,专业,班级,届,手机,邮箱,备注\n");
  g_autoptr(CoopStore) other = NULL;
  g_autoptr(CoopImportTable) planned = NULL;
  g_autoptr(CoopImportTable) streamed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *by_plan = NULL;
  g_autofree char *by_run = NULL;
  static const char *departments[] = { "新学院", " 新学院 ", "艺术设计学院", "" };
  static const char *majors[] = { "数字媒体", "动画", "", "ＡＢＣ专业" };

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "%06u,学生%u,%s,%s,%s,班%u,%s,138 %08u,s%u@example.com,%s\n",
                            i, i, i % 3 == 0 ? "男" : i % 3 == 1 ? "F" : "",
                            departments[i % 4], majors[i % 4], i, i % 2 ? "2025" : "2026届",
                            i, i, i % 5 == 0 ? " 备注 " : "");
  g_assert_true (g_file_set_contents (csv, text->str, (gssize) text->len, NULL));

  planned = import_into (f->store, csv, TRUE);
  other = coop_store_open (other_path, COOP_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  coop_store_load_all (other, NULL, &error);
  g_assert_no_error (error);
  streamed = import_into (other, csv, FALSE);

  by_plan = dump_students (f->store);
  by_run = dump_students (other);
  g_assert_cmpstr (by_run, ==, by_plan);
  g_assert_nonnull (strstr (by_plan, "000000|学生0|1|新学院|数字媒体|班0|2026|13800000000|"
                                     "s0@example.com|备注\n"));
  g_assert_nonnull (strstr (by_plan, "000003|学生3|1|(null)|ABC专业|班3|2025|13800000003|"
                                     "s3@example.com|(null)\n"));
  g_assert_nonnull (strstr (by_plan, "004998|学生4998|1|艺术设计学院|(null)|班4998|2026|"));
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (f->store,
                                                                   COOP_TYPE_DEPARTMENT)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (coop_store_get_list (other,
                                                                   COOP_TYPE_DEPARTMENT)), ==, 2);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  CoopStoreCounts counts;

  if (g_getenv ("COOPDESK") == NULL)
    {
      g_test_skip ("COOPDESK is not set");
      return;
    }

  /* The store of the fixture holds the file; the command opens it too. */
  g_clear_object (&f->store);

  /* Blocked or not, the report has the same form and names the rows. */
  g_assert_cmpint (run_cli (f->path, "--dry-run", "import-errors.csv", &out), ==, 1);
  g_assert_nonnull (strstr (out, "Row 7:"));
  g_assert_nonnull (strstr (out, "With --valid-only: 1 added, 0 updated, 0 unchanged, "
                                 "7 skipped with errors (rows 3–9)\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f->path, NULL, "import-errors.csv", &out), ==, 1);
  g_assert_nonnull (strstr (out, "With --valid-only: 1 added, 0 updated, 0 unchanged, "
                                 "7 skipped with errors (rows 3–9)\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f->path, "--valid-only", "import-errors.csv", &out), ==, 0);
  g_assert_nonnull (strstr (out, "\n1 added, 0 updated, 0 unchanged, 7 skipped with errors "
                                 "(rows 3–9)\n"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (f->path, NULL, "import-libreoffice.xlsx", &out), ==, 0);
  g_assert_nonnull (strstr (out, "3 added, 0 updated, 0 unchanged, 0 skipped with errors"));

  f->store = coop_store_open (f->path, COOP_STORE_OPEN_READ_ONLY, NULL);
  g_assert_nonnull (f->store);
  g_assert_true (coop_store_count (f->store, &counts, NULL));
  g_assert_cmpint (counts.students, ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/encoding/detect", test_encoding_detect);
  g_test_add_func ("/import/encoding/wrong", test_encoding_wrong);
  g_test_add_func ("/import/encoding/placed", test_encoding_placed);
  g_test_add_func ("/import/csv/parse", test_csv_parse);
  g_test_add_func ("/import/csv/stream", test_csv_stream);
  g_test_add_func ("/import/table/utf8-bom", test_table_utf8_bom);
  g_test_add_func ("/import/table/gbk", test_table_gbk);
  g_test_add_func ("/import/table/utf16", test_table_utf16);
  g_test_add_func ("/import/table/utf16-no-bom", test_table_utf16_no_bom);
  g_test_add_func ("/import/table/missing", test_table_missing);
  g_test_add_func ("/import/table/folder", test_table_folder);
  g_test_add_func ("/import/table/utf8-in-place", test_table_utf8_in_place);
  g_test_add_func ("/import/run/chunks", test_run_chunks);
  g_test_add_func ("/import/mapping/remembered", test_mapping_remembered);
  g_test_add_func ("/import/xlsx/libreoffice", test_xlsx_libreoffice);
  g_test_add_func ("/import/xlsx/cells", test_xlsx_cells);
  g_test_add_func ("/import/xlsx/hostile", test_xlsx_hostile);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/import/plan/errors", test_plan_errors);
  ADD ("/import/plan/no-number-column", test_plan_no_number_column);
  ADD ("/import/commit/blocked", test_commit_blocked);
  ADD ("/import/commit/update", test_commit_update);
  ADD ("/import/commit/pool", test_commit_pool);
  ADD ("/import/commit/rollback", test_commit_rollback);
  ADD ("/import/run/streaming", test_run_streaming);
  ADD ("/import/run/rollback", test_run_rollback);
  ADD ("/import/run/change-log", test_run_change_log);
  ADD ("/import/run/same-as-plan", test_run_same_as_plan);
  ADD ("/import/cli", test_cli);
#undef ADD

  return g_test_run ();
}
