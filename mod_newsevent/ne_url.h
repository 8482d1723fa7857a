/* SPDX-License-Identifier: Apache-2.0 */
/* ne_url: the archive's URL scheme (README, "URL scheme") and what names a
 * list: its title, its kind's and key's names, the lists above it. Every
 * renderer and the handler build their links here. */
#ifndef NE_URL_H
#define NE_URL_H

#include <apr_pools.h>
#include "ne_event.h"
#include "ne_format.h"

/* ne_render.h defines it: the base path and the site's title are read. */
struct ne_render_opts;

/* Links. f == NE_FMT_NONE gives the negotiated URL (no extension; a
 * directory's ends in "/"). Dates are "YYYY-MM-DD". */
const char *ne_url_event(apr_pool_t *p, const struct ne_render_opts *o, const char *date,
                         const char *slug, ne_format_e f);
const char *ne_url_day(apr_pool_t *p, const struct ne_render_opts *o, const char *date,
                       ne_format_e f);
const char *ne_url_topic(apr_pool_t *p, const struct ne_render_opts *o, const char *slug,
                         ne_format_e f);
/* A list's URL; page > 1 adds "?page=N". */
const char *ne_url_list(apr_pool_t *p, const struct ne_render_opts *o, ne_list_kind_e kind,
                        const char *key, ne_format_e f, int page);
/* The Atom feed of a search (key: its query string). */
const char *ne_url_search_feed(apr_pool_t *p, const struct ne_render_opts *o, const char *key);
/* The feed of the archive (slug NULL) or of a topic. */
const char *ne_url_feed(apr_pool_t *p, const struct ne_render_opts *o, const char *slug);

/* "2017-11-23", "November 2017", "2017", the site's title, a topic's name. */
const char *ne_list_title(apr_pool_t *p, const struct ne_render_opts *o, const ne_list_t *l);
/* "November 2017" for "2017-11". */
const char *ne_month_name(apr_pool_t *p, const char *month_key);
/* The JSON/XML name of a list kind and of its key: "day"/"date", ... */
const char *ne_list_kind_name(ne_list_kind_e kind);
const char *ne_list_key_name(ne_list_kind_e kind);

/* The lists above one: for a key "2017-11-23" (kind day), the month, the
 * year and the front page, each as kind and key; n is set to their number. */
typedef struct ne_crumb {
    ne_list_kind_e kind;
    const char *key;
} ne_crumb_t;
int ne_list_parents(apr_pool_t *p, ne_list_kind_e kind, const char *key,
                    ne_crumb_t out[3]);

#endif
