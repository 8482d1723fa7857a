/* SPDX-License-Identifier: Apache-2.0 */
/* ne_derive: the archive's derived data computed in memory, for every
 * event and topic at once (docs/design.md, "Derived data"): each event's
 * related list and each topic's companions, by exactly the rules the
 * store's read-time statements follow (ne_store_related.c and
 * newsevent_topic_companions), from the topic links alone. Plain C over
 * APR: the store feeds it, the unit tests call it. And the text form
 * both are stored in. */
#ifndef NE_DERIVE_H
#define NE_DERIVE_H

#include <apr_pools.h>
#include <apr_tables.h>

/* Related events a stored list holds: the best this many are chosen (by
 * window counts) and ordered (by exact counts); a site shows the first
 * NewsEventRelated of them, and computes its own when it asks for more. */
#define NE_RELATED_STORED 10
/* A topic's companions: among its latest SAMPLE events, the SHOWN topics
 * found most often with it. */
#define NE_COMPANIONS_SAMPLE 100
#define NE_COMPANIONS_SHOWN 10

typedef struct ne_derive ne_derive_t;

/* One topic link: event `event` (on day number `day`) has topic `topic`
 * at place `pos` of its own topic order. */
typedef struct ne_link {
    apr_int64_t topic;
    apr_int64_t event;
    int day;
    int pos;
} ne_link_t;

/* The derivation over `links` (an array of ne_link_t, in any order; it is
 * sorted in place). */
ne_derive_t *ne_derive_make(apr_pool_t *pool, apr_array_header_t *links);

/* A derivation sharing d's data, with scratch space of its own: for a
 * thread of its own (d itself is only read). */
ne_derive_t *ne_derive_fork(const ne_derive_t *d, apr_pool_t *pool);

/* The events and topics that have links, and each one's id. */
int ne_derive_events(const ne_derive_t *d);
int ne_derive_topics(const ne_derive_t *d);
apr_int64_t ne_derive_event_id(const ne_derive_t *d, int i);
apr_int64_t ne_derive_topic_id(const ne_derive_t *d, int t);

/* Event i's related list, and topic t's companions, in stored form. */
const char *ne_derive_related(ne_derive_t *d, apr_pool_t *pool, int i);
const char *ne_derive_companions(ne_derive_t *d, apr_pool_t *pool, int t);

/* The stored forms. A related list: "ID:P.P,ID:P" — each related event's
 * id, then the places (1-based, in the event's topic order) of the topics
 * it shares. Companions: "ID:N,ID:N" — a topic's id and how many of the
 * sampled events have it. */
typedef struct ne_derived_item {
    apr_int64_t id;
    int n;                   /* companions: the count; related: how many places */
    int *places;             /* related: the shared topics' places */
} ne_derived_item_t;

/* v (>= 0) in decimal at p, at most 20 characters; the end. */
char *ne_derived_digits(char *p, apr_int64_t v);

/* Append item's text to *out (a list being built). */
void ne_derived_put(apr_pool_t *pool, const char **out, const ne_derived_item_t *item,
                    int related);

/* Parse a stored list into items (ne_derived_item_t), at most `max`; 0
 * for text that is not a stored list. */
int ne_derived_parse(apr_pool_t *pool, const char *text, int related, int max,
                     apr_array_header_t **items);

#endif
