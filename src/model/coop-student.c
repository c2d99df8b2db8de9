/* coop-student.c — a student who may be recommended to partners
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-student"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-enums.h"
#include "coop-record-private.h"
#include "coop-student.h"
#include "coop-department.h"

struct _CoopStudent
{
  CoopRecord parent_instance;

  char *number;
  char *name;
  int gender;
  gint64 department_id;
  char *major;
  char *class_name;
  int graduation_year;
  char *phone;
  char *email;
  char *notes;
  char *department_name;
  char *pinyin_key;
};

G_DEFINE_FINAL_TYPE (CoopStudent, coop_student, COOP_TYPE_RECORD)

enum {
  FIELD_NUMBER,
  FIELD_NAME,
  FIELD_GENDER,
  FIELD_DEPARTMENT_ID,
  FIELD_MAJOR,
  FIELD_CLASS_NAME,
  FIELD_GRADUATION_YEAR,
  FIELD_PHONE,
  FIELD_EMAIL,
  FIELD_NOTES,
  FIELD_DEPARTMENT_NAME,
  FIELD_PINYIN_KEY,
  N_FIELDS
};

static const CoopField fields[N_FIELDS] = {
  [FIELD_NUMBER] = {
    .name = "number", .label = N_("Student number"), .kind = COOP_FIELD_STUDENT_NUMBER,
    .flags = COOP_FIELD_REQUIRED, .offset = G_STRUCT_OFFSET (CoopStudent, number),
  },
  [FIELD_NAME] = {
    .name = "name", .label = N_("Name"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SPELLED | COOP_FIELD_REQUIRED,
    .offset = G_STRUCT_OFFSET (CoopStudent, name),
  },
  [FIELD_GENDER] = {
    .name = "gender", .label = N_("Gender"), .kind = COOP_FIELD_ENUM, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStudent, gender), .enum_type = coop_gender_get_type,
  },
  [FIELD_DEPARTMENT_ID] = {
    .name = "department-id", .label = N_("Department"), .kind = COOP_FIELD_REF, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStudent, department_id), .ref_type = coop_department_get_type,
  },
  [FIELD_MAJOR] = {
    .name = "major", .label = N_("Major"), .kind = COOP_FIELD_STRING, .flags = COOP_FIELD_SHARED,
    .offset = G_STRUCT_OFFSET (CoopStudent, major),
  },
  [FIELD_CLASS_NAME] = {
    .name = "class-name", .label = N_("Class"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_SHARED, .offset = G_STRUCT_OFFSET (CoopStudent, class_name),
  },
  [FIELD_GRADUATION_YEAR] = {
    .name = "graduation-year", .label = N_("Graduation year"), .kind = COOP_FIELD_YEAR, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStudent, graduation_year),
  },
  [FIELD_PHONE] = {
    .name = "phone", .label = N_("Phone"), .kind = COOP_FIELD_PHONE, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStudent, phone),
  },
  [FIELD_EMAIL] = {
    .name = "email", .label = N_("E-mail"), .kind = COOP_FIELD_EMAIL, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStudent, email),
  },
  [FIELD_NOTES] = {
    .name = "notes", .label = N_("Notes"), .kind = COOP_FIELD_TEXT, .flags = 0,
    .offset = G_STRUCT_OFFSET (CoopStudent, notes),
  },
  [FIELD_DEPARTMENT_NAME] = {
    .name = "department-name", .label = N_("Department"), .kind = COOP_FIELD_STRING,
    .flags = COOP_FIELD_DERIVED, .offset = G_STRUCT_OFFSET (CoopStudent, department_name),
  },
  [FIELD_PINYIN_KEY] = {
    .name = "pinyin-key", .kind = COOP_FIELD_TEXT, .flags = COOP_FIELD_PINYIN,
    .offset = G_STRUCT_OFFSET (CoopStudent, pinyin_key),
  },
};

static void
coop_student_class_init (CoopStudentClass *klass)
{
  coop_record_class_install_fields (COOP_RECORD_CLASS (klass), fields, N_FIELDS,
                                    N_("Student"), "name");
}

static void
coop_student_init (CoopStudent *self)
{
}

CoopStudent *
coop_student_new (void)
{
  return g_object_new (COOP_TYPE_STUDENT, NULL);
}

COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, number, FIELD_NUMBER)
COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, name, FIELD_NAME)
COOP_DEFINE_INT_ACCESSORS (CoopStudent, coop_student, gender, CoopGender, FIELD_GENDER)
COOP_DEFINE_REF_ACCESSORS (CoopStudent, coop_student, department_id, FIELD_DEPARTMENT_ID)
COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, major, FIELD_MAJOR)
COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, class_name, FIELD_CLASS_NAME)
COOP_DEFINE_INT_ACCESSORS (CoopStudent, coop_student, graduation_year, int, FIELD_GRADUATION_YEAR)
COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, phone, FIELD_PHONE)
COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, email, FIELD_EMAIL)
COOP_DEFINE_STRING_ACCESSORS (CoopStudent, coop_student, notes, FIELD_NOTES)
COOP_DEFINE_DERIVED_GETTER (CoopStudent, coop_student, department_name)
