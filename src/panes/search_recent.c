/* The search pane's recent searches on disk, so that Ctrl-P recalls them in
 * the next run: $XDG_STATE_HOME/degux-console/search-recent, mode 0600, one
 * search a line, newest first: the target, then name=value per filled field,
 * separated by tabs. A line that does not parse is skipped, never trusted. */
#include "autoconfig.h"

#include "panes/search.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/xalloc.h"

#define LINE_MAX_BYTES 8192
#define VALUE_MAX_BYTES 200 /* as the form takes */
#define FILE_MAX_BYTES (1L << 20)

static const char *const target_keys[] = {
    [SEARCHQ_REFERENCIALES] = "referenciales",
    [SEARCHQ_PROPERTY] = "property",
    [SEARCHQ_LISTING] = "listing",
};

static char *recent_path(void)
{
    char *dir = config_state_dir();
    char *path = dir ? xasprintf("%s/search-recent", dir) : NULL;

    free(dir);
    return path;
}

/* Well-formed UTF-8 without control characters: what the form could have
 * held. */
static bool value_ok(const char *v)
{
    const unsigned char *s = (const unsigned char *)v;

    if (strlen(v) > VALUE_MAX_BYTES)
        return false;
    while (*s) {
        int n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 && *s >= 0xC2 ? 1
              : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 && *s <= 0xF4
              ? 3 : -1;

        if (n < 0 || (n == 0 && (*s < 32 || *s == 127)))
            return false;
        for (s++; n > 0; n--, s++)
            if ((*s & 0xC0) != 0x80)
                return false;
    }
    return true;
}

static int field_index(const char *name)
{
    for (int i = 0; i < SF_COUNT; i++)
        if (strcmp(search_field_name(i), name) == 0)
            return i;
    return -1;
}

/* One line into r; false (r left empty) when any part of it is wrong. */
static bool parse_line(char *line, struct search_recent *r)
{
    char *save = NULL, *tok = strtok_r(line, "\t", &save);
    int t = tok ? searchq_target_parse(tok) : -1;

    memset(r, 0, sizeof *r);
    if (t < 0)
        return false;
    r->target = (enum searchq_target)t;
    while ((tok = strtok_r(NULL, "\t", &save))) {
        char *eq = strchr(tok, '=');
        int i;

        if (!eq)
            break;
        *eq = 0;
        i = field_index(tok);
        if (i < 0 || r->val[i] || !value_ok(eq + 1) || !eq[1])
            break;
        r->val[i] = xstrdup(eq + 1);
    }
    if (!tok)
        return true;
    for (int i = 0; i < SF_COUNT; i++)
        free(r->val[i]);
    memset(r, 0, sizeof *r);
    return false;
}

/* Reads a line of at most LINE_MAX_BYTES; a longer one is read to its end
 * and reported as bad (NULL in *line). False at the end of the file. */
static bool read_line(FILE *f, char *buf, char **line)
{
    int c;

    if (!fgets(buf, LINE_MAX_BYTES, f))
        return false;
    *line = buf;
    if (strchr(buf, '\n')) {
        buf[strcspn(buf, "\r\n")] = 0;
        return true;
    }
    if (feof(f))
        return true;
    *line = NULL;
    while ((c = getc(f)) != EOF && c != '\n')
        ;
    return true;
}

void search_recent_load(struct searchp *s)
{
    char *path = recent_path(), *buf, *line;
    int fd = path ? open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
    struct stat st;
    FILE *f;

    free(path);
    if (fd < 0)
        return;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > FILE_MAX_BYTES || !(f = fdopen(fd, "r"))) {
        close(fd);
        return;
    }
    buf = xmalloc(LINE_MAX_BYTES);
    while (s->nrecent < SEARCH_RECENT && read_line(f, buf, &line))
        if (line && parse_line(line, &s->recent[s->nrecent]))
            s->nrecent++;
    free(buf);
    fclose(f);
}

static void write_one(FILE *f, const struct search_recent *r)
{
    fputs(target_keys[r->target], f);
    for (int i = 0; i < SF_COUNT; i++)
        if (r->val[i] && *r->val[i] && value_ok(r->val[i]))
            fprintf(f, "\t%s=%s", search_field_name(i), r->val[i]);
    fputc('\n', f);
}

/* A new file beside the old one, renamed over it: a crash leaves one or
 * the other, and a symbolic link in its place is replaced, not followed. */
bool search_recent_save(const struct searchp *s)
{
    char *path = recent_path(), *tmp;
    FILE *f;
    int fd;
    bool ok;

    if (!path)
        return false;
    tmp = xasprintf("%s.XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0 || fchmod(fd, 0600) != 0 ||
        !(f = fdopen(fd, "w"))) {
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        free(path);
        return false;
    }
    for (int i = 0; i < s->nrecent; i++)
        write_one(f, &s->recent[i]);
    ok = fflush(f) == 0 && !ferror(f);
    ok = fclose(f) == 0 && ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    free(tmp);
    free(path);
    return ok;
}
