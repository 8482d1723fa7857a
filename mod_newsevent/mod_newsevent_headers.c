/* SPDX-License-Identifier: Apache-2.0 */
/* The headers every answer of the module carries beside its body:
 * X-Content-Type-Options, the Content-Security-Policy of HTML pages, and
 * CORS for the read API (NewsEventContentSecurityPolicy, NewsEventCORS).
 * They go into err_headers_out, so that redirects, 304s and errors carry
 * them too. */
#include "mod_newsevent.h"
#include "ne_render_html.h"
#include "ne_sha256.h"

#include "apr_strings.h"
#include "http_protocol.h"

#include <string.h>

/* The built-in stylesheet's hash source, set once at start-up, before any
 * thread serves a request. */
static const char *mne_builtin_style = NULL;

void mne_headers_init(void)
{
    static char source[64];
    apr_pool_t *p;

    if (apr_pool_create(&p, NULL) != APR_SUCCESS) {
        return;
    }
    apr_cpystrn(source, ne_sha256_csp_source(p, ne_html_css, strlen(ne_html_css)),
                sizeof(source));
    mne_builtin_style = source;
    apr_pool_destroy(p);
}

const char *mne_set_csp(cmd_parms *cmd, mne_dir_conf_t *dc, const char *arg)
{
    const char *p;

    if (strcasecmp(arg, "default") == 0) {
        dc->csp = NULL;
        return NULL;
    }
    if (*arg == '\0') {
        return apr_psprintf(cmd->pool, "%s: the policy is empty (say none for no header, "
                            "default for the built-in one)", cmd->cmd->name);
    }
    for (p = arg; *p; p++) {
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F) {
            return apr_psprintf(cmd->pool, "%s: the policy holds a byte that is not "
                                "printable ASCII", cmd->cmd->name);
        }
    }
    dc->csp = strcasecmp(arg, "none") == 0 ? "" : arg;
    return NULL;
}

/* An origin as browsers send it: scheme "://" host [":" port], lower
 * case, nothing after. */
static int mne_origin_valid(const char *o)
{
    const char *host = strncmp(o, "https://", 8) == 0 ? o + 8
                       : strncmp(o, "http://", 7) == 0 ? o + 7 : NULL;

    if (host == NULL || *host == '\0') {
        return 0;
    }
    return strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789.-:[]") == strlen(host);
}

const char *mne_set_cors(cmd_parms *cmd, mne_dir_conf_t *dc, int argc, char *const argv[])
{
    apr_array_header_t *origins = apr_array_make(cmd->pool, argc, sizeof(const char *));
    int i;

    if (argc == 1 && strcasecmp(argv[0], "off") == 0) {
        dc->cors = origins;                  /* set and empty: overrides an inherited one */
        return NULL;
    }
    if (argc == 0) {
        return apr_psprintf(cmd->pool, "%s: name origins (https://example.org), * or off",
                            cmd->cmd->name);
    }
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "*") == 0 ? argc != 1 : !mne_origin_valid(argv[i])) {
            return apr_psprintf(cmd->pool, "%s: '%s' is not an origin such as "
                                "https://example.org (scheme, lower-case host, port; no "
                                "path), or * alone", cmd->cmd->name, argv[i]);
        }
        APR_ARRAY_PUSH(origins, const char *) = argv[i];
    }
    dc->cors = origins;
    return NULL;
}

/* Where the page's stylesheet comes from, as a CSP source: the built-in
 * one by its hash, the site's by its origin ('self' for a path). */
static const char *mne_style_source(apr_pool_t *p, const char *stylesheet)
{
    const char *host, *end;

    if (stylesheet == NULL) {
        return mne_builtin_style ? mne_builtin_style : "'none'";
    }
    if (stylesheet[0] == '/') {
        return "'self'";
    }
    host = strstr(stylesheet, "://") + 3;     /* an http(s) URL: the directive checked */
    end = host + strcspn(host, "/?#");
    return apr_pstrmemdup(p, stylesheet, (apr_size_t)(end - stylesheet));
}

/* The policy of the request's HTML answers: what the pages use and no
 * more (their stylesheet, http and https images, no script, the search
 * form to this site where search is on), or
 * the location's own; NULL for none. */
const char *mne_headers_csp(apr_pool_t *p, const mne_dir_conf_t *dc,
                            const ne_render_opts_t *o)
{
    if (dc->csp != NULL) {
        return *dc->csp ? dc->csp : NULL;
    }
    return apr_pstrcat(p, "default-src 'none'; style-src ", mne_style_source(p, o->stylesheet),
                       "; img-src http: https:; base-uri 'none'; form-action ",
                       o->search ? "'self'" : "'none'", NULL);
}

/* The origin the request names, when CORS lets it read: "*" or itself. */
static const char *mne_cors_allowed(request_rec *r, const mne_req_conf_t *c)
{
    const char *origin = apr_table_get(r->headers_in, "Origin");
    int i;

    for (i = 0; c->cors != NULL && i < c->cors->nelts; i++) {
        const char *o = APR_ARRAY_IDX(c->cors, i, const char *);
        if (strcmp(o, "*") == 0) {
            return "*";
        }
        if (origin != NULL && strcmp(o, origin) == 0) {
            return origin;
        }
    }
    return NULL;
}

void mne_headers_common(request_rec *r, const mne_req_conf_t *c)
{
    const char *allowed = mne_cors_allowed(r, c);

    apr_table_setn(r->err_headers_out, "X-Content-Type-Options", "nosniff");
    if (c->cors != NULL && strcmp(APR_ARRAY_IDX(c->cors, 0, const char *), "*") != 0) {
        apr_table_mergen(r->err_headers_out, "Vary", "Origin");
    }
    if (allowed != NULL) {
        apr_table_setn(r->err_headers_out, "Access-Control-Allow-Origin", allowed);
        apr_table_setn(r->err_headers_out, "Access-Control-Expose-Headers",
                       "ETag, Link, Location, Content-Location, Retry-After");
    }
}

/* The request headers a reader's script may send: the ones the archive
 * reads. */
static int mne_cors_header_allowed(const char *name, apr_size_t len)
{
    static const char *const names[] = {"accept", "accept-language", "if-none-match",
                                        "if-modified-since", "if-match",
                                        "if-unmodified-since", NULL};
    int i;

    for (i = 0; names[i]; i++) {
        if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0) {
            return 1;
        }
    }
    return 0;
}

/* A CORS preflight (OPTIONS with Access-Control-Request-Method) for a read
 * from an allowed origin: 1, its headers set (the caller answers 204). Any
 * other OPTIONS is 0: the handler's usual 405. */
int mne_headers_preflight(request_rec *r, const mne_req_conf_t *c)
{
    const char *method = apr_table_get(r->headers_in, "Access-Control-Request-Method");
    const char *asked = apr_table_get(r->headers_in, "Access-Control-Request-Headers");
    const char *p = asked;

    if (r->method_number != M_OPTIONS || method == NULL || mne_cors_allowed(r, c) == NULL
        || (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)) {
        return 0;
    }
    while (p != NULL && *p) {
        apr_size_t n;
        p += strspn(p, " \t,");
        n = strcspn(p, " \t,");
        if (n > 0 && !mne_cors_header_allowed(p, n)) {
            return 0;
        }
        p += n;
    }
    apr_table_setn(r->err_headers_out, "Access-Control-Allow-Methods", "GET, HEAD");
    if (asked != NULL && *asked) {
        apr_table_setn(r->err_headers_out, "Access-Control-Allow-Headers", asked);
    }
    apr_table_setn(r->err_headers_out, "Access-Control-Max-Age", "600");
    return 1;
}
