/* coop-due.c — what is due: expiries, follow-ups, closing pools, unanswered offers
 *
 * The list is read from the store's lists, so it costs no query.  An item
 * marked done stays hidden for the date it was due on: an agreement that is
 * renewed gets a new end, and its next end is due again.  A snoozed item is
 * hidden for a week.  Both are saves of the record like any other, in the
 * change log and seen by every window of a shared ledger.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-due"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "coop-agreement.h"
#include "coop-candidate.h"
#include "coop-due.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-pool.h"
#include "coop-record-private.h"
#include "coop-text.h"

void
coop_due_item_free (CoopDueItem *item)
{
  if (item == NULL)
    return;
  g_clear_object (&item->record);
  g_free (item->date);
  g_free (item);
}

/* ------------------------------------------------------------------ dates */

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  GDateYear y;
  GDateMonth m;
  GDateDay d;

  g_date_clear (date, 1);
  if (text == NULL || !coop_text_parse_date (text, &y, &m, &d))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/**
 * coop_due_today:
 *
 * Today's date in the local time zone.  The tests fix it with the
 * environment variable COOPDESK_TODAY (YYYY-MM-DD), so that what is due
 * on the demo ledger is always the same.
 *
 * Returns: (transfer full): "YYYY-MM-DD"
 */
char *
coop_due_today (void)
{
  const char *fixed = g_getenv ("COOPDESK_TODAY");
  g_autoptr(GDateTime) now = NULL;
  GDate date;

  if (fixed != NULL && parse_date (fixed, &date))
    return format_date (&date);

  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

/**
 * coop_due_add_days:
 * @date: "YYYY-MM-DD"
 * @days: how many days on, or back when negative
 *
 * Returns: (transfer full) (nullable): the date, %NULL when @date is none
 */
char *
coop_due_add_days (const char *date,
                   int         days)
{
  GDate d;

  if (!parse_date (date, &d))
    return NULL;
  if (days >= 0)
    g_date_add_days (&d, (guint) days);
  else
    g_date_subtract_days (&d, (guint) -days);
  return format_date (&d);
}

static int
days_between (const GDate *from,
              const char  *to)
{
  GDate date;

  if (!parse_date (to, &date))
    return 0;
  return g_date_days_between (from, &date);
}

/* ------------------------------------------------------------------ the list */

static const CoopField *
reminder_field (CoopRecord *record,
                const char *name)
{
  const CoopField *field = coop_record_class_find_field (COOP_RECORD_GET_CLASS (record), name);

  g_assert (field != NULL);
  return field;
}

/* Marked done for this very date, or snoozed past today. */
static gboolean
is_put_aside (CoopRecord *record,
              const char *date,
              const char *today)
{
  const char *done = coop_record_get_string (record, reminder_field (record, "reminder-done-for"));
  const char *snoozed = coop_record_get_string (record,
                                                reminder_field (record, "reminder-snoozed-until"));

  return g_strcmp0 (done, date) == 0 || (snoozed != NULL && strcmp (snoozed, today) > 0);
}

static void
add_item (GPtrArray   *items,
          CoopDueKind  kind,
          gpointer     record,
          const char  *date,
          const GDate *today)
{
  CoopDueItem *item = g_new0 (CoopDueItem, 1);

  item->kind = kind;
  item->record = g_object_ref (COOP_RECORD (record));
  item->date = g_strdup (date);
  item->days = days_between (today, date);
  g_ptr_array_add (items, item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const CoopDueItem *x = *(CoopDueItem **) a;
  const CoopDueItem *y = *(CoopDueItem **) b;
  gint64 ix, iy;

  if (x->days != y->days)
    return x->days < y->days ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  ix = coop_record_get_id (x->record);
  iy = coop_record_get_id (y->record);
  return (ix > iy) - (ix < iy);
}

/**
 * coop_due_classify_agreement:
 * @agreement: an agreement
 * @today: "YYYY-MM-DD"
 * @window_end: the last day of the warning window
 * @kind: (out): %COOP_DUE_AGREEMENT_ENDING or %COOP_DUE_AGREEMENT_LAPSED
 *
 * The one rule for an agreement that needs seeing to, whether or not it
 * was marked done or snoozed: signed or active and ending by @window_end,
 * or past its end and still marked active.
 *
 * Returns: whether @agreement is either
 */
gboolean
coop_due_classify_agreement (CoopAgreement *agreement,
                             const char    *today,
                             const char    *window_end,
                             CoopDueKind   *kind)
{
  CoopAgreementStatus status = coop_agreement_get_status (agreement);
  const char *ends_on = coop_agreement_get_ends_on (agreement);

  if (ends_on == NULL)
    return FALSE;
  if (status == COOP_AGREEMENT_STATUS_ACTIVE && strcmp (ends_on, today) < 0)
    *kind = COOP_DUE_AGREEMENT_LAPSED;
  else if ((status == COOP_AGREEMENT_STATUS_ACTIVE || status == COOP_AGREEMENT_STATUS_SIGNED) &&
           strcmp (ends_on, today) >= 0 && strcmp (ends_on, window_end) <= 0)
    *kind = COOP_DUE_AGREEMENT_ENDING;
  else
    return FALSE;
  return TRUE;
}

/**
 * coop_due_list:
 * @store: a store whose lists are loaded
 * @today: "YYYY-MM-DD", from coop_due_today()
 * @warning_days: how many days before its end an agreement is due
 *
 * Returns: (transfer container) (element-type CoopDueItem): what is due,
 *   the most pressing first (the oldest date), without what was marked
 *   done or is snoozed
 */
GPtrArray *
coop_due_list (CoopStore  *store,
               const char *today,
               guint       warning_days)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) coop_due_item_free);
  g_autofree char *window_end = coop_due_add_days (today, (int) warning_days);
  g_autofree char *pool_end = coop_due_add_days (today, COOP_DUE_POOL_DAYS);
  g_autofree char *offer_end = coop_due_add_days (today, -COOP_DUE_OFFER_DAYS);
  GListModel *list;
  GDate day;

  g_return_val_if_fail (COOP_IS_STORE (store), items);
  g_return_val_if_fail (parse_date (today, &day), items);

  list = coop_store_get_list (store, COOP_TYPE_AGREEMENT);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopAgreement) agreement = g_list_model_get_item (list, i);
      const char *ends_on = coop_agreement_get_ends_on (agreement);
      CoopDueKind kind;

      if (!coop_due_classify_agreement (agreement, today, window_end, &kind))
        continue;
      if (!is_put_aside (COOP_RECORD (agreement), ends_on, today))
        add_item (items, kind, agreement, ends_on, &day);
    }

  list = coop_store_get_list (store, COOP_TYPE_EVENT);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopEvent) event = g_list_model_get_item (list, i);
      const char *follow_up_on = coop_event_get_follow_up_on (event);

      if (follow_up_on != NULL && strcmp (follow_up_on, today) <= 0 &&
          !is_put_aside (COOP_RECORD (event), follow_up_on, today))
        add_item (items, COOP_DUE_FOLLOW_UP, event, follow_up_on, &day);
    }

  list = coop_store_get_list (store, COOP_TYPE_POOL);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopPool) pool = g_list_model_get_item (list, i);
      const char *closes_on = coop_pool_get_closes_on (pool);

      if (coop_pool_get_status (pool) == COOP_POOL_STATUS_OPEN && closes_on != NULL &&
          strcmp (closes_on, today) >= 0 && strcmp (closes_on, pool_end) <= 0 &&
          !is_put_aside (COOP_RECORD (pool), closes_on, today))
        add_item (items, COOP_DUE_POOL_CLOSING, pool, closes_on, &day);
    }

  list = coop_store_get_list (store, COOP_TYPE_CANDIDATE);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(CoopCandidate) candidate = g_list_model_get_item (list, i);
      const char *stage_on = coop_candidate_get_stage_on (candidate);

      if (coop_candidate_get_stage (candidate) == COOP_CANDIDATE_STAGE_OFFERED &&
          stage_on != NULL && strcmp (stage_on, offer_end) <= 0 &&
          !is_put_aside (COOP_RECORD (candidate), stage_on, today))
        add_item (items, COOP_DUE_OFFER_UNANSWERED, candidate, stage_on, &day);
    }

  g_ptr_array_sort (items, compare_items);
  return items;
}

/* ------------------------------------------------------------------ words */

/**
 * coop_due_item_get_heading:
 *
 * Returns: what kind of thing is due, as a notification's title
 */
const char *
coop_due_item_get_heading (const CoopDueItem *item)
{
  switch (item->kind)
    {
    case COOP_DUE_AGREEMENT_ENDING:
      return _("Agreement ending");
    case COOP_DUE_AGREEMENT_LAPSED:
      return _("Agreement ended but still active");
    case COOP_DUE_FOLLOW_UP:
      return _("Follow-up due");
    case COOP_DUE_POOL_CLOSING:
      return _("Pool closing");
    case COOP_DUE_OFFER_UNANSWERED:
      return _("Offer unanswered");
    default:
      g_assert_not_reached ();
    }
}

/**
 * coop_due_item_dup_text:
 *
 * What is due, in one line that names the record and when.  It carries no
 * student's number, phone or e-mail: it may be shown as a notification.
 *
 * Returns: (transfer full): the line
 */
char *
coop_due_item_dup_text (const CoopDueItem *item)
{
  guint days = (guint) ABS (item->days);

  switch (item->kind)
    {
    case COOP_DUE_AGREEMENT_ENDING:
      {
        CoopAgreement *agreement = COOP_AGREEMENT (item->record);
        const char *partner = coop_agreement_get_partner_name (agreement);
        const char *kind = coop_enum_get_label (COOP_TYPE_AGREEMENT_KIND,
                                                coop_agreement_get_kind (agreement));

        if (item->days == 0)
          /* Translators: "上海奇利影视科技有限公司 的实践基地协议今天到期";
           * %1$s is the agreement's kind, %2$s the partner */
          return g_strdup_printf (_("%1$s agreement with %2$s ends today"), kind, partner);
        /* Translators: "上海奇利影视科技有限公司 的实践基地协议 12 天后到期";
         * %1$s is the agreement's kind, %2$s the partner, %3$u the days */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%1$s agreement with %2$s ends in %3$u day",
                                             "%1$s agreement with %2$s ends in %3$u days",
                                             days),
                                kind, partner, days);
      }

    case COOP_DUE_AGREEMENT_LAPSED:
      {
        CoopAgreement *agreement = COOP_AGREEMENT (item->record);

        /* Translators: %1$s is the agreement's kind, %2$s the partner, %3$u the days */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%1$s agreement with %2$s ended %3$u day ago "
                                             "but is still marked active",
                                             "%1$s agreement with %2$s ended %3$u days ago "
                                             "but is still marked active",
                                             days),
                                coop_enum_get_label (COOP_TYPE_AGREEMENT_KIND,
                                                     coop_agreement_get_kind (agreement)),
                                coop_agreement_get_partner_name (agreement), days);
      }

    case COOP_DUE_FOLLOW_UP:
      {
        const char *title = coop_event_get_title (COOP_EVENT (item->record));

        if (item->days == 0)
          /* Translators: %s is an event */
          return g_strdup_printf (_("Follow up “%s” today"), title);
        /* Translators: %1$s is an event, %2$u the days since the follow-up date */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Follow up “%1$s”: due %2$u day ago",
                                             "Follow up “%1$s”: due %2$u days ago", days),
                                title, days);
      }

    case COOP_DUE_POOL_CLOSING:
      {
        CoopPool *pool = COOP_POOL (item->record);

        if (item->days == 0)
          /* Translators: %1$s is a pool, %2$s its partner */
          return g_strdup_printf (_("“%1$s” of %2$s closes today"), coop_pool_get_title (pool),
                                  coop_pool_get_partner_name (pool));
        /* Translators: %1$s is a pool, %2$s its partner, %3$u the days */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "“%1$s” of %2$s closes in %3$u day",
                                             "“%1$s” of %2$s closes in %3$u days", days),
                                coop_pool_get_title (pool), coop_pool_get_partner_name (pool),
                                days);
      }

    case COOP_DUE_OFFER_UNANSWERED:
      {
        CoopCandidate *candidate = COOP_CANDIDATE (item->record);

        /* Translators: %1$s is a student's name, %2$s a partner, %3$u the days */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%1$s has not answered the offer of %2$s for %3$u day",
                                             "%1$s has not answered the offer of %2$s for %3$u days",
                                             days),
                                coop_candidate_get_student_name (candidate),
                                coop_candidate_get_partner_name (candidate), days);
      }

    default:
      g_assert_not_reached ();
    }
}

/**
 * coop_due_item_dup_id:
 *
 * Returns: (transfer full): a name for the item that stays the same while
 *   it is due, such as "agreement-12-ending", for a notification's id
 */
char *
coop_due_item_dup_id (const CoopDueItem *item)
{
  static const char * const kinds[] = { "ending", "lapsed", "follow-up", "closing", "offer" };
  /* "CoopAgreement" is "agreement" */
  g_autofree char *type = g_ascii_strdown (G_OBJECT_TYPE_NAME (item->record) + strlen ("Coop"),
                                           -1);

  return g_strdup_printf ("due-%s-%" G_GINT64_FORMAT "-%s", type,
                          coop_record_get_id (item->record), kinds[item->kind]);
}

/**
 * coop_due_item_notification_new:
 *
 * A notification of @item whose activation runs "app.open-record" with
 * the record's type name and id, as "(sx)".
 *
 * Returns: (transfer full): the notification
 */
GNotification *
coop_due_item_notification_new (const CoopDueItem *item)
{
  g_autofree char *text = coop_due_item_dup_text (item);
  GNotification *notification = g_notification_new (coop_due_item_get_heading (item));

  g_notification_set_body (notification, text);
  g_notification_set_default_action_and_target (notification, "app.open-record", "(sx)",
                                                G_OBJECT_TYPE_NAME (item->record),
                                                coop_record_get_id (item->record));
  return notification;
}

/**
 * coop_due_send_notifications:
 * @application: a registered application
 * @items: (element-type CoopDueItem): from coop_due_list()
 *
 * Shows the first %COOP_DUE_MAX_NOTIFICATIONS items as notifications of
 * their own, and the rest as one that opens the Overview ("app.show-due").
 * An item keeps its notification's id while it is due, so a second call
 * replaces what the first showed.
 *
 * Returns: how many notifications were sent
 */
guint
coop_due_send_notifications (GApplication *application,
                             GPtrArray    *items)
{
  guint shown = MIN (items->len, COOP_DUE_MAX_NOTIFICATIONS);

  g_return_val_if_fail (G_IS_APPLICATION (application), 0);

  for (guint i = 0; i < shown; i++)
    {
      CoopDueItem *item = g_ptr_array_index (items, i);
      g_autoptr(GNotification) notification = coop_due_item_notification_new (item);
      g_autofree char *id = coop_due_item_dup_id (item);

      g_application_send_notification (application, id, notification);
    }

  if (items->len > shown)
    {
      guint more = items->len - shown;
      g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more thing is due",
                                                            "%u more things are due", more),
                                               more);
      g_autoptr(GNotification) notification = g_notification_new (_("More is due"));

      g_notification_set_body (notification, body);
      g_notification_set_default_action (notification, "app.show-due");
      g_application_send_notification (application, "due-more", notification);
      shown++;
    }
  else
    g_application_withdraw_notification (application, "due-more");

  return shown;
}

/* ------------------------------------------------------------------ putting aside */

static gboolean
save_reminder (CoopStore          *store,
               const CoopDueItem  *item,
               const char         *field_name,
               const char         *value,
               CoopRecord        **previous,
               GError            **error)
{
  CoopRecord *stored = coop_store_find (store, G_OBJECT_TYPE (item->record),
                                        coop_record_get_id (item->record));
  g_autoptr(CoopRecord) changed = NULL;
  g_autoptr(CoopRecord) before = NULL;

  if (stored == NULL)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                   _("“%s” was deleted meanwhile."), coop_record_get_title (item->record));
      return FALSE;
    }

  before = coop_record_copy (stored);
  changed = coop_record_copy (stored);
  coop_record_set_string (changed, reminder_field (changed, field_name), value);
  if (!coop_store_save (store, changed, error))
    return FALSE;

  if (previous != NULL)
    *previous = g_steal_pointer (&before);
  return TRUE;
}

/**
 * coop_due_item_mark_done:
 * @previous: (out) (optional) (transfer full): the record as it was, for
 *   coop_due_restore()
 *
 * Marks @item done: a follow-up made, an agreement renewed or let lapse,
 * an offer answered.  It stays hidden for the date it was due on.
 */
gboolean
coop_due_item_mark_done (CoopStore          *store,
                         const CoopDueItem  *item,
                         CoopRecord        **previous,
                         GError            **error)
{
  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  return save_reminder (store, item, "reminder-done-for", item->date, previous, error);
}

/**
 * coop_due_item_snooze:
 * @today: "YYYY-MM-DD"
 * @previous: (out) (optional) (transfer full): the record as it was
 *
 * Hides @item for a week from @today.
 */
gboolean
coop_due_item_snooze (CoopStore          *store,
                      const CoopDueItem  *item,
                      const char         *today,
                      CoopRecord        **previous,
                      GError            **error)
{
  g_autofree char *until = coop_due_add_days (today, COOP_DUE_SNOOZE_DAYS);

  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (until != NULL, FALSE);

  return save_reminder (store, item, "reminder-snoozed-until", until, previous, error);
}

/**
 * coop_due_restore:
 * @previous: a record from coop_due_item_mark_done() or coop_due_item_snooze()
 *
 * Takes back a mark: the record's reminder fields get their earlier
 * values; whatever else changed since stays.
 */
gboolean
coop_due_restore (CoopStore   *store,
                  CoopRecord  *previous,
                  GError     **error)
{
  const char *names[] = { "reminder-done-for", "reminder-snoozed-until" };
  CoopRecord *stored;
  g_autoptr(CoopRecord) changed = NULL;

  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);
  g_return_val_if_fail (COOP_IS_RECORD (previous), FALSE);

  stored = coop_store_find (store, G_OBJECT_TYPE (previous), coop_record_get_id (previous));
  if (stored == NULL)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_NOT_FOUND,
                   _("“%s” was deleted meanwhile."), coop_record_get_title (previous));
      return FALSE;
    }

  changed = coop_record_copy (stored);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const CoopField *field = reminder_field (changed, names[i]);
      coop_record_set_string (changed, field, coop_record_get_string (previous, field));
    }
  return coop_store_save (store, changed, error);
}
