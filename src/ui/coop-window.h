/* coop-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-application.h"
#include "coop-editor.h"
#include "coop-export.h"
#include "coop-list-page.h"
#include "coop-overview.h"
#include "coop-year-page.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_WINDOW (coop_window_get_type ())

G_DECLARE_FINAL_TYPE (CoopWindow, coop_window, COOP, WINDOW, AdwApplicationWindow)

CoopWindow   *coop_window_new            (CoopApplication *application,
                                          CoopStore       *store);
CoopStore    *coop_window_get_store      (CoopWindow      *self);
void          coop_window_show_error     (CoopWindow      *self,
                                          const char      *heading,
                                          const char      *body);
void          coop_window_show_page      (CoopWindow      *self,
                                          const char      *name);
const char   *coop_window_get_page_name  (CoopWindow      *self);
CoopListPage *coop_window_get_list_page  (CoopWindow      *self,
                                          const char      *name);
CoopOverview *coop_window_get_overview   (CoopWindow      *self);
CoopYearPage *coop_window_get_year_page  (CoopWindow      *self);
GtkWidget    *coop_window_get_detail     (CoopWindow      *self,
                                          const char      *name);
void          coop_window_show_record    (CoopWindow      *self,
                                          GType            type,
                                          gint64           id);
CoopEditor   *coop_window_open_record    (CoopWindow      *self,
                                          CoopRecord      *record);
CoopEditor   *coop_window_get_editor     (CoopWindow      *self);
gboolean      coop_window_delete_selected (CoopWindow     *self,
                                           GError        **error);
gboolean      coop_window_undo           (CoopWindow      *self,
                                          GError         **error);
void          coop_window_show_toast     (CoopWindow      *self,
                                          const char      *text);
gboolean      coop_window_show_candidate (CoopWindow      *self,
                                          gint64           candidate_id);
gboolean      coop_window_get_loaded     (CoopWindow      *self);
gboolean      coop_window_export_view_to (CoopWindow      *self,
                                          const char      *path);
gboolean      coop_window_print_to       (CoopWindow      *self,
                                          const char      *path);
gboolean      coop_window_get_exporting  (CoopWindow      *self);
gboolean      coop_window_export_summary_to (CoopWindow               *self,
                                             const char               *path,
                                             const CoopSummaryOptions *options);

G_END_DECLS
