/* coop-partner.h — a partner enterprise
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_PARTNER (coop_partner_get_type ())

G_DECLARE_FINAL_TYPE (CoopPartner, coop_partner, COOP, PARTNER, CoopRecord)

CoopPartner *coop_partner_new (void);

const char *coop_partner_get_name (CoopPartner *self);
void coop_partner_set_name (CoopPartner *self, const char *value);
const char *coop_partner_get_short_name (CoopPartner *self);
void coop_partner_set_short_name (CoopPartner *self, const char *value);
const char *coop_partner_get_credit_code (CoopPartner *self);
void coop_partner_set_credit_code (CoopPartner *self, const char *value);
const char *coop_partner_get_industry (CoopPartner *self);
void coop_partner_set_industry (CoopPartner *self, const char *value);
const char *coop_partner_get_city (CoopPartner *self);
void coop_partner_set_city (CoopPartner *self, const char *value);
const char *coop_partner_get_address (CoopPartner *self);
void coop_partner_set_address (CoopPartner *self, const char *value);
const char *coop_partner_get_website (CoopPartner *self);
void coop_partner_set_website (CoopPartner *self, const char *value);
CoopPartnerStatus coop_partner_get_status (CoopPartner *self);
void coop_partner_set_status (CoopPartner *self, CoopPartnerStatus value);
const char *coop_partner_get_notes (CoopPartner *self);
void coop_partner_set_notes (CoopPartner *self, const char *value);

G_END_DECLS
