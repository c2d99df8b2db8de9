/* coop-attendee.h — a person who attended an event, with their role
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_ATTENDEE (coop_attendee_get_type ())

G_DECLARE_FINAL_TYPE (CoopAttendee, coop_attendee, COOP, ATTENDEE, CoopRecord)

CoopAttendee *coop_attendee_new (void);

gint64 coop_attendee_get_event_id (CoopAttendee *self);
void coop_attendee_set_event_id (CoopAttendee *self, gint64 value);
gint64 coop_attendee_get_contact_id (CoopAttendee *self);
void coop_attendee_set_contact_id (CoopAttendee *self, gint64 value);
const char *coop_attendee_get_name (CoopAttendee *self);
void coop_attendee_set_name (CoopAttendee *self, const char *value);
const char *coop_attendee_get_title (CoopAttendee *self);
void coop_attendee_set_title (CoopAttendee *self, const char *value);
const char *coop_attendee_get_organization (CoopAttendee *self);
void coop_attendee_set_organization (CoopAttendee *self, const char *value);
CoopAttendeeRole coop_attendee_get_role (CoopAttendee *self);
void coop_attendee_set_role (CoopAttendee *self, CoopAttendeeRole value);

G_END_DECLS
