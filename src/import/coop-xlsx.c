/* coop-xlsx.c — reading the cell values of an Office Open XML workbook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <string.h>

#include "coop-error.h"
#include "coop-xlsx.h"

/* Limits against hostile files: a workbook of 100,000 students is about
 * 30 MB of sheet XML. */
#define MAX_ENTRY_SIZE   (128 * 1024 * 1024)
#define MAX_TOTAL_SIZE   (256 * 1024 * 1024)
#define MAX_ENTRIES      10000
#define MAX_RATIO        200
#define MAX_COLUMNS      1024
#define MAX_ROWS         1048576

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

typedef struct {
  GHashTable *parts;        /* name → GBytes, only the parts we read */
  GPtrArray  *strings;      /* shared strings */
  GArray     *xf_formats;   /* cellXfs index → numFmtId */
  GHashTable *formats;      /* numFmtId → formatCode */
} Workbook;

static void
workbook_clear (Workbook *book)
{
  g_clear_pointer (&book->parts, g_hash_table_unref);
  g_clear_pointer (&book->strings, g_ptr_array_unref);
  g_clear_pointer (&book->xf_formats, g_array_unref);
  g_clear_pointer (&book->formats, g_hash_table_unref);
}

static void
set_damaged (GError    **error,
             const char *why)
{
  g_set_error (error, COOP_ERROR, COOP_ERROR_CORRUPT,
               _("The workbook cannot be read: %s."), why);
}

/* ------------------------------------------------------------------ ZIP */

static gboolean
wanted_part (const char *name)
{
  /* Parts are looked up by exact name, never written out, so a name with
   * ".." or a leading "/" simply never matches. */
  return g_str_has_prefix (name, "xl/")
         && (g_str_has_suffix (name, ".xml") || g_str_has_suffix (name, ".rels"))
         && strstr (name, "..") == NULL;
}

static gboolean
read_parts (Workbook    *book,
            const char  *data,
            gsize        length,
            GError     **error)
{
  struct archive *zip = archive_read_new ();
  struct archive_entry *entry;
  gsize total = 0;
  guint n_entries = 0;
  gboolean ok = TRUE;
  int rc;

  archive_read_support_format_zip (zip);
  if (archive_read_open_memory (zip, data, length) != ARCHIVE_OK)
    {
      set_damaged (error, archive_error_string (zip) ? archive_error_string (zip) : "zip");
      archive_read_free (zip);
      return FALSE;
    }

  while ((rc = archive_read_next_header (zip, &entry)) == ARCHIVE_OK)
    {
      const char *name = archive_entry_pathname (entry);
      g_autoptr(GByteArray) bytes = NULL;
      char buffer[65536];
      la_ssize_t n;

      if (++n_entries > MAX_ENTRIES)
        {
          set_damaged (error, _("too many parts"));
          ok = FALSE;
          break;
        }
      if (name == NULL || !wanted_part (name) || archive_entry_filetype (entry) != AE_IFREG)
        continue;

      bytes = g_byte_array_new ();
      while ((n = archive_read_data (zip, buffer, sizeof buffer)) > 0)
        {
          total += (gsize) n;
          if (bytes->len + (gsize) n > MAX_ENTRY_SIZE || total > MAX_TOTAL_SIZE
              || total > MAX_RATIO * length + 1024 * 1024)
            {
              n = -2;
              break;
            }
          g_byte_array_append (bytes, (const guint8 *) buffer, (guint) n);
        }
      if (n == -2)
        {
          set_damaged (error, _("a part is too large"));
          ok = FALSE;
          break;
        }
      if (n < 0)
        {
          set_damaged (error, archive_error_string (zip) ? archive_error_string (zip) : "zip");
          ok = FALSE;
          break;
        }
      g_hash_table_replace (book->parts, g_strdup (name),
                            g_byte_array_free_to_bytes (g_steal_pointer (&bytes)));
    }

  if (ok && rc != ARCHIVE_EOF)
    {
      set_damaged (error, archive_error_string (zip) ? archive_error_string (zip) : "zip");
      ok = FALSE;
    }

  archive_read_free (zip);
  return ok;
}

/* ------------------------------------------------------------------ XML */

/* Workbooks never carry a DTD; refusing one rules out entity expansion
 * and external entities whatever the parser does.  The text is read as
 * UTF-8 whatever it declares (and may hold no NUL, as UTF-16 would), so
 * that a DTD cannot hide in another encoding. */
static gboolean
part_is_plain (const char *data,
               gsize       length)
{
  return data != NULL && length > 0 && length <= G_MAXINT
         && memchr (data, '\0', length) == NULL
         && g_strstr_len (data, (gssize) length, "<!DOCTYPE") == NULL
         && g_strstr_len (data, (gssize) length, "<!ENTITY") == NULL;
}

static xmlDoc *
parse_part (Workbook    *book,
            const char  *name,
            gboolean     required,
            GError     **error)
{
  GBytes *bytes = g_hash_table_lookup (book->parts, name);
  const char *data;
  gsize length;
  xmlDoc *doc;

  if (bytes == NULL)
    {
      if (required)
        set_damaged (error, name);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  if (!part_is_plain (data, length))
    {
      set_damaged (error, name);
      return NULL;
    }

  doc = xmlReadMemory (data, (int) length, name, "UTF-8",
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
                       | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL
      || doc->intSubset != NULL || doc->extSubset != NULL)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      set_damaged (error, name);
      return NULL;
    }
  return doc;
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

static xmlNode *
first_child (xmlNode    *parent,
             const char *name)
{
  for (xmlNode *node = parent->children; node != NULL; node = node->next)
    if (is_element (node, name))
      return node;
  return NULL;
}

static char *
get_attribute (xmlNode    *node,
               const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

/* Big parts (a sheet of 100,000 students is about 50 MB of XML) are read
 * as a stream fed in chunks: no tree is built, and libxml2 does not refuse
 * a large buffer given at once. */
typedef struct {
  const char *data;
  gsize       length;
  gsize       position;
} ChunkInput;

static int
read_chunk (void *context,
            char *buffer,
            int   length)
{
  ChunkInput *input = context;
  gsize n = MIN ((gsize) length, input->length - input->position);

  n = MIN (n, 65536);
  memcpy (buffer, input->data + input->position, n);
  input->position += n;
  return (int) n;
}

static int
close_chunks (void *context)
{
  return 0;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlTextReader, xmlFreeTextReader)

/* A reader over a part, after the same checks as parse_part(); %NULL with
 * @error unset when the part is missing and not @required. */
static xmlTextReader *
open_part_reader (Workbook    *book,
                  const char  *name,
                  gboolean     required,
                  ChunkInput  *input,
                  GError     **error)
{
  GBytes *bytes = g_hash_table_lookup (book->parts, name);
  xmlTextReader *reader;

  if (bytes == NULL)
    {
      if (required)
        set_damaged (error, name);
      return NULL;
    }

  input->data = g_bytes_get_data (bytes, &input->length);
  input->position = 0;
  if (!part_is_plain (input->data, input->length))
    {
      set_damaged (error, name);
      return NULL;
    }

  reader = xmlReaderForIO (read_chunk, close_chunks, input, name, "UTF-8",
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
                           | XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
  if (reader == NULL)
    set_damaged (error, name);
  return reader;
}

static gboolean
is_text_node (int type)
{
  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA
         || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE
         || type == XML_READER_TYPE_WHITESPACE;
}

static gboolean
is_named (xmlTextReader *reader,
          const char    *name)
{
  const xmlChar *local = xmlTextReaderConstLocalName (reader);

  return local != NULL && strcmp ((const char *) local, name) == 0;
}

static char *
reader_attribute (xmlTextReader *reader,
                  const char    *name)
{
  xmlChar *value = xmlTextReaderGetAttribute (reader, (const xmlChar *) name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

/* Tracks the <t> text of a string item or inline string, leaving out
 * phonetic runs (<rPh>). */
typedef struct {
  GString *text;
  guint    in_t;
  guint    in_phonetic;
} RichText;

static void
rich_text_handle (RichText      *rich,
                  xmlTextReader *reader,
                  int            type)
{
  if (type == XML_READER_TYPE_ELEMENT && !xmlTextReaderIsEmptyElement (reader))
    {
      if (is_named (reader, "t"))
        rich->in_t++;
      else if (is_named (reader, "rPh"))
        rich->in_phonetic++;
    }
  else if (type == XML_READER_TYPE_END_ELEMENT)
    {
      if (is_named (reader, "t") && rich->in_t > 0)
        rich->in_t--;
      else if (is_named (reader, "rPh") && rich->in_phonetic > 0)
        rich->in_phonetic--;
    }
  else if (is_text_node (type) && rich->in_t > 0 && rich->in_phonetic == 0)
    {
      const xmlChar *value = xmlTextReaderConstValue (reader);

      if (value != NULL)
        g_string_append (rich->text, (const char *) value);
    }
}

static gboolean
read_shared_strings (Workbook  *book,
                     GError   **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  RichText rich = { NULL, 0, 0 };
  ChunkInput input;
  int rc, type;

  reader = open_part_reader (book, "xl/sharedStrings.xml", FALSE, &input, &local_error);
  if (reader == NULL)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      type = xmlTextReaderNodeType (reader);
      if (type == XML_READER_TYPE_DOCUMENT_TYPE)
        break;
      if (type == XML_READER_TYPE_ELEMENT && is_named (reader, "si"))
        {
          if (rich.text != NULL)
            g_ptr_array_add (book->strings, g_string_free (rich.text, FALSE));
          rich.text = g_string_new (NULL);
          rich.in_t = rich.in_phonetic = 0;
          if (xmlTextReaderIsEmptyElement (reader))
            g_ptr_array_add (book->strings, g_string_free (g_steal_pointer (&rich.text), FALSE));
        }
      else if (type == XML_READER_TYPE_END_ELEMENT && is_named (reader, "si"))
        {
          if (rich.text != NULL)
            g_ptr_array_add (book->strings, g_string_free (g_steal_pointer (&rich.text), FALSE));
        }
      else if (rich.text != NULL)
        rich_text_handle (&rich, reader, type);
    }

  if (rich.text != NULL)
    g_string_free (rich.text, TRUE);
  if (rc != 0)
    {
      set_damaged (error, "xl/sharedStrings.xml");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_styles (Workbook  *book,
             GError   **error)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  xmlNode *root, *num_fmts, *cell_xfs;

  doc = parse_part (book, "xl/styles.xml", FALSE, &local_error);
  if (doc == NULL)
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  root = xmlDocGetRootElement (doc);
  num_fmts = first_child (root, "numFmts");
  if (num_fmts != NULL)
    for (xmlNode *node = num_fmts->children; node != NULL; node = node->next)
      {
        g_autofree char *id = NULL;
        g_autofree char *code = NULL;

        if (!is_element (node, "numFmt"))
          continue;
        id = get_attribute (node, "numFmtId");
        code = get_attribute (node, "formatCode");
        if (id != NULL && code != NULL)
          g_hash_table_replace (book->formats,
                                GINT_TO_POINTER ((int) g_ascii_strtoll (id, NULL, 10)),
                                g_steal_pointer (&code));
      }

  cell_xfs = first_child (root, "cellXfs");
  if (cell_xfs != NULL)
    for (xmlNode *node = cell_xfs->children; node != NULL; node = node->next)
      {
        g_autofree char *id = NULL;
        int format;

        if (!is_element (node, "xf"))
          continue;
        id = get_attribute (node, "numFmtId");
        format = id != NULL ? (int) g_ascii_strtoll (id, NULL, 10) : 0;
        g_array_append_val (book->xf_formats, format);
      }
  return TRUE;
}

/* The path of the sheet called @wanted (or of the first one) inside the
 * package, from the workbook and its relationships. */
static char *
find_sheet (Workbook    *book,
            const char  *wanted,
            char      ***sheet_names,
            char       **sheet_read,
            GError     **error)
{
  g_autoptr(xmlDoc) workbook = NULL;
  g_autoptr(xmlDoc) rels = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *rel_id = NULL;
  g_autofree char *target = NULL;
  xmlNode *sheets;

  workbook = parse_part (book, "xl/workbook.xml", TRUE, error);
  if (workbook == NULL)
    return NULL;
  rels = parse_part (book, "xl/_rels/workbook.xml.rels", FALSE, NULL);

  sheets = first_child (xmlDocGetRootElement (workbook), "sheets");
  if (sheets != NULL)
    for (xmlNode *node = sheets->children; node != NULL; node = node->next)
      {
        g_autofree char *name = NULL;

        if (!is_element (node, "sheet"))
          continue;
        name = get_attribute (node, "name");
        if (name == NULL)
          continue;
        g_strv_builder_add (names, name);
        if (rel_id == NULL && (wanted == NULL || strcmp (wanted, name) == 0))
          {
            xmlChar *id = xmlGetNsProp (node, (const xmlChar *) "id",
                                        (const xmlChar *) "http://schemas.openxmlformats.org/"
                                        "officeDocument/2006/relationships");

            rel_id = g_strdup (id != NULL ? (const char *) id : "");
            xmlFree (id);
            if (sheet_read != NULL)
              *sheet_read = g_strdup (name);
          }
      }

  if (sheet_names != NULL)
    *sheet_names = g_strv_builder_end (names);

  if (rel_id == NULL)
    {
      if (wanted != NULL)
        g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                     _("The workbook has no sheet named “%s”."), wanted);
      else
        set_damaged (error, _("it has no sheets"));
      return NULL;
    }

  if (rels != NULL)
    for (xmlNode *node = xmlDocGetRootElement (rels)->children; node != NULL; node = node->next)
      {
        g_autofree char *id = NULL;

        if (!is_element (node, "Relationship"))
          continue;
        id = get_attribute (node, "Id");
        if (g_strcmp0 (id, rel_id) == 0)
          {
            target = get_attribute (node, "Target");
            break;
          }
      }

  if (target == NULL || strstr (target, "..") != NULL)
    {
      set_damaged (error, _("a sheet is missing"));
      return NULL;
    }
  if (target[0] == '/')
    return g_strdup (target + 1);
  return g_strconcat ("xl/", target, NULL);
}

/* ------------------------------------------------------------------ cells */

static gboolean
format_is_date (int         id,
                const char *code)
{
  gboolean quoted = FALSE;

  if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36)
      || (id >= 50 && id <= 58))
    return TRUE;
  if (code == NULL)
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '[')
        {
          const char *close = strchr (p, ']');

          if (close == NULL)
            break;
          p = close;
        }
      else if (strchr ("dDmMyY", *p) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A format made only of zeros, such as "00000000", pads whole numbers: the
 * way a spreadsheet keeps leading zeros of a numeric student number. */
static guint
format_zero_width (const char *code)
{
  guint width = 0;

  if (code == NULL)
    return 0;
  for (const char *p = code; *p != '\0'; p++)
    {
      if (*p != '0')
        return 0;
      width++;
    }
  return width;
}

static char *
format_number (Workbook   *book,
               const char *text,
               int         style)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);
  int format_id = 0;
  const char *code = NULL;
  guint width;

  if (end == text || *end != '\0' || !isfinite (value))
    return g_strdup (text);

  if (style >= 0 && (guint) style < book->xf_formats->len)
    format_id = g_array_index (book->xf_formats, int, style);
  code = g_hash_table_lookup (book->formats, GINT_TO_POINTER (format_id));

  if (format_is_date (format_id, code) && value >= 1 && value < 2958466)
    {
      /* The 1900 date system counts the 29 February 1900 that never was. */
      int days = (int) floor (value);
      g_autoptr(GDate) date = g_date_new_dmy (31, G_DATE_DECEMBER, 1899);

      if (days > 59)
        days--;
      g_date_add_days (date, (guint) days);
      return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                              g_date_get_month (date), g_date_get_day (date));
    }

  if (value == floor (value) && fabs (value) < 1e15)
    {
      width = format_zero_width (code);
      if (value >= 0 && width > 0 && width <= 30)
        return g_strdup_printf ("%0*.0f", (int) width, value);
      return g_strdup_printf ("%.0f", value);
    }

  {
    char buffer[G_ASCII_DTOSTR_BUF_SIZE];

    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
  }
}

/* "BC12" → column 54 (0-based), or -1. */
static int
column_of (const char *ref)
{
  int column = 0;
  int n = 0;

  if (ref == NULL)
    return -1;
  for (; g_ascii_isalpha (*ref); ref++, n++)
    {
      column = column * 26 + (g_ascii_toupper (*ref) - 'A' + 1);
      if (column > MAX_COLUMNS)
        return MAX_COLUMNS;
    }
  return n > 0 ? column - 1 : -1;
}

/* The value of a cell as text, or %NULL when it refers to a shared string
 * the workbook does not have. */
static char *
cell_value (Workbook   *book,
            const char *type,
            const char *style,
            const char *raw,
            const char *inline_text)
{
  if (g_strcmp0 (type, "inlineStr") == 0)
    return g_strdup (inline_text != NULL ? inline_text : "");

  if (raw == NULL)
    return g_strdup ("");

  if (g_strcmp0 (type, "s") == 0)
    {
      char *end = NULL;
      guint64 index = g_ascii_strtoull (raw, &end, 10);

      if (end == raw || index >= book->strings->len)
        return NULL;
      return g_strdup (g_ptr_array_index (book->strings, index));
    }
  if (g_strcmp0 (type, "b") == 0)
    return g_strdup (g_strcmp0 (raw, "1") == 0 ? "TRUE" : "FALSE");
  if (g_strcmp0 (type, "str") == 0 || g_strcmp0 (type, "e") == 0)
    return g_strdup (raw);

  return format_number (book, raw, style != NULL ? (int) g_ascii_strtoll (style, NULL, 10) : 0);
}

/* The cell being read: its attributes, its <v> and its inline string. */
typedef struct {
  char     *ref;
  char     *type;
  char     *style;
  GString  *value;
  gboolean  in_value;
  RichText  inline_text;
} Cell;

static void
cell_clear (Cell *cell)
{
  g_clear_pointer (&cell->ref, g_free);
  g_clear_pointer (&cell->type, g_free);
  g_clear_pointer (&cell->style, g_free);
  if (cell->value != NULL)
    g_string_free (g_steal_pointer (&cell->value), TRUE);
  if (cell->inline_text.text != NULL)
    g_string_free (g_steal_pointer (&cell->inline_text.text), TRUE);
  cell->in_value = FALSE;
  cell->inline_text.in_t = cell->inline_text.in_phonetic = 0;
}

typedef struct {
  GPtrArray *cells;
  guint      number;
  gboolean   blank;
  int        next_column;
} Row;

/* Adds a cell to its row; a cell beyond the columns a list may have, or
 * one referring to a shared string that is not there, is refused, with the
 * row and the cell's reference. */
static gboolean
row_add_cell (Workbook  *book,
              Row       *row,
              Cell      *cell,
              GError   **error)
{
  int column = column_of (cell->ref);
  g_autofree char *why = NULL;
  char *value;

  if (column < 0)
    column = row->next_column;
  if (column >= MAX_COLUMNS)
    {
      why = g_strdup_printf (_("row %u has a cell (%s) beyond the %d columns a list may have"),
                             row->number, cell->ref != NULL ? cell->ref : "?", MAX_COLUMNS);
      set_damaged (error, why);
      return FALSE;
    }
  row->next_column = column + 1;

  value = cell_value (book, cell->type, cell->style,
                      cell->value != NULL ? cell->value->str : NULL,
                      cell->inline_text.text != NULL ? cell->inline_text.text->str : NULL);
  if (value == NULL)
    {
      why = g_strdup_printf (_("row %u, cell %s, refers to text %s of the shared strings, "
                               "which has %u"),
                             row->number, cell->ref != NULL ? cell->ref : "?",
                             cell->value->str, book->strings->len);
      set_damaged (error, why);
      return FALSE;
    }
  if (value[0] != '\0')
    row->blank = FALSE;
  while (row->cells->len < (guint) column)
    g_ptr_array_add (row->cells, g_strdup (""));
  if (row->cells->len > (guint) column)
    {
      g_free (row->cells->pdata[column]);
      row->cells->pdata[column] = value;
    }
  else
    g_ptr_array_add (row->cells, value);
  return TRUE;
}

static void
row_finish (Row       *row,
            GPtrArray *rows,
            GArray    *row_numbers)
{
  if (row->cells == NULL)
    return;
  if (!row->blank)
    {
      g_ptr_array_add (row->cells, NULL);
      g_ptr_array_add (rows, g_ptr_array_free (g_steal_pointer (&row->cells), FALSE));
      if (row_numbers != NULL)
        g_array_append_val (row_numbers, row->number);
    }
  else
    g_clear_pointer (&row->cells, g_ptr_array_unref);
}

static GPtrArray *
read_sheet (Workbook    *book,
            const char  *path,
            GArray      *row_numbers,
            GError     **error)
{
  g_autoptr(xmlTextReader) reader = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  Row row = { NULL, 0, TRUE, 0 };
  Cell cell = { 0 };
  g_autoptr(GError) cell_error = NULL;
  gboolean in_cell = FALSE;
  guint next_row = 1;
  ChunkInput input;
  int rc, type;

  reader = open_part_reader (book, path, TRUE, &input, error);
  if (reader == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      type = xmlTextReaderNodeType (reader);
      if (type == XML_READER_TYPE_DOCUMENT_TYPE)
        {
          rc = -1;
          break;
        }

      if (type == XML_READER_TYPE_ELEMENT && is_named (reader, "row"))
        {
          g_autofree char *r = reader_attribute (reader, "r");
          guint number = r != NULL ? (guint) g_ascii_strtoull (r, NULL, 10) : next_row;

          row_finish (&row, rows, row_numbers);
          if (number == 0 || number > MAX_ROWS)
            number = next_row;
          next_row = number + 1;
          row.cells = g_ptr_array_new_with_free_func (g_free);
          row.number = number;
          row.blank = TRUE;
          row.next_column = 0;
          if (xmlTextReaderIsEmptyElement (reader))
            row_finish (&row, rows, row_numbers);
        }
      else if (type == XML_READER_TYPE_END_ELEMENT && is_named (reader, "row"))
        row_finish (&row, rows, row_numbers);
      else if (row.cells == NULL)
        continue;
      else if (type == XML_READER_TYPE_ELEMENT && is_named (reader, "c"))
        {
          cell_clear (&cell);
          cell.ref = reader_attribute (reader, "r");
          cell.type = reader_attribute (reader, "t");
          cell.style = reader_attribute (reader, "s");
          in_cell = !xmlTextReaderIsEmptyElement (reader);
          if (!in_cell && !row_add_cell (book, &row, &cell, &cell_error))
            break;
        }
      else if (type == XML_READER_TYPE_END_ELEMENT && is_named (reader, "c"))
        {
          if (in_cell && !row_add_cell (book, &row, &cell, &cell_error))
            break;
          in_cell = FALSE;
          cell_clear (&cell);
        }
      else if (!in_cell)
        continue;
      else if (type == XML_READER_TYPE_ELEMENT && is_named (reader, "v"))
        {
          if (cell.value == NULL)
            cell.value = g_string_new (NULL);
          cell.in_value = !xmlTextReaderIsEmptyElement (reader);
        }
      else if (type == XML_READER_TYPE_END_ELEMENT && is_named (reader, "v"))
        cell.in_value = FALSE;
      else if (type == XML_READER_TYPE_ELEMENT && is_named (reader, "is"))
        {
          if (cell.inline_text.text == NULL)
            cell.inline_text.text = g_string_new (NULL);
        }
      else if (cell.in_value && is_text_node (type))
        {
          const xmlChar *value = xmlTextReaderConstValue (reader);

          if (value != NULL)
            g_string_append (cell.value, (const char *) value);
        }
      else if (cell.inline_text.text != NULL)
        rich_text_handle (&cell.inline_text, reader, type);
    }

  cell_clear (&cell);
  if (cell_error != NULL)
    {
      g_clear_pointer (&row.cells, g_ptr_array_unref);
      g_propagate_error (error, g_steal_pointer (&cell_error));
      return NULL;
    }
  if (rc != 0)
    {
      g_clear_pointer (&row.cells, g_ptr_array_unref);
      set_damaged (error, path);
      return NULL;
    }
  row_finish (&row, rows, row_numbers);
  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------ public */

/**
 * coop_xlsx_is_workbook:
 * @data: the first bytes of a file
 * @length: their number
 *
 * Returns: whether the file looks like a ZIP package
 */
gboolean
coop_xlsx_is_workbook (const char *data,
                       gsize       length)
{
  return length >= 4 && memcmp (data, "PK\003\004", 4) == 0;
}

/**
 * coop_xlsx_read:
 * @data: the bytes of an .xlsx file
 * @length: their number
 * @sheet: (nullable): the name of the sheet to read, %NULL for the first
 * @sheet_names: (out) (optional) (transfer full): the names of all sheets
 * @sheet_read: (out) (optional) (transfer full): the name of the sheet read
 * @row_numbers: (nullable): gets the spreadsheet row number of each row
 * @error: return location for a #CoopError
 *
 * Reads the cell values of one sheet as text: shared and inline strings,
 * booleans as TRUE/FALSE, dates as YYYY-MM-DD, the cached value of formulas,
 * whole numbers without exponent and padded to a "000…" format.  Rows with
 * no value are left out.
 *
 * Returns: (transfer full) (element-type GStrv): the rows, or %NULL with
 *   %COOP_ERROR_CORRUPT or %COOP_ERROR_NOT_FOUND (no such sheet)
 */
GPtrArray *
coop_xlsx_read (const char  *data,
                gsize        length,
                const char  *sheet,
                char      ***sheet_names,
                char       **sheet_read,
                GArray      *row_numbers,
                GError     **error)
{
  Workbook book = { 0 };
  g_autofree char *path = NULL;
  GPtrArray *rows = NULL;

  static gsize initialized = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* libxml2's first initialisation is not thread-safe; readers run in
   * worker threads. */
  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }

  if (sheet_names != NULL)
    *sheet_names = NULL;
  if (sheet_read != NULL)
    *sheet_read = NULL;

  book.parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_bytes_unref);
  book.strings = g_ptr_array_new_with_free_func (g_free);
  book.xf_formats = g_array_new (FALSE, FALSE, sizeof (int));
  book.formats = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  if (read_parts (&book, data, length, error)
      && read_shared_strings (&book, error)
      && read_styles (&book, error)
      && (path = find_sheet (&book, sheet, sheet_names, sheet_read, error)) != NULL)
    rows = read_sheet (&book, path, row_numbers, error);

  workbook_clear (&book);
  return rows;
}
