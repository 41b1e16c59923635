/*
 * Giving up privileges: called once every socket is open and before any
 * reply is parsed or name resolved (as OpenBSD traceroute does).
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef HAVE_SYS_PRCTL_H
#include <sys/prctl.h>
#endif
#ifdef HAVE_LIBCAP
#include <sys/capability.h>
#endif

#include "privs.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NTRACE_HAS_ASAN 1
#endif
#endif
#ifndef NTRACE_HAS_ASAN
#define NTRACE_HAS_ASAN 0
#endif

/* Parses a uid/gid from the environment; -1 when absent or malformed. */
static long
env_id(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long id;

	if (v == NULL || *v == '\0')
		return -1;
	errno = 0;
	id = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || id < 0 || id > 0x7fffffffL)
		return -1;
	return id;
}

int
privs_have_net_raw(void)
{
#ifdef HAVE_LIBCAP
	cap_t caps = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	if (caps != NULL) {
		cap_get_flag(caps, CAP_NET_RAW, CAP_EFFECTIVE, &v);
		cap_free(caps);
	}
	if (v == CAP_SET)
		return 1;
#endif
	return geteuid() == 0;
}

static int
clear_caps(char *err, size_t errlen)
{
#ifdef HAVE_LIBCAP
	cap_t caps = cap_init();	/* every set empty */
	int rc;

	if (caps == NULL) {
		snprintf(err, errlen, "cap_init: %s", strerror(errno));
		return -1;
	}
	rc = cap_set_proc(caps);
	cap_free(caps);
	if (rc == -1) {
		snprintf(err, errlen, "cannot clear capabilities: %s", strerror(errno));
		return -1;
	}
#else
	(void)err;
	(void)errlen;
#endif
	return 0;
}

int
privs_drop(char *err, size_t errlen)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	long su = env_id("SUDO_UID"), sg = env_id("SUDO_GID");

	/*
	 * Under sudo the invoking user is in SUDO_UID. Plain root becomes
	 * nobody: a tracer never needs root once its sockets are open.
	 */
	if (uid == 0 && su > 0) {
		uid = (uid_t)su;
		gid = sg > 0 ? (gid_t)sg : (gid_t)su;
	} else if (uid == 0) {
		struct passwd *pw = getpwnam("nobody");

		uid = pw != NULL ? pw->pw_uid : 65534;
		gid = pw != NULL ? pw->pw_gid : 65534;
	}
	if (geteuid() == 0 && uid != 0) {
		if (setgroups(0, NULL) == -1) {
			snprintf(err, errlen, "setgroups: %s", strerror(errno));
			return -1;
		}
	}
	if (setresgid(gid, gid, gid) == -1) {
		snprintf(err, errlen, "setresgid(%ld): %s", (long)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		snprintf(err, errlen, "setresuid(%ld): %s", (long)uid, strerror(errno));
		return -1;
	}
	if (clear_caps(err, errlen) == -1)
		return -1;
#ifdef HAVE_SYS_PRCTL_H
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
#if defined(__SANITIZE_ADDRESS__) || NTRACE_HAS_ASAN
	/*
	 * LeakSanitizer must trace the process at exit. Only sanitizer builds
	 * do this: elsewhere a non-dumpable process keeps its raw sockets from
	 * other processes of the same user.
	 */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
#endif
	/* Verify: a regained uid 0 or a raw capability means the drop failed. */
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(err, errlen, "privilege drop did not stick");
		return -1;
	}
	if (privs_have_net_raw()) {
		snprintf(err, errlen, "CAP_NET_RAW is still held after dropping it");
		return -1;
	}
	return 0;
}
