/* coop-event.h — a visit, meeting, job fair or ceremony
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_EVENT (coop_event_get_type ())

G_DECLARE_FINAL_TYPE (CoopEvent, coop_event, COOP, EVENT, CoopRecord)

CoopEvent *coop_event_new (void);

CoopEventKind coop_event_get_kind (CoopEvent *self);
void coop_event_set_kind (CoopEvent *self, CoopEventKind value);
const char *coop_event_get_title (CoopEvent *self);
void coop_event_set_title (CoopEvent *self, const char *value);
const char *coop_event_get_starts_at (CoopEvent *self);
void coop_event_set_starts_at (CoopEvent *self, const char *value);
const char *coop_event_get_location (CoopEvent *self);
void coop_event_set_location (CoopEvent *self, const char *value);
gint64 coop_event_get_partner_id (CoopEvent *self);
void coop_event_set_partner_id (CoopEvent *self, gint64 value);
gint64 coop_event_get_agreement_id (CoopEvent *self);
void coop_event_set_agreement_id (CoopEvent *self, gint64 value);
const char *coop_event_get_chair (CoopEvent *self);
void coop_event_set_chair (CoopEvent *self, const char *value);
int coop_event_get_students_attending (CoopEvent *self);
void coop_event_set_students_attending (CoopEvent *self, int value);
const char *coop_event_get_summary (CoopEvent *self);
void coop_event_set_summary (CoopEvent *self, const char *value);
const char *coop_event_get_outcomes (CoopEvent *self);
void coop_event_set_outcomes (CoopEvent *self, const char *value);
const char *coop_event_get_follow_up_on (CoopEvent *self);
void coop_event_set_follow_up_on (CoopEvent *self, const char *value);
const char *coop_event_get_partner_name (CoopEvent *self);
const char *coop_event_get_agreement_title (CoopEvent *self);
GListModel *coop_event_get_attendees (CoopEvent *self);

G_END_DECLS
