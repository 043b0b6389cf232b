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
const char *const moderation_reasons[] = {
    N_("duplicate inscription"),
    N_("not a sale (wrong data)"),
    N_("cannot be verified"),
};
const int moderation_nreasons =
    (int)(sizeof moderation_reasons / sizeof *moderation_reasons);

static void act_next(struct pane *p) { moderation_move(p, 1); }
static void act_prev(struct pane *p) { moderation_move(p, -1); }

/* The cursor on the card's lines (the field e edits). */
static void move_field(struct pane *p, int delta)
{
    struct modp *s = moderation_state(p);

    s->field += delta;
    if (s->field >= moderation_nfields)
        s->field = moderation_nfields - 1;
    if (s->field < 0)
        s->field = 0;
    app_redraw();
}

static void act_field_down(struct pane *p) { move_field(p, 1); }
static void act_field_up(struct pane *p) { move_field(p, -1); }

/* A card to write on, shown as the server has it now. */
static bool have_card(struct pane *p)
{
    struct modp *s = moderation_state(p);

    if (moderation_row(s) < 0) {
        app_error("%s", _("No card to decide on"));
        return false;
    }
    if (s->stale) {
        app_message("%s", _("The card is being reloaded: try again in a "
                             "moment"));
        return false;
    }
    return true;
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

/* A deletion goes ahead only when the row's id, or the word delete, was
 * typed for the card still shown. */
static void confirm_delete(struct pane *p, const char *line)
{
    struct modp *s = moderation_state(p);
    int row = moderation_row(s);

    if (row < 0 || !s->edit_id ||
        strcmp(PQgetvalue(s->queue, row, 0), s->edit_id) != 0)
        app_error("%s", _("The card changed: nothing was deleted"));
    else if (strcmp(line, s->edit_id) == 0 || strcmp(line, "delete") == 0 ||
             strcmp(line, _("delete")) == 0)
        moderation_delete(p);
    else
        app_message("%s", _("Not confirmed: nothing was deleted"));
}

/* A filter typed: empty clears it. */
static void set_filter(struct pane *p, char **filter, const char *line)
{
    free(*filter);
    *filter = *line ? xstrdup(line) : NULL;
    moderation_reload_top(p);
}

static void on_prompt(const char *line, void *arg)
{
    struct pane *p = arg;
    struct modp *s = moderation_state(p);
    enum mod_prompt kind = s->prompt_kind;
    int n = moderation_nreasons;

    cmdline_deactivate(s->prompt);
    s->prompt_kind = MOD_PROMPT_NONE;
    app_redraw();
    if (!line) {
        if (kind == MOD_PROMPT_EDIT || kind == MOD_PROMPT_DELETE)
            app_message("%s", _("Cancelled: nothing was changed"));
        return;
    }
    if (kind == MOD_PROMPT_COMUNA) {
        moderation_filter_comuna(p, line);
    } else if (kind == MOD_PROMPT_CREATOR) {
        set_filter(p, &s->creator, line);
    } else if (kind == MOD_PROMPT_EDIT) {
        moderation_edit_accept(p, line);
    } else if (kind == MOD_PROMPT_DELETE) {
        confirm_delete(p, line);
    } else if (line[0] >= '1' && line[0] < '1' + n && !line[1]) {
        moderation_decide(p, "rejected", "reject",
                          _(moderation_reasons[line[0] - '1']));
    } else if (*line) {
        moderation_decide(p, "rejected", "reject", line);
    } else {
        app_error("%s", _("A rejection needs a reason: nothing was saved"));
    }
}

void moderation_ask(struct pane *p, enum mod_prompt kind,
                    const char *question, const char *initial)
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
    if (!have_card(p))
        return;
    /* the presets are listed above the prompt (moderation_view.c) */
    moderation_ask(p, MOD_PROMPT_REASON, _("reason (1-3, or text): "), "");
}

static void act_comuna(struct pane *p)
{
    struct modp *s = moderation_state(p);

    moderation_ask(p, MOD_PROMPT_COMUNA,
                   _("comuna (any spelling; empty: all): "),
                   s->comuna ? s->comuna : "");
}

static void act_creator(struct pane *p)
{
    struct modp *s = moderation_state(p);

    moderation_ask(p, MOD_PROMPT_CREATOR,
                   /* xgettext:no-c-format */
                   _("creator (user id, e-mail or name, % matches any "
                     "text; empty: all): "),
                   s->creator ? s->creator : "");
}

static void act_edit(struct pane *p)
{
    if (have_card(p))
        moderation_edit_start(p);
}

static void act_delete(struct pane *p)
{
    struct modp *s = moderation_state(p);
    char *q;

    if (!have_card(p))
        return;
    free(s->edit_id);
    s->edit_id = xstrdup(PQgetvalue(s->queue, moderation_row(s), 0));
    q = xasprintf(_("delete row %s? Type delete (or the id) and Enter; Esc "
                    "keeps it: "), s->edit_id);
    moderation_ask(p, MOD_PROMPT_DELETE, q, "");
    free(q);
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
    { 'e', NULL, N_("edit the field under the cursor"), act_edit, true,
      true },
    { 'd', NULL, N_("delete the row (typed confirmation; u undoes)"),
      act_delete, true, false },
    { 'u', NULL, N_("undo the last decision, fix, edit or deletion"),
      act_undo, true, true },
    { 'n', NULL, N_("next card"), act_next, false, true },
    { 'p', NULL, N_("previous card"), act_prev, false, true },
    { KEY_DOWN, "↓/j", N_("cursor to the next field"), act_field_down,
      false, false },
    { 'j', NULL, NULL, act_field_down, false, false },
    { KEY_UP, "↑/k", N_("cursor to the previous field"), act_field_up,
      false, false },
    { 'k', NULL, NULL, act_field_up, false, false },
    { 'F', NULL, N_("failing rows only / every row"), act_failing, false,
      true },
    { 'S', NULL, N_("scraped rows only (no user) / every row"), act_scraped,
      false, false },
    { 'C', NULL, N_("only one comuna"), act_comuna, false, false },
    { 'U', NULL, N_("only one creator (user id, e-mail or name)"),
      act_creator, false, false },
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
