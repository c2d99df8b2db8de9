/* coop-department.c — a department or school of the university; a school holds departments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-department"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-department.h"

struct _CoopDepartment
{
  CoopRecord parent_instance;

  char *name;
  gint64 parent_id;
  char *parent_name;
};

G_DEFINE_FINAL_TYPE (CoopDepartment, coop_department, COOP_TYPE_RECORD)

enum {
  FIELD_NAME,
  FIELD_PARENT_ID,
  FIELD_PARENT_NAME,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_NAME] = {
    .name = "name", .label = N_("Department name"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopDepartment, name),
  },
  [FIELD_PARENT_ID] = {
    .name = "parent-id", .label = N_("Belongs to"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopDepartment, parent_id), .ref_type = coop_department_get_type,
  },
  [FIELD_PARENT_NAME] = {
    .name = "parent-name", .label = N_("Belongs to"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopDepartment, parent_name),
  },
};

static void
coop_department_class_init (CoopDepartmentClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Department"), "name");
}

static void
coop_department_init (CoopDepartment *self)
{
}

CoopDepartment *
coop_department_new (void)
{
  return g_object_new (COOP_TYPE_DEPARTMENT, NULL);
}

COOP_DEFINE_STRING_ACCESSORS (CoopDepartment, coop_department, name, FIELD_NAME)
COOP_DEFINE_REF_ACCESSORS (CoopDepartment, coop_department, parent_id, FIELD_PARENT_ID)
COOP_DEFINE_DERIVED_GETTER (CoopDepartment, coop_department, parent_name)
