/* coop-record-list.h — the records of one kind, in an array
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define COOP_TYPE_RECORD_LIST (coop_record_list_get_type ())

G_DECLARE_FINAL_TYPE (CoopRecordList, coop_record_list, COOP, RECORD_LIST, GObject)

CoopRecordList  *coop_record_list_new         (GType           item_type);
void             coop_record_list_splice      (CoopRecordList *self,
                                               guint           position,
                                               guint           n_removals,
                                               gpointer       *additions,
                                               guint           n_additions);
void             coop_record_list_replace     (CoopRecordList *self,
                                               GPtrArray      *items);
const GPtrArray *coop_record_list_peek_items  (CoopRecordList *self);

G_END_DECLS
