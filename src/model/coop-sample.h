/* coop-sample.h — sample databases for trying Coopdesk out and for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "coop-store.h"

G_BEGIN_DECLS

typedef enum {
  COOP_SAMPLE_DEMO,  /* the story of the design, a few dozen records */
  COOP_SAMPLE_LARGE, /* deterministic synthetic data at the scale of a large college */
  COOP_SAMPLE_HUGE,  /* four times the large sample: a large university over a decade */
} CoopSampleSize;

gboolean coop_sample_fill (CoopStore      *store,
                           CoopSampleSize  size,
                           GError        **error);

G_END_DECLS
