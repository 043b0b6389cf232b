/* Reports: the exact JSON of a small report, aligned text with multibyte
 * Chilean names, control characters made visible, misuse that must not
 * crash, and write failures (full disk, closed pipe) giving status 2. */
#include "autoconfig.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/report.h"

static char *buf;
static size_t buflen;

static FILE *memory_out(void)
{
    FILE *f = open_memstream(&buf, &buflen);

    assert_non_null(f);
    return f;
}

static char *memory_text(FILE *f)
{
    assert_int_equal(fclose(f), 0);
    return buf;
}

static const char *const cols_keys[] = { "comuna", "n", "ok" };
static const char *const cols_labels[] = { "comuna", "n", "ok" };
static const enum report_type cols_types[] = { REPORT_STR, REPORT_INT,
                                               REPORT_BOOL };

static void add_comunas(struct report *r)
{
    static const char *const rows[][3] = {
        { "Ñuñoa", "12", "t" },
        { "Peñalolén", NULL, "f" },
        { "bad\x1b", "x", "maybe" },
    };

    report_table_begin(r, "comunas", "Comunas", 3, cols_keys, cols_labels,
                       cols_types);
    for (size_t i = 0; i < 3; i++)
        report_row(r, rows[i]);
    report_table_end(r);
}

static void build_report(struct report *r)
{
    report_heading(r, "Connection");
    report_str(r, "target", "target", "u@h:5433/degux");
    report_str(r, "postgis_version", "PostGIS", NULL);
    report_int(r, "server_version_num", "server version number", 150004);
    report_num(r, "ratio", "ratio", 0.1);
    report_num(r, "undefined", "undefined", NAN);
    report_bool(r, "read_only", "read-only session", true);
    report_object_begin(r, "pg_stat_statements", "pg_stat_statements");
    report_bool(r, "installed", "installed", false);
    report_str(r, "version", "version", NULL);
    report_object_end(r);
    report_note(r, "a note for people, not for JSON");
    add_comunas(r);
    report_object_begin(r, "tables", "tables");
    report_int(r, "referenciales", "referenciales", 1000000);
    report_str(r, "User", "User", NULL);
    report_object_end(r);
}

static const char expected_json[] =
    "{\n"
    "  \"target\": \"u@h:5433/degux\",\n"
    "  \"postgis_version\": null,\n"
    "  \"server_version_num\": 150004,\n"
    "  \"ratio\": 0.1,\n"
    "  \"undefined\": null,\n"
    "  \"read_only\": true,\n"
    "  \"pg_stat_statements\": {\n"
    "    \"installed\": false,\n"
    "    \"version\": null\n"
    "  },\n"
    "  \"comunas\": [\n"
    "    {\n"
    "      \"comuna\": \"Ñuñoa\",\n"
    "      \"n\": 12,\n"
    "      \"ok\": true\n"
    "    },\n"
    "    {\n"
    "      \"comuna\": \"Peñalolén\",\n"
    "      \"n\": null,\n"
    "      \"ok\": false\n"
    "    },\n"
    "    {\n"
    "      \"comuna\": \"bad\\u001B\",\n"
    "      \"n\": \"x\",\n"
    "      \"ok\": \"maybe\"\n"
    "    }\n"
    "  ],\n"
    "  \"tables\": {\n"
    "    \"referenciales\": 1000000,\n"
    "    \"User\": null\n"
    "  }\n"
    "}\n";

static void test_json_exact(void **state)
{
    FILE *f = memory_out();
    struct report *r = report_new(true, f);

    (void)state;
    assert_true(report_json(r));
    build_report(r);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f), expected_json);
    free(buf);
}

static const char expected_text[] =
    "Connection\n"
    "  target:                u@h:5433/degux\n"
    "  PostGIS:               -\n"
    "  server version number: 150004\n"
    "  ratio:                 0.1\n"
    "  undefined:             -\n"
    "  read-only session:     yes\n"
    "  pg_stat_statements:\n"
    "    installed:           no\n"
    "    version:             -\n"
    "  a note for people, not for JSON\n"
    "  Comunas:\n"
    "    comuna      n  ok\n"
    "    ---------  --  -----\n"
    "    Ñuñoa      12  yes\n"
    "    Peñalolén   -  no\n"
    "    bad^[       x  maybe\n"
    "  tables:\n"
    "    referenciales: 1000000\n"
    "    User:          -\n";

static void test_text_aligned(void **state)
{
    FILE *f = memory_out();
    struct report *r = report_new(false, f);

    (void)state;
    assert_false(report_json(r));
    build_report(r);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f), expected_text);
    free(buf);
}

/* Alignment counts columns, not bytes: "Ñuñoa" is 7 bytes, 5 columns. */
static void test_text_multibyte_labels(void **state)
{
    FILE *f = memory_out();
    struct report *r = report_new(false, f);

    (void)state;
    report_str(r, "comuna", "Comuna", "Ñuñoa");
    report_str(r, "c", "Ñuñoa", "Peñalolén");
    report_str(r, "x", "ab", "\xff\x80 and \xc2\x9b");
    report_heading(r, "Región");
    report_int(r, "n", "n", 3);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f),
                        "Comuna: Ñuñoa\n"
                        "Ñuñoa:  Peñalolén\n"
                        "ab:     \xEF\xBF\xBD\xEF\xBF\xBD and \xEF\xBF\xBD\n"
                        "\n"
                        "Región\n"
                        "  n: 3\n");
    free(buf);
}

/* Without a UTF-8 locale (cron), widths must still come out right. */
static void test_text_c_locale(void **state)
{
    setlocale(LC_ALL, "C");
    test_text_aligned(state);
    test_text_multibyte_labels(state);
    setlocale(LC_ALL, "C.UTF-8");
}

static void test_empty_table_and_numbers(void **state)
{
    static const char *const keys[] = { "query", "mean_ms" };
    static const enum report_type types[] = { REPORT_STR, REPORT_NUM };
    static const char *const row[] = { "select 1", "12.50" };
    FILE *f = memory_out();
    struct report *r = report_new(false, f);

    (void)state;
    report_table_begin(r, "slow", NULL, 2, keys, keys, types);
    report_table_end(r);
    report_num(r, "mean", "mean", 2.0);
    report_num(r, "p", "p", 12.345);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f),
                        "query  mean_ms\n"
                        "-----  -------\n"
                        "(no rows)\n"
                        "mean: 2\n"
                        "p:    12.35\n");
    free(buf);
    f = memory_out();
    r = report_new(true, f);
    report_table_begin(r, "slow", NULL, 2, keys, keys, types);
    report_row(r, row);
    report_table_end(r);
    report_table_begin(r, "none", NULL, 2, keys, keys, types);
    report_table_end(r);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f),
                        "{\n"
                        "  \"slow\": [\n"
                        "    {\n"
                        "      \"query\": \"select 1\",\n"
                        "      \"mean_ms\": 12.5\n"
                        "    }\n"
                        "  ],\n"
                        "  \"none\": []\n"
                        "}\n");
    free(buf);
}

/* Cells become JSON of their column's type when they parse as one. */
static void test_json_cell_types(void **state)
{
    static const char *const keys[] = { "i", "x", "b" };
    static const enum report_type types[] = { REPORT_INT, REPORT_NUM,
                                              REPORT_BOOL };
    static const char *const rows[][3] = {
        { "99999999999999999999", "NaN", "t" },
        { "-5", "1e3", "false" },
        { "", "-Infinity", "" },
    };
    FILE *f = memory_out();
    struct report *r = report_new(true, f);

    (void)state;
    report_table_begin(r, "t", "t", 3, keys, keys, types);
    for (int i = 0; i < 3; i++)
        report_row(r, rows[i]);
    report_table_end(r);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f),
                        "{\n"
                        "  \"t\": [\n"
                        "    {\n"
                        "      \"i\": \"99999999999999999999\",\n"
                        "      \"x\": null,\n"
                        "      \"b\": true\n"
                        "    },\n"
                        "    {\n"
                        "      \"i\": -5,\n"
                        "      \"x\": 1000.0,\n"
                        "      \"b\": false\n"
                        "    },\n"
                        "    {\n"
                        "      \"i\": \"\",\n"
                        "      \"x\": null,\n"
                        "      \"b\": \"\"\n"
                        "    }\n"
                        "  ]\n"
                        "}\n");
    free(buf);
}

/* A list cell is an array of strings in JSON (empty words skipped, ""
 * an empty array) and the words as they are in text. */
static void test_list_cells(void **state)
{
    static const char *const keys[] = { "file", "kept_by" };
    static const enum report_type types[] = { REPORT_STR, REPORT_LIST };
    static const char *const rows[][2] = {
        { "a", "daily,weekly" }, { "b", "" }, { "c", ",monthly," },
    };
    const char *want[] = {
        "{\n"
        "  \"files\": [\n"
        "    {\n      \"file\": \"a\",\n      \"kept_by\": [\n"
        "        \"daily\",\n        \"weekly\"\n      ]\n    },\n"
        "    {\n      \"file\": \"b\",\n      \"kept_by\": []\n    },\n"
        "    {\n      \"file\": \"c\",\n      \"kept_by\": [\n"
        "        \"monthly\"\n      ]\n    }\n"
        "  ]\n"
        "}\n",
        "files:\n"
        "  file  kept_by\n"
        "  ----  ------------\n"
        "  a     daily,weekly\n"
        "  b     \n"
        "  c     ,monthly,\n",
    };

    (void)state;
    for (int json = 1; json >= 0; json--) {
        FILE *f = memory_out();
        struct report *r = report_new(json, f);

        report_table_begin(r, "files", "files", 2, keys, keys, types);
        for (int i = 0; i < 3; i++)
            report_row(r, rows[i]);
        report_table_end(r);
        assert_int_equal(report_finish(r), 0);
        assert_string_equal(memory_text(f), want[!json]);
        free(buf);
    }
}

/* Calls out of order are ignored, never a crash or a leak. */
static void test_misuse(void **state)
{
    static const char *const row[] = { "a", "1", "t" };
    for (int json = 0; json < 2; json++) {
        FILE *f = memory_out();
        struct report *r = report_new(json, f);

        (void)state;
        report_object_end(r);
        report_row(r, row);
        report_table_end(r);
        report_table_begin(r, "t", "t", 3, cols_keys, cols_labels,
                           cols_types);
        report_table_begin(r, "u", "u", 3, cols_keys, cols_labels,
                           cols_types);
        report_object_begin(r, "o", "o");
        report_str(r, "inside", "inside", "table");
        report_row(r, row);
        report_str(r, "bad\xff", "bad", "k");
        assert_int_equal(report_finish(r), 0);   /* table left open */
        assert_non_null(strstr(memory_text(f), json ? "\"ok\": true" : "a  "));
        free(buf);
    }
}

static void test_full_disk(void **state)
{
    FILE *f = fopen("/dev/full", "w");
    struct report *r;

    (void)state;
    assert_non_null(f);
    r = report_new(true, f);
    build_report(r);
    assert_int_equal(report_finish(r), 2);
    fclose(f);
    f = fopen("/dev/full", "w");
    r = report_new(false, f);
    build_report(r);
    assert_int_equal(report_finish(r), 2);
    fclose(f);
}

static void test_closed_pipe(void **state)
{
    int fds[2];
    FILE *f;
    struct report *r;

    (void)state;
    signal(SIGPIPE, SIG_IGN);
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    f = fdopen(fds[1], "w");
    assert_non_null(f);
    r = report_new(false, f);
    build_report(r);
    assert_int_equal(report_finish(r), 2);
    fclose(f);
}

/* SQL must paste as printed: a value's lines come below its label,
 * indented; a cell's lines stay in their column and make the row taller;
 * tabs become spaces; other control characters stay visible; JSON keeps
 * the text as it was. */
static void test_multiline(void **state)
{
    static const char *const keys[] = { "check", "fix" };
    static const char *const labels[] = { "check", "fix" };
    static const enum report_type types[] = { REPORT_STR, REPORT_STR };
    static const char *const row1[] = { "rls", "SELECT 1\n  FROM \"User\";" };
    static const char *const row2[] = { "two\nlines", "x\ty\x1b" };
    FILE *f = memory_out();
    struct report *r = report_new(false, f);

    (void)state;
    report_str(r, "name", "name", "Property");
    report_str(r, "ddl", "DDL", "CREATE TABLE p (\n\tid text\n);");
    report_table_begin(r, "findings", "Findings", 2, keys, labels, types);
    report_row(r, row1);
    report_row(r, row2);
    report_table_end(r);
    assert_int_equal(report_finish(r), 0);
    assert_string_equal(memory_text(f),
                        "name: Property\n"
                        "DDL:\n"
                        "    CREATE TABLE p (\n"
                        "            id text\n"
                        "    );\n"
                        "Findings:\n"
                        "  check  fix\n"
                        "  -----  --------------\n"
                        "  rls    SELECT 1\n"
                        "           FROM \"User\";\n"
                        "  two    x       y^[\n"
                        "  lines  \n");
    free(buf);

    f = memory_out();
    r = report_new(true, f);
    report_str(r, "ddl", "DDL", "a\n\tb\x1b");
    assert_int_equal(report_finish(r), 0);
    assert_non_null(strstr(memory_text(f), "\"a\\n\\tb\\u001B\""));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_exact),
        cmocka_unit_test(test_text_aligned),
        cmocka_unit_test(test_text_multibyte_labels),
        cmocka_unit_test(test_text_c_locale),
        cmocka_unit_test(test_empty_table_and_numbers),
        cmocka_unit_test(test_json_cell_types),
        cmocka_unit_test(test_list_cells),
        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_closed_pipe),
        cmocka_unit_test(test_multiline),
    };

    /* Widths as a terminal counts them. */
    setlocale(LC_ALL, "C.UTF-8");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
