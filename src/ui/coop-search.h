/* coop-search.h — folded search keys cached on records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-record.h"

G_BEGIN_DECLS

void        coop_search_track_list     (GListModel         *list);


typedef struct _CoopSearchQuery CoopSearchQuery;

CoopSearchQuery *coop_search_query_new      (const char            *text);
void             coop_search_query_free     (CoopSearchQuery       *query);
gboolean         coop_search_query_is_empty (const CoopSearchQuery *query);
gboolean         coop_search_query_equal    (const CoopSearchQuery *a,
                                             const CoopSearchQuery *b);
gboolean         coop_search_query_narrows  (const CoopSearchQuery *before,
                                             const CoopSearchQuery *after);
gboolean         coop_search_matches        (CoopRecord            *record,
                                             CoopSearchQuery       *query);

typedef struct _CoopSearchBlock CoopSearchBlock;

CoopSearchBlock *coop_search_block_new     (void);
void             coop_search_block_free    (CoopSearchBlock       *block);
gboolean         coop_search_block_splice  (CoopSearchBlock       *block,
                                            guint                  position,
                                            guint                  removed,
                                            CoopRecord * const    *added,
                                            guint                  n_added);
guint            coop_search_block_fill    (CoopSearchBlock       *block,
                                            CoopRecord * const    *records,
                                            guint                  n_records,
                                            guint                  from,
                                            guint                  most);
gboolean         coop_search_block_matches (const CoopSearchBlock *block,
                                            guint                  position,
                                            CoopRecord            *record,
                                            CoopSearchQuery       *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopSearchQuery, coop_search_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopSearchBlock, coop_search_block_free)

G_END_DECLS
