/* coop-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-error"

#include "config.h"

#include "coop-error.h"

G_DEFINE_QUARK (coop-error-quark, coop_error)
