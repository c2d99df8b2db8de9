/* coop-id-index.h — where a record with a given id sits in an array
 *
 * Reports and exports join records to the records they refer to (a
 * candidate to its student, an agreement to its partner) hundreds of
 * thousands of times.  An index is built once over an array of records and
 * answers each lookup without hashing: ids a store hands out are nearly
 * consecutive, so the index is usually a table from id to position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CoopIdIndex CoopIdIndex;

CoopIdIndex *coop_id_index_new  (const GPtrArray   *records);
void         coop_id_index_free (CoopIdIndex       *index);
gint         coop_id_index_find (const CoopIdIndex *index,
                                 gint64             id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoopIdIndex, coop_id_index_free)

G_END_DECLS
