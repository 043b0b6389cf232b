/* Backups pane: what the host says about the backups: the tail of the
 * backup log (failures highlighted) and whether a cron entry runs the
 * backup, read from the files the console can read (never a child). */
#include "autoconfig.h"

#include "panes/backups.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "i18n.h"

/* The tail read: enough for BACKUPS_LOG_LINES lines of a chatty log. */
#define TAIL_BYTES (64 * 1024)

static void log_clear(struct backups *b)
{
    for (int i = 0; i < b->nlog; i++)
        free(b->log[i]);
    free(b->log);
    b->log = NULL;
    b->nlog = 0;
    free(b->log_error);
    b->log_error = NULL;
}

/* Splits text into its last BACKUPS_LOG_LINES lines; a first line cut by
 * the tail's start is dropped when the file was longer. */
static void log_split(struct backups *b, char *text, bool cut)
{
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);

    if (cut && line)
        line = strtok_r(NULL, "\n", &save);
    for (; line; line = strtok_r(NULL, "\n", &save)) {
        if (b->nlog == BACKUPS_LOG_LINES) {
            free(b->log[0]);
            memmove(b->log, b->log + 1, (BACKUPS_LOG_LINES - 1) *
                                            sizeof *b->log);
            b->nlog--;
        }
        b->log = xrealloc(b->log, (size_t)(b->nlog + 1) * sizeof *b->log);
        b->log[b->nlog++] = xstrdup(line);
    }
}

static char *read_tail(int fd, off_t size, bool *cut)
{
    off_t from = size > TAIL_BYTES ? size - TAIL_BYTES : 0;
    char *buf = xmalloc(TAIL_BYTES + 1);
    ssize_t n = pread(fd, buf, TAIL_BYTES, from);

    *cut = from > 0;
    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

void backups_host_read_log(struct backups *b)
{
    struct stat st;
    int fd;
    bool cut;
    char *text;

    log_clear(b);
    if (!b->log_path)
        return;
    /* O_NONBLOCK: a FIFO in the log's place must not hang the console. */
    fd = open(b->log_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        b->log_error = fd < 0 ? xasprintf("%s: %s", b->log_path,
                                          strerror(errno))
                              : xasprintf(_("%s is not a regular file"),
                                          b->log_path);
        if (fd >= 0)
            close(fd);
        return;
    }
    text = read_tail(fd, st.st_size, &cut);
    close(fd);
    log_split(b, text, cut);
    free(text);
}

bool backups_host_log_error(const char *line)
{
    return strcasestr(line, "error") || strcasestr(line, "fail") ||
           strcasestr(line, "no space") || strcasestr(line, "denied") ||
           strcasestr(line, "fatal");
}

/* A crontab line that runs a dump or the backup: not a comment, and
 * naming pg_dump, the folder or the degux backup script. */
static bool cron_line_matches(const char *line, const char *dir)
{
    line += strspn(line, " \t");
    if (*line == '#' || !*line)
        return false;
    return strstr(line, "pg_dump") || (dir && *dir && strstr(line, dir)) ||
           strcasestr(line, "degux") || strcasestr(line, "nexus-backup");
}

static bool cron_scan_file(struct backups *b, const char *path)
{
    FILE *f = fopen(path, "re");
    char line[4096];
    bool found = false;

    if (!f)
        return false;
    while (!found && fgets(line, sizeof line, f)) {
        if (!cron_line_matches(line, b->dir))
            continue;
        line[strcspn(line, "\n")] = '\0';
        b->cron = xstrdup(path);
        b->cron_line = xstrdup(line);
        found = true;
    }
    fclose(f);
    return found;
}

static bool cron_scan_dir(struct backups *b, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    bool found = false;

    if (!d)
        return false;
    while (!found && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        found = cron_scan_file(b, path);
        free(path);
    }
    closedir(d);
    return found;
}

void backups_host_find_cron(struct backups *b)
{
    struct passwd *pw = getpwuid(getuid());
    char *spool = pw ? xasprintf("/var/spool/cron/crontabs/%s", pw->pw_name)
                     : NULL;

    free(b->cron);
    free(b->cron_line);
    b->cron = b->cron_line = NULL;
    if (!cron_scan_file(b, "/etc/crontab") &&
        !cron_scan_dir(b, "/etc/cron.d") && spool)
        cron_scan_file(b, spool);
    free(spool);
}

void backups_host_free(struct backups *b)
{
    log_clear(b);
    free(b->cron);
    free(b->cron_line);
    b->cron = b->cron_line = NULL;
}
