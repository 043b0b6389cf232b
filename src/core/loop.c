/* The poll() loop. Watches and timers live in small arrays: a console has a
 * handful of descriptors, so a linear scan beats any cleverness. */
#include "autoconfig.h"

#include "core/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"

#define MAX_WATCH 32
#define MAX_TIMER 64
#define MAX_SIGNAL 8

struct watch {
    int fd;
    short events;
    loop_fd_fn fn;
    void *arg;
};

struct timer {
    int id;
    unsigned pass;      /* the run_timers pass that last fired it */
    double due;
    long period;
    loop_timer_fn fn;
    void *arg;
};

struct sigwatch {
    int signo;
    loop_signal_fn fn;
    void *arg;
};

static struct watch watches[MAX_WATCH];
static int nwatch;
static struct timer timers[MAX_TIMER];
static int ntimer, next_timer_id = 1;
static struct sigwatch sigs[MAX_SIGNAL];
static int nsig;
static int sigpipe[2] = { -1, -1 };
static bool quitting;
static void (*idle_fn)(void *);
static void *idle_arg;

double loop_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void loop_watch_fd(int fd, short events, loop_fd_fn fn, void *arg)
{
    for (int i = 0; i < nwatch; i++) {
        if (watches[i].fd == fd) {
            watches[i] = (struct watch){ fd, events, fn, arg };
            return;
        }
    }
    if (nwatch == MAX_WATCH)
        die("too many watched descriptors");
    watches[nwatch++] = (struct watch){ fd, events, fn, arg };
}

void loop_unwatch_fd(int fd)
{
    for (int i = 0; i < nwatch; i++) {
        if (watches[i].fd == fd) {
            watches[i] = watches[--nwatch];
            return;
        }
    }
}

int loop_timer_add(long ms, bool repeat, loop_timer_fn fn, void *arg)
{
    if (ntimer == MAX_TIMER)
        die("too many timers");
    timers[ntimer] = (struct timer){ next_timer_id++, 0, loop_now_ms() + ms,
                                     repeat ? ms : 0, fn, arg };
    return timers[ntimer++].id;
}

void loop_timer_cancel(int id)
{
    for (int i = 0; i < ntimer; i++) {
        if (timers[i].id == id) {
            timers[i] = timers[--ntimer];
            return;
        }
    }
}

static void on_signal_raw(int signo)
{
    int saved = errno;
    unsigned char b = (unsigned char)signo;

    if (write(sigpipe[1], &b, 1) < 0) {
        /* pipe full: a wake-up is already pending */
    }
    errno = saved;
}

static void sigpipe_read(void *arg, int fd, short revents)
{
    unsigned char buf[64];
    ssize_t n;

    (void)arg;
    (void)revents;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            for (int s = 0; s < nsig; s++)
                if (sigs[s].signo == buf[i])
                    sigs[s].fn(sigs[s].arg, buf[i]);
    }
}

void loop_on_signal(int signo, loop_signal_fn fn, void *arg)
{
    struct sigaction sa;

    if (sigpipe[0] < 0) {
        if (pipe(sigpipe) < 0)
            die("pipe: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            fcntl(sigpipe[i], F_SETFL, O_NONBLOCK);
            fcntl(sigpipe[i], F_SETFD, FD_CLOEXEC);
        }
        loop_watch_fd(sigpipe[0], POLLIN, sigpipe_read, NULL);
    }
    if (nsig == MAX_SIGNAL)
        die("too many signal handlers");
    sigs[nsig++] = (struct sigwatch){ signo, fn, arg };
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal_raw;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(signo, &sa, NULL);
}

void loop_set_idle(void (*fn)(void *), void *arg)
{
    idle_fn = fn;
    idle_arg = arg;
}

static int next_timeout(int cap)
{
    double now = loop_now_ms();
    int best = cap;

    for (int i = 0; i < ntimer; i++) {
        double left = timers[i].due - now;
        int ms = left <= 0 ? 0 : (int)(left + 0.999);
        if (best < 0 || ms < best)
            best = ms;
    }
    return best;
}

static void run_timers(void)
{
    static unsigned pass;
    double now = loop_now_ms();

    /* Timers may add or cancel timers: restart the scan after each call.
     * Each fires at most once a pass, so a callback slower than its own
     * period cannot keep the loop from polling. */
    pass++;
    for (int i = 0; i < ntimer; i++) {
        if (timers[i].due > now || timers[i].pass == pass)
            continue;
        timers[i].pass = pass;
        struct timer t = timers[i];
        if (t.period) {
            timers[i].due = now + t.period;
        } else {
            timers[i] = timers[--ntimer];
        }
        t.fn(t.arg);
        i = -1;
        now = loop_now_ms();
        if (quitting)
            return;
    }
}

static void dispatch(struct pollfd *pfd, int n)
{
    for (int i = 0; i < n; i++) {
        if (!pfd[i].revents)
            continue;
        /* The callback may have unwatched this or another fd. */
        for (int w = 0; w < nwatch; w++) {
            if (watches[w].fd == pfd[i].fd) {
                watches[w].fn(watches[w].arg, pfd[i].fd, pfd[i].revents);
                break;
            }
        }
    }
}

void loop_run_once(int timeout_ms)
{
    struct pollfd pfd[MAX_WATCH];
    int n = nwatch, rc;

    for (int i = 0; i < n; i++)
        pfd[i] = (struct pollfd){ watches[i].fd, watches[i].events, 0 };
    rc = poll(pfd, n, next_timeout(timeout_ms));
    if (rc > 0)
        dispatch(pfd, n);
    run_timers();
    if (idle_fn && !quitting)
        idle_fn(idle_arg);
}

void loop_run(void)
{
    while (!quitting)
        loop_run_once(-1);
}

void loop_quit(void)
{
    quitting = true;
}

bool loop_quitting(void)
{
    return quitting;
}
