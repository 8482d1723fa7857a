/* SPDX-License-Identifier: Apache-2.0 */
#include "ne_route.h"
#include "ne_slug.h"

#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

/* The list kind of each directory level: the base, a year, a month, a day. */
static const ne_route_kind_e ne_level_kind[4] = {
    NE_ROUTE_FRONT, NE_ROUTE_YEAR, NE_ROUTE_MONTH, NE_ROUTE_DAY
};

int ne_route_base_valid(const char *base)
{
    const char *p;

    if (base[0] != '/' || base[1] == '\0') {
        return 0;
    }
    for (p = base; *p; p++) {
        if (*p == '/') {
            if (p[1] == '/' || p[1] == '\0') {
                return 0;
            }
        }
        else if (!apr_isalnum(*p) && !strchr("-._~", *p)) {
            return 0;
        }
    }
    return 1;
}

int ne_route_is_list(ne_route_kind_e kind)
{
    return kind >= NE_ROUTE_DAY && kind <= NE_ROUTE_TOPIC;
}

static ne_route_kind_e ne_route_set(ne_route_t *rt, ne_route_kind_e kind)
{
    rt->kind = kind;
    return kind;
}

/* Exactly n digits at p followed by '/' or the end: their value, or -1. */
static int ne_route_number(const char *p, int n)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (!apr_isdigit(p[i])) {
            return -1;
        }
        v = v * 10 + (p[i] - '0');
    }
    return (p[n] == '/' || p[n] == '\0') ? v : -1;
}

/* A leaf "NAME" or "NAME.EXT": sets the format, returns NAME's length, or
 * -1 for an extension we do not serve. ".atom" is left to the caller. */
static int ne_route_name(const char *leaf, ne_route_t *rt, int *atom)
{
    const char *dot = strchr(leaf, '.');

    *atom = 0;
    if (dot == NULL) {
        return (int)strlen(leaf);
    }
    if (strcmp(dot, ".atom") == 0) {
        *atom = 1;
    }
    else if ((rt->format = ne_format_from_ext(dot + 1, strlen(dot + 1))) == NE_FMT_NONE) {
        return -1;
    }
    return (int)(dot - leaf);
}

/* The leaf of a directory at `level` (0 the base, 3 a day), or of /topics/. */
static ne_route_kind_e ne_route_leaf(const char *leaf, int level, ne_route_t *rt)
{
    int atom, n;

    /* Documents of one type each, never negotiated. */
    if (level == 0 && strcmp(leaf, "opensearch.xml") == 0) {
        return ne_route_set(rt, NE_ROUTE_OPENSEARCH);
    }
    if (level == 0 && strcmp(leaf, "openapi.json") == 0) {
        return ne_route_set(rt, NE_ROUTE_OPENAPI);
    }
    if ((level == 0 || level == 2) && strcmp(leaf, "sitemap.xml") == 0) {
        return ne_route_set(rt, level == 0 ? NE_ROUTE_SITEMAP_INDEX : NE_ROUTE_SITEMAP);
    }
    n = ne_route_name(leaf, rt, &atom);

    if (n < 0 || strchr(leaf, '/') != NULL) {
        return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
    }
    if (level < 0) {                                   /* /topics/TOPIC */
        if (!ne_slug_valid(leaf, (apr_size_t)n)) {
            return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
        }
        rt->slug = leaf;
        return ne_route_set(rt, atom ? NE_ROUTE_TOPIC_FEED : NE_ROUTE_TOPIC);
    }
    if (n == 0 && !atom && rt->format == NE_FMT_NONE) {
        return ne_route_set(rt, ne_level_kind[level]);  /* "" */
    }
    if (level == 0 && atom && strcmp(leaf, "feed.atom") == 0) {
        return ne_route_set(rt, NE_ROUTE_FEED);
    }
    if (level == 0 && n == 6 && strncmp(leaf, "search", 6) == 0) {
        return ne_route_set(rt, atom ? NE_ROUTE_SEARCH_FEED : NE_ROUTE_SEARCH);
    }
    if (atom) {
        return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
    }
    if (n == 5 && strncmp(leaf, "index", 5) == 0) {
        return ne_route_set(rt, ne_level_kind[level]);
    }
    if (level == 3 && ne_slug_valid(leaf, (apr_size_t)n)) {
        rt->slug = leaf;
        return ne_route_set(rt, NE_ROUTE_EVENT);
    }
    return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
}

static int ne_route_lower(char *s)
{
    int changed = 0;

    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z') {
            *s = (char)(*s - 'A' + 'a');
            changed = 1;
        }
    }
    return changed;
}

/* Route a leaf; an upper-case spelling of a real one redirects to it. */
static ne_route_kind_e ne_route_leaf_or_lower(apr_pool_t *pool, const char *dir,
                                              const char *leaf, int level, ne_route_t *rt)
{
    ne_route_t saved = *rt;
    char *lower;

    if (ne_route_leaf(leaf, level, rt) != NE_ROUTE_NOT_FOUND) {
        if (rt->slug != NULL) {
            rt->slug = apr_pstrndup(pool, rt->slug, strcspn(rt->slug, "."));
        }
        return rt->kind;
    }
    lower = apr_pstrdup(pool, leaf);
    *rt = saved;
    if (ne_route_lower(lower) && ne_route_leaf(lower, level, rt) != NE_ROUTE_NOT_FOUND) {
        *rt = saved;
        rt->location = apr_pstrcat(pool, dir, lower, NULL);
        return ne_route_set(rt, NE_ROUTE_REDIRECT);
    }
    *rt = saved;
    return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
}

/* Descend /YYYY/MM/DD/ from p (just after a '/'): the level reached and the
 * date so far; *p is left at the leaf. */
static int ne_route_dirs(const char **pp, ne_route_t *rt, int *unfinished)
{
    static const int width[3] = {4, 2, 2};
    ne_date_t *d = &rt->date;
    const char *p = *pp;
    int level = 0, v;

    *unfinished = 0;
    while (level < 3 && (v = ne_route_number(p, width[level])) >= 0) {
        if (level == 0 && (v < 1 || v > 9999)) {
            break;
        }
        if (level == 1 && (v < 1 || v > 12)) {
            break;
        }
        if (level == 2 && !ne_date_valid(d->year, d->month, v)) {
            break;
        }
        *(level == 0 ? &d->year : level == 1 ? &d->month : &d->day) = v;
        p += width[level];
        level++;
        if (*p == '\0') {
            *unfinished = 1;      /* "/2017" rather than "/2017/" */
            break;
        }
        p++;
    }
    *pp = p;
    return level;
}

static void ne_route_key(ne_route_t *rt, int level)
{
    char full[11];

    ne_date_format(&rt->date, full);
    memcpy(rt->key, full, level == 1 ? 4 : level == 2 ? 7 : level == 3 ? 10 : 0);
    rt->key[level == 1 ? 4 : level == 2 ? 7 : level == 3 ? 10 : 0] = '\0';
}

ne_route_kind_e ne_route_parse(apr_pool_t *pool, const char *base,
                               const char *path, ne_route_t *rt)
{
    apr_size_t blen = strlen(base);
    const char *p;
    int level, unfinished;

    memset(rt, 0, sizeof(*rt));
    rt->format = NE_FMT_NONE;
    if (strncmp(path, base, blen) != 0 || (path[blen] != '\0' && path[blen] != '/')) {
        return ne_route_set(rt, NE_ROUTE_NOT_OURS);
    }
    if (path[blen] == '\0') {
        rt->location = apr_pstrcat(pool, base, "/", NULL);
        return ne_route_set(rt, NE_ROUTE_REDIRECT);
    }
    p = path + blen + 1;
    if (strncmp(p, "topics/", 7) == 0) {
        return ne_route_leaf_or_lower(pool, apr_pstrcat(pool, base, "/topics/", NULL),
                                      p + 7, -1, rt);
    }
    level = ne_route_dirs(&p, rt, &unfinished);
    ne_route_key(rt, level);
    if (unfinished) {
        rt->location = apr_pstrcat(pool, path, "/", NULL);
        return ne_route_set(rt, NE_ROUTE_REDIRECT);
    }
    return ne_route_leaf_or_lower(pool, apr_pstrndup(pool, path, (apr_size_t)(p - path)),
                                  p, level, rt);
}
