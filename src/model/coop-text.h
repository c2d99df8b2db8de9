/* coop-text.h — normalising and checking the text users type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *coop_text_fold               (const char *text);
char     *coop_text_normalize          (const char *text);
char     *coop_text_normalize_phone    (const char *text);
gboolean  coop_text_is_phone           (const char *text);
gboolean  coop_text_is_email           (const char *text);
gboolean  coop_text_is_student_number  (const char *text);
gboolean  coop_text_parse_date         (const char *text,
                                        GDateYear  *year,
                                        GDateMonth *month,
                                        GDateDay   *day);
char     *coop_text_normalize_date     (const char *text);
char     *coop_text_normalize_datetime (const char *text);
gboolean  coop_text_check_credit_code  (const char *code,
                                        char       *expected_check);

G_END_DECLS
