/* SPDX-License-Identifier: Apache-2.0 */
/* What a request gives beyond its path: the query string (?page=N, and a
 * search's q, sort, from, to and topic, decoded and checked; a 400 says
 * which is wrong), and the server's origin for absolute URLs. */
#include "mod_newsevent.h"
#include "ne_date.h"
#include "ne_search.h"
#include "ne_slug.h"

#include "apr_lib.h"
#include "apr_strings.h"
#include "http_core.h"
#include "http_protocol.h"

#include <string.h>

/* A form value decoded ('+' is a space); NULL when it holds a NUL or a
 * broken escape. */
static const char *mne_form_value(apr_pool_t *p, const char *v, apr_size_t n)
{
    char *out = apr_palloc(p, n + 1), *o = out;
    apr_size_t i;

    for (i = 0; i < n; i++) {
        if (v[i] == '+') {
            *o++ = ' ';
        }
        else if (v[i] != '%') {
            *o++ = v[i];
        }
        else if (i + 2 < n && apr_isxdigit(v[i + 1]) && apr_isxdigit(v[i + 2])) {
            char hex[3] = {v[i + 1], v[i + 2], '\0'};
            if ((*o++ = (char)strtol(hex, NULL, 16)) == '\0') {
                return NULL;
            }
            i += 2;
        }
        else {
            return NULL;
        }
    }
    *o = '\0';
    return out;
}

/* A value in the query string's own encoding: letters, digits and -._~
 * kept, a space as '+', every other byte %XX. */
static const char *mne_form_encode(apr_pool_t *p, const char *s)
{
    char *out = apr_palloc(p, 3 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        if (apr_isalnum(*s) || strchr("-._~", *s)) {
            *o++ = *s;
        }
        else if (*s == ' ') {
            *o++ = '+';
        }
        else {
            o += apr_snprintf(o, 4, "%%%02X", (unsigned char)*s);
        }
    }
    *o = '\0';
    return out;
}

/* The value of `name` in the query string (the first), or NULL; *bad set
 * when it cannot be decoded. */
static const char *mne_form_get(request_rec *r, const char *name, int *bad)
{
    const char *p = r->args, *end;
    apr_size_t n = strlen(name);

    for (; p != NULL && *p; p = *end ? end + 1 : end) {
        end = p + strcspn(p, "&;");
        if ((apr_size_t)(end - p) > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            const char *v = mne_form_value(r->pool, p + n + 1, (apr_size_t)(end - p - n - 1));
            *bad |= v == NULL;
            return v;
        }
    }
    return NULL;
}

static int mne_search_date(const char *v)
{
    ne_date_t d;

    return v == NULL || (strlen(v) == 10 && ne_date_parse(v, 10, &d));
}

const char *mne_search_params(request_rec *r, ne_search_query_t *sq)
{
    int bad = 0;
    const char *q = mne_form_get(r, "q", &bad), *sort = mne_form_get(r, "sort", &bad);
    const char *from = mne_form_get(r, "from", &bad), *to = mne_form_get(r, "to", &bad);
    const char *topic = mne_form_get(r, "topic", &bad), *why = NULL;
    ne_search_t *s;

    if (bad) {
        return "The query string holds a NUL or a broken %-escape.";
    }
    if ((s = ne_search_parse(r->pool, q, &why)) == NULL) {
        return why;
    }
    if (sort != NULL && strcmp(sort, "relevance") != 0 && strcmp(sort, "date") != 0) {
        return "sort must be relevance or date.";
    }
    if (!mne_search_date(from) || !mne_search_date(to)) {
        return "from and to must be real dates written YYYY-MM-DD.";
    }
    if (topic != NULL && *topic && !ne_slug_valid(topic, strlen(topic))) {
        return "topic must be a topic's slug, as in /news/topics/SLUG.";
    }
    sq->search = s;
    sq->by_date = sort != NULL && strcmp(sort, "date") == 0;
    sq->from = from ? from : NE_SEARCH_FROM_ANY;
    sq->to = to ? to : NE_SEARCH_TO_ANY;
    sq->topic = topic ? topic : "";
    sq->key = apr_pstrcat(r->pool, "q=", mne_form_encode(r->pool, s->text),
                          sq->by_date ? "&sort=date" : "", from ? "&from=" : "",
                          from ? from : "", to ? "&to=" : "", to ? to : "",
                          *sq->topic ? "&topic=" : "", sq->topic, NULL);
    return NULL;
}

/* ?page=N: 1 when absent, -1 when not a whole number from 1 to 1000000. */
int mne_page_param(request_rec *r)
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

/* The server's own scheme, name and port, for the feeds' absolute URLs
 * and ids: from its ServerName, not from the client's Host header, so that
 * a feed's ids stay the same whoever asks. */
const char *mne_origin(request_rec *r)
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
