/* coop-preferences.h — the preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COOP_TYPE_PREFERENCES (coop_preferences_get_type ())

G_DECLARE_FINAL_TYPE (CoopPreferences, coop_preferences, COOP, PREFERENCES, AdwPreferencesWindow)

CoopPreferences *coop_preferences_new (GtkWindow  *parent,
                                       const char *database_path);

G_END_DECLS
