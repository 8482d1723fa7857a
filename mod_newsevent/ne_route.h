/* SPDX-License-Identifier: Apache-2.0 */
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
    NE_ROUTE_DAY,          /* /YYYY/MM/DD/, index, index.EXT */
    NE_ROUTE_MONTH,        /* /YYYY/MM/, index, index.EXT */
    NE_ROUTE_YEAR,         /* /YYYY/, index, index.EXT */
    NE_ROUTE_FRONT,        /* /, index, index.EXT */
    NE_ROUTE_TOPIC,        /* /topics/TOPIC[.EXT] */
    NE_ROUTE_FEED,         /* /feed.atom */
    NE_ROUTE_TOPIC_FEED,   /* /topics/TOPIC.atom */
    NE_ROUTE_SEARCH,       /* /search[.EXT]?q=... */
    NE_ROUTE_SEARCH_FEED,  /* /search.atom?q=... */
    NE_ROUTE_OPENSEARCH,   /* /opensearch.xml */
    NE_ROUTE_SITEMAP_INDEX,/* /sitemap.xml */
    NE_ROUTE_SITEMAP,      /* /YYYY/MM/sitemap.xml */
    NE_ROUTE_OPENAPI       /* /openapi.json */
} ne_route_kind_e;

typedef struct ne_route {
    ne_route_kind_e kind;
    ne_date_t date;           /* year; month, day when the kind has them */
    char key[11];             /* "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" */
    const char *slug;         /* an event's, or a topic's */
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

/* True for the kinds that list events (everything but an event and feeds). */
int ne_route_is_list(ne_route_kind_e kind);

#endif
