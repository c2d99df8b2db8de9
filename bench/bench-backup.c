/* bench-backup.c — how long a backup, its check and an open with the
 * quick check take
 *
 * bench-backup [DATABASE]
 *
 * DATABASE is copied into a temporary folder first and never changed; without
 * it the large sample is generated there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-backup"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "coop-test-util.h"
#include "coop-backup.h"
#include "coop-sample.h"
#include "coop-store.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coop-bench-backup-XXXXXX", &error);
  g_autofree char *database = NULL;
  g_autofree char *output = NULL;
  g_autofree char *rotated = NULL;
  g_autoptr(CoopStore) store = NULL;
  GStatBuf buf;
  gint64 start;

  if (dir == NULL)
    g_error ("%s", error->message);
  database = g_build_filename (dir, "large.db", NULL);
  output = g_build_filename (dir, "large.backup", NULL);

  if (argc > 1)
    {
      /* A backup is the safe way to copy a database that may be in use. */
      if (!coop_backup_write (argv[1], database, &error))
        g_error ("%s", error->message);
    }
  else
    {
      start = g_get_monotonic_time ();
      store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
      if (store == NULL || !coop_sample_fill (store, COOP_SAMPLE_LARGE, &error))
        g_error ("%s", error->message);
      g_clear_object (&store);
      g_print ("generate large sample:   %6.2f s\n", seconds_since (start));
    }

  g_stat (database, &buf);
  g_print ("database size:           %6.1f MB\n", buf.st_size / 1e6);

  start = g_get_monotonic_time ();
  store = coop_store_open (database, COOP_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  g_print ("open with quick check:   %6.2f s\n", seconds_since (start));

  start = g_get_monotonic_time ();
  if (!coop_backup_write (database, output, &error))
    g_error ("%s", error->message);
  g_print ("backup (copy + check):   %6.2f s\n", seconds_since (start));

  start = g_get_monotonic_time ();
  if (!coop_backup_verify (output, &error))
    g_error ("%s", error->message);
  g_print ("check a backup alone:    %6.2f s\n", seconds_since (start));

  start = g_get_monotonic_time ();
  rotated = coop_backup_rotate (database, NULL, COOP_BACKUP_DEFAULT_KEEP, &error);
  if (rotated == NULL)
    g_error ("%s", error->message);
  g_print ("automatic backup:        %6.2f s\n", seconds_since (start));

  g_clear_object (&store);
  start = g_get_monotonic_time ();
  if (!coop_backup_restore (database, output, NULL, &error))
    g_error ("%s", error->message);
  g_print ("restore (keep + copy):   %6.2f s\n", seconds_since (start));

  coop_test_remove_tree (dir);
  return 0;
}
