/* coop-types.h — forward declarations and the public enums of the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CoopRecord      CoopRecord;
typedef struct _CoopPartner     CoopPartner;
typedef struct _CoopContact     CoopContact;
typedef struct _CoopDepartment  CoopDepartment;
typedef struct _CoopAgreement   CoopAgreement;
typedef struct _CoopEvent       CoopEvent;
typedef struct _CoopAttendee    CoopAttendee;
typedef struct _CoopStudent     CoopStudent;
typedef struct _CoopPool        CoopPool;
typedef struct _CoopCandidate   CoopCandidate;
typedef struct _CoopStageChange CoopStageChange;
typedef struct _CoopAttachment  CoopAttachment;
typedef struct _CoopStore       CoopStore;

/* The values are stored in the database by their nick, so a value may be
 * appended but never renamed. */

typedef enum {
  COOP_PARTNER_STATUS_PROSPECT,
  COOP_PARTNER_STATUS_ACTIVE,
  COOP_PARTNER_STATUS_DORMANT,
} CoopPartnerStatus;

typedef enum {
  COOP_AGREEMENT_KIND_PRACTICE_BASE,
  COOP_AGREEMENT_KIND_INTERNSHIP_BASE,
  COOP_AGREEMENT_KIND_EMPLOYMENT_BASE,
  COOP_AGREEMENT_KIND_JOINT_TRAINING,
  COOP_AGREEMENT_KIND_INDUSTRY_PROJECT,
  COOP_AGREEMENT_KIND_OTHER,
} CoopAgreementKind;

typedef enum {
  COOP_AGREEMENT_STATUS_DRAFT,
  COOP_AGREEMENT_STATUS_NEGOTIATING,
  COOP_AGREEMENT_STATUS_SIGNED,
  COOP_AGREEMENT_STATUS_ACTIVE,
  COOP_AGREEMENT_STATUS_EXPIRED,
  COOP_AGREEMENT_STATUS_TERMINATED,
} CoopAgreementStatus;

typedef enum {
  COOP_EVENT_KIND_VISIT,
  COOP_EVENT_KIND_RECOMMENDATION_MEETING,
  COOP_EVENT_KIND_JOB_FAIR,
  COOP_EVENT_KIND_SIGNING_CEREMONY,
  COOP_EVENT_KIND_SEMINAR,
  COOP_EVENT_KIND_OTHER,
} CoopEventKind;

typedef enum {
  COOP_ATTENDEE_ROLE_HOST,
  COOP_ATTENDEE_ROLE_GUEST,
  COOP_ATTENDEE_ROLE_SPEAKER,
  COOP_ATTENDEE_ROLE_PARTICIPANT,
} CoopAttendeeRole;

typedef enum {
  COOP_GENDER_UNKNOWN,
  COOP_GENDER_MALE,
  COOP_GENDER_FEMALE,
} CoopGender;

typedef enum {
  COOP_POOL_KIND_INTERNSHIP,
  COOP_POOL_KIND_EMPLOYMENT,
} CoopPoolKind;

typedef enum {
  COOP_POOL_STATUS_OPEN,
  COOP_POOL_STATUS_CLOSED,
} CoopPoolStatus;

typedef enum {
  COOP_CANDIDATE_STAGE_RECOMMENDED,
  COOP_CANDIDATE_STAGE_APPLIED,
  COOP_CANDIDATE_STAGE_INTERVIEWING,
  COOP_CANDIDATE_STAGE_OFFERED,
  COOP_CANDIDATE_STAGE_INTERNING,
  COOP_CANDIDATE_STAGE_HIRED,
  COOP_CANDIDATE_STAGE_DECLINED,
  COOP_CANDIDATE_STAGE_REJECTED,
  COOP_CANDIDATE_STAGE_WITHDRAWN,
} CoopCandidateStage;

/* What an attached file is: an agreement's signed contract is what the
 * agreements list looks for. */
typedef enum {
  COOP_ATTACHMENT_KIND_CONTRACT,
  COOP_ATTACHMENT_KIND_PHOTO,
  COOP_ATTACHMENT_KIND_SIGN_IN_SHEET,
  COOP_ATTACHMENT_KIND_OTHER,
} CoopAttachmentKind;

/* Whether a signed agreement has its signed contract attached. */
typedef enum {
  COOP_CONTRACT_STATE_NOT_SIGNED,
  COOP_CONTRACT_STATE_ATTACHED,
  COOP_CONTRACT_STATE_MISSING,
} CoopContractState;

/* What a store write did, as recorded in the change log. */
typedef enum {
  COOP_CHANGE_INSERT,
  COOP_CHANGE_UPDATE,
  COOP_CHANGE_DELETE,
  COOP_CHANGE_IMPORT,  /* one line for a whole import of many records */
} CoopChangeAction;

const char *coop_enum_get_label (GType enum_type,
                                 int   value);
const char *coop_enum_get_nick  (GType enum_type,
                                 int   value);
gboolean    coop_enum_from_nick (GType       enum_type,
                                 const char *nick,
                                 int        *value);

G_END_DECLS
