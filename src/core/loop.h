/* The one event loop: poll() over the tty, database sockets, a signal
 * self-pipe, child pipes and timers. Signal handlers only write to the pipe;
 * everything else runs from here, so nothing blocks the UI. */
#ifndef DEGUX_LOOP_H
#define DEGUX_LOOP_H

#include <stdbool.h>

typedef void (*loop_fd_fn)(void *arg, int fd, short revents);
typedef void (*loop_timer_fn)(void *arg);
typedef void (*loop_signal_fn)(void *arg, int signo);

/* Watch fd for events (POLLIN/POLLOUT); replaces an earlier watch of fd. */
void loop_watch_fd(int fd, short events, loop_fd_fn fn, void *arg);
void loop_unwatch_fd(int fd);

/* A timer firing after ms milliseconds (every ms when repeat). Returns an id
 * for loop_timer_cancel; ids are never 0. */
int loop_timer_add(long ms, bool repeat, loop_timer_fn fn, void *arg);
void loop_timer_cancel(int id);

/* Route a signal through the self-pipe to fn (called from the loop). */
void loop_on_signal(int signo, loop_signal_fn fn, void *arg);

/* Called once per iteration after events were handled (the screen redraws). */
void loop_set_idle(void (*fn)(void *arg), void *arg);

/* Runs until loop_quit(); loop_run_once handles one round of events, waiting
 * at most timeout_ms (-1: until something happens). */
void loop_run(void);
void loop_run_once(int timeout_ms);
void loop_quit(void);
bool loop_quitting(void);

/* Monotonic milliseconds. */
double loop_now_ms(void);

#endif
