/* SPDX-License-Identifier: Apache-2.0 */
/* The import's reader thread. It reads the file in blocks (a pipe as well
 * as a file, in constant memory, and a file cut short while it is read
 * ends the input rather than the process), and fills a ring of slots, each
 * a batch of parsed lines in a pool of its own (with its own allocator:
 * the two threads allocate at once); the caller takes them in order and
 * hands each slot back when done with it. One mutex and one condition
 * guard the slots' `full` flags; whoever holds a slot reads it without the
 * lock. */
#include "newsevent_reader.h"
#include "ne_record.h"
#include "ne_slug.h"

#include <stdlib.h>
#include <string.h>
#include <apr_atomic.h>
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>

#define TOOL_READER_SLOTS 4
#define TOOL_READER_BATCH 256
#define TOOL_READER_BLOCK (1 << 20)    /* bytes read at once; a longer line grows it */

typedef struct tool_slot {
    apr_pool_t *pool;
    tool_parsed_t items[TOOL_READER_BATCH];
    int n;
    int full;                 /* the reader has filled it: the caller's */
} tool_slot_t;

/* The bytes read and not yet parsed: b.data[at..b.len), then the file. */
typedef struct tool_input {
    apr_file_t *file;
    tool_bytes_t b;
    apr_size_t at;
    apr_size_t consumed;      /* the file's bytes before b.data[at] */
    apr_status_t rv;          /* APR_EOF once read to the end, or the error */
} tool_input_t;

struct tool_reader {
    tool_input_t in;
    apr_thread_t *thread;
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *changed;
    tool_slot_t slots[TOOL_READER_SLOTS];
    int lines;                /* set by the reader when done */
    int done;                 /* the reader has handed its last slot */
    volatile apr_uint32_t stop;   /* the caller wants no more: also read between lines */
    int joined;
    int keep_going;               /* read on past an invalid record */
    int take, item, held;     /* the caller's: its slot, next item, and whether it has it */
};

void tool_reader_record(apr_pool_t *pool, json_t *obj, tool_parsed_t *it)
{
    ne_record_error_t err;

    it->error = it->base = NULL;
    it->repairs = apr_array_make(pool, 0, sizeof(ne_record_repair_t));
    it->is_absent = ne_record_is_absent(obj);
    if (it->is_absent) {
        if (ne_absent_from_json(pool, obj, &it->absent, &err) != 0) {
            it->error = apr_psprintf(pool, "field '%s' %s", err.field, err.message);
        }
        return;
    }
    if (ne_record_from_json(pool, obj, &it->ev, &err, it->repairs) != 0) {
        it->error = *err.field ? apr_psprintf(pool, "field '%s' %s", err.field, err.message)
                               : apr_pstrdup(pool, err.message);
    }
    else if (*it->ev.slug == '\0') {
        it->base = ne_slug_make(pool, it->ev.headline);
    }
}

static void tool_reader_line(apr_pool_t *pool, const char *line, apr_size_t n, tool_parsed_t *it)
{
    json_error_t jerr;
    json_t *obj = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);

    if (obj == NULL) {
        it->base = NULL;
        it->repairs = NULL;
        it->is_absent = 0;
        it->error = apr_psprintf(pool, "%s at column %d: %s",
                                 strstr(jerr.text, "decode byte") ? "not valid UTF-8 (invalid "
                                 "JSON)" : "invalid JSON", jerr.column, jerr.text);
        return;
    }
    tool_reader_record(pool, obj, it);
    json_decref(obj);
}

apr_status_t tool_bytes_reserve(tool_bytes_t *b, apr_size_t more)
{
    char *grown;

    if (b->cap - b->len >= more) {
        return APR_SUCCESS;
    }
    if ((grown = realloc(b->data, b->len + more)) == NULL) {
        return APR_ENOMEM;
    }
    b->data = grown;
    b->cap = b->len + more;
    return APR_SUCCESS;
}

apr_size_t tool_blank_len(const char *p, apr_size_t n, const char *blanks)
{
    apr_size_t i = 0;

    while (i < n && p[i] != '\0' && strchr(blanks, p[i]) != NULL) {
        i++;
    }
    return i;
}

static int tool_reader_stopped(tool_reader_t *r)
{
    return apr_atomic_read32(&r->stop) != 0;
}

/* Wait (the reader) until the slot is the reader's again; 0 when the
 * caller has stopped. */
static int tool_reader_claim(tool_reader_t *r, tool_slot_t *slot)
{
    int go;

    apr_thread_mutex_lock(r->lock);
    while (slot->full && !tool_reader_stopped(r)) {
        apr_thread_cond_wait(r->changed, r->lock);
    }
    go = !tool_reader_stopped(r);
    apr_thread_mutex_unlock(r->lock);
    return go;
}

static void tool_reader_signal(tool_reader_t *r, int *flag, int value)
{
    apr_thread_mutex_lock(r->lock);
    *flag = value;
    apr_thread_cond_broadcast(r->changed);
    apr_thread_mutex_unlock(r->lock);
}


/* Read more of the file after the bytes kept (an unfinished line), the
 * buffer doubled when the line fills it; 0 at the end or on an error. */
static int tool_input_more(tool_input_t *in)
{
    tool_bytes_t *b = &in->b;
    apr_size_t got;

    if (in->rv != APR_SUCCESS) {
        return 0;
    }
    memmove(b->data, b->data + in->at, b->len - in->at);
    b->len -= in->at;
    in->at = 0;
    if (b->len == b->cap && (in->rv = tool_bytes_reserve(b, b->cap)) != APR_SUCCESS) {
        return 0;
    }
    got = b->cap - b->len;
    in->rv = apr_file_read(in->file, b->data + b->len, &got);
    b->len += got;
    return got > 0 || in->rv == APR_SUCCESS;
}

/* The next line (without its newline) in *line and *n; 0 after the last. */
static int tool_input_line(tool_input_t *in, const char **line, apr_size_t *n)
{
    apr_size_t scanned = 0;
    const char *nl;

    while ((nl = memchr(in->b.data + in->at + scanned, '\n',
                        in->b.len - in->at - scanned)) == NULL) {
        scanned = in->b.len - in->at;
        if (!tool_input_more(in)) {
            if (in->b.len == in->at || in->rv != APR_EOF) {
                return 0;
            }
            nl = in->b.data + in->b.len;            /* the last line, unended */
            break;
        }
    }
    *line = in->b.data + in->at;
    *n = (apr_size_t)(nl - *line);
    in->at += *n + (nl < in->b.data + in->b.len);
    in->consumed += *n + (nl < in->b.data + in->b.len);
    return 1;
}

/* Fill slot with the next lines; 1 when one was in error (the last). */
static int tool_reader_fill(tool_reader_t *r, tool_slot_t *slot, int *lineno)
{
    const char *line;
    apr_size_t n;

    apr_pool_clear(slot->pool);
    slot->n = 0;
    while (slot->n < TOOL_READER_BATCH && !tool_reader_stopped(r)
           && tool_input_line(&r->in, &line, &n)) {
        (*lineno)++;
        if (tool_blank_len(line, n, " \t\r") < n) {
            tool_parsed_t *it = &slot->items[slot->n++];
            tool_reader_line(slot->pool, line, n, it);
            it->lineno = *lineno;
            it->end = r->in.consumed;
            it->unreadable = 0;
            if (it->error != NULL && !r->keep_going) {
                return 1;
            }
        }
    }
    if (slot->n < TOOL_READER_BATCH && r->in.rv != APR_EOF && !tool_reader_stopped(r)) {
        char err[120];
        tool_parsed_t *it = &slot->items[slot->n++];
        it->error = apr_psprintf(slot->pool, "cannot read the file after line %d: %s",
                                 *lineno, apr_strerror(r->in.rv, err, sizeof(err)));
        it->lineno = *lineno + 1;
        it->end = r->in.consumed;
        it->unreadable = 1;
        it->repairs = NULL;
        it->is_absent = 0;
        return 1;
    }
    return 0;
}

/* Returns normally rather than through apr_thread_exit, which would destroy
 * the thread's pool (a subpool of the caller's) from this thread. */
static void *APR_THREAD_FUNC tool_reader_run(apr_thread_t *thread, void *baton)
{
    tool_reader_t *r = baton;
    int lineno = 0, s = 0, failed = 0;

    (void)thread;
    while (!failed && tool_reader_claim(r, &r->slots[s])) {
        failed = tool_reader_fill(r, &r->slots[s], &lineno);
        if (r->slots[s].n == 0) {
            break;                                  /* nothing more */
        }
        tool_reader_signal(r, &r->slots[s].full, 1);
        s = (s + 1) % TOOL_READER_SLOTS;
    }
    r->lines = lineno;
    tool_reader_signal(r, &r->done, 1);
    return NULL;
}

void tool_reader_stop(tool_reader_t *r)
{
    apr_status_t rv;

    if (!r->joined) {
        apr_thread_mutex_lock(r->lock);
        apr_atomic_set32(&r->stop, 1);
        apr_thread_cond_broadcast(r->changed);
        apr_thread_mutex_unlock(r->lock);
        apr_thread_join(&rv, r->thread);
        r->joined = 1;
    }
}

static apr_status_t tool_reader_cleanup(void *data)
{
    tool_reader_t *r = data;

    tool_reader_stop(r);
    free(r->in.b.data);
    return APR_SUCCESS;
}

apr_status_t tool_reader_start(tool_reader_t **out, apr_pool_t *pool, apr_file_t *file,
                               const char *head, apr_size_t head_len, int head_is_all,
                               int keep_going)
{
    tool_reader_t *r = apr_pcalloc(pool, sizeof(*r));
    apr_status_t rv;
    int i;

    r->keep_going = keep_going;
    r->in.file = file;
    if (tool_bytes_reserve(&r->in.b, head_len > TOOL_READER_BLOCK ? head_len : TOOL_READER_BLOCK)
        != APR_SUCCESS) {
        return APR_ENOMEM;
    }
    memcpy(r->in.b.data, head, head_len);
    r->in.b.len = head_len;
    r->in.rv = head_is_all ? APR_EOF : APR_SUCCESS;  /* a terminal's end is read once */
    r->joined = 1;                    /* until there is a thread to join */
    apr_pool_pre_cleanup_register(pool, r, tool_reader_cleanup);
    for (i = 0; i < TOOL_READER_SLOTS; i++) {
        apr_allocator_t *a;
        if ((rv = apr_allocator_create(&a)) != APR_SUCCESS) {
            return rv;
        }
        if ((rv = apr_pool_create_ex(&r->slots[i].pool, pool, NULL, a)) != APR_SUCCESS) {
            apr_allocator_destroy(a);
            return rv;
        }
        apr_allocator_owner_set(a, r->slots[i].pool);
    }
    if ((rv = apr_thread_mutex_create(&r->lock, APR_THREAD_MUTEX_DEFAULT, pool))
        != APR_SUCCESS
        || (rv = apr_thread_cond_create(&r->changed, pool)) != APR_SUCCESS) {
        return rv;
    }
    json_object_seed(0);      /* once, before two threads make objects */
    if ((rv = apr_thread_create(&r->thread, NULL, tool_reader_run, r, pool)) != APR_SUCCESS) {
        return rv;
    }
    r->joined = 0;
    *out = r;
    return APR_SUCCESS;
}

const tool_parsed_t *tool_reader_next(tool_reader_t *r)
{
    for (;;) {
        tool_slot_t *slot = &r->slots[r->take];
        if (r->held && r->item < slot->n) {
            return &slot->items[r->item++];
        }
        if (r->held) {                          /* spent: back to the reader */
            tool_reader_signal(r, &slot->full, 0);
            r->held = r->item = 0;
            r->take = (r->take + 1) % TOOL_READER_SLOTS;
            continue;
        }
        apr_thread_mutex_lock(r->lock);
        while (!slot->full && !r->done) {
            apr_thread_cond_wait(r->changed, r->lock);
        }
        r->held = slot->full;
        apr_thread_mutex_unlock(r->lock);
        if (!r->held) {
            return NULL;
        }
    }
}

int tool_reader_lines(const tool_reader_t *r, apr_size_t *bytes)
{
    *bytes = r->in.consumed;
    return r->lines;
}
