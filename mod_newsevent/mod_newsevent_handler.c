/* Request in, core called, headers and brigade out. translate_name claims
 * the base path and keeps the parsed route in the request; the handler
 * negotiates the representation, asks the store, renders, and lets Apache
 * answer conditional requests from the validators. */
#include "mod_newsevent.h"
#include "ne_accept.h"
#include "ne_store.h"
#include "ne_text.h"

#include "apr_md5.h"
#include "apr_strings.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <libxml/parser.h>

APLOG_USE_MODULE(newsevent);

/* Set once at start-up, before any thread serves a request. */
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *ne_dbd_acquire = NULL;

/* One request's choices. */
typedef struct ne_req {
    request_rec *r;
    const ne_route_t *rt;
    ne_req_conf_t conf;
    ne_format_e format;      /* the representation; NE_FMT_NONE: none acceptable */
    ne_format_e error_format;
    int negotiated;          /* the URL has no extension: Accept decided */
} ne_req_t;

int ne_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf; (void)plog; (void)ptemp;
    ne_dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    if (ne_dbd_acquire == NULL) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     "mod_dbd is not loaded: mod_newsevent cannot reach its store");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* Once, before threads start; never cleaned up, as other modules in the
     * process may use libxml2 too. */
    xmlInitParser();
    return OK;
}

int ne_translate_name(request_rec *r)
{
    const ne_server_conf_t *sc = ap_get_module_config(r->server->module_config,
                                                      &newsevent_module);
    const ne_dir_conf_t *dc = ap_get_module_config(r->per_dir_config, &newsevent_module);
    ne_route_t *rt;

    if (!ne_conf_enabled(dc) || r->uri == NULL || r->uri[0] != '/') {
        return DECLINED;
    }
    rt = apr_palloc(r->pool, sizeof(*rt));
    if (ne_route_parse(r->pool, ne_conf_base(sc), r->uri, rt) == NE_ROUTE_NOT_OURS) {
        return DECLINED;
    }
    ap_set_module_config(r->request_config, &newsevent_module, rt);
    r->handler = NE_HANDLER;
    r->filename = apr_pstrcat(r->pool, NE_HANDLER ":", r->uri, NULL);
    return OK;
}

/* Our URLs are not files: skip the directory walk (Location still applies). */
int ne_map_to_storage(request_rec *r)
{
    return ap_get_module_config(r->request_config, &newsevent_module) ? OK : DECLINED;
}

static int ne_send(request_rec *r, const char *content_type, ne_buf_t *out)
{
    apr_bucket_brigade *bb;
    apr_status_t rv;

    ap_set_content_type(r, content_type);
    ap_set_content_length(r, (apr_off_t)out->len);
    if (r->header_only) {
        return OK;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_pool_create(out->data, out->len, r->pool,
                                                       r->connection->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    rv = ap_pass_brigade(r->output_filters, bb);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r, "newsevent: sending the response failed");
        return AP_FILTER_ERROR;
    }
    return OK;
}

static void ne_vary(ne_req_t *q)
{
    if (q->negotiated) {
        apr_table_mergen(q->r->headers_out, "Vary", "Accept");
    }
}

/* An error in the client's format (RFC 9457 for JSON and XML), sent by us
 * so that its body and type follow the negotiation. */
static int ne_problem(ne_req_t *q, int status, const char *detail,
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
    ne_vary(q);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return ne_send(r, ne_problem_media_type(q->error_format), out);
}

static int ne_unavailable(ne_req_t *q, const char *why)
{
    request_rec *r = q->r;

    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "newsevent: store unavailable for %s: %s",
                  r->server->server_hostname ? r->server->server_hostname : "this server",
                  why ? why : "unknown error");
    apr_table_setn(r->headers_out, "Retry-After", NE_RETRY_AFTER);
    return ne_problem(q, HTTP_SERVICE_UNAVAILABLE,
                      "The news archive's store cannot be reached; try again shortly.", NULL);
}

/* The URL of the requested resource in format f. */
static const char *ne_variant_url(ne_req_t *q, ne_format_e f)
{
    const ne_route_t *rt = q->rt;

    return rt->kind == NE_ROUTE_EVENT
           ? ne_url_event(q->r->pool, &q->conf.opts, rt->date_str, rt->slug, f)
           : ne_url_day(q->r->pool, &q->conf.opts, rt->date_str, f);
}

static int ne_not_acceptable(ne_req_t *q)
{
    const char **urls = apr_pcalloc(q->r->pool, NE_FMT_COUNT * sizeof(*urls));
    int i;

    for (i = 0; i < q->conf.opts.formats->n; i++) {
        ne_format_e f = q->conf.opts.formats->order[i];
        urls[f] = ne_variant_url(q, f);
    }
    return ne_problem(q, HTTP_NOT_ACCEPTABLE, "None of the available representations "
                      "matches the Accept header; these are available:", urls);
}

/* Strong validators from what is sent: the ETag is a digest of the body,
 * so it differs per representation and changes with anything shown. */
static void ne_validators(ne_req_t *q, ne_buf_t *out, apr_time_t mtime)
{
    request_rec *r = q->r;
    unsigned char digest[APR_MD5_DIGESTSIZE];
    char *etag = apr_palloc(r->pool, 2 * APR_MD5_DIGESTSIZE + 3), *p = etag;
    int i;

    apr_md5(digest, out->data, out->len);
    *p++ = '"';
    for (i = 0; i < APR_MD5_DIGESTSIZE; i++) {
        *p++ = "0123456789abcdef"[digest[i] >> 4];
        *p++ = "0123456789abcdef"[digest[i] & 15];
    }
    *p++ = '"';
    *p = '\0';
    apr_table_setn(r->headers_out, "ETag", etag);
    if (mtime > 0) {
        ap_update_mtime(r, mtime);
        ap_set_last_modified(r);
    }
}

static int ne_serve(ne_req_t *q)
{
    request_rec *r = q->r;
    const ne_route_t *rt = q->rt;
    ne_store_t st;
    ne_buf_t *out;
    ap_dbd_t *dbd;
    apr_status_t rv;
    ne_event_t *ev = NULL;
    ne_day_t *day = NULL;
    int status;

    if ((dbd = ne_dbd_acquire(r)) == NULL) {
        return ne_unavailable(q, "no database connection (see mod_dbd's message above; "
                              "check DBDriver and DBDParams)");
    }
    st.driver = dbd->driver;
    st.handle = dbd->handle;
    st.prepared = dbd->prepared;
    st.error = NULL;
    rv = rt->kind == NE_ROUTE_EVENT
         ? ne_store_event(&st, r->pool, rt->date_str, rt->slug, q->conf.related_max, &ev)
         : ne_store_day(&st, r->pool, rt->date_str, &day);
    if (rv == APR_ENOENT) {
        return ne_problem(q, HTTP_NOT_FOUND, rt->kind == NE_ROUTE_EVENT
                          ? "There is no event at this address."
                          : "There are no events on this day.", NULL);
    }
    if (rv != APR_SUCCESS) {
        return ne_unavailable(q, st.error);
    }
    if (q->format == NE_FMT_NONE) {
        return ne_not_acceptable(q);
    }
    out = ne_buf_make(r->pool, 16384);
    if (ev != NULL) {
        ne_render_event(out, &q->conf.opts, q->format, ev);
    }
    else {
        ne_render_day(out, &q->conf.opts, q->format, day);
    }
    ne_vary(q);
    if (q->negotiated) {
        apr_table_setn(r->headers_out, "Content-Location", ne_variant_url(q, q->format));
    }
    if (q->conf.cache_control) {
        apr_table_setn(r->headers_out, "Cache-Control", q->conf.cache_control);
    }
    ne_validators(q, out, ev ? ne_event_mtime(ev) : ne_day_mtime(day));
    if ((status = ap_meets_conditions(r)) != OK) {
        return status;
    }
    return ne_send(r, ne_format_media_type(q->format), out);
}

/* The representation: the URL's extension when it has one the location
 * serves, else what the Accept header prefers. Errors follow it, or, when
 * there is none, the negotiation, or the location's preferred format. */
static void ne_choose_format(ne_req_t *q)
{
    const ne_format_set_t *served = q->conf.opts.formats;
    ne_format_e accepted = ne_accept_choose(apr_table_get(q->r->headers_in, "Accept"),
                                            served, q->conf.preferred);

    q->negotiated = q->rt->format == NE_FMT_NONE;
    if (!q->negotiated) {
        q->format = ne_format_set_has(served, q->rt->format) ? q->rt->format : NE_FMT_NONE;
    }
    else {
        q->format = accepted;
    }
    q->error_format = q->format != NE_FMT_NONE ? q->format
                      : accepted != NE_FMT_NONE ? accepted : q->conf.preferred;
    if (q->format == NE_FMT_NONE && !q->negotiated) {
        q->negotiated = 1;   /* the error's format came from Accept */
    }
}

int ne_handler(request_rec *r)
{
    ne_req_t q;

    if (r->handler == NULL || strcmp(r->handler, NE_HANDLER) != 0) {
        return DECLINED;
    }
    q.r = r;
    q.rt = ap_get_module_config(r->request_config, &newsevent_module);
    if (q.rt == NULL) {
        return HTTP_NOT_FOUND;     /* SetHandler newsevent outside the base path */
    }
    ne_conf_for_request(r, &q.conf);
    ne_choose_format(&q);
    if (r->method_number != M_GET) {
        apr_table_setn(r->headers_out, "Allow", "GET, HEAD");
        return ne_problem(&q, HTTP_METHOD_NOT_ALLOWED,
                          apr_psprintf(r->pool, "The news archive answers GET and HEAD, "
                                       "not %s.", ne_text_clean(r->pool, r->method)), NULL);
    }
    switch (q.rt->kind) {
    case NE_ROUTE_REDIRECT:
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, r->args ? apr_pstrcat(r->pool, q.rt->location,
                                        "?", r->args, NULL) : q.rt->location, r));
        return HTTP_MOVED_PERMANENTLY;
    case NE_ROUTE_EVENT:
    case NE_ROUTE_DAY:
        if (q.format == NE_FMT_NONE && !ne_format_set_has(q.conf.opts.formats, q.rt->format)
            && q.rt->format != NE_FMT_NONE) {
            return ne_problem(&q, HTTP_NOT_FOUND, apr_psprintf(r->pool, "This archive does "
                              "not serve .%s documents here.", ne_format_ext(q.rt->format)),
                              NULL);
        }
        return ne_serve(&q);
    default:
        return ne_problem(&q, HTTP_NOT_FOUND, "There is nothing at this address.", NULL);
    }
}
