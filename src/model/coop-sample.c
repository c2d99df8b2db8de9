/* coop-sample.c — sample databases for trying Coopdesk out and for benchmarks
 *
 * The demo tells the story Coopdesk was made for: the School of Art and
 * Design signs a practical base agreement with a film and television
 * technology company and holds an internship and employment recommendation
 * meeting.  Its dates are placed around today so that the overview always
 * has an agreement about to expire and an event to come.
 *
 * The large sample is synthetic and deterministic (a fixed seed), at the
 * scale the design asks Coopdesk to handle; the huge one is the same made
 * four times as large, to see how each path grows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "coop-sample"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <stdlib.h>

#include "coop-agreement.h"
#include "coop-attachment.h"
#include "coop-attendee.h"
#include "coop-candidate.h"
#include "coop-contact.h"
#include "coop-department.h"
#include "coop-due.h"
#include "coop-enums.h"
#include "coop-error.h"
#include "coop-event.h"
#include "coop-partner.h"
#include "coop-pool.h"
#include "coop-sample.h"
#include "coop-student.h"
#include "coop-text.h"

/* ------------------------------------------------------------------ helpers */

static char *
credit_code (guint serial)
{
  char code[19];
  char check = '\0';

  g_snprintf (code, sizeof code, "91310115MA1K%05uX", serial % 100000);
  coop_text_check_credit_code (code, &check);
  code[17] = check;
  return g_strdup (code);
}

/* From coop_due_today(), which the tests fix. */
static char *
date_from_today (int days)
{
  g_autofree char *today = coop_due_today ();

  return coop_due_add_days (today, days);
}

static gboolean
save (CoopStore  *store,
      gpointer    record,
      GError    **error)
{
  return coop_store_save (store, COOP_RECORD (record), error);
}

static gint64
id_of (gpointer record)
{
  return coop_record_get_id (COOP_RECORD (record));
}

/* A one-page PDF that says what it stands for, as a scan would be. */
static GBytes *
sample_pdf (const char *line)
{
  GString *pdf = g_string_new ("%PDF-1.4\n");
  g_autofree char *stream = g_strdup_printf ("BT /F1 14 Tf 56 760 Td (%s) Tj ET", line);
  char *objects[5] = {
    g_strdup ("<< /Type /Catalog /Pages 2 0 R >>"),
    g_strdup ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
    g_strdup ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
              " /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
    g_strdup_printf ("<< /Length %zu >>\nstream\n%s\nendstream", strlen (stream), stream),
    g_strdup ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
  };
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
      g_free (objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n",
                          (guint) G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          (guint) G_N_ELEMENTS (objects) + 1, xref);
  return g_string_free_to_bytes (pdf);
}

static gboolean
attach_pdf (CoopStore          *store,
            gpointer            owner,
            const char         *name,
            CoopAttachmentKind  kind,
            const char         *line,
            GError            **error)
{
  g_autoptr(CoopAttachment) attachment = coop_attachment_new ();
  g_autoptr(GBytes) content = sample_pdf (line);

  coop_attachment_set_owner (attachment, COOP_RECORD (owner));
  coop_attachment_set_name (attachment, name);
  coop_attachment_set_kind (attachment, kind);
  coop_attachment_set_content_type (attachment, "application/pdf");
  return coop_store_attach (store, attachment, content, error);
}

static CoopDepartment *
add_department (CoopStore   *store,
                const char  *name,
                gint64       parent_id,
                GError     **error)
{
  g_autoptr(CoopDepartment) department = coop_department_new ();

  coop_department_set_name (department, name);
  coop_department_set_parent_id (department, parent_id);
  if (!save (store, department, error))
    return NULL;
  return g_steal_pointer (&department);
}

static CoopContact *
add_contact (CoopStore   *store,
             const char  *name,
             const char  *title,
             gint64       partner_id,
             gint64       department_id,
             const char  *phone,
             const char  *email,
             GError     **error)
{
  g_autoptr(CoopContact) contact = coop_contact_new ();

  coop_contact_set_name (contact, name);
  coop_contact_set_title (contact, title);
  coop_contact_set_partner_id (contact, partner_id);
  coop_contact_set_department_id (contact, department_id);
  coop_contact_set_phone (contact, phone);
  coop_contact_set_email (contact, email);
  if (!save (store, contact, error))
    return NULL;
  return g_steal_pointer (&contact);
}

static void
add_attendee (CoopEvent        *event,
              const char       *name,
              const char       *title,
              const char       *organization,
              CoopAttendeeRole  role,
              gint64            contact_id)
{
  g_autoptr(CoopAttendee) attendee = coop_attendee_new ();

  coop_attendee_set_name (attendee, name);
  coop_attendee_set_title (attendee, title);
  coop_attendee_set_organization (attendee, organization);
  coop_attendee_set_role (attendee, role);
  coop_attendee_set_contact_id (attendee, contact_id);
  g_list_store_append (G_LIST_STORE (coop_event_get_attendees (event)), attendee);
}

/* ------------------------------------------------------------------ demo */

typedef struct {
  const char *name;
  const char *short_name;
  const char *industry;
  const char *city;
  const char *address;
  const char *website;
  CoopPartnerStatus status;
} PartnerSeed;

static const PartnerSeed demo_partners[] = {
  { "上海奇利影视科技有限公司", "奇利影视", "影视科技", "上海", "上海市闵行区虹梅南路 2588 号",
    "www.qili-film.example.cn", COOP_PARTNER_STATUS_ACTIVE },
  { "杭州云帆广告传媒有限公司", "云帆传媒", "广告传媒", "杭州", "杭州市西湖区文三路 90 号",
    "www.yunfan-ad.example.cn", COOP_PARTNER_STATUS_ACTIVE },
  { "苏州星图数字科技有限公司", "星图数字", "数字媒体", "苏州", "苏州工业园区星湖街 328 号",
    NULL, COOP_PARTNER_STATUS_ACTIVE },
  { "深圳蓝鲸品牌设计有限公司", "蓝鲸设计", "品牌设计", "深圳", "深圳市南山区科技园南区 12 栋",
    "www.bluewhale-design.example.cn", COOP_PARTNER_STATUS_ACTIVE },
  { "南京墨韵文化创意有限公司", "墨韵文创", "文化创意", "南京", "南京市秦淮区中华路 45 号",
    NULL, COOP_PARTNER_STATUS_PROSPECT },
  { "北京光年互动娱乐有限公司", "光年互动", "游戏动画", "北京", "北京市海淀区中关村大街 19 号",
    NULL, COOP_PARTNER_STATUS_DORMANT },
};

typedef struct {
  const char *number;
  const char *name;
  CoopGender gender;
  int department;  /* index into the demo departments */
  const char *major;
  const char *class_name;
  int graduation_year;
  const char *phone;
} StudentSeed;

static const StudentSeed demo_students[] = {
  { "0192010101", "林雨萱", COOP_GENDER_FEMALE, 1, "广告学", "广告 2001 班", 2024, "138 1620 3301" },
  { "0192010102", "周子豪", COOP_GENDER_MALE, 1, "广告学", "广告 2001 班", 2024, "13816203302" },
  { "0192010215", "吴思琪", COOP_GENDER_FEMALE, 1, "广告学", "广告 2002 班", 2024, "139-1620-3303" },
  { "0192020107", "郑浩然", COOP_GENDER_MALE, 2, "数字媒体艺术", "数媒 2001 班", 2024, "13916203304" },
  { "0192020118", "孙佳怡", COOP_GENDER_FEMALE, 2, "数字媒体艺术", "数媒 2001 班", 2024, "13716203305" },
  { "0192020203", "马俊杰", COOP_GENDER_MALE, 2, "数字媒体艺术", "数媒 2002 班", 2024, "13716203306" },
  { "0192020224", "何欣然", COOP_GENDER_FEMALE, 2, "数字媒体艺术", "数媒 2002 班", 2024, "15016203307" },
  { "0192030109", "高一鸣", COOP_GENDER_MALE, 3, "视觉传达设计", "视传 2001 班", 2024, "15016203308" },
  { "0192030112", "谢雨桐", COOP_GENDER_FEMALE, 3, "视觉传达设计", "视传 2001 班", 2024, "15216203309" },
  { "0202010105", "黄梓涵", COOP_GENDER_FEMALE, 1, "广告学", "广告 2101 班", 2025, "15216203310" },
  { "0202010121", "陈宇航", COOP_GENDER_MALE, 1, "广告学", "广告 2101 班", 2025, "18616203311" },
  { "0202020111", "徐梦瑶", COOP_GENDER_FEMALE, 2, "数字媒体艺术", "数媒 2101 班", 2025, "18616203312" },
  { "0202020130", "冯俊熙", COOP_GENDER_MALE, 2, "数字媒体艺术", "数媒 2101 班", 2025, "18916203313" },
  { "0202030102", "曹诗涵", COOP_GENDER_FEMALE, 3, "视觉传达设计", "视传 2101 班", 2025, "18916203314" },
  { "0202030117", "彭博文", COOP_GENDER_MALE, 3, "视觉传达设计", "视传 2101 班", 2025, "13316203315" },
  { "0212020104", "蒋雨晴", COOP_GENDER_FEMALE, 2, "数字媒体艺术", "数媒 2201 班", 2026, "13316203316" },
};

static gboolean
fill_demo (CoopStore  *store,
           GError    **error)
{
  g_autoptr(GPtrArray) departments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) partners = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CoopContact) manager = NULL;
  g_autoptr(CoopContact) project_manager = NULL;
  g_autoptr(CoopContact) vice_dean = NULL;
  g_autoptr(CoopContact) secretary = NULL;
  g_autoptr(CoopContact) advertising_head = NULL;
  g_autoptr(CoopContact) digital_head = NULL;
  g_autoptr(CoopAgreement) base = NULL;
  g_autoptr(CoopEvent) meeting = NULL;
  g_autoptr(CoopPool) pool = NULL;
  CoopDepartment *school;
  CoopPartner *qili;
  gint64 school_id;

  /* The school and its departments */
  school = add_department (store, "艺术设计学院", 0, error);
  if (school == NULL)
    return FALSE;
  g_ptr_array_add (departments, school);
  school_id = id_of (school);
  for (guint i = 0; i < 3; i++)
    {
      static const char *names[] = { "广告系", "数字媒体艺术系", "视觉传达设计系" };
      CoopDepartment *department = add_department (store, names[i], school_id, error);

      if (department == NULL)
        return FALSE;
      g_ptr_array_add (departments, department);
    }

  /* Partners */
  for (guint i = 0; i < G_N_ELEMENTS (demo_partners); i++)
    {
      const PartnerSeed *seed = &demo_partners[i];
      g_autoptr(CoopPartner) partner = coop_partner_new ();
      g_autofree char *code = credit_code (2301 + i * 37);

      coop_partner_set_name (partner, seed->name);
      coop_partner_set_short_name (partner, seed->short_name);
      coop_partner_set_industry (partner, seed->industry);
      coop_partner_set_city (partner, seed->city);
      coop_partner_set_address (partner, seed->address);
      coop_partner_set_website (partner, seed->website);
      coop_partner_set_status (partner, seed->status);
      if (seed->status != COOP_PARTNER_STATUS_PROSPECT)
        coop_partner_set_credit_code (partner, code);
      if (!save (store, partner, error))
        return FALSE;
      g_ptr_array_add (partners, g_steal_pointer (&partner));
    }
  qili = g_ptr_array_index (partners, 0);
  coop_partner_set_notes (qili, "2023 年 5 月总经理、项目经理来院考察，签订实践基地协议。");
  if (!save (store, qili, error))
    return FALSE;

  /* Contacts, the company's and the school's */
  manager = add_contact (store, "王建国", "总经理", id_of (qili), 0, "021-6458 1201",
                         "wang.jianguo@qili-film.example.cn", error);
  project_manager = add_contact (store, "李晓明", "项目经理", id_of (qili), 0, "13801762288",
                                 "li.xiaoming@qili-film.example.cn", error);
  vice_dean = add_contact (store, "陈志华", "副院长", 0, school_id, "021-6525 3001",
                           "chenzh@art.example.edu.cn", error);
  secretary = add_contact (store, "刘红", "党委书记", 0, school_id, "021-6525 3002", NULL, error);
  advertising_head = add_contact (store, "张伟", "广告系副主任", 0,
                                  id_of (g_ptr_array_index (departments, 1)), "021-6525 3101",
                                  "zhangwei@art.example.edu.cn", error);
  digital_head = add_contact (store, "赵敏", "数字媒体艺术系副主任", 0,
                              id_of (g_ptr_array_index (departments, 2)), "021-6525 3201",
                              "zhaomin@art.example.edu.cn", error);
  if (!manager || !project_manager || !vice_dean || !secretary || !advertising_head || !digital_head)
    return FALSE;
  {
    g_autoptr(CoopContact) hr = add_contact (store, "周婷", "人力资源经理",
                                             id_of (g_ptr_array_index (partners, 1)), 0,
                                             "0571-8876 5432", "hr@yunfan-ad.example.cn", error);
    if (hr == NULL)
      return FALSE;
  }

  /* The practical base agreement */
  base = coop_agreement_new ();
  coop_agreement_set_partner_id (base, id_of (qili));
  coop_agreement_set_department_id (base, school_id);
  coop_agreement_set_title (base, "艺术设计学院—上海奇利影视科技有限公司实践基地协议");
  coop_agreement_set_kind (base, COOP_AGREEMENT_KIND_PRACTICE_BASE);
  coop_agreement_set_status (base, COOP_AGREEMENT_STATUS_ACTIVE);
  coop_agreement_set_signed_on (base, "2023-05-19");
  coop_agreement_set_starts_on (base, "2023-06-01");
  coop_agreement_set_ends_on (base, "2028-05-31");
  coop_agreement_set_school_signatory (base, "陈志华（副院长）");
  coop_agreement_set_partner_signatory (base, "王建国（总经理）");
  coop_agreement_set_commitments (base, "人才培养：共建影视后期与数字内容实践课程；\n"
                                        "产学研项目：联合申报影视科技项目；\n"
                                        "毕业生就业：每年优先录用实习表现优秀的毕业生。");
  coop_agreement_set_intern_quota (base, 10);
  coop_agreement_set_plaque_on (base, "2023-05-19");
  if (!save (store, base, error) ||
      !attach_pdf (store, base, "实践基地协议-盖章扫描件.pdf", COOP_ATTACHMENT_KIND_CONTRACT,
                   "Practice base agreement, signed 2023-05-19 (scan)", error))
    return FALSE;

  /* The recommendation meeting */
  meeting = coop_event_new ();
  coop_event_set_kind (meeting, COOP_EVENT_KIND_RECOMMENDATION_MEETING);
  coop_event_set_title (meeting, "上海奇利影视科技有限公司实习就业推荐会");
  coop_event_set_starts_at (meeting, "2023-05-19 14:00");
  coop_event_set_location (meeting, "艺术设计学院 A 楼报告厅");
  coop_event_set_partner_id (meeting, id_of (qili));
  coop_event_set_agreement_id (meeting, id_of (base));
  coop_event_set_chair (meeting, "陈志华");
  coop_event_set_students_attending (meeting, 68);
  coop_event_set_summary (meeting,
                          "公司总经理、项目经理来院考察并介绍企业概况与岗位需求；副院长陈志华主持，"
                          "党委书记刘红，广告系、数字媒体艺术系副主任，教师与学生代表参加。"
                          "各专业学生与企业就实习、就业进行了交流。");
  coop_event_set_outcomes (meeting, "双方在人才培养、产学研项目和毕业生就业方面达成共识；"
                                    "签订实践基地协议并举行揭牌仪式；形成首批实习推荐名单。");
  coop_event_set_follow_up_on (meeting, "2023-06-15");
  add_attendee (meeting, "陈志华", "副院长", "艺术设计学院", COOP_ATTENDEE_ROLE_HOST,
                id_of (vice_dean));
  add_attendee (meeting, "王建国", "总经理", "上海奇利影视科技有限公司", COOP_ATTENDEE_ROLE_GUEST,
                id_of (manager));
  add_attendee (meeting, "李晓明", "项目经理", "上海奇利影视科技有限公司",
                COOP_ATTENDEE_ROLE_SPEAKER, id_of (project_manager));
  add_attendee (meeting, "刘红", "党委书记", "艺术设计学院", COOP_ATTENDEE_ROLE_PARTICIPANT,
                id_of (secretary));
  add_attendee (meeting, "张伟", "广告系副主任", "艺术设计学院",
                COOP_ATTENDEE_ROLE_PARTICIPANT, id_of (advertising_head));
  add_attendee (meeting, "赵敏", "数字媒体艺术系副主任", "艺术设计学院",
                COOP_ATTENDEE_ROLE_PARTICIPANT, id_of (digital_head));
  add_attendee (meeting, "林雨萱", "学生代表", "广告学专业", COOP_ATTENDEE_ROLE_PARTICIPANT, 0);
  if (!save (store, meeting, error) ||
      !attach_pdf (store, meeting, "推荐会签到表.pdf", COOP_ATTACHMENT_KIND_SIGN_IN_SHEET,
                   "Sign-in sheet, recommendation meeting 2023-05-19 (scan)", error))
    return FALSE;

  /* Students */
  for (guint i = 0; i < G_N_ELEMENTS (demo_students); i++)
    {
      const StudentSeed *seed = &demo_students[i];
      g_autoptr(CoopStudent) student = coop_student_new ();
      g_autofree char *email = g_strdup_printf ("%s@stu.example.edu.cn", seed->number);

      coop_student_set_number (student, seed->number);
      coop_student_set_name (student, seed->name);
      coop_student_set_gender (student, seed->gender);
      coop_student_set_department_id (student,
                                      id_of (g_ptr_array_index (departments, seed->department)));
      coop_student_set_major (student, seed->major);
      coop_student_set_class_name (student, seed->class_name);
      coop_student_set_graduation_year (student, seed->graduation_year);
      coop_student_set_phone (student, seed->phone);
      coop_student_set_email (student, email);
      if (!save (store, student, error))
        return FALSE;
      g_ptr_array_add (students, g_steal_pointer (&student));
    }

  /* The pool from the meeting, its students at different stages */
  pool = coop_pool_new ();
  coop_pool_set_partner_id (pool, id_of (qili));
  coop_pool_set_agreement_id (pool, id_of (base));
  coop_pool_set_event_id (pool, id_of (meeting));
  coop_pool_set_title (pool, "奇利影视 2024 届实习推荐名单");
  coop_pool_set_position (pool, "影视后期制作实习生");
  coop_pool_set_kind (pool, COOP_POOL_KIND_INTERNSHIP);
  coop_pool_set_openings (pool, 8);
  coop_pool_set_status (pool, COOP_POOL_STATUS_OPEN);
  coop_pool_set_opened_on (pool, "2023-05-19");
  coop_pool_set_closes_on (pool, "2023-09-30");
  if (!save (store, pool, error))
    return FALSE;

  {
    static const struct { guint student; CoopCandidateStage stages[4]; const char *dates[4]; } path[] = {
      { 0, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_INTERVIEWING,
             COOP_CANDIDATE_STAGE_INTERNING, COOP_CANDIDATE_STAGE_HIRED },
        { "2023-05-19", "2023-05-26", "2023-07-03", "2024-06-20" } },
      { 3, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_INTERVIEWING,
             COOP_CANDIDATE_STAGE_INTERNING },
        { "2023-05-19", "2023-05-26", "2023-07-03" } },
      { 4, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_OFFERED },
        { "2023-05-19", "2023-06-02" } },
      { 5, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_APPLIED },
        { "2023-05-19", "2023-05-22" } },
      { 1, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_INTERVIEWING,
             COOP_CANDIDATE_STAGE_DECLINED },
        { "2023-05-19", "2023-05-26", "2023-06-01" } },
      { 7, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_INTERVIEWING,
             COOP_CANDIDATE_STAGE_REJECTED },
        { "2023-05-19", "2023-05-26", "2023-06-05" } },
      { 8, { COOP_CANDIDATE_STAGE_RECOMMENDED }, { "2023-05-19" } },
      { 6, { COOP_CANDIDATE_STAGE_RECOMMENDED, COOP_CANDIDATE_STAGE_WITHDRAWN },
        { "2023-05-19", "2023-05-30" } },
    };

    for (guint i = 0; i < G_N_ELEMENTS (path); i++)
      {
        g_autoptr(CoopCandidate) candidate = coop_candidate_new ();

        coop_candidate_set_pool_id (candidate, id_of (pool));
        coop_candidate_set_student_id (candidate, id_of (g_ptr_array_index (students,
                                                                            path[i].student)));
        for (guint step = 0; step < G_N_ELEMENTS (path[i].stages) && path[i].dates[step]; step++)
          {
            coop_candidate_set_stage (candidate, path[i].stages[step]);
            coop_candidate_set_stage_on (candidate, path[i].dates[step]);
            if (!save (store, candidate, error))
              return FALSE;
          }
      }
  }

  /* The other partners' agreements: one expiring soon, one expired, one
   * past its end but still marked active, one in negotiation. */
  {
    g_autofree char *soon = date_from_today (45);
    g_autofree char *soon_start = date_from_today (45 - 3 * 365);
    g_autofree char *lapsed = date_from_today (-20);
    g_autofree char *lapsed_start = date_from_today (-20 - 2 * 365);
    const struct {
      guint partner; const char *title; CoopAgreementKind kind; CoopAgreementStatus status;
      const char *signed_on; const char *starts_on; const char *ends_on; int quota; guint dept;
    } seeds[] = {
      { 1, "云帆传媒广告专业实习基地协议", COOP_AGREEMENT_KIND_INTERNSHIP_BASE,
        COOP_AGREEMENT_STATUS_ACTIVE, soon_start, soon_start, soon, 6, 1 },
      { 2, "星图数字数字媒体联合培养协议", COOP_AGREEMENT_KIND_JOINT_TRAINING,
        COOP_AGREEMENT_STATUS_EXPIRED, "2021-09-01", "2021-09-01", "2024-08-31", 4, 2 },
      { 3, "蓝鲸设计就业基地协议", COOP_AGREEMENT_KIND_EMPLOYMENT_BASE,
        COOP_AGREEMENT_STATUS_ACTIVE, lapsed_start, lapsed_start, lapsed, 5, 3 },
      { 4, "墨韵文创产学研项目合作协议（草案）", COOP_AGREEMENT_KIND_INDUSTRY_PROJECT,
        COOP_AGREEMENT_STATUS_NEGOTIATING, NULL, NULL, NULL, 0, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
      {
        g_autoptr(CoopAgreement) agreement = coop_agreement_new ();

        coop_agreement_set_partner_id (agreement, id_of (g_ptr_array_index (partners,
                                                                            seeds[i].partner)));
        coop_agreement_set_department_id (agreement,
                                          id_of (g_ptr_array_index (departments, seeds[i].dept)));
        coop_agreement_set_title (agreement, seeds[i].title);
        coop_agreement_set_kind (agreement, seeds[i].kind);
        coop_agreement_set_status (agreement, seeds[i].status);
        coop_agreement_set_signed_on (agreement, seeds[i].signed_on);
        coop_agreement_set_starts_on (agreement, seeds[i].starts_on);
        coop_agreement_set_ends_on (agreement, seeds[i].ends_on);
        coop_agreement_set_intern_quota (agreement, seeds[i].quota);
        coop_agreement_set_school_signatory (agreement, seeds[i].signed_on ? "陈志华" : NULL);
        if (!save (store, agreement, error))
          return FALSE;
        /* The expired one was scanned in; the two in force were not yet. */
        if (seeds[i].status == COOP_AGREEMENT_STATUS_EXPIRED &&
            !attach_pdf (store, agreement, "联合培养协议-盖章扫描件.pdf",
                         COOP_ATTACHMENT_KIND_CONTRACT,
                         "Joint training agreement, signed 2021-09-01 (scan)", error))
          return FALSE;
      }
  }

  /* Other events: a visit, a job fair, a seminar to come */
  {
    g_autofree char *coming = date_from_today (14);
    g_autofree char *coming_at = g_strconcat (coming, " 09:30", NULL);
    const struct {
      CoopEventKind kind; const char *title; const char *at; const char *location;
      gint64 partner; int students; const char *summary;
    } seeds[] = {
      { COOP_EVENT_KIND_VISIT, "走访杭州云帆广告传媒有限公司", "2024-03-12 10:00",
        "杭州云帆广告传媒有限公司", id_of (g_ptr_array_index (partners, 1)), 0,
        "张伟副主任带队走访，了解广告策划岗位的实习安排。" },
      { COOP_EVENT_KIND_JOB_FAIR, "2024 届毕业生春季专场招聘会", "2024-04-20 13:30",
        "学生活动中心", 0, 240, "12 家企业参加，提供岗位 86 个。" },
      { COOP_EVENT_KIND_SIGNING_CEREMONY, "深圳蓝鲸品牌设计有限公司就业基地揭牌仪式",
        "2022-11-08 15:00", "艺术设计学院 B 楼 201", id_of (g_ptr_array_index (partners, 3)),
        30, NULL },
      { COOP_EVENT_KIND_SEMINAR, "数字内容产业校企座谈会", coming_at, "艺术设计学院会议室",
        id_of (g_ptr_array_index (partners, 2)), 20, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
      {
        g_autoptr(CoopEvent) event = coop_event_new ();

        coop_event_set_kind (event, seeds[i].kind);
        coop_event_set_title (event, seeds[i].title);
        coop_event_set_starts_at (event, seeds[i].at);
        coop_event_set_location (event, seeds[i].location);
        coop_event_set_partner_id (event, seeds[i].partner);
        coop_event_set_students_attending (event, seeds[i].students);
        coop_event_set_summary (event, seeds[i].summary);
        coop_event_set_chair (event, i == 0 ? "张伟" : "陈志华");
        if (!save (store, event, error))
          return FALSE;
      }
  }

  /* An employment pool at another partner */
  {
    g_autoptr(CoopPool) jobs = coop_pool_new ();
    static const guint picks[] = { 9, 10, 13 };

    coop_pool_set_partner_id (jobs, id_of (g_ptr_array_index (partners, 1)));
    coop_pool_set_title (jobs, "云帆传媒 2025 届就业推荐");
    coop_pool_set_position (jobs, "广告策划专员");
    coop_pool_set_kind (jobs, COOP_POOL_KIND_EMPLOYMENT);
    coop_pool_set_openings (jobs, 3);
    coop_pool_set_status (jobs, COOP_POOL_STATUS_OPEN);
    coop_pool_set_opened_on (jobs, "2025-03-01");
    if (!save (store, jobs, error))
      return FALSE;

    for (guint i = 0; i < G_N_ELEMENTS (picks); i++)
      {
        g_autoptr(CoopCandidate) candidate = coop_candidate_new ();

        coop_candidate_set_pool_id (candidate, id_of (jobs));
        coop_candidate_set_student_id (candidate, id_of (g_ptr_array_index (students, picks[i])));
        coop_candidate_set_stage (candidate, i == 0 ? COOP_CANDIDATE_STAGE_HIRED
                                                    : COOP_CANDIDATE_STAGE_INTERVIEWING);
        coop_candidate_set_stage_on (candidate, "2025-04-10");
        if (!save (store, candidate, error))
          return FALSE;
      }
  }

  return TRUE;
}

/* ------------------------------------------------------------------ large */

#define LARGE_SCHOOLS      10
#define LARGE_DEPARTMENTS  5     /* per school */
#define LARGE_CONTACTS     3     /* per partner */
#define POOL_CANDIDATES    100   /* each pool takes 100 different students */

/* The large sample; the huge one is four times as many of each. */
typedef struct {
  guint partners;
  guint agreements;
  guint events;
  guint students;
  guint pools;
  guint candidates;
} SampleScale;

static const SampleScale large_scale = {
  .partners = 1000, .agreements = 5000, .events = 20000, .students = 100000,
  .pools = 2000, .candidates = 200000,
};

static const char *surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
  "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
};
static const char *given_names[] = {
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
  "明", "超", "秀英", "霞", "平", "刚", "桂英", "子涵", "雨桐", "浩然", "梓萱", "宇轩", "欣怡",
  "思远", "佳琪", "一诺", "俊熙", "诗雨", "博文", "可馨", "晨阳",
};
static const char *cities[] = {
  "上海", "北京", "杭州", "苏州", "南京", "深圳", "广州", "成都", "武汉", "西安", "合肥", "宁波",
};
static const char *industries[] = {
  "影视科技", "广告传媒", "数字媒体", "品牌设计", "游戏动画", "文化创意", "互联网", "出版印刷",
};
static const char *majors[] = {
  "广告学", "数字媒体艺术", "视觉传达设计", "环境设计", "产品设计", "动画", "摄影", "服装设计",
  "工艺美术", "戏剧影视美术设计",
};
static const char *name_parts[] = {
  "星河", "云帆", "奇点", "光年", "墨韵", "蓝鲸", "青禾", "远景", "锦程", "华彩", "拓维", "原点",
  "新象", "极光", "万象", "鸿途", "睿智", "晨曦", "启航", "汇聚",
};
static const char *company_kinds[] = {
  "影视科技", "广告传媒", "数字科技", "品牌设计", "文化创意", "互动娱乐", "网络科技", "传媒集团",
};

static char *
person_name (GRand *rand)
{
  return g_strconcat (surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
                      given_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (given_names))], NULL);
}

static char *
random_date (GRand *rand,
             int    first_year,
             int    last_year)
{
  int year = g_rand_int_range (rand, first_year, last_year + 1);
  int month = g_rand_int_range (rand, 1, 13);
  int day = g_rand_int_range (rand, 1, 29);

  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

static gboolean
fill_large (CoopStore  *store,
            guint       factor,
            GError    **error)
{
  const SampleScale scale = {
    .partners = large_scale.partners * factor, .agreements = large_scale.agreements * factor,
    .events = large_scale.events * factor, .students = large_scale.students * factor,
    .pools = large_scale.pools * factor, .candidates = large_scale.candidates * factor,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20230519);
  g_autoptr(GArray) departments = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) partners = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) agreements = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) students = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pools = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint s = 0; s < LARGE_SCHOOLS; s++)
    {
      g_autofree char *name = g_strdup_printf ("第%u学院", s + 1);
      g_autoptr(CoopDepartment) school = add_department (store, name, 0, error);

      if (school == NULL)
        return FALSE;
      for (guint d = 0; d < LARGE_DEPARTMENTS; d++)
        {
          g_autofree char *dept_name = g_strdup_printf ("第%u学院%s系", s + 1,
                                                        majors[(s + d) % G_N_ELEMENTS (majors)]);
          g_autoptr(CoopDepartment) department = add_department (store, dept_name, id_of (school),
                                                                 error);
          gint64 id;

          if (department == NULL)
            return FALSE;
          id = id_of (department);
          g_array_append_val (departments, id);
        }
    }

  for (guint i = 0; i < scale.partners; i++)
    {
      g_autoptr(CoopPartner) partner = coop_partner_new ();
      const char *city = cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))];
      g_autofree char *name = g_strdup_printf ("%s%s%s有限公司 %04u", city,
                                               name_parts[i % G_N_ELEMENTS (name_parts)],
                                               company_kinds[(i / 20) % G_N_ELEMENTS (company_kinds)],
                                               i + 1);
      g_autofree char *code = credit_code (i);
      gint64 id;

      coop_partner_set_name (partner, name);
      coop_partner_set_city (partner, city);
      coop_partner_set_industry (partner,
                                 industries[g_rand_int_range (rand, 0, G_N_ELEMENTS (industries))]);
      coop_partner_set_credit_code (partner, code);
      coop_partner_set_status (partner, (CoopPartnerStatus) g_rand_int_range (rand, 0, 3));
      if (!save (store, partner, error))
        return FALSE;
      id = id_of (partner);
      g_array_append_val (partners, id);

      for (guint c = 0; c < LARGE_CONTACTS; c++)
        {
          g_autofree char *contact_name = person_name (rand);
          g_autofree char *phone = g_strdup_printf ("139%08u", g_rand_int_range (rand, 0, 99999999));
          g_autoptr(CoopContact) contact = add_contact (store, contact_name,
                                                        c == 0 ? "总经理" : "项目经理", id, 0,
                                                        phone, NULL, error);
          if (contact == NULL)
            return FALSE;
        }
    }

  for (guint i = 0; i < scale.agreements; i++)
    {
      g_autoptr(CoopAgreement) agreement = coop_agreement_new ();
      g_autofree char *starts = random_date (rand, 2016, 2026);
      g_autofree char *ends = g_strdup_printf ("%04d%s", atoi (starts) + g_rand_int_range (rand, 1, 6),
                                               starts + 4);
      g_autofree char *title = g_strdup_printf ("校企合作协议 %05u", i + 1);
      gint64 id;

      if (g_str_has_suffix (ends, "02-29"))
        ends[9] = '8';
      coop_agreement_set_partner_id (agreement, g_array_index (partners, gint64, i % scale.partners));
      coop_agreement_set_department_id (agreement,
                                        g_array_index (departments, gint64,
                                                       i % departments->len));
      coop_agreement_set_title (agreement, title);
      coop_agreement_set_kind (agreement, (CoopAgreementKind) g_rand_int_range (rand, 0, 6));
      coop_agreement_set_status (agreement, (CoopAgreementStatus) g_rand_int_range (rand, 0, 6));
      coop_agreement_set_signed_on (agreement, starts);
      coop_agreement_set_starts_on (agreement, starts);
      coop_agreement_set_ends_on (agreement, ends);
      coop_agreement_set_intern_quota (agreement, g_rand_int_range (rand, 0, 20));
      if (!save (store, agreement, error))
        return FALSE;
      id = id_of (agreement);
      g_array_append_val (agreements, id);
    }

  for (guint i = 0; i < scale.events; i++)
    {
      g_autoptr(CoopEvent) event = coop_event_new ();
      g_autofree char *date = random_date (rand, 2016, 2026);
      g_autofree char *at = g_strdup_printf ("%s %02d:%02d", date, g_rand_int_range (rand, 8, 18),
                                             g_rand_int_range (rand, 0, 4) * 15);
      g_autofree char *title = g_strdup_printf ("校企交流活动 %05u", i + 1);
      g_autofree char *chair = person_name (rand);
      guint partner = (guint) g_rand_int_range (rand, 0, scale.partners);
      gint64 id;

      coop_event_set_kind (event, (CoopEventKind) g_rand_int_range (rand, 0, 6));
      coop_event_set_title (event, title);
      coop_event_set_starts_at (event, at);
      coop_event_set_location (event, "学院报告厅");
      coop_event_set_partner_id (event, g_array_index (partners, gint64, partner));
      coop_event_set_chair (event, chair);
      coop_event_set_students_attending (event, g_rand_int_range (rand, 0, 200));
      for (guint a = 0; a < 3; a++)
        {
          g_autofree char *name = person_name (rand);
          add_attendee (event, name, NULL, NULL, (CoopAttendeeRole) a, 0);
        }
      if (!save (store, event, error))
        return FALSE;
      id = id_of (event);
      g_array_append_val (events, id);
    }

  for (guint i = 0; i < scale.students; i++)
    {
      g_autoptr(CoopStudent) student = coop_student_new ();
      int year = 2018 + (int) (i % 9);
      g_autofree char *number = g_strdup_printf ("%02d%08u", year % 100, i);
      g_autofree char *name = person_name (rand);
      const char *major = majors[i % G_N_ELEMENTS (majors)];
      g_autofree char *class_name = g_strdup_printf ("%s %d%02u 班", major, year - 4,
                                                     (i / 10) % 4 + 1);
      g_autofree char *phone = g_strdup_printf ("13%09u", g_rand_int_range (rand, 0, 999999999));
      gint64 id;

      coop_student_set_number (student, number);
      coop_student_set_name (student, name);
      coop_student_set_gender (student, (CoopGender) g_rand_int_range (rand, 1, 3));
      coop_student_set_department_id (student,
                                      g_array_index (departments, gint64, i % departments->len));
      coop_student_set_major (student, major);
      coop_student_set_class_name (student, class_name);
      coop_student_set_graduation_year (student, year);
      coop_student_set_phone (student, phone);
      if (!save (store, student, error))
        return FALSE;
      id = id_of (student);
      g_array_append_val (students, id);
    }

  for (guint i = 0; i < scale.pools; i++)
    {
      g_autoptr(CoopPool) pool = coop_pool_new ();
      g_autofree char *title = g_strdup_printf ("推荐名单 %04u", i + 1);
      g_autofree char *opened = random_date (rand, 2018, 2026);
      gint64 id;

      coop_pool_set_partner_id (pool, g_array_index (partners, gint64, i % scale.partners));
      coop_pool_set_agreement_id (pool, g_array_index (agreements, gint64, i % scale.agreements));
      coop_pool_set_event_id (pool, g_array_index (events, gint64, i % scale.events));
      coop_pool_set_title (pool, title);
      coop_pool_set_position (pool, i % 2 ? "设计实习生" : "内容运营");
      coop_pool_set_kind (pool, (CoopPoolKind) (i % 2));
      coop_pool_set_openings (pool, g_rand_int_range (rand, 5, 50));
      coop_pool_set_status (pool, (CoopPoolStatus) (i % 3 == 0));
      coop_pool_set_opened_on (pool, opened);
      if (!save (store, pool, error))
        return FALSE;
      id = id_of (pool);
      g_array_append_val (pools, id);
    }

  for (guint i = 0; i < scale.candidates; i++)
    {
      g_autoptr(CoopCandidate) candidate = coop_candidate_new ();
      guint pool = i / POOL_CANDIDATES;
      guint student = (pool * 7919 + (i % POOL_CANDIDATES) * 997) % scale.students;
      g_autofree char *stage_on = random_date (rand, 2018, 2026);

      coop_candidate_set_pool_id (candidate, g_array_index (pools, gint64, pool));
      coop_candidate_set_student_id (candidate, g_array_index (students, gint64, student));
      coop_candidate_set_stage (candidate, (CoopCandidateStage) g_rand_int_range (rand, 0, 9));
      coop_candidate_set_stage_on (candidate, stage_on);
      if (!save (store, candidate, error))
        return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ public */

/**
 * coop_sample_fill:
 * @store: a #CoopStore on an empty database
 * @size: which sample
 * @error: return location for a #CoopError
 *
 * Fills an empty database with sample records, in one transaction.  A
 * database that already holds partners or students is left alone and
 * %COOP_ERROR_CONSTRAINT returned.
 */
gboolean
coop_sample_fill (CoopStore       *store,
                  CoopSampleSize   size,
                  GError         **error)
{
  CoopStoreCounts counts;
  gboolean ok;

  g_return_val_if_fail (COOP_IS_STORE (store), FALSE);

  if (!coop_store_count (store, &counts, error))
    return FALSE;
  if (counts.partners > 0 || counts.students > 0 || counts.departments > 0)
    {
      g_set_error (error, COOP_ERROR, COOP_ERROR_CONSTRAINT,
                   _("The database already holds records; sample data goes only into an "
                     "empty database."));
      return FALSE;
    }

  if (!coop_store_begin (store, error))
    return FALSE;

  switch (size)
    {
    case COOP_SAMPLE_LARGE:
      ok = fill_large (store, 1, error);
      break;
    case COOP_SAMPLE_HUGE:
      ok = fill_large (store, 4, error);
      break;
    case COOP_SAMPLE_DEMO:
    default:
      ok = fill_demo (store, error);
      break;
    }
  if (!ok)
    {
      coop_store_rollback (store);
      return FALSE;
    }

  return coop_store_commit (store, error);
}
