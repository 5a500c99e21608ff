/* A private network and resolver configuration for one test process; see netns_sandbox.h. */
#include "netns_sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Root in a new user namespace when the process is not root already. */
static int enter_namespaces(char *err, size_t errlen)
{
    if (unshare(CLONE_NEWNS | CLONE_NEWNET) == 0)
        return 0;
    uid_t uid = getuid();
    gid_t gid = getgid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0) {
        snprintf(err, errlen, "unshare: %s (needs root or unprivileged user namespaces)", strerror(errno));
        return -1;
    }
    char map[64];
    snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
    if (write_file("/proc/self/setgroups", "deny") != 0 || write_file("/proc/self/uid_map", map) != 0)
        goto fail;
    snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
    if (write_file("/proc/self/gid_map", map) != 0)
        goto fail;
    return 0;
fail:
    snprintf(err, errlen, "user namespace maps: %s", strerror(errno));
    return -1;
}

/* Replaces what path shows (following a symlink) with text, for this mount namespace only. */
static int cover_file(const char *path, const char *text, char *err, size_t errlen)
{
    char tmp[] = "/tmp/argus-netns-XXXXXX";
    char target[PATH_MAX];
    int fd = mkstemp(tmp);
    if (fd < 0 || !realpath(path, target)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return -1;
    }
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    int rc = n == (ssize_t)strlen(text) ? mount(tmp, target, NULL, MS_BIND, NULL) : -1;
    if (rc != 0)
        snprintf(err, errlen, "bind-mount over %s: %s", target, strerror(errno));
    unlink(tmp);   /* the mount keeps the file alive */
    return rc;
}

static int ip(const char *const argv[], char *err, size_t errlen)
{
    pid_t pid;
    int status;
    if (posix_spawnp(&pid, "ip", NULL, NULL, (char *const *)argv, environ) != 0 || waitpid(pid, &status, 0) != pid ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "ip %s %s %s %s: failed", argv[1], argv[2], argv[3], argv[4] ? argv[4] : "");
        return -1;
    }
    return 0;
}

int netns_sandbox_enter(const char *const *addresses, const char *resolv_conf, const char *hosts, char *err,
                        size_t errlen)
{
    if (enter_namespaces(err, errlen) != 0)
        return -1;
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        snprintf(err, errlen, "make / private: %s", strerror(errno));
        return -1;
    }
    if (cover_file("/etc/resolv.conf", resolv_conf, err, errlen) != 0 || cover_file("/etc/hosts", hosts, err, errlen) != 0)
        return -1;
    const char *up[] = {"ip", "link", "set", "lo", "up", NULL};
    if (ip(up, err, errlen) != 0)
        return -1;
    for (const char *const *a = addresses; a && *a; a++) {
        const char *add6[] = {"ip", "-6", "addr", "add", *a, "dev", "lo", "nodad", NULL};
        const char *add4[] = {"ip", "addr", "add", *a, "dev", "lo", NULL};
        if (ip(strchr(*a, ':') ? add6 : add4, err, errlen) != 0)
            return -1;
    }
    return 0;
}
