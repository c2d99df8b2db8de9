/* coop-types.c — labels users see for the values of the public enums
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-types"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-types.h"

static const char *partner_status_labels[] = {
  N_("Prospect"), N_("Active"), N_("Dormant"),
};

static const char *agreement_kind_labels[] = {
  N_("Practice base"), N_("Internship base"), N_("Employment base"),
  N_("Joint training"), N_("Industry–university project"), N_("Other"),
};

static const char *agreement_status_labels[] = {
  N_("Draft"), N_("Negotiating"), N_("Signed"), N_("Active"), N_("Expired"), N_("Terminated"),
};

static const char *event_kind_labels[] = {
  N_("Visit"), N_("Recommendation meeting"), N_("Job fair"), N_("Signing ceremony"),
  N_("Seminar"), N_("Other"),
};

static const char *attendee_role_labels[] = {
  N_("Host"), N_("Guest"), N_("Speaker"), N_("Participant"),
};

static const char *gender_labels[] = {
  N_("Not given"), N_("Male"), N_("Female"),
};

static const char *pool_kind_labels[] = {
  N_("Internship"), N_("Employment"),
};

static const char *pool_status_labels[] = {
  N_("Open"), N_("Closed"),
};

static const char *candidate_stage_labels[] = {
  N_("Recommended"), N_("Applied"), N_("Interviewing"), N_("Offered"), N_("Interning"),
  N_("Hired"), N_("Declined"), N_("Rejected"), N_("Withdrawn"),
};

static const char *attachment_kind_labels[] = {
  N_("Signed contract"), N_("Photo"), N_("Sign-in sheet"), N_("Other"),
};

static const char *contract_state_labels[] = {
  N_("Not signed yet"), N_("Attached"), N_("Missing"),
};

static const char *change_action_labels[] = {
  N_("Added"), N_("Changed"), N_("Deleted"), N_("Imported"),
};

static const char **
labels_for_type (GType  enum_type,
                 guint *n_labels)
{
#define LABELS(get_type, array) \
  if (enum_type == get_type ()) { *n_labels = G_N_ELEMENTS (array); return array; }

  LABELS (coop_partner_status_get_type, partner_status_labels)
  LABELS (coop_agreement_kind_get_type, agreement_kind_labels)
  LABELS (coop_agreement_status_get_type, agreement_status_labels)
  LABELS (coop_event_kind_get_type, event_kind_labels)
  LABELS (coop_attendee_role_get_type, attendee_role_labels)
  LABELS (coop_gender_get_type, gender_labels)
  LABELS (coop_pool_kind_get_type, pool_kind_labels)
  LABELS (coop_pool_status_get_type, pool_status_labels)
  LABELS (coop_candidate_stage_get_type, candidate_stage_labels)
  LABELS (coop_attachment_kind_get_type, attachment_kind_labels)
  LABELS (coop_contract_state_get_type, contract_state_labels)
  LABELS (coop_change_action_get_type, change_action_labels)

#undef LABELS

  *n_labels = 0;
  return NULL;
}

/**
 * coop_enum_get_label:
 * @enum_type: one of the model's enum types
 * @value: a value of it
 *
 * Returns: (transfer none): the translated label of @value, "" if unknown
 */
const char *
coop_enum_get_label (GType enum_type,
                     int   value)
{
  guint n_labels = 0;
  const char **labels = labels_for_type (enum_type, &n_labels);

  g_return_val_if_fail (labels != NULL, "");

  if (value < 0 || (guint) value >= n_labels)
    return "";

  return g_dgettext (GETTEXT_PACKAGE, labels[value]);
}

/**
 * coop_enum_get_nick:
 *
 * Returns: (transfer none): the stable name of @value stored in the
 *   database, or %NULL if @value is not a value of @enum_type
 */
const char *
coop_enum_get_nick (GType enum_type,
                    int   value)
{
  GEnumClass *klass = g_type_class_peek_static (enum_type);
  GEnumValue *enum_value;

  /* The store names an enum for every row it writes: the class is made
   * once and kept, as the classes of static types are anyway. */
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value (klass, value);
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

/**
 * coop_enum_from_nick:
 * @value: (out): the value whose nick is @nick
 *
 * Returns: whether @nick names a value of @enum_type
 */
gboolean
coop_enum_from_nick (GType       enum_type,
                     const char *nick,
                     int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  enum_value = g_enum_get_value_by_nick (klass, nick);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}
