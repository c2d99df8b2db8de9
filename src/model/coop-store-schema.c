/* coop-store-schema.c — the tables and their relations, in the SQL both backends speak
 *
 * What each table holds and how the tables refer to each other.  The
 * fragments of SQL here are plain SQL that every backend accepts; each
 * backend keeps its own schema and migrations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "coop-agreement.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-stage-change.h"
#include "coop-store-private.h"
#include "coop-student.h"

/* ------------------------------------------------------------------ tables */

const CoopTableInfo coop_tables[COOP_N_TABLES] = {
  [COOP_TABLE_DEPARTMENT] = { "department", coop_department_get_type,
                              "department t LEFT JOIN department up ON up.id = t.parent_id", TRUE },
  [COOP_TABLE_PARTNER] = { "partner", coop_partner_get_type, "partner t", TRUE },
  [COOP_TABLE_CONTACT] = { "contact", coop_contact_get_type,
                           "contact t LEFT JOIN partner pa ON pa.id = t.partner_id"
                           " LEFT JOIN department d ON d.id = t.department_id", TRUE },
  [COOP_TABLE_AGREEMENT] = { "agreement", coop_agreement_get_type,
                             "agreement t JOIN partner pa ON pa.id = t.partner_id"
                             " LEFT JOIN department d ON d.id = t.department_id", TRUE },
  [COOP_TABLE_EVENT] = { "event", coop_event_get_type,
                         "event t LEFT JOIN partner pa ON pa.id = t.partner_id"
                         " LEFT JOIN agreement a ON a.id = t.agreement_id", TRUE },
  [COOP_TABLE_ATTENDEE] = { "attendee", coop_attendee_get_type, "attendee t", FALSE },
  [COOP_TABLE_STUDENT] = { "student", coop_student_get_type,
                           "student t LEFT JOIN department d ON d.id = t.department_id", TRUE },
  [COOP_TABLE_POOL] = { "pool", coop_pool_get_type,
                        "pool t JOIN partner pa ON pa.id = t.partner_id"
                        " LEFT JOIN agreement a ON a.id = t.agreement_id"
                        " LEFT JOIN event e ON e.id = t.event_id", TRUE },
  [COOP_TABLE_CANDIDATE] = { "candidate", coop_candidate_get_type,
                             "candidate t JOIN student s ON s.id = t.student_id"
                             " JOIN pool p ON p.id = t.pool_id"
                             " JOIN partner pa ON pa.id = p.partner_id"
                             " LEFT JOIN department d ON d.id = s.department_id", TRUE },
  [COOP_TABLE_STAGE_CHANGE] = { "stage_change", coop_stage_change_get_type, "stage_change t",
                                FALSE },
};

const CoopDerivedColumn coop_derived_columns[] = {
  { COOP_TABLE_DEPARTMENT, "parent-name", "up.name" },
  { COOP_TABLE_CONTACT, "partner-name", "pa.name" },
  { COOP_TABLE_CONTACT, "department-name", "d.name" },
  { COOP_TABLE_AGREEMENT, "partner-name", "pa.name" },
  { COOP_TABLE_AGREEMENT, "department-name", "d.name" },
  { COOP_TABLE_EVENT, "partner-name", "pa.name" },
  { COOP_TABLE_EVENT, "agreement-title", "a.title" },
  { COOP_TABLE_STUDENT, "department-name", "d.name" },
  { COOP_TABLE_POOL, "partner-name", "pa.name" },
  { COOP_TABLE_POOL, "agreement-title", "a.title" },
  { COOP_TABLE_POOL, "event-title", "e.title" },
  { COOP_TABLE_POOL, "candidate-count",
    "(SELECT count(*) FROM candidate c WHERE c.pool_id = t.id)" },
  { COOP_TABLE_POOL, "filled-count",
    "(SELECT count(*) FROM candidate c WHERE c.pool_id = t.id AND c.stage IN ('interning', 'hired'))" },
  { COOP_TABLE_CANDIDATE, "student-number", "s.number" },
  { COOP_TABLE_CANDIDATE, "student-name", "s.name" },
  { COOP_TABLE_CANDIDATE, "department-name", "d.name" },
  { COOP_TABLE_CANDIDATE, "major", "s.major" },
  { COOP_TABLE_CANDIDATE, "class-name", "s.class_name" },
  { COOP_TABLE_CANDIDATE, "pool-title", "p.title" },
  { COOP_TABLE_CANDIDATE, "partner-id", "p.partner_id" },
  { COOP_TABLE_CANDIDATE, "partner-name", "pa.name" },
};
const guint coop_n_derived_columns = G_N_ELEMENTS (coop_derived_columns);

const CoopDependency coop_dependencies[] = {
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_DEPARTMENT, "SELECT id FROM department WHERE parent_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_CONTACT, "SELECT id FROM contact WHERE department_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_AGREEMENT, "SELECT id FROM agreement WHERE department_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_STUDENT, "SELECT id FROM student WHERE department_id = ?1" },
  { COOP_TABLE_DEPARTMENT, COOP_TABLE_CANDIDATE,
    "SELECT c.id FROM candidate c JOIN student s ON s.id = c.student_id WHERE s.department_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_CONTACT, "SELECT id FROM contact WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_AGREEMENT, "SELECT id FROM agreement WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_EVENT, "SELECT id FROM event WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_POOL, "SELECT id FROM pool WHERE partner_id = ?1" },
  { COOP_TABLE_PARTNER, COOP_TABLE_CANDIDATE,
    "SELECT c.id FROM candidate c JOIN pool p ON p.id = c.pool_id WHERE p.partner_id = ?1" },
  { COOP_TABLE_AGREEMENT, COOP_TABLE_EVENT, "SELECT id FROM event WHERE agreement_id = ?1" },
  { COOP_TABLE_AGREEMENT, COOP_TABLE_POOL, "SELECT id FROM pool WHERE agreement_id = ?1" },
  { COOP_TABLE_EVENT, COOP_TABLE_POOL, "SELECT id FROM pool WHERE event_id = ?1" },
  { COOP_TABLE_STUDENT, COOP_TABLE_CANDIDATE, "SELECT id FROM candidate WHERE student_id = ?1" },
  { COOP_TABLE_POOL, COOP_TABLE_CANDIDATE, "SELECT id FROM candidate WHERE pool_id = ?1" },
  { COOP_TABLE_CANDIDATE, COOP_TABLE_POOL, "SELECT pool_id FROM candidate WHERE id = ?1" },
};
const guint coop_n_dependencies = G_N_ELEMENTS (coop_dependencies);

const CoopBlocker coop_blockers[] = {
  { COOP_TABLE_PARTNER, "SELECT count(*) FROM agreement WHERE partner_id = ?1",
    COOP_N_("%d agreement", "%d agreements") },
  { COOP_TABLE_PARTNER, "SELECT count(*) FROM pool WHERE partner_id = ?1",
    COOP_N_("%d recommendation pool", "%d recommendation pools") },
  { COOP_TABLE_DEPARTMENT, "SELECT count(*) FROM department WHERE parent_id = ?1",
    COOP_N_("%d department", "%d departments") },
  { COOP_TABLE_STUDENT, "SELECT count(*) FROM candidate WHERE student_id = ?1",
    COOP_N_("%d recommendation", "%d recommendations") },
};
const guint coop_n_blockers = G_N_ELEMENTS (coop_blockers);

