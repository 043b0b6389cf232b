/* The configuration file: INI read with libinih, every key checked against
 * one table, so a typo is an error naming its line instead of a setting
 * silently ignored. Also the XDG locations of the config and state. */
#include "autoconfig.h"

#include "core/config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conninfo.h"
#include "core/xalloc.h"
#include "i18n.h"

/* A configuration is a few hundred bytes; anything this big is a mistake. */
#define CONFIG_MAX_SIZE (1024 * 1024)
/* libinih keeps section names in a 50-byte buffer and cuts longer ones. */
#define SECTION_MAX 48

enum key_kind {
    KEY_STR,      /* text; empty means unset */
    KEY_PATH,     /* text with a leading ~/ expanded */
    KEY_BOOL,
    KEY_INT,
    KEY_LONG,
    KEY_MS,       /* duration into an int of milliseconds */
    KEY_MS_REAL,  /* duration into a double of milliseconds */
    KEY_HOURS,    /* duration (or a bare number of hours) into int hours */
    KEY_THEME,
    KEY_REGEX,    /* POSIX extended regular expression */
};

struct key_def {
    const char *section, *name;
    enum key_kind kind;
    size_t offset;
    long min, max;   /* text: min 1 when it has a default and may not be
                        emptied */
};

#define AT(field) offsetof(struct config, field)

static const struct key_def key_defs[] = {
    { "console", "statement_timeout", KEY_MS, AT(statement_timeout_ms), 0,
      INT_MAX },
    { "console", "pane", KEY_STR, AT(pane), 0, 0 },
    { "console", "theme", KEY_THEME, AT(theme), 1, 0 },
    { "console", "mouse", KEY_BOOL, AT(mouse), 0, 0 },
    { "console", "history_size", KEY_INT, AT(history_size), 0, 1000000 },
    { "demo", "dir", KEY_PATH, AT(demo_dir), 0, 0 },
    { "demo", "bindir", KEY_PATH, AT(demo_bindir), 0, 0 },
    { "demo", "size", KEY_LONG, AT(demo_size), 100, 10000000 },
    { "backups", "dir", KEY_PATH, AT(backup_dir), 0, 0 },
    { "backups", "pattern", KEY_STR, AT(backup_pattern), 1, 0 },
    { "backups", "log", KEY_PATH, AT(backup_log), 1, 0 },
    { "backups", "keep_daily", KEY_INT, AT(keep_daily), 0, 10000 },
    { "backups", "keep_weekly", KEY_INT, AT(keep_weekly), 0, 10000 },
    { "backups", "keep_monthly", KEY_INT, AT(keep_monthly), 0, 10000 },
    { "backups", "max_age", KEY_HOURS, AT(backup_max_age_h), 1, 100000 },
    { "moderation", "rol_pattern", KEY_REGEX, AT(rol_pattern), 1, 0 },
    { "moderation", "moderator_user_id", KEY_STR, AT(moderator_user_id), 0,
      0 },
    { "rls", "app_role", KEY_STR, AT(app_role), 0, 0 },
    { "slow", "threshold", KEY_MS_REAL, AT(slow_threshold_ms), 0,
      86400000 },
    { "slow", "activity_refresh", KEY_MS, AT(activity_refresh_ms), 100,
      3600000 },
};
#define NKEYS (sizeof key_defs / sizeof key_defs[0])

static const char *const sections[] = {
    "console", "demo", "backups", "moderation", "rls", "slow", NULL,
};

#define CONN(field) offsetof(struct config_connection, field)

static const struct { const char *name; size_t offset; } conn_fields[] = {
    { "host", CONN(host) }, { "port", CONN(port) },
    { "dbname", CONN(dbname) }, { "user", CONN(user) },
    { "password", CONN(password) }, { "sslmode", CONN(sslmode) },
};
#define NCONN_FIELDS (sizeof conn_fields / sizeof conn_fields[0])

struct parser {
    struct config *cfg;
    const char *name;       /* file name for messages */
    const char *text;
    size_t pos;
    int line;               /* the line libinih is handling */
    int err_line;
    char *err;              /* the first error, "FILE:LINE: …" */
    bool password;          /* the file holds a password */
};

/* ---- defaults and freeing ------------------------------------------- */

static void config_defaults(struct config *cfg)
{
    *cfg = (struct config){
        .statement_timeout_ms = 30000,
        .theme = xstrdup("default"),
        .mouse = true,
        .history_size = 2000,
        .demo_size = 100000,
        .backup_pattern = xstrdup("degux_%Y%m%d_%H%M%S.sql.gz"),
        .backup_log = xstrdup("/var/log/nexus-backup.log"),
        .keep_daily = 7, .keep_weekly = 4, .keep_monthly = 6,
        .backup_max_age_h = 26,
        .rol_pattern = xstrdup("^[0-9]{5}-[0-9]{4}$"),
        .slow_threshold_ms = 100,
        .activity_refresh_ms = 2000,
    };
}

static void connection_free(struct config_connection *c)
{
    free(c->name);
    free(c->conninfo);
    for (size_t i = 0; i < NCONN_FIELDS; i++)
        free(*(char **)((char *)c + conn_fields[i].offset));
}

void config_free(struct config *cfg)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (key_defs[i].kind == KEY_STR || key_defs[i].kind == KEY_PATH ||
            key_defs[i].kind == KEY_THEME || key_defs[i].kind == KEY_REGEX)
            free(*(char **)((char *)cfg + key_defs[i].offset));
    for (int i = 0; i < cfg->nconnections; i++)
        connection_free(&cfg->connections[i]);
    free(cfg->connections);
    free(cfg->path);
    *cfg = (struct config){ 0 };
}

/* ---- values ---------------------------------------------------------- */

static void parser_fail(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void parser_fail(struct parser *ps, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    if (ps->err)
        return;
    va_start(ap, fmt);
    msg = xvasprintf(fmt, ap);
    va_end(ap);
    /* The message quotes the file: keep its bytes off the terminal. */
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    ps->err = xasprintf("%s:%d: %s", ps->name, ps->line, msg);
    ps->err_line = ps->line;
    free(msg);
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = { "yes", "true", "on", "1", NULL };
    static const char *const no[] = { "no", "false", "off", "0", NULL };

    for (int i = 0; yes[i]; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = true, true;
        if (strcasecmp(v, no[i]) == 0)
            return *out = false, true;
    }
    return false;
}

static bool parse_long(const char *v, long *out)
{
    char *end;

    if (*v < '0' || *v > '9')   /* no sign, no blank, no "0x" surprises */
        return false;
    errno = 0;
    *out = strtol(v, &end, 10);
    return errno == 0 && *end == '\0';
}

/* Digits with an optional fraction, read without strtod: a decimal comma
 * locale must not change what "1.5s" means. */
static const char *parse_decimal(const char *s, double *out)
{
    double v = 0;
    bool digits = false;

    for (; *s >= '0' && *s <= '9'; s++, digits = true)
        v = v * 10 + (*s - '0');
    if (*s == '.') {
        double scale = 1;
        for (s++; *s >= '0' && *s <= '9'; s++, digits = true)
            v += (*s - '0') * (scale /= 10);
    }
    *out = v;
    return digits ? s : NULL;
}

long config_parse_duration_ms(const char *s)
{
    static const struct { const char *unit; double ms; } units[] = {
        { "", 1 }, { "ms", 1 }, { "s", 1000 }, { "min", 60000 },
        { "h", 3600000 }, { "d", 86400000 },
    };
    double v;

    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!(s = parse_decimal(s, &v)))
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].unit);
        if (strncasecmp(s, units[i].unit, n) == 0 &&
            s[n + strspn(s + n, " \t")] == '\0') {
            v = round(v * units[i].ms);
            return v < (double)LONG_MAX / 2 ? (long)v : -1;
        }
    }
    return -1;
}

/* A bare number of hours, or a duration that is a whole number of hours. */
static long parse_hours(const char *v)
{
    long n, ms;

    if (parse_long(v, &n))
        return n;
    ms = config_parse_duration_ms(v);
    return ms >= 0 && ms % 3600000 == 0 ? ms / 3600000 : -1;
}

static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    struct passwd *pw;

    if (home && *home)
        return home;
    pw = getpwuid(getuid());
    return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

static char *expand_path(const char *v)
{
    const char *home = home_dir();

    if (strncmp(v, "~/", 2) == 0 && home)
        return xasprintf("%s/%s", home, v + 2);
    return xstrdup(v);
}

static void set_string(char **field, char *value)
{
    free(*field);
    *field = value;
}

/* ---- one key of the fixed sections ----------------------------------- */

static bool check_range(struct parser *ps, const struct key_def *k,
                        long v, const char *unit)
{
    if (v >= k->min && v <= k->max)
        return true;
    parser_fail(ps, _("%s: must be from %ld to %ld%s"), k->name, k->min,
                k->max, unit);
    return false;
}

static bool set_number(struct parser *ps, const struct key_def *k,
                       void *field, const char *v)
{
    long n;

    if (!parse_long(v, &n)) {
        parser_fail(ps, _("%s: \"%s\" is not a whole number"), k->name, v);
        return false;
    }
    if (!check_range(ps, k, n, ""))
        return false;
    if (k->kind == KEY_INT)
        *(int *)field = (int)n;
    else
        *(long *)field = n;
    return true;
}

static bool set_duration(struct parser *ps, const struct key_def *k,
                         void *field, const char *v)
{
    long ms = k->kind == KEY_HOURS ? parse_hours(v)
                                   : config_parse_duration_ms(v);

    if (ms < 0) {
        parser_fail(ps, k->kind == KEY_HOURS
                            ? _("%s: \"%s\" is not a whole number of hours "
                                "(such as 26 or 26h)")
                            : _("%s: \"%s\" is not a duration (such as "
                                "500ms, 30s, 2min or 1h)"),
                    k->name, v);
        return false;
    }
    if (!check_range(ps, k, ms, k->kind == KEY_HOURS ? " h" : " ms"))
        return false;
    if (k->kind == KEY_MS_REAL)
        *(double *)field = (double)ms;
    else
        *(int *)field = (int)ms;
    return true;
}

static bool check_regex(struct parser *ps, const struct key_def *k,
                        const char *v)
{
    regex_t re;
    char buf[256];
    int rc = regcomp(&re, v, REG_EXTENDED | REG_NOSUB);

    if (rc == 0) {
        regfree(&re);
        return true;
    }
    regerror(rc, &re, buf, sizeof buf);
    parser_fail(ps, _("%s: invalid regular expression: %s"), k->name, buf);
    return false;
}

static bool set_key(struct parser *ps, const struct key_def *k,
                    const char *v)
{
    void *field = (char *)ps->cfg + k->offset;

    if (!*v && k->min > 0) {
        parser_fail(ps, _("%s: must not be empty"), k->name);
        return false;
    }
    switch (k->kind) {
    case KEY_STR:
        set_string(field, *v ? xstrdup(v) : NULL);
        return true;
    case KEY_PATH:
        set_string(field, *v ? expand_path(v) : NULL);
        return true;
    case KEY_BOOL:
        if (parse_bool(v, field))
            return true;
        parser_fail(ps, _("%s: expected yes or no, not \"%s\""), k->name, v);
        return false;
    case KEY_INT:
    case KEY_LONG:
        return set_number(ps, k, field, v);
    case KEY_MS:
    case KEY_MS_REAL:
    case KEY_HOURS:
        return set_duration(ps, k, field, v);
    case KEY_THEME:
        if (strcmp(v, "default") == 0 || strcmp(v, "mono") == 0) {
            set_string(field, xstrdup(v));
            return true;
        }
        parser_fail(ps, _("%s: expected \"default\" or \"mono\", not \"%s\""),
                    k->name, v);
        return false;
    case KEY_REGEX:
        if (!check_regex(ps, k, v))
            return false;
        set_string(field, xstrdup(v));
        return true;
    }
    return false;
}

/* "a, b, c": the keys a section knows, for the unknown-key message. */
static char *section_keys(const char *section)
{
    char *list = xstrdup("");

    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(key_defs[i].section, section) != 0)
            continue;
        char *next = xasprintf("%s%s%s", list, *list ? ", " : "",
                               key_defs[i].name);
        free(list);
        list = next;
    }
    return list;
}

static void config_key(struct parser *ps, const char *section,
                       const char *name, const char *value)
{
    char *known;

    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(key_defs[i].section, section) == 0 &&
            strcmp(key_defs[i].name, name) == 0) {
            set_key(ps, &key_defs[i], value);
            return;
        }
    known = section_keys(section);
    parser_fail(ps, _("unknown key \"%s\" in [%s] (known: %s)"), name,
                section, known);
    free(known);
}

/* ---- [connection NAME] ----------------------------------------------- */

/* The NAME of "connection NAME", or NULL for another section. */
static const char *connection_name(const char *section)
{
    if (strncmp(section, "connection", 10) != 0)
        return NULL;
    if (section[10] == '\0')
        return "";
    if (section[10] != ' ' && section[10] != '\t')
        return NULL;
    return section + 10 + strspn(section + 10, " \t");
}

static struct config_connection *connection_get(struct config *cfg,
                                                const char *name)
{
    struct config_connection *c;

    for (int i = 0; i < cfg->nconnections; i++)
        if (strcmp(cfg->connections[i].name, name) == 0)
            return &cfg->connections[i];
    cfg->connections = xrealloc(cfg->connections,
                                (size_t)(cfg->nconnections + 1) * sizeof *c);
    c = &cfg->connections[cfg->nconnections++];
    *c = (struct config_connection){ .name = xstrdup(name) };
    return c;
}

static void connection_url(struct parser *ps, struct config_connection *c,
                           const char *name, const char *value)
{
    char *schema, *err, *ci = conninfo_normalize(value, &schema, &err);

    if (!ci) {
        parser_fail(ps, "%s: %s", name, err);
    } else {
        ps->password = ps->password || conninfo_has_password(value);
        set_string(&c->conninfo, *value ? xstrdup(value) : NULL);
    }
    free(ci);
    free(schema);
    free(err);
}

static void connection_key(struct parser *ps, const char *cname,
                           const char *name, const char *value)
{
    struct config_connection *c = connection_get(ps->cfg, cname);

    if (strcmp(name, "url") == 0 || strcmp(name, "conninfo") == 0) {
        connection_url(ps, c, name, value);
        return;
    }
    if (strcmp(name, "write") == 0) {
        if (!parse_bool(value, &c->write))
            parser_fail(ps, _("%s: expected yes or no, not \"%s\""), name,
                        value);
        return;
    }
    for (size_t i = 0; i < NCONN_FIELDS; i++)
        if (strcmp(conn_fields[i].name, name) == 0) {
            set_string((char **)((char *)c + conn_fields[i].offset),
                       *value ? xstrdup(value) : NULL);
            ps->password = ps->password ||
                           (strcmp(name, "password") == 0 && *value);
            return;
        }
    parser_fail(ps, _("unknown key \"%s\" in [connection %s] (known: url, "
                      "conninfo, host, port, dbname, user, password, "
                      "sslmode, write)"),
                name, cname);
}

/* ---- sections and lines ---------------------------------------------- */

static bool section_known(const char *name)
{
    for (int i = 0; sections[i]; i++)
        if (strcmp(sections[i], name) == 0)
            return true;
    return false;
}

static void section_check(struct parser *ps, const char *name)
{
    const char *cname = connection_name(name);

    if (strlen(name) > SECTION_MAX)
        parser_fail(ps, _("section name longer than %d characters"),
                    SECTION_MAX);
    else if (cname && (!*cname || conninfo_is_literal(cname)))
        parser_fail(ps, _("[connection NAME] needs a name without \"=\" that "
                          "is not a URI"));
    else if (cname)
        connection_get(ps->cfg, cname);
    else if (!section_known(name))
        parser_fail(ps, _("unknown section [%s] (known: console, demo, "
                          "backups, moderation, rls, slow, connection NAME)"),
                    name);
}

/* Trimmed copy of s[0..n). */
static char *trim_copy(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return xstrndup(s, n);
}

/* Sections are checked as they are read, not when a key arrives, so that
 * an empty misspelled section is caught too. */
static void line_check_section(struct parser *ps, const char *line)
{
    const char *end = strchr(line, ']');
    char *name;

    if (line[0] != '[')
        return;
    if (!end) {
        parser_fail(ps, _("missing \"]\" after the section name"));
        return;
    }
    name = trim_copy(line + 1, (size_t)(end - line - 1));
    section_check(ps, name);
    free(name);
}

/* libinih's reader: one line at a time from the text, counted, so messages
 * name the line. Leading blanks are dropped: libinih would take an
 * indented line for the continuation of the previous value. */
static char *parser_read_line(char *str, int num, void *stream)
{
    struct parser *ps = stream;
    const char *p = ps->text + ps->pos;
    size_t len = strcspn(p, "\n");

    if (!*p)
        return NULL;
    ps->pos += len + (p[len] == '\n');
    ps->line++;
    if (ps->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3, len -= 3;
    while (len > 0 && (*p == ' ' || *p == '\t'))
        p++, len--;
    if (len + 2 > (size_t)num) {
        parser_fail(ps, _("line longer than %d characters"), num - 2);
        len = (size_t)num - 2;
    }
    memcpy(str, p, len);
    strcpy(str + len, "\n");
    line_check_section(ps, str);
    return str;
}

static int parser_on_key(void *user, const char *section, const char *name,
                         const char *value)
{
    struct parser *ps = user;
    char *sec = trim_copy(section, strlen(section));
    const char *cname = connection_name(sec);

    if (!*sec)
        parser_fail(ps, _("\"%s\" comes before any [section]"), name);
    else if (cname)
        connection_key(ps, cname, name, value);
    else if (section_known(sec))
        config_key(ps, sec, name, value);
    free(sec);
    return 1;   /* errors are collected in ps; libinih reports syntax */
}

static bool config_parse(struct config *cfg, const char *text,
                         const char *name, bool *password, char **err)
{
    struct parser ps = { .cfg = cfg, .name = name, .text = text };
    int rc = ini_parse_stream(parser_read_line, &ps, parser_on_key, &ps);

    *password = ps.password;
    if (rc > 0 && (!ps.err || rc < ps.err_line)) {
        free(ps.err);
        ps.err = xasprintf(_("%s:%d: expected [section], key = value or a "
                             "comment"),
                           name, rc);
    } else if (rc < 0 && !ps.err) {
        ps.err = xasprintf(_("%s: cannot be parsed"), name);
    }
    *err = ps.err;
    return ps.err == NULL;
}

/* ---- loading ------------------------------------------------------------ */

bool config_load_string(struct config *cfg, const char *text,
                        const char *name, char **err)
{
    bool password;

    *err = NULL;
    config_defaults(cfg);
    if (config_parse(cfg, text, name, &password, err))
        return true;
    config_free(cfg);
    return false;
}

static char *read_error(const char *path, int errnum)
{
    return xasprintf(_("cannot read configuration file \"%s\": %s"), path,
                     strerror(errnum));
}

static char *read_fd(int fd, const char *path, char **err)
{
    char *buf = xmalloc(CONFIG_MAX_SIZE + 1);
    size_t len = 0;
    ssize_t n;

    while (len <= CONFIG_MAX_SIZE &&
           (n = read(fd, buf + len, CONFIG_MAX_SIZE + 1 - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *err = read_error(path, errno);
            free(buf);
            return NULL;
        }
        len += (size_t)n;
    }
    if (len > CONFIG_MAX_SIZE || memchr(buf, '\0', len)) {
        *err = xasprintf(_("configuration file \"%s\" is not a text file of "
                           "at most 1 MiB"), path);
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/* The file's text, NULL with *err; a missing optional file is NULL with
 * *err NULL. *mode is what others may do with it. */
static char *read_file(const char *path, bool optional, mode_t *mode,
                       char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct stat st;
    char *text = NULL;

    if (fd < 0) {
        if (!(optional && errno == ENOENT))
            *err = read_error(path, errno);
        return NULL;
    }
    if (fstat(fd, &st) != 0)
        *err = read_error(path, errno);
    else if (S_ISDIR(st.st_mode))
        *err = read_error(path, EISDIR);
    else
        text = read_fd(fd, path, err);
    *mode = st.st_mode;
    close(fd);
    return text;
}

/* As libpq does for ~/.pgpass: a password others can read is refused. */
static bool check_private(const char *path, mode_t mode, char **err)
{
    if ((mode & 077) == 0)
        return true;
    *err = xasprintf(_("configuration file \"%s\" holds a password and has "
                       "group or world access; permissions should be u=rw "
                       "(0600) or less"),
                     path);
    return false;
}

bool config_load(struct config *cfg, const char *path, char **err)
{
    char *file = path ? xstrdup(path) : config_default_path();
    mode_t mode = 0;
    char *text;
    bool password, ok;

    *err = NULL;
    config_defaults(cfg);
    text = file ? read_file(file, !path, &mode, err) : NULL;
    if (!text) {
        free(file);
        if (*err)
            config_free(cfg);
        return *err == NULL;
    }
    ok = config_parse(cfg, text, file, &password, err) &&
         (!password || check_private(file, mode, err));
    free(text);
    if (!ok) {
        config_free(cfg);
        free(file);
        return false;
    }
    cfg->path = file;
    return true;
}

/* ---- named connections -------------------------------------------------- */

const struct config_connection *config_connection(const struct config *cfg,
                                                  const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < cfg->nconnections; i++)
        if (strcmp(cfg->connections[i].name, name) == 0)
            return &cfg->connections[i];
    return NULL;
}

char *config_connection_conninfo(const struct config_connection *c)
{
    char *ci = xstrdup(c->conninfo ? c->conninfo : "");

    for (size_t i = 0; i < NCONN_FIELDS; i++) {
        const char *v = *(char *const *)((const char *)c +
                                         conn_fields[i].offset);
        if (v) {
            char *next = conninfo_append(ci, conn_fields[i].name, v);
            free(ci);
            ci = next;
        }
    }
    return ci;
}

/* ---- locations ----------------------------------------------------------- */

static char *xdg_dir(const char *var, const char *fallback)
{
    const char *v = getenv(var), *home;

    /* The XDG spec: a relative path is invalid and is ignored. */
    if (v && v[0] == '/')
        return xasprintf("%s/degux-console", v);
    if (!(home = home_dir()))
        return NULL;
    return xasprintf("%s/%s/degux-console", home, fallback);
}

char *config_default_path(void)
{
    char *dir = xdg_dir("XDG_CONFIG_HOME", ".config");
    char *path = dir ? xasprintf("%s/config", dir) : NULL;

    free(dir);
    return path;
}

/* mkdir -p; failures surface later, when a file in it is written. */
static void make_dirs(char *path, mode_t mode)
{
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(path, mode);
        *s = '/';
    }
    mkdir(path, mode);
}

char *config_state_dir(void)
{
    char *dir = xdg_dir("XDG_STATE_HOME", ".local/state");

    if (dir)
        make_dirs(dir, 0700);
    return dir;
}
