/* The live curses front end. */
#ifndef NTRACE_UI_H
#define NTRACE_UI_H

#include "engine.h"
#include "model.h"
#include "options.h"

/*
 * Runs the interactive display on the terminal until the user quits or a
 * signal asks to. The engine is already running. Returns the exit code.
 */
int ui_run(struct model *m, struct engine *e, const struct options *o);

#endif
