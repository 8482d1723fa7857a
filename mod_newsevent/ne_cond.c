/* SPDX-License-Identifier: Apache-2.0 */
/* ne_cond: RFC 9110 section 13.2.2, the order of preconditions. */
#include "ne_cond.h"

#include <string.h>
#include <apr_date.h>

static const char *ne_cond_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* One entity-tag at p: W/ (weak) and the quoted opaque tag, its quotes
 * included, at *tag with *len bytes. The next byte after it, or NULL when
 * p holds no well-formed entity-tag. */
static const char *ne_cond_etag(const char *p, int *weak, const char **tag, size_t *len)
{
    const char *end;

    *weak = p[0] == 'W' && p[1] == '/';
    if (*weak) {
        p += 2;
    }
    if (*p != '"' || (end = strchr(p + 1, '"')) == NULL) {
        return NULL;
    }
    *tag = p;
    *len = (size_t)(end - p + 1);
    return end + 1;
}

int ne_cond_etag_listed(const char *field, const char *etag, int strong)
{
    const char *p = ne_cond_ows(field), *tag;
    int mine_weak = etag != NULL && etag[0] == 'W' && etag[1] == '/', weak;
    const char *mine = etag && mine_weak ? etag + 2 : etag;
    size_t len;

    if (etag == NULL) {
        return 0;
    }
    if (*p == '*' && *ne_cond_ows(p + 1) == '\0') {
        return 1;
    }
    while (*p) {
        if (*p == ',') {
            p = ne_cond_ows(p + 1);
            continue;
        }
        if ((p = ne_cond_etag(p, &weak, &tag, &len)) == NULL) {
            return 0;                   /* malformed: matches nothing */
        }
        if (strlen(mine) == len && memcmp(mine, tag, len) == 0
            && (!strong || (!weak && !mine_weak))) {
            return 1;
        }
        p = ne_cond_ows(p);
    }
    return 0;
}

/* A date field's time, or 0 when it is no HTTP-date (then it is ignored,
 * as RFC 9110 says). */
static apr_time_t ne_cond_date(const char *field)
{
    apr_time_t t = field ? apr_date_parse_http(field) : APR_DATE_BAD;

    return t == APR_DATE_BAD ? 0 : t;
}

/* The representation changed after the date (to the second, as HTTP-dates
 * are). */
static int ne_cond_after(apr_time_t last_modified, apr_time_t date)
{
    return apr_time_sec(last_modified) > apr_time_sec(date);
}

ne_cond_e ne_cond_evaluate(const ne_cond_req_t *c, const char *etag,
                           apr_time_t last_modified)
{
    apr_time_t date;

    if (c->if_match != NULL) {
        if (!ne_cond_etag_listed(c->if_match, etag, 1)) {
            return NE_COND_FAILED;
        }
    }
    else if ((date = ne_cond_date(c->if_unmodified_since)) != 0 && last_modified != 0
             && ne_cond_after(last_modified, date)) {
        return NE_COND_FAILED;
    }
    if (c->if_none_match != NULL) {
        if (ne_cond_etag_listed(c->if_none_match, etag, 0)) {
            return c->get_or_head ? NE_COND_NOT_MODIFIED : NE_COND_FAILED;
        }
    }
    else if (c->get_or_head && (date = ne_cond_date(c->if_modified_since)) != 0
             && last_modified != 0 && !ne_cond_after(last_modified, date)
             && (c->now == 0 || !ne_cond_after(date, c->now))) {
        return NE_COND_NOT_MODIFIED;
    }
    return NE_COND_PROCEED;
}
