/* coop-partner.c — a partner enterprise
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-partner"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-partner.h"

struct _CoopPartner
{
  CoopRecord parent_instance;

  char *name;
  char *short_name;
  char *credit_code;
  char *industry;
  char *city;
  char *address;
  char *website;
  int status;
  char *notes;
  char *pinyin_key;
};

G_DEFINE_FINAL_TYPE (CoopPartner, coop_partner, COOP_TYPE_RECORD)

enum {
  FIELD_NAME,
  FIELD_SHORT_NAME,
  FIELD_CREDIT_CODE,
  FIELD_INDUSTRY,
  FIELD_CITY,
  FIELD_ADDRESS,
  FIELD_WEBSITE,
  FIELD_STATUS,
  FIELD_NOTES,
  FIELD_PINYIN_KEY,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_NAME] = {
    .name = "name", .label = N_("Company name"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED | COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopPartner, name),
  },
  [FIELD_SHORT_NAME] = {
    .name = "short-name", .label = N_("Short name"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED,
    .offset = G_STRUCT_OFFSET (CoopPartner, short_name),
  },
  [FIELD_CREDIT_CODE] = {
    .name = "credit-code", .label = N_("Unified social credit code"),
    .kind = COOP_FIELD_CREDIT_CODE, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPartner, credit_code),
  },
  [FIELD_INDUSTRY] = {
    .name = "industry", .label = N_("Industry"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopPartner, industry),
  },
  [FIELD_CITY] = {
    .name = "city", .label = N_("City"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopPartner, city),
  },
  [FIELD_ADDRESS] = {
    .name = "address", .label = N_("Address"), .kind = COOP_FIELD_STRING, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPartner, address),
  },
  [FIELD_WEBSITE] = {
    .name = "website", .label = N_("Website"), .kind = COOP_FIELD_URL, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPartner, website),
  },
  [FIELD_STATUS] = {
    .name = "status", .label = N_("Status"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPartner, status), .enum_type = coop_partner_status_get_type,
  },
  [FIELD_NOTES] = {
    .name = "notes", .label = N_("Notes"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopPartner, notes),
  },
  [FIELD_PINYIN_KEY] = {
    .name = "pinyin-key", .kind = COOP_FIELD_TEXT, .flags = COOP_FIELD_PINYIN,
    .offset = G_STRUCT_OFFSET (CoopPartner, pinyin_key),
  },
};

static void
coop_partner_class_init (CoopPartnerClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Partner"), "name");
}

static void
coop_partner_init (CoopPartner *self)
{
}

CoopPartner *
coop_partner_new (void)
{
  return g_object_new (COOP_TYPE_PARTNER, NULL);
}

COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, name, FIELD_NAME)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, short_name, FIELD_SHORT_NAME)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, credit_code, FIELD_CREDIT_CODE)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, industry, FIELD_INDUSTRY)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, city, FIELD_CITY)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, address, FIELD_ADDRESS)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, website, FIELD_WEBSITE)
COOP_DEFINE_INT_ACCESSORS (CoopPartner, coop_partner, status, CoopPartnerStatus, FIELD_STATUS)
COOP_DEFINE_STRING_ACCESSORS (CoopPartner, coop_partner, notes, FIELD_NOTES)
