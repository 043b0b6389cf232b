/* Connection strings: Prisma URLs and their variations, bare names, k=v
 * strings, appending keys, the display form and hostile input. The
 * expected strings were worked out by hand from libpq's URI grammar. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/conninfo.h"

struct normalize_case {
    const char *in, *out, *schema;
};

static const struct normalize_case normalize_cases[] = {
    /* The Prisma URL of the issue: only libpq's parameters survive. */
    { "postgresql://user:pass@host:5433/degux?schema=public&connection_limit=5"
      "&pool_timeout=10&pgbouncer=true&sslaccept=strict&statement_cache_size=0"
      "&socket_timeout=5",
      "postgresql://user:pass@host:5433/degux", "public" },
    { "postgresql://u@h:5433/degux", "postgresql://u@h:5433/degux", NULL },
    { "postgres://u@h/degux?schema=public", "postgres://u@h/degux",
      "public" },
    { "postgresql://u@h/degux?sslmode=require&schema=app&connect_timeout=5",
      "postgresql://u@h/degux?sslmode=require&connect_timeout=5", "app" },
    { "postgresql://u@h/degux?schema=mi%20esquema%C3%91",
      "postgresql://u@h/degux", "mi esquema\xC3\x91" },
    { "postgresql://nexus_user@localhost:5433/degux?schema=public",
      "postgresql://nexus_user@localhost:5433/degux", "public" },
    { "postgresql://u@[::1]:5433/degux?schema=public&sslidentity=x.p12",
      "postgresql://u@[::1]:5433/degux", "public" },
    /* Percent-encoding of what libpq reads is kept byte for byte. */
    { "postgresql://us%40r:p%23ss@h/de%20gux?application_name=a%20b&schema=s",
      "postgresql://us%40r:p%23ss@h/de%20gux?application_name=a%20b", "s" },
    { "postgresql://h/db?schema=", "postgresql://h/db", NULL },
    { "postgresql://h/db?schema=a&schema=b", "postgresql://h/db", "b" },
    { "postgresql://h/db?&sslmode=disable&", "postgresql://h/db?sslmode=disable",
      NULL },
    { "postgresql://", "postgresql://", NULL },
    { "degux", "dbname='degux'", NULL },
    { "it's\\x", "dbname='it\\'s\\\\x'", NULL },
    { "", "", NULL },
    { "host=localhost port=5433 dbname=degux",
      "host=localhost port=5433 dbname=degux", NULL },
    { "service=degux", "service=degux", NULL },
};

static void test_normalize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof normalize_cases / sizeof *normalize_cases;
         i++) {
        const struct normalize_case *c = &normalize_cases[i];
        char *schema = (char *)"unset", *err = (char *)"unset";
        char *out = conninfo_normalize(c->in, &schema, &err);

        if (!out)
            fail_msg("%s: %s", c->in, err);
        assert_string_equal(out, c->out);
        assert_null(err);
        if (c->schema)
            assert_string_equal(schema, c->schema);
        else
            assert_null(schema);
        free(out);
        free(schema);
    }
}

struct invalid_case {
    const char *in, *message;
};

static const struct invalid_case invalid_cases[] = {
    { "postgresql://h/db?schema=%zz",
      "invalid connection string: bad percent-encoding in the schema "
      "parameter" },
    { "postgresql://h/db?schema=abc%4", "invalid connection string: bad "
      "percent-encoding in the schema parameter" },
    { "postgresql://h/db?schema=a%00b", "invalid connection string: bad "
      "percent-encoding in the schema parameter" },
    { "postgresql://h/db?nosuchparam=1",
      "invalid connection string: invalid URI query parameter: "
      "\"nosuchparam\"" },
    { "host=localhost bogus=1",
      "invalid connection string: invalid connection option \"bogus\"" },
    { "host='unterminated",
      "invalid connection string: unterminated quoted string in connection "
      "info string" },
    { "postgresql://[::1/db",
      "invalid connection string: end of string reached when looking for "
      "matching \"]\" in IPv6 host address in URI: \"postgresql://[::1/db\"" },
    { "postgresql://h/db?sslmode=%zz",
      "invalid connection string: invalid percent-encoded token: \"%zz\"" },
    { "host=a\x1b[31m bad=1",
      "invalid connection string: invalid connection option \"bad\"" },
};

static void test_invalid_messages(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid_cases / sizeof *invalid_cases;
         i++) {
        char *schema = (char *)"unset", *err = NULL;
        char *out = conninfo_normalize(invalid_cases[i].in, &schema, &err);

        if (out)
            fail_msg("accepted: %s", invalid_cases[i].in);
        assert_null(schema);
        assert_non_null(err);
        assert_string_equal(err, invalid_cases[i].message);
        assert_null(strchr(err, '\n'));
        free(err);
    }
}

/* libpq quotes the input back in some messages: no escape sequence may
 * reach the terminal through them. */
static void test_messages_have_no_control_characters(void **state)
{
    char *schema, *err;

    (void)state;
    assert_null(conninfo_normalize("postgresql://h/db?a\x1b[2J=1", &schema,
                                   &err));
    for (const char *p = err; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
    assert_non_null(strstr(err, "a?[2J"));
    free(err);
}

static void test_is_literal(void **state)
{
    (void)state;
    assert_true(conninfo_is_literal("postgresql://h/db"));
    assert_true(conninfo_is_literal("postgres://h/db"));
    assert_true(conninfo_is_literal("host=h"));
    assert_true(conninfo_is_literal("dbname = degux"));
    assert_false(conninfo_is_literal("degux"));
    assert_false(conninfo_is_literal("n8n"));
    assert_false(conninfo_is_literal("POSTGRESQL://h/db"));
    assert_false(conninfo_is_literal(""));
    assert_false(conninfo_is_literal(NULL));
}

static void test_has_password(void **state)
{
    (void)state;
    assert_true(conninfo_has_password("postgresql://u:secret@h/db"));
    assert_true(conninfo_has_password(
        "postgresql://u:secret@h/db?schema=public&pgbouncer=true"));
    assert_true(conninfo_has_password("host=h password=secret"));
    assert_true(conninfo_has_password("postgresql://u@h/db?password=x"));
    assert_false(conninfo_has_password("postgresql://u@h/db"));
    assert_false(conninfo_has_password("postgresql://u:@h/db"));
    assert_false(conninfo_has_password("host=h user=u"));
    assert_false(conninfo_has_password("degux"));
    assert_false(conninfo_has_password("host='broken"));
}

static void test_display(void **state)
{
    char *s;

    (void)state;
    unsetenv("PGHOST");
    unsetenv("PGHOSTADDR");
    unsetenv("PGDATABASE");
    setenv("PGUSER", "envuser", 1);
    setenv("PGPORT", "6543", 1);
    s = conninfo_display("postgresql://nexus_user:secret@localhost:5433/degux"
                         "?schema=public&pgbouncer=true");
    assert_string_equal(s, "nexus_user@localhost:5433/degux");
    free(s);
    s = conninfo_display("postgresql://u:pw@[::1]:5433/degux");
    assert_string_equal(s, "u@[::1]:5433/degux");
    free(s);
    s = conninfo_display("host=/tmp/sock dbname=degux password=pw");
    assert_string_equal(s, "envuser@[local:/tmp/sock]:6543/degux");
    free(s);
    s = conninfo_display("");
    assert_string_equal(s, "envuser@[local]:6543/envuser");
    free(s);
    s = conninfo_display("degux");
    assert_string_equal(s, "envuser@[local]:6543/degux");
    free(s);
    assert_null(conninfo_display("host='broken"));
    unsetenv("PGUSER");
    unsetenv("PGPORT");
}

static void test_append(void **state)
{
    char *s;

    (void)state;
    s = conninfo_append("postgresql://u@h/db?schema=public", "password",
                        "p@ss w&rd");
    assert_string_equal(s, "postgresql://u@h/db?schema=public"
                           "&password=p%40ss%20w%26rd");
    free(s);
    s = conninfo_append("postgresql://u@h/db", "port", "5433");
    assert_string_equal(s, "postgresql://u@h/db?port=5433");
    free(s);
    s = conninfo_append("host=h", "password", "it's");
    assert_string_equal(s, "host=h password='it\\'s'");
    free(s);
    s = conninfo_append("degux", "port", "5433");
    assert_string_equal(s, "dbname='degux' port='5433'");
    free(s);
    s = conninfo_append("", "host", "localhost");
    assert_string_equal(s, "host='localhost'");
    free(s);
}

/* The appended key wins over what the base says, as libpq reads it. */
static void test_append_overrides(void **state)
{
    char *schema, *err, *s, *shown;

    (void)state;
    s = conninfo_append("postgresql://u@h:5432/db?schema=public", "port",
                        "5433");
    shown = conninfo_display(s);
    assert_string_equal(shown, "u@h:5433/db");
    free(shown);
    free(s);
    s = conninfo_append("host=h port=5432 dbname=db user=u", "port", "5433");
    free(conninfo_normalize(s, &schema, &err));
    shown = conninfo_display(s);
    assert_string_equal(shown, "u@h:5433/db");
    free(shown);
    free(s);
}

static void test_hostile_input(void **state)
{
    size_t n = 1 << 20;
    char *big = malloc(n + 1), *schema, *err, *out;

    (void)state;
    memcpy(big, "postgresql://h/db?schema=", 25);
    memset(big + 25, 'x', n - 25);
    big[n] = '\0';
    out = conninfo_normalize(big, &schema, &err);
    assert_string_equal(out, "postgresql://h/db");
    assert_int_equal(strlen(schema), n - 25);
    free(out);
    free(schema);
    memset(big, '%', n);
    out = conninfo_normalize(big, &schema, &err);
    assert_non_null(out);   /* a bare name, however odd */
    free(out);
    memcpy(big, "postgresql://", 13);
    out = conninfo_normalize(big, &schema, &err);
    assert_null(out);
    assert_non_null(err);
    free(err);
    free(big);
    out = conninfo_normalize("postgresql://h/db?schema=%", &schema, &err);
    assert_null(out);
    free(err);
    out = conninfo_normalize("postgresql://h/db?schema=%\xff\xfe", &schema,
                             &err);
    assert_null(out);
    free(err);
    out = conninfo_normalize(NULL, &schema, &err);
    assert_string_equal(out, "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_invalid_messages),
        cmocka_unit_test(test_messages_have_no_control_characters),
        cmocka_unit_test(test_is_literal),
        cmocka_unit_test(test_has_password),
        cmocka_unit_test(test_display),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_append_overrides),
        cmocka_unit_test(test_hostile_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
