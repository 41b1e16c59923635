/* ntrace: a live, mtr-style traceroute for the terminal. */
#include "config.h"

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}
