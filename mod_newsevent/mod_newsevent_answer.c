/* SPDX-License-Identifier: Apache-2.0 */
/* The answer's parts: a body with its headers, a problem document in the
 * client's format, the validators and the preconditions (RFC 9110's order),
 * the variants' URLs. */
#include "mod_newsevent_req.h"
#include "ne_cond.h"
#include "ne_text.h"

#include "apr_strings.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <string.h>

APLOG_USE_MODULE(newsevent);

/* The media type of the documents that have one type only (feeds,
 * OpenSearch, sitemaps); NULL for the negotiated ones. */
const char *mne_fixed_type(ne_route_kind_e kind)
{
    switch (kind) {
    case NE_ROUTE_FEED:
    case NE_ROUTE_TOPIC_FEED:
    case NE_ROUTE_SEARCH_FEED: return NE_ATOM_MEDIA_TYPE;
    case NE_ROUTE_OPENSEARCH: return NE_OPENSEARCH_MEDIA_TYPE;
    case NE_ROUTE_SITEMAP_INDEX:
    case NE_ROUTE_SITEMAP: return NE_SITEMAP_MEDIA_TYPE;
    case NE_ROUTE_OPENAPI: return "application/vnd.oai.openapi+json";
    default: return NULL;
    }
}


/* A body, with the location's Content-Security-Policy when it is a page. */
int mne_send_bytes(mne_req_t *q, const char *content_type, const char *data,
                          apr_size_t len)
{
    request_rec *r = q->r;
    apr_bucket_brigade *bb;
    apr_status_t rv;

    if (q->conf.csp != NULL && strncmp(content_type, "text/html", 9) == 0) {
        apr_table_setn(r->headers_out, "Content-Security-Policy", q->conf.csp);
    }
    ap_set_content_type(r, content_type);
    ap_set_content_length(r, (apr_off_t)len);
    if (r->header_only) {
        return OK;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_pool_create(data, len, r->pool,
                                                       r->connection->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    rv = ap_pass_brigade(r->output_filters, bb);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r, "sending the response failed");
        return AP_FILTER_ERROR;
    }
    return OK;
}

void mne_vary(mne_req_t *q, int negotiated)
{
    if (negotiated) {
        apr_table_mergen(q->r->headers_out, "Vary", "Accept");
    }
}

/* An error in the client's format (RFC 9457 for JSON and XML), sent by us
 * so that its body and type follow the negotiation. */
int mne_problem(mne_req_t *q, int status, const char *detail,
                       const char *const *alternates)
{
    request_rec *r = q->r;
    ne_problem_t pb;
    ne_buf_t *out = ne_buf_make(r->pool, 2048);

    pb.status = status;
    pb.title = ap_get_status_line(status) + 4;     /* "404 Not Found" */
    pb.detail = detail;
    pb.instance = ne_text_clean(r->pool, r->uri);
    pb.alternates = alternates;
    ne_render_problem(out, &q->conf.opts, q->error_format, &pb);
    r->status = status;
    mne_vary(q, q->error_negotiated);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return mne_send_bytes(q, ne_problem_media_type(q->error_format), out->data, out->len);
}

/* 503, and an error-log line naming the site, the cause, and for a SQLite
 * store Apache's user cannot write, what mends it. */
int mne_unavailable(mne_req_t *q, const char *why)
{
    request_rec *r = q->r;
    const char *access = q->failure == NE_STORE_EACCESS ? mne_store_access_problem(r) : NULL;

    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "store unavailable for %s: %s%s%s",
                  mne_site_name(r),
                  why ? why : "unknown error", access ? "; " : "", access ? access : "");
    apr_table_setn(r->headers_out, "Retry-After", MNE_RETRY_AFTER);
    return mne_problem(q, HTTP_SERVICE_UNAVAILABLE,
                       "The news archive's store cannot be reached; try again shortly.", NULL);
}

/* The list kind a route names. */
ne_list_kind_e mne_list_kind(ne_route_kind_e kind)
{
    switch (kind) {
    case NE_ROUTE_DAY: return NE_LIST_DAY;
    case NE_ROUTE_MONTH: return NE_LIST_MONTH;
    case NE_ROUTE_YEAR: return NE_LIST_YEAR;
    case NE_ROUTE_FRONT: return NE_LIST_FRONT;
    default: return NE_LIST_TOPIC;
    }
}

const char *mne_list_key(const ne_route_t *rt)
{
    return rt->kind == NE_ROUTE_TOPIC ? rt->slug : rt->key;
}

/* The URL of the requested resource in format f. */
const char *mne_variant_url(mne_req_t *q, ne_format_e f)
{
    const ne_route_t *rt = q->rt;

    if (rt->kind == NE_ROUTE_SEARCH) {
        return ne_url_list(q->r->pool, &q->conf.opts, NE_LIST_SEARCH, q->search.key, f,
                           q->page);
    }
    return rt->kind == NE_ROUTE_EVENT
           ? ne_url_event(q->r->pool, &q->conf.opts, rt->key, rt->slug, f)
           : ne_url_list(q->r->pool, &q->conf.opts, mne_list_kind(rt->kind), mne_list_key(rt),
                         f, q->page);
}

int mne_not_acceptable(mne_req_t *q)
{
    const char **urls = apr_pcalloc(q->r->pool, NE_FMT_COUNT * sizeof(*urls));
    int i;

    for (i = 0; i < q->conf.opts.formats->n; i++) {
        ne_format_e f = q->conf.opts.formats->order[i];
        urls[f] = mne_variant_url(q, f);
    }
    return mne_problem(q, HTTP_NOT_ACCEPTABLE, "None of the available representations "
                      "matches the Accept header; these are available:", urls);
}

/* A strong ETag from what is sent: a digest of the body, so it differs per
 * representation and changes with anything shown. */
const char *mne_etag(apr_pool_t *pool, const ne_buf_t *out)
{
    return apr_psprintf(pool, "\"%016" APR_UINT64_T_HEX_FMT "\"",
                        ne_bytes_digest(out->data, out->len));
}

/* The request's preconditions against the answer's validators, in RFC
 * 9110's order (ne_cond.c). */
static ne_cond_e mne_conditions(request_rec *r, const char *etag, apr_time_t changed)
{
    ne_cond_req_t c;

    c.if_match = apr_table_get(r->headers_in, "If-Match");
    c.if_none_match = apr_table_get(r->headers_in, "If-None-Match");
    c.if_modified_since = apr_table_get(r->headers_in, "If-Modified-Since");
    c.if_unmodified_since = apr_table_get(r->headers_in, "If-Unmodified-Since");
    c.get_or_head = r->method_number == M_GET;
    c.now = r->request_time;
    return ne_cond_evaluate(&c, etag, changed);
}

/* An answer's headers, then 304 where the validators allow, else the body.
 * The Last-Modified is when an import last changed the store, which no page
 * can have changed after. */
int mne_respond(mne_req_t *q, const ne_cached_t *a)
{
    request_rec *r = q->r;

    mne_vary(q, q->negotiated);
    if (q->negotiated) {
        apr_table_setn(r->headers_out, "Content-Location", mne_variant_url(q, q->format));
    }
    if (q->conf.cache_control) {
        apr_table_setn(r->headers_out, "Cache-Control", q->conf.cache_control);
    }
    if (a->link != NULL) {
        apr_table_setn(r->headers_out, "Link", a->link);
    }
    apr_table_setn(r->headers_out, "ETag", a->etag);
    if (q->changed > 0) {
        ap_update_mtime(r, q->changed);
        ap_set_last_modified(r);
    }
    switch (mne_conditions(r, a->etag, q->changed)) {
    case NE_COND_NOT_MODIFIED:
        return HTTP_NOT_MODIFIED;
    case NE_COND_FAILED:
        return mne_problem(q, HTTP_PRECONDITION_FAILED, "The representation is not the one "
                           "the request's If-Match or If-Unmodified-Since names.", NULL);
    default:
        return mne_send_bytes(q, a->content_type, a->body, a->len);
    }
}

