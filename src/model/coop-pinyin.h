/* coop-pinyin.h — finding Chinese names by their pinyin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Separates the keys of two fields: a query never matches across it. */
#define COOP_PINYIN_FIELD_SEPARATOR '\x1f'

char     *coop_pinyin_key           (const char *text);
void      coop_pinyin_append_key    (GString    *key,
                                     const char *text);
char     *coop_pinyin_prepare_query (const char *query);
guint32   coop_pinyin_initials      (const char *key);
guint64   coop_pinyin_pairs         (const char *key);
guint64   coop_pinyin_pair          (const char *prepared_query);
gboolean  coop_pinyin_matches       (const char *key,
                                     const char *prepared_query);

G_END_DECLS
