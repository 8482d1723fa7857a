/* SPDX-License-Identifier: Apache-2.0 */
/* ne_store_bulk_index: the JSON text of a batch's rows, and the batch's
 * search index entries (ne_store_bulk.c). to_tsvector is most of a batch's
 * time on the server: a second connection to the PostgreSQL store computes
 * the entries, in a thread of this process, on the machine's other core,
 * while the import's connection writes the batch's rows; they come back as
 * tsvector text, which the import's transaction stores (its input costs a
 * tenth of to_tsvector, and the text form is exact). That statement reads
 * no table: the second connection neither sees nor locks the import's
 * rows. Without it (a small batch, no second connection, or its failure)
 * the import's own connection computes them, the same entries. */
#include "ne_store_db.h"
#include "ne_json_text.h"

#include <string.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

ne_buf_t *ne_bulk_list(apr_pool_t *pool)
{
    ne_buf_t *b = ne_buf_make(pool, 1 << 16);

    ne_buf_putc(b, '[');
    return b;
}

void ne_bulk_open(ne_buf_t *b, char key, const char *val)
{
    ne_buf_printf(b, "%s{\"%c\":", b->len > 1 ? "," : "", key);
    ne_json_string(b, val);
}

void ne_bulk_field(ne_buf_t *b, char key, const char *val)
{
    ne_buf_printf(b, ",\"%c\":", key);
    ne_json_string(b, val);
}

struct ne_bulk_aux {
    ne_store_t st;           /* the second connection */
    apr_pool_t *run;         /* one batch's results: its own allocator, as the
                                thread allocates while the caller does */
    apr_thread_t *thread;    /* running, or NULL */
    const char *texts;       /* the batch's texts (JSON rows) */
    apr_array_header_t *out; /* const char *: record o's entry, or NULL */
    apr_status_t rv;
};

static apr_status_t ne_bulk_aux_close(void *data)
{
    ne_bulk_aux_t *aux = data;

    apr_dbd_close(aux->st.driver, aux->st.handle);
    return APR_SUCCESS;
}

ne_bulk_aux_t *ne_bulk_aux_open(const ne_store_t *st, apr_pool_t *pool, const char *params)
{
    ne_bulk_aux_t *aux = apr_pcalloc(pool, sizeof(*aux));
    apr_allocator_t *a;
    const char *err = NULL;

    aux->st.driver = st->driver;
    aux->st.log = st->log;
    if (params == NULL || apr_allocator_create(&a) != APR_SUCCESS) {
        return NULL;
    }
    if (apr_pool_create_ex(&aux->run, pool, NULL, a) != APR_SUCCESS) {
        apr_allocator_destroy(a);
        return NULL;
    }
    apr_allocator_owner_set(a, aux->run);
    if (apr_dbd_open_ex(st->driver, pool, params, &aux->st.handle, &err) != APR_SUCCESS) {
        return NULL;
    }
    apr_pool_cleanup_register(pool, aux, ne_bulk_aux_close, apr_pool_cleanup_null);
    if (ne_store_prepare(&aux->st, pool, ne_store_bulk_aux_pgsql, "") != APR_SUCCESS) {
        return NULL;
    }
    return aux;
}

/* The thread: one statement. Returns rather than calling apr_thread_exit,
 * which would destroy the thread's pool (a subpool of the caller's) from
 * this thread. */
static void *APR_THREAD_FUNC ne_bulk_aux_run(apr_thread_t *thread, void *data)
{
    ne_bulk_aux_t *aux = data;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;

    (void)thread;
    aux->rv = ne_db_select(&aux->st, aux->run, "newsevent_b_entries", &res, 1, aux->texts);
    while (aux->rv == APR_SUCCESS && ne_db_row(&aux->st, aux->run, res, &row)) {
        apr_int64_t o = ne_db_int(&aux->st, row, 0);
        if (o >= 0 && o < aux->out->nelts) {
            APR_ARRAY_IDX(aux->out, o, const char *) = ne_db_col(&aux->st, aux->run, row, 1);
        }
    }
    return NULL;
}

static apr_status_t ne_bulk_aux_start(ne_bulk_aux_t *aux, apr_pool_t *pool, const char *texts,
                                      int n)
{
    apr_status_t rv;

    apr_pool_clear(aux->run);
    aux->texts = texts;
    aux->out = apr_array_make(pool, n, sizeof(const char *));
    memset(aux->out->elts, 0, (apr_size_t)n * sizeof(const char *));
    aux->out->nelts = n;
    aux->rv = APR_EGENERAL;
    if ((rv = apr_thread_create(&aux->thread, NULL, ne_bulk_aux_run, aux, pool))
        != APR_SUCCESS) {
        aux->thread = NULL;
    }
    return rv;
}

static apr_status_t ne_bulk_aux_wait(ne_bulk_aux_t *aux, apr_array_header_t **entries)
{
    apr_status_t rv;

    if (aux->thread == NULL) {
        return APR_EGENERAL;
    }
    apr_thread_join(&rv, aux->thread);
    aux->thread = NULL;
    *entries = aux->out;
    return aux->rv;
}

/* A batch's entries being made. */
struct ne_bulk_index {
    apr_array_header_t *events;   /* ne_event_t *: the batch's written events */
    ne_bulk_aux_t *aux;           /* computing them, or NULL */
};

/* An event's texts for its entry, its topic names joined by spaces (as
 * the events_text view joins them); key 'o' its place, or 'e' its id. */
static void ne_bulk_texts_row(ne_buf_t *rows, char key, const char *val, const ne_event_t *ev)
{
    ne_buf_t *names = ne_buf_make(rows->pool, 256);
    int i;

    for (i = 0; i < ev->topics->nelts; i++) {
        ne_buf_cat(names, i ? " " : "", APR_ARRAY_IDX(ev->topics, i, ne_topic_t).name, NULL);
    }
    ne_bulk_open(rows, key, val);
    ne_bulk_field(rows, 'h', ev->headline);
    ne_bulk_field(rows, 'n', ne_buf_str(names));
    ne_bulk_field(rows, 't', ev->story);
    ne_bulk_field(rows, 'c', ev->category);
    ne_bulk_field(rows, 'b', ev->body);
    ne_buf_putc(rows, '}');
}

ne_bulk_index_t *ne_bulk_index_start(ne_bulk_aux_t *aux, apr_pool_t *p,
                                     apr_array_header_t *events)
{
    ne_bulk_index_t *ix = apr_pcalloc(p, sizeof(*ix));
    ne_buf_t *rows;
    int i;

    ix->events = events;
    if (aux == NULL || events->nelts < NE_BULK_AUX_MIN) {
        return ix;
    }
    rows = ne_bulk_list(p);
    for (i = 0; i < events->nelts; i++) {
        ne_bulk_texts_row(rows, 'o', apr_itoa(p, i), APR_ARRAY_IDX(events, i, ne_event_t *));
    }
    ne_buf_putc(rows, ']');
    if (ne_bulk_aux_start(aux, p, ne_buf_str(rows), events->nelts) == APR_SUCCESS) {
        ix->aux = aux;
    }
    return ix;
}

/* The second connection's entries as rows of id and entry; NULL when one
 * is missing (its failure: the entries are then computed here). */
static const char *ne_bulk_entries(apr_pool_t *p, ne_bulk_index_t *ix)
{
    apr_array_header_t *entries;
    ne_buf_t *rows;
    int i;

    if (ix->aux == NULL || ne_bulk_aux_wait(ix->aux, &entries) != APR_SUCCESS) {
        return NULL;
    }
    rows = ne_bulk_list(p);
    for (i = 0; i < ix->events->nelts; i++) {
        const char *entry = APR_ARRAY_IDX(entries, i, const char *);
        if (entry == NULL) {
            return NULL;
        }
        ne_bulk_open(rows, 'e', APR_ARRAY_IDX(ix->events, i, ne_event_t *)->id);
        ne_bulk_field(rows, 'd', entry);
        ne_buf_putc(rows, '}');
    }
    ne_buf_putc(rows, ']');
    return ne_buf_str(rows);
}

apr_status_t ne_bulk_index_end(ne_store_t *st, apr_pool_t *p, ne_bulk_index_t *ix,
                               apr_status_t rv)
{
    const char *arg = ne_bulk_entries(p, ix);   /* waits: before p goes */
    ne_buf_t *rows;
    int i;

    if (rv != APR_SUCCESS || ix->events->nelts == 0) {
        return rv;
    }
    if (arg != NULL) {
        return ne_db_exec(st, p, "newsevent_b_index_entries", 1, &arg);
    }
    rows = ne_bulk_list(p);
    for (i = 0; i < ix->events->nelts; i++) {
        const ne_event_t *ev = APR_ARRAY_IDX(ix->events, i, ne_event_t *);
        ne_bulk_texts_row(rows, 'e', ev->id, ev);
    }
    ne_buf_putc(rows, ']');
    arg = ne_buf_str(rows);
    return ne_db_exec(st, p, "newsevent_b_index", 1, &arg);
}
