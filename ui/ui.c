/* The live curses front end (placeholder until the UI lands). */
#include "config.h"

#include <stdio.h>

#include "ui.h"

int
ui_run(struct model *m, struct engine *e, const struct options *o)
{
	(void)m;
	(void)e;
	(void)o;
	fprintf(stderr, "ntrace: the live display is not built yet; use -r\n");
	return 1;
}
