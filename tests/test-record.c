/* test-record.c — record objects: properties, copies, normalising, validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-agreement.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-id-index.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-record-private.h"
#include "coop-stage-change.h"
#include "coop-student.h"

static GType
record_type (guint i)
{
  GType types[] = {
    COOP_TYPE_PARTNER, COOP_TYPE_CONTACT, COOP_TYPE_DEPARTMENT, COOP_TYPE_AGREEMENT,
    COOP_TYPE_EVENT, COOP_TYPE_ATTENDEE, COOP_TYPE_STUDENT, COOP_TYPE_POOL, COOP_TYPE_CANDIDATE,
    COOP_TYPE_STAGE_CHANGE,
  };

  return i < G_N_ELEMENTS (types) ? types[i] : G_TYPE_INVALID;
}

/* Every field of every record is a property of the kind its field says;
 * every field users see has a label, and only what users type is written. */
static void
test_fields_are_properties (void)
{
  for (guint t = 0; record_type (t) != G_TYPE_INVALID; t++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (record_type (t));
      guint n_fields = 0;
      const CoopField *fields = coop_record_class_get_fields (COOP_RECORD_CLASS (klass), &n_fields);

      g_assert_cmpuint (n_fields, >, 2);
      for (guint i = 0; i < n_fields; i++)
        {
          GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), fields[i].name);

          g_assert_nonnull (pspec);
          g_assert_true ((fields[i].label != NULL) == !(fields[i].flags & COOP_FIELD_PINYIN));
          if (fields[i].kind == COOP_FIELD_ENUM)
            g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
          else if (fields[i].kind == COOP_FIELD_REF)
            g_assert_true (G_IS_PARAM_SPEC_INT64 (pspec));
          else if (fields[i].kind == COOP_FIELD_COUNT || fields[i].kind == COOP_FIELD_YEAR)
            g_assert_true (G_IS_PARAM_SPEC_INT (pspec));
          else
            g_assert_true (G_IS_PARAM_SPEC_STRING (pspec));
          g_assert_cmpint (!!(pspec->flags & G_PARAM_WRITABLE), ==,
                           !(fields[i].flags & (COOP_FIELD_DERIVED | COOP_FIELD_PINYIN)));
        }
    }
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              GPtrArray  *names)
{
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_setters_notify (void)
{
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  CoopPartnerStatus status;

  g_signal_connect (partner, "notify", G_CALLBACK (on_notify_cb), names);

  coop_partner_set_name (partner, "上海奇利影视科技有限公司");
  coop_partner_set_name (partner, "上海奇利影视科技有限公司");
  g_object_set (partner, "status", COOP_PARTNER_STATUS_ACTIVE, NULL);
  g_object_set (partner, "city", "上海", NULL);
  coop_partner_set_city (partner, "");

  g_assert_cmpuint (names->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "name");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "title-text");
  g_assert_cmpstr (g_ptr_array_index (names, 2), ==, "status");
  g_assert_cmpstr (g_ptr_array_index (names, 3), ==, "city");
  g_assert_cmpstr (g_ptr_array_index (names, 4), ==, "city");

  /* An empty string is no value. */
  g_assert_null (coop_partner_get_city (partner));

  g_object_get (partner, "name", &name, "status", &status, NULL);
  g_assert_cmpstr (name, ==, "上海奇利影视科技有限公司");
  g_assert_cmpint (status, ==, COOP_PARTNER_STATUS_ACTIVE);
  g_assert_cmpstr (coop_record_get_title (COOP_RECORD (partner)), ==, "上海奇利影视科技有限公司");
}

static void
test_copy_and_assign (void)
{
  g_autoptr(CoopEvent) event = coop_event_new ();
  g_autoptr(CoopAttendee) attendee = coop_attendee_new ();
  g_autoptr(CoopRecord) copy = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  coop_event_set_title (event, "实习就业推荐会");
  coop_event_set_starts_at (event, "2023-05-19 14:00");
  coop_event_set_students_attending (event, 68);
  coop_attendee_set_name (attendee, "陈志华");
  coop_attendee_set_role (attendee, COOP_ATTENDEE_ROLE_HOST);
  g_list_store_append (G_LIST_STORE (coop_event_get_attendees (event)), attendee);

  copy = coop_record_copy (COOP_RECORD (event));
  g_assert_cmpstr (coop_event_get_title (COOP_EVENT (copy)), ==, "实习就业推荐会");
  g_assert_cmpint (coop_event_get_students_attending (COOP_EVENT (copy)), ==, 68);
  g_assert_cmpuint (g_list_model_get_n_items (coop_event_get_attendees (COOP_EVENT (copy))), ==, 1);

  /* The copy's attendees are copies too. */
  {
    g_autoptr(CoopAttendee) copied = g_list_model_get_item (coop_event_get_attendees (COOP_EVENT (copy)), 0);
    g_assert_true (copied != attendee);
    coop_attendee_set_name (copied, "刘红");
    g_assert_cmpstr (coop_attendee_get_name (attendee), ==, "陈志华");
  }

  coop_event_set_location (COOP_EVENT (copy), "报告厅");
  g_signal_connect (event, "notify", G_CALLBACK (on_notify_cb), names);
  coop_record_assign (COOP_RECORD (event), copy);

  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "location");
  g_assert_cmpstr (coop_event_get_location (event), ==, "报告厅");
}

static void
test_normalize (void)
{
  g_autoptr(CoopStudent) student = coop_student_new ();
  g_autoptr(CoopPartner) partner = coop_partner_new ();

  coop_student_set_number (student, " ０１９２０１０１０１ ");
  coop_student_set_name (student, "  林雨萱 ");
  coop_student_set_phone (student, "138-1620 3301");
  coop_student_set_email (student, " lin@stu.example.edu.cn ");
  coop_record_normalize (COOP_RECORD (student));

  g_assert_cmpstr (coop_student_get_number (student), ==, "0192010101");
  g_assert_cmpstr (coop_student_get_name (student), ==, "林雨萱");
  g_assert_cmpstr (coop_student_get_phone (student), ==, "13816203301");
  g_assert_cmpstr (coop_student_get_email (student), ==, "lin@stu.example.edu.cn");

  coop_partner_set_name (partner, "奇利");
  coop_partner_set_credit_code (partner, "９１４４０３００１９２２０３８２１６");
  coop_record_normalize (COOP_RECORD (partner));
  g_assert_cmpstr (coop_partner_get_credit_code (partner), ==, "914403001922038216");
}

typedef struct {
  const char *field;
  const char *value;
  gboolean    valid;
} FieldCase;

static void
test_validate_agreement (void)
{
  static const FieldCase cases[] = {
    { "starts-on", "2023-06-01", TRUE },
    { "starts-on", "2023/6/1", TRUE },
    { "starts-on", "2023-02-30", FALSE },
    { "starts-on", "soon", FALSE },
    { "ends-on", "2028-05-31", TRUE },
    { "ends-on", "2023-05-31", FALSE },   /* before starts-on */
    { "ends-on", "2023-06-01", TRUE },    /* the same day is fine */
  };
  g_autoptr(CoopAgreement) agreement = coop_agreement_new ();
  g_autoptr(GError) error = NULL;

  coop_agreement_set_partner_id (agreement, 1);
  coop_agreement_set_title (agreement, "实践基地协议");
  coop_agreement_set_starts_on (agreement, "2023-06-01");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CoopAgreement) copy = COOP_AGREEMENT (coop_record_copy (COOP_RECORD (agreement)));
      gboolean ok;

      g_object_set (copy, cases[i].field, cases[i].value, NULL);
      coop_record_normalize (COOP_RECORD (copy));
      ok = coop_record_validate_field (COOP_RECORD (copy), cases[i].field, &error);
      g_assert_cmpint (ok, ==, cases[i].valid);
      if (!ok)
        g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
      g_clear_error (&error);
      g_assert_cmpint (coop_record_validate (COOP_RECORD (copy), NULL), ==, cases[i].valid);
    }

  /* Required: a title and a partner. */
  coop_agreement_set_title (agreement, "   ");
  g_assert_false (coop_record_validate_field (COOP_RECORD (agreement), "title", &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  g_clear_error (&error);

  coop_agreement_set_title (agreement, "协议");
  coop_agreement_set_partner_id (agreement, 0);
  g_assert_false (coop_record_validate (COOP_RECORD (agreement), &error));
  g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
}

static void
test_validate_fields (void)
{
  static const FieldCase partner_cases[] = {
    { "credit-code", "914403001922038216", TRUE },
    { "credit-code", "914403001922038215", FALSE },
    { "credit-code", "9144030019220382", FALSE },
    { "credit-code", "91440300192203821O", FALSE },
    { "website", "www.qili-film.example.cn", TRUE },
    { "website", "not a site", FALSE },
  };
  static const FieldCase student_cases[] = {
    { "number", "0192010101", TRUE },
    { "number", "01 92", FALSE },
    { "phone", "138 1620 3301", TRUE },
    { "phone", "call me", FALSE },
    { "email", "lin@stu.example.edu.cn", TRUE },
    { "email", "lin.stu.example.edu.cn", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (partner_cases); i++)
    {
      g_autoptr(CoopPartner) partner = coop_partner_new ();
      g_autoptr(GError) error = NULL;

      coop_partner_set_name (partner, "奇利");
      g_object_set (partner, partner_cases[i].field, partner_cases[i].value, NULL);
      coop_record_normalize (COOP_RECORD (partner));
      g_assert_cmpint (coop_record_validate (COOP_RECORD (partner), &error), ==,
                       partner_cases[i].valid);
      if (!partner_cases[i].valid)
        g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    }

  for (guint i = 0; i < G_N_ELEMENTS (student_cases); i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autoptr(GError) error = NULL;

      coop_student_set_number (student, "0192010101");
      coop_student_set_name (student, "林雨萱");
      g_object_set (student, student_cases[i].field, student_cases[i].value, NULL);
      coop_record_normalize (COOP_RECORD (student));
      g_assert_cmpint (coop_record_validate (COOP_RECORD (student), &error), ==,
                       student_cases[i].valid);
      if (!student_cases[i].valid)
        g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
    }

  {
    g_autoptr(CoopStudent) student = coop_student_new ();
    g_autoptr(GError) error = NULL;

    coop_student_set_number (student, "1");
    coop_student_set_name (student, "林");
    coop_student_set_graduation_year (student, 1024);
    g_assert_false (coop_record_validate (COOP_RECORD (student), &error));
    g_assert_error (error, COOP_ERROR, COOP_ERROR_VALIDATION);
  }
}

static void
test_enums (void)
{
  int value = -1;

  g_assert_cmpstr (coop_enum_get_nick (COOP_TYPE_AGREEMENT_KIND,
                                       COOP_AGREEMENT_KIND_INDUSTRY_PROJECT), ==,
                   "industry-project");
  g_assert_true (coop_enum_from_nick (COOP_TYPE_CANDIDATE_STAGE, "interning", &value));
  g_assert_cmpint (value, ==, COOP_CANDIDATE_STAGE_INTERNING);
  g_assert_false (coop_enum_from_nick (COOP_TYPE_CANDIDATE_STAGE, "promoted", &value));
  g_assert_cmpstr (coop_enum_get_label (COOP_TYPE_EVENT_KIND,
                                        COOP_EVENT_KIND_RECOMMENDATION_MEETING), ==,
                   "Recommendation meeting");
  g_assert_cmpstr (coop_enum_get_label (COOP_TYPE_POOL_STATUS, 7), ==, "");
}

static GPtrArray *
partners_with_ids (const gint64 *ids,
                   guint         n)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      CoopPartner *partner = coop_partner_new ();

      coop_record_set_id (COOP_RECORD (partner), ids[i]);
      g_ptr_array_add (records, partner);
    }
  return records;
}

static void
test_id_index (void)
{
  /* Nearly consecutive, out of order, one id twice: a table. */
  const gint64 near[] = { 5, 3, 4, 9, 1, 4, 7 };
  /* Spread out: the sorted list. */
  const gint64 far[] = { 1000000000000, 2, G_MAXINT64, 77, 0, 2, 500000 };
  const gint64 absent[] = { G_MININT64, -1, 6, 8, 10, 11, 1001, 499999, 999999999999,
                            G_MAXINT64 - 1 };

  for (guint form = 0; form < 2; form++)
    {
      const gint64 *ids = form == 0 ? near : far;
      guint n = form == 0 ? G_N_ELEMENTS (near) : G_N_ELEMENTS (far);
      g_autoptr(GPtrArray) records = partners_with_ids (ids, n);
      g_autoptr(CoopIdIndex) index = coop_id_index_new (records);

      for (guint i = 0; i < n; i++)
        {
          gint found = coop_id_index_find (index, ids[i]);
          guint first = 0;

          while (ids[first] != ids[i])
            first++;
          g_assert_cmpint (found, ==, (gint) first);
        }
      for (guint i = 0; i < G_N_ELEMENTS (absent); i++)
        g_assert_cmpint (coop_id_index_find (index, absent[i]), ==, -1);
    }

  /* Empty, or no array at all. */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();
    g_autoptr(CoopIdIndex) empty = coop_id_index_new (none);
    g_autoptr(CoopIdIndex) null = coop_id_index_new (NULL);

    g_assert_cmpint (coop_id_index_find (empty, 1), ==, -1);
    g_assert_cmpint (coop_id_index_find (null, 0), ==, -1);
  }

  /* Every id of a large, shuffled range: with a gap of 3 between ids a
   * table, with a gap of 10 the list. */
  for (guint gap = 3; gap <= 10; gap += 7)
    {
      g_autofree gint64 *ids = g_new (gint64, 20000);
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(CoopIdIndex) index = NULL;
      GRand *rand = g_rand_new_with_seed (7);

      for (guint i = 0; i < 20000; i++)
        ids[i] = 100 + i * gap;
      for (guint i = 20000; i-- > 1; )
        {
          guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
          gint64 swap = ids[i];

          ids[i] = ids[j];
          ids[j] = swap;
        }
      records = partners_with_ids (ids, 20000);
      index = coop_id_index_new (records);
      for (guint i = 0; i < 20000; i++)
        {
          g_assert_cmpint (coop_id_index_find (index, ids[i]), ==, (gint) i);
          g_assert_cmpint (coop_id_index_find (index, ids[i] + 1), ==, -1);
        }
      g_assert_cmpint (coop_id_index_find (index, 99), ==, -1);
      g_assert_cmpint (coop_id_index_find (index, 100 + 20000 * gap), ==, -1);
      g_rand_free (rand);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/record/fields-are-properties", test_fields_are_properties);
  g_test_add_func ("/record/setters-notify", test_setters_notify);
  g_test_add_func ("/record/copy-and-assign", test_copy_and_assign);
  g_test_add_func ("/record/normalize", test_normalize);
  g_test_add_func ("/record/validate/agreement", test_validate_agreement);
  g_test_add_func ("/record/validate/fields", test_validate_fields);
  g_test_add_func ("/record/enums", test_enums);
  g_test_add_func ("/record/id-index", test_id_index);

  return g_test_run ();
}
