/* Request in, core called, headers and brigade out. translate_name claims
 * the base path and keeps the parsed route in the request; the handler
 * negotiates the representation, asks the store, renders, and lets Apache
 * answer conditional requests from the validators. */
#include "mod_newsevent.h"
#include "ne_accept.h"
#include "ne_store.h"
#include "ne_text.h"

#include "apr_strings.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"

#include <libxml/parser.h>

APLOG_USE_MODULE(newsevent);

/* Set once at start-up, before any thread serves a request. */
static APR_OPTIONAL_FN_TYPE(ap_dbd_open) *ne_dbd_open = NULL;
static APR_OPTIONAL_FN_TYPE(ap_dbd_close) *ne_dbd_close = NULL;

/* One request's choices. */
typedef struct ne_req {
    request_rec *r;
    const ne_route_t *rt;
    ne_req_conf_t conf;
    ne_format_e format;      /* the representation; NE_FMT_NONE: none acceptable */
    ne_format_e error_format;
    int negotiated;          /* the URL has no extension: Accept decided */
    int error_negotiated;    /* an error's format came from Accept */
    int page;                /* ?page=N of a paged list; 1 when absent */
    ne_store_t st;
    ap_dbd_t *dbd;
    apr_time_t changed;      /* when an import last changed the store */
    apr_int64_t generation;  /* and its count of such imports: the cache's key */
    const char *link;        /* a Link header for a paged list, or NULL */
    ne_event_t *event;       /* what the store gave */
    ne_list_t *list;
    ne_feed_t feed;
} ne_req_t;

int ne_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    (void)pconf; (void)plog; (void)ptemp; (void)s;
    /* Without mod_dbd no server may serve the archive (ne_check_config
     * refuses NewsEvent On then), and the module stays idle. */
    ne_dbd_open = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_open);
    ne_dbd_close = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_close);
    /* Once, before threads start; never cleaned up, as other modules in the
     * process may use libxml2 too. */
    xmlInitParser();
    return OK;
}

/* Each child gets one cache of rendered answers, shared by its threads and
 * its virtual hosts (their keys differ), sized by the main server. */
void ne_child_init(apr_pool_t *pchild, server_rec *s)
{
    const ne_server_conf_t *main_conf = ap_get_module_config(s->module_config,
                                                             &newsevent_module);
    apr_off_t size = main_conf->cache_size == -1 ? NE_DEFAULT_CACHE_SIZE
                                                 : main_conf->cache_size;
    ne_cache_t *cache = ne_cache_create(pchild, (apr_size_t)size);
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        ne_server_conf_t *sc = ap_get_module_config(sp->module_config, &newsevent_module);
        sc->cache = cache;
    }
}

int ne_translate_name(request_rec *r)
{
    const ne_server_conf_t *sc = ap_get_module_config(r->server->module_config,
                                                      &newsevent_module);
    const ne_dir_conf_t *dc = ap_get_module_config(r->per_dir_config, &newsevent_module);
    ne_route_t *rt;

    if (!sc->serves || !ne_conf_enabled(dc) || r->uri == NULL || r->uri[0] != '/') {
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

static int ne_send_bytes(request_rec *r, const char *content_type, const char *data,
                         apr_size_t len)
{
    apr_bucket_brigade *bb;
    apr_status_t rv;

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
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r, "newsevent: sending the response failed");
        return AP_FILTER_ERROR;
    }
    return OK;
}

static void ne_vary(ne_req_t *q, int negotiated)
{
    if (negotiated) {
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
    ne_vary(q, q->error_negotiated);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    return ne_send_bytes(r, ne_problem_media_type(q->error_format), out->data, out->len);
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

/* The list kind a route names. */
static ne_list_kind_e ne_list_kind(ne_route_kind_e kind)
{
    switch (kind) {
    case NE_ROUTE_DAY: return NE_LIST_DAY;
    case NE_ROUTE_MONTH: return NE_LIST_MONTH;
    case NE_ROUTE_YEAR: return NE_LIST_YEAR;
    case NE_ROUTE_FRONT: return NE_LIST_FRONT;
    default: return NE_LIST_TOPIC;
    }
}

static const char *ne_list_key(const ne_route_t *rt)
{
    return rt->kind == NE_ROUTE_TOPIC ? rt->slug : rt->key;
}

/* The URL of the requested resource in format f. */
static const char *ne_variant_url(ne_req_t *q, ne_format_e f)
{
    const ne_route_t *rt = q->rt;

    return rt->kind == NE_ROUTE_EVENT
           ? ne_url_event(q->r->pool, &q->conf.opts, rt->key, rt->slug, f)
           : ne_url_list(q->r->pool, &q->conf.opts, ne_list_kind(rt->kind), ne_list_key(rt),
                         f, q->page);
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

/* A strong ETag from what is sent: a digest of the body, so it differs per
 * representation and changes with anything shown. */
static const char *ne_etag(apr_pool_t *pool, const ne_buf_t *out)
{
    return apr_psprintf(pool, "\"%016" APR_UINT64_T_HEX_FMT "\"",
                        ne_bytes_digest(out->data, out->len));
}

/* An answer's headers, then 304 where the validators allow, else the body.
 * The Last-Modified is when an import last changed the store, which no page
 * can have changed after. */
static int ne_respond(ne_req_t *q, const ne_cached_t *a)
{
    request_rec *r = q->r;
    int status;

    ne_vary(q, q->negotiated);
    if (q->negotiated) {
        apr_table_setn(r->headers_out, "Content-Location", ne_variant_url(q, q->format));
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
    if ((status = ap_meets_conditions(r)) != OK) {
        return status;
    }
    return ne_send_bytes(r, a->content_type, a->body, a->len);
}

/* What identifies an answer in the cache: the server and every setting
 * that shapes it, the resource, the page, the representation. */
static const char *ne_cache_key(ne_req_t *q)
{
    const ne_req_conf_t *c = &q->conf;
    const ne_render_opts_t *o = &c->opts;
    char order[NE_FMT_COUNT + 1];
    int i;

    for (i = 0; i < o->formats->n; i++) {
        order[i] = (char)('0' + o->formats->order[i]);
    }
    order[i] = '\0';
    return apr_psprintf(q->r->pool, "%pp|%s|%s|%s|%s|%pp|%pp|%s|%s|%d|%d|%d|%d|%d|%d|%s|%d",
                        q->r->server, o->base, o->site_title, o->stylesheet ? o->stylesheet : "",
                        o->lang, o->header_html, o->footer_html, o->origin, order,
                        c->related_max, c->page_size, c->front_days, c->list_limit,
                        q->format, q->negotiated, q->r->uri, q->page);
}

/* A connection from mod_dbd's pool, as a store; 0 when there is none. It
 * is taken with ap_dbd_open rather than ap_dbd_acquire, which would hold it
 * until the request's pool goes, after the body has reached the client: a
 * few slow clients would then stall every other request of the child. */
static int ne_connect(ne_req_t *q)
{
    if (ne_dbd_open == NULL || (q->dbd = ne_dbd_open(q->r->pool, q->r->server)) == NULL) {
        return 0;
    }
    q->st.driver = q->dbd->driver;
    q->st.handle = q->dbd->handle;
    q->st.prepared = q->dbd->prepared;
    q->st.error = NULL;
    q->st.rows = 0;
    return 1;
}

/* Back to mod_dbd's pool, once what the store gave is in the request's pool
 * (both drivers copy or keep rows in the pool they were read into). */
static void ne_disconnect(ne_req_t *q)
{
    if (q->dbd != NULL) {
        ne_dbd_close(q->r->server, q->dbd);
        q->dbd = NULL;
        q->st.handle = NULL;
        q->st.prepared = NULL;
    }
}

/* Prepare every statement again on this connection, into mod_dbd's own
 * table; 1 when any could be. The statements live as long as the
 * connection, in a pool of their own that is dropped when none could be
 * prepared (a missing table, say), so that a store failing on every
 * request does not grow the connection. */
static int ne_reprepare(ne_req_t *q, const char *why, const char *after)
{
    const ne_stmt_t *const lists[] = {ne_store_read_stmts, ne_store_list_stmts, NULL};
    apr_pool_t *stmts;
    int i, prepared = 0;

    if (apr_pool_create(&stmts, q->dbd->pool) != APR_SUCCESS) {
        return 0;
    }
    for (i = 0; lists[i]; i++) {
        const ne_stmt_t *st;
        for (st = lists[i]; st->label != NULL; st++) {
            ne_stmt_t one[2] = {*st, {NULL, NULL}};
            prepared += ne_store_prepare(&q->st, stmts, one, q->conf.prefix) == APR_SUCCESS;
        }
    }
    q->st.error = apr_pstrdup(q->r->pool, why);     /* not the prepares' failures */
    if (prepared == 0) {
        apr_pool_destroy(stmts);
        return 0;
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, q->r, "newsevent: prepared %d statements "
                  "again %s", prepared, after);
    return 1;
}

/* A pooled connection that failed, healed if it can be (then 1: try
 * again). SQLite keeps what it read in its page cache, a corrupt page
 * included: after a damaged file is repaired, the cache is dropped so that
 * the connection reads the file again. A change of the SQLite store's
 * schema (an index made or dropped, ANALYZE) fails every statement the
 * connection had prepared, for good: the APR DBD driver prepares with the
 * legacy sqlite3_prepare, which never prepares again by itself. After
 * PostgreSQL restarts, a pooled connection fails once ("server closed the
 * connection"), then libpq reconnects (here, or at mod_dbd's next check)
 * into a new session without the prepared statements ("prepared statement
 * ... does not exist"). In the last two cases the statements are prepared
 * again (those still there fail harmlessly; SQLite's old ones are
 * finalized when the connection closes), and the pool heals itself.
 * Other failures (a statement timeout, a locked store) have nothing to
 * heal. */
static int ne_recover(ne_req_t *q)
{
    const char *why = q->st.error ? q->st.error : "";
    int nrows;

    if (strcmp(apr_dbd_name(q->st.driver), "sqlite3") == 0) {
        if (ap_strcasestr(why, "malformed") || ap_strcasestr(why, "not a database")
            || ap_strcasestr(why, "corrupt")) {
            apr_dbd_query(q->st.driver, q->st.handle, &nrows, "PRAGMA shrink_memory");
            return 1;
        }
        return ap_strcasestr(why, "schema has changed") != NULL
               && ne_reprepare(q, why, "after the SQLite store's schema changed");
    }
    if (strcmp(apr_dbd_name(q->st.driver), "pgsql") != 0
        || (!ap_strcasestr(why, "connection") && !ap_strcasestr(why, "does not exist"))
        || apr_dbd_check_conn(q->st.driver, q->r->pool, q->st.handle) != APR_SUCCESS) {
        return 0;
    }
    return ne_reprepare(q, why, "on a reconnected PostgreSQL connection");
}

/* Ask the store for what the route names. */
static apr_status_t ne_fetch(ne_req_t *q)
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
    default:
        lq.kind = ne_list_kind(q->rt->kind);
        lq.key = ne_list_key(q->rt);
        lq.page = q->page;
        lq.page_size = q->conf.page_size;
        lq.front_days = q->conf.front_days;
        lq.limit = q->conf.list_limit;
        return ne_store_list(&q->st, p, &lq, &q->list);
    }
}

static const char *ne_missing(ne_req_t *q)
{
    switch (q->rt->kind) {
    case NE_ROUTE_EVENT: return "There is no event at this address.";
    case NE_ROUTE_TOPIC_FEED: return "There is no such topic.";
    default: return q->page > 1 ? "This list has no such page." : "There are no events here.";
    }
}

/* Link: <...>; rel="prev", <...>; rel="next" between the pages of a list. */
static const char *ne_page_links(ne_req_t *q, const ne_list_t *l)
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
static void ne_notes(ne_req_t *q, apr_interval_time_t spent, const char *cache)
{
    request_rec *r = q->r;

    apr_table_setn(r->notes, "newsevent-cache", cache);
    apr_table_setn(r->notes, "newsevent-store-us", apr_psprintf(r->pool, "%" APR_TIME_T_FMT,
                                                                spent));
    apr_table_setn(r->notes, "newsevent-rows", apr_ltoa(r->pool, q->st.rows));
    apr_table_setn(r->notes, "newsevent-format",
                   q->rt->kind == NE_ROUTE_FEED || q->rt->kind == NE_ROUTE_TOPIC_FEED ? "atom"
                   : q->format == NE_FMT_NONE ? "none"
                   : apr_pstrcat(r->pool, ne_format_ext(q->format),
                                 q->negotiated ? "(negotiated)" : "", NULL));
}

/* Render what the store gave into an answer. */
static void ne_render_answer(ne_req_t *q, ne_cached_t *a)
{
    ne_buf_t *out = ne_buf_make(q->r->pool, 16384);

    a->link = NULL;
    if (q->rt->kind == NE_ROUTE_FEED || q->rt->kind == NE_ROUTE_TOPIC_FEED) {
        ne_render_feed(out, &q->conf.opts, &q->feed);
        a->content_type = NE_ATOM_MEDIA_TYPE;
    }
    else if (q->event != NULL) {
        ne_render_event(out, &q->conf.opts, q->format, q->event);
        a->content_type = ne_format_media_type(q->format);
    }
    else {
        a->link = ne_page_links(q, q->list);
        ne_render_list(out, &q->conf.opts, q->format, q->list);
        a->content_type = ne_format_media_type(q->format);
    }
    a->body = out->data;
    a->len = out->len;
    a->etag = ne_etag(q->r->pool, out);
}

/* Read from the store what the answer needs: from the cache (*hit set), or
 * the record or list itself; OK, or the status of an error answer. */
static int ne_gather(ne_req_t *q, const char **key, ne_cached_t *a, int *hit)
{
    const ne_server_conf_t *sc = ap_get_module_config(q->r->server->module_config,
                                                      &newsevent_module);
    apr_status_t rv;
    apr_time_t started = apr_time_now();

    rv = ne_store_changed(&q->st, q->r->pool, &q->changed, &q->generation);
    if (rv != APR_SUCCESS && ne_recover(q)) {
        rv = ne_store_changed(&q->st, q->r->pool, &q->changed, &q->generation);
    }
    if (rv != APR_SUCCESS) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    /* The cache answers for the store's current generation only. */
    if (sc->cache != NULL && (q->format != NE_FMT_NONE || !q->negotiated)) {
        *key = ne_cache_key(q);
        if ((*hit = ne_cache_get(sc->cache, q->r->pool, *key, q->generation, a))) {
            ne_notes(q, apr_time_now() - started, "hit");
            return OK;
        }
    }
    rv = ne_fetch(q);
    if (rv != APR_SUCCESS && rv != APR_ENOENT && ne_recover(q)) {
        rv = ne_fetch(q);
    }
    ne_notes(q, apr_time_now() - started, *key ? "miss" : "-");
    return rv == APR_ENOENT ? HTTP_NOT_FOUND : rv != APR_SUCCESS ? HTTP_SERVICE_UNAVAILABLE
                                                                  : OK;
}

static int ne_serve(ne_req_t *q)
{
    const ne_server_conf_t *sc = ap_get_module_config(q->r->server->module_config,
                                                      &newsevent_module);
    const char *key = NULL;
    ne_cached_t a;
    int status, hit = 0;

    if (!ne_connect(q)) {
        return ne_unavailable(q, "no database connection (see mod_dbd's message above; "
                              "check DBDriver and DBDParams)");
    }
    status = ne_gather(q, &key, &a, &hit);
    ne_disconnect(q);
    if (status == HTTP_SERVICE_UNAVAILABLE) {
        return ne_unavailable(q, q->st.error);
    }
    if (status == HTTP_NOT_FOUND) {
        return ne_problem(q, HTTP_NOT_FOUND, ne_missing(q), NULL);
    }
    if (hit) {
        return ne_respond(q, &a);
    }
    if (q->format == NE_FMT_NONE && q->negotiated) {     /* feeds are never negotiated */
        return ne_not_acceptable(q);
    }
    ne_render_answer(q, &a);
    if (key != NULL) {
        ne_cache_put(sc->cache, key, q->generation, &a);
    }
    return ne_respond(q, &a);
}

/* The server's own scheme, name and port, for the feeds' absolute URLs
 * and ids: from its ServerName, not from the client's Host header, so that
 * a feed's ids stay the same whoever asks. */
static const char *ne_origin(request_rec *r)
{
    apr_port_t port = r->server->port ? r->server->port
                      : r->connection->local_addr ? r->connection->local_addr->port : 0;
    const char *host = r->server->server_hostname ? r->server->server_hostname
                                                  : ap_get_server_name(r);

    if (port == 0 || port == ap_default_port(r)) {
        return apr_pstrcat(r->pool, ap_http_scheme(r), "://", host, NULL);
    }
    return apr_psprintf(r->pool, "%s://%s:%u", ap_http_scheme(r), host, (unsigned)port);
}

/* ?page=N: 1 when absent, -1 when not a whole number from 1 to 1000000. */
static int ne_page_param(request_rec *r)
{
    char *args, *pair, *last;

    if (r->args == NULL) {
        return 1;
    }
    args = apr_pstrdup(r->pool, r->args);
    for (pair = apr_strtok(args, "&", &last); pair; pair = apr_strtok(NULL, "&", &last)) {
        if (strncmp(pair, "page=", 5) == 0) {
            const char *v = pair + 5;
            apr_size_t n = strspn(v, "0123456789");
            long page = (n > 0 && n <= 7 && v[n] == '\0') ? atol(v) : -1;
            return page >= 1 && page <= 1000000 ? (int)page : -1;
        }
    }
    return 1;
}

/* The representation: the URL's extension when it has one the location
 * serves, else what the Accept header prefers. Errors follow it, or, when
 * there is none, the negotiation, or the location's preferred format. */
static void ne_choose_format(ne_req_t *q)
{
    const ne_format_set_t *served = q->conf.opts.formats;
    ne_format_e accepted = ne_accept_choose(apr_table_get(q->r->headers_in, "Accept"),
                                            served, q->conf.preferred);
    int feed = q->rt->kind == NE_ROUTE_FEED || q->rt->kind == NE_ROUTE_TOPIC_FEED;

    q->negotiated = q->rt->format == NE_FMT_NONE && !feed;
    if (feed) {
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

int ne_handler(request_rec *r)
{
    ne_req_t q;

    if (r->handler == NULL || strcmp(r->handler, NE_HANDLER) != 0) {
        return DECLINED;
    }
    memset(&q, 0, sizeof(q));
    q.r = r;
    q.rt = ap_get_module_config(r->request_config, &newsevent_module);
    if (q.rt == NULL) {
        return HTTP_NOT_FOUND;     /* SetHandler newsevent outside the base path */
    }
    ne_conf_for_request(r, &q.conf);
    q.conf.opts.origin = ne_origin(r);
    ne_choose_format(&q);
    if (r->method_number != M_GET) {
        apr_table_setn(r->headers_out, "Allow", "GET, HEAD");
        return ne_problem(&q, HTTP_METHOD_NOT_ALLOWED,
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
        return ne_problem(&q, HTTP_NOT_FOUND, "There is nothing at this address.", NULL);
    }
    if (q.format == NE_FMT_NONE && q.rt->format != NE_FMT_NONE) {
        return ne_problem(&q, HTTP_NOT_FOUND, apr_psprintf(r->pool, "This archive does not "
                          "serve .%s documents here.", ne_format_ext(q.rt->format)), NULL);
    }
    if ((q.page = ne_page_param(r)) < 0) {
        return ne_problem(&q, HTTP_BAD_REQUEST, "The page parameter must be a whole number "
                          "from 1.", NULL);
    }
    if (q.rt->kind == NE_ROUTE_EVENT || q.rt->kind == NE_ROUTE_FEED
        || q.rt->kind == NE_ROUTE_TOPIC_FEED) {
        q.page = 1;          /* not paged: one cache entry, whatever ?page says */
    }
    return ne_serve(&q);
}
