/* coop-search.c — folded search keys cached on records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-search"

#include "config.h"

#include <glib/gi18n.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-search.h"
#include "coop-student.h"
#include "coop-text.h"

/* The key is computed on first use and dropped when the store reports the
 * record changed, so a keystroke only runs strstr() over ready keys. */

static GQuark
key_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("coop-search-key");
  return quark;
}

/* The fields a search looks at, the same in lists and pickers. */
static const char * const *
search_properties (CoopRecord *record)
{
  static const char * const partner[] = { "name", "short-name", "credit-code", "industry",
                                          "city", NULL };
  static const char * const contact[] = { "name", "title", "partner-name", "department-name",
                                          "phone", "email", NULL };
  static const char * const agreement[] = { "title", "partner-name", "department-name", "kind",
                                            "status", NULL };
  static const char * const event[] = { "title", "partner-name", "location", "kind",
                                        "starts-at", NULL };
  static const char * const student[] = { "number", "name", "department-name", "major",
                                          "class-name", NULL };
  static const char * const pool[] = { "title", "partner-name", "position", "kind", NULL };
  static const char * const candidate[] = { "student-number", "student-name", "major",
                                            "class-name", "stage", NULL };
  static const char * const other[] = { "name", "title", NULL };

  if (COOP_IS_PARTNER (record))
    return partner;
  if (COOP_IS_CONTACT (record))
    return contact;
  if (COOP_IS_AGREEMENT (record))
    return agreement;
  if (COOP_IS_EVENT (record))
    return event;
  if (COOP_IS_STUDENT (record))
    return student;
  if (COOP_IS_POOL (record))
    return pool;
  if (COOP_IS_CANDIDATE (record))
    return candidate;
  return other;
}

static char *
build_key (CoopRecord *record)
{
  CoopRecordClass *klass = COOP_RECORD_GET_CLASS (record);
  const char * const *properties = search_properties (record);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; properties[i] != NULL; i++)
    {
      const CoopField *field = coop_record_class_find_field (klass, properties[i]);
      g_autofree char *display = NULL;

      if (field == NULL)
        continue;
      display = coop_record_dup_display (record, field);
      if (display == NULL || display[0] == '\0')
        continue;
      g_string_append (text, display);
      /* Folding drops white space, so fields are kept apart by a control
       * character no search text contains. */
      g_string_append_c (text, '\x1f');
    }

  return coop_text_fold (text->str);
}

const char *
coop_search_get_key (CoopRecord *record)
{
  const char *key = g_object_get_qdata (G_OBJECT (record), key_quark ());

  if (key == NULL)
    {
      char *built = build_key (record);

      g_object_set_qdata_full (G_OBJECT (record), key_quark (), built, g_free);
      key = built;
    }

  return key;
}

void
coop_search_forget_key (CoopRecord *record)
{
  g_object_set_qdata (G_OBJECT (record), key_quark (), NULL);
}

static void
on_list_items_changed_cb (GListModel *list,
                          guint       position,
                          guint       removed,
                          guint       added,
                          gpointer    user_data)
{
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (list, position + i);

      coop_search_forget_key (record);
    }
}

/* Drops the cached key of every record the list reports as changed.  The
 * handler runs before the views' own, so they filter on fresh keys. */
void
coop_search_track_list (GListModel *list)
{
  if (g_object_get_data (G_OBJECT (list), "coop-search-tracked") != NULL)
    return;
  g_object_set_data (G_OBJECT (list), "coop-search-tracked", GINT_TO_POINTER (1));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_list_items_changed_cb), NULL);
}

gboolean
coop_search_matches (CoopRecord *record,
                     const char *folded_needle)
{
  if (folded_needle == NULL || folded_needle[0] == '\0')
    return TRUE;
  return strstr (coop_search_get_key (record), folded_needle) != NULL;
}

typedef struct {
  GListModel *list;
  guint       position;
} PrepareData;

static void
prepare_data_free (gpointer user_data)
{
  PrepareData *data = user_data;

  g_object_unref (data->list);
  g_free (data);
}

static gboolean
prepare_idle_cb (gpointer user_data)
{
  PrepareData *data = user_data;
  guint n = g_list_model_get_n_items (data->list);
  guint end = MIN (n, data->position + 2000);

  for (; data->position < end; data->position++)
    {
      g_autoptr(CoopRecord) record = g_list_model_get_item (data->list, data->position);

      coop_search_get_key (record);
    }

  return data->position < n ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Computes the keys of a large list a little at a time while the user
 * is idle, so that the first keystroke does not pay for all of them. */
void
coop_search_prepare_list (GListModel *list)
{
  PrepareData *data = g_new0 (PrepareData, 1);

  data->list = g_object_ref (list);
  g_idle_add_full (G_PRIORITY_LOW, prepare_idle_cb, data, prepare_data_free);
}
