/* coop-partner-detail.h — a partner's contacts, agreements, events and pools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "coop-store.h"

G_BEGIN_DECLS

#define COOP_TYPE_PARTNER_DETAIL (coop_partner_detail_get_type ())

G_DECLARE_FINAL_TYPE (CoopPartnerDetail, coop_partner_detail, COOP, PARTNER_DETAIL, GtkWidget)

CoopPartnerDetail *coop_partner_detail_new         (CoopStore         *store);
void               coop_partner_detail_set_partner (CoopPartnerDetail *self,
                                                    CoopRecord        *partner);
guint              coop_partner_detail_get_n_rows  (CoopPartnerDetail *self);

G_END_DECLS
