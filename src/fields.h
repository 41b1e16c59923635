/*
 * The hop table's columns, by mtr's -o field letters plus ntrace's own.
 * Shared by option checking, the text report and the curses UI.
 */
#ifndef NTRACE_FIELDS_H
#define NTRACE_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

struct stats;
struct stats_window;

struct field {
	char letter;		/* -o letter */
	const char *header;	/* column title, e.g. "Loss%" */
	const char *name;	/* long name, e.g. "loss_pct" (JSON key) */
	int width;		/* column width in the text report and UI */
	int decimals;		/* digits after the point */
	bool is_count;		/* integer counts, not ms */
};

#define FIELDS_DEFAULT_ORDER "LSNABWV"

const struct field *fields_find(char letter);
/* Checks an -o string; returns 0, or -1 naming the bad letter in err. */
int fields_check_order(const char *order, char *err, size_t errlen);
/* The value of field f for a hop; NAN where there is none (no replies). */
double fields_value(const struct field *f, const struct stats *st,
    const struct stats_window *w);
const struct field *fields_all(size_t *n);

#endif
