/* Request in, core called, headers and brigade out. translate_name claims
 * the base path and keeps the parsed route in the request; the handler
 * asks the store and hands the record to a renderer. */
#include "mod_newsevent.h"
#include "ne_store.h"

#include "apr_strings.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <libxml/parser.h>

APLOG_USE_MODULE(newsevent);

/* Set once at start-up, before any thread serves a request. */
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *ne_dbd_acquire = NULL;

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

static int ne_send(request_rec *r, ne_format_e f, ne_buf_t *out)
{
    apr_bucket_brigade *bb;
    apr_status_t rv;

    ap_set_content_type(r, ne_format_media_type(f));
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
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r,
                      "newsevent: sending the response failed");
        return AP_FILTER_ERROR;
    }
    return OK;
}

static int ne_unavailable(request_rec *r, const char *why)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "newsevent: store unavailable for %s: %s", r->server->server_hostname
                  ? r->server->server_hostname : "this server", why);
    apr_table_setn(r->err_headers_out, "Retry-After", NE_RETRY_AFTER);
    return HTTP_SERVICE_UNAVAILABLE;
}

static int ne_serve(request_rec *r, const ne_route_t *rt)
{
    ne_format_e f = rt->format == NE_FMT_NONE ? NE_FMT_HTML : rt->format;
    ne_render_opts_t opts;
    ne_store_t st;
    ne_buf_t *out;
    ap_dbd_t *dbd;
    int related_max;
    apr_status_t rv;
    ne_event_t *ev = NULL;
    ne_day_t *day = NULL;

    ne_conf_render_opts(r, &opts, &related_max);
    if ((dbd = ne_dbd_acquire(r)) == NULL) {
        return ne_unavailable(r, "no database connection (see mod_dbd's error above; "
                              "check DBDriver and DBDParams)");
    }
    st.driver = dbd->driver;
    st.handle = dbd->handle;
    st.prepared = dbd->prepared;
    st.error = NULL;
    rv = rt->kind == NE_ROUTE_EVENT
         ? ne_store_event(&st, r->pool, rt->date_str, rt->slug, related_max, &ev)
         : ne_store_day(&st, r->pool, rt->date_str, &day);
    if (rv == APR_ENOENT) {
        return HTTP_NOT_FOUND;
    }
    if (rv != APR_SUCCESS) {
        return ne_unavailable(r, st.error);
    }
    out = ne_buf_make(r->pool, 16384);
    if (ev != NULL) {
        ne_render_event(out, &opts, f, ev);
    }
    else {
        ne_render_day(out, &opts, f, day);
    }
    return ne_send(r, f, out);
}

int ne_handler(request_rec *r)
{
    const ne_route_t *rt;

    if (r->handler == NULL || strcmp(r->handler, NE_HANDLER) != 0) {
        return DECLINED;
    }
    rt = ap_get_module_config(r->request_config, &newsevent_module);
    if (rt == NULL) {
        return HTTP_NOT_FOUND;     /* SetHandler newsevent outside the base path */
    }
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    switch (rt->kind) {
    case NE_ROUTE_REDIRECT:
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, r->args ? apr_pstrcat(r->pool, rt->location,
                                        "?", r->args, NULL) : rt->location, r));
        return HTTP_MOVED_PERMANENTLY;
    case NE_ROUTE_EVENT:
    case NE_ROUTE_DAY:
        return ne_serve(r, rt);
    default:
        return HTTP_NOT_FOUND;
    }
}
