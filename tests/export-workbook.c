/* export-workbook.c — reading back a workbook the export wrote, for tests
 *
 * Lists and extracts the parts with `unzip`, parses every XML part with
 * libxml2 (so each must be well-formed, as `xmllint --noout` would check) and
 * keeps the cells of each sheet by reference ("B7") with shared and inline
 * strings resolved, and the number formats and fills of the styles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "export-workbook.h"

struct _ExportWorkbook
{
  char       *path;
  GPtrArray  *parts;          /* names, NULL-terminated */
  GHashTable *contents;       /* name → text */
  GPtrArray  *sheet_names;
  GHashTable *sheets;         /* name → GHashTable ref → ExportCell */
  GHashTable *sheet_rows;     /* name → GUINT_TO_POINTER (number of the last row) */
  GPtrArray  *shared_strings;
  GPtrArray  *num_formats;    /* per style: format code */
  GPtrArray  *fills;          /* per style: "RRGGBB" or NULL */
  gboolean    formula;
  GStringChunk *strings;      /* attribute values */
};

/* ------------------------------------------------------------------ helpers */

static char *
run_unzip (const char *const *argv,
           gsize             *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("unzip failed on %s: %s", argv[2], err);

  if (length != NULL)
    *length = strlen (out);
  return out;
}

static const char *
prop (ExportWorkbook *workbook,
      xmlNode        *node,
      const char     *name)
{
  /* Attribute values live as long as the workbook. */
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  const char *result;

  if (value == NULL)
    return NULL;
  result = g_string_chunk_insert_const (workbook->strings, (const char *) value);
  xmlFree (value);
  return result;
}

static gboolean
is (xmlNode    *node,
    const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

static xmlNode *
child (xmlNode    *node,
       const char *name)
{
  for (xmlNode *c = node->children; c != NULL; c = c->next)
    if (is (c, name))
      return c;
  return NULL;
}

/* The text of <t> elements below @node, as in <si> and <is>. */
static char *
string_item_text (xmlNode *node)
{
  GString *text = g_string_new (NULL);

  for (xmlNode *c = node->children; c != NULL; c = c->next)
    {
      if (is (c, "t"))
        {
          xmlChar *content = xmlNodeGetContent (c);
          g_string_append (text, (const char *) content);
          xmlFree (content);
        }
      else if (is (c, "r"))
        {
          g_autofree char *run = string_item_text (c);
          g_string_append (text, run);
        }
    }

  return g_string_free (text, FALSE);
}

static xmlDoc *
parse (ExportWorkbook *workbook,
       const char     *name)
{
  const char *content = g_hash_table_lookup (workbook->contents, name);
  xmlDoc *doc;

  g_assert_nonnull (content);
  doc = xmlReadMemory (content, (int) strlen (content), name, NULL, XML_PARSE_NONET);
  if (doc == NULL)
    g_error ("%s in %s is not well-formed XML", name, workbook->path);
  return doc;
}

static void
export_cell_free (gpointer data)
{
  ExportCell *cell = data;

  g_free (cell->type);
  g_free (cell->text);
  g_free (cell);
}

static guint
row_of_ref (const char *ref)
{
  while (g_ascii_isalpha (*ref))
    ref++;
  return (guint) g_ascii_strtoull (ref, NULL, 10);
}

static void
read_shared_strings (ExportWorkbook *workbook)
{
  xmlDoc *doc;

  if (!g_hash_table_contains (workbook->contents, "xl/sharedStrings.xml"))
    return;

  doc = parse (workbook, "xl/sharedStrings.xml");
  for (xmlNode *si = xmlDocGetRootElement (doc)->children; si != NULL; si = si->next)
    if (is (si, "si"))
      g_ptr_array_add (workbook->shared_strings, string_item_text (si));
  xmlFreeDoc (doc);
}

static void
read_styles (ExportWorkbook *workbook)
{
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) fills = g_ptr_array_new_with_free_func (g_free);
  xmlDoc *doc = parse (workbook, "xl/styles.xml");
  xmlNode *root = xmlDocGetRootElement (doc);
  xmlNode *node;

  /* The built-in formats the export may use. */
  g_hash_table_insert (codes, (gpointer) "0", g_strdup ("General"));
  g_hash_table_insert (codes, (gpointer) "3", g_strdup ("#,##0"));
  g_hash_table_insert (codes, (gpointer) "9", g_strdup ("0%"));
  g_hash_table_insert (codes, (gpointer) "49", g_strdup ("@"));

  if ((node = child (root, "numFmts")) != NULL)
    for (xmlNode *f = node->children; f != NULL; f = f->next)
      if (is (f, "numFmt"))
        g_hash_table_insert (codes, (gpointer) prop (workbook, f, "numFmtId"),
                             g_strdup (prop (workbook, f, "formatCode")));

  if ((node = child (root, "fills")) != NULL)
    for (xmlNode *f = node->children; f != NULL; f = f->next)
      if (is (f, "fill"))
        {
          xmlNode *pattern = child (f, "patternFill");
          xmlNode *color = pattern != NULL ? child (pattern, "fgColor") : NULL;
          const char *rgb = color != NULL ? prop (workbook, color, "rgb") : NULL;

          /* "FFRRGGBB": the colour without its alpha */
          g_ptr_array_add (fills, rgb != NULL && strlen (rgb) == 8 ? g_strdup (rgb + 2) : NULL);
        }

  if ((node = child (root, "cellXfs")) != NULL)
    for (xmlNode *xf = node->children; xf != NULL; xf = xf->next)
      if (is (xf, "xf"))
        {
          const char *id = prop (workbook, xf, "numFmtId");
          const char *fill = prop (workbook, xf, "fillId");
          guint fill_index = fill != NULL ? (guint) g_ascii_strtoull (fill, NULL, 10) : 0;

          g_ptr_array_add (workbook->num_formats,
                           g_strdup (id != NULL && g_hash_table_lookup (codes, id) != NULL
                                     ? g_hash_table_lookup (codes, id) : "General"));
          g_ptr_array_add (workbook->fills,
                           g_strdup (fill_index < fills->len ? g_ptr_array_index (fills, fill_index)
                                                             : NULL));
        }

  xmlFreeDoc (doc);
}

static void
read_sheet (ExportWorkbook *workbook,
            const char     *sheet_name,
            const char     *part)
{
  GHashTable *cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, export_cell_free);
  xmlDoc *doc = parse (workbook, part);
  xmlNode *data = child (xmlDocGetRootElement (doc), "sheetData");
  guint last_row = 0;

  if (data == NULL)
    g_error ("%s in %s has no sheetData", part, workbook->path);
  for (xmlNode *row = data->children; row != NULL; row = row->next)
    if (is (row, "row"))
      for (xmlNode *c = row->children; c != NULL; c = c->next)
        if (is (c, "c"))
          {
            ExportCell *cell = g_new0 (ExportCell, 1);
            const char *ref = prop (workbook, c, "r");
            const char *style = prop (workbook, c, "s");
            xmlNode *v = child (c, "v");
            xmlNode *inline_string = child (c, "is");

            cell->type = g_strdup (prop (workbook, c, "t") != NULL ? prop (workbook, c, "t") : "n");
            cell->style = style != NULL ? (guint) g_ascii_strtoull (style, NULL, 10) : 0;
            cell->formula = child (c, "f") != NULL;
            workbook->formula |= cell->formula;

            if (inline_string != NULL)
              cell->text = string_item_text (inline_string);
            else if (v != NULL)
              {
                xmlChar *content = xmlNodeGetContent (v);

                if (g_strcmp0 (cell->type, "s") == 0)
                  {
                    guint index = (guint) g_ascii_strtoull ((const char *) content, NULL, 10);

                    g_assert_cmpuint (index, <, workbook->shared_strings->len);
                    cell->text = g_strdup (g_ptr_array_index (workbook->shared_strings, index));
                  }
                else
                  cell->text = g_strdup ((const char *) content);
                xmlFree (content);
              }

            g_assert_nonnull (ref);
            last_row = MAX (last_row, row_of_ref (ref));
            g_hash_table_insert (cells, g_strdup (ref), cell);
          }

  g_hash_table_insert (workbook->sheets, g_strdup (sheet_name), cells);
  g_hash_table_insert (workbook->sheet_rows, g_strdup (sheet_name), GUINT_TO_POINTER (last_row));
  xmlFreeDoc (doc);
}

static void
read_workbook (ExportWorkbook *workbook)
{
  g_autoptr(GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  xmlDoc *rels = parse (workbook, "xl/_rels/workbook.xml.rels");
  xmlDoc *doc = parse (workbook, "xl/workbook.xml");
  xmlNode *sheets = child (xmlDocGetRootElement (doc), "sheets");

  for (xmlNode *r = xmlDocGetRootElement (rels)->children; r != NULL; r = r->next)
    if (is (r, "Relationship"))
      g_hash_table_insert (targets, g_strdup (prop (workbook, r, "Id")),
                           g_strconcat ("xl/", prop (workbook, r, "Target"), NULL));

  if (sheets == NULL)
    g_error ("%s has no sheets", workbook->path);
  for (xmlNode *s = sheets->children; s != NULL; s = s->next)
    if (is (s, "sheet"))
      {
        xmlChar *id = xmlGetNsProp (s, (const xmlChar *) "id",
                                    (const xmlChar *) "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        const char *target = g_hash_table_lookup (targets, (const char *) id);

        g_assert_nonnull (target);
        g_ptr_array_add (workbook->sheet_names, g_strdup (prop (workbook, s, "name")));
        read_sheet (workbook, prop (workbook, s, "name"), target);
        xmlFree (id);
      }

  xmlFreeDoc (doc);
  xmlFreeDoc (rels);
}

/* ------------------------------------------------------------------ public */

/* Opens @path, failing the test unless every XML part is well-formed. */
ExportWorkbook *
export_workbook_open (const char *path)
{
  ExportWorkbook *workbook = g_new0 (ExportWorkbook, 1);
  const char *list_argv[] = { "unzip", "-Z1", path, NULL };
  g_autofree char *listing = run_unzip (list_argv, NULL);
  g_auto(GStrv) names = g_strsplit (listing, "\n", -1);

  workbook->path = g_strdup (path);
  workbook->strings = g_string_chunk_new (4096);
  workbook->parts = g_ptr_array_new_with_free_func (g_free);
  workbook->contents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  workbook->sheet_names = g_ptr_array_new_with_free_func (g_free);
  workbook->sheets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_hash_table_unref);
  workbook->sheet_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  workbook->shared_strings = g_ptr_array_new_with_free_func (g_free);
  workbook->num_formats = g_ptr_array_new_with_free_func (g_free);
  workbook->fills = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    {
      /* unzip reads the names as patterns: "[" opens a set. */
      g_autoptr(GString) pattern = g_string_new (names[i]);
      const char *extract_argv[] = { "unzip", "-p", path, NULL, NULL };
      char *content;

      if (*names[i] == '\0')
        continue;

      g_string_replace (pattern, "[", "[[]", 0);
      extract_argv[3] = pattern->str;

      g_ptr_array_add (workbook->parts, g_strdup (names[i]));
      content = run_unzip (extract_argv, NULL);
      g_hash_table_insert (workbook->contents, g_strdup (names[i]), content);

      if (g_str_has_suffix (names[i], ".xml") || g_str_has_suffix (names[i], ".rels"))
        {
          g_assert_true (g_utf8_validate (content, -1, NULL));
          xmlFreeDoc (parse (workbook, names[i]));
        }
    }
  g_ptr_array_add (workbook->parts, NULL);

  read_shared_strings (workbook);
  read_styles (workbook);
  read_workbook (workbook);
  return workbook;
}

void
export_workbook_free (ExportWorkbook *workbook)
{
  g_free (workbook->path);
  g_ptr_array_unref (workbook->parts);
  g_hash_table_unref (workbook->contents);
  g_ptr_array_unref (workbook->sheet_names);
  g_hash_table_unref (workbook->sheets);
  g_hash_table_unref (workbook->sheet_rows);
  g_ptr_array_unref (workbook->shared_strings);
  g_ptr_array_unref (workbook->num_formats);
  g_ptr_array_unref (workbook->fills);
  g_string_chunk_free (workbook->strings);
  g_free (workbook);
}

const char *const *
export_workbook_get_parts (ExportWorkbook *workbook)
{
  return (const char *const *) workbook->parts->pdata;
}

const char *
export_workbook_get_part (ExportWorkbook *workbook,
                          const char     *name)
{
  return g_hash_table_lookup (workbook->contents, name);
}

GPtrArray *
export_workbook_get_sheet_names (ExportWorkbook *workbook)
{
  return workbook->sheet_names;
}

const ExportCell *
export_workbook_get_cell (ExportWorkbook *workbook,
                          const char     *sheet,
                          const char     *ref)
{
  GHashTable *cells = g_hash_table_lookup (workbook->sheets, sheet);

  g_assert_nonnull (cells);
  return g_hash_table_lookup (cells, ref);
}

guint
export_workbook_get_n_rows (ExportWorkbook *workbook,
                            const char     *sheet)
{
  g_assert_true (g_hash_table_contains (workbook->sheet_rows, sheet));
  return GPOINTER_TO_UINT (g_hash_table_lookup (workbook->sheet_rows, sheet));
}

/* "A1" for row 0, column 0. */
char *
export_workbook_ref (guint row,
                     guint column)
{
  char letters[4] = { 0 };
  guint n = 0;

  column++;
  while (column > 0 && n < 3)
    {
      guint digit = (column - 1) % 26;
      memmove (letters + 1, letters, n++);
      letters[0] = (char) ('A' + digit);
      column = (column - 1) / 26;
    }

  return g_strdup_printf ("%s%u", letters, row + 1);
}

const char *
export_workbook_get_text (ExportWorkbook *workbook,
                          const char     *sheet,
                          guint           row,
                          guint           column)
{
  g_autofree char *ref = export_workbook_ref (row, column);
  const ExportCell *cell = export_workbook_get_cell (workbook, sheet, ref);

  return cell != NULL ? cell->text : NULL;
}

/* Returns the 0-based row whose cell in @column reads @text, or -1. */
int
export_workbook_find_row (ExportWorkbook *workbook,
                          const char     *sheet,
                          guint           column,
                          const char     *text)
{
  guint n_rows = export_workbook_get_n_rows (workbook, sheet);

  for (guint row = 0; row < n_rows; row++)
    if (g_strcmp0 (export_workbook_get_text (workbook, sheet, row, column), text) == 0)
      return (int) row;

  return -1;
}

const char *
export_workbook_get_num_format (ExportWorkbook *workbook,
                                guint           style)
{
  g_assert_cmpuint (style, <, workbook->num_formats->len);
  return g_ptr_array_index (workbook->num_formats, style);
}

const char *
export_workbook_get_fill (ExportWorkbook *workbook,
                          guint           style)
{
  g_assert_cmpuint (style, <, workbook->fills->len);
  return g_ptr_array_index (workbook->fills, style);
}

gboolean
export_workbook_has_formula (ExportWorkbook *workbook)
{
  return workbook->formula;
}
