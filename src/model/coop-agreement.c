/* coop-agreement.c — a cooperation agreement between the school and a partner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-agreement"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-agreement.h"
#include "coop-partner.h"
#include "coop-department.h"

struct _CoopAgreement
{
  CoopRecord parent_instance;

  gint64 partner_id;
  gint64 department_id;
  char *title;
  int kind;
  int status;
  char *signed_on;
  char *starts_on;
  char *ends_on;
  char *school_signatory;
  char *partner_signatory;
  char *commitments;
  int intern_quota;
  char *document_path;
  char *plaque_on;
  char *notes;
  char *partner_name;
  char *department_name;
  char *pinyin_key;
  char *partner_pinyin_key;
  char *reminder_done_for;
  char *reminder_snoozed_until;
  int contract;
};

G_DEFINE_FINAL_TYPE (CoopAgreement, coop_agreement, COOP_TYPE_RECORD)

enum {
  FIELD_PARTNER_ID,
  FIELD_DEPARTMENT_ID,
  FIELD_TITLE,
  FIELD_KIND,
  FIELD_STATUS,
  FIELD_SIGNED_ON,
  FIELD_STARTS_ON,
  FIELD_ENDS_ON,
  FIELD_SCHOOL_SIGNATORY,
  FIELD_PARTNER_SIGNATORY,
  FIELD_COMMITMENTS,
  FIELD_INTERN_QUOTA,
  FIELD_DOCUMENT_PATH,
  FIELD_PLAQUE_ON,
  FIELD_NOTES,
  FIELD_PARTNER_NAME,
  FIELD_DEPARTMENT_NAME,
  FIELD_PINYIN_KEY,
  FIELD_PARTNER_PINYIN_KEY,
  FIELD_REMINDER_DONE_FOR,
  FIELD_REMINDER_SNOOZED_UNTIL,
  FIELD_CONTRACT,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_PARTNER_ID] = {
    .name = "partner-id", .label = N_("Partner"), .kind = COOP_FIELD_REF,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopAgreement, partner_id),
    .ref_type = coop_partner_get_type,
  },
  [FIELD_DEPARTMENT_ID] = {
    .name = "department-id", .label = N_("Department"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, department_id), .ref_type = coop_department_get_type,
  },
  [FIELD_TITLE] = {
    .name = "title", .label = N_("Title"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED | COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopAgreement, title),
  },
  [FIELD_KIND] = {
    .name = "kind", .label = N_("Kind"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, kind), .enum_type = coop_agreement_kind_get_type,
  },
  [FIELD_STATUS] = {
    .name = "status", .label = N_("Status"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, status), .enum_type = coop_agreement_status_get_type,
  },
  [FIELD_SIGNED_ON] = {
    .name = "signed-on", .label = N_("Signed on"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopAgreement, signed_on),
  },
  [FIELD_STARTS_ON] = {
    .name = "starts-on", .label = N_("Starts on"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopAgreement, starts_on),
  },
  [FIELD_ENDS_ON] = {
    .name = "ends-on", .label = N_("Ends on"), .kind = COOP_FIELD_DATE, .flags = COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopAgreement, ends_on), .not_before = "starts-on",
  },
  [FIELD_SCHOOL_SIGNATORY] = {
    .name = "school-signatory", .label = N_("School signatory"), .kind = COOP_FIELD_STRING,
    .flags = 0, .offset = G_STRUCT_OFFSET (CoopAgreement, school_signatory),
  },
  [FIELD_PARTNER_SIGNATORY] = {
    .name = "partner-signatory", .label = N_("Partner signatory"), .kind = COOP_FIELD_STRING,
    .flags = 0, .offset = G_STRUCT_OFFSET (CoopAgreement, partner_signatory),
  },
  [FIELD_COMMITMENTS] = {
    .name = "commitments", .label = N_("Commitments"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, commitments),
  },
  [FIELD_INTERN_QUOTA] = {
    .name = "intern-quota", .label = N_("Yearly intern quota"), .kind = COOP_FIELD_COUNT,
    .flags = 0, .offset = G_STRUCT_OFFSET (CoopAgreement, intern_quota),
  },
  [FIELD_DOCUMENT_PATH] = {
    .name = "document-path", .label = N_("Paper original kept at"), .kind = COOP_FIELD_STRING, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, document_path),
  },
  [FIELD_PLAQUE_ON] = {
    .name = "plaque-on", .label = N_("Plaque unveiled on"), .kind = COOP_FIELD_DATE, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, plaque_on),
  },
  [FIELD_NOTES] = {
    .name = "notes", .label = N_("Notes"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAgreement, notes),
  },
  [FIELD_PARTNER_NAME] = {
    .name = "partner-name", .label = N_("Partner"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopAgreement, partner_name),
  },
  [FIELD_DEPARTMENT_NAME] = {
    .name = "department-name", .label = N_("Department"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopAgreement, department_name),
  },
  [FIELD_PINYIN_KEY] = {
    .name = "pinyin-key", .kind = COOP_FIELD_TEXT, .flags = COOP_FIELD_PINYIN,
    .offset = G_STRUCT_OFFSET (CoopAgreement, pinyin_key),
  },
  [FIELD_PARTNER_PINYIN_KEY] = {
    .name = "partner-pinyin-key", .kind = COOP_FIELD_TEXT,
    .flags = COOP_FIELD_PINYIN | COOP_FIELD_DERIVED,
    .offset = G_STRUCT_OFFSET (CoopAgreement, partner_pinyin_key),
  },
  [FIELD_REMINDER_DONE_FOR] = {
    .name = "reminder-done-for", .label = N_("Reminder done for"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_HIDDEN, .offset = G_STRUCT_OFFSET (CoopAgreement, reminder_done_for),
  },
  [FIELD_REMINDER_SNOOZED_UNTIL] = {
    .name = "reminder-snoozed-until", .label = N_("Reminder snoozed until"),
    .kind = COOP_FIELD_DATE, .flags = COOP_FIELD_HIDDEN,
    .offset = G_STRUCT_OFFSET (CoopAgreement, reminder_snoozed_until),
  },
  [FIELD_CONTRACT] = {
    .name = "contract", .label = N_("Contract"), .kind = COOP_FIELD_ENUM,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopAgreement, contract),
    .enum_type = coop_contract_state_get_type,
  },
};

static void
coop_agreement_class_init (CoopAgreementClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Agreement"), "title");
}

static void
coop_agreement_init (CoopAgreement *self)
{
}

CoopAgreement *
coop_agreement_new (void)
{
  return g_object_new (COOP_TYPE_AGREEMENT, NULL);
}

COOP_DEFINE_REF_ACCESSORS (CoopAgreement, coop_agreement, partner_id, FIELD_PARTNER_ID)
COOP_DEFINE_REF_ACCESSORS (CoopAgreement, coop_agreement, department_id, FIELD_DEPARTMENT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, title, FIELD_TITLE)
COOP_DEFINE_INT_ACCESSORS (CoopAgreement, coop_agreement, kind, CoopAgreementKind, FIELD_KIND)
COOP_DEFINE_INT_ACCESSORS (CoopAgreement, coop_agreement, status, CoopAgreementStatus, FIELD_STATUS)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, signed_on, FIELD_SIGNED_ON)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, starts_on, FIELD_STARTS_ON)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, ends_on, FIELD_ENDS_ON)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, school_signatory,
                              FIELD_SCHOOL_SIGNATORY)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, partner_signatory,
                              FIELD_PARTNER_SIGNATORY)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, commitments, FIELD_COMMITMENTS)
COOP_DEFINE_INT_ACCESSORS (CoopAgreement, coop_agreement, intern_quota, int, FIELD_INTERN_QUOTA)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, document_path, FIELD_DOCUMENT_PATH)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, plaque_on, FIELD_PLAQUE_ON)
COOP_DEFINE_STRING_ACCESSORS (CoopAgreement, coop_agreement, notes, FIELD_NOTES)
COOP_DEFINE_DERIVED_GETTER (CoopAgreement, coop_agreement, partner_name)
COOP_DEFINE_DERIVED_GETTER (CoopAgreement, coop_agreement, department_name)

/**
 * coop_agreement_get_contract:
 *
 * Returns: whether the agreement, once signed, has its signed contract
 *   attached, as the store last read it
 */
CoopContractState
coop_agreement_get_contract (CoopAgreement *self)
{
  g_return_val_if_fail (COOP_IS_AGREEMENT (self), COOP_CONTRACT_STATE_NOT_SIGNED);
  return (CoopContractState) self->contract;
}
