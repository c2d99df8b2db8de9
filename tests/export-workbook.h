/* export-workbook.h — reading back a workbook the export wrote, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *type;      /* the t attribute: "s", "inlineStr", "n" (absent), … */
  char     *text;      /* the value as a string: shared and inline strings resolved */
  guint     style;     /* the s attribute */
  gboolean  formula;   /* has an <f> element */
} ExportCell;

typedef struct _ExportWorkbook ExportWorkbook;

ExportWorkbook   *export_workbook_open         (const char     *path);
void              export_workbook_free         (ExportWorkbook *workbook);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportWorkbook, export_workbook_free)

const char *const *export_workbook_get_parts   (ExportWorkbook *workbook);
const char       *export_workbook_get_part     (ExportWorkbook *workbook,
                                                const char     *name);
GPtrArray        *export_workbook_get_sheet_names (ExportWorkbook *workbook);
const ExportCell *export_workbook_get_cell     (ExportWorkbook *workbook,
                                                const char     *sheet,
                                                const char     *ref);
guint             export_workbook_get_n_rows   (ExportWorkbook *workbook,
                                                const char     *sheet);
int               export_workbook_find_row     (ExportWorkbook *workbook,
                                                const char     *sheet,
                                                guint           column,
                                                const char     *text);
const char       *export_workbook_get_text     (ExportWorkbook *workbook,
                                                const char     *sheet,
                                                guint           row,
                                                guint           column);
const char       *export_workbook_get_num_format (ExportWorkbook *workbook,
                                                  guint           style);
const char       *export_workbook_get_fill     (ExportWorkbook *workbook,
                                                guint           style);
gboolean          export_workbook_has_formula  (ExportWorkbook *workbook);
char             *export_workbook_ref          (guint           row,
                                                guint           column);

G_END_DECLS
