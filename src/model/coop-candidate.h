/* coop-candidate.h — a student in a recommendation pool, at a stage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_CANDIDATE (coop_candidate_get_type ())

G_DECLARE_FINAL_TYPE (CoopCandidate, coop_candidate, COOP, CANDIDATE, CoopRecord)

CoopCandidate *coop_candidate_new (void);

gint64 coop_candidate_get_pool_id (CoopCandidate *self);
void coop_candidate_set_pool_id (CoopCandidate *self, gint64 value);
gint64 coop_candidate_get_student_id (CoopCandidate *self);
void coop_candidate_set_student_id (CoopCandidate *self, gint64 value);
CoopCandidateStage coop_candidate_get_stage (CoopCandidate *self);
void coop_candidate_set_stage (CoopCandidate *self, CoopCandidateStage value);
const char *coop_candidate_get_stage_on (CoopCandidate *self);
void coop_candidate_set_stage_on (CoopCandidate *self, const char *value);
const char *coop_candidate_get_notes (CoopCandidate *self);
void coop_candidate_set_notes (CoopCandidate *self, const char *value);
const char *coop_candidate_get_student_number (CoopCandidate *self);
const char *coop_candidate_get_student_name (CoopCandidate *self);
const char *coop_candidate_get_department_name (CoopCandidate *self);
const char *coop_candidate_get_major (CoopCandidate *self);
const char *coop_candidate_get_class_name (CoopCandidate *self);
const char *coop_candidate_get_pool_title (CoopCandidate *self);
gint64 coop_candidate_get_partner_id (CoopCandidate *self);
const char *coop_candidate_get_partner_name (CoopCandidate *self);

G_END_DECLS
