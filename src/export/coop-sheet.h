/* coop-sheet.h — what a printed sheet holds, before it is laid out
 *
 * A sheet is a title block (title, the kind of sheet, label–value facts),
 * paragraphs of longer text and one table: its columns with their relative
 * widths, its rows and a number of empty rows to fill in by hand.  The UI
 * lays it out on pages and draws it (src/ui/coop-print.c); nothing here
 * knows about pages, fonts or GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "coop-store.h"

G_BEGIN_DECLS

/**
 * CoopSheetPair:
 * @label: the translated label, "Location"
 * @value: (nullable): what it says; %NULL or "" leaves a blank to fill in
 *
 * One fact of the title block, or one paragraph under it.
 */
typedef struct {
  char *label;
  char *value;
} CoopSheetPair;

/**
 * CoopSheetColumn:
 * @title: the translated header text
 * @width: the share of the table's width, relative to the other columns (the
 *   widths are given in millimetres of a portrait A4 page, and scaled)
 *
 * One column of a sheet's table.
 */
typedef struct {
  char   *title;
  double  width;
} CoopSheetColumn;

/**
 * CoopSheet:
 * @kind: what the sheet is, translated: "Sign-in Sheet"
 * @title: the record's title
 * @facts: (element-type CoopSheetPair): the title block, in order
 * @paragraphs: (element-type CoopSheetPair): longer texts under it
 * @columns: (element-type CoopSheetColumn): the table's columns; may be empty
 * @rows: (element-type GStrv): one string per column in each row
 * @blank_rows: empty rows after @rows, for people who were not expected; the
 *   layout adds more down to the foot of the last page
 * @row_height_mm: the least height of a row, room for a signature; 0 for text
 * @single_page: everything must fit on one page: long paragraphs are cut
 *
 * A printed sheet, in the language of the interface.
 */
typedef struct {
  char      *kind;
  char      *title;
  GPtrArray *facts;
  GPtrArray *paragraphs;
  GPtrArray *columns;
  GPtrArray *rows;
  guint      blank_rows;
  double     row_height_mm;
  gboolean   single_page;
} CoopSheet;

gboolean   coop_sheet_can_describe (CoopRecord  *record);
CoopSheet *coop_sheet_new_for_record (CoopStore   *store,
                                      CoopRecord  *record,
                                      GError     **error);
void       coop_sheet_free          (CoopSheet   *sheet);
const char *coop_sheet_get_fact     (CoopSheet   *sheet,
                                     const char  *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopSheet, coop_sheet_free)

G_END_DECLS
