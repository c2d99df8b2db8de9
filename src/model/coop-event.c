/* coop-event.c — a visit, meeting, job fair or ceremony
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-event"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-event.h"
#include "coop-attendee.h"
#include "coop-partner.h"
#include "coop-agreement.h"

struct _CoopEvent
{
  CoopRecord parent_instance;

  int kind;
  char *title;
  char *starts_at;
  char *location;
  gint64 partner_id;
  gint64 agreement_id;
  char *chair;
  int students_attending;
  char *summary;
  char *outcomes;
  char *follow_up_on;
  char *partner_name;
  char *agreement_title;

  GListStore *attendees;
  char *pinyin_key;
  char *partner_pinyin_key;
  char *reminder_done_for;
  char *reminder_snoozed_until;
};

G_DEFINE_FINAL_TYPE (CoopEvent, coop_event, COOP_TYPE_RECORD)

enum {
  FIELD_KIND,
  FIELD_TITLE,
  FIELD_STARTS_AT,
  FIELD_LOCATION,
  FIELD_PARTNER_ID,
  FIELD_AGREEMENT_ID,
  FIELD_CHAIR,
  FIELD_STUDENTS_ATTENDING,
  FIELD_SUMMARY,
  FIELD_OUTCOMES,
  FIELD_FOLLOW_UP_ON,
  FIELD_PARTNER_NAME,
  FIELD_AGREEMENT_TITLE,
  FIELD_PINYIN_KEY,
  FIELD_PARTNER_PINYIN_KEY,
  FIELD_REMINDER_DONE_FOR,
  FIELD_REMINDER_SNOOZED_UNTIL,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_KIND] = {
    .name = "kind", .label = N_("Kind"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopEvent, kind), .enum_type = coop_event_kind_get_type,
  },
  [FIELD_TITLE] = {
    .name = "title", .label = N_("Title"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED | COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopEvent, title),
  },
  [FIELD_STARTS_AT] = {
    .name = "starts-at", .label = N_("Starts at"), .kind = COOP_FIELD_DATETIME,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopEvent, starts_at),
  },
  [FIELD_LOCATION] = {
    .name = "location", .label = N_("Location"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopEvent, location),
  },
  [FIELD_PARTNER_ID] = {
    .name = "partner-id", .label = N_("Partner"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopEvent, partner_id), .ref_type = coop_partner_get_type,
  },
  [FIELD_AGREEMENT_ID] = {
    .name = "agreement-id", .label = N_("Agreement"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopEvent, agreement_id), .ref_type = coop_agreement_get_type,
  },
  [FIELD_CHAIR] = {
    .name = "chair", .label = N_("Chair"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopEvent, chair),
  },
  [FIELD_STUDENTS_ATTENDING] = {
    .name = "students-attending", .label = N_("Students attending"), .kind = COOP_FIELD_COUNT,
    .flags = 0, .offset = G_STRUCT_OFFSET (CoopEvent, students_attending),
  },
  [FIELD_SUMMARY] = {
    .name = "summary", .label = N_("Summary"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopEvent, summary),
  },
  [FIELD_OUTCOMES] = {
    .name = "outcomes", .label = N_("Outcomes"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopEvent, outcomes),
  },
  [FIELD_FOLLOW_UP_ON] = {
    .name = "follow-up-on", .label = N_("Follow up on"), .kind = COOP_FIELD_DATE, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopEvent, follow_up_on),
  },
  [FIELD_PARTNER_NAME] = {
    .name = "partner-name", .label = N_("Partner"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopEvent, partner_name),
  },
  [FIELD_AGREEMENT_TITLE] = {
    .name = "agreement-title", .label = N_("Agreement"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopEvent, agreement_title),
  },
  [FIELD_PINYIN_KEY] = {
    .name = "pinyin-key", .kind = COOP_FIELD_TEXT, .flags = COOP_FIELD_PINYIN,
    .offset = G_STRUCT_OFFSET (CoopEvent, pinyin_key),
  },
  [FIELD_PARTNER_PINYIN_KEY] = {
    .name = "partner-pinyin-key", .kind = COOP_FIELD_TEXT,
    .flags = COOP_FIELD_PINYIN | COOP_FIELD_DERIVED,
    .offset = G_STRUCT_OFFSET (CoopEvent, partner_pinyin_key),
  },
  [FIELD_REMINDER_DONE_FOR] = {
    .name = "reminder-done-for", .label = N_("Reminder done for"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_HIDDEN, .offset = G_STRUCT_OFFSET (CoopEvent, reminder_done_for),
  },
  [FIELD_REMINDER_SNOOZED_UNTIL] = {
    .name = "reminder-snoozed-until", .label = N_("Reminder snoozed until"),
    .kind = COOP_FIELD_DATE, .flags = COOP_FIELD_HIDDEN,
    .offset = G_STRUCT_OFFSET (CoopEvent, reminder_snoozed_until),
  },
};

static void
coop_event_copy_children (CoopRecord *dest,
                          CoopRecord *src)
{
  CoopEvent *self = COOP_EVENT (dest);
  GListModel *from = G_LIST_MODEL (COOP_EVENT (src)->attendees);
  guint n = g_list_model_get_n_items (from);
  g_autoptr(GPtrArray) copies = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CoopRecord) attendee = g_list_model_get_item (from, i);
      g_ptr_array_add (copies, coop_record_copy (attendee));
    }

  g_list_store_splice (self->attendees, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->attendees)),
                       copies->pdata, copies->len);
}

static void
coop_event_dispose (GObject *object)
{
  CoopEvent *self = COOP_EVENT (object);

  g_clear_object (&self->attendees);

  G_OBJECT_CLASS (coop_event_parent_class)->dispose (object);
}

static void
coop_event_class_init (CoopEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CoopRecordClass *record_class = COOP_RECORD_CLASS (klass);

  object_class->dispose = coop_event_dispose;
  record_class->copy_children = coop_event_copy_children;

  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Event"), "title");
}

static void
coop_event_init (CoopEvent *self)
{
  self->attendees = g_list_store_new (COOP_TYPE_ATTENDEE);
}

CoopEvent *
coop_event_new (void)
{
  return g_object_new (COOP_TYPE_EVENT, NULL);
}

/**
 * coop_event_get_attendees:
 * @self: a #CoopEvent
 *
 * The people who attended, in the order they were entered.  Change the list
 * of a copy and save the event to store it.
 *
 * Returns: (transfer none): a #GListStore of #CoopAttendee
 */
GListModel *
coop_event_get_attendees (CoopEvent *self)
{
  g_return_val_if_fail (COOP_IS_EVENT (self), NULL);

  return G_LIST_MODEL (self->attendees);
}

COOP_DEFINE_INT_ACCESSORS (CoopEvent, coop_event, kind, CoopEventKind, FIELD_KIND)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, title, FIELD_TITLE)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, starts_at, FIELD_STARTS_AT)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, location, FIELD_LOCATION)
COOP_DEFINE_REF_ACCESSORS (CoopEvent, coop_event, partner_id, FIELD_PARTNER_ID)
COOP_DEFINE_REF_ACCESSORS (CoopEvent, coop_event, agreement_id, FIELD_AGREEMENT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, chair, FIELD_CHAIR)
COOP_DEFINE_INT_ACCESSORS (CoopEvent, coop_event, students_attending, int, FIELD_STUDENTS_ATTENDING)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, summary, FIELD_SUMMARY)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, outcomes, FIELD_OUTCOMES)
COOP_DEFINE_STRING_ACCESSORS (CoopEvent, coop_event, follow_up_on, FIELD_FOLLOW_UP_ON)
COOP_DEFINE_DERIVED_GETTER (CoopEvent, coop_event, partner_name)
COOP_DEFINE_DERIVED_GETTER (CoopEvent, coop_event, agreement_title)
