/* coop-attendee.c — a person who attended an event, with their role
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-attendee"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-attendee.h"
#include "coop-event.h"
#include "coop-contact.h"

struct _CoopAttendee
{
  CoopRecord parent_instance;

  gint64 event_id;
  gint64 contact_id;
  char *name;
  char *title;
  char *organization;
  int role;
};

G_DEFINE_FINAL_TYPE (CoopAttendee, coop_attendee, COOP_TYPE_RECORD)

enum {
  FIELD_EVENT_ID,
  FIELD_CONTACT_ID,
  FIELD_NAME,
  FIELD_TITLE,
  FIELD_ORGANIZATION,
  FIELD_ROLE,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_EVENT_ID] = {
    .name = "event-id", .label = N_("Event"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAttendee, event_id), .ref_type = coop_event_get_type,
  },
  [FIELD_CONTACT_ID] = {
    .name = "contact-id", .label = N_("Contact"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAttendee, contact_id), .ref_type = coop_contact_get_type,
  },
  [FIELD_NAME] = {
    .name = "name", .label = N_("Name"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopAttendee, name),
  },
  [FIELD_TITLE] = {
    .name = "title", .label = N_("Job title"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopAttendee, title),
  },
  [FIELD_ORGANIZATION] = {
    .name = "organization", .label = N_("Organization"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopAttendee, organization),
  },
  [FIELD_ROLE] = {
    .name = "role", .label = N_("Role"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopAttendee, role), .enum_type = coop_attendee_role_get_type,
  },
};

static void
coop_attendee_class_init (CoopAttendeeClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Attendee"), "name");
}

static void
coop_attendee_init (CoopAttendee *self)
{
}

CoopAttendee *
coop_attendee_new (void)
{
  return g_object_new (COOP_TYPE_ATTENDEE, NULL);
}

COOP_DEFINE_REF_ACCESSORS (CoopAttendee, coop_attendee, event_id, FIELD_EVENT_ID)
COOP_DEFINE_REF_ACCESSORS (CoopAttendee, coop_attendee, contact_id, FIELD_CONTACT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopAttendee, coop_attendee, name, FIELD_NAME)
COOP_DEFINE_STRING_ACCESSORS (CoopAttendee, coop_attendee, title, FIELD_TITLE)
COOP_DEFINE_STRING_ACCESSORS (CoopAttendee, coop_attendee, organization, FIELD_ORGANIZATION)
COOP_DEFINE_INT_ACCESSORS (CoopAttendee, coop_attendee, role, CoopAttendeeRole, FIELD_ROLE)
