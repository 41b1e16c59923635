/*
 * The live curses front end: terminal setup and teardown, signals, the
 * model snapshot and the main loop. Key handlers and signals only set
 * flags; one place (ui_redraw) draws, at most ten times a second for model
 * changes and at once for keys and resizes.
 */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "fields.h"
#include "ui.h"
#include "ui_int.h"

#define UI_TICK_MS 50		/* key wait: answers a key well within 50 ms */
#define UI_KEY_ECHO_MS 250	/* after a key, draw the engine's answer at once */
#define UI_FRAME_MS 100		/* at most ten model-driven frames a second */
#define UI_MSG_SECONDS 4

static volatile sig_atomic_t ui_sig_quit;
static volatile sig_atomic_t ui_sig_winch;
/* Whether curses owns the terminal, for the atexit path. */
static volatile sig_atomic_t ui_curses_on;
static bool ui_atexit_done;
static SCREEN *ui_screen;

static void
ui_on_signal(int sig)
{
	if (sig == SIGWINCH)
		ui_sig_winch = 1;
	else
		ui_sig_quit = sig;
}

/* Gives the terminal back on any exit() while curses owns it. */
static void
ui_atexit(void)
{
	if (ui_curses_on) {
		ui_curses_on = 0;
		endwin();
	}
}

struct ui_saved_signals {
	struct sigaction intr, term, hup, winch;
};

static void
ui_signals_install(struct ui_saved_signals *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ui_on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must wake the key wait at once. */
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, &old->intr);
	sigaction(SIGTERM, &sa, &old->term);
	sigaction(SIGHUP, &sa, &old->hup);
	sigaction(SIGWINCH, &sa, &old->winch);
}

static void
ui_signals_restore(const struct ui_saved_signals *old)
{
	sigaction(SIGINT, &old->intr, NULL);
	sigaction(SIGTERM, &old->term, NULL);
	sigaction(SIGHUP, &old->hup, NULL);
	sigaction(SIGWINCH, &old->winch, NULL);
}

static long
ui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ui_message(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_MONOTONIC, &u->msg_until);
	u->msg_until.tv_sec += UI_MSG_SECONDS;
	u->dirty = true;
}

static void
ui_message_expire(struct ui *u)
{
	struct timespec now;

	if (u->msg[0] == '\0')
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > u->msg_until.tv_sec ||
	    (now.tv_sec == u->msg_until.tv_sec &&
	    now.tv_nsec >= u->msg_until.tv_nsec)) {
		u->msg[0] = '\0';
		u->dirty = true;
	}
}

const struct hop *
ui_snap_hop(const struct ui *u, int ttl)
{
	if (!u->s.have_trace)
		return NULL;
	return model_hop_const(&u->s.t, ttl);
}

const struct ui_text *
ui_snap_text(const struct ui *u, int ttl, unsigned r)
{
	if (!u->s.have_trace || ttl < u->s.t.first_ttl ||
	    ttl > u->s.shown_ttl || r >= MODEL_MAX_RESP)
		return NULL;
	return &u->s.text[(size_t)(ttl - u->s.t.first_ttl) * MODEL_MAX_RESP + r];
}

static void
ui_copy_text(char *dst, size_t len, const char *src)
{
	if (src == NULL)
		dst[0] = '\0';
	else
		snprintf(dst, len, "%s", src);
}

/* Copies what a frame draws, so drawing never holds the model lock. */
static int
ui_snap_take(struct ui *u)
{
	struct model *m = u->m;
	struct ui_snap *s = &u->s;
	const struct hop *h;
	struct ui_text *tx;
	int ttl, rc = 0;
	unsigned r;

	if (s->have_trace)
		model_trace_copy_free(&s->t);
	s->have_trace = false;

	model_lock(m);
	u->generation = m->generation;
	s->ntraces = m->ntraces;
	if (u->trace >= m->ntraces)
		u->trace = 0;
	ui_copy_text(s->backend, sizeof(s->backend), m->backend);
	ui_copy_text(s->status, sizeof(s->status), m->status);
	s->started = m->started;
	s->paused = m->paused;
	s->done = m->done;
	s->interval = m->interval;
	if (m->ntraces > 0 && model_trace_copy(&m->traces[u->trace], &s->t) == 0) {
		s->have_trace = true;
		s->shown_ttl = model_trace_last_ttl(&s->t);
		for (ttl = s->t.first_ttl; ttl <= s->shown_ttl; ttl++) {
			h = model_hop_const(&s->t, ttl);
			for (r = 0; h != NULL && r < MODEL_MAX_RESP; r++) {
				tx = &s->text[(size_t)(ttl - s->t.first_ttl) *
				    MODEL_MAX_RESP + r];
				if (r >= h->nresp) {
					tx->name[0] = '\0';
					tx->asn[0] = '\0';
					continue;
				}
				ui_copy_text(tx->name, sizeof(tx->name),
				    model_name(m, &h->resp[r].addr));
				ui_copy_text(tx->asn, sizeof(tx->asn),
				    model_asn_field(m, &h->resp[r].addr,
				    u->o->ipinfo > 0 ? u->o->ipinfo : 0));
			}
		}
	} else if (m->ntraces > 0) {
		rc = -1;
	}
	if (ui_compare_snap(u) == -1)
		rc = -1;
	/* The event log is copied only while it is shown. */
	s->nevents = 0;
	if (u->events && s->events != NULL)
		s->nevents = model_events_copy(m, u->trace, s->events,
		    MODEL_EVENTS);
	model_unlock(m);
	return rc;
}

static void
ui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 &&
	    ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == -1)
		return;
	if (ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* The one place that draws a frame. */
static int
ui_redraw(struct ui *u)
{
	static const char small[] = "terminal too small (need 40x10)";
	int rows, cols;

	if (ui_snap_take(u) == -1)
		return -1;
	getmaxyx(stdscr, rows, cols);
	if (u->clear) {
		clearok(curscr, TRUE);
		u->clear = false;
	}
	erase();
	if (rows < UI_LAYOUT_MIN_ROWS || cols < UI_LAYOUT_MIN_COLS) {
		mvaddnstr(0, 0, small, cols);
		refresh();
		return 0;
	}
	ui_draw_header(u, cols);
	if (u->help) {
		ui_draw_help(u, rows, cols);
	} else if (u->events) {
		ui_draw_events(u, rows, cols);
	} else {
		switch (u->view) {
		case UI_VIEW_CHART:
			ui_draw_chart(u, rows, cols);
			break;
		case UI_VIEW_DETAIL:
			ui_draw_detail(u, rows, cols);
			break;
		case UI_VIEW_COMPARE:
			ui_draw_compare(u, rows, cols);
			break;
		default:
			ui_draw_table(u, rows, cols);
			break;
		}
	}
	ui_draw_footer(u, rows, cols);
	refresh();
	return 0;
}

static bool
ui_want_colour(void)
{
	const char *nc = getenv("NO_COLOR");

	/* no-color.org: any non-empty NO_COLOR turns colours off. */
	if (nc != NULL && nc[0] != '\0')
		return false;
	return has_colors();
}

static void
ui_colours(void)
{
	start_color();
	use_default_colors();
	init_pair(UI_PAIR_GOOD, COLOR_GREEN, -1);
	init_pair(UI_PAIR_WARN, COLOR_YELLOW, -1);
	init_pair(UI_PAIR_BAD, COLOR_RED, -1);
	init_pair(UI_PAIR_TITLE, COLOR_CYAN, -1);
	init_pair(UI_PAIR_STATUS, COLOR_RED, -1);
}

static int
ui_term_start(struct ui *u)
{
	const char *cs;

	setlocale(LC_ALL, "");
	/* Numbers (and any report printed after us) keep a decimal point. */
	setlocale(LC_NUMERIC, "C");
	cs = nl_langinfo(CODESET);
	u->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;

	if (!ui_atexit_done) {
		atexit(ui_atexit);
		ui_atexit_done = true;
	}
	ui_screen = newterm(NULL, stdout, stdin);
	if (ui_screen == NULL) {
		fprintf(stderr, "ntrace: cannot start the display on this "
		    "terminal (TERM=%s); use -r for a report\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "unset");
		return -1;
	}
	ui_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	curs_set(0);
	set_escdelay(25);
	timeout(UI_TICK_MS);
	u->colour = ui_want_colour();
	if (u->colour)
		ui_colours();
	return 0;
}

static void
ui_term_end(void)
{
	if (ui_curses_on) {
		ui_curses_on = 0;
		curs_set(1);
		endwin();
	}
	if (ui_screen != NULL) {
		delscreen(ui_screen);
		ui_screen = NULL;
	}
}

static void
ui_init(struct ui *u, struct model *m, struct engine *e,
    const struct options *o)
{
	memset(u, 0, sizeof(*u));
	u->m = m;
	u->e = e;
	u->o = o;
	u->view = UI_VIEW_TABLE;
	u->no_dns = o->no_dns;
	u->show_ips = o->show_ips;
	u->mpls = o->mpls;
	/* mtr's -y N shows one AS field, as -z shows the number. */
	u->aslookup = o->aslookup || o->ipinfo >= 0;
	snprintf(u->order, sizeof(u->order), "%s",
	    o->order[0] != '\0' ? o->order : FIELDS_DEFAULT_ORDER);
	u->dirty = true;
}

/* Whether the terminal behind stdin hung up or closed (no SIGHUP came). */
static bool
ui_terminal_gone(void)
{
	struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
	char c;

	if (poll(&p, 1, 0) <= 0)
		return false;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	/* Readable, yet getch() had nothing: EOF or EIO. */
	return (p.revents & POLLIN) && read(STDIN_FILENO, &c, 0) == -1 &&
	    errno == EIO;
}

int
ui_run(struct model *m, struct engine *e, const struct options *o)
{
	struct ui_saved_signals old;
	struct ui *u;
	struct timespec wall;
	time_t last_sec = 0;
	long now, last_draw = 0, key_at = -UI_KEY_ECHO_MS;
	uint64_t gen;
	bool done;
	int ch, rc = 0, sig;

	u = calloc(1, sizeof(*u));
	if (u == NULL) {
		fprintf(stderr, "ntrace: out of memory\n");
		return 1;
	}
	ui_init(u, m, e, o);
	/* Room for every TTL's responders, so snapshots never allocate text. */
	u->s.text = calloc((size_t)256 * MODEL_MAX_RESP, sizeof(*u->s.text));
	u->s.events = calloc(MODEL_EVENTS, sizeof(*u->s.events));
	if (u->s.text == NULL || u->s.events == NULL) {
		fprintf(stderr, "ntrace: out of memory\n");
		free(u->s.events);
		free(u->s.text);
		free(u);
		return 1;
	}
	ui_sig_quit = 0;
	ui_sig_winch = 0;
	if (ui_term_start(u) == -1) {
		free(u->s.events);
		free(u->s.text);
		free(u);
		return 1;
	}
	ui_signals_install(&old);

	while (!u->quit && ui_sig_quit == 0) {
		if (ui_sig_winch) {
			ui_sig_winch = 0;
			ui_resize();
			u->dirty = true;
		}
		model_lock(m);
		gen = m->generation;
		done = m->done;
		model_unlock(m);
		now = ui_now_ms();
		/* Right after a key, the engine's answer is drawn at once. */
		if (gen != u->generation && (now - last_draw >= UI_FRAME_MS ||
		    now - key_at < UI_KEY_ECHO_MS))
			u->dirty = true;
		/* The elapsed clock ticks even while nothing else changes. */
		clock_gettime(CLOCK_REALTIME, &wall);
		if (wall.tv_sec != last_sec) {
			last_sec = wall.tv_sec;
			u->dirty = true;
		}
		ui_message_expire(u);
		if (u->dirty) {
			u->dirty = false;
			last_draw = now;
			if (ui_redraw(u) == -1) {
				ui_term_end();
				fprintf(stderr, "ntrace: out of memory while "
				    "drawing\n");
				rc = 1;
				break;
			}
		}
		if (done)
			break;
		/* Poll briefly while the engine answers a key, else every tick. */
		timeout(now - key_at < UI_KEY_ECHO_MS ? 5 : UI_TICK_MS);
		ch = getch();
		if (ch != ERR) {
			ui_keys_handle(u, ch);
			key_at = ui_now_ms();
		} else if (ui_terminal_gone()) {
			/* Without this, getch() at EOF returns at once: a busy loop. */
			rc = 1;
			break;
		}
	}

	sig = ui_sig_quit;
	ui_term_end();
	/* An engine that stopped by itself may have said why. */
	if (rc == 0 && sig == 0 && !u->quit && u->s.status[0] != '\0')
		fprintf(stderr, "ntrace: %s\n", u->s.status);
	ui_signals_restore(&old);
	if (rc == 0 && (sig == SIGTERM || sig == SIGHUP))
		rc = 128 + sig;
	if (u->s.have_trace)
		model_trace_copy_free(&u->s.t);
	ui_compare_free(u);
	free(u->s.events);
	free(u->s.text);
	free(u);
	return rc;
}
