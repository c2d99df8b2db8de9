/* coop-id-index.c — where a record with a given id sits in an array
 *
 * Two forms, chosen when the index is built:
 *   a table  when the ids span at most a few times as many numbers as there
 *            are records: the position of id i, plus one, at i - the least
 *            id (zero for no record);
 *   a list   of (id, position) pairs sorted by id, searched by halving, when
 *            the ids are spread out (records imported with ids of their own).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-record"

#include "config.h"

#include <stdlib.h>

#include "coop-id-index.h"
#include "coop-record.h"

/* At most this many table slots per record, plus a small constant. */
#define TABLE_SLOTS_PER_RECORD 4
#define TABLE_SLOTS_EXTRA      1024

typedef struct {
  gint64  id;
  guint32 position;
} Entry;

struct _CoopIdIndex
{
  gint64   least;
  guint64  span;      /* the table's slots, or 0 for the list */
  guint32 *table;
  Entry   *entries;
  guint    n_entries;
};

static int
compare_entries (const void *a,
                 const void *b)
{
  const Entry *x = a;
  const Entry *y = b;

  if (x->id != y->id)
    return x->id < y->id ? -1 : 1;
  /* The first of two records with one id is the one found. */
  return (x->position > y->position) - (x->position < y->position);
}

/**
 * coop_id_index_new:
 * @records: (nullable) (element-type CoopRecord): the records, in any order
 *
 * Returns: (transfer full): an index of @records by id, as they are now;
 *   it refers to neither the array nor the records
 */
CoopIdIndex *
coop_id_index_new (const GPtrArray *records)
{
  CoopIdIndex *index = g_new0 (CoopIdIndex, 1);
  guint n = records != NULL ? records->len : 0;
  gint64 least = G_MAXINT64, most = G_MININT64;

  g_return_val_if_fail (n < G_MAXINT, index);

  if (n == 0)
    return index;

  for (guint i = 0; i < n; i++)
    {
      gint64 id = coop_record_get_id (g_ptr_array_index (records, i));

      least = MIN (least, id);
      most = MAX (most, id);
    }

  index->least = least;
  /* The subtraction cannot overflow in unsigned arithmetic. */
  if ((guint64) most - (guint64) least < (guint64) n * TABLE_SLOTS_PER_RECORD + TABLE_SLOTS_EXTRA)
    {
      index->span = (guint64) most - (guint64) least + 1;
      index->table = g_new0 (guint32, index->span);
      for (guint i = n; i-- > 0; )
        index->table[coop_record_get_id (g_ptr_array_index (records, i)) - least] = i + 1;
      return index;
    }

  index->n_entries = n;
  index->entries = g_new (Entry, n);
  for (guint i = 0; i < n; i++)
    {
      index->entries[i].id = coop_record_get_id (g_ptr_array_index (records, i));
      index->entries[i].position = i;
    }
  qsort (index->entries, n, sizeof (Entry), compare_entries);
  return index;
}

void
coop_id_index_free (CoopIdIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->table);
  g_free (index->entries);
  g_free (index);
}

/**
 * coop_id_index_find:
 *
 * Returns: the position in the indexed array of the first record with @id,
 *   or -1 when there is none
 */
gint
coop_id_index_find (const CoopIdIndex *index,
                    gint64             id)
{
  guint low = 0, high;

  if (index->table != NULL)
    {
      guint64 slot = (guint64) id - (guint64) index->least;

      return slot < index->span ? (gint) index->table[slot] - 1 : -1;
    }

  /* The first entry whose id is not below @id. */
  high = index->n_entries;
  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (index->entries[middle].id < id)
        low = middle + 1;
      else
        high = middle;
    }

  return low < index->n_entries && index->entries[low].id == id
         ? (gint) index->entries[low].position : -1;
}
