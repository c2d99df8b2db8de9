/* coop-backend.c — the base of every kind of database the store can use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-store"

#include "config.h"

#include "coop-backend.h"

typedef struct
{
  CoopBackendState state;
} CoopBackendPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CoopBackend, coop_backend, G_TYPE_OBJECT)

/* A statement a line, which a database in the same process writes about as
 * fast as any other way. */
static gboolean
coop_backend_real_log_changes (CoopBackend  *self,
                               GPtrArray    *entries,
                               GError      **error)
{
  for (guint i = 0; i < entries->len; i++)
    if (!COOP_BACKEND_GET_CLASS (self)->log_change (self, g_ptr_array_index (entries, i), error))
      return FALSE;
  return TRUE;
}

static void
coop_backend_finalize (GObject *object)
{
  CoopBackendPrivate *priv = coop_backend_get_instance_private (COOP_BACKEND (object));

  g_free (priv->state.location);
  g_free (priv->state.user);

  G_OBJECT_CLASS (coop_backend_parent_class)->finalize (object);
}

static void
coop_backend_class_init (CoopBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = coop_backend_finalize;
  klass->log_changes = coop_backend_real_log_changes;
}

static void
coop_backend_init (CoopBackend *self)
{
}

/**
 * coop_backend_get_state:
 * @self: a #CoopBackend
 *
 * The backend fills it in while it opens the database; the store reads it.
 *
 * Returns: (transfer none): the state of the open database
 */
CoopBackendState *
coop_backend_get_state (CoopBackend *self)
{
  CoopBackendPrivate *priv = coop_backend_get_instance_private (self);

  return &priv->state;
}

/**
 * coop_backend_wait_checked:
 * @self: a #CoopBackend
 * @error: return location for a #CoopError
 *
 * Waits for the check that runs beside the load, if there is one.
 *
 * Returns: %FALSE with %COOP_ERROR_CORRUPT when it found the database
 *   damaged
 */
gboolean
coop_backend_wait_checked (CoopBackend  *self,
                           GError      **error)
{
  CoopBackendClass *klass = COOP_BACKEND_GET_CLASS (self);

  return klass->wait_checked == NULL || klass->wait_checked (self, error);
}
