/* coop-student.h — a student who may be recommended to partners
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_STUDENT (coop_student_get_type ())

G_DECLARE_FINAL_TYPE (CoopStudent, coop_student, COOP, STUDENT, CoopRecord)

CoopStudent *coop_student_new (void);

const char *coop_student_get_number (CoopStudent *self);
void coop_student_set_number (CoopStudent *self, const char *value);
const char *coop_student_get_name (CoopStudent *self);
void coop_student_set_name (CoopStudent *self, const char *value);
CoopGender coop_student_get_gender (CoopStudent *self);
void coop_student_set_gender (CoopStudent *self, CoopGender value);
gint64 coop_student_get_department_id (CoopStudent *self);
void coop_student_set_department_id (CoopStudent *self, gint64 value);
const char *coop_student_get_major (CoopStudent *self);
void coop_student_set_major (CoopStudent *self, const char *value);
const char *coop_student_get_class_name (CoopStudent *self);
void coop_student_set_class_name (CoopStudent *self, const char *value);
int coop_student_get_graduation_year (CoopStudent *self);
void coop_student_set_graduation_year (CoopStudent *self, int value);
const char *coop_student_get_phone (CoopStudent *self);
void coop_student_set_phone (CoopStudent *self, const char *value);
const char *coop_student_get_email (CoopStudent *self);
void coop_student_set_email (CoopStudent *self, const char *value);
const char *coop_student_get_notes (CoopStudent *self);
void coop_student_set_notes (CoopStudent *self, const char *value);
const char *coop_student_get_department_name (CoopStudent *self);

G_END_DECLS
