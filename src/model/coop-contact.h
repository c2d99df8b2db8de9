/* coop-contact.h — a person at a partner, or on the school side when it has no partner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_CONTACT (coop_contact_get_type ())

G_DECLARE_FINAL_TYPE (CoopContact, coop_contact, COOP, CONTACT, CoopRecord)

CoopContact *coop_contact_new (void);

const char *coop_contact_get_name (CoopContact *self);
void coop_contact_set_name (CoopContact *self, const char *value);
const char *coop_contact_get_title (CoopContact *self);
void coop_contact_set_title (CoopContact *self, const char *value);
gint64 coop_contact_get_partner_id (CoopContact *self);
void coop_contact_set_partner_id (CoopContact *self, gint64 value);
gint64 coop_contact_get_department_id (CoopContact *self);
void coop_contact_set_department_id (CoopContact *self, gint64 value);
const char *coop_contact_get_phone (CoopContact *self);
void coop_contact_set_phone (CoopContact *self, const char *value);
const char *coop_contact_get_email (CoopContact *self);
void coop_contact_set_email (CoopContact *self, const char *value);
const char *coop_contact_get_notes (CoopContact *self);
void coop_contact_set_notes (CoopContact *self, const char *value);
const char *coop_contact_get_partner_name (CoopContact *self);
const char *coop_contact_get_department_name (CoopContact *self);

G_END_DECLS
