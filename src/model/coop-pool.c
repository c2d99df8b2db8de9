/* coop-pool.c — a list of students recommended to a partner for internships or jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-pool"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-pool.h"
#include "coop-partner.h"
#include "coop-agreement.h"
#include "coop-event.h"

struct _CoopPool
{
  CoopRecord parent_instance;

  gint64 partner_id;
  gint64 agreement_id;
  gint64 event_id;
  char *title;
  char *position;
  int kind;
  int openings;
  int status;
  char *opened_on;
  char *closes_on;
  char *partner_name;
  char *agreement_title;
  char *event_title;
  int candidate_count;
  int filled_count;
  char *pinyin_key;
  char *partner_pinyin_key;
  char *reminder_done_for;
  char *reminder_snoozed_until;
};

G_DEFINE_FINAL_TYPE (CoopPool, coop_pool, COOP_TYPE_RECORD)

enum {
  FIELD_PARTNER_ID,
  FIELD_AGREEMENT_ID,
  FIELD_EVENT_ID,
  FIELD_TITLE,
  FIELD_POSITION,
  FIELD_KIND,
  FIELD_OPENINGS,
  FIELD_STATUS,
  FIELD_OPENED_ON,
  FIELD_CLOSES_ON,
  FIELD_PARTNER_NAME,
  FIELD_AGREEMENT_TITLE,
  FIELD_EVENT_TITLE,
  FIELD_CANDIDATE_COUNT,
  FIELD_FILLED_COUNT,
  FIELD_PINYIN_KEY,
  FIELD_PARTNER_PINYIN_KEY,
  FIELD_REMINDER_DONE_FOR,
  FIELD_REMINDER_SNOOZED_UNTIL,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_PARTNER_ID] = {
    .name = "partner-id", .label = N_("Partner"), .kind = COOP_FIELD_REF,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopPool, partner_id),
    .ref_type = coop_partner_get_type,
  },
  [FIELD_AGREEMENT_ID] = {
    .name = "agreement-id", .label = N_("Agreement"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPool, agreement_id), .ref_type = coop_agreement_get_type,
  },
  [FIELD_EVENT_ID] = {
    .name = "event-id", .label = N_("Event"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPool, event_id), .ref_type = coop_event_get_type,
  },
  [FIELD_TITLE] = {
    .name = "title", .label = N_("Title"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED | COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopPool, title),
  },
  [FIELD_POSITION] = {
    .name = "position", .label = N_("Position"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopPool, position),
  },
  [FIELD_KIND] = {
    .name = "kind", .label = N_("Kind"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPool, kind), .enum_type = coop_pool_kind_get_type,
  },
  [FIELD_OPENINGS] = {
    .name = "openings", .label = N_("Openings"), .kind = COOP_FIELD_COUNT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPool, openings),
  },
  [FIELD_STATUS] = {
    .name = "status", .label = N_("Status"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPool, status), .enum_type = coop_pool_status_get_type,
  },
  [FIELD_OPENED_ON] = {
    .name = "opened-on", .label = N_("Opened on"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopPool, opened_on),
  },
  [FIELD_CLOSES_ON] = {
    .name = "closes-on", .label = N_("Closes on"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopPool, closes_on),
    .not_before = "opened-on",
  },
  [FIELD_PARTNER_NAME] = {
    .name = "partner-name", .label = N_("Partner"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopPool, partner_name),
  },
  [FIELD_AGREEMENT_TITLE] = {
    .name = "agreement-title", .label = N_("Agreement"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopPool, agreement_title),
  },
  [FIELD_EVENT_TITLE] = {
    .name = "event-title", .label = N_("Event"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopPool, event_title),
  },
  [FIELD_CANDIDATE_COUNT] = {
    .name = "candidate-count", .label = N_("Candidates"), .kind = COOP_FIELD_COUNT,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopPool, candidate_count),
  },
  [FIELD_FILLED_COUNT] = {
    .name = "filled-count", .label = N_("Filled"), .kind = COOP_FIELD_COUNT,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopPool, filled_count),
  },
  [FIELD_PINYIN_KEY] = {
    .name = "pinyin-key", .kind = COOP_FIELD_TEXT, .flags = COOP_FIELD_PINYIN,
    .offset = G_STRUCT_OFFSET (CoopPool, pinyin_key),
  },
  [FIELD_PARTNER_PINYIN_KEY] = {
    .name = "partner-pinyin-key", .kind = COOP_FIELD_TEXT,
    .flags = COOP_FIELD_PINYIN | COOP_FIELD_DERIVED,
    .offset = G_STRUCT_OFFSET (CoopPool, partner_pinyin_key),
  },
  [FIELD_REMINDER_DONE_FOR] = {
    .name = "reminder-done-for", .label = N_("Reminder done for"), .kind = COOP_FIELD_DATE,
    .flags = COOP_FIELD_HIDDEN, .offset = G_STRUCT_OFFSET (CoopPool, reminder_done_for),
  },
  [FIELD_REMINDER_SNOOZED_UNTIL] = {
    .name = "reminder-snoozed-until", .label = N_("Reminder snoozed until"),
    .kind = COOP_FIELD_DATE, .flags = COOP_FIELD_HIDDEN,
    .offset = G_STRUCT_OFFSET (CoopPool, reminder_snoozed_until),
  },
};

static void
coop_pool_class_init (CoopPoolClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Recommendation pool"), "title");
}

static void
coop_pool_init (CoopPool *self)
{
}

CoopPool *
coop_pool_new (void)
{
  return g_object_new (COOP_TYPE_POOL, NULL);
}

COOP_DEFINE_REF_ACCESSORS (CoopPool, coop_pool, partner_id, FIELD_PARTNER_ID)
COOP_DEFINE_REF_ACCESSORS (CoopPool, coop_pool, agreement_id, FIELD_AGREEMENT_ID)
COOP_DEFINE_REF_ACCESSORS (CoopPool, coop_pool, event_id, FIELD_EVENT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopPool, coop_pool, title, FIELD_TITLE)
COOP_DEFINE_STRING_ACCESSORS (CoopPool, coop_pool, position, FIELD_POSITION)
COOP_DEFINE_INT_ACCESSORS (CoopPool, coop_pool, kind, CoopPoolKind, FIELD_KIND)
COOP_DEFINE_INT_ACCESSORS (CoopPool, coop_pool, openings, int, FIELD_OPENINGS)
COOP_DEFINE_INT_ACCESSORS (CoopPool, coop_pool, status, CoopPoolStatus, FIELD_STATUS)
COOP_DEFINE_STRING_ACCESSORS (CoopPool, coop_pool, opened_on, FIELD_OPENED_ON)
COOP_DEFINE_STRING_ACCESSORS (CoopPool, coop_pool, closes_on, FIELD_CLOSES_ON)
COOP_DEFINE_DERIVED_GETTER (CoopPool, coop_pool, partner_name)
COOP_DEFINE_DERIVED_GETTER (CoopPool, coop_pool, agreement_title)
COOP_DEFINE_DERIVED_GETTER (CoopPool, coop_pool, event_title)
int
coop_pool_get_candidate_count (CoopPool *self)
{
  return self->candidate_count;
}

int
coop_pool_get_filled_count (CoopPool *self)
{
  return self->filled_count;
}

