/* coop-row-list.h — rows of a list view that stay put while the items they show change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COOP_TYPE_ROW (coop_row_get_type ())

G_DECLARE_FINAL_TYPE (CoopRow, coop_row, COOP, ROW, GObject)

gpointer     coop_row_get_item      (CoopRow     *self);
gpointer     coop_row_get_shown_item (CoopRow    *self);

#define COOP_TYPE_ROW_LIST (coop_row_list_get_type ())

G_DECLARE_FINAL_TYPE (CoopRowList, coop_row_list, COOP, ROW_LIST, GObject)

CoopRowList *coop_row_list_new      (GListModel  *source);
GListModel  *coop_row_list_get_source (CoopRowList *self);
void         coop_row_list_set_shown  (CoopRowList *self,
                                       guint        first,
                                       guint        n);
void         coop_row_list_settle     (CoopRowList *self);

G_END_DECLS
