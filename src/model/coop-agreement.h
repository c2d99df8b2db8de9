/* coop-agreement.h — a cooperation agreement between the school and a partner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_AGREEMENT (coop_agreement_get_type ())

G_DECLARE_FINAL_TYPE (CoopAgreement, coop_agreement, COOP, AGREEMENT, CoopRecord)

CoopAgreement *coop_agreement_new (void);

gint64 coop_agreement_get_partner_id (CoopAgreement *self);
void coop_agreement_set_partner_id (CoopAgreement *self, gint64 value);
gint64 coop_agreement_get_department_id (CoopAgreement *self);
void coop_agreement_set_department_id (CoopAgreement *self, gint64 value);
const char *coop_agreement_get_title (CoopAgreement *self);
void coop_agreement_set_title (CoopAgreement *self, const char *value);
CoopAgreementKind coop_agreement_get_kind (CoopAgreement *self);
void coop_agreement_set_kind (CoopAgreement *self, CoopAgreementKind value);
CoopAgreementStatus coop_agreement_get_status (CoopAgreement *self);
void coop_agreement_set_status (CoopAgreement *self, CoopAgreementStatus value);
const char *coop_agreement_get_signed_on (CoopAgreement *self);
void coop_agreement_set_signed_on (CoopAgreement *self, const char *value);
const char *coop_agreement_get_starts_on (CoopAgreement *self);
void coop_agreement_set_starts_on (CoopAgreement *self, const char *value);
const char *coop_agreement_get_ends_on (CoopAgreement *self);
void coop_agreement_set_ends_on (CoopAgreement *self, const char *value);
const char *coop_agreement_get_school_signatory (CoopAgreement *self);
void coop_agreement_set_school_signatory (CoopAgreement *self, const char *value);
const char *coop_agreement_get_partner_signatory (CoopAgreement *self);
void coop_agreement_set_partner_signatory (CoopAgreement *self, const char *value);
const char *coop_agreement_get_commitments (CoopAgreement *self);
void coop_agreement_set_commitments (CoopAgreement *self, const char *value);
int coop_agreement_get_intern_quota (CoopAgreement *self);
void coop_agreement_set_intern_quota (CoopAgreement *self, int value);
const char *coop_agreement_get_document_path (CoopAgreement *self);
void coop_agreement_set_document_path (CoopAgreement *self, const char *value);
const char *coop_agreement_get_plaque_on (CoopAgreement *self);
void coop_agreement_set_plaque_on (CoopAgreement *self, const char *value);
const char *coop_agreement_get_notes (CoopAgreement *self);
void coop_agreement_set_notes (CoopAgreement *self, const char *value);
const char *coop_agreement_get_partner_name (CoopAgreement *self);
const char *coop_agreement_get_department_name (CoopAgreement *self);
CoopContractState coop_agreement_get_contract (CoopAgreement *self);

G_END_DECLS
