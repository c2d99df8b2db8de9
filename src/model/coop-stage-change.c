/* coop-stage-change.c — one step in a candidate's history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-stage-change"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-stage-change.h"
#include "coop-candidate.h"

struct _CoopStageChange
{
  CoopRecord parent_instance;

  gint64 candidate_id;
  int stage;
  char *changed_on;
};

G_DEFINE_FINAL_TYPE (CoopStageChange, coop_stage_change, COOP_TYPE_RECORD)

enum {
  FIELD_CANDIDATE_ID,
  FIELD_STAGE,
  FIELD_CHANGED_ON,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_CANDIDATE_ID] = {
    .name = "candidate-id", .label = N_("Candidate"), .kind = COOP_FIELD_REF,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopStageChange, candidate_id),
    .ref_type = coop_candidate_get_type,
  },
  [FIELD_STAGE] = {
    .name = "stage", .label = N_("Stage"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStageChange, stage), .enum_type = coop_candidate_stage_get_type,
  },
  [FIELD_CHANGED_ON] = {
    .name = "changed-on", .label = N_("Changed on"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_REQUIRED | COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopStageChange, changed_on),
  },
};

static void
coop_stage_change_class_init (CoopStageChangeClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Stage change"), "changed-on");
}

static void
coop_stage_change_init (CoopStageChange *self)
{
}

CoopStageChange *
coop_stage_change_new (void)
{
  return g_object_new (COOP_TYPE_STAGE_CHANGE, NULL);
}

COOP_DEFINE_REF_ACCESSORS (CoopStageChange, coop_stage_change, candidate_id, FIELD_CANDIDATE_ID)
COOP_DEFINE_INT_ACCESSORS (CoopStageChange, coop_stage_change, stage, CoopCandidateStage, FIELD_STAGE)
COOP_DEFINE_STRING_ACCESSORS (CoopStageChange, coop_stage_change, changed_on, FIELD_CHANGED_ON)
