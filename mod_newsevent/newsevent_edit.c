/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent delete URL... and newsevent move OLD NEW: what editors do over
 * HTTP, from a shell. One transaction a command: all of it, or nothing. */
#include "newsevent.h"
#include "ne_date.h"
#include "ne_slug.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <apr_strings.h>

/* The (date, slug) an event's URL ends in: .../YYYY/MM/DD/SLUG, with or
 * without scheme, host, base path, extension, query. */
static int tool_edit_key(apr_pool_t *pool, const char *url, const char **date,
                         const char **slug)
{
    char *u = apr_pstrndup(pool, url, strcspn(url, "?#")), *part[4], *dot;
    ne_date_t d;
    int i;

    for (i = 3; i >= 0; i--) {
        char *cut = strrchr(u, '/');
        part[i] = cut ? cut + 1 : u;
        if (cut == NULL && i > 0) {
            return 0;
        }
        if (cut) {
            *cut = '\0';
        }
    }
    if ((dot = strchr(part[3], '.')) != NULL) {
        *dot = '\0';
    }
    *date = apr_psprintf(pool, "%s-%s-%s", part[0], part[1], part[2]);
    *slug = part[3];
    return strlen(*date) == 10 && ne_date_parse(*date, 10, &d)
           && ne_slug_valid(*slug, strlen(*slug));
}

/* Run the edit in one transaction, the store's generation bumped. */
typedef const char *tool_edit_fn(tool_t *t, ne_writer_t *w, const char *now, int argc,
                                 const char *const *argv);

static int tool_edit(tool_t *t, tool_edit_fn *fn, int argc, const char *const *argv)
{
    apr_dbd_transaction_t *trans = NULL;
    const char *now = ne_timestamp_now(t->pool), *msg;
    ne_writer_t *w;
    int rc;

    if (tool_prepare(t) != TOOL_EXIT_OK) {
        return TOOL_EXIT_FAILED;
    }
    if (apr_dbd_transaction_start(t->st.driver, t->pool, t->st.handle, &trans) != 0) {
        fprintf(stderr, "newsevent: cannot start a transaction\n");
        return TOOL_EXIT_FAILED;
    }
    w = ne_writer_make(t->pool, &t->st);
    w->threads = tool_threads();
    if (ne_store_write_lock(&t->st, t->pool, t->prefix) != APR_SUCCESS) {
        msg = apr_psprintf(t->pool, "store: %s", t->st.error);
    }
    else if ((msg = fn(t, w, now, argc, argv)) == NULL
        && ne_store_mark_changed(w, t->pool, now) != APR_SUCCESS) {
        msg = apr_psprintf(t->pool, "store: %s", t->st.error);
    }
    if (msg != NULL) {
        apr_dbd_transaction_mode_set(t->st.driver, trans, APR_DBD_TRANSACTION_ROLLBACK);
    }
    if ((rc = apr_dbd_transaction_end(t->st.driver, t->pool, trans)) != 0 && msg == NULL) {
        msg = apr_psprintf(t->pool, "commit failed: %s",
                           apr_dbd_error(t->st.driver, t->st.handle, rc));
    }
    if (msg != NULL) {
        fprintf(stderr, "newsevent: %s; the store is unchanged\n", msg);
        return TOOL_EXIT_FAILED;
    }
    return TOOL_EXIT_OK;
}

static const char *tool_delete(tool_t *t, ne_writer_t *w, const char *now, int argc,
                               const char *const *argv)
{
    const char *date, *slug;
    apr_status_t rv;
    int i;

    for (i = 0; i < argc; i++) {
        if (!tool_edit_key(t->pool, argv[i], &date, &slug)) {
            return apr_psprintf(t->pool, "%s is not an event's URL (.../YYYY/MM/DD/SLUG)",
                                argv[i]);
        }
        if ((rv = ne_store_delete(w, t->pool, date, slug, now)) != APR_SUCCESS) {
            return rv == APR_ENOENT ? apr_psprintf(t->pool, "there is no event at %s", argv[i])
                                    : apr_psprintf(t->pool, "store: %s", t->st.error);
        }
    }
    fprintf(stderr, "newsevent: %d event%s deleted; %s answer%s 410 Gone\n", argc,
            argc == 1 ? "" : "s", argc == 1 ? "its URL" : "their URLs", argc == 1 ? "s" : "");
    return NULL;
}

static const char *tool_move(tool_t *t, ne_writer_t *w, const char *now, int argc,
                             const char *const *argv)
{
    const char *from_date, *from_slug, *to_date, *to_slug;
    int replaced = 0;
    apr_status_t rv;

    (void)argc;
    if (!tool_edit_key(t->pool, argv[0], &from_date, &from_slug)
        || !tool_edit_key(t->pool, argv[1], &to_date, &to_slug)) {
        return "OLD and NEW must be events' URLs (.../YYYY/MM/DD/SLUG)";
    }
    rv = ne_store_move(w, t->pool, from_date, from_slug, to_date, to_slug, now, t->overwrite,
                       &replaced);
    switch (rv) {
    case APR_SUCCESS:
        fprintf(stderr, "newsevent: moved %s/%s to %s/%s%s; the old URL answers 301\n",
                from_date, from_slug, to_date, to_slug, replaced ? ", replacing the event "
                "there" : "");
        return NULL;
    case APR_ENOENT: return apr_psprintf(t->pool, "there is no event at %s", argv[0]);
    case APR_EEXIST: return apr_psprintf(t->pool, "an event is at %s already (--overwrite "
                                         "replaces it)", argv[1]);
    case APR_EINVAL: return "OLD and NEW are the same event";
    default: return apr_psprintf(t->pool, "store: %s", t->st.error);
    }
}

int tool_cmd_edit(tool_t *t, const char *cmd, int argc, const char *const *argv)
{
    if (strcmp(cmd, "delete") == 0 ? argc < 1 : argc != 2) {
        fprintf(stderr, "newsevent: %s\n", strcmp(cmd, "delete") == 0
                ? "delete needs at least one URL" : "move needs OLD and NEW");
        return TOOL_EXIT_USAGE;
    }
    return tool_edit(t, strcmp(cmd, "delete") == 0 ? tool_delete : tool_move, argc, argv);
}
