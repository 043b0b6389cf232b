/* Pane 3, moderation: the keys and the pane operations; the model is in
 * moderation_model.c, drawing in moderation_view.c. */
#include "autoconfig.h"

#include "panes/moderation.h"

#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "core/xalloc.h"
#include "domain/comunas.h"
#include "i18n.h"

/* Reasons offered when rejecting: a digit picks one. */
static const char *const reasons[] = {
    N_("duplicate inscription"),
    N_("not a sale (wrong data)"),
    N_("cannot be verified"),
};

static void move_card(struct pane *p, int delta)
{
    struct modp *s = moderation_state(p);

    s->cur += delta;
    if (s->cur >= s->n)
        s->cur = s->n - 1;
    if (s->cur < 0)
        s->cur = 0;
    app_redraw();
}

static void act_next(struct pane *p) { move_card(p, 1); }
static void act_prev(struct pane *p) { move_card(p, -1); }

static bool have_card(struct pane *p)
{
    if (moderation_row(moderation_state(p)) >= 0)
        return true;
    app_error("%s", _("No card to decide on"));
    return false;
}

static void act_approve(struct pane *p)
{
    if (have_card(p))
        moderation_decide(p, "approved", "approve", "");
}

static void act_flag(struct pane *p)
{
    if (have_card(p))
        moderation_decide(p, "flagged", "flag", "");
}

static void act_swap(struct pane *p)
{
    if (have_card(p))
        moderation_fix(p, "swap", NULL);
}

static void act_geom(struct pane *p)
{
    if (have_card(p))
        moderation_fix(p, "geom", NULL);
}

/* The official spelling of the card's comuna, when it is not already. */
static void act_official_comuna(struct pane *p)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);
    const struct comuna *c = NULL;
    const char *now;
    enum comunas_match m;

    if (!have_card(p))
        return;
    now = PQgetvalue(s->queue, row, 10);
    m = comunas_lookup(now, &c);
    if (m == COMUNAS_NONE || !c)
        app_error(_("“%s” is not close to any comuna: edit it by hand"), now);
    else if (m == COMUNAS_EXACT)
        app_message(_("“%s” is already the official spelling"), now);
    else
        moderation_fix(p, "comuna", c->name);
}

static void on_prompt(const char *line, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);
    enum mod_prompt kind = s->prompt_kind;
    size_t n = sizeof reasons / sizeof *reasons;

    cmdline_deactivate(s->prompt);
    s->prompt_kind = MOD_PROMPT_NONE;
    app_redraw();
    if (!line)
        return;
    if (kind == MOD_PROMPT_COMUNA) {
        free(s->comuna);
        s->comuna = *line ? xstrdup(line) : NULL;
        moderation_reload_top(p);
    } else if (line[0] >= '1' && line[0] < '1' + (int)n && !line[1]) {
        moderation_decide(p, "rejected", "reject", _(reasons[line[0] - '1']));
    } else if (*line) {
        moderation_decide(p, "rejected", "reject", line);
    } else {
        app_error("%s", _("A rejection needs a reason: nothing was saved"));
    }
}

static void ask(struct pane *p, enum mod_prompt kind, const char *question,
                const char *initial)
{
    struct modp *s = moderation_state(p);

    if (!s->prompt)
        s->prompt = cmdline_new(NULL, on_prompt, NULL, p);
    s->prompt_kind = kind;
    cmdline_activate(s->prompt, question, initial);
    app_redraw();
}

static void act_reject(struct pane *p)
{
    char *q;

    if (!have_card(p))
        return;
    q = xasprintf(_("reason (1 %s, 2 %s, 3 %s, or text): "), _(reasons[0]),
                  _(reasons[1]), _(reasons[2]));
    ask(p, MOD_PROMPT_REASON, q, "");
    free(q);
}

static void act_comuna(struct pane *p)
{
    struct modp *s = moderation_state(p);

    ask(p, MOD_PROMPT_COMUNA, _("comuna (as stored; empty: all): "),
        s->comuna ? s->comuna : "");
}

static void act_failing(struct pane *p)
{
    struct modp *s = moderation_state(p);

    s->failing_only = !s->failing_only;
    moderation_reload_top(p);
}

static void act_scraped(struct pane *p)
{
    struct modp *s = moderation_state(p);

    s->scraped_only = !s->scraped_only;
    moderation_reload_top(p);
}

static void act_undo(struct pane *p)
{
    moderation_undo(p);
}

static void act_refresh(struct pane *p)
{
    moderation_refresh(p);
}

static const struct keybinding moderation_bindings[] = {
    { 'a', NULL, N_("approve the card"), act_approve, true, true },
    { 'r', NULL, N_("reject the card (reason)"), act_reject, true, true },
    { 'f', NULL, N_("flag the card for a second look"), act_flag, true,
      true },
    { 's', NULL, N_("swap lat and lng (and geom)"), act_swap, true, true },
    { 'c', NULL, N_("apply the official comuna spelling"),
      act_official_comuna, true, true },
    { 'g', NULL, N_("set geom from lat/lng"), act_geom, true, true },
    { 'u', NULL, N_("undo the last decision or fix"), act_undo, true,
      true },
    { 'n', NULL, N_("next card"), act_next, false, true },
    { KEY_DOWN, NULL, NULL, act_next, false, false },
    { 'p', NULL, N_("previous card"), act_prev, false, true },
    { KEY_UP, NULL, NULL, act_prev, false, false },
    { 'F', NULL, N_("failing rows only / every row"), act_failing, false,
      true },
    { 'S', NULL, N_("scraped rows only (no user) / every row"), act_scraped,
      false, false },
    { 'C', NULL, N_("only one comuna"), act_comuna, false, false },
    { 'R', NULL, N_("load the queue again"), act_refresh, false, false },
    { 0, NULL, NULL, NULL, false, false },
};

static const struct keymap moderation_keys = { N_("Moderation"),
                                               moderation_bindings };

static void moderation_open(struct pane *p)
{
    moderation_model_init(p);
    moderation_refresh(p);
}

static void moderation_draw(struct pane *p, WINDOW *w)
{
    moderation_view_draw(p, w);
}

static bool moderation_key(struct pane *p, int key)
{
    struct modp *s = moderation_state(p);

    if (s->prompt && cmdline_active(s->prompt))
        return cmdline_key(s->prompt, key);
    return false;
}

static bool moderation_editing(struct pane *p)
{
    struct modp *s = moderation_state(p);

    return s && s->prompt && cmdline_active(s->prompt);
}

static void moderation_close(struct pane *p)
{
    struct modp *s = moderation_state(p);

    if (!s)
        return;
    db_drop_owner(p->db, p);
    moderation_model_free(s);
    p->state = NULL;
}

const struct pane_ops moderation_pane_ops = {
    .id = "moderation",
    .title = N_("Moderation"),
    .number = 3,
    .keys = &moderation_keys,
    .open = moderation_open,
    .draw = moderation_draw,
    .key = moderation_key,
    .editing = moderation_editing,
    .close = moderation_close,
};
