/* The SQL scanner: statement boundaries through quotes, dollar quotes and
 * comments, the state an unfinished buffer ends in, and statement kinds. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/sqlscan.h"

/* A buffer, the statements it holds (joined by '|'), what is left after
 * the last one and the state at its end. */
struct split_case {
    const char *buf;
    const char *stmts;
    const char *rest;
    enum sqlscan_state state;
};

static const struct split_case split_cases[] = {
    { "select 1;", "select 1", "", SQLSCAN_EMPTY },
    { "select 1", "", "select 1", SQLSCAN_TEXT },
    { "  select 1 ;  ", "select 1", "  ", SQLSCAN_EMPTY },
    { "select 1;select 2;", "select 1|select 2", "", SQLSCAN_EMPTY },
    { "select 1; select", "select 1", " select", SQLSCAN_TEXT },
    { "select\n  1\n;", "select\n  1", "", SQLSCAN_EMPTY },
    { ";;  ; select 1;", "select 1", "", SQLSCAN_EMPTY },
    { "select ';';", "select ';'", "", SQLSCAN_EMPTY },
    { "select 'it''s; fine';", "select 'it''s; fine'", "", SQLSCAN_EMPTY },
    { "select 'a;b", "", "select 'a;b", SQLSCAN_STRING },
    { "select 'a\\';'", "select 'a\\'", "'", SQLSCAN_STRING },
    { "select E'a\\';';", "select E'a\\';'", "", SQLSCAN_EMPTY },
    { "select e'\\\\';", "select e'\\\\'", "", SQLSCAN_EMPTY },
    { "select E'\\'", "", "select E'\\'", SQLSCAN_STRING },
    { "select E'x''y;';", "select E'x''y;'", "", SQLSCAN_EMPTY },
    { "select name'a\\';", "select name'a\\'", "", SQLSCAN_EMPTY },
    { "select \"a;b\" from t;", "select \"a;b\" from t", "", SQLSCAN_EMPTY },
    { "select \"x\"\";\" ;", "select \"x\"\";\"", "", SQLSCAN_EMPTY },
    { "select \"unclosed;", "", "select \"unclosed;", SQLSCAN_IDENT },
    { "select $$a;b$$;", "select $$a;b$$", "", SQLSCAN_EMPTY },
    { "select $f$ $$; $f$;", "select $f$ $$; $f$", "", SQLSCAN_EMPTY },
    { "do $body$ begin; end $body$;", "do $body$ begin; end $body$", "",
      SQLSCAN_EMPTY },
    { "select $a$ x; $b$;", "", "select $a$ x; $b$;", SQLSCAN_DOLLAR },
    { "select $1; select 2;", "select $1|select 2", "", SQLSCAN_EMPTY },
    { "select a$$b;", "select a$$b", "", SQLSCAN_EMPTY },
    { "select $_x1$;$_x1$;", "select $_x1$;$_x1$", "", SQLSCAN_EMPTY },
    { "select 1 -- no; really\n;", "select 1", "", SQLSCAN_EMPTY },
    { "select 1 -- ;", "", "select 1 -- ;", SQLSCAN_LINE_COMMENT },
    { "-- only a comment\n;", "", "", SQLSCAN_EMPTY },
    { "select 1;;", "select 1", "", SQLSCAN_EMPTY },
    { "-- note\nselect 1;", "select 1", "", SQLSCAN_EMPTY },
    { "select /* ; */ 1;", "select /* ; */ 1", "", SQLSCAN_EMPTY },
    { "select /* a /* b; */ c; */ 1;", "select /* a /* b; */ c; */ 1", "",
      SQLSCAN_EMPTY },
    { "select /* a /* b */ 1;", "", "select /* a /* b */ 1;",
      SQLSCAN_BLOCK_COMMENT },
    { "select 1 /* tail */ ; x", "select 1", " x", SQLSCAN_TEXT },
    { "/* */", "", "/* */", SQLSCAN_EMPTY },
    { "select 'Ñuñoa';", "select 'Ñuñoa'", "", SQLSCAN_EMPTY },
    { "select ñandú;", "select ñandú", "", SQLSCAN_EMPTY },
    { "", "", "", SQLSCAN_EMPTY },
};

/* Joins the statements split from c->buf with '|', into out. */
static void split_joined(const char *buf, char *out, size_t size,
                         size_t *consumed)
{
    struct sqlscan_stmt st[16];
    int n = sqlscan_split(buf, st, 16, consumed);

    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%.*s", i ? "|" : "",
                 (int)st[i].len, buf + st[i].start);
    }
}

static void test_split_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof split_cases / sizeof *split_cases; i++) {
        const struct split_case *c = &split_cases[i];
        char got[512];
        size_t consumed;

        split_joined(c->buf, got, sizeof got, &consumed);
        if (strcmp(got, c->stmts) != 0)
            fail_msg("split case %zu: statements [%s]", i, got);
        if (strcmp(c->buf + consumed, c->rest) != 0)
            fail_msg("split case %zu: rest [%s]", i, c->buf + consumed);
        if (sqlscan_state(c->buf) != c->state)
            fail_msg("split case %zu: state %d", i, sqlscan_state(c->buf));
    }
}

static void test_split_max(void **state)
{
    const char *buf = "select 1; select 2; select 3;";
    struct sqlscan_stmt st[2];
    size_t consumed;

    (void)state;
    assert_int_equal(sqlscan_split(buf, st, 2, &consumed), 2);
    assert_string_equal(buf + consumed, " select 3;");
    assert_int_equal(sqlscan_split(NULL, st, 2, &consumed), 0);
    assert_int_equal(consumed, 0);
}

static void test_unfinished(void **state)
{
    (void)state;
    assert_false(sqlscan_unfinished("select 1"));
    assert_false(sqlscan_unfinished("select 1;"));
    assert_false(sqlscan_unfinished(""));
    assert_false(sqlscan_unfinished(NULL));
    assert_true(sqlscan_unfinished("select 'abc"));
    assert_true(sqlscan_unfinished("select \"abc"));
    assert_true(sqlscan_unfinished("select $q$ abc"));
    assert_true(sqlscan_unfinished("select /* abc"));
    assert_true(sqlscan_unfinished("select 1 -- abc"));
    assert_false(sqlscan_unfinished("select 1 -- abc\n"));
}

static void test_blank(void **state)
{
    (void)state;
    assert_true(sqlscan_blank(NULL));
    assert_true(sqlscan_blank(""));
    assert_true(sqlscan_blank(" \t\r\n"));
    assert_true(sqlscan_blank("-- only a comment"));
    assert_true(sqlscan_blank("/* a /* nested */ one */\n-- and more\n"));
    assert_false(sqlscan_blank("/* not closed"));
    assert_false(sqlscan_blank("x"));
    assert_false(sqlscan_blank(";"));
    assert_false(sqlscan_blank("  ''"));
}

static void test_is_command(void **state)
{
    (void)state;
    assert_true(sqlscan_is_command(":q"));
    assert_true(sqlscan_is_command("   :export x.csv"));
    assert_false(sqlscan_is_command("select 1::int"));
    assert_false(sqlscan_is_command(""));
    assert_false(sqlscan_is_command(NULL));
}

static void test_first_keyword(void **state)
{
    size_t len = 0;
    const char *w;

    (void)state;
    w = sqlscan_first_keyword("  -- c\n /* d */ ((Select 1))", &len);
    assert_non_null(w);
    assert_int_equal(len, 6);
    assert_memory_equal(w, "Select", 6);
    assert_null(sqlscan_first_keyword("'text'", &len));
    assert_null(sqlscan_first_keyword("  ", &len));
    assert_null(sqlscan_first_keyword(NULL, &len));
    assert_true(sqlscan_starts_with("explain analyze select 1", "EXPLAIN"));
    assert_true(sqlscan_starts_with("\nBEGIN", "begin"));
    assert_false(sqlscan_starts_with("beginning", "begin"));
    assert_false(sqlscan_starts_with("", "begin"));
}

struct kind_case {
    const char *sql;
    bool query;
};

static const struct kind_case kind_cases[] = {
    { "select 1", true },
    { "SELECT * FROM referenciales WHERE comuna = 'Ñuñoa'", true },
    { "  (select 1) union (select 2)", true },
    { "-- hi\nvalues (1), (2)", true },
    { "table comunas", true },
    { "with x as (select 1) select * from x", true },
    { "select 'insert into t' as s", true },
    { "select \"update\" from t", true },
    { "select * from t for update", false },
    { "select * from t for share", false },
    { "select * from t for key share", false },
    { "select 1 into newtable", false },
    { "with d as (delete from t returning *) select * from d", false },
    { "insert into t values (1)", false },
    { "update t set a = 1", false },
    { "show search_path", false },
    { "explain select 1", false },
    { "fetch 10 from c", false },
    { "", false },
    { "'select'", false },
};

static void test_is_query(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof kind_cases / sizeof *kind_cases; i++) {
        if (sqlscan_is_query(kind_cases[i].sql) != kind_cases[i].query)
            fail_msg("kind case %zu: %s", i, kind_cases[i].sql);
    }
}

/* What read-only mode refuses before sending: a way to a read-write
 * transaction. */
static void test_unlocks_write(void **state)
{
    static const struct { const char *sql; bool unlocks; } cases[] = {
        { "begin read write", true },
        { "BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE", true },
        { "start transaction read write;", true },
        { "set transaction read write", true },
        { "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", true },
        { "set transaction_read_only = off", true },
        { "set local transaction_read_only to false", true },
        { "reset transaction_read_only", true },
        { "/* c */ begin -- x\n read /* y */ write", true },
        { "begin", false },
        { "begin read only", false },
        { "start transaction isolation level repeatable read", false },
        { "set search_path = public", false },
        { "select 'begin read write'", false },
        { "set application_name = 'read write'", false },
        { "insert into t values ('read', 'write')", false },
        { "", false },
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (sqlscan_unlocks_write(cases[i].sql) != cases[i].unlocks)
            fail_msg("%s: expected %d", cases[i].sql, cases[i].unlocks);
}

/* Every byte value, and every prefix of a tricky buffer, scans without
 * running past the end (ASan watches) and stays consistent. */
static void test_any_bytes(void **state)
{
    const char *tricky = "select $a$ x'/*\"--$a$ e'\\'' /* /* */ */ \"\"; --";
    char buf[64];
    struct sqlscan_stmt st[8];
    size_t consumed, n = strlen(tricky);

    (void)state;
    for (size_t len = 0; len <= n; len++) {
        memcpy(buf, tricky, len);
        buf[len] = '\0';
        int k = sqlscan_split(buf, st, 8, &consumed);
        assert_true(consumed <= len);
        for (int i = 0; i < k; i++)
            assert_true(st[i].start + st[i].len <= consumed);
        (void)sqlscan_state(buf);
        (void)sqlscan_is_query(buf);
    }
    for (int c = 1; c < 256; c++) {
        buf[0] = (char)c;
        buf[1] = (char)c;
        buf[2] = '\0';
        (void)sqlscan_split(buf, st, 8, &consumed);
        assert_true(consumed <= 2);
        (void)sqlscan_blank(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_table),
        cmocka_unit_test(test_split_max),
        cmocka_unit_test(test_unfinished),
        cmocka_unit_test(test_blank),
        cmocka_unit_test(test_is_command),
        cmocka_unit_test(test_first_keyword),
        cmocka_unit_test(test_is_query),
        cmocka_unit_test(test_unlocks_write),
        cmocka_unit_test(test_any_bytes),
    };

    return cmocka_run_group_tests_name("sqlscan", tests, NULL, NULL);
}
