/* ne_route: which resource of the archive a request path names. */
#ifndef NE_ROUTE_H
#define NE_ROUTE_H

#include <apr_pools.h>
#include "ne_date.h"
#include "ne_format.h"

typedef enum ne_route_kind {
    NE_ROUTE_NOT_OURS = 0, /* outside the base path: leave it to Apache */
    NE_ROUTE_NOT_FOUND,    /* under the base path, but names nothing */
    NE_ROUTE_REDIRECT,     /* a non-canonical form: 301 to `location` */
    NE_ROUTE_EVENT,        /* /YYYY/MM/DD/SLUG[.EXT] */
    NE_ROUTE_DAY           /* /YYYY/MM/DD/, index, index.EXT */
} ne_route_kind_e;

typedef struct ne_route {
    ne_route_kind_e kind;
    ne_date_t date;
    char date_str[11];        /* "YYYY-MM-DD" */
    const char *slug;         /* events */
    apr_size_t slug_len;
    ne_format_e format;       /* from the extension, or NE_FMT_NONE */
    const char *location;     /* redirects: the canonical path */
} ne_route_t;

/* Route `path` (the decoded request path) against `base` ("/news", no
 * trailing slash). Fills *rt and returns its kind. */
ne_route_kind_e ne_route_parse(apr_pool_t *pool, const char *base,
                               const char *path, ne_route_t *rt);

/* True when base is a usable base path: "/" followed by non-empty
 * segments of URL-safe characters, no trailing "/". */
int ne_route_base_valid(const char *base);

#endif
