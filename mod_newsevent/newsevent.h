/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent: the archive's command-line tool (README, "The store and the
 * `newsevent` tool"). What its files share (newsevent_tool.c). Every
 * command returns one of the TOOL_EXIT_* statuses. */
#ifndef NEWSEVENT_H
#define NEWSEVENT_H

#include <apr_pools.h>
#include <apr_time.h>
#include "ne_store_write.h"

/* Exit statuses (documented in --help and the man page). */
#define TOOL_EXIT_OK 0
#define TOOL_EXIT_FAILED 1     /* a file was rejected, or the store failed */
#define TOOL_EXIT_USAGE 2

typedef struct tool {
    apr_pool_t *pool;
    const char *driver_name;
    const char *params;
    const char *prefix;
    ne_store_t st;
    int check_only;          /* `check`: validate, never write */
    int verbose;             /* --verbose: name each repair and skipped record */
    int skip_invalid;        /* --skip-invalid: store a file's valid records */
    int progress;            /* standard error is a terminal */
    apr_off_t bytes_total;   /* of all the files, for the progress bar */
    apr_off_t bytes_done;
    apr_time_t started;
    apr_time_t drawn;        /* when the progress bar was last drawn */
    long records;
    int added, updated, unchanged, rejected;
    long repaired;           /* invisible characters dropped, in files kept */
    long skipped;            /* invalid records passed over (--skip-invalid) */
    long absent;             /* deleted and moved events' URLs imported */
    int overwrite;           /* move --overwrite */
    apr_hash_t *spellings;   /* topic slug -> name, of the files committed so far */
} tool_t;

/* Threads for the derived data made all at once (an upgrade, a large
 * import): one a core. */
int tool_threads(void);

/* Say why `what` failed (the store's last error): TOOL_EXIT_FAILED. */
int tool_die(tool_t *t, const char *what);
/* Open the store that --driver and --params name; TOOL_EXIT_OK or
 * TOOL_EXIT_FAILED, having said why. */
int tool_open(tool_t *t);
/* Prepare the reads and the writes; TOOL_EXIT_OK or TOOL_EXIT_FAILED. */
int tool_prepare(tool_t *t);
/* The core's log lines (the store's) to standard error. */
void tool_log_init(tool_t *t);

/* newsevent_schema.c: `init` (init 1) and `upgrade` (init 0). */
int tool_cmd_schema(tool_t *t, int init);

/* newsevent_edit.c: `delete URL...` and `move OLD NEW`. */
int tool_cmd_edit(tool_t *t, const char *cmd, int argc, const char *const *argv);

/* newsevent_verify.c: `verify [N]`. */
int tool_cmd_verify(tool_t *t, int argc, const char *const *argv);

/* newsevent_import.c: `import FILE...` and `check FILE...`. */
int tool_cmd_import(tool_t *t, int argc, const char *const *argv);

#endif
