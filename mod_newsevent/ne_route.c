#include "ne_route.h"
#include "ne_slug.h"

#include <string.h>
#include <apr_lib.h>
#include <apr_strings.h>

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

/* "YYYY/MM/DD" at p: a real date. */
static int ne_route_date(const char *p, ne_route_t *rt)
{
    if (!ne_date_parse_sep(p, '/', &rt->date)) {
        return 0;
    }
    ne_date_format(&rt->date, rt->date_str);
    return 1;
}

static ne_route_kind_e ne_route_set(ne_route_t *rt, ne_route_kind_e kind)
{
    rt->kind = kind;
    return kind;
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

/* The leaf of a day path: "", "index", "index.EXT", "SLUG" or "SLUG.EXT". */
static ne_route_kind_e ne_route_leaf(const char *leaf, ne_route_t *rt)
{
    const char *dot = strchr(leaf, '.');
    apr_size_t name_len = dot ? (apr_size_t)(dot - leaf) : strlen(leaf);

    if (*leaf == '\0') {
        return ne_route_set(rt, NE_ROUTE_DAY);
    }
    if (dot != NULL) {
        rt->format = ne_format_from_ext(dot + 1, strlen(dot + 1));
        if (rt->format == NE_FMT_NONE) {
            return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
        }
    }
    if (name_len == 5 && memcmp(leaf, "index", 5) == 0) {
        return ne_route_set(rt, NE_ROUTE_DAY);
    }
    if (ne_slug_valid(leaf, name_len)) {
        rt->slug = leaf;
        rt->slug_len = name_len;
        return ne_route_set(rt, NE_ROUTE_EVENT);
    }
    return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
}

ne_route_kind_e ne_route_parse(apr_pool_t *pool, const char *base,
                               const char *path, ne_route_t *rt)
{
    apr_size_t blen = strlen(base);
    const char *rest, *day_path, *leaf;

    memset(rt, 0, sizeof(*rt));
    rt->format = NE_FMT_NONE;
    if (strncmp(path, base, blen) != 0 || (path[blen] != '\0' && path[blen] != '/')) {
        return ne_route_set(rt, NE_ROUTE_NOT_OURS);
    }
    rest = path + blen;
    if (rest[0] != '/' || !ne_route_date(rest + 1, rt)) {
        return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
    }
    day_path = apr_pstrcat(pool, base, "/", apr_pstrmemdup(pool, rest + 1, 10),
                           "/", NULL);
    rest += 11;
    if (*rest == '\0') {
        rt->location = day_path;
        return ne_route_set(rt, NE_ROUTE_REDIRECT);
    }
    if (*rest != '/') {
        return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
    }
    leaf = rest + 1;
    if (strchr(leaf, '/') != NULL) {
        return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
    }
    if (ne_route_leaf(leaf, rt) == NE_ROUTE_NOT_FOUND) {
        /* An upper-case spelling of a real leaf redirects to it. */
        char *lower = apr_pstrdup(pool, leaf);
        ne_date_t date = rt->date;
        if (ne_route_lower(lower) && ne_route_leaf(lower, rt) != NE_ROUTE_NOT_FOUND) {
            memset(rt, 0, sizeof(*rt));
            rt->date = date;
            ne_date_format(&date, rt->date_str);
            rt->format = NE_FMT_NONE;
            rt->location = apr_pstrcat(pool, day_path, lower, NULL);
            return ne_route_set(rt, NE_ROUTE_REDIRECT);
        }
        return ne_route_set(rt, NE_ROUTE_NOT_FOUND);
    }
    if (rt->slug != NULL) {
        rt->slug = apr_pstrmemdup(pool, rt->slug, rt->slug_len);
    }
    return rt->kind;
}
