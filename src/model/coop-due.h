/* coop-due.h — what is due: expiries, follow-ups, closing pools, unanswered offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "coop-agreement.h"
#include "coop-store.h"

G_BEGIN_DECLS

/* A pool is near its closing date, and an offer waits too long for an
 * answer, after this many days. */
#define COOP_DUE_POOL_DAYS  7
#define COOP_DUE_OFFER_DAYS 7
/* Past this many, the rest is one notification. */
#define COOP_DUE_MAX_NOTIFICATIONS 5
/* A snooze hides an item for a week. */
#define COOP_DUE_SNOOZE_DAYS 7

typedef enum {
  COOP_DUE_AGREEMENT_ENDING,   /* active or signed, ends within the warning window */
  COOP_DUE_AGREEMENT_LAPSED,   /* ended, but still marked active */
  COOP_DUE_FOLLOW_UP,          /* an event whose follow-up date has come */
  COOP_DUE_POOL_CLOSING,       /* an open pool that closes within a week */
  COOP_DUE_OFFER_UNANSWERED,   /* a candidate offered a place a week ago or more */
} CoopDueKind;

/**
 * CoopDueItem:
 * @kind: what is due
 * @record: the agreement, event, pool or candidate
 * @date: the date it is about (an end, a follow-up, a closing, an offer)
 * @days: days from today to @date, negative when it has passed
 */
typedef struct {
  CoopDueKind  kind;
  CoopRecord  *record;
  char        *date;
  int          days;
} CoopDueItem;

void           coop_due_item_free               (CoopDueItem       *item);
char          *coop_due_item_dup_text           (const CoopDueItem *item);
const char    *coop_due_item_get_heading        (const CoopDueItem *item);
char          *coop_due_item_dup_id             (const CoopDueItem *item);
GNotification *coop_due_item_notification_new   (const CoopDueItem *item);
guint          coop_due_send_notifications      (GApplication      *application,
                                                 GPtrArray         *items);

char          *coop_due_today                   (void);
char          *coop_due_add_days                (const char        *date,
                                                 int                days);
gboolean       coop_due_classify_agreement      (CoopAgreement     *agreement,
                                                 const char        *today,
                                                 const char        *window_end,
                                                 CoopDueKind       *kind);
GPtrArray     *coop_due_list                    (CoopStore         *store,
                                                 const char        *today,
                                                 guint              warning_days);
gboolean       coop_due_item_mark_done          (CoopStore         *store,
                                                 const CoopDueItem *item,
                                                 CoopRecord       **previous,
                                                 GError           **error);
gboolean       coop_due_item_snooze             (CoopStore         *store,
                                                 const CoopDueItem *item,
                                                 const char        *today,
                                                 CoopRecord       **previous,
                                                 GError           **error);
gboolean       coop_due_restore                 (CoopStore         *store,
                                                 CoopRecord        *previous,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopDueItem, coop_due_item_free)

G_END_DECLS
