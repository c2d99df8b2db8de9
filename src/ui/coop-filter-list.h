/* coop-filter-list.h — the items of a list model that a filter matches, in an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "coop-search.h"

G_BEGIN_DECLS

#define COOP_TYPE_FILTER_LIST (coop_filter_list_get_type ())

G_DECLARE_FINAL_TYPE (CoopFilterList, coop_filter_list, COOP, FILTER_LIST, GObject)

CoopFilterList *coop_filter_list_new  (GListModel     *source,
                                       GtkFilter      *filter);
guint           coop_filter_list_find (CoopFilterList *self,
                                       gpointer        item);

void            coop_filter_list_set_parallel   (CoopFilterList  *self,
                                                 gboolean         parallel);
void            coop_filter_list_set_searchable (CoopFilterList  *self);
gboolean        coop_filter_list_set_query      (CoopFilterList  *self,
                                                 CoopSearchQuery *query);

G_END_DECLS
