/* coop-contact.c — a person at a partner, or on the school side when it has no partner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-contact"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-contact.h"
#include "coop-partner.h"
#include "coop-department.h"

struct _CoopContact
{
  CoopRecord parent_instance;

  char *name;
  char *title;
  gint64 partner_id;
  gint64 department_id;
  char *phone;
  char *email;
  char *notes;
  char *partner_name;
  char *department_name;
  char *pinyin_key;
  char *partner_pinyin_key;
};

G_DEFINE_FINAL_TYPE (CoopContact, coop_contact, COOP_TYPE_RECORD)

enum {
  FIELD_NAME,
  FIELD_TITLE,
  FIELD_PARTNER_ID,
  FIELD_DEPARTMENT_ID,
  FIELD_PHONE,
  FIELD_EMAIL,
  FIELD_NOTES,
  FIELD_PARTNER_NAME,
  FIELD_DEPARTMENT_NAME,
  FIELD_PINYIN_KEY,
  FIELD_PARTNER_PINYIN_KEY,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_NAME] = {
    .name = "name", .label = N_("Name"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED | COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopContact, name),
  },
  [FIELD_TITLE] = {
    .name = "title", .label = N_("Job title"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopContact, title),
  },
  [FIELD_PARTNER_ID] = {
    .name = "partner-id", .label = N_("Partner"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopContact, partner_id), .ref_type = coop_partner_get_type,
  },
  [FIELD_DEPARTMENT_ID] = {
    .name = "department-id", .label = N_("Department"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopContact, department_id), .ref_type = coop_department_get_type,
  },
  [FIELD_PHONE] = {
    .name = "phone", .label = N_("Phone"), .kind = COOP_FIELD_PHONE, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopContact, phone),
  },
  [FIELD_EMAIL] = {
    .name = "email", .label = N_("E-mail"), .kind = COOP_FIELD_EMAIL, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopContact, email),
  },
  [FIELD_NOTES] = {
    .name = "notes", .label = N_("Notes"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopContact, notes),
  },
  [FIELD_PARTNER_NAME] = {
    .name = "partner-name", .label = N_("Partner"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopContact, partner_name),
  },
  [FIELD_DEPARTMENT_NAME] = {
    .name = "department-name", .label = N_("Department"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopContact, department_name),
  },
  [FIELD_PINYIN_KEY] = {
    .name = "pinyin-key", .kind = COOP_FIELD_TEXT, .flags = COOP_FIELD_PINYIN,
    .offset = G_STRUCT_OFFSET (CoopContact, pinyin_key),
  },
  [FIELD_PARTNER_PINYIN_KEY] = {
    .name = "partner-pinyin-key", .kind = COOP_FIELD_TEXT,
    .flags = COOP_FIELD_PINYIN | COOP_FIELD_DERIVED,
    .offset = G_STRUCT_OFFSET (CoopContact, partner_pinyin_key),
  },
};

static void
coop_contact_class_init (CoopContactClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Contact"), "name");
}

static void
coop_contact_init (CoopContact *self)
{
}

CoopContact *
coop_contact_new (void)
{
  return g_object_new (COOP_TYPE_CONTACT, NULL);
}

COOP_DEFINE_STRING_ACCESSORS (CoopContact, coop_contact, name, FIELD_NAME)
COOP_DEFINE_STRING_ACCESSORS (CoopContact, coop_contact, title, FIELD_TITLE)
COOP_DEFINE_REF_ACCESSORS (CoopContact, coop_contact, partner_id, FIELD_PARTNER_ID)
COOP_DEFINE_REF_ACCESSORS (CoopContact, coop_contact, department_id, FIELD_DEPARTMENT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopContact, coop_contact, phone, FIELD_PHONE)
COOP_DEFINE_STRING_ACCESSORS (CoopContact, coop_contact, email, FIELD_EMAIL)
COOP_DEFINE_STRING_ACCESSORS (CoopContact, coop_contact, notes, FIELD_NOTES)
COOP_DEFINE_DERIVED_GETTER (CoopContact, coop_contact, partner_name)
COOP_DEFINE_DERIVED_GETTER (CoopContact, coop_contact, department_name)
