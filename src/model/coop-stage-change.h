/* coop-stage-change.h — one step in a candidate's history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_STAGE_CHANGE (coop_stage_change_get_type ())

G_DECLARE_FINAL_TYPE (CoopStageChange, coop_stage_change, COOP, STAGE_CHANGE, CoopRecord)

CoopStageChange *coop_stage_change_new (void);

gint64 coop_stage_change_get_candidate_id (CoopStageChange *self);
void coop_stage_change_set_candidate_id (CoopStageChange *self, gint64 value);
CoopCandidateStage coop_stage_change_get_stage (CoopStageChange *self);
void coop_stage_change_set_stage (CoopStageChange *self, CoopCandidateStage value);
const char *coop_stage_change_get_changed_on (CoopStageChange *self);
void coop_stage_change_set_changed_on (CoopStageChange *self, const char *value);

G_END_DECLS
