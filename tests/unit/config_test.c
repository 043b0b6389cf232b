/* Configuration: defaults, every key of every section, errors naming the
 * line, durations, the password-permission rule on real files, named
 * connections turned into conninfo, and the XDG locations. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/conninfo.h"

static char tmpdir[] = "/tmp/config_test.XXXXXX";

static int setup_dir(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    char *cmd;

    (void)state;
    if (asprintf(&cmd, "rm -rf '%s'", tmpdir) < 0)
        return -1;
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", tmpdir);
    free(cmd);
    return 0;
}

/* Writes text to a file in the temporary directory with mode; returns its
 * path (static buffer). */
static const char *write_file(const char *name, const char *text, mode_t mode)
{
    static char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static void test_defaults(void **state)
{
    struct config c;
    char *err;

    (void)state;
    assert_true(config_load_string(&c, "", "t", &err));
    assert_null(err);
    assert_null(c.path);
    assert_int_equal(c.statement_timeout_ms, 30000);
    assert_null(c.pane);
    assert_string_equal(c.theme, "default");
    assert_true(c.mouse);
    assert_int_equal(c.history_size, 2000);
    assert_null(c.demo_dir);
    assert_null(c.demo_bindir);
    assert_int_equal(c.demo_size, 100000);
    assert_null(c.backup_dir);
    assert_string_equal(c.backup_pattern, "degux_%Y%m%d_%H%M%S.sql.gz");
    assert_string_equal(c.backup_log, "/var/log/nexus-backup.log");
    assert_int_equal(c.keep_daily, 7);
    assert_int_equal(c.keep_weekly, 4);
    assert_int_equal(c.keep_monthly, 6);
    assert_int_equal(c.backup_max_age_h, 26);
    assert_string_equal(c.rol_pattern, "^[0-9]{5}-[0-9]{4}$");
    assert_null(c.moderator_user_id);
    assert_null(c.app_role);
    assert_true(c.slow_threshold_ms == 100.0);
    assert_int_equal(c.activity_refresh_ms, 2000);
    assert_int_equal(c.nconnections, 0);
    config_free(&c);
}

static const char full_text[] =
    "; every key once\n"
    "[console]\n"
    "statement_timeout = 2min\n"
    "pane = rls\n"
    "theme = mono\n"
    "mouse = no\n"
    "history_size = 50\n"
    "\n"
    "[demo]\n"
    "dir = ~/demo\n"
    "bindir = /usr/lib/postgresql/15/bin\n"
    "size = 5000\n"
    "[backups]\n"
    "  dir = /var/backups/degux   ; indented, with a comment\n"
    "  pattern = degux_%Y%m%d.sql.gz\n"
    "  log = /tmp/backup.log\n"
    "  keep_daily = 14\n"
    "  keep_weekly = 8\n"
    "  keep_monthly = 12\n"
    "  max_age = 2d\n"
    "[moderation]\n"
    "rol_pattern = ^[0-9]{1,5}-[0-9]{1,4}$\n"
    "moderator_user_id = cuid_admin_1\n"
    "[rls]\n"
    "app_role = degux_app\n"
    "[slow]\n"
    "threshold = 250ms\n"
    "activity_refresh = 5s\n"
    "[ connection n8n ]\n"
    "host = localhost\n"
    "port = 5432\n"
    "dbname = n8n\n"
    "user = n8n\n"
    "sslmode = disable\n"
    "[connection degux]\n"
    "url = postgresql://nexus_user@localhost:5433/degux?schema=public\n"
    "write = yes\n";

static void test_every_section(void **state)
{
    struct config c;
    const struct config_connection *n8n, *degux;
    char *err;

    (void)state;
    setenv("HOME", "/home/tester", 1);
    if (!config_load_string(&c, full_text, "full", &err))
        fail_msg("%s", err);
    assert_int_equal(c.statement_timeout_ms, 120000);
    assert_string_equal(c.pane, "rls");
    assert_string_equal(c.theme, "mono");
    assert_false(c.mouse);
    assert_int_equal(c.history_size, 50);
    assert_string_equal(c.demo_dir, "/home/tester/demo");
    assert_string_equal(c.demo_bindir, "/usr/lib/postgresql/15/bin");
    assert_int_equal(c.demo_size, 5000);
    assert_string_equal(c.backup_dir, "/var/backups/degux");
    assert_string_equal(c.backup_pattern, "degux_%Y%m%d.sql.gz");
    assert_string_equal(c.backup_log, "/tmp/backup.log");
    assert_int_equal(c.keep_daily, 14);
    assert_int_equal(c.keep_weekly, 8);
    assert_int_equal(c.keep_monthly, 12);
    assert_int_equal(c.backup_max_age_h, 48);
    assert_string_equal(c.rol_pattern, "^[0-9]{1,5}-[0-9]{1,4}$");
    assert_string_equal(c.moderator_user_id, "cuid_admin_1");
    assert_string_equal(c.app_role, "degux_app");
    assert_true(c.slow_threshold_ms == 250.0);
    assert_int_equal(c.activity_refresh_ms, 5000);
    assert_int_equal(c.nconnections, 2);
    n8n = config_connection(&c, "n8n");
    degux = config_connection(&c, "degux");
    assert_non_null(n8n);
    assert_non_null(degux);
    assert_string_equal(n8n->port, "5432");
    assert_string_equal(n8n->sslmode, "disable");
    assert_false(n8n->write);
    assert_true(degux->write);
    assert_null(config_connection(&c, "other"));
    assert_null(config_connection(&c, NULL));
    config_free(&c);
}

struct error_case {
    const char *text, *message;
};

static const struct error_case error_cases[] = {
    { "[console]\nmouse = no\nstatment_timeout = 5s\n",
      "e:3: unknown key \"statment_timeout\" in [console] (known: "
      "statement_timeout, pane, theme, mouse, history_size)" },
    { "; ok\n[consle]\n",
      "e:2: unknown section [consle] (known: console, demo, backups, "
      "moderation, rls, slow, connection NAME)" },
    { "mouse = no\n", "e:1: \"mouse\" comes before any [section]" },
    { "[console]\nmouse\n",
      "e:2: expected [section], key = value or a comment" },
    { "[console\nmouse = no\n", "e:1: missing \"]\" after the section name" },
    { "[console]\nmouse = maybe\n",
      "e:2: mouse: expected yes or no, not \"maybe\"" },
    { "[console]\n\n\nhistory_size = -1\n",
      "e:4: history_size: \"-1\" is not a whole number" },
    { "[demo]\nsize = 10\n", "e:2: size: must be from 100 to 10000000" },
    { "[console]\nstatement_timeout = 30 parsecs\n",
      "e:2: statement_timeout: \"30 parsecs\" is not a duration (such as "
      "500ms, 30s, 2min or 1h)" },
    { "[slow]\nactivity_refresh = 10ms\n",
      "e:2: activity_refresh: must be from 100 to 3600000 ms" },
    { "[backups]\nmax_age = 90min\n",
      "e:2: max_age: \"90min\" is not a whole number of hours (such as 26 "
      "or 26h)" },
    { "[backups]\npattern =\n", "e:2: pattern: must not be empty" },
    { "[slow]\nactivity_refresh = \n",
      "e:2: activity_refresh: must not be empty" },
    { "[console]\ntheme = neon\n",
      "e:2: theme: expected \"default\" or \"mono\", not \"neon\"" },
    { "[moderation]\nrol_pattern = ^[0-9\n",
      "e:2: rol_pattern: invalid regular expression: Unmatched [, [^, [:, "
      "[., or [=" },
    { "[connection]\n",
      "e:1: [connection NAME] needs a name without \"=\" that is not a URI" },
    { "[connection host=x]\n",
      "e:1: [connection NAME] needs a name without \"=\" that is not a URI" },
    { "[connection x]\nhots = h\n",
      "e:2: unknown key \"hots\" in [connection x] (known: url, conninfo, "
      "host, port, dbname, user, password, sslmode, write)" },
    { "[connection x]\nurl = postgresql://h/db?schema=%zz\n",
      "e:2: url: invalid connection string: bad percent-encoding in the "
      "schema parameter" },
    { "[connection x]\nwrite = sometimes\n",
      "e:2: write: expected yes or no, not \"sometimes\"" },
    /* The first error wins, whichever of libinih and the checks saw it. */
    { "[console]\nbad line\nmouse = maybe\n",
      "e:2: expected [section], key = value or a comment" },
    { "[console]\nmouse = maybe\nbad line\n",
      "e:2: mouse: expected yes or no, not \"maybe\"" },
};

static void test_errors_name_the_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
        struct config c;
        char *err = NULL;

        if (config_load_string(&c, error_cases[i].text, "e", &err))
            fail_msg("accepted: %s", error_cases[i].text);
        assert_non_null(err);
        assert_string_equal(err, error_cases[i].message);
        free(err);
        config_free(&c);   /* harmless after a failure */
    }
}

static void test_long_line(void **state)
{
    char text[600], *err;
    struct config c;

    (void)state;
    snprintf(text, sizeof text, "[rls]\napp_role = %0400d\n", 7);
    assert_false(config_load_string(&c, text, "long", &err));
    assert_string_equal(err, "long:2: line longer than 198 characters");
    free(err);
}

struct duration_case {
    const char *text;
    long ms;
};

static const struct duration_case durations[] = {
    { "0", 0 }, { "250", 250 }, { "500ms", 500 }, { "30s", 30000 },
    { "30 s", 30000 }, { "2min", 120000 }, { "1h", 3600000 },
    { "26h", 93600000 }, { "1d", 86400000 }, { "1.5s", 1500 },
    { "0.5ms", 1 }, { " 7s ", 7000 }, { "10S", 10000 }, { ".5s", 500 },
    { "", -1 }, { "s", -1 }, { "-5s", -1 }, { "+5s", -1 }, { "5m", -1 },
    { "5 sec", -1 }, { "0x10", -1 }, { "1e3", -1 }, { "5s5", -1 },
    { "1.2.3s", -1 }, { "nan", -1 }, { "inf", -1 }, { ".", -1 },
    { "99999999999999999999999h", -1 },
};

static void test_durations(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof durations / sizeof *durations; i++)
        if (config_parse_duration_ms(durations[i].text) != durations[i].ms)
            fail_msg("\"%s\": %ld, expected %ld", durations[i].text,
                     config_parse_duration_ms(durations[i].text),
                     durations[i].ms);
    assert_int_equal(config_parse_duration_ms(NULL), -1);
}

static void test_password_permissions(void **state)
{
    static const char pw_key[] = "[connection degux]\nhost = localhost\n"
                                 "password = s3cret\n";
    static const char pw_url[] = "[connection degux]\n"
                                 "url = postgresql://u:s3cret@h:5433/degux\n";
    static const char no_pw[] = "[connection degux]\n"
                                "url = postgresql://u@h:5433/degux\n";
    struct config c;
    const char *path;
    char *err, *expected;

    (void)state;
    path = write_file("pw0644", pw_key, 0644);
    assert_false(config_load(&c, path, &err));
    assert_true(asprintf(&expected, "configuration file \"%s\" holds a "
                         "password and has group or world access; "
                         "permissions should be u=rw (0600) or less",
                         path) > 0);
    assert_string_equal(err, expected);
    free(expected);
    free(err);
    path = write_file("pw0600", pw_key, 0600);
    assert_true(config_load(&c, path, &err));
    assert_string_equal(c.path, path);
    assert_string_equal(config_connection(&c, "degux")->password, "s3cret");
    config_free(&c);
    path = write_file("url0640", pw_url, 0640);
    assert_false(config_load(&c, path, &err));
    assert_non_null(strstr(err, "group or world access"));
    free(err);
    path = write_file("url0400", pw_url, 0400);
    assert_true(config_load(&c, path, &err));
    config_free(&c);
    path = write_file("nopw0644", no_pw, 0644);
    assert_true(config_load(&c, path, &err));
    config_free(&c);
}

static void test_files(void **state)
{
    struct config c;
    char *err, path[512], *expected;

    (void)state;
    /* No file at the default place is fine: defaults. */
    snprintf(path, sizeof path, "%s/xdg-empty", tmpdir);
    setenv("XDG_CONFIG_HOME", path, 1);
    assert_true(config_load(&c, NULL, &err));
    assert_null(c.path);
    config_free(&c);
    /* A file named on the command line must exist. */
    snprintf(path, sizeof path, "%s/missing", tmpdir);
    assert_false(config_load(&c, path, &err));
    assert_true(asprintf(&expected, "cannot read configuration file "
                         "\"%s\": No such file or directory", path) > 0);
    assert_string_equal(err, expected);
    free(expected);
    free(err);
    assert_false(config_load(&c, tmpdir, &err));
    assert_non_null(strstr(err, "Is a directory"));
    free(err);
    /* The default place, found through XDG_CONFIG_HOME. */
    snprintf(path, sizeof path, "%s/xdg", tmpdir);
    setenv("XDG_CONFIG_HOME", path, 1);
    assert_int_equal(mkdir(path, 0700), 0);
    strcat(path, "/degux-console");
    assert_int_equal(mkdir(path, 0700), 0);
    write_file("xdg/degux-console/config", "[console]\npane = slow\n", 0644);
    assert_true(config_load(&c, NULL, &err));
    assert_string_equal(c.pane, "slow");
    assert_non_null(strstr(c.path, "/xdg/degux-console/config"));
    config_free(&c);
    unsetenv("XDG_CONFIG_HOME");
}

static void test_nul_byte_refused(void **state)
{
    struct config c;
    char path[512], *err;
    FILE *f;

    (void)state;
    snprintf(path, sizeof path, "%s/binary", tmpdir);
    f = fopen(path, "w");
    assert_non_null(f);
    fwrite("[console]\n\0mouse = no\n", 1, 22, f);
    fclose(f);
    assert_false(config_load(&c, path, &err));
    assert_non_null(strstr(err, "is not a text file"));
    free(err);
}

static char *connection_conninfo(const char *text, const char *name)
{
    struct config c;
    char *err, *ci;

    if (!config_load_string(&c, text, "conn", &err))
        fail_msg("%s", err);
    assert_non_null(config_connection(&c, name));
    ci = config_connection_conninfo(config_connection(&c, name));
    config_free(&c);
    return ci;
}

static void test_named_connections(void **state)
{
    char *ci, *schema, *err, *norm, *shown;

    (void)state;
    ci = connection_conninfo("[connection n8n]\nhost = localhost\n"
                             "port = 5432\ndbname = n8n\nuser = n8n\n",
                             "n8n");
    assert_string_equal(ci, "host='localhost' port='5432' dbname='n8n' "
                            "user='n8n'");
    free(ci);
    /* The separate keys win over the URL; the schema survives. */
    ci = connection_conninfo(
        "[connection degux]\n"
        "url = postgresql://nexus_user@localhost:5432/degux?schema=public\n"
        "port = 5433\npassword = p&w d\n", "degux");
    assert_string_equal(ci, "postgresql://nexus_user@localhost:5432/degux"
                            "?schema=public&port=5433&password=p%26w%20d");
    norm = conninfo_normalize(ci, &schema, &err);
    assert_non_null(norm);
    assert_string_equal(schema, "public");
    shown = conninfo_display(norm);
    assert_string_equal(shown, "nexus_user@localhost:5433/degux");
    free(shown);
    free(norm);
    free(schema);
    free(ci);
    ci = connection_conninfo("[connection d]\nconninfo = degux\n"
                             "sslmode = require\n", "d");
    assert_string_equal(ci, "dbname='degux' sslmode='require'");
    free(ci);
    ci = connection_conninfo("[connection empty]\n", "empty");
    assert_string_equal(ci, "");
    free(ci);
}

/* data/config.example documents every key with its default: with its
 * examples uncommented it must load and give the defaults back. */
static void test_example_file(void **state)
{
    char path[] = SRCDATADIR "/config.example", line[512], *err;
    char *text = calloc(1, 1 << 16);
    FILE *f = fopen(path, "r");
    struct config c;

    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (line[0] == ';' || line[0] == '[')
            strcat(text, line + (line[0] == ';'));
    fclose(f);
    if (!config_load_string(&c, text, "config.example", &err))
        fail_msg("%s", err);
    assert_int_equal(c.statement_timeout_ms, 30000);
    assert_string_equal(c.pane, "schema");
    assert_string_equal(c.backup_pattern, "degux_%Y%m%d_%H%M%S.sql.gz");
    assert_int_equal(c.backup_max_age_h, 26);
    assert_string_equal(c.rol_pattern, "^[0-9]{5}-[0-9]{4}$");
    assert_null(c.moderator_user_id);
    assert_true(c.slow_threshold_ms == 100.0);
    assert_int_equal(c.activity_refresh_ms, 2000);
    assert_int_equal(c.nconnections, 2);
    assert_string_equal(config_connection(&c, "n8n")->port, "5432");
    config_free(&c);
    assert_true(config_load(&c, path, &err));   /* as shipped */
    config_free(&c);
    free(text);
}

static void test_locations(void **state)
{
    char *p, want[600];
    struct stat st;

    (void)state;
    setenv("HOME", tmpdir, 1);
    unsetenv("XDG_CONFIG_HOME");
    p = config_default_path();
    snprintf(want, sizeof want, "%s/.config/degux-console/config", tmpdir);
    assert_string_equal(p, want);
    free(p);
    setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
    p = config_default_path();
    assert_string_equal(p, want);
    free(p);
    setenv("XDG_CONFIG_HOME", "/etc/xdg-test", 1);
    p = config_default_path();
    assert_string_equal(p, "/etc/xdg-test/degux-console/config");
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_STATE_HOME");
    p = config_state_dir();
    snprintf(want, sizeof want, "%s/.local/state/degux-console", tmpdir);
    assert_string_equal(p, want);
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_section),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_password_permissions),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_nul_byte_refused),
        cmocka_unit_test(test_named_connections),
        cmocka_unit_test(test_example_file),
        cmocka_unit_test(test_locations),
    };

    return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
