/* coop-year-page.h — the Year view: the yearly report, drawn and tabled
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-chart.h"
#include "coop-report.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_YEAR_PAGE (coop_year_page_get_type ())

G_DECLARE_FINAL_TYPE (CoopYearPage, coop_year_page, COOP, YEAR_PAGE, GtkWidget)

typedef enum {
  COOP_YEAR_TABLE_SCHOOL,       /* figure, the year, the year before, change */
  COOP_YEAR_TABLE_DEPARTMENTS,  /* department, each figure, hiring rate */
} CoopYearTable;

CoopYearPage         *coop_year_page_new               (CoopStore     *store);
void                  coop_year_page_set_kind          (CoopYearPage  *self,
                                                        CoopYearKind   kind);
void                  coop_year_page_set_year          (CoopYearPage  *self,
                                                        int            year);
int                   coop_year_page_get_year          (CoopYearPage  *self);
void                  coop_year_page_refresh           (CoopYearPage  *self);
const CoopYearReport *coop_year_page_get_report        (CoopYearPage  *self);
const char           *coop_year_page_get_text          (CoopYearPage  *self,
                                                        CoopYearTable  table,
                                                        guint          row,
                                                        guint          column);
CoopChart            *coop_year_page_get_chart         (CoopYearPage  *self,
                                                        CoopYearTable  table);

CoopYearKind          coop_year_page_get_settings_kind (GSettings     *settings);

G_END_DECLS
