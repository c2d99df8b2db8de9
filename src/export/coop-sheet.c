/* coop-sheet.c — what a printed sheet holds, before it is laid out
 *
 * Three records print: an event its sign-in sheet, with a row to sign for
 * each expected attendee and empty rows for those who come unannounced; a
 * pool its candidate list for the office, which identifies each student by
 * number, major and class; an agreement a one-page summary of what was
 * agreed.  Labels are the fields' own, as the editor shows them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-export"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-agreement.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-enums.h"
#include "coop-event.h"
#include "coop-pool.h"
#include "coop-sheet.h"

/* Empty rows at the end of a sign-in sheet. */
#define WALK_IN_ROWS 8

/* Room for a hand-written signature. */
#define SIGNATURE_ROW_HEIGHT_MM 9.0

/* ------------------------------------------------------------------ helpers */

static void
pair_free (gpointer data)
{
  CoopSheetPair *pair = data;

  g_free (pair->label);
  g_free (pair->value);
  g_free (pair);
}

static void
column_free (gpointer data)
{
  CoopSheetColumn *column = data;

  g_free (column->title);
  g_free (column);
}

static CoopSheet *
sheet_new (const char *kind,
           const char *title)
{
  CoopSheet *sheet = g_new0 (CoopSheet, 1);

  sheet->kind = g_strdup (kind);
  sheet->title = g_strdup (title);
  sheet->facts = g_ptr_array_new_with_free_func (pair_free);
  sheet->paragraphs = g_ptr_array_new_with_free_func (pair_free);
  sheet->columns = g_ptr_array_new_with_free_func (column_free);
  sheet->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return sheet;
}

static void
add_pair (GPtrArray  *pairs,
          const char *label,
          char       *value)
{
  CoopSheetPair *pair = g_new0 (CoopSheetPair, 1);

  pair->label = g_strdup (label);
  pair->value = value;
  g_ptr_array_add (pairs, pair);
}

static const CoopField *
field_of (CoopRecord *record,
          const char *name)
{
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_GET_CLASS (record), name);

  g_assert (field != NULL);
  return field;
}

static const char *
label_of (GType       type,
          const char *name)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (type);
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_CLASS (klass), name);

  g_assert (field != NULL);
  return g_dgettext (GETTEXT_PACKAGE, field->label);
}

/* A fact that shows @record's field @name under the field's own label. */
static void
add_fact (CoopSheet  *sheet,
          CoopRecord *record,
          const char *name)
{
  const CoopField *field = field_of (record, name);

  add_pair (sheet->facts, g_dgettext (GETTEXT_PACKAGE, field->label),
            coop_record_dup_display (record, field));
}

static void
add_paragraph (CoopSheet  *sheet,
               CoopRecord *record,
               const char *name)
{
  const CoopField *field = field_of (record, name);
  const char *value = coop_record_get_string (record, field);

  if (value != NULL && *value != '\0')
    add_pair (sheet->paragraphs, g_dgettext (GETTEXT_PACKAGE, field->label), g_strdup (value));
}

static void
add_column (CoopSheet  *sheet,
            const char *title,
            double      width)
{
  CoopSheetColumn *column = g_new0 (CoopSheetColumn, 1);

  column->title = g_strdup (title);
  column->width = width;
  g_ptr_array_add (sheet->columns, column);
}

/* Takes the strings, one per column, up to a NULL. */
static void
add_row (CoopSheet *sheet,
         ...)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list args;

  va_start (args, sheet);
  for (guint i = 0; i < sheet->columns->len; i++)
    {
      const char *text = va_arg (args, const char *);
      g_strv_builder_add (builder, text != NULL ? text : "");
    }
  va_end (args);
  g_ptr_array_add (sheet->rows, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);
}

/* ------------------------------------------------------------------ sheets */

static CoopSheet *
sign_in_sheet (CoopEvent *event)
{
  CoopRecord *record = COOP_RECORD (event);
  GListModel *attendees = coop_event_get_attendees (event);
  CoopSheet *sheet = sheet_new (_("Sign-in Sheet"), coop_event_get_title (event));

  add_fact (sheet, record, "starts-at");
  add_fact (sheet, record, "location");
  add_fact (sheet, record, "chair");
  add_fact (sheet, record, "partner-name");

  /* Translators: the column of a printed list that numbers its rows */
  add_column (sheet, C_("printed list", "No."), 10);
  add_column (sheet, label_of (COOP_TYPE_ATTENDEE, "name"), 24);
  add_column (sheet, label_of (COOP_TYPE_ATTENDEE, "organization"), 44);
  add_column (sheet, label_of (COOP_TYPE_ATTENDEE, "title"), 38);
  add_column (sheet, label_of (COOP_TYPE_ATTENDEE, "role"), 24);
  add_column (sheet, _("Signature"), 34);

  for (guint i = 0; i < g_list_model_get_n_items (attendees); i++)
    {
      g_autoptr(CoopAttendee) attendee = g_list_model_get_item (attendees, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      add_row (sheet, number, coop_attendee_get_name (attendee),
               coop_attendee_get_organization (attendee), coop_attendee_get_title (attendee),
               coop_enum_get_label (COOP_TYPE_ATTENDEE_ROLE, coop_attendee_get_role (attendee)),
               "");
    }
  sheet->blank_rows = WALK_IN_ROWS;
  sheet->row_height_mm = SIGNATURE_ROW_HEIGHT_MM;
  return sheet;
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  CoopCandidate *x = *(CoopCandidate **) a;
  CoopCandidate *y = *(CoopCandidate **) b;
  int order = g_strcmp0 (coop_candidate_get_student_number (x),
                         coop_candidate_get_student_number (y));

  return order != 0 ? order : g_strcmp0 (coop_candidate_get_student_name (x),
                                         coop_candidate_get_student_name (y));
}

static CoopSheet *
candidate_list (CoopStore  *store,
                CoopPool   *pool,
                GError    **error)
{
  CoopRecord *record = COOP_RECORD (pool);
  g_autoptr(CoopSheet) sheet = sheet_new (_("Candidate List"), coop_pool_get_title (pool));
  g_autoptr(GListModel) candidates = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_object_unref);

  if (coop_record_get_id (record) != 0)
    {
      candidates = coop_store_list_related (store, COOP_TYPE_CANDIDATE, "pool-id",
                                            coop_record_get_id (record), error);
      if (candidates == NULL)
        return NULL;
      for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
        g_ptr_array_add (sorted, g_list_model_get_item (candidates, i));
    }
  /* By student number, as the office files them. */
  g_ptr_array_sort (sorted, compare_candidates);

  add_fact (sheet, record, "partner-name");
  add_fact (sheet, record, "position");
  add_fact (sheet, record, "kind");
  add_fact (sheet, record, "status");
  add_fact (sheet, record, "openings");
  add_fact (sheet, record, "closes-on");
  add_pair (sheet->facts, label_of (COOP_TYPE_POOL, "candidate-count"),
            g_strdup_printf ("%u", sorted->len));
  add_fact (sheet, record, "filled-count");

  add_column (sheet, C_("printed list", "No."), 10);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "student-number"), 26);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "student-name"), 20);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "major"), 27);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "class-name"), 25);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "stage"), 27);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "stage-on"), 23);
  add_column (sheet, label_of (COOP_TYPE_CANDIDATE, "notes"), 15);

  for (guint i = 0; i < sorted->len; i++)
    {
      CoopCandidate *candidate = g_ptr_array_index (sorted, i);
      g_autofree char *number = g_strdup_printf ("%u", i + 1);

      add_row (sheet, number, coop_candidate_get_student_number (candidate),
               coop_candidate_get_student_name (candidate), coop_candidate_get_major (candidate),
               coop_candidate_get_class_name (candidate),
               coop_enum_get_label (COOP_TYPE_CANDIDATE_STAGE,
                                    coop_candidate_get_stage (candidate)),
               coop_candidate_get_stage_on (candidate), coop_candidate_get_notes (candidate));
    }
  return g_steal_pointer (&sheet);
}

static CoopSheet *
agreement_summary (CoopAgreement *agreement)
{
  CoopRecord *record = COOP_RECORD (agreement);
  CoopSheet *sheet = sheet_new (_("Agreement Summary"), coop_agreement_get_title (agreement));
  const char *facts[] = {
    "partner-name", "department-name", "kind", "status", "signed-on", "starts-on", "ends-on",
    "school-signatory", "partner-signatory", "intern-quota", "plaque-on",
  };

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    add_fact (sheet, record, facts[i]);
  add_paragraph (sheet, record, "commitments");
  add_paragraph (sheet, record, "notes");
  sheet->single_page = TRUE;
  return sheet;
}

/* ------------------------------------------------------------------ public */

/**
 * coop_sheet_can_describe:
 * @record: a record of any kind
 *
 * Returns: whether @record has a printed sheet: an event, a pool or an
 *   agreement
 */
gboolean
coop_sheet_can_describe (CoopRecord *record)
{
  return COOP_IS_EVENT (record) || COOP_IS_POOL (record) || COOP_IS_AGREEMENT (record);
}

/**
 * coop_sheet_new_for_record:
 * @store: the store @record belongs to, for what is listed with it
 * @record: an event, a pool or an agreement, saved or not
 * @error: return location for a #CoopError when the store cannot be read
 *
 * Describes the sheet @record prints as, with what it holds now: an
 * event's attendees are its own, a pool's candidates are read from @store.
 *
 * Returns: (transfer full) (nullable): the sheet, %NULL on error
 */
CoopSheet *
coop_sheet_new_for_record (CoopStore   *store,
                           CoopRecord  *record,
                           GError     **error)
{
  g_return_val_if_fail (COOP_IS_STORE (store), NULL);
  g_return_val_if_fail (coop_sheet_can_describe (record), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (COOP_IS_EVENT (record))
    return sign_in_sheet (COOP_EVENT (record));
  if (COOP_IS_POOL (record))
    return candidate_list (store, COOP_POOL (record), error);
  return agreement_summary (COOP_AGREEMENT (record));
}

void
coop_sheet_free (CoopSheet *sheet)
{
  if (sheet == NULL)
    return;
  g_free (sheet->kind);
  g_free (sheet->title);
  g_ptr_array_unref (sheet->facts);
  g_ptr_array_unref (sheet->paragraphs);
  g_ptr_array_unref (sheet->columns);
  g_ptr_array_unref (sheet->rows);
  g_free (sheet);
}

/**
 * coop_sheet_get_fact:
 * @label: a fact's translated label
 *
 * Returns: (nullable): the value of the first fact labelled @label, or
 *   %NULL when there is none or it is blank
 */
const char *
coop_sheet_get_fact (CoopSheet  *sheet,
                     const char *label)
{
  g_return_val_if_fail (sheet != NULL, NULL);

  for (guint i = 0; i < sheet->facts->len; i++)
    {
      CoopSheetPair *pair = g_ptr_array_index (sheet->facts, i);

      if (g_str_equal (pair->label, label))
        return pair->value != NULL && *pair->value != '\0' ? pair->value : NULL;
    }
  return NULL;
}
