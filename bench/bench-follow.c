/* bench-follow.c — how soon one client's save reaches another's list
 *
 * Usage: bench-follow postgresql://…/DATABASE [SAVES]
 * Opens the ledger twice, loads the partners in the watching store and
 * follows the other's writes; then renames one partner SAVES times (1000)
 * from the writing store and measures, for each save, the time from just
 * before coop_store_save() until the watcher's list shows the new name.
 * Prints the median, the 90th percentile and the worst.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <stdlib.h>

#include "coop-partner.h"
#include "coop-store.h"

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoopStore) writer = NULL;
  g_autoptr(CoopStore) watcher = NULL;
  g_autoptr(CoopPartner) partner = coop_partner_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint saves = argc > 2 ? (guint) atoi (argv[2]) : 1000;
  CoopRecord *shown;

  if (argc < 2 || !coop_store_location_is_server (argv[1]))
    {
      g_printerr ("usage: %s postgresql://HOST/DATABASE [SAVES]\n", argv[0]);
      return 2;
    }

  writer = coop_store_open (argv[1], COOP_STORE_OPEN_DEFAULT, &error);
  watcher = writer ? coop_store_open (argv[1], COOP_STORE_OPEN_DEFAULT, &error) : NULL;
  if (watcher == NULL)
    g_error ("%s", error->message);

  coop_partner_set_name (partner, "bench-follow 0");
  if (!coop_store_save (writer, COOP_RECORD (partner), &error) ||
      !coop_store_load (watcher, COOP_TYPE_PARTNER, NULL, &error))
    g_error ("%s", error->message);
  coop_store_follow_others (watcher);
  shown = coop_store_find (watcher, COOP_TYPE_PARTNER, coop_record_get_id (COOP_RECORD (partner)));
  g_assert (shown != NULL);

  for (guint i = 1; i <= saves; i++)
    {
      g_autofree char *name = g_strdup_printf ("bench-follow %u", i);
      gint64 start = g_get_monotonic_time (), end = start + 5 * G_USEC_PER_SEC;
      gint64 took;

      coop_partner_set_name (partner, name);
      if (!coop_store_save (writer, COOP_RECORD (partner), &error))
        g_error ("%s", error->message);
      while (g_strcmp0 (coop_partner_get_name (COOP_PARTNER (shown)), name) != 0 &&
             g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      took = g_get_monotonic_time () - start;
      if (g_strcmp0 (coop_partner_get_name (COOP_PARTNER (shown)), name) != 0)
        g_error ("save %u did not arrive within 5 s", i);
      g_array_append_val (times, took);
    }

  g_array_sort (times, compare_times);
  g_print ("saves:            %u\n", saves);
  g_print ("save to list, median: %.2f ms\n", g_array_index (times, gint64, saves / 2) / 1e3);
  g_print ("save to list, p90:    %.2f ms\n", g_array_index (times, gint64, saves * 9 / 10) / 1e3);
  g_print ("save to list, worst:  %.2f ms\n", g_array_index (times, gint64, saves - 1) / 1e3);

  /* Leave the ledger as it was. */
  if (!coop_store_delete (writer, COOP_RECORD (partner), &error))
    g_error ("%s", error->message);
  return 0;
}
