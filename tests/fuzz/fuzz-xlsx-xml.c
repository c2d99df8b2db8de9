/* fuzz-xlsx-xml.c — libFuzzer harness: the XML parts of a workbook
 *
 * The input is the sheet, the shared strings and the styles, separated by
 * "\n----\n"; the harness packs them with a fixed workbook into a ZIP, so
 * that the fuzzer mutates XML rather than fighting the package's checksums.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib.h>
#include <string.h>

#include "coop-xlsx.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char workbook[] =
  "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
  " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
  "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char rels[] =
  "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

static void
add_part (struct archive *zip,
          const char     *name,
          const char     *data,
          gsize           length)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, (la_int64_t) length);
  archive_write_header (zip, entry);
  archive_write_data (zip, data, length);
  archive_entry_free (entry);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char *names[] = {
    "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"
  };
  gsize capacity = size + 64 * 1024;
  g_autofree char *buffer = g_malloc (capacity);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  struct archive *zip = archive_write_new ();
  size_t used = 0;

  /* Bytes after a NUL are dropped; the reader refuses NULs anyway. */
  parts = g_strsplit (text, "\n----\n", 3);

  archive_write_set_format_zip (zip);
  archive_write_zip_set_compression_store (zip);
  archive_write_open_memory (zip, buffer, capacity, &used);
  add_part (zip, "xl/workbook.xml", workbook, strlen (workbook));
  add_part (zip, "xl/_rels/workbook.xml.rels", rels, strlen (rels));
  for (guint i = 0; parts[i] != NULL && i < G_N_ELEMENTS (names); i++)
    add_part (zip, names[i], parts[i], strlen (parts[i]));
  archive_write_close (zip);
  archive_write_free (zip);

  rows = coop_xlsx_read (buffer, used, NULL, NULL, NULL, numbers, NULL);
  if (rows != NULL)
    g_assert (rows->len == numbers->len);
  return 0;
}
