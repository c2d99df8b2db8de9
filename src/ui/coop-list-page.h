/* coop-list-page.h — one kind of record as a searchable, sortable list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-store.h"

G_BEGIN_DECLS

/**
 * CoopListPageInfo:
 * @record_type: the get_type function of the records listed
 * @columns: the properties shown as columns, in order; NULL-terminated
 * @filters: the properties offered as filter drop-downs; NULL-terminated
 * @empty_title: what the empty page says, translatable
 *
 * What one page lists.
 */
typedef struct {
  GType             (*record_type) (void);
  const char * const *columns;
  const char * const *filters;
  const char         *empty_title;
  const char         *new_label;
} CoopListPageInfo;

#define COOP_TYPE_LIST_PAGE (coop_list_page_get_type ())

G_DECLARE_FINAL_TYPE (CoopListPage, coop_list_page, COOP, LIST_PAGE, GtkWidget)

CoopListPage  *coop_list_page_new              (CoopStore              *store,
                                                const CoopListPageInfo *info);
GType          coop_list_page_get_record_type  (CoopListPage           *self);
GListModel    *coop_list_page_get_model        (CoopListPage           *self);
guint          coop_list_page_get_n_shown      (CoopListPage           *self);
guint          coop_list_page_get_n_total      (CoopListPage           *self);
CoopRecord    *coop_list_page_get_selected     (CoopListPage           *self);
gboolean       coop_list_page_select_record    (CoopListPage           *self,
                                                gint64                  id);
GtkEditable   *coop_list_page_get_search_entry (CoopListPage           *self);
void           coop_list_page_focus_search     (CoopListPage           *self);
void           coop_list_page_set_search_text  (CoopListPage           *self,
                                                const char             *text);
void           coop_list_page_set_filter       (CoopListPage           *self,
                                                guint                   index,
                                                guint                   position);
void           coop_list_page_refresh_filters  (CoopListPage           *self);
void           coop_list_page_set_detail       (CoopListPage           *self,
                                                GtkWidget              *detail,
                                                GtkOrientation          orientation);
const char * const *coop_list_page_get_columns (CoopListPage           *self,
                                                guint                  *n_columns);
char         **coop_list_page_dup_visible_columns (CoopListPage        *self);

G_END_DECLS
