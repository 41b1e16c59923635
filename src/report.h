/*
 * Non-interactive output: mtr's text report, JSON (doc/formats.md), CSV,
 * and the per-probe stream. Pure formatting onto a FILE; no sockets.
 */
#ifndef NTRACE_REPORT_H
#define NTRACE_REPORT_H

#include <stdio.h>

#include "engine.h"
#include "model.h"
#include "options.h"

/* Each returns 0, or -1 when writing failed (ferror). Lock held by caller. */
int report_text(FILE *out, const struct model *m, const struct options *o);
int report_json(FILE *out, const struct model *m, const struct options *o);
int report_csv(FILE *out, const struct model *m, const struct options *o);
int report_stream_probe(FILE *out, const struct model *m,
    const struct engine_probe_result *r);
/* Writes the event lines --stream still owes (at the end of a run). */
int report_stream_flush(FILE *out, const struct model *m);
/* Writes s as a JSON string literal, escaping anything not printable. */
void report_json_string(FILE *out, const char *s);

#endif
