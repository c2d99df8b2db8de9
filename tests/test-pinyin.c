/* test-pinyin.c — pinyin keys and the queries that find them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <unicode/uversion.h>

#include "coop-test-util.h"
#include "coop-pinyin.h"

#define CACHE_HEADER "Coopdesk pinyin readings 1, ICU " U_ICU_VERSION "\n"

static char *
cache_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), "coopdesk", "pinyin-readings", NULL);
}

static void
test_key (void)
{
  static const struct { const char *in; const char *key; } cases[] = {
    { "张三", "zhang san" },
    { "单雄信", "shan|dan xiong xin" },
    { "曾国藩", "zeng|ceng guo fan" },
    { "解晓东", "xie|jie xiao dong" },
    { "仇英", "qiu|chou ying" },
    { "朴志勇", "piao|pu zhi yong" },
    { "区家明", "ou|qu jia ming" },
    { "查良镛", "zha|cha liang yong" },
    { "吕伟", "lv|lu wei" },
    { "实践基地", "shi jian ji di|de" },
    { "Li Ming", "li ming" },
    { "ＬＩ　Ｍｉｎｇ", "li ming" },
    { "李Ming 2023", "li ming" },
    { "A+B 工作室", "a b gong zuo shi" },
    { "2023", "" },
    { "", "" },
    { NULL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *key = coop_pinyin_key (cases[i].in);
      g_assert_cmpstr (key, ==, cases[i].key);
    }
}

static void
test_append (void)
{
  g_autoptr(GString) key = g_string_new (NULL);

  coop_pinyin_append_key (key, "张三");
  coop_pinyin_append_key (key, "2023");
  coop_pinyin_append_key (key, "数字媒体");
  g_assert_cmpstr (key->str, ==, "zhang san\x1fshu|shuo zi mei ti");

  /* Text that is not UTF-8 adds nothing, not even a separator. */
  coop_pinyin_append_key (key, "\xff\xfe");
  g_assert_cmpstr (key->str, ==, "zhang san\x1fshu|shuo zi mei ti");
}

static void
test_prepare_query (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "zhangsan", "zhangsan" },
    { "Zhang San", "zhangsan" },
    { "xi'an", "xian" },
    { "ＺＳ", "zs" },
    { "张", NULL },
    { "zs1", NULL },
    { "a@b", NULL },
    { "  ", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *prepared = coop_pinyin_prepare_query (cases[i].in);
      g_assert_cmpstr (prepared, ==, cases[i].out);
    }
}

static gboolean
finds (const char *name,
       const char *query)
{
  g_autofree char *key = coop_pinyin_key (name);
  g_autofree char *prepared = coop_pinyin_prepare_query (query);
  gboolean found = coop_pinyin_matches (key, prepared);

  /* The masks a search tries first never turn a match away. */
  if (found)
    {
      g_assert_true (coop_pinyin_initials (key) & (1u << (prepared[0] - 'a')));
      g_assert_true (coop_pinyin_pair (prepared) == 0 ||
                     (coop_pinyin_pairs (key) & coop_pinyin_pair (prepared)) != 0);
    }
  return found;
}

/* The pairs a query's first two letters can be: two of one reading, or
 * the first of two syllables side by side in one field. */
static void
test_pairs (void)
{
  g_autoptr(GString) key = g_string_new (NULL);
  guint64 expected;

  coop_pinyin_append_key (key, "Zhang San");
  coop_pinyin_append_key (key, "Shu Zi");
  g_assert_cmpstr (key->str, ==, "zhang san\x1fshu zi");
  expected = coop_pinyin_pair ("zh") | coop_pinyin_pair ("sa") | coop_pinyin_pair ("zs") |
             coop_pinyin_pair ("sh") | coop_pinyin_pair ("zi") | coop_pinyin_pair ("sz");
  g_assert_cmpuint (coop_pinyin_pairs (key->str), ==, expected);
  /* Not across the fields: "san" and "shu". */
  g_assert_cmpuint (coop_pinyin_pairs (key->str) & coop_pinyin_pair ("ss"), ==, 0);

  g_assert_cmpuint (coop_pinyin_pair ("z"), ==, 0);
  g_assert_cmpuint (coop_pinyin_pair (NULL), ==, 0);
  g_assert_cmpuint (coop_pinyin_pairs (NULL), ==, 0);
  g_assert_cmpuint (coop_pinyin_pairs (""), ==, 0);
  g_assert_cmpuint (coop_pinyin_pair ("zh"), !=, coop_pinyin_pair ("hz"));
}

static void
test_matches (void)
{
  static const struct { const char *name; const char *query; gboolean found; } cases[] = {
    { "张三", "zhang", TRUE },
    { "张三", "zhangsan", TRUE },
    { "张三", "zhang san", TRUE },
    { "张三", "ZhangSan", TRUE },
    { "张三", "zs", TRUE },
    { "张三", "zhangs", TRUE },
    { "张三", "zsan", TRUE },
    { "张三", "san", TRUE },
    { "张三", "zhz", FALSE },
    { "张三", "zhangsana", FALSE },
    { "张三", "sz", FALSE },
    { "张三", "x", FALSE },
    { "单雄信", "shan", TRUE },
    { "单雄信", "dan", TRUE },
    { "单雄信", "sxx", TRUE },
    { "单雄信", "shanxiongxin", TRUE },
    { "单雄信", "danxx", TRUE },
    { "曾国藩", "zgf", TRUE },
    { "曾国藩", "zengguofan", TRUE },
    { "曾国藩", "cgf", TRUE },
    { "曾国藩", "zgg", FALSE },
    { "解晓东", "xiexd", TRUE },
    { "仇英", "qiuy", TRUE },
    { "朴志勇", "piaozy", TRUE },
    { "区家明", "ojm", TRUE },
    { "查良镛", "zhaly", TRUE },
    { "Li Ming", "liming", TRUE },
    { "Li Ming", "lm", TRUE },
    { "Li Ming", "ming", TRUE },
    { "Li Ming", "lim", TRUE },
    { "Li Ming", "ilm", FALSE },
    { "上海奇利影视科技有限公司", "qlys", TRUE },
    { "上海奇利影视科技有限公司", "shanghaiqili", TRUE },
    { "上海奇利影视科技有限公司", "yxgs", TRUE },
    { "上海奇利影视科技有限公司", "beijing", FALSE },
    { "石狮市", "shishishi", TRUE },
    { "吕伟", "lvwei", TRUE },
    { "吕伟", "luw", TRUE },
    { "实践基地协议", "jidi", TRUE },
    { "实践基地协议", "sjjdxy", TRUE },
    { "东莞市华为", "dongguan", TRUE },
    { "石狮市", "shishishis", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s by “%s”", cases[i].name, cases[i].query);
      g_assert_cmpint (finds (cases[i].name, cases[i].query), ==, cases[i].found);
    }
}

static void
test_fields_apart (void)
{
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *across = coop_pinyin_prepare_query ("sanshu");
  g_autofree char *within = coop_pinyin_prepare_query ("szmt");

  coop_pinyin_append_key (key, "张三");
  coop_pinyin_append_key (key, "数字媒体");
  g_assert_false (coop_pinyin_matches (key->str, across));
  g_assert_true (coop_pinyin_matches (key->str, within));
  g_assert_false (coop_pinyin_matches ("", within));
  g_assert_false (coop_pinyin_matches (key->str, NULL));
}

/* Many ways to split a query must not take exponential time. */
static void
test_many_splits (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *key = NULL;
  g_autofree char *query = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append (name, "石");
  key = coop_pinyin_key (name->str);
  query = g_strnfill (400, 's');
  query[399] = 'x';
  g_assert_false (coop_pinyin_matches (key, query));
}

/* ICU's readings are kept in the cache folder, one line a character. */
static void
test_cache_written (void)
{
  g_autofree char *key = coop_pinyin_key ("张三");
  g_autofree char *path = cache_path ();
  g_autofree char *contents = NULL;
  struct stat info;

  g_assert_cmpstr (key, ==, "zhang san");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, CACHE_HEADER));
  g_assert_nonnull (strstr (contents, "\n张\tzhang\n"));
  /* 单's other reading comes from the table, not the cache: ICU's only. */
  g_assert_nonnull (strstr (contents, "\n单\tdan\n"));
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
}

/* A process reads its readings from the cache, as written by this ICU;
 * another ICU's cache is started again; a line cut short is skipped. */
static void
test_cache_read (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = cache_path ();
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree char *key = NULL;
      g_autofree char *contents = NULL;
      const char *mode = g_getenv ("COOP_TEST_CACHE");

      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      if (g_str_equal (mode, "ours"))
        g_assert_true (g_file_set_contents (path, CACHE_HEADER "张\tcheung\n三\tsam\n王\tw李ng\n李\tl", -1,
                                            NULL));
      else
        g_assert_true (g_file_set_contents (path, "Coopdesk pinyin readings 1, ICU 0.1\n"
                                                  "张\tcheung\n", -1, NULL));
      key = coop_pinyin_key ("张三李王");
      if (g_str_equal (mode, "ours"))
        g_assert_cmpstr (key, ==, "cheung sam li wang");
      else
        g_assert_cmpstr (key, ==, "zhang san li wang");

      /* Either way the file is this ICU's now, with what it learnt. */
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_true (g_str_has_prefix (contents, CACHE_HEADER));
      g_assert_nonnull (strstr (contents, "\n李\tli\n"));
      g_assert_true (g_str_equal (mode, "ours") == (strstr (contents, "cheung") != NULL));
      return;
    }

  g_setenv ("COOP_TEST_CACHE", "ours", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("COOP_TEST_CACHE", "other", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("COOP_TEST_CACHE");
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("coop-test-pinyin-XXXXXX", NULL);
  int status;

  /* A cache folder of its own, new in each process: a subprocess test
   * starts without a cache too. */
  g_assert_nonnull (cache);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pinyin/key", test_key);
  g_test_add_func ("/pinyin/append", test_append);
  g_test_add_func ("/pinyin/prepare-query", test_prepare_query);
  g_test_add_func ("/pinyin/matches", test_matches);
  g_test_add_func ("/pinyin/pairs", test_pairs);
  g_test_add_func ("/pinyin/fields-apart", test_fields_apart);
  g_test_add_func ("/pinyin/many-splits", test_many_splits);
  g_test_add_func ("/pinyin/cache/written", test_cache_written);
  g_test_add_func ("/pinyin/cache/read", test_cache_read);

  status = g_test_run ();
  coop_test_remove_tree (cache);
  return status;
}
