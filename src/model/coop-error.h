/* coop-error.h — the error domain of Coopdesk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define COOP_ERROR (coop_error_quark ())

/**
 * CoopError:
 * @COOP_ERROR_FAILED: anything not covered below (an unexpected SQLite error)
 * @COOP_ERROR_VALIDATION: a field holds a value that is not allowed
 * @COOP_ERROR_DUPLICATE: a value that must be unique is already taken
 * @COOP_ERROR_CONSTRAINT: the change would break a relation between records
 * @COOP_ERROR_NOT_FOUND: the record no longer exists
 * @COOP_ERROR_BUSY: another program is writing the database
 * @COOP_ERROR_LOCKED: the database is held by another Coopdesk
 * @COOP_ERROR_CORRUPT: the file is damaged or not a database
 * @COOP_ERROR_SCHEMA_TOO_NEW: the file was written by a newer Coopdesk
 * @COOP_ERROR_NOT_COOPDESK: the file is an SQLite database of another program
 * @COOP_ERROR_IO: reading or writing a file failed (disk full, no permission)
 * @COOP_ERROR_READ_ONLY: the database was opened read-only
 * @COOP_ERROR_CANCELLED: the user cancelled the operation
 * @COOP_ERROR_CONFLICT: somebody else saved or deleted the record since it
 *   was read; nothing was changed
 * @COOP_ERROR_CONNECTION: the database server cannot be reached, refused the
 *   user, or the connection to it was lost
 * @COOP_ERROR_AUTHENTICATION: the database server wants a password and none
 *   was given, or it refused the one given; another password may open it
 */
typedef enum {
  COOP_ERROR_FAILED,
  COOP_ERROR_VALIDATION,
  COOP_ERROR_DUPLICATE,
  COOP_ERROR_CONSTRAINT,
  COOP_ERROR_NOT_FOUND,
  COOP_ERROR_BUSY,
  COOP_ERROR_LOCKED,
  COOP_ERROR_CORRUPT,
  COOP_ERROR_SCHEMA_TOO_NEW,
  COOP_ERROR_NOT_COOPDESK,
  COOP_ERROR_IO,
  COOP_ERROR_READ_ONLY,
  COOP_ERROR_CANCELLED,
  COOP_ERROR_CONNECTION,
  COOP_ERROR_CONFLICT,
  COOP_ERROR_AUTHENTICATION,
} CoopError;

GQuark coop_error_quark (void);

G_END_DECLS
