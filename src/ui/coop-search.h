/* coop-search.h — folded search keys cached on records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-record.h"

G_BEGIN_DECLS

const char *coop_search_get_key        (CoopRecord         *record);
void        coop_search_forget_key     (CoopRecord         *record);
void        coop_search_track_list     (GListModel         *list);
void        coop_search_prepare_list   (GListModel         *list);
gboolean    coop_search_matches        (CoopRecord         *record,
                                        const char         *folded_needle);

G_END_DECLS
