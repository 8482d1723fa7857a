/* SPDX-License-Identifier: Apache-2.0 */
/* ne_url: the archive's URL scheme and the lists' titles and parents,
 * below every renderer and the handler. */
#include "ne_url.h"
#include "ne_render.h"

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

/* "YYYY-MM-DD" -> "YYYY/MM/DD", "YYYY-MM" -> "YYYY/MM" */
static const char *ne_url_date(apr_pool_t *p, const char *date)
{
    char *s = apr_pstrdup(p, date), *c;

    for (c = s; *c; c++) {
        if (*c == '-') {
            *c = '/';
        }
    }
    return s;
}

static const char *ne_url_ext(ne_format_e f)
{
    return f == NE_FMT_NONE ? "" : ne_format_ext(f);
}

const char *ne_url_event(apr_pool_t *p, const ne_render_opts_t *o, const char *date,
                         const char *slug, ne_format_e f)
{
    return apr_pstrcat(p, o->base, "/", ne_url_date(p, date), "/", slug,
                       f == NE_FMT_NONE ? "" : ".", ne_url_ext(f), NULL);
}

const char *ne_url_day(apr_pool_t *p, const ne_render_opts_t *o, const char *date,
                       ne_format_e f)
{
    return ne_url_list(p, o, NE_LIST_DAY, date, f, 1);
}

const char *ne_url_topic(apr_pool_t *p, const ne_render_opts_t *o, const char *slug,
                         ne_format_e f)
{
    return ne_url_list(p, o, NE_LIST_TOPIC, slug, f, 1);
}

const char *ne_url_list(apr_pool_t *p, const ne_render_opts_t *o, ne_list_kind_e kind,
                        const char *key, ne_format_e f, int page)
{
    const char *path, *query = page > 1 ? apr_psprintf(p, "?page=%d", page) : "";

    if (kind == NE_LIST_SEARCH) {      /* key: the query string, encoded already */
        return apr_pstrcat(p, o->base, "/search", f == NE_FMT_NONE ? "" : ".", ne_url_ext(f),
                           "?", key, page > 1 ? apr_psprintf(p, "&page=%d", page) : "",
                           NULL);
    }
    if (kind == NE_LIST_TOPIC) {
        path = apr_pstrcat(p, o->base, "/topics/", key, f == NE_FMT_NONE ? "" : ".",
                           ne_url_ext(f), NULL);
    }
    else {
        path = apr_pstrcat(p, o->base, "/", kind == NE_LIST_FRONT ? "" : ne_url_date(p, key),
                           kind == NE_LIST_FRONT ? "" : "/",
                           f == NE_FMT_NONE ? "" : "index.", ne_url_ext(f), NULL);
    }
    return apr_pstrcat(p, path, query, NULL);
}

const char *ne_url_search_feed(apr_pool_t *p, const ne_render_opts_t *o, const char *key)
{
    return apr_pstrcat(p, o->base, "/search.atom?", key, NULL);
}

const char *ne_url_feed(apr_pool_t *p, const ne_render_opts_t *o, const char *slug)
{
    return slug ? apr_pstrcat(p, o->base, "/topics/", slug, ".atom", NULL)
                : apr_pstrcat(p, o->base, "/feed.atom", NULL);
}

/* True when key starts with "YYYY" (len 4) or "YYYY-MM" (len 7). */
static int ne_key_prefix(const char *key, apr_size_t len)
{
    static const char shape[] = "dddd-dd";
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (shape[i] == 'd' ? !(key[i] >= '0' && key[i] <= '9') : key[i] != shape[i]) {
            return 0;
        }
    }
    return 1;
}

const char *ne_month_name(apr_pool_t *p, const char *key)
{
    static const char *const names[12] = {
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"
    };
    int m = ne_key_prefix(key, 7) ? atoi(key + 5) : 0;

    return m >= 1 && m <= 12 ? apr_psprintf(p, "%s %.4s", names[m - 1], key) : key;
}

const char *ne_list_title(apr_pool_t *p, const ne_render_opts_t *o, const ne_list_t *l)
{
    switch (l->kind) {
    case NE_LIST_MONTH: return ne_month_name(p, l->key);
    case NE_LIST_FRONT: return o->site_title;
    case NE_LIST_TOPIC: return l->name;
    case NE_LIST_SEARCH: return apr_pstrcat(p, "Search: ", l->name, NULL);
    default: return l->key;
    }
}

const char *ne_list_kind_name(ne_list_kind_e kind)
{
    static const char *const names[] = {"day", "month", "year", "front", "topic", "search"};
    return names[kind];
}

const char *ne_list_key_name(ne_list_kind_e kind)
{
    static const char *const names[] = {"date", "month", "year", "", "slug", "query"};
    return names[kind];
}

int ne_list_parents(apr_pool_t *p, ne_list_kind_e kind, const char *key, ne_crumb_t out[3])
{
    int n = 0;

    if (kind == NE_LIST_FRONT) {
        return 0;
    }
    out[n].kind = NE_LIST_FRONT;
    out[n++].key = "";
    /* Only real dates have a year and a month above them: a date of bad
     * stored data must not be cut inside a character. */
    if ((kind == NE_LIST_MONTH || kind == NE_LIST_DAY) && ne_key_prefix(key, 4)) {
        out[n].kind = NE_LIST_YEAR;
        out[n++].key = apr_pstrndup(p, key, 4);
    }
    if (kind == NE_LIST_DAY && ne_key_prefix(key, 7)) {
        out[n].kind = NE_LIST_MONTH;
        out[n++].key = apr_pstrndup(p, key, 7);
    }
    return n;
}
