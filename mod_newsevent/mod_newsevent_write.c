/* SPDX-License-Identifier: Apache-2.0 */
/* Editors' writes over HTTP, where NewsEventWrite is on: PUT an event (201
 * or 200), POST one to a day (its slug from its headline), DELETE one (its
 * URL then answers 410), MOVE one (WebDAV; its old URL then answers 301). Only for a user Apache has authenticated; only a
 * JSON body; the record checked by the import's rules; If-Match against the
 * JSON representation's ETag; one transaction each, retried while SQLite
 * is busy; one audit line at notice. */
#include "mod_newsevent_req.h"
#include "ne_cond.h"
#include "ne_record.h"
#include "ne_date.h"
#include "ne_slug.h"
#include "ne_store_write.h"
#include "ne_text.h"

#include "apr_strings.h"
#include "apr_uri.h"
#include "httpd.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <string.h>
#include <time.h>

APLOG_USE_MODULE(newsevent);

/* How often a write whose store is busy (another writer holds SQLite) is
 * tried again, after the driver's own retries. */
#define MNE_WRITE_TRIES 5

/* What one write did, for its answer, the audit line and the notes. */
typedef struct mne_write {
    mne_req_t *q;
    ne_event_t ev;           /* the record of a PUT or POST */
    ne_route_t to;           /* a MOVE's destination */
    ne_event_t *stored;      /* a PUT's or POST's event as its transaction left it */
    const char *outcome;     /* "created", "updated", "unchanged", "deleted" */
    int status;              /* the answer's */
    const char *detail;      /* an error's */
} mne_write_t;

int mne_write_method(request_rec *r)
{
    return r->method_number == M_PUT || r->method_number == M_POST
           || r->method_number == M_DELETE || r->method_number == M_MOVE;
}

/* The methods a resource takes where writes are on. */
const char *mne_write_allow(const ne_route_t *rt)
{
    return rt->kind == NE_ROUTE_EVENT ? "GET, HEAD, PUT, DELETE, MOVE"
           : rt->kind == NE_ROUTE_DAY ? "GET, HEAD, POST" : "GET, HEAD";
}

static int mne_write_fail(mne_write_t *w, int status, const char *detail)
{
    w->status = status;
    w->detail = detail;
    return status;
}

/* The body, at most `limit` bytes; NULL with w's status set otherwise. */
static const char *mne_write_body(mne_write_t *w, apr_off_t limit, apr_size_t *len)
{
    request_rec *r = w->q->r;
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    char *body, *end;
    apr_size_t got = 0;
    long n;

    if (cl != NULL && (apr_strtoff(&(apr_off_t){0}, cl, &end, 10) != APR_SUCCESS
                       || apr_atoi64(cl) > limit)) {
        mne_write_fail(w, HTTP_REQUEST_ENTITY_TOO_LARGE, apr_psprintf(r->pool, "The body is "
                       "larger than the %" APR_OFF_T_FMT " bytes this archive takes "
                       "(NewsEventWriteLimit).", limit));
        return NULL;
    }
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) {
        mne_write_fail(w, HTTP_BAD_REQUEST, "The body cannot be read.");
        return NULL;
    }
    body = apr_palloc(r->pool, (apr_size_t)limit + 1);
    while ((n = ap_get_client_block(r, body + got, (apr_size_t)limit + 1 - got)) > 0) {
        if ((got += (apr_size_t)n) > (apr_size_t)limit) {
            mne_write_fail(w, HTTP_REQUEST_ENTITY_TOO_LARGE, "The body is larger than "
                           "this archive takes (NewsEventWriteLimit).");
            return NULL;
        }
    }
    if (n < 0) {
        mne_write_fail(w, HTTP_BAD_REQUEST, "The body could not be read to its end.");
        return NULL;
    }
    *len = got;
    body[got] = '\0';
    return body;
}

/* The record of a PUT or POST: JSON by its Content-Type (no form a
 * cross-site page can send), parsed, checked by the import's rules, its
 * date and slug the URL's. */
static int mne_write_record(mne_write_t *w)
{
    request_rec *r = w->q->r;
    const char *type = apr_table_get(r->headers_in, "Content-Type"), *body;
    apr_size_t len = 0;
    ne_record_error_t err;
    json_error_t jerr;
    json_t *doc;
    int bad;

    if (type == NULL || strcasecmp(ap_field_noparam(r->pool, type), "application/json") != 0) {
        return mne_write_fail(w, HTTP_UNSUPPORTED_MEDIA_TYPE, "The body must be one event as "
                              "JSON, sent as Content-Type: application/json.");
    }
    if ((body = mne_write_body(w, w->q->conf.write_limit, &len)) == NULL) {
        return w->status;
    }
    if ((doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
        return mne_write_fail(w, HTTP_BAD_REQUEST, apr_psprintf(r->pool, "The body is not "
                              "JSON: %s at line %d, column %d.",
                              ne_text_clean(r->pool, jerr.text), jerr.line, jerr.column));
    }
    bad = ne_record_from_json(r->pool, doc, &w->ev, &err, NULL);
    json_decref(doc);
    if (bad) {
        return mne_write_fail(w, HTTP_UNPROCESSABLE_ENTITY, *err.field
                              ? apr_psprintf(r->pool, "field '%s' %s", err.field, err.message)
                              : err.message);
    }
    if (strcmp(w->ev.date, w->q->rt->key) != 0) {
        return mne_write_fail(w, HTTP_UNPROCESSABLE_ENTITY, apr_psprintf(r->pool, "field "
                              "'date' is %s, but the URL names %s.", w->ev.date,
                              w->q->rt->key));
    }
    if (w->q->rt->kind == NE_ROUTE_EVENT && *w->ev.slug
        && strcmp(w->ev.slug, w->q->rt->slug) != 0) {
        return mne_write_fail(w, HTTP_UNPROCESSABLE_ENTITY, apr_psprintf(r->pool, "field "
                              "'slug' is %s, but the URL names %s.", w->ev.slug,
                              w->q->rt->slug));
    }
    if (w->q->rt->kind == NE_ROUTE_DAY && *w->ev.slug) {
        return mne_write_fail(w, HTTP_UNPROCESSABLE_ENTITY, "field 'slug' is given by the "
                              "archive to an event posted to a day: PUT it to its own URL "
                              "to choose one.");
    }
    if (w->q->rt->kind == NE_ROUTE_EVENT) {
        w->ev.slug = w->q->rt->slug;
    }
    return OK;
}

/* The ETag a GET of the event's JSON representation gives. */
static const char *mne_write_etag(mne_write_t *w, const ne_event_t *ev)
{
    ne_buf_t *out = ne_buf_make(w->q->r->pool, 4096);

    ne_render_event(out, &w->q->conf.opts, NE_FMT_JSON, ev);
    return mne_etag(w->q->r->pool, out);
}

/* If-Match and If-None-Match against the event there now (NULL: none). */
static int mne_write_conditions(mne_write_t *w, const ne_event_t *cur)
{
    request_rec *r = w->q->r;
    const char *im = apr_table_get(r->headers_in, "If-Match");
    const char *inm = apr_table_get(r->headers_in, "If-None-Match");
    const char *etag = cur ? mne_write_etag(w, cur) : NULL;

    if (im != NULL && !ne_cond_etag_listed(im, etag, 1)) {
        return mne_write_fail(w, HTTP_PRECONDITION_FAILED, cur ? "The event has changed since "
                              "the If-Match ETag: read it again." : "There is no event here "
                              "to match If-Match.");
    }
    if (inm != NULL && ne_cond_etag_listed(inm, etag, 0)) {
        return mne_write_fail(w, HTTP_PRECONDITION_FAILED, "An event is here already "
                              "(If-None-Match).");
    }
    return OK;
}

/* A slug for a posted event: the headline's, then -2, -3, ... past every
 * key an event has, had (410) or left (301). */
static apr_status_t mne_write_free_slug(mne_write_t *w, ne_writer_t *wr)
{
    apr_pool_t *p = w->q->r->pool;
    const char *base = ne_slug_make(p, w->ev.headline), *slug = base, *a, *b;
    ne_event_t *ev;
    apr_status_t rv;
    int n = 1;

    for (;;) {
        rv = ne_store_event_row(wr->st, p, w->ev.date, slug, &ev);
        if (rv == APR_ENOENT && strcmp(slug, "index") != 0
            && (rv = ne_store_gone(wr->st, p, w->ev.date, slug, &a)) == APR_ENOENT
            && (rv = ne_store_moved(wr->st, p, w->ev.date, slug, &a, &b)) == APR_ENOENT) {
            w->ev.slug = slug;
            return APR_SUCCESS;
        }
        if (rv != APR_SUCCESS && rv != APR_ENOENT) {
            return rv;
        }
        slug = ne_slug_nth(p, base, ++n);
    }
}

/* A MOVE's Destination: an event's URL on this server, in this archive
 * (RFC 4918 section 9.9: another server is 502). */
static int mne_write_destination(mne_write_t *w)
{
    request_rec *r = w->q->r;
    const char *dest = apr_table_get(r->headers_in, "Destination");
    apr_uri_t u;
    char *path;

    if (dest == NULL || apr_uri_parse(r->pool, dest, &u) != APR_SUCCESS || u.path == NULL) {
        return mne_write_fail(w, HTTP_BAD_REQUEST, "MOVE needs a Destination header naming "
                              "the event's new URL.");
    }
    if (u.hostname != NULL
        && (strcasecmp(u.hostname, ap_get_server_name(r)) != 0
            || (u.port_str ? u.port : apr_uri_port_of_scheme(u.scheme))
               != ap_get_server_port(r))) {
        return mne_write_fail(w, HTTP_BAD_GATEWAY, "The Destination is on another server.");
    }
    path = apr_pstrdup(r->pool, u.path);
    if (ap_unescape_url(path) != OK
        || ne_route_parse(r->pool, w->q->conf.opts.base, path, &w->to) != NE_ROUTE_EVENT
        || (w->to.format != NE_FMT_NONE && w->to.format != NE_FMT_JSON)) {
        return mne_write_fail(w, HTTP_BAD_REQUEST, "The Destination is not an event's "
                              "address in this archive (/news/YYYY/MM/DD/SLUG).");
    }
    return OK;
}

static apr_status_t mne_write_move(mne_write_t *w, ne_writer_t *wr, const char *now)
{
    request_rec *r = w->q->r;
    const char *over = apr_table_get(r->headers_in, "Overwrite");
    int replaced = 0;
    apr_status_t rv = ne_store_move(wr, r->pool, w->q->rt->key, w->q->rt->slug, w->to.key,
                                    w->to.slug, now, over != NULL && strcmp(over, "T") == 0,
                                    &replaced);

    switch (rv) {
    case APR_SUCCESS:
        w->outcome = replaced ? "moved over another" : "moved";
        w->ev.date = w->to.key;
        w->ev.slug = w->to.slug;
        return ne_store_mark_changed(wr, r->pool, now);
    case APR_ENOENT:
        mne_write_fail(w, HTTP_NOT_FOUND, "There is no event at this address to move.");
        return APR_EINVAL;
    case APR_EEXIST:
        mne_write_fail(w, HTTP_CONFLICT, "An event is at the Destination already: send "
                       "Overwrite: T to replace it.");
        return APR_EINVAL;
    case APR_EINVAL:
        mne_write_fail(w, HTTP_FORBIDDEN, "The Destination is the event's own address.");
        return APR_EINVAL;
    default:
        return rv;
    }
}

/* The event as this write left it, read in its transaction: after the
 * commit another writer may already have replaced it, and the answer's
 * ETag must be the one this write made (the If-Match of the next). */
static apr_status_t mne_write_read_back(mne_write_t *w, ne_store_t *st)
{
    apr_status_t rv = ne_store_event(st, w->q->r->pool, w->ev.date, w->ev.slug,
                                     w->q->conf.related_max, &w->stored);

    return rv == APR_ENOENT ? APR_SUCCESS : rv;
}

/* The write itself, in the caller's transaction: APR_SUCCESS, or the
 * store's failure (w->status set for a refusal). */
static apr_status_t mne_write_apply(mne_write_t *w, ne_store_t *st)
{
    request_rec *r = w->q->r;
    ne_writer_t *wr = ne_writer_make(r->pool, st);
    const char *now = ne_timestamp_now(r->pool);
    ne_event_t *cur = NULL;
    ne_upsert_e what;
    apr_status_t rv;

    if (r->method_number == M_POST && (rv = mne_write_free_slug(w, wr)) != APR_SUCCESS) {
        return rv;
    }
    rv = ne_store_event(st, r->pool, w->ev.date ? w->ev.date : w->q->rt->key,
                        w->ev.slug ? w->ev.slug : w->q->rt->slug, w->q->conf.related_max,
                        &cur);
    if (rv != APR_SUCCESS && rv != APR_ENOENT) {
        return rv;
    }
    if (mne_write_conditions(w, rv == APR_SUCCESS ? cur : NULL) != OK) {
        return APR_EINVAL;
    }
    if (r->method_number == M_MOVE) {
        return mne_write_move(w, wr, now);
    }
    if (r->method_number == M_DELETE) {
        if (cur == NULL) {
            mne_write_fail(w, HTTP_NOT_FOUND, "There is no event at this address.");
            return APR_EINVAL;
        }
        rv = ne_store_delete(wr, r->pool, w->q->rt->key, w->q->rt->slug, now);
        w->outcome = "deleted";
    }
    else {
        if ((rv = ne_store_revive(wr, r->pool, w->ev.date, w->ev.slug)) == APR_SUCCESS) {
            rv = ne_store_upsert(wr, r->pool, &w->ev, now, &what);
        }
        if (rv == APR_EINVAL) {
            mne_write_fail(w, HTTP_UNPROCESSABLE_ENTITY, apr_psprintf(r->pool, "field "
                           "'topics': %s", st->error));
            return rv;
        }
        w->outcome = what == NE_UPSERT_ADDED ? "created" : what == NE_UPSERT_UPDATED
                     ? "updated" : "unchanged";
    }
    if (rv == APR_SUCCESS && strcmp(w->outcome, "unchanged") != 0) {
        rv = ne_store_mark_changed(wr, r->pool, now);
    }
    if (rv == APR_SUCCESS && strcmp(w->outcome, "deleted") != 0) {
        rv = mne_write_read_back(w, st);
    }
    return rv;
}

/* One transaction: committed when the write is done, rolled back on a
 * refusal or a failure. SQLite's is BEGIN IMMEDIATE: the one writer's lock
 * is taken first, so that writers queue for it (the driver waits on a busy
 * store) rather than fail when another commits after their reads. */
static apr_status_t mne_write_transaction(mne_write_t *w, ne_store_t *st)
{
    apr_pool_t *p = w->q->r->pool;
    apr_dbd_transaction_t *trans = NULL;
    int sqlite = strcmp(apr_dbd_name(st->driver), "sqlite3") == 0, nrows, rc;
    apr_status_t rv;

    rc = sqlite ? apr_dbd_query(st->driver, st->handle, &nrows, "BEGIN IMMEDIATE")
                : apr_dbd_transaction_start(st->driver, p, st->handle, &trans);
    if (rc != 0) {
        return ne_store_failure(st, p, "BEGIN", rc);
    }
    if ((rv = ne_store_write_lock(st, p, w->q->conf.prefix)) == APR_SUCCESS) {
        rv = mne_write_apply(w, st);
    }
    if (sqlite) {
        rc = apr_dbd_query(st->driver, st->handle, &nrows,
                           rv == APR_SUCCESS ? "COMMIT" : "ROLLBACK");
    }
    else {
        if (rv != APR_SUCCESS) {
            apr_dbd_transaction_mode_set(st->driver, trans, APR_DBD_TRANSACTION_ROLLBACK);
        }
        rc = apr_dbd_transaction_end(st->driver, p, trans);
    }
    if (rc != 0 && rv == APR_SUCCESS) {
        rv = ne_store_failure(st, p, "COMMIT", rc);
    }
    return rv;
}

/* The write on a connection of its own, its statements prepared on first
 * use (a store older than schema version 3 refuses: 503, and a line that
 * names 'newsevent upgrade'); tried again while another writer holds a
 * SQLite store. */
static void mne_write_run(mne_write_t *w)
{
    request_rec *r = w->q->r;
    ne_store_t *st = &w->q->st;
    apr_status_t rv = APR_EGENERAL;
    int tries = 0;

    if ((w->q->dbd = mne_store_open(r, st)) == NULL) {
        mne_write_fail(w, HTTP_SERVICE_UNAVAILABLE, mne_store_why_none(r));
        return;
    }
    if (mne_store_writes_ready(r, st, w->q->dbd, w->q->conf.prefix) != APR_SUCCESS) {
        mne_write_fail(w, HTTP_SERVICE_UNAVAILABLE, "Writes are not available yet: the "
                       "archive's store predates them and awaits an upgrade.");
    }
    else {
        while ((rv = mne_write_transaction(w, st)) == NE_STORE_EBUSY
               && ++tries < MNE_WRITE_TRIES) {
            apr_sleep(apr_time_from_msec(100 * tries));
        }
        if (rv != APR_SUCCESS && w->status == 0) {
            ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r, "write failed for %s: %s",
                          mne_site_name(r), st->error ? st->error : "unknown error");
            mne_write_fail(w, HTTP_SERVICE_UNAVAILABLE, "The archive's store could not take "
                           "the change; nothing of it was written. Try again shortly.");
        }
    }
    mne_store_close(r, st, &w->q->dbd);
}

/* The answer: the event as stored, in JSON, for 200 and 201; nothing for
 * 204; a problem document otherwise. */
static int mne_write_answer(mne_write_t *w)
{
    mne_req_t *q = w->q;
    request_rec *r = q->r;
    ne_event_t *ev = NULL;
    ne_buf_t *out;

    if (w->status != 0) {
        if (w->status == HTTP_METHOD_NOT_ALLOWED || w->status == HTTP_SERVICE_UNAVAILABLE) {
            apr_table_setn(r->headers_out, w->status == HTTP_SERVICE_UNAVAILABLE
                           ? "Retry-After" : "Allow", w->status == HTTP_SERVICE_UNAVAILABLE
                           ? MNE_RETRY_AFTER : mne_write_allow(q->rt));
        }
        return mne_problem(q, w->status, w->detail, NULL);
    }
    if (strcmp(w->outcome, "deleted") == 0) {
        return HTTP_NO_CONTENT;
    }
    if (strncmp(w->outcome, "moved", 5) == 0) {       /* RFC 4918: 201, or 204 over one */
        apr_table_setn(r->headers_out, "Location", ap_construct_url(r->pool,
                       ne_url_event(r->pool, &q->conf.opts, w->to.key, w->to.slug,
                                    NE_FMT_NONE), r));
        return strcmp(w->outcome, "moved") == 0 ? HTTP_CREATED : HTTP_NO_CONTENT;
    }
    if ((ev = w->stored) == NULL) {
        return strcmp(w->outcome, "created") == 0 ? HTTP_CREATED : HTTP_NO_CONTENT;
    }
    out = ne_buf_make(r->pool, 4096);
    ne_render_event(out, &q->conf.opts, NE_FMT_JSON, ev);
    apr_table_setn(r->headers_out, "ETag", mne_etag(r->pool, out));
    if (strcmp(w->outcome, "created") == 0) {
        r->status = HTTP_CREATED;
        apr_table_setn(r->headers_out, "Location", ap_construct_url(r->pool,
                       ne_url_event(r->pool, &q->conf.opts, ev->date, ev->slug, NE_FMT_NONE),
                       r));
    }
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return mne_send_bytes(q, ne_format_media_type(NE_FMT_JSON), out->data, out->len);
}

int mne_write(mne_req_t *q)
{
    request_rec *r = q->r;
    mne_write_t w;
    int status;

    memset(&w, 0, sizeof(w));
    w.q = q;
    if (apr_table_get(r->headers_in, "Accept") == NULL && q->rt->format == NE_FMT_NONE
        && ne_format_set_has(q->conf.opts.formats, NE_FMT_JSON)) {
        q->error_format = NE_FMT_JSON;       /* a client that sends JSON reads it */
    }
    if ((r->method_number == M_POST) != (q->rt->kind == NE_ROUTE_DAY)
        || (q->rt->kind != NE_ROUTE_EVENT && q->rt->kind != NE_ROUTE_DAY)
        || (q->rt->format != NE_FMT_NONE && q->rt->format != NE_FMT_JSON)) {
        mne_write_fail(&w, HTTP_METHOD_NOT_ALLOWED, apr_psprintf(r->pool, "%s is not for "
                       "this address here.", ne_text_clean(r->pool, r->method)));
    }
    else if (r->user == NULL) {
        mne_write_fail(&w, HTTP_FORBIDDEN, "Writes need a user Apache has authenticated: "
                       "this location has NewsEventWrite On but no Require for them.");
    }
    else if (r->method_number == M_MOVE ? mne_write_destination(&w) == OK
             : r->method_number == M_DELETE || mne_write_record(&w) == OK) {
        mne_write_run(&w);
    }
    ap_discard_request_body(r);         /* what a refusal left unread */
    status = mne_write_answer(&w);
    apr_table_setn(r->notes, "newsevent-write", w.outcome ? w.outcome : "refused");
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r, "write by %s: %s %s: %d %s",
                  r->user ? ne_text_clean(r->pool, r->user) : "(no user)",
                  ne_text_clean(r->pool, r->method), ne_text_clean(r->pool, r->uri),
                  w.status ? w.status : status == OK ? r->status : status,
                  w.outcome ? w.outcome : w.detail ? "refused" : "");
    return status;
}
