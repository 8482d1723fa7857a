/* SPDX-License-Identifier: Apache-2.0 */
/* newsevent import and check: JSON Lines (or a JSON array) into the store,
 * one transaction per file; check does the same and rolls it back, or, with
 * no store named, validates the records alone. A progress bar on a terminal,
 * and always a one-line summary. */
#include "newsevent.h"
#include "ne_date.h"
#include "ne_slug.h"
#include "ne_store_bulk.h"
#include "ne_text.h"
#include "newsevent_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <apr_file_io.h>
#include <apr_strings.h>

/* One file's import: the (date, slug) pairs it has given out, and where. */
typedef struct tool_import {
    tool_t *tool;
    const char *path;        /* the file, for the lines that name a record */
    ne_writer_t *writer;
    apr_hash_t *slugs;       /* "date/slug" -> "line N" */
    const char *now;
    const char *where;       /* "line N" or "element N", for the hash */
    const char *at;          /* ":N" or ": element N", after the file's name */
    int added, updated, unchanged;
    long repaired, skipped;
    long absent;             /* deleted and moved events' URLs */
} tool_import_t;

/* What became of one record. */
typedef enum tool_outcome {
    TOOL_RECORD_STORED,      /* stored, or valid (check) */
    TOOL_RECORD_INVALID,     /* refused for itself: --skip-invalid passes over it */
    TOOL_RECORD_FAILED       /* the store failed: the file is rejected */
} tool_outcome_e;

/* May a record without a slug take `slug`? Not when this file gave it out,
 * nor when the store holds another headline there. */
static apr_status_t tool_import_slug_free(tool_import_t *im, apr_pool_t *pool,
                                          const ne_event_t *ev, const char *slug, int *free_)
{
    const char *headline;
    apr_status_t rv;

    *free_ = 0;
    if (im->tool->st.handle == NULL) {            /* check without a store */
        *free_ = strcmp(slug, "index") != 0
                 && apr_hash_get(im->slugs, apr_pstrcat(pool, ev->date, "/", slug, NULL),
                                 APR_HASH_KEY_STRING) == NULL;
        return APR_SUCCESS;
    }
    if (strcmp(slug, "index") == 0
        || apr_hash_get(im->slugs, apr_pstrcat(pool, ev->date, "/", slug, NULL),
                        APR_HASH_KEY_STRING) != NULL) {
        return APR_SUCCESS;
    }
    rv = ne_writer_headline_at(im->writer, pool, ev->date, slug, &headline);
    if (rv == APR_ENOENT || (rv == APR_SUCCESS && strcmp(headline, ev->headline) == 0)) {
        *free_ = 1;
        return APR_SUCCESS;
    }
    return rv;
}

/* The slug of a record: its own, which may appear once per file; or the
 * headline's (base), with "-2", "-3", ... until it is free. Importing the same
 * file again yields the same slugs, as the store then holds each headline
 * at its slug. Returns NULL with *msg set on failure. */
static const char *tool_import_slug(tool_import_t *im, apr_pool_t *pool, const ne_event_t *ev,
                                    const char *base, const char **msg)
{
    apr_pool_t *hp = apr_hash_pool_get(im->slugs);
    const char *slug = *ev->slug ? ev->slug : base;
    const char *seen;
    int n = 1, free_ = 0;

    if (*ev->slug) {
        seen = apr_hash_get(im->slugs, apr_pstrcat(pool, ev->date, "/", slug, NULL),
                            APR_HASH_KEY_STRING);
        if (seen != NULL) {
            *msg = apr_psprintf(pool, "field 'slug' repeats the date and slug of %s", seen);
            return NULL;
        }
    }
    else {
        for (;;) {
            if (tool_import_slug_free(im, pool, ev, slug, &free_) != APR_SUCCESS) {
                *msg = apr_psprintf(pool, "store: %s", im->tool->st.error);
                return NULL;
            }
            if (free_) {
                break;
            }
            slug = ne_slug_nth(pool, base, ++n);
        }
    }
    apr_hash_set(im->slugs, apr_pstrcat(hp, ev->date, "/", slug, NULL), APR_HASH_KEY_STRING,
                 apr_pstrdup(hp, im->where));
    return slug;
}

/* With --verbose, each invisible character dropped from the record. */
static void tool_import_repairs(tool_import_t *im, const tool_parsed_t *it)
{
    int i;

    for (i = 0; it->repairs != NULL && i < it->repairs->nelts; i++) {
        const ne_record_repair_t *r = &APR_ARRAY_IDX(it->repairs, i, ne_record_repair_t);
        im->repaired++;
        if (im->tool->verbose) {
            fprintf(stderr, "newsevent: %s%s: field '%s': removed U+%04X %s (it %s)\n",
                    im->path, im->at, r->field, (unsigned)r->cp, ne_text_cp_name(r->cp),
                    r->why);
        }
    }
}

/* Import one parsed record; *msg names the field when it is not stored. */
static tool_outcome_e tool_import_record(tool_import_t *im, apr_pool_t *pool,
                                         const tool_parsed_t *it, const char **msg)
{
    ne_event_t ev = it->ev;
    ne_upsert_e what;
    apr_status_t rv;

    if ((*msg = it->error) != NULL) {
        return it->unreadable ? TOOL_RECORD_FAILED : TOOL_RECORD_INVALID;
    }
    if (it->is_absent) {                          /* a deleted or moved event's URL */
        const ne_absent_t *a = &it->absent;
        im->absent++;
        if (im->tool->st.handle != NULL
            && (rv = ne_store_remember(im->writer, pool, a->date, a->slug, a->to_date,
                                       a->to_slug, a->when)) != APR_SUCCESS) {
            *msg = apr_psprintf(pool, "store: %s", im->tool->st.error);
            return TOOL_RECORD_FAILED;
        }
        return TOOL_RECORD_STORED;
    }
    if ((ev.slug = tool_import_slug(im, pool, &ev, it->base, msg)) == NULL) {
        return strncmp(*msg, "store:", 6) == 0 ? TOOL_RECORD_FAILED : TOOL_RECORD_INVALID;
    }
    tool_import_repairs(im, it);
    im->tool->records++;
    if (im->tool->st.handle == NULL) {
        im->added++;                              /* valid: nothing to compare with */
        return TOOL_RECORD_STORED;
    }
    if ((rv = ne_store_put(im->writer, pool, &ev, im->now, &what)) != APR_SUCCESS) {
        *msg = apr_psprintf(pool, rv == APR_EINVAL ? "field 'topics': %s" : "store: %s",
                            im->tool->st.error);
        return rv == APR_EINVAL ? TOOL_RECORD_INVALID : TOOL_RECORD_FAILED;
    }
    im->added += what == NE_UPSERT_ADDED;
    im->updated += what == NE_UPSERT_UPDATED;
    im->unchanged += what == NE_UPSERT_UNCHANGED;
    return TOOL_RECORD_STORED;
}

/* One record of the file, at im->where: NULL to go on, or why the file is
 * rejected. With --skip-invalid a record refused for itself is named and
 * passed over (nothing of it was written: every refusal comes before the
 * first write). */
static const char *tool_import_one(tool_import_t *im, apr_pool_t *pool,
                                   const tool_parsed_t *it)
{
    const char *msg = NULL;
    tool_outcome_e out = tool_import_record(im, pool, it, &msg);

    if (out == TOOL_RECORD_INVALID && im->tool->skip_invalid) {
        fprintf(stderr, "newsevent: %s%s: %s; record skipped\n", im->path, im->at, msg);
        im->skipped++;
        return NULL;
    }
    return out == TOOL_RECORD_STORED ? NULL : msg;
}

/* The progress bar: records, rate, time left (from the bytes read), drawn
 * at most five times a second, on a terminal only. `done` is this file's
 * bytes read so far. */
static void tool_progress(tool_t *t, apr_off_t done, int last)
{
    apr_time_t now = apr_time_now();
    double secs, rate, left, frac;
    apr_off_t all = t->bytes_done + done;
    char bar[31];
    int i, full;

    if (!t->progress || (!last && now - t->drawn < apr_time_from_msec(200))) {
        return;
    }
    t->drawn = now;
    secs = (double)(now - t->started) / APR_USEC_PER_SEC;
    rate = secs > 0 ? t->records / secs : 0;
    if (t->bytes_total < 0) {                       /* a pipe: no end known */
        fprintf(stderr, "\r%ld records  %.0f/s\033[K", t->records, rate);
    }
    else {
        frac = t->bytes_total > 0 ? (double)all / (double)t->bytes_total : 1;
        left = frac > 0 ? secs / frac - secs : 0;
        full = (int)(frac * 30 + 0.5);
        for (i = 0; i < 30; i++) {
            bar[i] = i < full ? '#' : '.';
        }
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %3d%%  %ld records  %.0f/s  %d:%02d left\033[K", bar,
                (int)(frac * 100), t->records, rate, (int)left / 60, (int)left % 60);
    }
    if (last) {
        fputs("\r\033[K", stderr);                 /* the summary follows */
    }
}

/* JSON Lines (head: the bytes read already, then the rest of f), parsed
 * by the reader thread while this one stores. *len: the bytes read. */
static const char *tool_import_lines(tool_import_t *im, apr_pool_t *pool, apr_file_t *f,
                                     const char *head, apr_size_t head_len, int head_is_all,
                                   apr_size_t *len, int *lineno)
{
    apr_pool_t *iter;
    tool_reader_t *reader;
    const tool_parsed_t *it;
    const char *msg = NULL;
    int lines;
    apr_status_t rv = tool_reader_start(&reader, pool, f, head, head_len, head_is_all,
                                        im->tool->skip_invalid);

    if (rv != APR_SUCCESS) {
        char err[120];
        *lineno = 0;
        return apr_psprintf(pool, "cannot start the reader: %s",
                            apr_strerror(rv, err, sizeof(err)));
    }
    apr_pool_create(&iter, pool);
    while (msg == NULL && (it = tool_reader_next(reader)) != NULL) {
        apr_pool_clear(iter);
        *lineno = it->lineno;
        im->where = apr_psprintf(iter, "line %d", it->lineno);
        im->at = apr_psprintf(iter, ":%d", it->lineno);
        if ((msg = tool_import_one(im, iter, it)) != NULL) {
            msg = apr_pstrdup(pool, msg);
        }
        tool_progress(im->tool, (apr_off_t)it->end, 0);
    }
    tool_reader_stop(reader);
    lines = tool_reader_lines(reader, len);
    if (msg == NULL) {
        *lineno = lines;
    }
    apr_pool_destroy(iter);
    return msg;
}

/* A file holding one JSON array: the error names the element's index. */
static const char *tool_import_array(tool_import_t *im, apr_pool_t *pool, const char *data,
                                     apr_size_t len, int *lineno)
{
    json_error_t jerr;
    json_t *arr = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr), *item;
    const char *msg = NULL;
    size_t i;

    if (arr == NULL) {
        *lineno = jerr.line;
        return apr_psprintf(pool, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    }
    json_array_foreach(arr, i, item) {
        tool_parsed_t it;
        im->where = apr_psprintf(pool, "element %lu", (unsigned long)i);
        im->at = apr_pstrcat(pool, ": ", im->where, NULL);
        tool_reader_record(pool, item, &it);
        if ((msg = tool_import_one(im, pool, &it)) != NULL) {
            msg = apr_psprintf(pool, "element %lu: %s", (unsigned long)i, msg);
            break;
        }
    }
    *lineno = 0;                                  /* the element says where */
    json_decref(arr);
    return msg;
}

static apr_status_t tool_bytes_cleanup(void *data)
{
    free(((tool_bytes_t *)data)->data);
    return APR_SUCCESS;
}

/* Read on into b until the end (APR_EOF) or, given `blank`, until a byte
 * that is not blank (*blank: the blanks before it): enough to tell an
 * array from JSON Lines. */
static apr_status_t tool_bytes_read(apr_pool_t *pool, apr_file_t *f, tool_bytes_t *b,
                                    apr_size_t *blank)
{
    apr_status_t rv = APR_SUCCESS;
    apr_size_t got;

    if (b->data == NULL) {
        if (tool_bytes_reserve(b, 1 << 16) != APR_SUCCESS) {
            return APR_ENOMEM;
        }
        apr_pool_cleanup_register(pool, b, tool_bytes_cleanup, apr_pool_cleanup_null);
    }
    while (rv == APR_SUCCESS && !(blank && *blank < b->len)) {
        if (b->cap - b->len < 65536 && (rv = tool_bytes_reserve(b, b->cap)) != APR_SUCCESS) {
            return rv;
        }
        got = b->cap - b->len;
        rv = apr_file_read(f, b->data + b->len, &got);
        b->len += got;
        if (blank && *blank == b->len - got) {
            *blank += tool_blank_len(b->data + *blank, got, " \t\r\n");
        }
    }
    return rv;
}

static const char *tool_import_unreadable(apr_pool_t *pool, apr_status_t rv)
{
    char err[120];

    return apr_psprintf(pool, "cannot read the file: %s", apr_strerror(rv, err, sizeof(err)));
}

/* The file's records: JSON Lines streamed through the reader thread, or
 * one JSON array, read whole (into a buffer of the file's size when it
 * has one). *len: the bytes read. */
static const char *tool_import_input(tool_import_t *im, apr_pool_t *pool, apr_file_t *f,
                                     apr_size_t *len, int *lineno)
{
    tool_bytes_t *b = apr_pcalloc(pool, sizeof(*b));
    apr_size_t blank = 0;
    apr_status_t rv = tool_bytes_read(pool, f, b, &blank);
    apr_finfo_t fi;

    *lineno = 0;
    *len = b->len;
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        return tool_import_unreadable(pool, rv);
    }
    if (blank == b->len || b->data[blank] != '[') {
        return tool_import_lines(im, pool, f, b->data, b->len, rv == APR_EOF, len, lineno);
    }
    if (rv != APR_EOF
        && apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_TYPE, f) == APR_SUCCESS
        && fi.filetype == APR_REG && (apr_size_t)fi.size > b->len) {
        rv = tool_bytes_reserve(b, (apr_size_t)fi.size - b->len + 65536);
    }
    if (rv == APR_SUCCESS) {
        rv = tool_bytes_read(pool, f, b, NULL);
    }
    *len = b->len;
    if (rv != APR_EOF) {
        return tool_import_unreadable(pool, rv);
    }
    return tool_import_array(im, pool, b->data, b->len, lineno);
}

static int tool_import_file(tool_t *t, const char *path)
{
    apr_pool_t *pool;
    apr_dbd_transaction_t *trans = NULL;
    apr_file_t *f;
    tool_import_t im;
    const char *msg = NULL;
    apr_size_t len = 0;
    apr_status_t rv;
    int lineno = 0, rc;

    apr_pool_create(&pool, t->pool);
    memset(&im, 0, sizeof(im));
    im.tool = t;
    im.path = path;
    im.writer = ne_writer_make(pool, &t->st);
    im.writer->threads = tool_threads();
    im.writer->spelled = t->spellings;
    im.slugs = apr_hash_make(pool);
    im.now = ne_timestamp_now(pool);
    if ((rv = apr_file_open(&f, path, APR_FOPEN_READ, 0, pool)) != APR_SUCCESS) {
        msg = tool_import_unreadable(pool, rv);
    }
    else if (t->st.handle != NULL
             && apr_dbd_transaction_start(t->st.driver, pool, t->st.handle, &trans) != 0) {
        msg = "cannot start a transaction";
    }
    else if (t->st.handle != NULL && !t->check_only
             && ne_store_write_lock(&t->st, pool, t->prefix) != APR_SUCCESS) {
        msg = apr_psprintf(pool, "store: %s", t->st.error);
    }
    else if (t->st.handle != NULL && ne_store_bulk_begin(im.writer, pool, t->params) != APR_SUCCESS) {
        msg = apr_psprintf(pool, "store: %s", t->st.error);
    }
    else {
        msg = tool_import_input(&im, pool, f, &len, &lineno);
    }
    /* PostgreSQL's last batch, and what became of the batches' records. */
    if (msg == NULL && trans != NULL
        && ne_store_bulk_end(im.writer, pool, &im.added, &im.updated, &im.unchanged)
           != APR_SUCCESS) {
        msg = apr_psprintf(pool, "store: %s", t->st.error);
    }
    if (msg == NULL && trans != NULL && !t->check_only && im.added + im.updated + im.absent > 0
        && ne_store_mark_changed(im.writer, pool, im.now) != APR_SUCCESS) {
        msg = apr_psprintf(pool, "store: %s", t->st.error);
    }
    if ((msg != NULL || t->check_only) && trans != NULL) {
        apr_dbd_transaction_mode_set(t->st.driver, trans, APR_DBD_TRANSACTION_ROLLBACK);
    }
    if (trans != NULL && (rc = apr_dbd_transaction_end(t->st.driver, pool, trans)) != 0
        && msg == NULL) {
        msg = apr_psprintf(pool, "commit failed: %s",
                           apr_dbd_error(t->st.driver, t->st.handle, rc));
    }
    t->bytes_done += (apr_off_t)len;
    tool_progress(t, 0, 1);
    if (msg != NULL) {
        fprintf(stderr, "newsevent: %s%s%s: %s; %s\n", path, lineno ? ":" : "",
                lineno ? apr_itoa(pool, lineno) : "", msg,
                t->check_only ? "the file would be rejected"
                              : "file rejected, the store is unchanged");
        t->rejected++;
    }
    else {
        if (!t->check_only) {
            ne_writer_keep_spellings(im.writer);
        }
        t->added += im.added;
        t->updated += im.updated;
        t->unchanged += im.unchanged;
        t->repaired += im.repaired;
        t->absent += im.absent;
        t->skipped += im.skipped;
    }
    apr_pool_destroy(pool);
    return msg != NULL;
}

/* The files' sizes, for the progress bar; -1 when one is a pipe. */
static void tool_import_sizes(tool_t *t, int argc, const char *const *argv)
{
    apr_finfo_t fi;
    int i;

    for (i = 0; i < argc; i++) {
        if (apr_stat(&fi, argv[i], APR_FINFO_SIZE | APR_FINFO_TYPE, t->pool) != APR_SUCCESS) {
            continue;
        }
        if (fi.filetype != APR_REG) {
            t->bytes_total = -1;                    /* the bar shows no share */
            return;
        }
        t->bytes_total += fi.size;
    }
}

/* PostgreSQL plans by its statistics, which a fresh store has none of
 * until autovacuum passes: after an import that changed anything, the
 * tables it wrote are analysed at once (a plan of sequential scans over a
 * million events otherwise). */
static void tool_import_analyze(tool_t *t)
{
    int nrows;

    if (t->st.handle == NULL || t->check_only || strcmp(t->driver_name, "pgsql") != 0
        || t->added + t->updated + t->absent == 0) {
        return;
    }
    if (apr_dbd_query(t->st.driver, t->st.handle, &nrows, ne_store_sql(t->pool,
                      "ANALYZE events, sources, topics, event_topics, days, events_search, "
                      "related_lists, topic_companions",
                      t->prefix)) != 0) {
        fprintf(stderr, "newsevent: ANALYZE failed: %s\n",
                apr_dbd_error(t->st.driver, t->st.handle, 0));
    }
}

/* SQLite's FTS5 index grows by segments, which automatic merges leave in
 * several levels; every lookup seeks in each. After an import that wrote a
 * tenth of the store or more (a first import, say), the index is merged
 * into one ('optimize': a few seconds for a million events), which makes a
 * search's snippets several times cheaper (tests/bench/README.md,
 * "Search: one pass"). Smaller imports leave it to the automatic merges. */
static void tool_import_optimize(tool_t *t)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    long events = 0, written = t->added + t->updated;
    int nrows;

    if (t->st.handle == NULL || t->check_only || strcmp(t->driver_name, "sqlite3") != 0
        || written == 0) {
        return;
    }
    if (apr_dbd_select(t->st.driver, t->pool, t->st.handle, &res,
                       ne_store_sql(t->pool, "SELECT COALESCE(SUM(event_count), 0) FROM days",
                                    t->prefix), 0) == 0) {
        while (apr_dbd_get_row(t->st.driver, t->pool, res, &row, -1) == 0) {
            events = atol(apr_dbd_get_entry(t->st.driver, row, 0));
        }
    }
    if (written * 10 < events) {
        return;
    }
    if (apr_dbd_query(t->st.driver, t->st.handle, &nrows, ne_store_sql(t->pool,
                      "INSERT INTO events_search(events_search) VALUES ('optimize')",
                      t->prefix)) != 0) {
        fprintf(stderr, "newsevent: merging the search index failed: %s\n",
                apr_dbd_error(t->st.driver, t->st.handle, 0));
    }
}

/* The summary's counts of repairs and skipped records, when there are. */
static const char *tool_import_extra(tool_t *t)
{
    const char *absent = t->absent == 0 ? ""
        : apr_psprintf(t->pool, ", %ld deleted or moved", t->absent);
    const char *repaired = t->repaired == 0 ? ""
        : apr_psprintf(t->pool, ", %ld invisible character%s removed", t->repaired,
                       t->repaired == 1 ? "" : "s");
    const char *skipped = !t->skip_invalid ? ""
        : apr_psprintf(t->pool, ", %ld invalid record%s skipped", t->skipped,
                       t->skipped == 1 ? "" : "s");

    return apr_pstrcat(t->pool, absent, repaired, skipped, NULL);
}

int tool_cmd_import(tool_t *t, int argc, const char *const *argv)
{
    int i, failed = 0;

    if (argc == 0) {
        fprintf(stderr, "newsevent: %s needs at least one FILE\n",
                t->check_only ? "check" : "import");
        return TOOL_EXIT_USAGE;
    }
    if (t->st.handle != NULL && tool_prepare(t) != TOOL_EXIT_OK) {
        return TOOL_EXIT_FAILED;
    }
    t->spellings = apr_hash_make(t->pool);
    t->progress = isatty(STDERR_FILENO);
    t->started = t->drawn = apr_time_now();
    tool_import_sizes(t, argc, argv);
    for (i = 0; i < argc; i++) {
        failed |= tool_import_file(t, argv[i]);
    }
    tool_import_analyze(t);
    tool_import_optimize(t);
    if (t->check_only && t->st.handle == NULL) {
        fprintf(stderr, "newsevent: check: %ld valid records, %d file%s rejected%s\n",
                t->records, t->rejected, t->rejected == 1 ? "" : "s", tool_import_extra(t));
    }
    else {
        fprintf(stderr, "newsevent: %s%d added, %d updated, %d unchanged, %d file%s rejected"
                "%s (%ld records in %.1f s)\n", t->check_only ? "check: would have " : "",
                t->added, t->updated, t->unchanged, t->rejected, t->rejected == 1 ? "" : "s",
                tool_import_extra(t), t->records,
                (double)(apr_time_now() - t->started) / APR_USEC_PER_SEC);
    }
    return failed ? TOOL_EXIT_FAILED : TOOL_EXIT_OK;
}
