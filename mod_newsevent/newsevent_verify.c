/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent verify [N]: the stored derived data of N random events and N
 * random topics (all, when there are fewer) against the read-time rule
 * (docs/design.md, "Derived data"): each difference named, exit 1 if any. */
#include "newsevent.h"
#include "ne_store_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* Every id a statement gives (events or topics, in id order). */
static apr_status_t tool_verify_ids(tool_t *t, const char *label, apr_array_header_t **ids)
{
    apr_dbd_prepared_t *stmt = apr_hash_get(t->st.prepared, label, APR_HASH_KEY_STRING);
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;

    *ids = apr_array_make(t->pool, 1024, sizeof(const char *));
    if (stmt == NULL || apr_dbd_pselect(t->st.driver, t->pool, t->st.handle, &res, stmt, 0,
                                        0, NULL) != 0) {
        t->st.error = apr_psprintf(t->pool, "%s: cannot read the ids", label);
        return APR_EGENERAL;
    }
    while (apr_dbd_get_row(t->st.driver, t->pool, res, &row, -1) == 0) {
        APR_ARRAY_PUSH(*ids, const char *) =
            apr_pstrdup(t->pool, apr_dbd_get_entry(t->st.driver, row, 0));
    }
    return APR_SUCCESS;
}

/* The first n of ids after a partial shuffle. */
static void tool_verify_sample(apr_array_header_t *ids, int n, unsigned *seed)
{
    const char **all = (const char **)ids->elts;
    int i;

    for (i = 0; i < n && i < ids->nelts; i++) {
        int j = i + (int)(rand_r(seed) % (unsigned)(ids->nelts - i));
        const char *x = all[i];
        all[i] = all[j];
        all[j] = x;
    }
    if (ids->nelts > n) {
        ids->nelts = n;
    }
}

/* Compare the sampled ids' lists; the number that differ, or -1. */
static int tool_verify_kind(tool_t *t, apr_array_header_t *ids, int topic)
{
    apr_pool_t *iter;
    int i, differ = 0;

    apr_pool_create(&iter, t->pool);
    for (i = 0; i < ids->nelts; i++) {
        const char *id = APR_ARRAY_IDX(ids, i, const char *), *stored, *computed;
        apr_pool_clear(iter);
        if (ne_store_derived_pair(&t->st, iter, topic, id, &stored, &computed)
            != APR_SUCCESS) {
            apr_pool_destroy(iter);
            return -1;
        }
        if ((stored == NULL) != (computed == NULL)
            || (stored != NULL && strcmp(stored, computed) != 0)) {
            fprintf(stderr, "newsevent: %s %s: stored %s%s%s, computed %s%s%s\n",
                    topic ? "topic" : "event", id, stored ? "'" : "", stored ? stored
                    : "nothing", stored ? "'" : "", computed ? "'" : "",
                    computed ? computed : "nothing", computed ? "'" : "");
            differ++;
        }
    }
    apr_pool_destroy(iter);
    return differ;
}

int tool_cmd_verify(tool_t *t, int argc, const char *const *argv)
{
    apr_array_header_t *events, *topics;
    unsigned seed = (unsigned)apr_time_now();
    int n = argc > 0 ? atoi(argv[0]) : 1000, de, dt, nrows;

    if (argc > 1 || n <= 0) {
        fputs("newsevent: verify takes one number, the events and topics to compare "
              "(default 1000)\n", stderr);
        return TOOL_EXIT_USAGE;
    }
    if (tool_prepare(t) != TOOL_EXIT_OK) {
        return TOOL_EXIT_FAILED;
    }
    apr_dbd_query(t->st.driver, t->st.handle, &nrows,
                  strcmp(t->driver_name, "pgsql") == 0
                  ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    if (tool_verify_ids(t, "newsevent_u_events", &events) != APR_SUCCESS
        || tool_verify_ids(t, "newsevent_u_topics", &topics) != APR_SUCCESS) {
        return tool_die(t, "verify");
    }
    tool_verify_sample(events, n, &seed);
    tool_verify_sample(topics, n, &seed);
    de = tool_verify_kind(t, events, 0);
    dt = de < 0 ? -1 : tool_verify_kind(t, topics, 1);
    apr_dbd_query(t->st.driver, t->st.handle, &nrows, "COMMIT");
    if (de < 0 || dt < 0) {
        return tool_die(t, "verify");
    }
    fprintf(stderr, "newsevent: verify: %d events' related lists and %d topics' companions "
            "compared with the read-time rule: %d differ\n", events->nelts, topics->nelts,
            de + dt);
    return de + dt == 0 ? TOOL_EXIT_OK : TOOL_EXIT_FAILED;
}
