/* coop-pool-board.h — the candidates of a pool as cards, one column per stage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-types.h"

G_BEGIN_DECLS

#define COOP_TYPE_POOL_BOARD (coop_pool_board_get_type ())
#define COOP_TYPE_CARD_SET   (coop_card_set_get_type ())

G_DECLARE_FINAL_TYPE (CoopPoolBoard, coop_pool_board, COOP, POOL_BOARD, GtkWidget)

/* What a dragged card carries: a GPtrArray of the CoopCandidates it moves. */
typedef GPtrArray CoopCardSet;

GType              coop_card_set_get_type          (void) G_GNUC_CONST;

CoopPoolBoard     *coop_pool_board_new             (GListModel         *candidates,
                                                    gboolean            read_only);
void               coop_pool_board_set_openings    (CoopPoolBoard      *self,
                                                    int                 openings);
GtkSelectionModel *coop_pool_board_get_column      (CoopPoolBoard      *self,
                                                    CoopCandidateStage  stage);
GtkWidget         *coop_pool_board_get_column_widget (CoopPoolBoard    *self,
                                                    CoopCandidateStage  stage);
guint              coop_pool_board_get_closed_count (CoopPoolBoard     *self);
gboolean           coop_pool_board_get_closed_expanded (CoopPoolBoard  *self);
void               coop_pool_board_set_closed_expanded (CoopPoolBoard  *self,
                                                    gboolean            expanded);
GPtrArray         *coop_pool_board_dup_selected    (CoopPoolBoard      *self);
void               coop_pool_board_select          (CoopPoolBoard      *self,
                                                    GPtrArray          *candidates);
gboolean           coop_pool_board_focus_candidate (CoopPoolBoard      *self,
                                                    CoopCandidate      *candidate);
void               coop_pool_board_freeze          (CoopPoolBoard      *self);
void               coop_pool_board_thaw            (CoopPoolBoard      *self);
void               coop_pool_board_move            (CoopPoolBoard      *self,
                                                    GPtrArray          *candidates,
                                                    CoopCandidateStage  stage);

G_END_DECLS
