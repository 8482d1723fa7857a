/* newsevent: the archive's command-line tool (SPEC section 8). What its
 * files share. */
#ifndef NEWSEVENT_H
#define NEWSEVENT_H

#include <apr_pools.h>
#include <apr_time.h>
#include "ne_store_write.h"

/* Exit statuses (documented in --help and the man page). */
#define NE_EXIT_OK 0
#define NE_EXIT_FAILED 1     /* a file was rejected, or the store failed */
#define NE_EXIT_USAGE 2

typedef struct ne_tool {
    apr_pool_t *pool;
    const char *driver_name;
    const char *params;
    const char *prefix;
    ne_store_t st;
    int check_only;          /* `check`: validate, never write */
    int progress;            /* standard error is a terminal */
    apr_off_t bytes_total;   /* of all the files, for the progress bar */
    apr_off_t bytes_done;
    apr_time_t started;
    apr_time_t drawn;        /* when the progress bar was last drawn */
    long records;
    int added, updated, unchanged, rejected;
    apr_hash_t *spellings;   /* topic slug -> name, of the files committed so far */
} ne_tool_t;

int ne_tool_die(ne_tool_t *t, const char *what);
int ne_tool_prepare(ne_tool_t *t);

/* newsevent_import.c: `import FILE...` and `check FILE...`. */
int ne_cmd_import(ne_tool_t *t, int argc, const char *const *argv);

#endif
