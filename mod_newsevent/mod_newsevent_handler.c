/* SPDX-License-Identifier: Apache-2.0 */
/* Request in, core called, headers and brigade out. translate_name claims
 * the base path and keeps the parsed route in the request; the handler
 * negotiates the representation, asks the store, renders, and lets Apache
 * answer conditional requests from the validators. */
#include "mod_newsevent_req.h"
#include "ne_accept.h"
#include "ne_cond.h"
#include "ne_store.h"
#include "ne_text.h"

#include "apr_strings.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <libxml/parser.h>

APLOG_USE_MODULE(newsevent);

int mne_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf; (void)plog; (void)ptemp; (void)s;
    /* Without mod_dbd no server may serve the archive (mne_check_config
     * refuses NewsEvent On then), and the module stays idle. */
    mne_store_init();
    mne_headers_init();
    /* Once, before threads start; never cleaned up, as other modules in the
     * process may use libxml2 too. */
    xmlInitParser();
    return OK;
}

/* Each child gets one cache of rendered answers, shared by its threads and
 * its virtual hosts (their keys differ), sized by the main server. */
void mne_child_init(apr_pool_t *pchild, server_rec *s)
{
    const mne_server_conf_t *main_conf = ap_get_module_config(s->module_config,
                                                              &newsevent_module);
    apr_off_t size = main_conf->cache_size == -1 ? MNE_DEFAULT_CACHE_SIZE
                                                 : main_conf->cache_size;
    ne_cache_t *cache = ne_cache_create(pchild, (apr_size_t)size);
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        mne_server_conf_t *sc = ap_get_module_config(sp->module_config, &newsevent_module);
        sc->cache = cache;
    }
}

int mne_translate_name(request_rec *r)
{
    const mne_server_conf_t *sc = ap_get_module_config(r->server->module_config,
                                                       &newsevent_module);
    const mne_dir_conf_t *dc = ap_get_module_config(r->per_dir_config, &newsevent_module);
    ne_route_t *rt;

    if (!sc->serves || !mne_conf_enabled(dc) || r->uri == NULL || r->uri[0] != '/') {
        return DECLINED;
    }
    rt = apr_palloc(r->pool, sizeof(*rt));
    if (ne_route_parse(r->pool, mne_conf_base(sc), r->uri, rt) == NE_ROUTE_NOT_OURS) {
        return DECLINED;
    }
    ap_set_module_config(r->request_config, &newsevent_module, rt);
    r->handler = MNE_HANDLER;
    r->filename = apr_pstrcat(r->pool, MNE_HANDLER ":", r->uri, NULL);
    return OK;
}

/* Our URLs are not files: skip the directory walk (Location still applies). */
int mne_map_to_storage(request_rec *r)
{
    return ap_get_module_config(r->request_config, &newsevent_module) ? OK : DECLINED;
}

/* What identifies an answer in the cache: the server and every setting
 * that shapes it, the resource, the page, the representation. */
static const char *mne_cache_key(mne_req_t *q)
{
    const mne_req_conf_t *c = &q->conf;
    const ne_render_opts_t *o = &c->opts;
    char order[NE_FMT_COUNT + 1];
    int i;

    for (i = 0; i < o->formats->n; i++) {
        order[i] = (char)('0' + o->formats->order[i]);
    }
    order[i] = '\0';
    return apr_psprintf(q->r->pool, "%pp|%s|%s|%s|%s|%pp|%pp|%s|%s|%d|%d|%d|%d|%d|%d|%d|%d|"
                        "%s|%d|%s", q->r->server, o->base, o->site_title,
                        o->stylesheet ? o->stylesheet : "", o->lang, o->header_html,
                        o->footer_html, o->origin, order, c->related_max, c->page_size,
                        c->front_days, c->list_limit, o->search, c->search_page_size,
                        q->format, q->negotiated, q->r->uri, q->page,
                        q->search.key ? q->search.key : "");
}

/* Ask the store for what the route names. */
static apr_status_t mne_fetch(mne_req_t *q)
{
    apr_pool_t *p = q->r->pool;
    ne_list_query_t lq;

    switch (q->rt->kind) {
    case NE_ROUTE_EVENT:
        return ne_store_event(&q->st, p, q->rt->key, q->rt->slug, q->conf.related_max,
                              &q->event);
    case NE_ROUTE_FEED:
    case NE_ROUTE_TOPIC_FEED:
        q->feed.topic_slug = q->rt->kind == NE_ROUTE_TOPIC_FEED ? q->rt->slug : NULL;
        return ne_store_latest(&q->st, p, q->feed.topic_slug, q->conf.page_size,
                               &q->feed.topic_name, &q->feed.events);
    case NE_ROUTE_SEARCH:
    case NE_ROUTE_SEARCH_FEED:
        return mne_search_fetch(q->r, &q->st, q->dbd, q->conf.prefix, &q->search, &q->list);
    case NE_ROUTE_OPENSEARCH:
    case NE_ROUTE_OPENAPI:
        return APR_SUCCESS;
    case NE_ROUTE_SITEMAP_INDEX:
    case NE_ROUTE_SITEMAP:
        return ne_store_sitemap(&q->st, p, q->rt->kind == NE_ROUTE_SITEMAP ? q->rt->key : NULL,
                                &q->sitemap);
    default:
        lq.kind = mne_list_kind(q->rt->kind);
        lq.key = mne_list_key(q->rt);
        lq.page = q->page;
        lq.page_size = q->conf.page_size;
        lq.front_days = q->conf.front_days;
        lq.limit = q->conf.list_limit;
        return ne_store_list(&q->st, p, &lq, &q->list);
    }
}

static const char *mne_missing(mne_req_t *q)
{
    switch (q->rt->kind) {
    case NE_ROUTE_EVENT: return "There is no event at this address.";
    case NE_ROUTE_TOPIC_FEED: return "There is no such topic.";
    default: return q->page > 1 ? "This list has no such page." : "There are no events here.";
    }
}

/* Link: <...>; rel="prev", <...>; rel="next" between the pages of a list. */
static const char *mne_page_links(mne_req_t *q, const ne_list_t *l)
{
    apr_pool_t *p = q->r->pool;
    ne_format_e f = q->negotiated ? NE_FMT_NONE : q->format;
    const char *prev = NULL, *next = NULL;

    if (l->page > 1) {
        prev = apr_psprintf(p, "<%s>; rel=\"prev\"",
                            ne_url_list(p, &q->conf.opts, l->kind, l->key, f, l->page - 1));
    }
    if (l->page < l->pages) {
        next = apr_psprintf(p, "<%s>; rel=\"next\"",
                            ne_url_list(p, &q->conf.opts, l->kind, l->key, f, l->page + 1));
    }
    return prev && next ? apr_pstrcat(p, prev, ", ", next, NULL) : prev ? prev : next;
}

/* Notes an admin can log (LogFormat %{newsevent-store-us}n ...): the time
 * spent in the store, the rows read, the representation chosen, and
 * whether the cache answered. */
static void mne_notes(mne_req_t *q, apr_interval_time_t spent, const char *cache)
{
    request_rec *r = q->r;

    apr_table_setn(r->notes, "newsevent-cache", cache);
    apr_table_setn(r->notes, "newsevent-store-us", apr_psprintf(r->pool, "%" APR_TIME_T_FMT,
                                                                spent));
    apr_table_setn(r->notes, "newsevent-rows", apr_ltoa(r->pool, q->st.rows));
    apr_table_setn(r->notes, "newsevent-format",
                   mne_fixed_type(q->rt->kind) ? ap_field_noparam(r->pool,
                                                                  mne_fixed_type(q->rt->kind))
                   : q->format == NE_FMT_NONE ? "none"
                   : apr_pstrcat(r->pool, ne_format_ext(q->format),
                                 q->negotiated ? "(negotiated)" : "", NULL));
}

/* The OpenAPI description (conf/openapi.json, built in), its server the
 * location's base path. */
extern const char ne_openapi_json[];

static void mne_openapi(ne_buf_t *out, const ne_render_opts_t *o)
{
    static const char server[] = "\"url\": \"/news\"";
    const char *at = strstr(ne_openapi_json, server);

    if (at == NULL) {
        ne_buf_puts(out, ne_openapi_json);
        return;
    }
    ne_buf_add(out, ne_openapi_json, (apr_size_t)(at - ne_openapi_json));
    ne_buf_cat(out, "\"url\": \"", o->base, "\"", at + sizeof(server) - 1, NULL);
}

/* Render what the store gave into an answer. */
static void mne_render_answer(mne_req_t *q, ne_cached_t *a)
{
    ne_buf_t *out = ne_buf_make(q->r->pool, 16384);

    a->link = NULL;
    a->content_type = mne_fixed_type(q->rt->kind) ? mne_fixed_type(q->rt->kind)
                                                  : ne_format_media_type(q->format);
    switch (q->rt->kind) {
    case NE_ROUTE_SEARCH_FEED:
        q->feed.search_key = q->list->key;
        q->feed.search_text = q->list->name;
        q->feed.events = APR_ARRAY_IDX(q->list->groups, 0, ne_group_t).events;
        /* fall through */
    case NE_ROUTE_FEED:
    case NE_ROUTE_TOPIC_FEED:
        ne_render_feed(out, &q->conf.opts, &q->feed);
        break;
    case NE_ROUTE_OPENSEARCH:
        ne_render_opensearch(out, &q->conf.opts);
        break;
    case NE_ROUTE_OPENAPI:
        mne_openapi(out, &q->conf.opts);
        break;
    case NE_ROUTE_SITEMAP_INDEX:
    case NE_ROUTE_SITEMAP:
        ne_render_sitemap(out, &q->conf.opts, q->sitemap);
        break;
    case NE_ROUTE_EVENT:
        ne_render_event(out, &q->conf.opts, q->format, q->event);
        break;
    default:
        a->link = mne_page_links(q, q->list);
        ne_render_list(out, &q->conf.opts, q->format, q->list);
    }
    a->body = out->data;
    a->len = out->len;
    a->etag = mne_etag(q->r->pool, out);
}

/* Read from the store what the answer needs: from the cache (*hit set), or
 * the record or list itself; OK, or the status of an error answer. */
static int mne_gather(mne_req_t *q, const char **key, ne_cached_t *a, int *hit)
{
    const mne_server_conf_t *sc = ap_get_module_config(q->r->server->module_config,
                                                       &newsevent_module);
    apr_status_t rv;
    apr_time_t started = apr_time_now();

    rv = ne_store_changed(&q->st, q->r->pool, &q->changed, &q->generation);
    if (rv != APR_SUCCESS && mne_store_recover(q->r, &q->st, q->dbd, rv, q->conf.prefix)) {
        rv = ne_store_changed(&q->st, q->r->pool, &q->changed, &q->generation);
    }
    if ((q->failure = rv) != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    /* The cache answers for the store's current generation only. */
    if (sc->cache != NULL && (q->format != NE_FMT_NONE || !q->negotiated)) {
        *key = mne_cache_key(q);
        if ((*hit = ne_cache_get(sc->cache, q->r->pool, *key, q->generation, a))) {
            mne_notes(q, apr_time_now() - started, "hit");
            return OK;
        }
    }
    rv = mne_fetch(q);
    if (rv != APR_SUCCESS && rv != APR_ENOENT
        && mne_store_recover(q->r, &q->st, q->dbd, rv, q->conf.prefix)) {
        rv = mne_fetch(q);
    }
    if (rv == APR_ENOENT && q->rt->kind == NE_ROUTE_EVENT
        && mne_store_absence(q->r, &q->st, q->dbd, q->conf.prefix, q->rt->key, q->rt->slug,
                             &q->gone, &q->moved_date, &q->moved_slug) != APR_SUCCESS) {
        q->gone = 0;
        q->moved_date = NULL;
    }
    mne_notes(q, apr_time_now() - started, *key ? "miss" : "-");
    q->failure = rv;
    return rv == APR_ENOENT ? HTTP_NOT_FOUND : rv != APR_SUCCESS ? HTTP_SERVICE_UNAVAILABLE
                                                                  : OK;
}

static int mne_serve(mne_req_t *q)
{
    const mne_server_conf_t *sc = ap_get_module_config(q->r->server->module_config,
                                                       &newsevent_module);
    const char *key = NULL;
    ne_cached_t a;
    int status, hit = 0;

    if ((q->dbd = mne_store_open(q->r, &q->st)) == NULL) {
        return mne_unavailable(q, mne_store_why_none(q->r));
    }
    status = mne_gather(q, &key, &a, &hit);
    mne_store_close(q->r, &q->st, &q->dbd);
    if (status == HTTP_SERVICE_UNAVAILABLE && q->failure == APR_ENOTIMPL) {
        apr_table_setn(q->r->headers_out, "Retry-After", MNE_RETRY_AFTER);
        return mne_problem(q, HTTP_SERVICE_UNAVAILABLE, "Search is not available yet: the "
                           "archive's store predates it and awaits an upgrade.", NULL);
    }
    if (status == HTTP_SERVICE_UNAVAILABLE) {
        return mne_unavailable(q, q->st.error);
    }
    if (status == HTTP_NOT_FOUND && q->gone) {
        return mne_problem(q, HTTP_GONE, "This event was deleted from the archive.", NULL);
    }
    if (status == HTTP_NOT_FOUND && q->moved_date != NULL) {
        apr_table_setn(q->r->headers_out, "Location", ap_construct_url(q->r->pool,
                       ne_url_event(q->r->pool, &q->conf.opts, q->moved_date, q->moved_slug,
                                    q->rt->format), q->r));
        return HTTP_MOVED_PERMANENTLY;
    }
    if (status == HTTP_NOT_FOUND) {
        return mne_problem(q, HTTP_NOT_FOUND, mne_missing(q), NULL);
    }
    if (hit) {
        return mne_respond(q, &a);
    }
    if (q->format == NE_FMT_NONE && q->negotiated) {     /* feeds are never negotiated */
        return mne_not_acceptable(q);
    }
    mne_render_answer(q, &a);
    if (key != NULL) {
        ne_cache_put(sc->cache, key, q->generation, &a);
    }
    return mne_respond(q, &a);
}

/* The representation: the URL's extension when it has one the location
 * serves, else what the Accept header prefers. Errors follow it, or, when
 * there is none, the negotiation, or the location's preferred format. */
static void mne_choose_format(mne_req_t *q)
{
    const ne_format_set_t *served = q->conf.opts.formats;
    ne_format_e accepted = ne_accept_choose(apr_table_get(q->r->headers_in, "Accept"),
                                            served, q->conf.preferred);
    int fixed = mne_fixed_type(q->rt->kind) != NULL;

    q->negotiated = q->rt->format == NE_FMT_NONE && !fixed;
    if (fixed) {
        q->format = NE_FMT_NONE;          /* Atom, whatever the Accept header says */
    }
    else if (!q->negotiated) {
        q->format = ne_format_set_has(served, q->rt->format) ? q->rt->format : NE_FMT_NONE;
    }
    else {
        q->format = accepted;
    }
    q->error_negotiated = q->negotiated || q->format == NE_FMT_NONE;
    q->error_format = q->format != NE_FMT_NONE ? q->format
                      : accepted != NE_FMT_NONE ? accepted : q->conf.preferred;
}

/* The resources that exist only where search is on. */
static int mne_searches(ne_route_kind_e kind)
{
    return kind == NE_ROUTE_SEARCH || kind == NE_ROUTE_SEARCH_FEED
           || kind == NE_ROUTE_OPENSEARCH;
}

int mne_handler(request_rec *r)
{
    mne_req_t q;
    const char *why;

    if (r->handler == NULL || strcmp(r->handler, MNE_HANDLER) != 0) {
        return DECLINED;
    }
    memset(&q, 0, sizeof(q));
    q.r = r;
    q.rt = ap_get_module_config(r->request_config, &newsevent_module);
    if (q.rt == NULL) {
        return HTTP_NOT_FOUND;     /* SetHandler newsevent outside the base path */
    }
    mne_conf_for_request(r, &q.conf);
    q.conf.opts.origin = mne_origin(r);
    mne_choose_format(&q);
    mne_headers_common(r, &q.conf);
    if (mne_headers_preflight(r, &q.conf)) {
        r->status = HTTP_NO_CONTENT;
        return OK;
    }
    if (q.conf.write && mne_write_method(r)) {
        return mne_write(&q);
    }
    if (r->method_number != M_GET) {
        apr_table_setn(r->headers_out, "Allow", q.conf.write ? mne_write_allow(q.rt)
                                                             : "GET, HEAD");
        return mne_problem(&q, HTTP_METHOD_NOT_ALLOWED,
                           apr_psprintf(r->pool, "The news archive answers GET and HEAD, "
                                       "not %s.", ne_text_clean(r->pool, r->method)), NULL);
    }
    if (q.rt->kind == NE_ROUTE_REDIRECT) {
        apr_table_setn(r->headers_out, "Location",
                       ap_construct_url(r->pool, r->args ? apr_pstrcat(r->pool, q.rt->location,
                                        "?", r->args, NULL) : q.rt->location, r));
        return HTTP_MOVED_PERMANENTLY;
    }
    if (q.rt->kind == NE_ROUTE_NOT_FOUND) {
        return mne_problem(&q, HTTP_NOT_FOUND, "There is nothing at this address.", NULL);
    }
    if (q.format == NE_FMT_NONE && q.rt->format != NE_FMT_NONE) {
        return mne_problem(&q, HTTP_NOT_FOUND, apr_psprintf(r->pool, "This archive does not "
                          "serve .%s documents here.", ne_format_ext(q.rt->format)), NULL);
    }
    if ((q.page = mne_page_param(r)) < 0) {
        return mne_problem(&q, HTTP_BAD_REQUEST, "The page parameter must be a whole number "
                          "from 1.", NULL);
    }
    if (q.rt->kind == NE_ROUTE_EVENT || mne_fixed_type(q.rt->kind) != NULL) {
        q.page = 1;          /* not paged: one cache entry, whatever ?page says */
    }
    if (mne_searches(q.rt->kind) && !q.conf.opts.search) {
        return mne_problem(&q, HTTP_NOT_FOUND, "This archive offers no search here.", NULL);
    }
    if ((q.rt->kind == NE_ROUTE_SEARCH || q.rt->kind == NE_ROUTE_SEARCH_FEED)
        && (why = mne_search_params(r, &q.search)) != NULL) {
        return mne_problem(&q, HTTP_BAD_REQUEST, why, NULL);
    }
    q.search.page = q.page;
    q.search.page_size = q.conf.search_page_size;
    if (q.rt->kind == NE_ROUTE_SEARCH_FEED) {
        q.search.by_date = 1;                /* a feed is newest first */
        q.search.page_size = q.conf.page_size;
    }
    return mne_serve(&q);
}
