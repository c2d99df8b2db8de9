/* coop-pool-detail.h — the candidates of one recommendation pool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-pool-board.h"
#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_POOL_DETAIL (coop_pool_detail_get_type ())

G_DECLARE_FINAL_TYPE (CoopPoolDetail, coop_pool_detail, COOP, POOL_DETAIL, GtkWidget)

CoopPoolDetail   *coop_pool_detail_new           (CoopStore       *store);
void              coop_pool_detail_set_pool      (CoopPoolDetail  *self,
                                                  CoopRecord      *pool);
GtkSelectionModel *coop_pool_detail_get_selection (CoopPoolDetail *self);
gboolean          coop_pool_detail_set_stage     (CoopPoolDetail  *self,
                                                  int              stage,
                                                  GError         **error);
gboolean          coop_pool_detail_move_candidates (CoopPoolDetail *self,
                                                    GPtrArray      *candidates,
                                                    int             stage,
                                                    GError        **error);
CoopPoolBoard    *coop_pool_detail_get_board     (CoopPoolDetail  *self);
void              coop_pool_detail_set_view      (CoopPoolDetail  *self,
                                                  const char      *view);
gboolean          coop_pool_detail_restore_stages (CoopPoolDetail *self,
                                                   GPtrArray      *previous,
                                                   GError        **error);
gboolean          coop_pool_detail_select_candidate (CoopPoolDetail *self,
                                                     gint64          candidate_id);
GListModel       *coop_pool_detail_get_student_choices (CoopPoolDetail *self);
gboolean          coop_pool_detail_add_student   (CoopPoolDetail  *self,
                                                  gint64           student_id,
                                                  GError         **error);

G_END_DECLS
