/* coop-department.h — a department or school of the university; a school holds departments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_DEPARTMENT (coop_department_get_type ())

G_DECLARE_FINAL_TYPE (CoopDepartment, coop_department, COOP, DEPARTMENT, CoopRecord)

CoopDepartment *coop_department_new (void);

const char *coop_department_get_name (CoopDepartment *self);
void coop_department_set_name (CoopDepartment *self, const char *value);
gint64 coop_department_get_parent_id (CoopDepartment *self);
void coop_department_set_parent_id (CoopDepartment *self, gint64 value);
const char *coop_department_get_parent_name (CoopDepartment *self);

G_END_DECLS
