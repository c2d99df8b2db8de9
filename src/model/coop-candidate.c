/* coop-candidate.c — a student in a recommendation pool, at a stage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-candidate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-candidate.h"
#include "coop-pool.h"
#include "coop-student.h"
#include "coop-partner.h"

struct _CoopCandidate
{
  CoopRecord parent_instance;

  gint64 pool_id;
  gint64 student_id;
  int stage;
  char *stage_on;
  char *notes;
  char *student_number;
  char *student_name;
  char *department_name;
  char *major;
  char *class_name;
  char *pool_title;
  gint64 partner_id;
  char *partner_name;
  char *student_pinyin_key;
  char *reminder_done_for;
  char *reminder_snoozed_until;
};

G_DEFINE_FINAL_TYPE (CoopCandidate, coop_candidate, COOP_TYPE_RECORD)

enum {
  FIELD_POOL_ID,
  FIELD_STUDENT_ID,
  FIELD_STAGE,
  FIELD_STAGE_ON,
  FIELD_NOTES,
  FIELD_STUDENT_NUMBER,
  FIELD_STUDENT_NAME,
  FIELD_DEPARTMENT_NAME,
  FIELD_MAJOR,
  FIELD_CLASS_NAME,
  FIELD_POOL_TITLE,
  FIELD_PARTNER_ID,
  FIELD_PARTNER_NAME,
  FIELD_STUDENT_PINYIN_KEY,
  FIELD_REMINDER_DONE_FOR,
  FIELD_REMINDER_SNOOZED_UNTIL,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_POOL_ID] = {
    .name = "pool-id", .label = N_("Pool"), .kind = COOP_FIELD_REF, .flags = COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopCandidate, pool_id), .ref_type = coop_pool_get_type,
  },
  [FIELD_STUDENT_ID] = {
    .name = "student-id", .label = N_("Student"), .kind = COOP_FIELD_REF,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopCandidate, student_id),
    .ref_type = coop_student_get_type,
  },
  [FIELD_STAGE] = {
    .name = "stage", .label = N_("Stage"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopCandidate, stage), .enum_type = coop_candidate_stage_get_type,
  },
  [FIELD_STAGE_ON] = {
    .name = "stage-on", .label = N_("Stage since"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopCandidate, stage_on),
  },
  [FIELD_NOTES] = {
    .name = "notes", .label = N_("Notes"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopCandidate, notes),
  },
  [FIELD_STUDENT_NUMBER] = {
    .name = "student-number", .label = N_("Student number"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, student_number),
  },
  [FIELD_STUDENT_NAME] = {
    .name = "student-name", .label = N_("Student"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, student_name),
  },
  [FIELD_DEPARTMENT_NAME] = {
    .name = "department-name", .label = N_("Department"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, department_name),
  },
  [FIELD_MAJOR] = {
    .name = "major", .label = N_("Major"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_DERIVED,
    .offset = G_STRUCT_OFFSET (CoopCandidate, major),
  },
  [FIELD_CLASS_NAME] = {
    .name = "class-name", .label = N_("Class"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, class_name),
  },
  [FIELD_POOL_TITLE] = {
    .name = "pool-title", .label = N_("Pool"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, pool_title),
  },
  [FIELD_PARTNER_ID] = {
    .name = "partner-id", .label = N_("Partner"), .kind = COOP_FIELD_REF,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, partner_id),
    .ref_type = coop_partner_get_type,
  },
  [FIELD_PARTNER_NAME] = {
    .name = "partner-name", .label = N_("Partner"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopCandidate, partner_name),
  },
  [FIELD_STUDENT_PINYIN_KEY] = {
    .name = "student-pinyin-key", .kind = COOP_FIELD_TEXT,
    .flags = COOP_FIELD_PINYIN | COOP_FIELD_DERIVED,
    .offset = G_STRUCT_OFFSET (CoopCandidate, student_pinyin_key),
  },
  [FIELD_REMINDER_DONE_FOR] = {
    .name = "reminder-done-for", .label = N_("Reminder done for"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_HIDDEN, .offset = G_STRUCT_OFFSET (CoopCandidate, reminder_done_for),
  },
  [FIELD_REMINDER_SNOOZED_UNTIL] = {
    .name = "reminder-snoozed-until", .label = N_("Reminder snoozed until"),
    .kind = COOP_FIELD_DATE, .flags = COOP_FIELD_HIDDEN,
    .offset = G_STRUCT_OFFSET (CoopCandidate, reminder_snoozed_until),
  },
};

static void
coop_candidate_class_init (CoopCandidateClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Candidate"), "student-name");
}

static void
coop_candidate_init (CoopCandidate *self)
{
}

CoopCandidate *
coop_candidate_new (void)
{
  return g_object_new (COOP_TYPE_CANDIDATE, NULL);
}

COOP_DEFINE_REF_ACCESSORS (CoopCandidate, coop_candidate, pool_id, FIELD_POOL_ID)
COOP_DEFINE_REF_ACCESSORS (CoopCandidate, coop_candidate, student_id, FIELD_STUDENT_ID)
COOP_DEFINE_INT_ACCESSORS (CoopCandidate, coop_candidate, stage, CoopCandidateStage, FIELD_STAGE)
COOP_DEFINE_STRING_ACCESSORS (CoopCandidate, coop_candidate, stage_on, FIELD_STAGE_ON)
COOP_DEFINE_STRING_ACCESSORS (CoopCandidate, coop_candidate, notes, FIELD_NOTES)
COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, student_number)
COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, student_name)
COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, department_name)
COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, major)
COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, class_name)
COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, pool_title)
gint64
coop_candidate_get_partner_id (CoopCandidate *self)
{
  return self->partner_id;
}

COOP_DEFINE_DERIVED_GETTER (CoopCandidate, coop_candidate, partner_name)
