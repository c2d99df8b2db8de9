/* test-text.c — normalising and checking typed text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "coop-text.h"

static void
test_fold (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "上海奇利影视科技有限公司", "上海奇利影视科技有限公司" },
    { "  上海奇利影视科技有限公司　", "上海奇利影视科技有限公司" },
    { "上海 奇利影视科技有限公司", "上海奇利影视科技有限公司" },
    { "ACME Studio", "acmestudio" },
    { "ＡＣＭＥ　Ｓｔｕｄｉｏ", "acmestudio" },
    { "acme   studio", "acmestudio" },
    { "", "" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = coop_text_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static void
test_phone (void)
{
  static const struct { const char *in; const char *out; gboolean valid; } cases[] = {
    { "138 1620 3301", "13816203301", TRUE },
    { "１３８１６２０３３０１", "13816203301", TRUE },
    { "（021）6458-1201", "02164581201", TRUE },
    { "021－6458－1201", "02164581201", TRUE },
    { "+86 138 1620 3301", "+8613816203301", TRUE },
    { "138 1620 330x", "1381620330x", FALSE },
    { "12", "12", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *phone = coop_text_normalize_phone (cases[i].in);

      g_assert_cmpstr (phone, ==, cases[i].out);
      g_assert_cmpint (coop_text_is_phone (phone), ==, cases[i].valid);
    }

  g_assert_null (coop_text_normalize_phone ("  "));
  g_assert_null (coop_text_normalize_phone (NULL));
}

static void
test_date (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2023-05-19", "2023-05-19" },
    { "2023/5/19", "2023-05-19" },
    { "2023.5.9", "2023-05-09" },
    { "2023年5月19日", "2023-05-19" },
    { "２０２３－０５－１９", "2023-05-19" },
    { " 2024-02-29 ", "2024-02-29" },
    { "2023-02-29", NULL },
    { "2023-02-30", NULL },
    { "2023-13-01", NULL },
    { "2023-00-10", NULL },
    { "23-05-19", NULL },
    { "2023-05", NULL },
    { "2023-05-19x", NULL },
    { "20230519", NULL },
    { "yesterday", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = coop_text_normalize_date (cases[i].in);
      g_assert_cmpstr (date, ==, cases[i].out);
    }
}

static void
test_datetime (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2023-05-19 14:00", "2023-05-19 14:00" },
    { "2023-05-19 9:05", "2023-05-19 09:05" },
    { "2023-05-19T14:30:00", "2023-05-19 14:30" },
    { "2023-05-19", "2023-05-19 00:00" },
    { "2023-05-19 24:00", NULL },
    { "2023-05-19 14:60", NULL },
    { "2023-05-19 14", NULL },
    { "2023-02-30 10:00", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *datetime = coop_text_normalize_datetime (cases[i].in);
      g_assert_cmpstr (datetime, ==, cases[i].out);
    }
}

static void
test_credit_code (void)
{
  char expected = '\0';

  /* Published codes of well-known companies. */
  g_assert_true (coop_text_check_credit_code ("914403001922038216", NULL));
  g_assert_true (coop_text_check_credit_code ("91350100M000100Y43", NULL));

  g_assert_false (coop_text_check_credit_code ("914403001922038215", &expected));
  g_assert_cmpint (expected, ==, '6');

  /* I, O, S, V and Z never appear. */
  g_assert_false (coop_text_check_credit_code ("9144030019220382I6", &expected));
  g_assert_cmpint (expected, ==, '\0');

  g_assert_false (coop_text_check_credit_code ("91440300192203821", NULL));
  g_assert_false (coop_text_check_credit_code ("", NULL));
}

static void
test_email (void)
{
  g_assert_true (coop_text_is_email ("li.xiaoming@qili-film.example.cn"));
  g_assert_true (coop_text_is_email ("a@b.cn"));
  g_assert_false (coop_text_is_email ("li.xiaoming"));
  g_assert_false (coop_text_is_email ("@example.cn"));
  g_assert_false (coop_text_is_email ("a@b"));
  g_assert_false (coop_text_is_email ("a@b."));
  g_assert_false (coop_text_is_email ("a@@b.cn"));
  g_assert_false (coop_text_is_email ("a b@c.cn"));
  g_assert_false (coop_text_is_email ("a@b.cn, c@d.cn"));
}

static void
test_student_number (void)
{
  g_assert_true (coop_text_is_student_number ("0192010101"));
  g_assert_true (coop_text_is_student_number ("S2023-001"));
  g_assert_false (coop_text_is_student_number ("2023 001"));
  g_assert_false (coop_text_is_student_number ("学号1"));
  g_assert_false (coop_text_is_student_number (""));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/phone", test_phone);
  g_test_add_func ("/text/date", test_date);
  g_test_add_func ("/text/datetime", test_datetime);
  g_test_add_func ("/text/credit-code", test_credit_code);
  g_test_add_func ("/text/email", test_email);
  g_test_add_func ("/text/student-number", test_student_number);

  return g_test_run ();
}
