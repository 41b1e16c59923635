/* Giving up privileges once the sockets are open. */
#ifndef NTRACE_PRIVS_H
#define NTRACE_PRIVS_H

#include <stddef.h>

/*
 * Drops to the invoking user (the real uid; under sudo, SUDO_UID/SUDO_GID;
 * plain root becomes nobody) and clears every capability, then verifies
 * the drop. Returns 0, or -1
 * with err set: then the caller must exit.
 */
int privs_drop(char *err, size_t errlen);
/* True when the process could open raw sockets (root or CAP_NET_RAW). */
int privs_have_net_raw(void);

#endif
