/* SPDX-License-Identifier: Apache-2.0 */
/* ne_event: the record (docs/design.md, "The record") and the lists built
 * from it. Strings are UTF-8 owned by a pool; optional text is "" when absent. */
#ifndef NE_EVENT_H
#define NE_EVENT_H

#include <apr_tables.h>

typedef struct ne_source {
    const char *name;
    const char *url;
} ne_source_t;

typedef struct ne_topic {
    const char *name;
    const char *slug;
    const char *id;          /* the store's key, as text */
} ne_topic_t;

/* Another event sharing topics with this one. */
typedef struct ne_related {
    apr_int64_t id;          /* the store's key */
    const char *date;
    const char *slug;
    const char *headline;
    apr_array_header_t *context;   /* const char *: shared topic names */
} ne_related_t;

typedef struct ne_event {
    const char *id;          /* the store's key, as text */
    const char *date;        /* YYYY-MM-DD */
    const char *slug;
    const char *category;
    const char *story;
    const char *headline;
    const char *body;
    const char *image;
    const char *updated;     /* YYYY-MM-DDTHH:MM:SSZ */
    apr_array_header_t *sources;  /* ne_source_t */
    apr_array_header_t *topics;   /* ne_topic_t */
    apr_array_header_t *related;  /* ne_related_t; NULL in lists */
    const char *snippet;     /* search results: text around the matches, each match
                                between NE_MARK_START and NE_MARK_END; else NULL */
} ne_event_t;

/* The marks around a search's matches in a snippet: control characters,
 * which stored text never holds. */
#define NE_MARK_START '\001'
#define NE_MARK_END '\002'

typedef enum ne_list_kind {
    NE_LIST_DAY,      /* groups: categories, in order of first import */
    NE_LIST_MONTH,    /* groups: days, oldest first; paged */
    NE_LIST_YEAR,     /* groups: months, with counts only */
    NE_LIST_FRONT,    /* groups: the latest days, newest first */
    NE_LIST_TOPIC,    /* one group: the topic's events, newest first; paged */
    NE_LIST_SEARCH    /* one group: the matches, best or newest first; paged */
} ne_list_kind_e;

/* A section of a list. */
typedef struct ne_group {
    const char *key;                /* a category, "YYYY-MM-DD" or "YYYY-MM" */
    int count;                      /* its events */
    apr_array_header_t *events;     /* ne_event_t summaries; NULL for months */
} ne_group_t;

/* A topic and how often it occurs with another. */
typedef struct ne_topic_count {
    const char *name;
    const char *slug;
    int count;
    apr_int64_t id;          /* the store's key */
} ne_topic_count_t;

/* Every list of the archive: a day, a month, a year, the front page, a
 * topic. Summaries carry no sources, topics or related events. */
typedef struct ne_list {
    ne_list_kind_e kind;
    const char *key;                /* "YYYY-MM-DD", "YYYY-MM", "YYYY", "", a topic slug,
                                       a search's query string (q=...&sort=...) */
    const char *name;               /* a topic's name; a search's query as understood */
    apr_array_header_t *groups;     /* ne_group_t, in reading order */
    const char *prev;               /* the neighbouring key with events, or NULL */
    const char *next;
    int page;                       /* paged lists: 1..pages */
    int pages;                      /* 0: not paged */
    int total;                      /* events in the whole list (a search's: counted
                                       to a bound, past which total_capped is set) */
    int total_capped;               /* a search: more matches than total */
    int shown;                      /* events in this answer (a page, or a list cut
                                       at NewsEventListLimit) */
    apr_array_header_t *topics;     /* a topic's companions (ne_topic_count_t) */
} ne_list_t;

/* A sitemap (sitemaps.org 0.9): the index of the months with events, or
 * one month's events. */
typedef struct ne_sitemap {
    const char *month;              /* "YYYY-MM" of a month's sitemap; NULL: the index */
    apr_array_header_t *months;     /* the index's: const char *, "YYYY-MM", oldest first */
    apr_array_header_t *events;     /* a month's: ne_event_t (date, slug, updated) */
} ne_sitemap_t;

/* At most this many URLs in one sitemap, as the protocol allows. */
#define NE_SITEMAP_MAX 50000

#endif
