/* coop-pool.h — a list of students recommended to a partner for internships or jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-record.h"

G_BEGIN_DECLS

#define COOP_TYPE_POOL (coop_pool_get_type ())

G_DECLARE_FINAL_TYPE (CoopPool, coop_pool, COOP, POOL, CoopRecord)

CoopPool *coop_pool_new (void);

gint64 coop_pool_get_partner_id (CoopPool *self);
void coop_pool_set_partner_id (CoopPool *self, gint64 value);
gint64 coop_pool_get_agreement_id (CoopPool *self);
void coop_pool_set_agreement_id (CoopPool *self, gint64 value);
gint64 coop_pool_get_event_id (CoopPool *self);
void coop_pool_set_event_id (CoopPool *self, gint64 value);
const char *coop_pool_get_title (CoopPool *self);
void coop_pool_set_title (CoopPool *self, const char *value);
const char *coop_pool_get_position (CoopPool *self);
void coop_pool_set_position (CoopPool *self, const char *value);
CoopPoolKind coop_pool_get_kind (CoopPool *self);
void coop_pool_set_kind (CoopPool *self, CoopPoolKind value);
int coop_pool_get_openings (CoopPool *self);
void coop_pool_set_openings (CoopPool *self, int value);
CoopPoolStatus coop_pool_get_status (CoopPool *self);
void coop_pool_set_status (CoopPool *self, CoopPoolStatus value);
const char *coop_pool_get_opened_on (CoopPool *self);
void coop_pool_set_opened_on (CoopPool *self, const char *value);
const char *coop_pool_get_closes_on (CoopPool *self);
void coop_pool_set_closes_on (CoopPool *self, const char *value);
const char *coop_pool_get_partner_name (CoopPool *self);
const char *coop_pool_get_agreement_title (CoopPool *self);
const char *coop_pool_get_event_title (CoopPool *self);
int coop_pool_get_candidate_count (CoopPool *self);
int coop_pool_get_filled_count (CoopPool *self);

G_END_DECLS
