/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_accept.h"

#include <string.h>
#include <apr_lib.h>

/* The media types we can answer with. text/xml is an alias of XML that we
 * never send: only a range naming it exactly selects XML through it, as
 * a text or any-type wildcard must not bring application/xml. */
static const struct {
    const char *type;
    const char *subtype;
    ne_format_e format;
    int alias;
} ne_accept_types[] = {
    {"text", "html", NE_FMT_HTML, 0},
    {"application", "json", NE_FMT_JSON, 0},
    {"application", "xml", NE_FMT_XML, 0},
    {"text", "xml", NE_FMT_XML, 1},
    {"text", "markdown", NE_FMT_MD, 0},
};
#define NE_ACCEPT_NTYPES (sizeof(ne_accept_types) / sizeof(ne_accept_types[0]))

/* How specifically a range named a type: 0 not at all, 1 "*" "/" "*",
 * 2 type/"*", 3 type/subtype, 4 type/subtype;charset=utf-8. */
typedef struct ne_match {
    int specificity;
    int q;              /* 0..1000 */
} ne_match_t;

/* One parsed media range. */
typedef struct ne_range {
    const char *type;
    apr_size_t type_len;
    const char *subtype;
    apr_size_t subtype_len;
    int q;
    int params;         /* 0 none, 1 charset=utf-8 only, 2 others */
} ne_range_t;

static int ne_tchar(char c)
{
    return apr_isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *ne_skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

static const char *ne_token(const char *p, apr_size_t *len)
{
    const char *s = p;

    while (ne_tchar(*p)) {
        p++;
    }
    *len = (apr_size_t)(p - s);
    return p;
}

/* A quoted-string at p (which is '"'): the end after it, or NULL. */
static const char *ne_quoted(const char *p)
{
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1] != '\0') {
            p++;
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static int ne_qvalue(const char *s, apr_size_t len, int *q)
{
    apr_size_t i;
    int v = 0, scale = 100;

    if (len == 0 || (s[0] != '0' && s[0] != '1') || len > 5 || (len > 1 && s[1] != '.')) {
        return 0;
    }
    for (i = 2; i < len; i++) {
        if (!apr_isdigit(s[i])) {
            return 0;
        }
        v += (s[i] - '0') * scale;
        scale /= 10;
    }
    *q = (s[0] - '0') * 1000 + v;
    return *q <= 1000;
}

static int ne_eq(const char *a, apr_size_t alen, const char *b)
{
    return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

/* Parameters after a media range, up to the next top-level ',' or the end.
 * Returns where parsing stopped, or NULL when the range is malformed. */
static const char *ne_params(const char *p, ne_range_t *r)
{
    int after_q = 0;

    for (;;) {
        const char *name, *value;
        apr_size_t nlen, vlen;
        p = ne_skip_ows(p);
        if (*p != ';') {
            return (*p == ',' || *p == '\0') ? p : NULL;
        }
        p = ne_skip_ows(p + 1);
        if (*p == ';' || *p == ',' || *p == '\0') {
            continue;           /* an empty parameter */
        }
        name = p;
        p = ne_token(p, &nlen);
        if (nlen == 0 || *p != '=') {
            return NULL;
        }
        value = ++p;
        if (*p == '"') {
            if ((p = ne_quoted(p)) == NULL) {
                return NULL;
            }
            vlen = (apr_size_t)(p - value);
        }
        else {
            p = ne_token(p, &vlen);
        }
        if (after_q) {
            continue;           /* accept-ext: ignored */
        }
        if (ne_eq(name, nlen, "q")) {
            if (!ne_qvalue(value, vlen, &r->q)) {
                return NULL;
            }
            after_q = 1;
        }
        else if (ne_eq(name, nlen, "charset")
                 && (ne_eq(value, vlen, "utf-8") || ne_eq(value, vlen, "\"utf-8\""))) {
            r->params = r->params > 1 ? r->params : 1;
        }
        else {
            r->params = 2;
        }
    }
}

/* Parse one range at p. Returns the position of the next top-level ',' or
 * the end; r->type is NULL when the range was malformed or empty. */
static const char *ne_range(const char *p, ne_range_t *r)
{
    const char *end;

    memset(r, 0, sizeof(*r));
    r->q = 1000;
    p = ne_skip_ows(p);
    if (*p == ',' || *p == '\0') {
        return p;
    }
    r->type = p;
    p = ne_token(p, &r->type_len);
    if (r->type_len > 0 && *p == '/') {
        r->subtype = p + 1;
        p = ne_token(p + 1, &r->subtype_len);
        if (r->subtype_len > 0
            && !(ne_eq(r->type, r->type_len, "*") && !ne_eq(r->subtype, r->subtype_len, "*"))
            && (end = ne_params(p, r)) != NULL) {
            return end;
        }
    }
    /* Malformed: skip to the next top-level comma. */
    r->type = NULL;
    while (*p && *p != ',') {
        if (*p == '"') {
            const char *q = ne_quoted(p);
            p = q ? q : p + strlen(p);
        }
        else {
            p++;
        }
    }
    return p;
}

static int ne_range_specificity(const ne_range_t *r, size_t t)
{
    if (ne_eq(r->type, r->type_len, "*")) {
        return ne_accept_types[t].alias ? 0 : 1;
    }
    if (!ne_eq(r->type, r->type_len, ne_accept_types[t].type)) {
        return 0;
    }
    if (ne_eq(r->subtype, r->subtype_len, "*")) {
        return ne_accept_types[t].alias ? 0 : 2;
    }
    if (!ne_eq(r->subtype, r->subtype_len, ne_accept_types[t].subtype) || r->params == 2) {
        return 0;
    }
    return r->params == 1 ? 4 : 3;
}

/* Fold one range into the matches of every type it names. */
static void ne_accept_range(const ne_range_t *r, ne_match_t *m)
{
    size_t t;

    for (t = 0; t < NE_ACCEPT_NTYPES; t++) {
        int spec = ne_range_specificity(r, t);
        if (spec > m[t].specificity) {
            m[t].specificity = spec;
            m[t].q = r->q;
        }
        else if (spec == m[t].specificity && spec > 0 && r->q > m[t].q) {
            m[t].q = r->q;
        }
    }
}

/* A format's match: that of the type it is sent as. An alias (text/xml for
 * XML) can only add to it, where that type was not named itself
 * (type/subtype): "application/xml;q=0, text/xml" excludes XML, which would
 * go out as application/xml; a wildcard at q=0.1 with text/xml takes 1;
 * "application/(any), text/xml;q=0" keeps the wildcard's 1. */
static ne_match_t ne_format_match(const ne_match_t *m, ne_format_e f)
{
    ne_match_t sent = {0, 0}, alias = {0, 0};
    size_t t;

    for (t = 0; t < NE_ACCEPT_NTYPES; t++) {
        if (ne_accept_types[t].format == f) {
            *(ne_accept_types[t].alias ? &alias : &sent) = m[t];
        }
    }
    if (sent.specificity < 3
        && (alias.q > sent.q || (alias.q == sent.q && alias.specificity > sent.specificity))) {
        return alias;
    }
    return sent;
}

ne_format_e ne_accept_choose(const char *accept, const ne_format_set_t *offered,
                             ne_format_e preferred)
{
    ne_match_t m[NE_ACCEPT_NTYPES];
    ne_format_e order[NE_FMT_COUNT], best = NE_FMT_NONE;
    ne_match_t best_match = {0, 0};
    int i, n = 0, ranges = 0;
    const char *p = accept ? accept : "";

    memset(m, 0, sizeof(m));
    while (*p) {
        ne_range_t r;
        p = ne_range(p, &r);
        if (r.type != NULL) {
            ne_accept_range(&r, m);
            ranges++;
        }
        if (*p == ',') {
            p++;
        }
    }
    if (ranges == 0) {
        for (i = 0; i < (int)NE_ACCEPT_NTYPES; i++) {
            m[i].specificity = ne_accept_types[i].alias ? 0 : 1;
            m[i].q = 1000;
        }
    }
    /* The tie-break order: the preferred format first, then the offered. */
    if (ne_format_set_has(offered, preferred)) {
        order[n++] = preferred;
    }
    for (i = 0; i < offered->n; i++) {
        if (offered->order[i] != preferred) {
            order[n++] = offered->order[i];
        }
    }
    for (i = 0; i < n; i++) {
        ne_match_t fm = ne_format_match(m, order[i]);
        if (fm.q > best_match.q
            || (fm.q == best_match.q && fm.q > 0 && fm.specificity > best_match.specificity)) {
            best = order[i];
            best_match = fm;
        }
    }
    return best;
}
