/* Backups pane: a child process (pg_dump, psql) run from the event loop:
 * its stdout is read and its stdin fed when the pipes are ready (never a
 * blocking read or write), its stderr's last line is kept for the error
 * message, and it is reaped by a short timer, never a blocking wait. */
#include "autoconfig.h"

#include "panes/backups_child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/xalloc.h"

#define REAP_MS 20
#define ERR_KEEP 512

struct backups_child {
    pid_t pid;
    int in, out, err;          /* our ends; -1 when closed */
    int reap_timer;
    bool exited;
    int status;                /* exit status, or 128 + signal */
    char errtail[ERR_KEEP];
    size_t errlen;
    struct backups_child_ops ops;
    void *arg;
};

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void close_fd(int *fd)
{
    if (*fd < 0)
        return;
    loop_unwatch_fd(*fd);
    close(*fd);
    *fd = -1;
}

/* Ends when every pipe is closed and the child was reaped. */
static void maybe_finish(struct backups_child *c)
{
    if (c->out >= 0 || c->err >= 0 || !c->exited || !c->ops.on_exit)
        return;
    void (*fn)(int, const char *, void *) = c->ops.on_exit;
    c->ops.on_exit = NULL;
    fn(c->status, c->errtail, c->arg);
}

static void on_reap(void *arg)
{
    struct backups_child *c = arg;
    int st;
    pid_t r = waitpid(c->pid, &st, WNOHANG);

    if (r == 0 || (r < 0 && errno == EINTR))
        return;
    loop_timer_cancel(c->reap_timer);
    c->reap_timer = 0;
    c->exited = true;
    c->status = r < 0 ? 127 : WIFEXITED(st) ? WEXITSTATUS(st)
                                            : 128 + WTERMSIG(st);
    maybe_finish(c);
}

static void on_out(void *arg, int fd, short revents)
{
    struct backups_child *c = arg;
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf);

    (void)revents;
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        close_fd(&c->out);
        maybe_finish(c);
        return;
    }
    if (c->ops.on_out && !c->ops.on_out(buf, (size_t)n, c->arg))
        backups_child_kill(c);
}

/* Keeps the last lines of stderr (the error pg_dump or psql printed). */
static void keep_err(struct backups_child *c, const char *s, size_t n)
{
    if (n >= ERR_KEEP - 1) {
        s += n - (ERR_KEEP - 1);
        n = ERR_KEEP - 1;
    }
    if (c->errlen + n >= ERR_KEEP) {
        size_t drop = c->errlen + n - (ERR_KEEP - 1);
        memmove(c->errtail, c->errtail + drop, c->errlen - drop);
        c->errlen -= drop;
    }
    memcpy(c->errtail + c->errlen, s, n);
    c->errlen += n;
    c->errtail[c->errlen] = '\0';
}

static void on_err(void *arg, int fd, short revents)
{
    struct backups_child *c = arg;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);

    (void)revents;
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        close_fd(&c->err);
        maybe_finish(c);
        return;
    }
    keep_err(c, buf, (size_t)n);
    if (c->ops.on_err)
        c->ops.on_err(buf, (size_t)n, c->arg);
}

static void on_in(void *arg, int fd, short revents)
{
    struct backups_child *c = arg;
    const char *data;
    size_t len;
    ssize_t n;

    if (revents & (POLLERR | POLLHUP)) {
        close_fd(&c->in);
        return;
    }
    len = c->ops.in_peek(&data, c->arg);
    if (len == 0) {             /* everything written: EOF for the child */
        close_fd(&c->in);
        return;
    }
    n = write(fd, data, len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n < 0) {
        close_fd(&c->in);
        return;
    }
    c->ops.in_consumed((size_t)n, c->arg);
}

extern char **environ;

static bool env_overridden(const char *var, char *const *env)
{
    size_t n = strcspn(var, "=");

    for (int i = 0; env && env[i]; i++)
        if (!strncmp(env[i], var, n) && env[i][n] == '=')
            return true;
    return false;
}

/* Our environment with env's variables replacing or added, built before
 * fork: the child only calls async-signal-safe functions. */
static char **env_build(char *const *env)
{
    size_t n = 0, k = 0, m = 0;
    char **out;

    while (environ[n])
        n++;
    while (env && env[m])
        m++;
    out = xmalloc((n + m + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        if (!env_overridden(environ[i], env))
            out[k++] = environ[i];
    for (size_t i = 0; i < m; i++)
        out[k++] = env[i];
    out[k] = NULL;
    return out;
}

static void child_exec(char *const *argv, char **envp, int in, int out,
                       int err)
{
    if (in >= 0)
        dup2(in, 0);
    else
        close(0);
    dup2(out, 1);
    dup2(err, 2);
    signal(SIGPIPE, SIG_DFL);
    execvpe(argv[0], argv, envp);
    _exit(127);
}

struct backups_child *backups_child_start(char *const *argv,
                                          char *const *env,
                                          const struct backups_child_ops *ops,
                                          void *arg)
{
    int pin[2] = { -1, -1 }, pout[2], perr[2];
    struct backups_child *c;

    if ((ops->in_peek && pipe2(pin, O_CLOEXEC) != 0) ||
        pipe2(pout, O_CLOEXEC) != 0 || pipe2(perr, O_CLOEXEC) != 0)
        return NULL;
    char **envp = env_build(env);

    /* A child that dies leaves its stdin pipe without a reader: the write
     * must fail with EPIPE, not kill the console. */
    signal(SIGPIPE, SIG_IGN);
    c = xcalloc(1, sizeof *c);
    c->ops = *ops;
    c->arg = arg;
    c->pid = fork();
    if (c->pid == 0)
        child_exec(argv, envp, pin[0], pout[1], perr[1]);
    free(envp);
    if (pin[0] >= 0)
        close(pin[0]);
    close(pout[1]);
    close(perr[1]);
    c->in = pin[1];
    c->out = pout[0];
    c->err = perr[0];
    if (c->pid < 0) {
        c->exited = true;
        c->status = 127;
    } else {
        c->reap_timer = loop_timer_add(REAP_MS, true, on_reap, c);
    }
    set_nonblock(c->out);
    set_nonblock(c->err);
    loop_watch_fd(c->out, POLLIN, on_out, c);
    loop_watch_fd(c->err, POLLIN, on_err, c);
    if (c->in >= 0) {
        set_nonblock(c->in);
        loop_watch_fd(c->in, POLLOUT, on_in, c);
    }
    return c;
}

void backups_child_kill(struct backups_child *c)
{
    if (c && !c->exited && c->pid > 0)
        kill(c->pid, SIGTERM);
    if (c)
        close_fd(&c->in);
}

bool backups_child_done(const struct backups_child *c)
{
    return c->exited && c->out < 0 && c->err < 0;
}

/* Called once finished, or to abandon: a running child is killed and, so
 * that no zombie is left, waited for (it was sent SIGTERM: brief). */
void backups_child_free(struct backups_child *c)
{
    if (!c)
        return;
    if (!c->exited && c->pid > 0) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
    }
    if (c->reap_timer)
        loop_timer_cancel(c->reap_timer);
    close_fd(&c->in);
    close_fd(&c->out);
    close_fd(&c->err);
    free(c);
}
